//! Adversarial messages against the endpoint: at least 10,000 mutated packets (forged header
//! fields, tampered payloads and GUIDs, zero and reserved hashes, a single compromised
//! verifier, unconfigured attesters, replays, out-of-order nonces on an ordered path), each
//! pushed as far as an attacker controlling one of the two required verifiers and the executor
//! can push it. None may reach a receiver; honest packets relayed in between must arrive
//! exactly once.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use alloy_primitives::{address, keccak256, Address, B256, U256};
use common::*;

const UNORDERED: Address = address!("000000000000000000000000000000000000ec01");
const ORDERED: Address = address!("000000000000000000000000000000000000ec02");
const SENDER: Address = address!("0000000000000000000000000000000000005e01");

/// xorshift64*: a small deterministic generator (the run is reproducible from the seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The attacker's moves for one forged packet: attest it with the compromised verifier V1 and
/// with unconfigured accounts, commit it, deliver it. Returns whether any step that would let
/// it through succeeded (commit or an actual delivery).
fn push_forgery(
    b: &Side,
    header: Vec<u8>,
    guid: B256,
    message: Vec<u8>,
    payload_hash: B256,
) -> bool {
    use alloy_sol_types::SolCall;
    let c = &b.chain;
    for v in [V1, EVE, ALICE] {
        let _ = c.call(
            v,
            RECEIVE,
            IEndpointReceive::verifyCall {
                header: header.clone().into(),
                payloadHash: payload_hash,
            }
            .abi_encode(),
            U256::ZERO,
        );
    }
    let committed = c
        .call(
            EVE,
            RECEIVE,
            IEndpointReceive::commitCall {
                header: header.clone().into(),
                payloadHash: payload_hash,
            }
            .abi_encode(),
            U256::ZERO,
        )
        .is_ok();
    let since = c.log_count();
    let _ = c.call(
        EVE,
        RECEIVE,
        IEndpointReceive::deliverCall {
            header: header.into(),
            guid,
            message: message.into(),
        }
        .abi_encode(),
        U256::ZERO,
    );
    let delivered = delivered_events(b, since).0 > 0;
    committed || delivered
}

#[test]
fn ten_thousand_mutated_messages_are_all_refused() {
    let a = Side::new(1001, EID_A);
    let b = Side::new(2002, EID_B);
    a.price(EID_B);
    let unordered = FakeReceiver::install(&b.chain, UNORDERED);
    let ordered = FakeReceiver::install(&b.chain, ORDERED);
    b.require_two(UNORDERED, EID_A);
    b.chain
        .send(
            ORDERED,
            CONFIG,
            &IEndpointConfig::setReceiveConfigForCall {
                receiver: ORDERED,
                srcEid: EID_A,
                required: vec![V1, V2],
                optional: vec![],
                threshold: 0,
                ordered: true,
            },
            U256::ZERO,
        )
        .unwrap();

    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut genuine: Vec<Packet> = Vec::new();
    let mut delivered: Vec<Packet> = Vec::new();
    // Index of the next genuine packet to relay, per receiver (honest relaying is in order).
    let mut done = 0usize;
    let mut attempts = 0u32;
    let mut accepted = 0u32;
    let mut kinds = [0u32; 12];

    while attempts < 10_000 {
        // Now and then the honest side sends and relays a message.
        if genuine.is_empty() || rng.below(8) == 0 {
            let to = if rng.below(2) == 0 {
                UNORDERED
            } else {
                ORDERED
            };
            let len = rng.below(64) as usize;
            let msg: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            a.send_msg(SENDER, EID_B, to, &msg);
            genuine.push(last_packet(&a));
        }
        if rng.below(4) == 0 {
            // Relay the oldest undelivered genuine packet honestly (in order, so the ordered
            // path accepts it).
            if done < genuine.len() {
                let p = genuine[done].clone();
                relay(&b, &p).unwrap();
                delivered.push(p);
                done += 1;
            }
        }
        let pick = rng.below(genuine.len() as u64) as usize;
        let p = genuine[pick].clone();
        let is_delivered = pick < done;
        let kind = rng.below(12) as usize;
        kinds[kind] += 1;
        let mut header = p.header.clone();
        let mut guid = p.guid;
        let mut message = p.message.clone();
        let mut hash = None;
        match kind {
            // A forged header field: nonce, srcEid, sender, dstEid or receiver.
            0 => header[1 + rng.below(8) as usize] ^= 1 << rng.below(8),
            1 => header[9 + rng.below(4) as usize] ^= 1 << rng.below(8),
            2 => header[13 + rng.below(32) as usize] ^= 1 << rng.below(8),
            3 => header[45 + rng.below(4) as usize] ^= 1 << rng.below(8),
            4 => {
                // Another receiver on this chain (the other fake), or a dirty high byte.
                if rng.below(2) == 0 {
                    let other = if p.receiver() == UNORDERED {
                        ORDERED
                    } else {
                        UNORDERED
                    };
                    header[61..81].copy_from_slice(other.as_slice());
                } else {
                    header[49 + rng.below(12) as usize] = 1;
                }
            }
            // A wrong version or length.
            5 => {
                if rng.below(2) == 0 {
                    header[0] = rng.below(255) as u8 + 2;
                } else if rng.below(2) == 0 {
                    header.push(0);
                } else {
                    header.pop();
                }
            }
            // A tampered message (flip, append, truncate).
            6 => {
                if message.is_empty() || rng.below(3) == 0 {
                    message.push(rng.next() as u8);
                } else if rng.below(2) == 0 {
                    message.pop();
                } else {
                    let i = rng.below(message.len() as u64) as usize;
                    message[i] ^= 1 << rng.below(8);
                }
            }
            // A tampered GUID.
            7 => guid.0[rng.below(32) as usize] ^= 1 << rng.below(8),
            // Zero or reserved payload hash, or a random one.
            8 => {
                hash = Some(match rng.below(4) {
                    0 => B256::ZERO,
                    1 => restake_endpoint_receive::NIL_HASH,
                    2 => restake_endpoint_receive::CONSUMED_HASH,
                    _ => keccak256(rng.next().to_be_bytes()),
                })
            }
            // The genuine packet attested by one verifier only (V1 or V2).
            9 => {
                if !is_delivered {
                    let one = if rng.below(2) == 0 { V1 } else { V2 };
                    attest(&b, &p, &[one]);
                    let ok = commit(&b, &p).is_ok();
                    // V1 alone may already have attested honestly in an earlier round; the
                    // commit must still need V2's attestation of this very round.
                    let since = b.chain.log_count();
                    let _ = deliver(&b, &p);
                    attempts += 1;
                    if ok || delivered_events(&b, since).0 > 0 {
                        accepted += 1;
                    }
                    continue;
                }
            }
            // A replay of a delivered packet (attested again by the quorum itself).
            10 => {
                if let Some(d) = delivered
                    .get(rng.below(delivered.len().max(1) as u64) as usize)
                    .cloned()
                {
                    attest(&b, &d, &[V1, V2]);
                    let ok = commit(&b, &d).is_ok();
                    let since = b.chain.log_count();
                    let _ = deliver(&b, &d);
                    attempts += 1;
                    if ok || delivered_events(&b, since).0 > 0 {
                        accepted += 1;
                    }
                    continue;
                }
            }
            // Out of order on the ordered path: the quorum attests and commits a later
            // nonce; delivering it before its predecessors must fail.
            _ => {
                let next_undelivered = genuine[done..]
                    .iter()
                    .filter(|g| g.receiver() == ORDERED)
                    .nth(1)
                    .cloned();
                if let Some(later) = next_undelivered {
                    attest(&b, &later, &[V1, V2]);
                    let _ = commit(&b, &later);
                    let since = b.chain.log_count();
                    let _ = deliver(&b, &later);
                    attempts += 1;
                    if delivered_events(&b, since).0 > 0 {
                        accepted += 1;
                    }
                    continue;
                }
            }
        }
        let ph = hash.unwrap_or_else(|| keccak256([guid.as_slice(), &message].concat()));
        let unchanged =
            header == p.header && guid == p.guid && message == p.message && hash.is_none();
        if unchanged {
            continue; // a mutation kind that did not apply this round
        }
        attempts += 1;
        if push_forgery(&b, header, guid, message, ph) {
            accepted += 1;
        }
    }

    assert_eq!(accepted, 0, "forged messages accepted");
    assert!(attempts >= 10_000);
    // Every receiver got exactly the honestly relayed packets, each once, in relay order.
    for (fake, addr) in [(&unordered, UNORDERED), (&ordered, ORDERED)] {
        let got: Vec<(u64, Vec<u8>)> = fake
            .borrow()
            .received
            .iter()
            .map(|m| (m.2, m.4.clone()))
            .collect();
        let want: Vec<(u64, Vec<u8>)> = delivered
            .iter()
            .filter(|p| p.receiver() == addr)
            .map(|p| (p.nonce(), p.message.clone()))
            .collect();
        assert_eq!(got, want);
    }
    eprintln!("adversarial: {attempts} mutated messages, 0 accepted; kinds {kinds:?}; {} genuine, {} relayed", genuine.len(), delivered.len());
}
