//! Destination side: attestations, receive configurations, commit, delivery and recovery.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use restake_oapp::{
    oapp::IOAppReceiver,
    packet::{bytes32_to_address, payload_hash, Header},
};
use stylus_sdk::{
    call::call,
    prelude::*,
    storage::{
        Erase, StorageAddress, StorageBool, StorageFixedBytes, StorageMap, StorageU64, StorageU8,
        StorageVec,
    },
    stylus_core::calls::{errors::Error as CallError, Call},
};

use crate::contract::{path_key, Endpoint};
use crate::{
    DelegateSet, DeliveryFailed, EndpointError, EndpointGuidMismatch, EndpointInvalidHeader,
    EndpointInvalidPayloadHash, EndpointInvalidThreshold, EndpointInvalidVerifier,
    EndpointInvalidVerifierList, EndpointNoReceiveConfig, EndpointNonceConsumed,
    EndpointNotContract, EndpointOutOfOrder, EndpointPayloadMismatch, EndpointQuorumNotMet,
    EndpointTooFewVerifiers, EndpointUnauthorizedDelegate, EndpointWrongDestination,
    InboundNonceSkipped, PacketBurnt, PacketCleared, PacketCommitted, PacketDelivered,
    PacketNilified, PacketVerified, ReceiveConfigSet, CONSUMED_HASH, MAX_VERIFIERS, NIL_HASH,
};

/// A receiver's verifier configuration for one source endpoint.
#[storage]
pub struct ReceiveConfig {
    /// The required verifiers, then the optional ones. Invariant: no zero address, no
    /// duplicate, at most [`MAX_VERIFIERS`]; empty means "not configured" (nothing commits).
    verifiers: StorageVec<StorageAddress>,
    /// How many of `verifiers` (a prefix) are required.
    required: StorageU8,
    /// How many optional verifiers must attest. Invariant: `required + threshold >= 2`,
    /// `threshold <= optional count`, and `threshold >= 1` when there are optional verifiers.
    threshold: StorageU8,
    /// Ordered path: `deliver` and `clear` only at inbound nonce + 1.
    ordered: StorageBool,
}

/// One inbound path (receiver, srcEid, sender).
#[storage]
pub struct InboundPath {
    /// The highest nonce `n` such that nonces `1..=n` are all consumed. Never goes down.
    nonce: StorageU64,
    /// Nonce => payload hash, [`NIL_HASH`], [`CONSUMED_HASH`] or zero. Words at or below
    /// `nonce` are zero.
    hashes: StorageMap<u64, StorageFixedBytes<32>>,
}

/// Destination-side state.
#[storage]
pub struct Inbound {
    /// `keccak256(verifier | headerHash | payloadHash)` => attested. Set by `verify`; the
    /// configured verifiers' entries are cleared when a commit uses them.
    verified: StorageMap<B256, StorageBool>,
    /// `path_key(receiver, srcEid, sender)` => path state.
    paths: StorageMap<B256, InboundPath>,
    /// Receiver => source endpoint id => configuration. Changed only by the receiver or its
    /// delegate.
    configs: StorageMap<Address, StorageMap<u32, ReceiveConfig>>,
    /// OApp => its delegate (zero = none). Changed only by the OApp.
    delegates: StorageMap<Address, StorageAddress>,
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

fn check_hash(h: B256) -> Result<(), EndpointError> {
    if h.is_zero() || h == NIL_HASH || h == CONSUMED_HASH {
        return Err(EndpointError::InvalidPayloadHash(
            EndpointInvalidPayloadHash { payloadHash: h },
        ));
    }
    Ok(())
}

fn attestation_key(e: &Endpoint, verifier: Address, header_hash: B256, payload_hash: B256) -> B256 {
    let mut buf = [0u8; 84];
    buf[..20].copy_from_slice(verifier.as_slice());
    buf[20..52].copy_from_slice(header_hash.as_slice());
    buf[52..].copy_from_slice(payload_hash.as_slice());
    e.vm().native_keccak256(&buf)
}

impl Endpoint {
    /// Decodes `header` and checks it is addressed to this endpoint.
    pub(crate) fn local(&self, header: &[u8]) -> Result<Local, EndpointError> {
        let h = Header::decode(header).ok_or(EndpointError::InvalidHeader(EndpointInvalidHeader {}))?;
        if h.dst_eid != self.eid.get().to::<u32>() {
            return Err(EndpointError::WrongDestination(EndpointWrongDestination {
                dstEid: h.dst_eid,
            }));
        }
        let receiver = bytes32_to_address(h.receiver)
            .ok_or(EndpointError::InvalidHeader(EndpointInvalidHeader {}))?;
        let key = path_key(self.vm(), receiver, h.src_eid, h.sender);
        Ok(Local {
            header: h,
            receiver,
            key,
        })
    }

    /// The stored word of `nonce` on path `key`.
    pub(crate) fn word(&self, key: B256, nonce: u64) -> B256 {
        self.inbound.paths.getter(key).hashes.get(nonce)
    }

    /// The inbound nonce of path `key`.
    pub(crate) fn inbound_nonce_of(&self, key: B256) -> u64 {
        self.inbound.paths.getter(key).nonce.get().to()
    }

    /// Whether `verifier` attested `payload_hash` for the header hashing to `header_hash`.
    pub(crate) fn attested(&self, verifier: Address, header_hash: B256, payload_hash: B256) -> bool {
        let k = attestation_key(self, verifier, header_hash, payload_hash);
        self.inbound.verified.get(k)
    }

    /// The configuration of `receiver` for `src_eid`.
    pub(crate) fn receive_config_of(&self, receiver: Address, src_eid: u32) -> (Vec<Address>, Vec<Address>, u8, bool) {
        let outer = self.inbound.configs.getter(receiver);
        let cfg = outer.getter(src_eid);
        let n = cfg.verifiers.len();
        let req = usize::from(cfg.required.get().to::<u8>());
        let all: Vec<Address> = (0..n).filter_map(|i| cfg.verifiers.get(i)).collect();
        let (r, o) = all.split_at(req.min(all.len()));
        (r.to_vec(), o.to_vec(), cfg.threshold.get().to::<u8>(), cfg.ordered.get())
    }

    /// The delegate of `oapp`.
    pub(crate) fn delegate_of(&self, oapp: Address) -> Address {
        self.inbound.delegates.get(oapp)
    }

    /// Succeeds when the caller is `oapp` or its delegate.
    pub(crate) fn only_oapp_or_delegate(&self, oapp: Address) -> Result<(), EndpointError> {
        let caller = self.vm().msg_sender();
        let delegate = self.delegate_of(oapp);
        if caller == oapp || (!delegate.is_zero() && caller == delegate) {
            return Ok(());
        }
        Err(EndpointError::UnauthorizedDelegate(
            EndpointUnauthorizedDelegate { caller, oapp },
        ))
    }

    /// Names the caller's delegate.
    pub(crate) fn _set_delegate(&mut self, delegate: Address) {
        let oapp = self.vm().msg_sender();
        self.inbound.delegates.setter(oapp).set(delegate);
        self.vm().log(DelegateSet { oapp, delegate });
    }

    /// Replaces `receiver`'s configuration for `src_eid` (caller checked).
    pub(crate) fn _set_receive_config(
        &mut self,
        receiver: Address,
        src_eid: u32,
        required: Vec<Address>,
        optional: Vec<Address>,
        threshold: u8,
        ordered: bool,
    ) -> Result<(), EndpointError> {
        let total = required.len() + optional.len();
        if total > MAX_VERIFIERS {
            return Err(EndpointError::InvalidVerifierList(
                EndpointInvalidVerifierList {
                    count: U256::from(total),
                },
            ));
        }
        let all: Vec<Address> = required.iter().chain(optional.iter()).copied().collect();
        for (i, v) in all.iter().enumerate() {
            if v.is_zero() || all[..i].contains(v) {
                return Err(EndpointError::InvalidVerifier(EndpointInvalidVerifier {
                    verifier: *v,
                }));
            }
        }
        let t = usize::from(threshold);
        if t > optional.len() || (t == 0 && !optional.is_empty()) {
            return Err(EndpointError::InvalidThreshold(EndpointInvalidThreshold {
                threshold,
                optionalCount: U256::from(optional.len()),
            }));
        }
        let quorum = required.len() + t;
        if quorum < 2 {
            return Err(EndpointError::TooFewVerifiers(EndpointTooFewVerifiers {
                quorum: U256::from(quorum),
            }));
        }
        let mut outer = self.inbound.configs.setter(receiver);
        let mut cfg = outer.setter(src_eid);
        cfg.verifiers.erase();
        for v in &all {
            cfg.verifiers.push(*v);
        }
        // Both fit in a byte: at most MAX_VERIFIERS (16) verifiers.
        cfg.required.set(alloy_primitives::Uint::from(required.len() as u8));
        cfg.threshold.set(alloy_primitives::Uint::from(threshold));
        cfg.ordered.set(ordered);
        self.vm().log(ReceiveConfigSet {
            receiver,
            srcEid: src_eid,
            required,
            optional,
            threshold,
            ordered,
        });
        Ok(())
    }

    /// Records the caller's attestation.
    pub(crate) fn _verify(&mut self, header: &[u8], payload_hash: B256) -> Result<(), EndpointError> {
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
    pub(crate) fn _commit(&mut self, header: &[u8], payload_hash: B256) -> Result<(), EndpointError> {
        check_hash(payload_hash)?;
        let l = self.local(header)?;
        let h = l.header;
        self.check_path(l.key, l.receiver, h.src_eid, h.sender)?;
        let nonce = h.nonce;
        if nonce <= self.inbound_nonce_of(l.key) || self.word(l.key, nonce) == CONSUMED_HASH {
            return Err(EndpointError::NonceConsumed(EndpointNonceConsumed { nonce }));
        }
        let (required, optional, threshold, _) = self.receive_config_of(l.receiver, h.src_eid);
        if required.len() + optional.len() == 0 {
            return Err(EndpointError::NoReceiveConfig(EndpointNoReceiveConfig {
                receiver: l.receiver,
                srcEid: h.src_eid,
            }));
        }
        let header_hash = self.vm().native_keccak256(header);
        let optional_ok = optional
            .iter()
            .filter(|v| self.attested(**v, header_hash, payload_hash))
            .count();
        let required_ok = required
            .iter()
            .all(|v| self.attested(*v, header_hash, payload_hash));
        if !required_ok || optional_ok < usize::from(threshold) {
            return Err(EndpointError::QuorumNotMet(EndpointQuorumNotMet {
                headerHash: header_hash,
                payloadHash: payload_hash,
            }));
        }
        // The attestations are used up: after a nilify, committing again needs new ones.
        for v in required.iter().chain(optional.iter()) {
            let k = attestation_key(self, *v, header_hash, payload_hash);
            self.inbound.verified.delete(k);
        }
        let mut path = self.inbound.paths.setter(l.key);
        path.hashes.setter(nonce).set(payload_hash);
        self.vm().log(PacketCommitted {
            receiver: l.receiver,
            srcEid: h.src_eid,
            sender: h.sender,
            nonce,
            payloadHash: payload_hash,
        });
        Ok(())
    }

    /// Checks the ordering rule for consuming `nonce` on an ordered path.
    fn check_order(&self, receiver: Address, src_eid: u32, key: B256, nonce: u64) -> Result<(), EndpointError> {
        let ordered = self
            .inbound
            .configs
            .getter(receiver)
            .getter(src_eid)
            .ordered
            .get();
        let expected = self.inbound_nonce_of(key).saturating_add(1);
        if ordered && nonce != expected {
            return Err(EndpointError::OutOfOrder(EndpointOutOfOrder { expected, nonce }));
        }
        Ok(())
    }

    /// Marks `nonce` consumed: at inbound nonce + 1 the inbound nonce advances over it and every
    /// consumed nonce after it (clearing their words); above that, the word becomes
    /// [`CONSUMED_HASH`].
    fn consume(&mut self, key: B256, nonce: u64) {
        let mut path = self.inbound.paths.setter(key);
        let mut n: u64 = path.nonce.get().to();
        if nonce != n.saturating_add(1) {
            path.hashes.setter(nonce).set(CONSUMED_HASH);
            return;
        }
        path.hashes.delete(nonce);
        n = nonce;
        while let Some(next) = n.checked_add(1) {
            if path.hashes.get(next) != CONSUMED_HASH {
                break;
            }
            path.hashes.delete(next);
            n = next;
        }
        path.nonce.set(alloy_primitives::U64::from(n));
    }

    /// Checks a packet for delivery (or clearing): the GUID is the header's and the committed
    /// word is the payload hash. Returns the local view.
    fn check_payload(&self, header: &[u8], guid: B256, message: &[u8]) -> Result<(Local, B256), EndpointError> {
        let l = self.local(header)?;
        if guid != l.header.guid(self.vm()) {
            return Err(EndpointError::GuidMismatch(EndpointGuidMismatch { guid }));
        }
        let ph = payload_hash(self.vm(), guid, message);
        let stored = self.word(l.key, l.header.nonce);
        if stored != ph {
            return Err(EndpointError::PayloadMismatch(EndpointPayloadMismatch {
                nonce: l.header.nonce,
                stored,
            }));
        }
        self.check_order(l.receiver, l.header.src_eid, l.key, l.header.nonce)?;
        Ok((l, ph))
    }

    /// Delivers a committed message (guard held by the caller): the word is consumed before
    /// the receiver runs and restored if it reverts.
    pub(crate) fn _deliver(&mut self, header: &[u8], guid: B256, message: Vec<u8>) -> Result<(), EndpointError> {
        let (l, ph) = self.check_payload(header, guid, &message)?;
        let h = l.header;
        self.check_path(l.key, l.receiver, h.src_eid, h.sender)?;
        if self.vm().code_size(l.receiver) == 0 {
            return Err(EndpointError::NotContract(EndpointNotContract {
                receiver: l.receiver,
            }));
        }
        // Effects before the call: the receiver (and anything it calls) sees the nonce consumed.
        self.inbound
            .paths
            .setter(l.key)
            .hashes
            .setter(h.nonce)
            .set(CONSUMED_HASH);
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
                self.inbound
                    .paths
                    .setter(l.key)
                    .hashes
                    .setter(h.nonce)
                    .set(ph);
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

    /// Delegate: consumes a committed message without delivering it (the caller must be the
    /// header's receiver or its delegate).
    pub(crate) fn _clear(&mut self, header: &[u8], guid: B256, message: &[u8]) -> Result<(), EndpointError> {
        let (l, _) = self.check_payload(header, guid, message)?;
        self.only_oapp_or_delegate(l.receiver)?;
        self.consume(l.key, l.header.nonce);
        self.vm().log(PacketCleared {
            receiver: l.receiver,
            srcEid: l.header.src_eid,
            sender: l.header.sender,
            nonce: l.header.nonce,
            guid,
        });
        Ok(())
    }

    /// Delegate: consumes the next nonce, whatever its state.
    pub(crate) fn _skip(&mut self, receiver: Address, src_eid: u32, sender: B256, nonce: u64) -> Result<(), EndpointError> {
        let key = path_key(self.vm(), receiver, src_eid, sender);
        let expected = self.inbound_nonce_of(key).saturating_add(1);
        if nonce != expected {
            return Err(EndpointError::OutOfOrder(EndpointOutOfOrder { expected, nonce }));
        }
        self.consume(key, nonce);
        self.vm().log(InboundNonceSkipped {
            receiver,
            srcEid: src_eid,
            sender,
            nonce,
        });
        Ok(())
    }

    /// Delegate: checks that `nonce` holds `payload_hash` and is above the inbound nonce.
    fn check_word(&self, key: B256, nonce: u64, payload_hash: B256) -> Result<(), EndpointError> {
        if payload_hash == CONSUMED_HASH || nonce <= self.inbound_nonce_of(key) {
            return Err(EndpointError::NonceConsumed(EndpointNonceConsumed { nonce }));
        }
        let stored = self.word(key, nonce);
        if stored != payload_hash {
            return Err(EndpointError::PayloadMismatch(EndpointPayloadMismatch {
                nonce,
                stored,
            }));
        }
        Ok(())
    }

    /// Delegate: marks a nonce (empty, committed or nilified, holding `payload_hash`) not
    /// deliverable until committed again.
    pub(crate) fn _nilify(
        &mut self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        payload_hash: B256,
    ) -> Result<(), EndpointError> {
        let key = path_key(self.vm(), receiver, src_eid, sender);
        self.check_word(key, nonce, payload_hash)?;
        self.inbound
            .paths
            .setter(key)
            .hashes
            .setter(nonce)
            .set(NIL_HASH);
        self.vm().log(PacketNilified {
            receiver,
            srcEid: src_eid,
            sender,
            nonce,
            payloadHash: payload_hash,
        });
        Ok(())
    }

    /// Delegate: consumes a committed or nilified nonce holding `payload_hash` for good.
    pub(crate) fn _burn(
        &mut self,
        receiver: Address,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        payload_hash: B256,
    ) -> Result<(), EndpointError> {
        let key = path_key(self.vm(), receiver, src_eid, sender);
        if payload_hash.is_zero() {
            return Err(EndpointError::InvalidPayloadHash(
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
}
