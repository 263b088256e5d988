//! The [`LrtBridgeRemote`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, Uint, B256, U256};
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
    impl_administered,
    pausable::Pausable,
    reentrancy::ReentrancyGuard,
};
use stylus_sdk::{
    call::call,
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU32},
    stylus_core::calls::Call,
};

use crate::{BridgeNotHome, RemoteError, GROUP_RECEIVE, GROUP_SEND};

/// The LRT bridge on a remote chain.
#[entrypoint]
#[storage]
pub struct LrtBridgeRemote {
    /// Admin and roles (pauser).
    pub(crate) access: AccessControl,
    /// Paused function groups.
    pub(crate) pausable: Pausable,
    /// Held while `send` and `lzReceive` call out.
    guard: ReentrancyGuard,
    /// Endpoints and the home peer.
    oapp: OApp,
    /// The LRT on this chain (the bridge holds its minter role). Set once in the constructor;
    /// non-zero.
    lrt: StorageAddress,
    /// The home's endpoint id, the only one this bridge talks to. Set once in the
    /// constructor; non-zero.
    home_eid: StorageU32,
    /// Peer endpoint id => token buckets. Changed by the admin (configuration) and by
    /// transfers (spending).
    limits: StorageMap<u32, Limits>,
}

impl LrtBridgeRemote {
    /// Fails unless `eid` is the home's.
    fn check_route(&self, eid: u32) -> Result<(), RemoteError> {
        let home: u32 = self.home_eid.get().to();
        if eid != home {
            return Err(RemoteError::NotHome(BridgeNotHome { eid, homeEid: home }));
        }
        Ok(())
    }

    /// Calls the LRT (`data` is an `ILrt` call).
    fn lrt_call(&mut self, data: Vec<u8>) -> Result<(), RemoteError> {
        let lrt = self.lrt.get();
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, lrt, &data).map_err(|e| RemoteError::TokenFailed(token_failed(e)))?;
        Ok(())
    }

    /// Spends from a bucket.
    fn spend(&mut self, eid: u32, inbound: bool, amount: U256) -> Result<(), RemoteError> {
        let now = self.vm().block_timestamp();
        self.limits
            .setter(eid)
            .spend(eid, inbound, now, amount)
            .map_err(RemoteError::RateLimited)
    }

    /// `send` after the pause and reentrancy checks: bucket, then the burn, then the message.
    fn _send(&mut self, dst_eid: u32, to: Address, amount: U256) -> Result<B256, RemoteError> {
        if amount.is_zero() || to.is_zero() {
            return Err(RemoteError::InvalidTransfer(BridgeInvalidTransfer {}));
        }
        self.check_route(dst_eid)?;
        let peer = self.oapp.peer_address(dst_eid)?;
        self.spend(dst_eid, false, amount)?;
        let from = self.vm().msg_sender();
        self.lrt_call(
            ILrt::burnCall {
                from,
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

    /// `lzReceive` after the checks: bucket, then the mint.
    fn _receive(&mut self, src_eid: u32, guid: B256, message: &[u8]) -> Result<(), RemoteError> {
        let (to, amount) =
            message::decode(message).ok_or(OAppError::InvalidMessage(OAppInvalidMessage {}))?;
        if amount.is_zero() || to.is_zero() {
            return Err(RemoteError::InvalidTransfer(BridgeInvalidTransfer {}));
        }
        self.check_route(src_eid)?;
        self.spend(src_eid, true, amount)?;
        self.lrt_call(ILrt::mintCall { to, value: amount }.abi_encode())?;
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
impl LrtBridgeRemote {
    /// Sets the admin (also named delegate on `endpoint_config`), the LRT, the endpoints and
    /// the home's endpoint id.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (a zero address or home id), `OAppEndpointCallFailed` (the
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
        home_eid: u32,
    ) -> Result<(), RemoteError> {
        if lrt.is_zero()
            || endpoint.is_zero()
            || receive_endpoint.is_zero()
            || endpoint_config.is_zero()
            || home_eid == 0
        {
            return Err(invalid_account(Address::ZERO).into());
        }
        self.access.init(admin)?;
        self.oapp.init(endpoint, receive_endpoint);
        self.lrt.set(lrt);
        self.home_eid.set(Uint::from(home_eid));
        let ctx = Call::new_mutating(self);
        set_delegate(self.vm(), ctx, endpoint_config, admin)?;
        Ok(())
    }

    /// Burns `amount` of the caller's LRT (approve the bridge first) and bridges it to `to` on
    /// the home chain `dst_eid`, paying the endpoint fee with the value sent (excess refunded
    /// by the endpoint). Returns the GUID.
    ///
    /// # Errors
    /// `BridgeInvalidTransfer`, `BridgeNotHome`, `OAppNoPeer`, `BridgeRateLimited`,
    /// `BridgeTokenFailed`, `OAppEndpointCallFailed` (e.g. fee too low),
    /// `PausableEnforcedPause`, `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `BridgeSent`, the LRT's `Transfer`, the endpoint's `PacketSent`.
    #[payable]
    pub fn send(&mut self, dst_eid: u32, to: Address, amount: U256) -> Result<B256, RemoteError> {
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
    pub fn quote_send(&self, dst_eid: u32, to: Address, amount: U256) -> Result<U256, RemoteError> {
        Ok(self.oapp.quote(dst_eid, &message::encode(to, amount))?)
    }

    /// The endpoint delivers a transfer from the home lockbox: minted for the recipient.
    ///
    /// # Errors
    /// `OAppNotEndpoint`, `OAppUntrustedPeer`, `BridgeNotHome`, `OAppInvalidMessage`,
    /// `BridgeInvalidTransfer`, `BridgeRateLimited` (retry when the bucket refills),
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
    ) -> Result<(), RemoteError> {
        let _ = nonce;
        self.pausable.when_not_paused(GROUP_RECEIVE)?;
        self.oapp
            .authenticate(self.vm().msg_sender(), src_eid, sender)?;
        self.guard.enter()?;
        let r = self._receive(src_eid, guid, &message);
        self.guard.exit();
        r
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

    /// Admin: trusts the home lockbox `peer` on the home's `eid` (zero removes it).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `BridgeNotHome` (another chain).
    ///
    /// # Events
    /// `PeerSet`.
    pub fn set_peer(&mut self, eid: u32, peer: Address) -> Result<(), RemoteError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self.check_route(eid)?;
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
    ) -> Result<(), RemoteError> {
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

impl_administered!(LrtBridgeRemote);
