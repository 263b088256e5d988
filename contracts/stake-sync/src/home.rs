//! Reading the vault and the slashing manager, and publishing.
use alloc::vec::Vec;

use alloy_primitives::{Address, Uint, U256};
use alloy_sol_types::{sol, SolCall};
use restake_oapp::oapp::send;
use restake_shared::math;
use stylus_sdk::{
    call::{static_call, transfer::transfer_eth},
    prelude::*,
    stylus_core::calls::Call,
};

use crate::contract::StakeSyncHome;
use crate::{
    StakeState, StakeSyncError, StakeSyncInsufficientFee, StakeSyncRefundFailed,
    StakeSyncSourceUnavailable, StakeSyncTooSoon, StatePublished, MAX_SCAN,
};

sol! {
    /// The vault views the home reads.
    interface IVaultState {
        function totalAssets() external view returns (uint256);
        function totalShares() external view returns (uint256);
        function exchangeRate() external view returns (uint256);
    }
    /// The slashing manager views the home reads.
    interface ISlashRequests {
        function requestCount() external view returns (uint64);
        function slashRequest(uint64 requestId) external view returns (address, uint64, uint256, uint64, uint8);
    }
}

/// Slashing manager status of a request waiting for its veto window or execution.
const STATUS_REQUESTED: u8 = 1;

/// One remote's share of a publication: endpoint id, peer, endpoint fee.
type Route = (u32, Address, U256);

/// What a publication would carry, and the home bookkeeping it would store.
pub(crate) struct Next {
    pub state: StakeState,
    pub request_count: u64,
    pub cursor: u64,
}

impl StakeSyncHome {
    /// Static-calls `target` and returns word `index` of the answer.
    fn read_word(
        &self,
        target: Address,
        data: &[u8],
        index: usize,
    ) -> Result<U256, StakeSyncError> {
        let out = static_call(self.vm(), Call::new(), target, data).ok();
        out.as_ref()
            .and_then(|o| o.get(index * 32..index * 32 + 32))
            .map(U256::from_be_slice)
            .ok_or(StakeSyncError::SourceUnavailable(
                StakeSyncSourceUnavailable { target },
            ))
    }

    /// Reads the slashing manager: its request count, whether a request is pending, and the
    /// new cursor (every request below it resolved). At most [`MAX_SCAN`] requests are read;
    /// when more are unresolved, the rest count as pending.
    fn scan_slashes(&self) -> Result<(u64, bool, u64), StakeSyncError> {
        let slashing = self.home.slashing.get();
        let cursor: u64 = self.home.slash_cursor.get().to();
        if slashing.is_zero() {
            return Ok((0, false, cursor));
        }
        let count: u64 = self
            .read_word(
                slashing,
                &ISlashRequests::requestCountCall {}.abi_encode(),
                0,
            )?
            .saturating_to();
        let mut next_cursor = cursor.max(1);
        let mut pending = false;
        let mut id = next_cursor;
        let mut scanned = 0;
        while id <= count {
            if scanned == MAX_SCAN {
                pending = true;
                break;
            }
            let call = ISlashRequests::slashRequestCall { requestId: id }.abi_encode();
            let status: u8 = self.read_word(slashing, &call, 4)?.saturating_to();
            if status == STATUS_REQUESTED {
                pending = true;
            } else if !pending {
                // Resolved, and nothing unresolved below it: the cursor moves past it.
                next_cursor = id + 1;
            }
            id += 1;
            scanned += 1;
        }
        Ok((count, pending, next_cursor))
    }

    /// The state a publication would carry now and whether it is due.
    pub(crate) fn next_state(&self) -> Result<(Next, bool), StakeSyncError> {
        let vault = self.home.vault.get();
        let rate = self.read_word(vault, &IVaultState::exchangeRateCall {}.abi_encode(), 0)?;
        let assets = self.read_word(vault, &IVaultState::totalAssetsCall {}.abi_encode(), 0)?;
        let supply = self.read_word(vault, &IVaultState::totalSharesCall {}.abi_encode(), 0)?;
        let (count, pending, cursor) = self.scan_slashes()?;
        let last = self.mirror.state();
        let now = self.vm().block_timestamp();
        let rate_fell = last.sequence > 0 && rate < last.rate;
        let new_requests = count > self.home.seen_requests.get().to::<u64>();
        let slash_change = rate_fell || new_requests || pending != last.pending_slash;
        let next_at = self
            .home
            .last_publish
            .get()
            .to::<u64>()
            .saturating_add(self.home.min_interval.get().to());
        let due = last.sequence == 0 || now >= next_at || slash_change;
        let state = StakeState {
            sequence: last.sequence.saturating_add(1),
            timestamp: now,
            rate,
            total_assets: assets,
            supply,
            slash_epoch: last
                .slash_epoch
                .saturating_add(u64::from(rate_fell || new_requests)),
            pending_slash: pending,
        };
        Ok((
            Next {
                state,
                request_count: count,
                cursor,
            },
            due,
        ))
    }

    /// The endpoint fee of sending `message` to every remote, and the per-remote list.
    pub(crate) fn fees(&self, message: &[u8]) -> Result<(U256, Vec<Route>), StakeSyncError> {
        let n = usize::from(self.home.remote_count.get().to::<u8>());
        let mut total = U256::ZERO;
        let mut each = Vec::with_capacity(n);
        for i in 0..n {
            let eid: u32 = self.home.remotes.get(i).unwrap_or_default().to();
            let peer = self.oapp.peer_address(eid)?;
            let fee = self.oapp.quote(eid, message)?;
            total = math::add(total, fee)?;
            each.push((eid, peer, fee));
        }
        Ok((total, each))
    }

    /// `publish` after the pause and reentrancy checks: effects, then the sends and the refund.
    pub(crate) fn _publish(&mut self) -> Result<u64, StakeSyncError> {
        let (next, due) = self.next_state()?;
        if !due {
            let next_at = self
                .home
                .last_publish
                .get()
                .to::<u64>()
                .saturating_add(self.home.min_interval.get().to());
            return Err(StakeSyncError::TooSoon(StakeSyncTooSoon {
                nextAt: next_at,
            }));
        }
        let s = next.state;
        let message = s.encode();
        let (total, each) = self.fees(&message)?;
        let paid = self.vm().msg_value();
        let change = paid
            .checked_sub(total)
            .ok_or(StakeSyncError::InsufficientFee(StakeSyncInsufficientFee {
                required: total,
                provided: paid,
            }))?;
        self.mirror.store(&s);
        self.home.last_publish.set(Uint::from(s.timestamp));
        self.home.slash_cursor.set(Uint::from(next.cursor));
        self.home.seen_requests.set(Uint::from(next.request_count));
        self.vm().log(StatePublished {
            sequence: s.sequence,
            rate: s.rate,
            totalAssets: s.total_assets,
            supply: s.supply,
            slashEpoch: s.slash_epoch,
            pendingSlash: s.pending_slash,
        });
        let caller = self.vm().msg_sender();
        let endpoint = self.oapp.endpoint();
        for (eid, peer, fee) in each {
            let ctx = Call::new_payable(self, fee);
            send(self.vm(), ctx, endpoint, eid, peer, message.clone(), caller)?;
        }
        if !change.is_zero() {
            transfer_eth(self.vm(), caller, change)
                .map_err(|_| StakeSyncError::RefundFailed(StakeSyncRefundFailed { to: caller }))?;
        }
        Ok(s.sequence)
    }
}
