//! The [`Endpoint`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, B256, U256};
use restake_oapp::packet::address_to_bytes32;
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
    stylus_core::Host,
};

use crate::inbound::Inbound;
use crate::outbound::Outbound;
use crate::{
    EndpointError, EndpointPathPaused, PathPauseSet, CONSUMED_HASH, GROUP_DELIVER, GROUP_SEND,
    GROUP_VERIFY,
};

/// `keccak256(local | eid | remote)`: the key of the path between the contract `local` on this
/// chain and `remote` on endpoint `eid`, for either direction.
pub(crate) fn path_key<H: Host + ?Sized>(host: &H, local: Address, eid: u32, remote: B256) -> B256 {
    let mut buf = [0u8; 56];
    buf[..20].copy_from_slice(local.as_slice());
    buf[20..24].copy_from_slice(&eid.to_be_bytes());
    buf[24..].copy_from_slice(remote.as_slice());
    host.native_keccak256(&buf)
}

/// The message endpoint.
#[entrypoint]
#[storage]
pub struct Endpoint {
    /// This endpoint's id. Set once in the constructor.
    pub(crate) eid: StorageU32,
    /// Admin and roles (pauser).
    pub(crate) access: AccessControl,
    /// Paused function groups.
    pub(crate) pausable: Pausable,
    /// Held while `send`, `deliver` or `withdrawFees` call out.
    pub(crate) guard: ReentrancyGuard,
    /// `path_key` => paused. Changed by pausers (pause) and the admin (unpause).
    pub(crate) paused_paths: StorageMap<B256, StorageBool>,
    /// Source side: fees, outbound nonces.
    pub(crate) outbound: Outbound,
    /// Destination side: attestations, configurations, committed hashes, inbound nonces.
    pub(crate) inbound: Inbound,
}

impl Endpoint {
    /// Fails when the path `key` (between `local` and `remote` on `eid`) is paused.
    pub(crate) fn check_path(&self, key: B256, local: Address, eid: u32, remote: B256) -> Result<(), EndpointError> {
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
    pub fn quote(&self, dst_eid: u32, receiver: Address, message: Bytes) -> Result<U256, EndpointError> {
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

    /// The caller (a verifier) attests `payload_hash` for `header`.
    ///
    /// # Errors
    /// `EndpointInvalidHeader`, `EndpointWrongDestination`, `EndpointInvalidPayloadHash`
    /// (zero or reserved), `PausableEnforcedPause`.
    ///
    /// # Events
    /// `PacketVerified`.
    pub fn verify(&mut self, header: Bytes, payload_hash: B256) -> Result<(), EndpointError> {
        self.pausable.when_not_paused(GROUP_VERIFY)?;
        self._verify(&header, payload_hash)
    }

    /// Anyone: commits `payload_hash` for the header's nonce once the receiver's quorum
    /// attested exactly this (header, payload hash); the attestations are used up.
    ///
    /// # Errors
    /// `EndpointInvalidHeader`, `EndpointWrongDestination`, `EndpointInvalidPayloadHash`,
    /// `EndpointNoReceiveConfig`, `EndpointQuorumNotMet`, `EndpointNonceConsumed`,
    /// `EndpointPathPaused`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `PacketCommitted`.
    pub fn commit(&mut self, header: Bytes, payload_hash: B256) -> Result<(), EndpointError> {
        self.pausable.when_not_paused(GROUP_VERIFY)?;
        self._commit(&header, payload_hash)
    }

    /// Anyone (the executor): delivers a committed message to its receiver's `lzReceive`. The
    /// committed hash is cleared before the call; if the receiver reverts it is restored (the
    /// message stays retryable) and `DeliveryFailed` is emitted instead of reverting.
    ///
    /// # Errors
    /// `EndpointInvalidHeader`, `EndpointWrongDestination`, `EndpointGuidMismatch`,
    /// `EndpointPayloadMismatch` (not committed, or another payload), `EndpointOutOfOrder`
    /// (ordered path), `EndpointNotContract`, `EndpointPathPaused`, `PausableEnforcedPause`,
    /// `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `PacketDelivered`, or `DeliveryFailed`.
    pub fn deliver(&mut self, header: Bytes, guid: B256, message: Bytes) -> Result<(), EndpointError> {
        self.pausable.when_not_paused(GROUP_DELIVER)?;
        self.guard.enter()?;
        let r = self._deliver(&header, guid, message.to_vec());
        self.guard.exit();
        r
    }

    /// The payload hash committed for the nonce: zero when none (or already consumed),
    /// `0xff..ff` when nilified.
    pub fn committed_hash(&self, receiver: Address, src_eid: u32, sender: B256, nonce: u64) -> B256 {
        let w = self.word(path_key(self.vm(), receiver, src_eid, sender), nonce);
        if w == CONSUMED_HASH {
            B256::ZERO
        } else {
            w
        }
    }

    /// The highest nonce `n` such that nonces `1..=n` of the path are all consumed.
    pub fn inbound_nonce(&self, receiver: Address, src_eid: u32, sender: B256) -> u64 {
        self.inbound_nonce_of(path_key(self.vm(), receiver, src_eid, sender))
    }

    /// Whether the nonce was delivered, cleared, skipped or burnt (nonce 0 counts as
    /// consumed: it never exists).
    pub fn is_consumed(&self, receiver: Address, src_eid: u32, sender: B256, nonce: u64) -> bool {
        let key = path_key(self.vm(), receiver, src_eid, sender);
        nonce <= self.inbound_nonce_of(key) || self.word(key, nonce) == CONSUMED_HASH
    }

    /// Whether `verifier` attested `payload_hash` for the header hashing to `header_hash` (and
    /// no commit has used the attestation up).
    pub fn is_verified(&self, verifier: Address, header_hash: B256, payload_hash: B256) -> bool {
        self.attested(verifier, header_hash, payload_hash)
    }

    /// The caller (a receiver) configures its verifiers for messages from `src_eid`, keeping
    /// its ordering option.
    ///
    /// # Errors
    /// `EndpointTooFewVerifiers` (the quorum `required + threshold` is below two),
    /// `EndpointInvalidVerifier` (zero or duplicate), `EndpointInvalidThreshold`,
    /// `EndpointInvalidVerifierList` (over the maximum).
    ///
    /// # Events
    /// `ReceiveConfigSet`.
    pub fn set_receive_config(
        &mut self,
        src_eid: u32,
        required: Vec<Address>,
        optional: Vec<Address>,
        threshold: u8,
    ) -> Result<(), EndpointError> {
        let receiver = self.vm().msg_sender();
        let (_, _, _, ordered) = self.receive_config_of(receiver, src_eid);
        self._set_receive_config(receiver, src_eid, required, optional, threshold, ordered)
    }

    /// The receiver or its delegate configures the receiver's verifiers and ordering for
    /// messages from `src_eid`.
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, and those of `setReceiveConfig`.
    ///
    /// # Events
    /// `ReceiveConfigSet`.
    pub fn set_receive_config_for(
        &mut self,
        receiver: Address,
        src_eid: u32,
        required: Vec<Address>,
        optional: Vec<Address>,
        threshold: u8,
        ordered: bool,
    ) -> Result<(), EndpointError> {
        self.only_oapp_or_delegate(receiver)?;
        self._set_receive_config(receiver, src_eid, required, optional, threshold, ordered)
    }

    /// `receiver`'s configuration for `src_eid`: required verifiers, optional verifiers,
    /// threshold, ordered.
    pub fn receive_config(&self, receiver: Address, src_eid: u32) -> (Vec<Address>, Vec<Address>, u8, bool) {
        self.receive_config_of(receiver, src_eid)
    }

    /// The caller names `delegate` to configure and recover its paths (zero removes it).
    ///
    /// # Events
    /// `DelegateSet`.
    pub fn set_delegate(&mut self, delegate: Address) {
        self._set_delegate(delegate)
    }

    /// The delegate of `oapp`.
    pub fn delegates(&self, oapp: Address) -> Address {
        self.delegate_of(oapp)
    }

    /// Receiver or delegate: consumes the path's next nonce without delivery.
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, `EndpointOutOfOrder` (not the next nonce).
    ///
    /// # Events
    /// `InboundNonceSkipped`.
    pub fn skip(&mut self, receiver: Address, src_eid: u32, sender: B256, nonce: u64) -> Result<(), EndpointError> {
        self.only_oapp_or_delegate(receiver)?;
        self._skip(receiver, src_eid, sender, nonce)
    }

    /// Receiver or delegate: consumes a committed message without delivering it (the receiver
    /// handled it by other means).
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, `EndpointInvalidHeader`, `EndpointWrongDestination`,
    /// `EndpointGuidMismatch`, `EndpointPayloadMismatch`, `EndpointOutOfOrder`.
    ///
    /// # Events
    /// `PacketCleared`.
    pub fn clear(&mut self, header: Bytes, guid: B256, message: Bytes) -> Result<(), EndpointError> {
        self._clear(&header, guid, &message)
    }

    /// Receiver or delegate: makes a nonce above the inbound nonce that holds `payload_hash`
    /// (zero when nothing is committed) undeliverable until the quorum commits it again.
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, `EndpointNonceConsumed`, `EndpointPayloadMismatch`.
    ///
    /// # Events
    /// `PacketNilified`.
    pub fn nilify(
        &mut self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        payload_hash: B256,
    ) -> Result<(), EndpointError> {
        self.only_oapp_or_delegate(receiver)?;
        self._nilify(receiver, src_eid, sender, nonce, payload_hash)
    }

    /// Receiver or delegate: consumes for good a nonce holding `payload_hash` (committed or
    /// nilified).
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, `EndpointInvalidPayloadHash` (zero),
    /// `EndpointNonceConsumed`, `EndpointPayloadMismatch`.
    ///
    /// # Events
    /// `PacketBurnt`.
    pub fn burn(
        &mut self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        payload_hash: B256,
    ) -> Result<(), EndpointError> {
        self.only_oapp_or_delegate(receiver)?;
        self._burn(receiver, src_eid, sender, nonce, payload_hash)
    }

    /// Admin: sets the verifiers paid for messages to `dst_eid`, their fees, the executor and
    /// its fee. A zero executor (with a zero fee) disables the destination.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `EndpointInvalidVerifierList` (lengths differ or
    /// over the maximum), `EndpointInvalidVerifier` (zero), `AccessControlInvalidAccount` (zero
    /// executor with a fee).
    ///
    /// # Events
    /// `DstConfigSet`.
    pub fn set_dst_config(
        &mut self,
        dst_eid: u32,
        verifiers: Vec<Address>,
        fees: Vec<U256>,
        executor: Address,
        executor_fee: U256,
    ) -> Result<(), EndpointError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self._set_dst_config(dst_eid, verifiers, fees, executor, executor_fee)
    }

    /// Verifiers, their fees, the executor and its fee for `dst_eid`.
    pub fn dst_config(&self, dst_eid: u32) -> (Vec<Address>, Vec<U256>, Address, U256) {
        self.outbound.dst_config(dst_eid)
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

    /// Pauses (pauser role) or unpauses (admin) the path between `local` on this chain and
    /// `remote` on `remote_eid`, in both directions (send; commit and deliver).
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

    /// Whether the path between `local` and `remote` on `remote_eid` is paused.
    pub fn path_paused(&self, local: Address, remote_eid: u32, remote: B256) -> bool {
        self.paused_paths.get(path_key(self.vm(), local, remote_eid, remote))
    }
}

impl_administered!(Endpoint);
