//! The [`StakeSyncHome`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Uint, B256, U256};
use restake_oapp::oapp::OApp;
use restake_shared::{
    access::{invalid_account, AccessControl},
    admin::Administered,
    impl_administered,
    pausable::Pausable,
    reentrancy::ReentrancyGuard,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageArray, StorageBool, StorageU256, StorageU32, StorageU64, StorageU8,
    },
};

use crate::{
    PublishingSet, StakeState, StakeSyncError, StakeSyncTooManyRemotes, GROUP_PUBLISH, MAX_REMOTES,
};

/// Home-side configuration and progress.
#[storage]
pub struct Home {
    /// The vault whose state is published. Set once in the constructor; non-zero.
    pub(crate) vault: StorageAddress,
    /// The slashing manager whose requests make a publication due (zero = none).
    pub(crate) slashing: StorageAddress,
    /// Minimum seconds between publications when nothing slash-related changed.
    pub(crate) min_interval: StorageU64,
    /// Home time of the last publication (0 before the first).
    pub(crate) last_publish: StorageU64,
    /// Every slash request below this id is resolved (vetoed, executed or expired). Only
    /// moves up.
    pub(crate) slash_cursor: StorageU64,
    /// The slashing manager's request count at the last publication.
    pub(crate) seen_requests: StorageU64,
    /// Remote endpoint ids with a peer, at indices `0..remote_count`; entries above are stale.
    pub(crate) remotes: StorageArray<StorageU32, MAX_REMOTES>,
    /// Number of remotes (at most [`MAX_REMOTES`]).
    pub(crate) remote_count: StorageU8,
}

/// The last published state.
#[storage]
pub struct Mirror {
    /// Sequence of the state (0 = none yet). Only increases.
    pub(crate) sequence: StorageU64,
    /// Home time of the state.
    pub(crate) timestamp: StorageU64,
    /// Exchange rate.
    pub(crate) rate: StorageU256,
    /// Total assets.
    pub(crate) total_assets: StorageU256,
    /// LRT supply.
    pub(crate) supply: StorageU256,
    /// Slashing epoch.
    pub(crate) slash_epoch: StorageU64,
    /// Pending slash.
    pub(crate) pending: StorageBool,
}

impl Mirror {
    /// The stored state.
    pub(crate) fn state(&self) -> StakeState {
        StakeState {
            sequence: self.sequence.get().to(),
            timestamp: self.timestamp.get().to(),
            rate: self.rate.get(),
            total_assets: self.total_assets.get(),
            supply: self.supply.get(),
            slash_epoch: self.slash_epoch.get().to(),
            pending_slash: self.pending.get(),
        }
    }

    /// Stores `s`.
    pub(crate) fn store(&mut self, s: &StakeState) {
        self.sequence.set(Uint::from(s.sequence));
        self.timestamp.set(Uint::from(s.timestamp));
        self.rate.set(s.rate);
        self.total_assets.set(s.total_assets);
        self.supply.set(s.supply);
        self.slash_epoch.set(Uint::from(s.slash_epoch));
        self.pending.set(s.pending_slash);
    }
}

/// Default minimum interval between publications (1 hour).
pub const DEFAULT_MIN_INTERVAL: u64 = 3_600;
/// The stake-state publisher on the home chain.
#[entrypoint]
#[storage]
pub struct StakeSyncHome {
    /// Admin and roles (pauser).
    pub(crate) access: AccessControl,
    /// Paused function groups.
    pub(crate) pausable: Pausable,
    /// Held while `publish` calls out.
    pub(crate) guard: ReentrancyGuard,
    /// Endpoint and peers (the remote stake-sync contracts).
    pub(crate) oapp: OApp,
    /// Configuration and progress.
    pub(crate) home: Home,
    /// The last published state.
    pub(crate) mirror: Mirror,
}

#[public]
#[implements(Administered)]
impl StakeSyncHome {
    /// Sets the admin, the source endpoint and the vault. Defaults to a 1 h minimum interval
    /// and no slashing manager.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (zero admin, endpoint or vault).
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        endpoint: Address,
        vault: Address,
    ) -> Result<(), StakeSyncError> {
        if endpoint.is_zero() || vault.is_zero() {
            return Err(invalid_account(Address::ZERO).into());
        }
        self.access.init(admin)?;
        // The home never receives: no destination endpoint.
        self.oapp.init(endpoint, Address::ZERO);
        self.home.vault.set(vault);
        self.home.min_interval.set(Uint::from(DEFAULT_MIN_INTERVAL));
        Ok(())
    }

    /// Publishes the vault's state to every remote, paying the endpoint fees from the
    /// value sent (the rest is refunded). Anyone may call; returns the new sequence.
    ///
    /// # Errors
    /// `StakeSyncTooSoon`, `StakeSyncSourceUnavailable`,
    /// `StakeSyncInsufficientFee`, `OAppNoPeer`, `OAppEndpointCallFailed`,
    /// `StakeSyncRefundFailed`, `PausableEnforcedPause`, `ReentrancyGuardReentrantCall`,
    /// `MathOverflow`.
    ///
    /// # Events
    /// `StatePublished`, and the endpoint's `PacketSent` per remote.
    #[payable]
    pub fn publish(&mut self) -> Result<u64, StakeSyncError> {
        self.pausable.when_not_paused(GROUP_PUBLISH)?;
        self.guard.enter()?;
        let r = self._publish();
        self.guard.exit();
        r
    }

    /// The total endpoint fee of one publication.
    ///
    /// # Errors
    /// `OAppNoPeer`, `OAppEndpointCallFailed`, `MathOverflow`.
    pub fn quote_publish(&self) -> Result<U256, StakeSyncError> {
        self.fees(&StakeState::default().encode())
            .map(|(total, _)| total)
    }

    /// Whether `publish` would be accepted now (interval over, or a slash-related change).
    ///
    /// # Errors
    /// `StakeSyncSourceUnavailable`.
    pub fn publication_due(&self) -> Result<bool, StakeSyncError> {
        Ok(self.next_state()?.1)
    }

    /// The last published state: sequence, timestamp, rate, total assets, LRT supply, slashing
    /// epoch, pending slash.
    pub fn latest_state(&self) -> (u64, u64, U256, U256, U256, u64, bool) {
        let s = self.mirror.state();
        (
            s.sequence,
            s.timestamp,
            s.rate,
            s.total_assets,
            s.supply,
            s.slash_epoch,
            s.pending_slash,
        )
    }

    /// The trusted peer on `eid` (zero when none).
    pub fn peer(&self, eid: u32) -> B256 {
        self.oapp.peer(eid)
    }

    /// Admin: names the remote stake-sync `peer` on `eid` (zero removes it); every peer gets
    /// each publication.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `StakeSyncTooManyRemotes`.
    ///
    /// # Events
    /// `PeerSet`.
    pub fn set_peer(&mut self, eid: u32, peer: Address) -> Result<(), StakeSyncError> {
        self.access.only_admin(self.vm().msg_sender())?;
        let n = usize::from(self.home.remote_count.get().to::<u8>());
        let listed = (0..n).position(|i| self.home.remotes.get(i) == Some(Uint::from(eid)));
        match (listed, peer.is_zero()) {
            (None, false) => {
                if n >= MAX_REMOTES {
                    return Err(StakeSyncError::TooManyRemotes(StakeSyncTooManyRemotes {}));
                }
                if let Some(mut slot) = self.home.remotes.setter(n) {
                    slot.set(Uint::from(eid));
                }
                // n < MAX_REMOTES (8): fits a byte.
                self.home.remote_count.set(Uint::from(n as u8 + 1));
            }
            (Some(i), true) => {
                let last = self.home.remotes.get(n - 1).unwrap_or_default();
                if let Some(mut slot) = self.home.remotes.setter(i) {
                    slot.set(last);
                }
                self.home.remote_count.set(Uint::from(n as u8 - 1));
            }
            _ => {}
        }
        self.oapp._set_peer(eid, peer);
        Ok(())
    }

    /// Admin: the minimum interval between publications and the slashing manager
    /// watched for requests (zero: none).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `PublishingSet`.
    pub fn set_publishing(
        &mut self,
        min_interval: u64,
        slashing_manager: Address,
    ) -> Result<(), StakeSyncError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self.home.min_interval.set(Uint::from(min_interval));
        self.home.slashing.set(slashing_manager);
        self.vm().log(PublishingSet {
            minInterval: min_interval,
            slashingManager: slashing_manager,
        });
        Ok(())
    }
}

impl_administered!(StakeSyncHome);
