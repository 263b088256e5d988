//! Attestations, commit, delivery and recovery.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U64};
use alloy_sol_types::SolCall;
use restake_oapp::{
    oapp::IOAppReceiver,
    packet::{bytes32_to_address, path_key, payload_hash, Header},
    protocol::{IEndpointConfig, Policy, GROUP_COMMIT, GROUP_DELIVER},
};
use restake_shared::pausable::PausableEnforcedPause;
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    storage::{StorageBool, StorageFixedBytes, StorageMap, StorageU64},
    stylus_core::calls::{errors::Error as CallError, Call},
};

use crate::contract::EndpointReceive;
use crate::{
    DeliveryFailed, EndpointConfigUnavailable, EndpointGuidMismatch, EndpointInvalidHeader,
    EndpointInvalidPayloadHash, EndpointNoReceiveConfig, EndpointNonceConsumed,
    EndpointNotContract, EndpointOutOfOrder, EndpointPathPaused, EndpointPayloadMismatch,
    EndpointQuorumNotMet, EndpointUnauthorizedDelegate, EndpointWrongDestination,
    InboundNonceSkipped, PacketBurnt, PacketCleared, PacketCommitted, PacketDelivered,
    PacketNilified, PacketVerified, ReceiveError, CONSUMED_HASH, NIL_HASH,
};

/// One inbound path (receiver, srcEid, sender).
#[storage]
pub struct InboundPath {
    /// The highest nonce `n` such that nonces `1..=n` are all consumed. Never goes down.
    nonce: StorageU64,
    /// Nonce => payload hash, [`NIL_HASH`], [`CONSUMED_HASH`] or zero. Words at or below
    /// `nonce` are zero.
    hashes: StorageMap<u64, StorageFixedBytes<32>>,
}

/// Message state.
#[storage]
pub struct Inbound {
    /// `keccak256(verifier | headerHash | payloadHash)` => attested. Set by `verify`; the
    /// configured verifiers' entries are cleared when a commit uses them.
    verified: StorageMap<B256, StorageBool>,
    /// `path_key(receiver, srcEid, sender)` => path state.
    paths: StorageMap<B256, InboundPath>,
}

/// A header checked for this endpoint, with its receiver and path key.
pub(crate) struct Local {
    /// The decoded header.
    pub header: Header,
    /// The receiver address.
    pub receiver: Address,
    /// `path_key(receiver, srcEid, sender)`.
    pub key: B256,
}

fn check_hash(h: B256) -> Result<(), ReceiveError> {
    if h.is_zero() || h == NIL_HASH || h == CONSUMED_HASH {
        return Err(ReceiveError::InvalidPayloadHash(
            EndpointInvalidPayloadHash { payloadHash: h },
        ));
    }
    Ok(())
}

fn attestation_key(
    e: &EndpointReceive,
    verifier: Address,
    header_hash: B256,
    payload_hash: B256,
) -> B256 {
    let mut buf = [0u8; 84];
    buf[..20].copy_from_slice(verifier.as_slice());
    buf[20..52].copy_from_slice(header_hash.as_slice());
    buf[52..].copy_from_slice(payload_hash.as_slice());
    e.vm().native_keccak256(&buf)
}

impl EndpointReceive {
    /// Decodes `header` and checks it is addressed to this endpoint.
    fn local(&self, header: &[u8]) -> Result<Local, ReceiveError> {
        let bad = ReceiveError::InvalidHeader(EndpointInvalidHeader {});
        let h = Header::decode(header).ok_or(bad)?;
        if h.dst_eid != self.eid.get().to::<u32>() {
            return Err(ReceiveError::WrongDestination(EndpointWrongDestination {
                dstEid: h.dst_eid,
            }));
        }
        let receiver = bytes32_to_address(h.receiver)
            .ok_or(ReceiveError::InvalidHeader(EndpointInvalidHeader {}))?;
        let key = path_key(self.vm(), receiver, h.src_eid, h.sender);
        Ok(Local {
            header: h,
            receiver,
            key,
        })
    }

    /// Reads the policy of the path into `receiver` from `sender` on `src_eid`.
    fn read_policy(
        &self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
    ) -> Result<Policy, ReceiveError> {
        let config = self.config.get();
        let data = IEndpointConfig::policyCall {
            receiver,
            srcEid: src_eid,
            sender,
        }
        .abi_encode();
        let unavailable = || ReceiveError::ConfigUnavailable(EndpointConfigUnavailable { config });
        let out = static_call(self.vm(), Call::new(), config, &data).map_err(|_| unavailable())?;
        Policy::from_return_data(&out).ok_or_else(unavailable)
    }

    /// Reads the path's policy and fails when `group` or the path is paused.
    fn policy(&self, l: &Local, group: u8) -> Result<Policy, ReceiveError> {
        let p = self.read_policy(l.receiver, l.header.src_eid, l.header.sender)?;
        let group_paused = if group == GROUP_COMMIT {
            p.commit_paused
        } else {
            p.deliver_paused
        };
        if group_paused {
            return Err(ReceiveError::EnforcedPause(PausableEnforcedPause { group }));
        }
        if p.path_paused {
            return Err(ReceiveError::PathPaused(EndpointPathPaused {
                local: l.receiver,
                remoteEid: l.header.src_eid,
                remote: l.header.sender,
            }));
        }
        Ok(p)
    }

    /// The stored word of `nonce` on path `key`.
    pub(crate) fn word(&self, key: B256, nonce: u64) -> B256 {
        self.inbound.paths.getter(key).hashes.get(nonce)
    }

    fn set_word(&mut self, key: B256, nonce: u64, word: B256) {
        self.inbound
            .paths
            .setter(key)
            .hashes
            .setter(nonce)
            .set(word);
    }

    /// The inbound nonce of path `key`.
    pub(crate) fn inbound_nonce_of(&self, key: B256) -> u64 {
        self.inbound.paths.getter(key).nonce.get().to()
    }

    /// Whether `verifier` attested `payload_hash` for the header hashing to `header_hash`.
    pub(crate) fn attested(
        &self,
        verifier: Address,
        header_hash: B256,
        payload_hash: B256,
    ) -> bool {
        let k = attestation_key(self, verifier, header_hash, payload_hash);
        self.inbound.verified.get(k)
    }

    /// Records the caller's attestation.
    pub(crate) fn _verify(
        &mut self,
        header: &[u8],
        payload_hash: B256,
    ) -> Result<(), ReceiveError> {
        check_hash(payload_hash)?;
        self.local(header)?;
        let verifier = self.vm().msg_sender();
        let header_hash = self.vm().native_keccak256(header);
        let k = attestation_key(self, verifier, header_hash, payload_hash);
        self.inbound.verified.setter(k).set(true);
        self.vm().log(PacketVerified {
            verifier,
            headerHash: header_hash,
            payloadHash: payload_hash,
        });
        Ok(())
    }

    /// Commits `payload_hash` once the receiver's quorum attested it; uses up the attestations.
    pub(crate) fn _commit(
        &mut self,
        header: &[u8],
        payload_hash: B256,
    ) -> Result<(), ReceiveError> {
        check_hash(payload_hash)?;
        let l = self.local(header)?;
        let h = l.header;
        let nonce = h.nonce;
        if nonce <= self.inbound_nonce_of(l.key) || self.word(l.key, nonce) == CONSUMED_HASH {
            return Err(ReceiveError::NonceConsumed(EndpointNonceConsumed { nonce }));
        }
        let p = self.policy(&l, GROUP_COMMIT)?;
        if p.verifiers.is_empty() {
            return Err(ReceiveError::NoReceiveConfig(EndpointNoReceiveConfig {
                receiver: l.receiver,
                srcEid: h.src_eid,
            }));
        }
        let header_hash = self.vm().native_keccak256(header);
        let required = usize::from(p.required);
        let mut required_ok = true;
        let mut optional_ok = 0usize;
        for (i, v) in p.verifiers.iter().enumerate() {
            let ok = self.attested(*v, header_hash, payload_hash);
            if i < required {
                required_ok &= ok;
            } else if ok {
                optional_ok += 1;
            }
        }
        // The configuration contract guarantees required + threshold >= 2; checking it here
        // too means a faulty configuration can never let one verifier through.
        let quorum_ok = required_ok
            && optional_ok >= usize::from(p.threshold)
            && required + usize::from(p.threshold) >= 2;
        if !quorum_ok {
            return Err(ReceiveError::QuorumNotMet(EndpointQuorumNotMet {
                headerHash: header_hash,
                payloadHash: payload_hash,
            }));
        }
        // The attestations are used up: after a nilify, committing again needs new ones.
        for v in &p.verifiers {
            let k = attestation_key(self, *v, header_hash, payload_hash);
            self.inbound.verified.delete(k);
        }
        self.set_word(l.key, nonce, payload_hash);
        self.vm().log(PacketCommitted {
            receiver: l.receiver,
            srcEid: h.src_eid,
            sender: h.sender,
            nonce,
            payloadHash: payload_hash,
        });
        Ok(())
    }

    /// Fails unless `nonce` is the path's next nonce.
    fn check_next(&self, key: B256, nonce: u64) -> Result<(), ReceiveError> {
        let expected = self.inbound_nonce_of(key).saturating_add(1);
        if nonce != expected {
            return Err(ReceiveError::OutOfOrder(EndpointOutOfOrder {
                expected,
                nonce,
            }));
        }
        Ok(())
    }

    /// Marks `nonce` consumed: at inbound nonce + 1 the inbound nonce advances over it and every
    /// consumed nonce after it (clearing their words); above that, the word becomes
    /// [`CONSUMED_HASH`].
    fn consume(&mut self, key: B256, nonce: u64) {
        let mut path = self.inbound.paths.setter(key);
        let n: u64 = path.nonce.get().to();
        if nonce != n.saturating_add(1) {
            path.hashes.setter(nonce).set(CONSUMED_HASH);
            return;
        }
        path.hashes.delete(nonce);
        let mut n = nonce;
        while let Some(next) = n.checked_add(1) {
            if path.hashes.get(next) != CONSUMED_HASH {
                break;
            }
            path.hashes.delete(next);
            n = next;
        }
        path.nonce.set(U64::from(n));
    }

    /// Delivers a committed message (guard held by the caller): the word is consumed before
    /// the receiver runs and restored if it reverts.
    pub(crate) fn _deliver(
        &mut self,
        header: &[u8],
        guid: B256,
        message: Vec<u8>,
    ) -> Result<(), ReceiveError> {
        let (l, ph) = self.check_payload(header, guid, &message)?;
        let h = l.header;
        let p = self.policy(&l, GROUP_DELIVER)?;
        if p.ordered {
            self.check_next(l.key, h.nonce)?;
        }
        if self.vm().code_size(l.receiver) == 0 {
            return Err(ReceiveError::NotContract(EndpointNotContract {
                receiver: l.receiver,
            }));
        }
        // Effects before the call: the receiver (and anything it calls) sees the nonce consumed.
        self.set_word(l.key, h.nonce, CONSUMED_HASH);
        let data = IOAppReceiver::lzReceiveCall {
            srcEid: h.src_eid,
            sender: h.sender,
            nonce: h.nonce,
            guid,
            message: message.into(),
        }
        .abi_encode();
        let ctx = Call::new_mutating(self);
        match call(self.vm(), ctx, l.receiver, &data) {
            Ok(_) => {
                self.consume(l.key, h.nonce);
                self.vm().log(PacketDelivered {
                    receiver: l.receiver,
                    srcEid: h.src_eid,
                    sender: h.sender,
                    nonce: h.nonce,
                    guid,
                });
            }
            Err(e) => {
                self.set_word(l.key, h.nonce, ph);
                let reason = match e {
                    CallError::Revert(data) => data,
                    _ => Vec::new(),
                };
                self.vm().log(DeliveryFailed {
                    receiver: l.receiver,
                    srcEid: h.src_eid,
                    sender: h.sender,
                    nonce: h.nonce,
                    reason: reason.into(),
                });
            }
        }
        Ok(())
    }

    /// Checks a packet against the committed word: the GUID is the header's and the word is
    /// `keccak256(guid | message)`. Returns the local view and the payload hash.
    fn check_payload(
        &self,
        header: &[u8],
        guid: B256,
        message: &[u8],
    ) -> Result<(Local, B256), ReceiveError> {
        let l = self.local(header)?;
        if guid != l.header.guid(self.vm()) {
            return Err(ReceiveError::GuidMismatch(EndpointGuidMismatch { guid }));
        }
        let ph = payload_hash(self.vm(), guid, message);
        let stored = self.word(l.key, l.header.nonce);
        if stored != ph {
            return Err(ReceiveError::PayloadMismatch(EndpointPayloadMismatch {
                nonce: l.header.nonce,
                stored,
            }));
        }
        Ok((l, ph))
    }

    /// Fails unless `nonce` is above the inbound nonce and holds `payload_hash`.
    fn check_word(&self, key: B256, nonce: u64, payload_hash: B256) -> Result<(), ReceiveError> {
        let stored = self.word(key, nonce);
        if stored == CONSUMED_HASH || nonce <= self.inbound_nonce_of(key) {
            return Err(ReceiveError::NonceConsumed(EndpointNonceConsumed { nonce }));
        }
        if stored != payload_hash {
            return Err(ReceiveError::PayloadMismatch(EndpointPayloadMismatch {
                nonce,
                stored,
            }));
        }
        Ok(())
    }

    /// Reads the policy of the path into `receiver` from `sender` on `src_eid` and checks that
    /// the caller is the receiver or its delegate. Returns the path key and the policy.
    pub(crate) fn only_oapp_or_delegate(
        &self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
    ) -> Result<(B256, Policy), ReceiveError> {
        let p = self.read_policy(receiver, src_eid, sender)?;
        let caller = self.vm().msg_sender();
        if caller != receiver && (p.delegate.is_zero() || caller != p.delegate) {
            return Err(ReceiveError::UnauthorizedDelegate(
                EndpointUnauthorizedDelegate {
                    caller,
                    oapp: receiver,
                },
            ));
        }
        Ok((path_key(self.vm(), receiver, src_eid, sender), p))
    }

    /// Delegate: consumes the next nonce, whatever its state.
    pub(crate) fn _skip(
        &mut self,
        key: B256,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
    ) -> Result<(), ReceiveError> {
        self.check_next(key, nonce)?;
        self.consume(key, nonce);
        self.vm().log(InboundNonceSkipped {
            receiver,
            srcEid: src_eid,
            sender,
            nonce,
        });
        Ok(())
    }

    /// Delegate: nilifies a nonce holding `payload_hash`.
    pub(crate) fn _nilify(
        &mut self,
        key: B256,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        payload_hash: B256,
    ) -> Result<(), ReceiveError> {
        self.check_word(key, nonce, payload_hash)?;
        self.set_word(key, nonce, NIL_HASH);
        self.vm().log(PacketNilified {
            receiver,
            srcEid: src_eid,
            sender,
            nonce,
            payloadHash: payload_hash,
        });
        Ok(())
    }

    /// Delegate: burns a nonce holding the non-zero `payload_hash`.
    pub(crate) fn _burn(
        &mut self,
        key: B256,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        payload_hash: B256,
    ) -> Result<(), ReceiveError> {
        if payload_hash.is_zero() {
            return Err(ReceiveError::InvalidPayloadHash(
                EndpointInvalidPayloadHash {
                    payloadHash: payload_hash,
                },
            ));
        }
        self.check_word(key, nonce, payload_hash)?;
        self.consume(key, nonce);
        self.vm().log(PacketBurnt {
            receiver,
            srcEid: src_eid,
            sender,
            nonce,
            payloadHash: payload_hash,
        });
        Ok(())
    }

    /// Delegate: consumes a committed message without delivery (the caller is checked here,
    /// once the header names the receiver).
    pub(crate) fn _clear(
        &mut self,
        header: &[u8],
        guid: B256,
        message: &[u8],
    ) -> Result<(), ReceiveError> {
        let (l, ph) = self.check_payload(header, guid, message)?;
        let h = l.header;
        let (key, p) = self.only_oapp_or_delegate(l.receiver, h.src_eid, h.sender)?;
        if p.ordered {
            self.check_next(key, h.nonce)?;
        }
        self.consume(key, h.nonce);
        self.vm().log(PacketCleared {
            receiver: l.receiver,
            srcEid: h.src_eid,
            sender: h.sender,
            nonce: h.nonce,
            payloadHash: ph,
        });
        Ok(())
    }
}
