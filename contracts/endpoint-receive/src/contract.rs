//! The [`EndpointReceive`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, B256};
use restake_oapp::packet::path_key;
use restake_shared::{access::AccessControlInvalidAccount, reentrancy::ReentrancyGuard};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageU32},
};

use crate::inbound::Inbound;
use crate::{ReceiveError, CONSUMED_HASH};

/// The message endpoint, destination side: message state.
#[entrypoint]
#[storage]
pub struct EndpointReceive {
    /// This endpoint's id. Set once in the constructor.
    pub(crate) eid: StorageU32,
    /// The `EndpointConfig` holding the policy. Set once in the constructor; non-zero.
    pub(crate) config: StorageAddress,
    /// Held while `deliver` calls the receiver.
    pub(crate) guard: ReentrancyGuard,
    /// Attestations, committed hashes, inbound nonces.
    pub(crate) inbound: Inbound,
}

#[public]
impl EndpointReceive {
    /// Sets this endpoint's id and its configuration contract.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` for a zero `config`.
    #[constructor]
    pub fn constructor(&mut self, eid: u32, config: Address) -> Result<(), ReceiveError> {
        if config.is_zero() {
            return Err(ReceiveError::InvalidAccount(AccessControlInvalidAccount {
                account: config,
            }));
        }
        self.eid.set(alloy_primitives::Uint::from(eid));
        self.config.set(config);
        Ok(())
    }

    /// This endpoint's id.
    pub fn eid(&self) -> u32 {
        self.eid.get().to()
    }

    /// The configuration contract.
    pub fn config(&self) -> Address {
        self.config.get()
    }

    /// The caller (a verifier) attests `payload_hash` for `header`. Never paused: an
    /// attestation alone changes nothing deliverable.
    ///
    /// # Errors
    /// `EndpointInvalidHeader`, `EndpointWrongDestination`, `EndpointInvalidPayloadHash`
    /// (zero or reserved).
    ///
    /// # Events
    /// `PacketVerified`.
    pub fn verify(&mut self, header: Bytes, payload_hash: B256) -> Result<(), ReceiveError> {
        self._verify(&header, payload_hash)
    }

    /// Anyone: commits `payload_hash` for the header's nonce once the receiver's quorum
    /// attested exactly this (header, payload hash); the attestations are used up.
    ///
    /// # Errors
    /// `EndpointInvalidHeader`, `EndpointWrongDestination`, `EndpointInvalidPayloadHash`,
    /// `EndpointNoReceiveConfig`, `EndpointQuorumNotMet`, `EndpointNonceConsumed`,
    /// `EndpointPathPaused`, `PausableEnforcedPause`, `EndpointConfigUnavailable`.
    ///
    /// # Events
    /// `PacketCommitted`.
    pub fn commit(&mut self, header: Bytes, payload_hash: B256) -> Result<(), ReceiveError> {
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
    /// `EndpointConfigUnavailable`, `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `PacketDelivered`, or `DeliveryFailed`.
    pub fn deliver(
        &mut self,
        header: Bytes,
        guid: B256,
        message: Bytes,
    ) -> Result<(), ReceiveError> {
        self.guard.enter()?;
        let r = self._deliver(&header, guid, message.to_vec());
        self.guard.exit();
        r
    }

    /// The payload hash committed for the nonce: zero when none (or already consumed),
    /// `0xff..ff` when nilified.
    pub fn committed_hash(
        &self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
    ) -> B256 {
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

    /// Receiver or its delegate (named in the configuration contract): consumes the path's
    /// next nonce without delivery.
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, `EndpointOutOfOrder` (not the next nonce),
    /// `EndpointConfigUnavailable`.
    ///
    /// # Events
    /// `InboundNonceSkipped`.
    pub fn skip(
        &mut self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
    ) -> Result<(), ReceiveError> {
        let key = self.only_oapp_or_delegate(receiver, src_eid, sender)?.0;
        self._skip(key, receiver, src_eid, sender, nonce)
    }

    /// Receiver or delegate: consumes a committed message without delivering it (the receiver
    /// handled it by other means); on an ordered path only the next nonce.
    ///
    /// # Errors
    /// `EndpointInvalidHeader`, `EndpointWrongDestination`, `EndpointGuidMismatch`,
    /// `EndpointPayloadMismatch`, `EndpointOutOfOrder`, `EndpointUnauthorizedDelegate`,
    /// `EndpointConfigUnavailable`.
    ///
    /// # Events
    /// `PacketCleared`.
    pub fn clear(&mut self, header: Bytes, guid: B256, message: Bytes) -> Result<(), ReceiveError> {
        self._clear(&header, guid, &message)
    }

    /// Receiver or delegate: makes a nonce above the inbound nonce that holds `payload_hash`
    /// (zero when nothing is committed) undeliverable until the quorum commits it again.
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, `EndpointNonceConsumed`, `EndpointPayloadMismatch`,
    /// `EndpointConfigUnavailable`.
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
    ) -> Result<(), ReceiveError> {
        let key = self.only_oapp_or_delegate(receiver, src_eid, sender)?.0;
        self._nilify(key, receiver, src_eid, sender, nonce, payload_hash)
    }

    /// Receiver or delegate: consumes for good a nonce holding `payload_hash` (committed or
    /// nilified).
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, `EndpointInvalidPayloadHash` (zero),
    /// `EndpointNonceConsumed`, `EndpointPayloadMismatch`, `EndpointConfigUnavailable`.
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
    ) -> Result<(), ReceiveError> {
        let key = self.only_oapp_or_delegate(receiver, src_eid, sender)?.0;
        self._burn(key, receiver, src_eid, sender, nonce, payload_hash)
    }
}
