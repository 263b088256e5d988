//! Property tests of invariants 13, 14 and 15 of the reference design over random call
//! sequences on in-process chains running the real endpoint contracts, each step checked
//! against a small reference model:
//!
//! - 13: outbound nonces go up by exactly 1 per path (several senders, destinations and
//!   receivers; failed sends, including paused paths, change no nonce);
//! - 14: a replayed (or cleared, burnt, skipped) message reverts and changes nothing;
//! - 15: a message runs only from a configured source path with its receiver's verifier
//!   quorum; sub-quorum attestations, attestations of another payload hash, forged headers
//!   (wrong source eid, sender, nonce, receiver) and a zero payload hash never deliver.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::{
    cell::RefCell,
    collections::{HashMap, HashSet},
    rc::Rc,
};

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use common::*;
use proptest::prelude::*;
use restake_endpoint as ep;
use restake_endpoint_receive as rcv;
use restake_shared::pausable;

const S1: Address = address!("0000000000000000000000000000000000005e01");
const S2: Address = address!("0000000000000000000000000000000000005e02");
const S3: Address = address!("0000000000000000000000000000000000005e03");
const R1: Address = address!("000000000000000000000000000000000000ec01");
const R2: Address = address!("000000000000000000000000000000000000ec02");
const R3: Address = address!("000000000000000000000000000000000000ec03");
/// A third chain that no receiver on B is configured for.
const EID_C: u32 = 303;
/// A destination no endpoint is priced for.
const EID_NONE: u32 = 999;

// ================================================================ invariant 13

/// One step of a random run on the source side.
#[derive(Clone, Debug)]
enum SendOp {
    /// `senders[s]` sends to `dsts[d]`, `receivers[r]`; `len` message bytes (a value at or
    /// above `MAX_MESSAGE_LEN` stands for an oversized one); `pay` 0 exact, 1 one wei short,
    /// 2 overpaid.
    Send {
        s: u8,
        d: u8,
        r: u8,
        len: u16,
        pay: u8,
    },
    /// The pauser pauses (or the admin unpauses) one path.
    PausePath { s: u8, d: u8, r: u8, paused: bool },
    /// The pauser pauses (or the admin unpauses) all sending.
    PauseAll(bool),
}

fn send_op() -> impl Strategy<Value = SendOp> {
    prop_oneof![
        12 => (
            0u8..3,
            prop_oneof![9 => 0u8..2, 1 => Just(2u8)],
            prop_oneof![9 => 0u8..2, 1 => Just(2u8)],
            prop_oneof![19 => 0u16..48, 1 => Just(u16::MAX)],
            prop_oneof![9 => prop_oneof![Just(0u8), Just(2u8)], 1 => Just(1u8)],
        )
            .prop_map(|(s, d, r, len, pay)| SendOp::Send { s, d, r, len, pay }),
        2 => (0u8..3, 0u8..3, 0u8..3, prop::bool::weighted(0.4))
            .prop_map(|(s, d, r, paused)| SendOp::PausePath { s, d, r, paused }),
        1 => prop::bool::weighted(0.3).prop_map(SendOp::PauseAll),
    ]
}

const SENDERS: [Address; 3] = [S1, S2, S3];
const DSTS: [u32; 3] = [EID_B, EID_C, EID_NONE];
const RECEIVERS: [Address; 3] = [R1, R2, Address::ZERO];

fn outbound(a: &Side, sender: Address, dst: u32, receiver: Address) -> u64 {
    a.chain
        .get(
            ENDPOINT,
            &IEndpoint::outboundNonceCall {
                sender,
                dstEid: dst,
                receiver,
            },
        )
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Invariant 13: after every step, each of the 27 (sender, destination, receiver) paths'
    /// outbound nonce equals the model's count of successful sends on it; each successful send
    /// returns (and emits a packet with) exactly the previous nonce + 1 and a GUID derived
    /// from its header; a send the model expects to fail (unsupported destination, zero
    /// receiver, oversized message, fee short by one wei, paused path, global pause) fails and
    /// emits no packet.
    #[test]
    fn outbound_nonces_go_up_by_one_per_path(ops in proptest::collection::vec(send_op(), 1..60)) {
        let a = Side::new(1001, EID_A);
        a.price(EID_B);
        a.price(EID_C);
        let mut sent: HashMap<(Address, u32, Address), u64> = HashMap::new();
        let mut paused: HashSet<(Address, u32, Address)> = HashSet::new();
        let mut all_paused = false;
        let (mut ok_sends, mut failed_sends) = (0u32, 0u32);
        for op in ops {
            match op {
                SendOp::Send { s, d, r, len, pay } => {
                    let (sender, dst, receiver) =
                        (SENDERS[s as usize], DSTS[d as usize], RECEIVERS[r as usize]);
                    let oversized = usize::from(len) >= ep::MAX_MESSAGE_LEN;
                    let len = if oversized { ep::MAX_MESSAGE_LEN + 1 } else { usize::from(len) };
                    let message: Vec<u8> = (0..len).map(|i| (i as u8) ^ s).collect();
                    // The fee of a supported destination does not depend on the message.
                    let fee = U256::from(2 * VERIFIER_FEE + EXECUTOR_FEE);
                    let value = match pay {
                        0 => fee,
                        1 => fee - U256::from(1),
                        _ => fee + U256::from(12_345),
                    };
                    let path = (sender, dst, receiver);
                    let expect_ok = dst != EID_NONE
                        && !receiver.is_zero()
                        && !oversized
                        && pay != 1
                        && !all_paused
                        && !paused.contains(&path);
                    let before = sent.get(&path).copied().unwrap_or(0);
                    a.chain.fund(sender, value);
                    let since = a.chain.log_count();
                    let r = a.chain.send(
                        sender,
                        ENDPOINT,
                        &IEndpoint::sendCall {
                            dstEid: dst,
                            receiver,
                            message: Bytes::from(message.clone()),
                            refundTo: sender,
                        },
                        value,
                    );
                    let emitted = packets(&a.chain.logs_since(since));
                    prop_assert_eq!(r.is_ok(), expect_ok, "send {:?} {:?}", path, r.as_ref().err().map(alloy_primitives::hex::encode));
                    match r {
                        Ok(ret) => {
                            ok_sends += 1;
                            prop_assert_eq!(ret.nonce, before + 1, "nonce not previous + 1");
                            prop_assert_eq!(emitted.len(), 1);
                            let p = &emitted[0];
                            prop_assert_eq!(p.nonce(), before + 1);
                            prop_assert_eq!(p.sender(), b32(sender));
                            prop_assert_eq!(p.receiver(), receiver);
                            prop_assert_eq!(&p.header[45..49], &dst.to_be_bytes());
                            prop_assert_eq!(p.guid, ret.guid);
                            prop_assert_eq!(ret.guid, keccak256(&p.header[1..]));
                            prop_assert_eq!(&p.message, &message);
                            sent.insert(path, before + 1);
                        }
                        Err(data) => {
                            failed_sends += 1;
                            prop_assert!(emitted.is_empty(), "a failed send emitted a packet");
                            if all_paused {
                                prop_assert_eq!(data.get(..4), Some(<pausable::PausableEnforcedPause as alloy_sol_types::SolError>::SELECTOR.as_slice()));
                            }
                        }
                    }
                }
                SendOp::PausePath { s, d, r, paused: p } => {
                    let path = (SENDERS[s as usize], DSTS[d as usize], RECEIVERS[r as usize]);
                    let who = if p { PAUSER } else { ADMIN };
                    a.chain
                        .send(
                            who,
                            ENDPOINT,
                            &IEndpoint::setPathPausedCall {
                                local: path.0,
                                remoteEid: path.1,
                                remote: b32(path.2),
                                paused: p,
                            },
                            U256::ZERO,
                        )
                        .unwrap();
                    if p {
                        paused.insert(path);
                    } else {
                        paused.remove(&path);
                    }
                }
                SendOp::PauseAll(p) => {
                    // Pausing twice (or unpausing an unpaused group) is refused; only real
                    // transitions are attempted.
                    if p != all_paused {
                        let r = if p {
                            a.chain.send(PAUSER, ENDPOINT, &IAdmin::pauseCall { group: ep::GROUP_SEND }, U256::ZERO).map(drop)
                        } else {
                            a.chain.send(ADMIN, ENDPOINT, &IAdmin::unpauseCall { group: ep::GROUP_SEND }, U256::ZERO).map(drop)
                        };
                        r.unwrap();
                        all_paused = p;
                    }
                }
            }
            // Every path, after every step.
            for sender in SENDERS {
                for dst in DSTS {
                    for receiver in RECEIVERS {
                        let want = sent.get(&(sender, dst, receiver)).copied().unwrap_or(0);
                        prop_assert_eq!(outbound(&a, sender, dst, receiver), want, "path {} {} {}", sender, dst, receiver);
                    }
                }
            }
        }
        // The sequences do exercise both outcomes overall (not asserted per case: a short
        // sequence may hold only pauses).
        let _ = (ok_sends, failed_sends);
    }
}

// ================================================================ invariants 14 and 15

/// A receiver on chain B with its verifier configuration for messages from chain A.
struct Rcv {
    addr: Address,
    required: Vec<Address>,
    optional: Vec<Address>,
    threshold: usize,
    ordered: bool,
    fake: Rc<RefCell<FakeReceiver>>,
}

impl Rcv {
    fn verifiers(&self) -> impl Iterator<Item = &Address> {
        self.required.iter().chain(self.optional.iter())
    }

    /// Whether the verifiers for which `ok` holds form this receiver's quorum.
    fn quorum(&self, ok: impl Fn(Address) -> bool) -> bool {
        self.required.iter().all(|v| ok(*v))
            && self.optional.iter().filter(|v| ok(**v)).count() >= self.threshold
    }
}

/// What a fake receiver records: (src eid, sender, nonce, guid, message).
type Received = (u32, B256, u64, B256, Vec<u8>);

/// A receiver's configuration: (address, required, optional, threshold, ordered).
type Spec = (Address, Vec<Address>, Vec<Address>, usize, bool);

/// (receiver, source eid, sender).
type Path = (Address, u32, B256);

/// The reference model's view of one nonce's word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Committed(B256),
    Nil,
    Consumed,
}

/// The destination side as the reference model sees it.
#[derive(Default)]
struct Model {
    /// (path, nonce) => word; absent = nothing committed.
    words: HashMap<(Path, u64), Word>,
    /// Attestations: (verifier, header hash, payload hash).
    attested: HashSet<(Address, B256, B256)>,
    /// Messages each receiver has run, in order: (src eid, sender, nonce, guid, message).
    delivered: HashMap<Address, Vec<Received>>,
}

impl Model {
    fn word(&self, path: Path, nonce: u64) -> Option<Word> {
        self.words.get(&(path, nonce)).copied()
    }

    fn consumed(&self, path: Path, nonce: u64) -> bool {
        self.word(path, nonce) == Some(Word::Consumed)
    }

    /// The highest `n` with `1..=n` all consumed.
    fn inbound(&self, path: Path) -> u64 {
        let mut n = 0;
        while self.consumed(path, n + 1) {
            n += 1;
        }
        n
    }

    fn consume(&mut self, path: Path, nonce: u64) {
        self.words.insert((path, nonce), Word::Consumed);
    }

    /// What `committedHash` must return.
    fn committed_view(&self, path: Path, nonce: u64) -> B256 {
        match self.word(path, nonce) {
            Some(Word::Committed(h)) => h,
            Some(Word::Nil) => rcv::NIL_HASH,
            Some(Word::Consumed) | None => B256::ZERO,
        }
    }
}

fn path_of(p: &Packet) -> Path {
    (p.receiver(), p.src_eid(), p.sender())
}

/// Message sources: (side index 0 = A / 1 = C, sender).
const SOURCES: [(usize, Address); 3] = [(0, S1), (0, S2), (1, S1)];
/// Candidate verifier sets an attacker may control: each is below every receiver's quorum
/// (checked at the start of each case).
const COMPROMISED: [&[Address]; 7] = [&[V1], &[V2], &[V3], &[V4], &[V1, V4], &[V2, V4], &[V3, V4]];
/// Attesters of genuine packets: the four verifiers and an unconfigured account.
const ATTESTERS: [Address; 5] = [V1, V2, V3, V4, EVE];

/// One step of a random run on the destination side. Packet indices are taken modulo the
/// number of packets sent so far.
#[derive(Clone, Debug)]
enum RecvOp {
    /// `SOURCES[src]` sends `msg` to receiver `r`.
    Send { src: u8, r: u8, msg: Vec<u8> },
    /// The attesters in `mask` (bits over `ATTESTERS`) attest a genuine packet.
    Attest { pkt: u16, mask: u8 },
    /// The executor commits a genuine packet.
    Commit { pkt: u16 },
    /// The executor delivers a genuine packet.
    Deliver { pkt: u16 },
    /// A consumed packet is attested by its whole quorum, committed and delivered again.
    Replay { pkt: u16 },
    /// The attacker forges a variant of a packet (`kind`), attests it with the compromised
    /// verifiers and EVE, commits and delivers it.
    Forge { pkt: u16, kind: u8, salt: u64 },
    /// The receiver's delegate clears (0), burns (1), nilifies (2) or skips (3) a packet.
    Recover { pkt: u16, kind: u8 },
    /// Receiver `r` starts (or stops) reverting.
    Flaky { r: u8, fail: bool },
    /// The honest relayer: all four verifiers (and EVE if `mask` says so) attest a genuine
    /// packet, then it is committed and delivered (each as its own checked step).
    Relay { pkt: u16, mask: u8 },
}

fn recv_op() -> impl Strategy<Value = RecvOp> {
    prop_oneof![
        4 => (0u8..3, 0u8..3, proptest::collection::vec(any::<u8>(), 0..24))
            .prop_map(|(src, r, msg)| RecvOp::Send { src, r, msg }),
        5 => (any::<u16>(), 1u8..32).prop_map(|(pkt, mask)| RecvOp::Attest { pkt, mask }),
        3 => any::<u16>().prop_map(|pkt| RecvOp::Commit { pkt }),
        3 => any::<u16>().prop_map(|pkt| RecvOp::Deliver { pkt }),
        2 => any::<u16>().prop_map(|pkt| RecvOp::Replay { pkt }),
        4 => (any::<u16>(), 0u8..9, any::<u64>())
            .prop_map(|(pkt, kind, salt)| RecvOp::Forge { pkt, kind, salt }),
        2 => (any::<u16>(), 0u8..4).prop_map(|(pkt, kind)| RecvOp::Recover { pkt, kind }),
        1 => (0u8..3, prop::bool::weighted(0.3)).prop_map(|(r, fail)| RecvOp::Flaky { r, fail }),
        4 => (any::<u16>(), 0u8..32).prop_map(|(pkt, mask)| RecvOp::Relay { pkt, mask }),
    ]
}

/// Chains A and C sending to chain B, three receivers on B configured for chain A only.
struct World {
    srcs: [Side; 2],
    b: Side,
    rcvs: Vec<Rcv>,
}

fn world() -> World {
    let a = Side::new(1001, EID_A);
    let c = Side::new(3003, EID_C);
    let b = Side::new(2002, EID_B);
    a.price(EID_B);
    c.price(EID_B);
    let specs: [Spec; 3] = [
        (R1, vec![V1, V2], vec![], 0, false),
        (R2, vec![V1], vec![V2, V3, V4], 2, true),
        (R3, vec![], vec![V1, V2, V3], 2, false),
    ];
    let rcvs = specs
        .into_iter()
        .map(|(addr, required, optional, threshold, ordered)| {
            let fake = FakeReceiver::install(&b.chain, addr);
            b.chain
                .send(
                    addr,
                    CONFIG,
                    &IEndpointConfig::setReceiveConfigForCall {
                        receiver: addr,
                        srcEid: EID_A,
                        required: required.clone(),
                        optional: optional.clone(),
                        threshold: threshold as u8,
                        ordered,
                    },
                    U256::ZERO,
                )
                .unwrap();
            b.chain
                .send(
                    addr,
                    CONFIG,
                    &IEndpointConfig::setDelegateCall { delegate: ALICE },
                    U256::ZERO,
                )
                .unwrap();
            Rcv {
                addr,
                required,
                optional,
                threshold,
                ordered,
                fake,
            }
        })
        .collect();
    World {
        srcs: [a, c],
        b,
        rcvs,
    }
}

impl World {
    fn rcv(&self, addr: Address) -> Option<&Rcv> {
        self.rcvs.iter().find(|r| r.addr == addr)
    }

    fn verify(&self, who: Address, header: &[u8], ph: B256) -> Result<(), Vec<u8>> {
        self.b
            .chain
            .send(
                who,
                RECEIVE,
                &IEndpointReceive::verifyCall {
                    header: header.to_vec().into(),
                    payloadHash: ph,
                },
                U256::ZERO,
            )
            .map(drop)
    }

    fn commit_raw(&self, header: &[u8], ph: B256) -> Result<(), Vec<u8>> {
        self.b
            .chain
            .send(
                EVE,
                RECEIVE,
                &IEndpointReceive::commitCall {
                    header: header.to_vec().into(),
                    payloadHash: ph,
                },
                U256::ZERO,
            )
            .map(drop)
    }

    fn deliver_raw(&self, header: &[u8], guid: B256, message: &[u8]) -> Result<(), Vec<u8>> {
        self.b
            .chain
            .send(
                EVE,
                RECEIVE,
                &IEndpointReceive::deliverCall {
                    header: header.to_vec().into(),
                    guid,
                    message: message.to_vec().into(),
                },
                U256::ZERO,
            )
            .map(drop)
    }

    fn inbound(&self, path: Path) -> u64 {
        self.b
            .chain
            .get(
                RECEIVE,
                &IEndpointReceive::inboundNonceCall {
                    receiver: path.0,
                    srcEid: path.1,
                    sender: path.2,
                },
            )
            .unwrap()
    }

    fn committed(&self, path: Path, nonce: u64) -> B256 {
        self.b
            .chain
            .get(
                RECEIVE,
                &IEndpointReceive::committedHashCall {
                    receiver: path.0,
                    srcEid: path.1,
                    sender: path.2,
                    nonce,
                },
            )
            .unwrap()
    }

    fn is_consumed(&self, path: Path, nonce: u64) -> bool {
        self.b
            .chain
            .get(
                RECEIVE,
                &IEndpointReceive::isConsumedCall {
                    receiver: path.0,
                    srcEid: path.1,
                    sender: path.2,
                    nonce,
                },
            )
            .unwrap()
    }

    fn received(&self) -> Vec<usize> {
        self.rcvs
            .iter()
            .map(|r| r.fake.borrow().received.len())
            .collect()
    }
}

/// What must hold of one delivery attempt that the model says cannot deliver: it reverts, no
/// receiver ran, and the path's inbound nonce and the nonce's committed hash are unchanged.
fn assert_no_delivery(
    w: &World,
    r: Result<(), Vec<u8>>,
    path: Path,
    nonce: u64,
    before: (Vec<usize>, u64, B256),
    what: &str,
) -> Result<(), TestCaseError> {
    prop_assert!(r.is_err(), "{} was delivered", what);
    prop_assert_eq!(w.received(), before.0, "{}: a receiver ran", what);
    prop_assert_eq!(w.inbound(path), before.1, "{}: inbound nonce moved", what);
    prop_assert_eq!(
        w.committed(path, nonce),
        before.2,
        "{}: committed hash changed",
        what
    );
    Ok(())
}

/// The state of one random run on the destination side.
struct Run {
    w: World,
    m: Model,
    /// Genuine packets sent so far.
    pkts: Vec<Packet>,
    /// Their paths.
    paths: HashSet<Path>,
    /// Commits ok, deliveries ok, replays, forgeries, recoveries ok, failed deliveries.
    stats: [u32; 6],
    /// The compromised verifiers.
    bad: &'static [Address],
}

/// Runs one step and checks its outcome against the model.
fn step(run: &mut Run, op: RecvOp) -> Result<(), TestCaseError> {
    let Run {
        w,
        m,
        pkts,
        paths,
        stats,
        bad,
    } = run;
    match op {
        RecvOp::Send { src, r, msg } => {
            let (side, sender) = SOURCES[src as usize];
            let src_side = &w.srcs[side];
            src_side.send_msg(sender, EID_B, w.rcvs[r as usize].addr, &msg);
            let p = last_packet(src_side);
            paths.insert(path_of(&p));
            pkts.push(p);
        }
        RecvOp::Attest { pkt, mask } => {
            let Some(p) = pick(pkts, pkt) else {
                return Ok(());
            };
            for (i, v) in ATTESTERS.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    // Attesting is open to anyone and never paused.
                    w.verify(*v, &p.header, p.payload_hash()).unwrap();
                    m.attested.insert((*v, p.header_hash(), p.payload_hash()));
                }
            }
        }
        RecvOp::Commit { pkt } => {
            let Some(p) = pick(pkts, pkt) else {
                return Ok(());
            };
            let path = path_of(&p);
            let (hh, ph) = (p.header_hash(), p.payload_hash());
            let rc = w.rcv(p.receiver()).unwrap();
            let quorum = rc.quorum(|v| m.attested.contains(&(v, hh, ph)));
            let expect = p.src_eid() == EID_A && !m.consumed(path, p.nonce()) && quorum;
            let r = w.commit_raw(&p.header, ph);
            prop_assert_eq!(
                r.is_ok(),
                expect,
                "commit of {:?}: {:?}",
                path,
                r.as_ref().err().map(alloy_primitives::hex::encode)
            );
            if r.is_ok() {
                stats[0] += 1;
                // Invariant 15: a commit always had the configured quorum.
                prop_assert!(quorum && p.src_eid() == EID_A);
                for v in rc.verifiers() {
                    m.attested.remove(&(*v, hh, ph));
                }
                m.words.insert((path, p.nonce()), Word::Committed(ph));
            }
        }
        RecvOp::Deliver { pkt } => {
            let Some(p) = pick(pkts, pkt) else {
                return Ok(());
            };
            let path = path_of(&p);
            let rc = w.rcv(p.receiver()).unwrap();
            let committed = m.word(path, p.nonce()) == Some(Word::Committed(p.payload_hash()));
            let in_order = !rc.ordered || p.nonce() == m.inbound(path) + 1;
            let before = (w.received(), w.inbound(path), w.committed(path, p.nonce()));
            let since = w.b.chain.log_count();
            let r = w.deliver_raw(&p.header, p.guid, &p.message);
            if !(committed && in_order) {
                // Invariant 14 when the nonce is consumed; 15 when it was never
                // committed with a quorum.
                assert_no_delivery(
                    w,
                    r,
                    path,
                    p.nonce(),
                    before,
                    "an uncommitted, consumed or out-of-order message",
                )?;
                return Ok(());
            }
            prop_assert!(
                r.is_ok(),
                "delivery refused: {:?}",
                r.err().map(alloy_primitives::hex::encode)
            );
            let (ok, failed) = delivered_events(&w.b, since);
            if rc.fake.borrow().behaviour == Behaviour::Revert {
                // A failing receiver leaves the message committed and retryable.
                prop_assert_eq!((ok, failed), (0, 1));
                stats[5] += 1;
            } else {
                prop_assert_eq!((ok, failed), (1, 0));
                stats[1] += 1;
                m.consume(path, p.nonce());
                m.delivered.entry(p.receiver()).or_default().push((
                    p.src_eid(),
                    p.sender(),
                    p.nonce(),
                    p.guid,
                    p.message.clone(),
                ));
            }
        }
        RecvOp::Replay { pkt } => {
            // Pick among packets whose nonce is consumed (delivered, cleared, burnt or
            // skipped).
            let done: Vec<Packet> = pkts
                .iter()
                .filter(|p| m.consumed(path_of(p), p.nonce()))
                .cloned()
                .collect();
            let Some(p) = pick(&done, pkt) else {
                return Ok(());
            };
            stats[2] += 1;
            let path = path_of(&p);
            let rc = w.rcv(p.receiver()).unwrap();
            let before = (w.received(), w.inbound(path), w.committed(path, p.nonce()));
            for v in rc.verifiers() {
                w.verify(*v, &p.header, p.payload_hash()).unwrap();
                m.attested.insert((*v, p.header_hash(), p.payload_hash()));
            }
            let c = w.commit_raw(&p.header, p.payload_hash());
            prop_assert!(c.is_err(), "a consumed nonce was committed again");
            let r = w.deliver_raw(&p.header, p.guid, &p.message);
            assert_no_delivery(w, r, path, p.nonce(), before, "a replay")?;
        }
        RecvOp::Forge { pkt, kind, salt } => {
            let Some(p) = pick(pkts, pkt) else {
                return Ok(());
            };
            let Some((header, guid, message, ph)) = forge(&p, kind, salt) else {
                return Ok(());
            };
            if ph.is_zero() || ph == rcv::NIL_HASH || ph == rcv::CONSUMED_HASH {
                // A zero or reserved hash is refused outright, even from the quorum.
                for v in ATTESTERS {
                    assert_err::<rcv::EndpointInvalidPayloadHash, _>(w.verify(v, &header, ph));
                }
                assert_err::<rcv::EndpointInvalidPayloadHash, _>(w.commit_raw(&header, ph));
                stats[3] += 1;
                return Ok(());
            }
            // A forgery that happens to be a genuine packet is not one.
            if pkts
                .iter()
                .any(|g| g.header == header && g.payload_hash() == ph)
            {
                return Ok(());
            }
            stats[3] += 1;
            let hh = keccak256(&header);
            for v in bad.iter().chain([&EVE]) {
                if w.verify(*v, &header, ph).is_ok() {
                    m.attested.insert((*v, hh, ph));
                }
            }
            let c = w.commit_raw(&header, ph);
            prop_assert!(c.is_err(), "forgery {} committed", kind);
            let f = Packet {
                header: header.clone(),
                guid,
                message: message.clone(),
            };
            if f.header.len() == p.header.len() && kind != 7 {
                let fpath = path_of(&f);
                let before = (
                    w.received(),
                    w.inbound(fpath),
                    w.committed(fpath, f.nonce()),
                );
                let r = w.deliver_raw(&header, guid, &message);
                assert_no_delivery(w, r, fpath, f.nonce(), before, "a forgery")?;
            }
        }
        RecvOp::Recover { pkt, kind } => {
            let Some(p) = pick(pkts, pkt) else {
                return Ok(());
            };
            let path = path_of(&p);
            let (n, ph) = (p.nonce(), p.payload_hash());
            let ordered = w.rcv(p.receiver()).unwrap().ordered && p.src_eid() == EID_A;
            let committed = m.word(path, n) == Some(Word::Committed(ph));
            let next = n == m.inbound(path) + 1;
            let (r, expect) = match kind {
                0 => (
                    w.b.chain
                        .send(
                            ALICE,
                            RECEIVE,
                            &IEndpointReceive::clearCall {
                                header: p.header.clone().into(),
                                guid: p.guid,
                                message: p.message.clone().into(),
                            },
                            U256::ZERO,
                        )
                        .map(drop),
                    committed && (!ordered || next),
                ),
                1 => (
                    w.b.chain
                        .send(
                            ALICE,
                            RECEIVE,
                            &IEndpointReceive::burnCall {
                                receiver: path.0,
                                srcEid: path.1,
                                sender: path.2,
                                nonce: n,
                                payloadHash: ph,
                            },
                            U256::ZERO,
                        )
                        .map(drop),
                    committed,
                ),
                2 => (
                    w.b.chain
                        .send(
                            ALICE,
                            RECEIVE,
                            &IEndpointReceive::nilifyCall {
                                receiver: path.0,
                                srcEid: path.1,
                                sender: path.2,
                                nonce: n,
                                payloadHash: ph,
                            },
                            U256::ZERO,
                        )
                        .map(drop),
                    committed,
                ),
                _ => (
                    w.b.chain
                        .send(
                            ALICE,
                            RECEIVE,
                            &IEndpointReceive::skipCall {
                                receiver: path.0,
                                srcEid: path.1,
                                sender: path.2,
                                nonce: n,
                            },
                            U256::ZERO,
                        )
                        .map(drop),
                    next,
                ),
            };
            prop_assert_eq!(
                r.is_ok(),
                expect,
                "recovery {} of {:?} nonce {}",
                kind,
                path,
                n
            );
            if expect {
                stats[4] += 1;
                if kind == 2 {
                    m.words.insert((path, n), Word::Nil);
                } else {
                    m.consume(path, n);
                }
            }
        }
        RecvOp::Relay { .. } => unreachable!("expanded by the caller"),
        RecvOp::Flaky { r, fail } => {
            w.rcvs[r as usize].fake.borrow_mut().behaviour = if fail {
                Behaviour::Revert
            } else {
                Behaviour::Accept
            };
        }
    }
    Ok(())
}

/// After every step: receivers ran exactly the model's messages; every known path and nonce
/// reads as the model says.
fn check(run: &Run) -> Result<(), TestCaseError> {
    let Run {
        w, m, pkts, paths, ..
    } = run;
    // After every step: receivers ran exactly the model's messages; every known path
    // and nonce reads as the model says.
    for rc in &w.rcvs {
        let want = m.delivered.get(&rc.addr).cloned().unwrap_or_default();
        prop_assert_eq!(
            &rc.fake.borrow().received,
            &want,
            "receiver {} ran other messages",
            rc.addr
        );
    }
    for path in paths.iter() {
        prop_assert_eq!(
            w.inbound(*path),
            m.inbound(*path),
            "inbound nonce of {:?}",
            path
        );
    }
    for p in pkts.iter() {
        let path = path_of(p);
        prop_assert_eq!(
            w.committed(path, p.nonce()),
            m.committed_view(path, p.nonce()),
            "committed hash of {:?} {}",
            path,
            p.nonce()
        );
        prop_assert_eq!(
            w.is_consumed(path, p.nonce()),
            m.consumed(path, p.nonce()) || p.nonce() <= m.inbound(path)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Invariants 14 and 15 over random interleavings of sends from two chains and two senders
    /// to three receivers with different quorums (one ordered), attestations by random verifier
    /// subsets (and an unconfigured account), commits, deliveries, replays, forgeries by a
    /// below-quorum set of compromised verifiers, delegate recoveries and failing receivers.
    /// Every commit and delivery must succeed exactly when the model says so; after every step
    /// each receiver has run exactly the model's messages and every path's inbound nonce,
    /// committed hashes and consumed flags equal the model's.
    #[test]
    fn only_quorum_attested_messages_run_and_only_once(
        compromised in 0usize..COMPROMISED.len(),
        ops in proptest::collection::vec(recv_op(), 10..70),
    ) {
        let w = world();
        let bad = COMPROMISED[compromised];
        for r in &w.rcvs {
            prop_assert!(!r.quorum(|v| bad.contains(&v)), "compromised set meets a quorum");
        }
        let mut run = Run { w, m: Model::default(), pkts: Vec::new(), paths: HashSet::new(), stats: [0; 6], bad };
        for op in ops {
            if let RecvOp::Relay { pkt, mask } = op {
                // The honest relayer: the quorum (and more) attests, then commit and deliver.
                for op in [RecvOp::Attest { pkt, mask: mask | 0b1111 }, RecvOp::Commit { pkt }, RecvOp::Deliver { pkt }] {
                    step(&mut run, op)?;
                    check(&run)?;
                }
            } else {
                step(&mut run, op)?;
                check(&run)?;
            }
        }
        // Invariant 15 in its plainest form: everything that ran came from chain A (the only
        // configured source) and is a genuine packet.
        let Run { w, pkts, stats, .. } = &run;
        for rc in &w.rcvs {
            for got in &rc.fake.borrow().received {
                prop_assert_eq!(got.0, EID_A);
                prop_assert!(pkts.iter().any(|p| p.guid == got.3 && p.message == got.4 && p.receiver() == rc.addr));
            }
        }
        let _ = stats;
    }
}

/// Element `i` of `v`, biased to the newest: half the indices pick among the last three.
fn pick<T: Clone>(v: &[T], i: u16) -> Option<T> {
    pick_index(v.len(), i).map(|at| v[at].clone())
}

/// The index [`pick`] takes among `n` elements.
fn pick_index(n: usize, i: u16) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let i = usize::from(i);
    Some(if i % 2 == 0 {
        n - 1 - (i / 2) % n.min(3)
    } else {
        (i / 2) % n
    })
}

/// A variant of `p`: (header, guid, message, payload hash). Header forgeries carry the GUID
/// derived from the forged header (the strongest forgery: deliverable if it were committed).
fn forge(p: &Packet, kind: u8, salt: u64) -> Option<(Vec<u8>, B256, Vec<u8>, B256)> {
    let mut header = p.header.clone();
    let mut message = p.message.clone();
    let mut explicit_hash = None;
    match kind {
        // Wrong source eid: chain C (not configured) or any other.
        0 => {
            let eid = if salt.is_multiple_of(2) {
                if p.src_eid() == EID_A {
                    EID_C
                } else {
                    EID_A
                }
            } else {
                (salt >> 8) as u32 | 1
            };
            if eid == p.src_eid() {
                return None;
            }
            header[9..13].copy_from_slice(&eid.to_be_bytes());
        }
        // Wrong sender: another sender (maybe a real one) or a random word.
        1 => {
            let s = match salt % 3 {
                0 => b32(S1),
                1 => b32(S2),
                _ => keccak256(salt.to_be_bytes()),
            };
            if s == p.sender() {
                return None;
            }
            header[13..45].copy_from_slice(s.as_slice());
        }
        // Another nonce on the same path.
        2 => {
            let n = p.nonce() + 1 + salt % 3;
            header[1..9].copy_from_slice(&n.to_be_bytes());
        }
        // Another receiver.
        3 => {
            let to = [R1, R2, R3][(salt % 3) as usize];
            if to == p.receiver() {
                return None;
            }
            header[61..81].copy_from_slice(to.as_slice());
        }
        // A tampered message with the genuine header.
        4 => {
            if message.is_empty() || salt.is_multiple_of(2) {
                message.push(salt as u8);
            } else {
                let i = (salt >> 8) as usize % message.len();
                message[i] ^= 1 << (salt % 8);
            }
        }
        // A random payload hash for the genuine header (no delivery attempt follows).
        7 => explicit_hash = Some(keccak256(salt.to_le_bytes())),
        // A zero or reserved payload hash.
        8 => {
            explicit_hash = Some(match salt % 3 {
                0 => B256::ZERO,
                1 => rcv::NIL_HASH,
                _ => rcv::CONSUMED_HASH,
            })
        }
        // Kinds 5 and 6: a tampered GUID with the genuine message.
        _ => {
            let mut guid = p.guid;
            guid.0[(salt % 32) as usize] ^= 1 << (salt % 8);
            let ph = keccak256([guid.as_slice(), &message].concat());
            return Some((header, guid, message, ph));
        }
    }
    let guid = if header == p.header {
        p.guid
    } else {
        keccak256(&header[1..])
    };
    let ph = explicit_hash.unwrap_or_else(|| keccak256([guid.as_slice(), &message].concat()));
    Some((header, guid, message, ph))
}

// ================================================================ invariant 15, registered peer

alloy_sol_types::sol! {
    interface IRemote {
        function latestState() external view returns (uint64, uint64, uint256, uint256, uint256, uint64, bool);
        function setPeer(uint32 eid, address peer) external;
    }
}

/// The registered home peer (an account on chains A and C alike; trusted on A only).
const HOME: Address = address!("00000000000000000000000000000000005c0001");
/// The real StakeSyncRemote on chain B.
const REMOTE: Address = address!("00000000000000000000000000000000005c0002");

/// Message sources for the peer property: the peer on A, another sender on A, the peer's
/// address on C (an unregistered source eid).
const PEER_SOURCES: [(usize, Address); 3] = [(0, HOME), (0, EVE), (1, HOME)];

/// One step of the peer property: `src` sends a state with the next sequence; or packet `pkt`
/// is relayed with the full quorum (`full`) or by one verifier only.
#[derive(Clone, Debug)]
enum PeerOp {
    Send { src: u8 },
    Relay { pkt: u16, full: bool, one: bool },
}

fn peer_op() -> impl Strategy<Value = PeerOp> {
    prop_oneof![
        (0u8..3).prop_map(|src| PeerOp::Send { src }),
        (any::<u16>(), prop::bool::weighted(0.8), any::<bool>())
            .prop_map(|(pkt, full, one)| PeerOp::Relay { pkt, full, one }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Invariant 15 at the application: the real StakeSyncRemote trusts HOME on chain A; its
    /// endpoint configuration accepts chain A and chain C (both with the V1 + V2 quorum), so
    /// the endpoint itself delivers from any sender there and the peer check is the OApp's.
    /// Over random sends from the peer, from another sender on A and from the peer's address
    /// on C, relayed in random order by the full quorum or by one verifier: the remote's state
    /// changes only by a quorum-relayed message from the peer on A with a newer sequence;
    /// every other delivery fails inside the receiver (`OAppUntrustedPeer` or a stale
    /// sequence), leaving the state unchanged and the message committed.
    #[test]
    fn only_the_registered_peer_with_the_quorum_moves_the_remote(
        ops in proptest::collection::vec(peer_op(), 5..40),
    ) {
        use alloy_sol_types::{SolError, SolEvent, SolValue};
        let a = Side::new(1001, EID_A);
        let c = Side::new(3003, EID_C);
        let b = Side::new(2002, EID_B);
        a.price(EID_B);
        c.price(EID_B);
        b.chain
            .deploy::<restake_stake_sync_remote::StakeSyncRemote>(REMOTE, ADMIN, (ADMIN, RECEIVE, CONFIG).abi_encode_params())
            .unwrap();
        b.chain.send(ADMIN, REMOTE, &IRemote::setPeerCall { eid: EID_A, peer: HOME }, U256::ZERO).unwrap();
        for src in [EID_A, EID_C] {
            b.chain
                .send(ADMIN, CONFIG, &IEndpointConfig::setReceiveConfigForCall {
                    receiver: REMOTE, srcEid: src, required: vec![V1, V2], optional: vec![], threshold: 0, ordered: false,
                }, U256::ZERO)
                .unwrap();
        }
        let srcs = [&a, &c];
        let latest = || b.chain.get(REMOTE, &IRemote::latestStateCall {}).unwrap()._0;
        let mut pkts: Vec<(Packet, u64, bool)> = Vec::new(); // packet, sequence, from the peer on A
        let mut seq = 0u64;
        let mut model_latest = 0u64;
        // Verifiers that attested each packet since its last commit (attestations accumulate:
        // one verifier now and the other later make a quorum).
        let mut att: HashMap<usize, HashSet<Address>> = HashMap::new();
        for op in ops {
            match op {
                PeerOp::Send { src } => {
                    let (side, sender) = PEER_SOURCES[src as usize];
                    seq += 1;
                    let state = restake_oapp::stake_state::StakeState {
                        sequence: seq,
                        timestamp: srcs[side].chain.now(),
                        rate: eth(1),
                        total_assets: eth(100),
                        supply: eth(100),
                        slash_epoch: 0,
                        pending_slash: false,
                    };
                    srcs[side].send_msg(sender, EID_B, REMOTE, &state.encode());
                    pkts.push((last_packet(srcs[side]), seq, src == 0));
                }
                PeerOp::Relay { pkt, full, one } => {
                    let Some(i) = pick_index(pkts.len(), pkt) else { continue };
                    let (p, s, from_peer) = pkts[i].clone();
                    let verifiers: &[Address] = if full { &[V1, V2] } else if one { &[V1] } else { &[V2] };
                    attest(&b, &p, verifiers);
                    let seen = att.entry(i).or_default();
                    seen.extend(verifiers.iter().copied());
                    let quorum = seen.contains(&V1) && seen.contains(&V2);
                    let consumed = b.chain.get(RECEIVE, &IEndpointReceive::isConsumedCall {
                        receiver: REMOTE, srcEid: p.src_eid(), sender: p.sender(), nonce: p.nonce(),
                    }).unwrap();
                    let committed = commit(&b, &p);
                    prop_assert_eq!(committed.is_ok(), quorum && !consumed, "commit with {:?}", seen);
                    if committed.is_ok() {
                        seen.clear();
                    }
                    let before = latest();
                    let since = b.chain.log_count();
                    let r = deliver(&b, &p);
                    let (ok, failed) = delivered_events(&b, since);
                    let accept = from_peer && s > model_latest;
                    if quorum && !consumed {
                        prop_assert!(r.is_ok());
                        prop_assert_eq!((ok, failed), (usize::from(accept), usize::from(!accept)));
                        if accept {
                            model_latest = s;
                        } else {
                            // Still committed: retryable (by a fixed receiver), never run.
                            prop_assert_eq!(
                                b.chain.get(RECEIVE, &IEndpointReceive::committedHashCall {
                                    receiver: REMOTE, srcEid: p.src_eid(), sender: p.sender(), nonce: p.nonce(),
                                }).unwrap(),
                                p.payload_hash()
                            );
                            if !from_peer {
                                let log = b.chain.logs_since(since).into_iter()
                                    .find(|l| l.topics[0] == rcv::DeliveryFailed::SIGNATURE_HASH).unwrap();
                                let ev = rcv::DeliveryFailed::decode_raw_log(log.topics.iter().copied(), &log.data).unwrap();
                                prop_assert_eq!(ev.reason.get(..4), Some(restake_oapp::oapp::OAppUntrustedPeer::SELECTOR.as_slice()));
                            }
                        }
                    } else if !consumed {
                        // Below the quorum: nothing committed, nothing to deliver. (A message
                        // committed by an earlier full relay stays deliverable, as it should.)
                        let was_committed = b.chain.get(RECEIVE, &IEndpointReceive::committedHashCall {
                            receiver: REMOTE, srcEid: p.src_eid(), sender: p.sender(), nonce: p.nonce(),
                        }).unwrap() == p.payload_hash();
                        if !was_committed {
                            prop_assert!(r.is_err());
                            prop_assert_eq!((ok, failed), (0, 0));
                        } else if accept && r.is_ok() && ok == 1 {
                            model_latest = s;
                        }
                    } else {
                        prop_assert!(r.is_err(), "a consumed message was delivered again");
                    }
                    if before != model_latest {
                        prop_assert!(from_peer, "a message from another sender or chain moved the remote");
                    }
                    prop_assert_eq!(latest(), model_latest);
                }
            }
        }
    }
}
