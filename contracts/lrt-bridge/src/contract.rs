//! The [`LrtLockbox`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use restake_oapp::{
    bridge::{
        self as message, token_failed, BridgeInvalidTransfer, BridgeReceived, BridgeSent, ILrt,
        Limits, RateLimitSet,
    },
    oapp::{send, set_delegate, OApp, OAppError, OAppInvalidMessage},
};
use restake_shared::{
    access::{invalid_account, AccessControl},
    admin::Administered,
    impl_administered, math,
    pausable::Pausable,
    reentrancy::ReentrancyGuard,
};
use stylus_sdk::{
    call::call,
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256},
    stylus_core::calls::Call,
};

use crate::{BridgeExceedsLedger, LockboxError, GROUP_RECEIVE, GROUP_SEND};

/// The LRT lockbox on the home chain.
#[entrypoint]
#[storage]
pub struct LrtLockbox {
    /// Admin and roles (pauser).
    pub(crate) access: AccessControl,
    /// Paused function groups.
    pub(crate) pausable: Pausable,
    /// Held while `send` and `lzReceive` call out.
    guard: ReentrancyGuard,
    /// Endpoints and peers (the remote bridges).
    oapp: OApp,
    /// The LRT. Set once in the constructor; non-zero.
    lrt: StorageAddress,
    /// Peer endpoint id => token buckets. Changed by the admin (configuration) and by
    /// transfers (spending).
    limits: StorageMap<u32, Limits>,
    /// Endpoint id => LRT outstanding on that chain (sent minus returned). Invariant: the sum
    /// is at most the lockbox's LRT balance; a release never exceeds the entry of the chain it
    /// comes from.
    ledger: StorageMap<u32, StorageU256>,
}

impl LrtLockbox {
    /// Calls the LRT (`data` is an `ILrt` call).
    fn lrt_call(&mut self, data: Vec<u8>) -> Result<(), LockboxError> {
        let lrt = self.lrt.get();
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, lrt, &data).map_err(|e| LockboxError::TokenFailed(token_failed(e)))?;
        Ok(())
    }

    /// Spends from a bucket.
    fn spend(&mut self, eid: u32, inbound: bool, amount: U256) -> Result<(), LockboxError> {
        let now = self.vm().block_timestamp();
        self.limits
            .setter(eid)
            .spend(eid, inbound, now, amount)
            .map_err(LockboxError::RateLimited)
    }

    /// `send` after the pause and reentrancy checks: bucket and ledger, then the lock, then the
    /// message.
    fn _send(&mut self, dst_eid: u32, to: Address, amount: U256) -> Result<B256, LockboxError> {
        if amount.is_zero() || to.is_zero() {
            return Err(LockboxError::InvalidTransfer(BridgeInvalidTransfer {}));
        }
        let peer = self.oapp.peer_address(dst_eid)?;
        self.spend(dst_eid, false, amount)?;
        let next = math::add(self.ledger.get(dst_eid), amount)?;
        self.ledger.setter(dst_eid).set(next);
        let from = self.vm().msg_sender();
        let this = self.vm().contract_address();
        self.lrt_call(
            ILrt::transferFromCall {
                from,
                to: this,
                value: amount,
            }
            .abi_encode(),
        )?;
        let fee = self.vm().msg_value();
        let endpoint = self.oapp.endpoint();
        let ctx = Call::new_payable(self, fee);
        let message = message::encode(to, amount);
        let (guid, _) = send(self.vm(), ctx, endpoint, dst_eid, peer, message, from)?;
        self.vm().log(BridgeSent {
            dstEid: dst_eid,
            from,
            to,
            amount,
            guid,
        });
        Ok(guid)
    }

    /// `lzReceive` after the checks: bucket and ledger, then the release.
    fn _receive(&mut self, src_eid: u32, guid: B256, message: &[u8]) -> Result<(), LockboxError> {
        let (to, amount) =
            message::decode(message).ok_or(OAppError::InvalidMessage(OAppInvalidMessage {}))?;
        if amount.is_zero() || to.is_zero() {
            return Err(LockboxError::InvalidTransfer(BridgeInvalidTransfer {}));
        }
        self.spend(src_eid, true, amount)?;
        let outstanding = self.ledger.get(src_eid);
        let left = outstanding
            .checked_sub(amount)
            .ok_or(LockboxError::ExceedsLedger(BridgeExceedsLedger {
                eid: src_eid,
                outstanding,
                amount,
            }))?;
        self.ledger.setter(src_eid).set(left);
        self.lrt_call(ILrt::transferCall { to, value: amount }.abi_encode())?;
        self.vm().log(BridgeReceived {
            srcEid: src_eid,
            to,
            amount,
            guid,
        });
        Ok(())
    }
}

#[public]
#[implements(Administered)]
impl LrtLockbox {
    /// Sets the admin (also named delegate on `endpoint_config`), the LRT and the endpoints.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (a zero address), `OAppEndpointCallFailed` (the
    /// configuration contract refused the delegate).
    ///
    /// # Events
    /// `AdminTransferred`, and `DelegateSet` from the configuration contract.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        lrt: Address,
        endpoint: Address,
        receive_endpoint: Address,
        endpoint_config: Address,
    ) -> Result<(), LockboxError> {
        if lrt.is_zero()
            || endpoint.is_zero()
            || receive_endpoint.is_zero()
            || endpoint_config.is_zero()
        {
            return Err(invalid_account(Address::ZERO).into());
        }
        self.access.init(admin)?;
        self.oapp.init(endpoint, receive_endpoint);
        self.lrt.set(lrt);
        let ctx = Call::new_mutating(self);
        set_delegate(self.vm(), ctx, endpoint_config, admin)?;
        Ok(())
    }

    /// Locks `amount` of the caller's LRT (approve the lockbox first) and bridges it to `to` on
    /// `dst_eid`, paying the endpoint fee with the value sent (excess refunded by the
    /// endpoint). Returns the GUID.
    ///
    /// # Errors
    /// `BridgeInvalidTransfer`, `OAppNoPeer`, `BridgeRateLimited`, `BridgeTokenFailed`,
    /// `OAppEndpointCallFailed` (e.g. fee too low), `MathOverflow`, `PausableEnforcedPause`,
    /// `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `BridgeSent`, the LRT's `Transfer`, the endpoint's `PacketSent`.
    #[payable]
    pub fn send(&mut self, dst_eid: u32, to: Address, amount: U256) -> Result<B256, LockboxError> {
        self.pausable.when_not_paused(GROUP_SEND)?;
        self.guard.enter()?;
        let r = self._send(dst_eid, to, amount);
        self.guard.exit();
        r
    }

    /// The endpoint fee of bridging to `dst_eid`.
    ///
    /// # Errors
    /// `OAppNoPeer`, `OAppEndpointCallFailed`.
    pub fn quote_send(
        &self,
        dst_eid: u32,
        to: Address,
        amount: U256,
    ) -> Result<U256, LockboxError> {
        Ok(self.oapp.quote(dst_eid, &message::encode(to, amount))?)
    }

    /// The endpoint delivers a transfer from the peer on `src_eid`: released from the lockbox,
    /// at most that chain's ledger entry.
    ///
    /// # Errors
    /// `OAppNotEndpoint`, `OAppUntrustedPeer`, `OAppInvalidMessage`, `BridgeInvalidTransfer`,
    /// `BridgeRateLimited` (retry when the bucket refills), `BridgeExceedsLedger`,
    /// `BridgeTokenFailed`, `PausableEnforcedPause`, `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `BridgeReceived`, the LRT's `Transfer`.
    #[selector(name = "lzReceive")]
    pub fn lz_receive(
        &mut self,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        guid: B256,
        message: Bytes,
    ) -> Result<(), LockboxError> {
        let _ = nonce;
        self.pausable.when_not_paused(GROUP_RECEIVE)?;
        self.oapp
            .authenticate(self.vm().msg_sender(), src_eid, sender)?;
        self.guard.enter()?;
        let r = self._receive(src_eid, guid, &message);
        self.guard.exit();
        r
    }

    /// LRT outstanding on chain `eid` (sent there and not returned).
    pub fn outstanding(&self, eid: u32) -> U256 {
        self.ledger.get(eid)
    }

    /// Capacity, refill per second and tokens available now of a bucket (`inbound` for
    /// messages from `eid`).
    pub fn rate_limit(&self, eid: u32, inbound: bool) -> (U256, u128, U256) {
        self.limits
            .getter(eid)
            .status(inbound, self.vm().block_timestamp())
    }

    /// The trusted peer on `eid` (zero when none).
    pub fn peer(&self, eid: u32) -> B256 {
        self.oapp.peer(eid)
    }

    /// Admin: trusts the remote bridge `peer` on `eid` (zero removes it).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `PeerSet`.
    pub fn set_peer(&mut self, eid: u32, peer: Address) -> Result<(), LockboxError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self.oapp._set_peer(eid, peer);
        Ok(())
    }

    /// Admin: the bucket of `eid` in one direction (`inbound` for messages from it). Tokens
    /// available are kept (clamped to the new capacity); a new bucket starts full.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `RateLimitSet`.
    pub fn set_rate_limit(
        &mut self,
        eid: u32,
        inbound: bool,
        capacity: U256,
        refill_per_second: u128,
    ) -> Result<(), LockboxError> {
        self.access.only_admin(self.vm().msg_sender())?;
        let now = self.vm().block_timestamp();
        self.limits
            .setter(eid)
            .bucket_mut(inbound)
            .configure(now, capacity, refill_per_second);
        self.vm().log(RateLimitSet {
            eid,
            inbound,
            capacity,
            refillPerSecond: refill_per_second,
        });
        Ok(())
    }
}

impl_administered!(LrtLockbox);
