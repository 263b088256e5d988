//! The [`Endpoint`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, B256, U256};
use restake_oapp::packet::{address_to_bytes32, path_key};
use restake_shared::{
    access::{AccessControl, PAUSER_ROLE},
    admin::Administered,
    impl_administered,
    pausable::Pausable,
    reentrancy::ReentrancyGuard,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageMap, StorageU32},
};

use crate::outbound::Outbound;
use crate::{EndpointError, EndpointPathPaused, PathPauseSet, GROUP_SEND};

/// The message endpoint, source side.
#[entrypoint]
#[storage]
pub struct Endpoint {
    /// This endpoint's id. Set once in the constructor.
    pub(crate) eid: StorageU32,
    /// Admin and roles (pauser).
    pub(crate) access: AccessControl,
    /// Paused function groups.
    pub(crate) pausable: Pausable,
    /// Held while `send` or `withdrawFees` call out.
    pub(crate) guard: ReentrancyGuard,
    /// `path_key(sender, dstEid, receiver)` => paused. Changed by pausers (pause) and the
    /// admin (unpause).
    pub(crate) paused_paths: StorageMap<B256, StorageBool>,
    /// Fees and outbound nonces.
    pub(crate) outbound: Outbound,
}

impl Endpoint {
    /// Fails when the path `key` (between `local` and `remote` on `eid`) is paused.
    pub(crate) fn check_path(
        &self,
        key: B256,
        local: Address,
        eid: u32,
        remote: B256,
    ) -> Result<(), EndpointError> {
        if self.paused_paths.get(key) {
            return Err(EndpointError::PathPaused(EndpointPathPaused {
                local,
                remoteEid: eid,
                remote,
            }));
        }
        Ok(())
    }
}

#[public]
#[implements(Administered)]
impl Endpoint {
    /// Sets this endpoint's id and the admin (explicit: inside a constructor the caller is the
    /// deployer contract).
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` for a zero admin.
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(&mut self, eid: u32, admin: Address) -> Result<(), EndpointError> {
        self.access.init(admin)?;
        self.eid.set(alloy_primitives::Uint::from(eid));
        Ok(())
    }

    /// This endpoint's id.
    pub fn eid(&self) -> u32 {
        self.eid.get().to()
    }

    /// The fee of sending `message` to `receiver` on `dst_eid`.
    ///
    /// # Errors
    /// `EndpointUnsupportedEid`, `EndpointMessageTooLarge`, `MathOverflow`.
    pub fn quote(
        &self,
        dst_eid: u32,
        receiver: Address,
        message: Bytes,
    ) -> Result<U256, EndpointError> {
        let _ = receiver;
        Self::check_len(message.len())?;
        self.outbound.fee(dst_eid)
    }

    /// Sends `message` from the caller to `receiver` on `dst_eid`, paying at least
    /// [`Self::quote`]; the excess is sent to `refund_to`. Returns the GUID and the path's
    /// new nonce.
    ///
    /// # Errors
    /// `EndpointInsufficientFee`, `EndpointUnsupportedEid`, `EndpointMessageTooLarge`,
    /// `EndpointPathPaused`, `EndpointTransferFailed` (refund), `AccessControlInvalidAccount`
    /// (zero receiver, or zero `refund_to` with an excess), `PausableEnforcedPause`,
    /// `ReentrancyGuardReentrantCall`, `MathOverflow`.
    ///
    /// # Events
    /// `PacketSent`.
    #[payable]
    pub fn send(
        &mut self,
        dst_eid: u32,
        receiver: Address,
        message: Bytes,
        refund_to: Address,
    ) -> Result<(B256, u64), EndpointError> {
        self.pausable.when_not_paused(GROUP_SEND)?;
        self.guard.enter()?;
        let r = self._send(dst_eid, receiver, message.to_vec(), refund_to);
        self.guard.exit();
        r
    }

    /// The last nonce sent on the path (`sender`, `dst_eid`, `receiver`).
    pub fn outbound_nonce(&self, sender: Address, dst_eid: u32, receiver: Address) -> u64 {
        let key = path_key(self.vm(), sender, dst_eid, address_to_bytes32(receiver));
        self.outbound.nonce(key)
    }

    /// Admin: sets the executor paid for messages to `dst_eid` and its fee. A zero executor
    /// (with a zero fee) disables the destination.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AccessControlInvalidAccount` (zero executor with a
    /// fee).
    ///
    /// # Events
    /// `DstConfigSet`.
    pub fn set_dst_config(
        &mut self,
        dst_eid: u32,
        executor: Address,
        executor_fee: U256,
    ) -> Result<(), EndpointError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self._set_dst_config(dst_eid, executor, executor_fee)
    }

    /// Admin: `verifier` earns `fee` per message to `dst_eid` (added to the destination's paid
    /// verifiers; a zero fee removes it).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AccessControlInvalidAccount` (zero verifier),
    /// `EndpointTooManyVerifiers`.
    ///
    /// # Events
    /// `VerifierFeeSet`.
    pub fn set_verifier_fee(
        &mut self,
        dst_eid: u32,
        verifier: Address,
        fee: U256,
    ) -> Result<(), EndpointError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self._set_verifier_fee(dst_eid, verifier, fee)
    }

    /// Fees accrued to `account` and not withdrawn.
    pub fn accrued_fees(&self, account: Address) -> U256 {
        self.outbound.accrued(account)
    }

    /// The caller (a verifier or executor) withdraws its accrued fees to `to`; returns the
    /// amount.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (zero `to`), `EndpointTransferFailed`,
    /// `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `FeesWithdrawn`.
    pub fn withdraw_fees(&mut self, to: Address) -> Result<U256, EndpointError> {
        self.guard.enter()?;
        let r = self._withdraw_fees(to);
        self.guard.exit();
        r
    }

    /// Pauses (pauser role) or unpauses (admin) sending from `local` on this chain to `remote`
    /// on `remote_eid`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `PathPauseSet`.
    pub fn set_path_paused(
        &mut self,
        local: Address,
        remote_eid: u32,
        remote: B256,
        paused: bool,
    ) -> Result<(), EndpointError> {
        let sender = self.vm().msg_sender();
        if paused {
            self.access.only_role(PAUSER_ROLE, sender)?;
        } else {
            self.access.only_admin(sender)?;
        }
        let key = path_key(self.vm(), local, remote_eid, remote);
        self.paused_paths.setter(key).set(paused);
        self.vm().log(PathPauseSet {
            local,
            remoteEid: remote_eid,
            remote,
            paused,
        });
        Ok(())
    }
}

impl_administered!(Endpoint);
