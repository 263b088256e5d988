//! The endpoint contracts (Endpoint, EndpointConfig, EndpointReceive) on two in-process chains:
//! every function's happy path and error paths.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use common::*;
use restake_endpoint as ep;
use restake_endpoint_config as cfg;
use restake_endpoint_receive as rcv;
use restake_shared::{access, pausable, reentrancy};

const RECEIVER: Address = address!("000000000000000000000000000000000000ec01");
const SENDER: Address = address!("0000000000000000000000000000000000005e01");

fn setup() -> (Side, Side, std::rc::Rc<std::cell::RefCell<FakeReceiver>>) {
    let a = Side::new(1001, EID_A);
    let b = Side::new(2002, EID_B);
    a.price(EID_B);
    let r = FakeReceiver::install(&b.chain, RECEIVER);
    b.require_two(RECEIVER, EID_A);
    (a, b, r)
}

fn send(a: &Side, msg: &[u8]) -> Packet {
    a.send_msg(SENDER, EID_B, RECEIVER, msg);
    last_packet(a)
}

// ---------------------------------------------------------------- source side

#[test]
fn send_emits_the_packet_and_counts_nonces_per_path() {
    let (a, _, _) = setup();
    let (g1, n1) = a.send_msg(SENDER, EID_B, RECEIVER, b"one");
    let p1 = last_packet(&a);
    let (_, n2) = a.send_msg(SENDER, EID_B, RECEIVER, b"two");
    let (_, other) = a.send_msg(SENDER, EID_B, BOB, b"x");
    let (_, other_sender) = a.send_msg(ALICE, EID_B, RECEIVER, b"y");
    assert_eq!((n1, n2, other, other_sender), (1, 2, 1, 1));
    assert_eq!(p1.guid, g1);
    assert_eq!(p1.nonce(), 1);
    assert_eq!(p1.src_eid(), EID_A);
    assert_eq!(p1.sender(), b32(SENDER));
    assert_eq!(p1.receiver(), RECEIVER);
    assert_eq!(&p1.header[45..49], &EID_B.to_be_bytes());
    assert_eq!(p1.message, b"one");
    // guid = keccak256(nonce | srcEid | sender | dstEid | receiver)
    assert_eq!(g1, keccak256(&p1.header[1..]));
    let n = a
        .chain
        .get(
            ENDPOINT,
            &IEndpoint::outboundNonceCall {
                sender: SENDER,
                dstEid: EID_B,
                receiver: RECEIVER,
            },
        )
        .unwrap();
    assert_eq!(n, 2);
    // The indexed fields of PacketSent.
    let log = a
        .chain
        .logs()
        .into_iter()
        .rfind(|l| l.topics[0] == ep::PacketSent::SIGNATURE_HASH)
        .unwrap();
    assert_eq!(log.topics[1], b32(ALICE));
    assert_eq!(log.topics[2], B256::from(U256::from(EID_B)));
}

#[test]
fn fees_are_quoted_charged_refunded_and_withdrawable() {
    let (a, _, _) = setup();
    let fee = a
        .chain
        .get(
            ENDPOINT,
            &IEndpoint::quoteCall {
                dstEid: EID_B,
                receiver: RECEIVER,
                message: Bytes::new(),
            },
        )
        .unwrap();
    assert_eq!(fee, U256::from(2 * VERIFIER_FEE + EXECUTOR_FEE));
    a.chain.fund(SENDER, U256::from(100_000));
    let call = IEndpoint::sendCall {
        dstEid: EID_B,
        receiver: RECEIVER,
        message: Bytes::new(),
        refundTo: BOB,
    };
    assert_err::<ep::EndpointInsufficientFee, _>(a.chain.send(
        SENDER,
        ENDPOINT,
        &call,
        fee - U256::from(1),
    ));
    a.chain
        .send(SENDER, ENDPOINT, &call, U256::from(100_000))
        .unwrap();
    assert_eq!(
        a.chain.balance(BOB),
        U256::from(100_000) - fee,
        "excess refunded"
    );
    assert_eq!(a.chain.balance(ENDPOINT), fee);
    for (who, amount) in [
        (V1, VERIFIER_FEE),
        (V2, VERIFIER_FEE),
        (EXECUTOR, EXECUTOR_FEE),
    ] {
        assert_eq!(
            a.chain
                .get(ENDPOINT, &IEndpoint::accruedFeesCall { account: who })
                .unwrap(),
            U256::from(amount)
        );
    }
    assert_err::<access::AccessControlInvalidAccount, _>(a.chain.send(
        V1,
        ENDPOINT,
        &IEndpoint::withdrawFeesCall { to: Address::ZERO },
        U256::ZERO,
    ));
    let got = a
        .chain
        .send(
            V1,
            ENDPOINT,
            &IEndpoint::withdrawFeesCall { to: ALICE },
            U256::ZERO,
        )
        .unwrap();
    assert_eq!(got, U256::from(VERIFIER_FEE));
    assert_eq!(a.chain.balance(ALICE), U256::from(VERIFIER_FEE));
    assert_eq!(
        a.chain
            .get(ENDPOINT, &IEndpoint::accruedFeesCall { account: V1 })
            .unwrap(),
        U256::ZERO
    );
    // A second withdrawal pays nothing.
    assert_eq!(
        a.chain
            .send(
                V1,
                ENDPOINT,
                &IEndpoint::withdrawFeesCall { to: ALICE },
                U256::ZERO
            )
            .unwrap(),
        U256::ZERO
    );
    assert_eq!(a.chain.balance(ENDPOINT), fee - U256::from(VERIFIER_FEE));
}

#[test]
fn send_rejects_bad_inputs() {
    let (a, _, _) = setup();
    a.chain.fund(SENDER, eth(1));
    let send = |dst: u32, to: Address, msg: Vec<u8>, refund: Address, value: u64| {
        a.chain.send(
            SENDER,
            ENDPOINT,
            &IEndpoint::sendCall {
                dstEid: dst,
                receiver: to,
                message: msg.into(),
                refundTo: refund,
            },
            U256::from(value),
        )
    };
    assert_err::<ep::EndpointUnsupportedEid, _>(send(999, RECEIVER, vec![], SENDER, 10_000));
    assert_err::<ep::EndpointMessageTooLarge, _>(send(
        EID_B,
        RECEIVER,
        vec![0; ep::MAX_MESSAGE_LEN + 1],
        SENDER,
        10_000,
    ));
    assert_err::<access::AccessControlInvalidAccount, _>(send(
        EID_B,
        Address::ZERO,
        vec![],
        SENDER,
        10_000,
    ));
    assert_err::<access::AccessControlInvalidAccount, _>(send(
        EID_B,
        RECEIVER,
        vec![],
        Address::ZERO,
        10_000,
    ));
    // Exactly the fee with a zero refund address is fine.
    send(
        EID_B,
        RECEIVER,
        vec![0; ep::MAX_MESSAGE_LEN],
        Address::ZERO,
        7_000,
    )
    .unwrap();
    assert_err::<ep::EndpointUnsupportedEid, _>(a.chain.get(
        ENDPOINT,
        &IEndpoint::quoteCall {
            dstEid: 999,
            receiver: RECEIVER,
            message: Bytes::new(),
        },
    ));
}

#[test]
fn fee_configuration_is_admin_only_and_bounded() {
    let (a, _, _) = setup();
    let c = &a.chain;
    assert_err::<access::AccessControlUnauthorizedAccount, _>(c.send(
        EVE,
        ENDPOINT,
        &IEndpoint::setDstConfigCall {
            dstEid: 7,
            executor: EVE,
            executorFee: U256::ZERO,
        },
        U256::ZERO,
    ));
    assert_err::<access::AccessControlUnauthorizedAccount, _>(c.send(
        EVE,
        ENDPOINT,
        &IEndpoint::setVerifierFeeCall {
            dstEid: 7,
            verifier: EVE,
            fee: U256::from(1),
        },
        U256::ZERO,
    ));
    assert_err::<access::AccessControlInvalidAccount, _>(c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setDstConfigCall {
            dstEid: 7,
            executor: Address::ZERO,
            executorFee: U256::from(1),
        },
        U256::ZERO,
    ));
    assert_err::<access::AccessControlInvalidAccount, _>(c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setVerifierFeeCall {
            dstEid: 7,
            verifier: Address::ZERO,
            fee: U256::from(1),
        },
        U256::ZERO,
    ));
    c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setDstConfigCall {
            dstEid: 7,
            executor: EXECUTOR,
            executorFee: U256::from(3),
        },
        U256::ZERO,
    )
    .unwrap();
    for i in 0..ep::MAX_VERIFIERS {
        let v = Address::left_padding_from(&[0x77, i as u8 + 1]);
        c.send(
            ADMIN,
            ENDPOINT,
            &IEndpoint::setVerifierFeeCall {
                dstEid: 7,
                verifier: v,
                fee: U256::from(10),
            },
            U256::ZERO,
        )
        .unwrap();
    }
    assert_err::<ep::EndpointTooManyVerifiers, _>(c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setVerifierFeeCall {
            dstEid: 7,
            verifier: EVE,
            fee: U256::from(1),
        },
        U256::ZERO,
    ));
    let quote = |c: &restake_xchain_tests::Chain| {
        c.get(
            ENDPOINT,
            &IEndpoint::quoteCall {
                dstEid: 7,
                receiver: RECEIVER,
                message: Bytes::new(),
            },
        )
        .unwrap()
    };
    assert_eq!(quote(c), U256::from(3 + 16 * 10));
    // Changing a fee, removing the first verifier (swap-remove), then adding one back.
    let first = Address::left_padding_from(&[0x77, 1]);
    c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setVerifierFeeCall {
            dstEid: 7,
            verifier: first,
            fee: U256::from(50),
        },
        U256::ZERO,
    )
    .unwrap();
    assert_eq!(quote(c), U256::from(3 + 15 * 10 + 50));
    c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setVerifierFeeCall {
            dstEid: 7,
            verifier: first,
            fee: U256::ZERO,
        },
        U256::ZERO,
    )
    .unwrap();
    assert_eq!(quote(c), U256::from(3 + 15 * 10));
    c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setVerifierFeeCall {
            dstEid: 7,
            verifier: EVE,
            fee: U256::from(1),
        },
        U256::ZERO,
    )
    .unwrap();
    assert_eq!(quote(c), U256::from(3 + 15 * 10 + 1));
    // A zero executor disables the destination.
    c.send(
        ADMIN,
        ENDPOINT,
        &IEndpoint::setDstConfigCall {
            dstEid: 7,
            executor: Address::ZERO,
            executorFee: U256::ZERO,
        },
        U256::ZERO,
    )
    .unwrap();
    assert_err::<ep::EndpointUnsupportedEid, _>(c.get(
        ENDPOINT,
        &IEndpoint::quoteCall {
            dstEid: 7,
            receiver: RECEIVER,
            message: Bytes::new(),
        },
    ));
}

#[test]
fn sending_pauses_globally_and_per_path() {
    let (a, _, _) = setup();
    let c = &a.chain;
    c.fund(SENDER, eth(1));
    let send = || {
        c.send(
            SENDER,
            ENDPOINT,
            &IEndpoint::sendCall {
                dstEid: EID_B,
                receiver: RECEIVER,
                message: Bytes::new(),
                refundTo: SENDER,
            },
            U256::from(7_000),
        )
    };
    let path = IEndpoint::setPathPausedCall {
        local: SENDER,
        remoteEid: EID_B,
        remote: b32(RECEIVER),
        paused: true,
    };
    assert_err::<access::AccessControlUnauthorizedAccount, _>(c.send(
        EVE,
        ENDPOINT,
        &path,
        U256::ZERO,
    ));
    c.send(PAUSER, ENDPOINT, &path, U256::ZERO).unwrap();
    assert_err::<ep::EndpointPathPaused, _>(send());
    // Other paths still work.
    c.send(
        SENDER,
        ENDPOINT,
        &IEndpoint::sendCall {
            dstEid: EID_B,
            receiver: BOB,
            message: Bytes::new(),
            refundTo: SENDER,
        },
        U256::from(7_000),
    )
    .unwrap();
    let unpause = IEndpoint::setPathPausedCall {
        paused: false,
        ..path
    };
    assert_err::<access::AccessControlUnauthorizedAccount, _>(c.send(
        PAUSER,
        ENDPOINT,
        &unpause,
        U256::ZERO,
    ));
    c.send(ADMIN, ENDPOINT, &unpause, U256::ZERO).unwrap();
    send().unwrap();
    c.send(
        PAUSER,
        ENDPOINT,
        &IAdmin::pauseCall {
            group: ep::GROUP_SEND,
        },
        U256::ZERO,
    )
    .unwrap();
    assert_err::<pausable::PausableEnforcedPause, _>(send());
    c.send(
        ADMIN,
        ENDPOINT,
        &IAdmin::unpauseCall {
            group: ep::GROUP_SEND,
        },
        U256::ZERO,
    )
    .unwrap();
    send().unwrap();
}

#[test]
fn constructors_reject_zero_addresses() {
    let c = restake_xchain_tests::Chain::new(1);
    use alloy_sol_types::SolValue;
    let at = address!("0000000000000000000000000000000000000c01");
    assert!(c
        .deploy::<ep::Endpoint>(at, ADMIN, (1u32, Address::ZERO).abi_encode_params())
        .is_err());
    assert!(c
        .deploy::<cfg::EndpointConfig>(at, ADMIN, (Address::ZERO,).abi_encode_params())
        .is_err());
    assert!(c
        .deploy::<rcv::EndpointReceive>(at, ADMIN, (1u32, Address::ZERO).abi_encode_params())
        .is_err());
    let b = Side::new(5, 6);
    assert_eq!(
        b.chain.get(RECEIVE, &IEndpointReceive::eidCall {}).unwrap(),
        6
    );
    assert_eq!(b.chain.get(ENDPOINT, &IEndpoint::eidCall {}).unwrap(), 6);
    assert_eq!(
        b.chain
            .get(RECEIVE, &IEndpointReceive::configCall {})
            .unwrap(),
        CONFIG
    );
    assert_eq!(b.chain.get(CONFIG, &IAdmin::adminCall {}).unwrap(), ADMIN);
}

// ---------------------------------------------------------------- receive configuration

#[test]
fn receive_configurations_need_a_quorum_of_two() {
    let (_, b, _) = setup();
    let set = |req: Vec<Address>, opt: Vec<Address>, t: u8| {
        b.chain.send(
            RECEIVER,
            CONFIG,
            &IEndpointConfig::setReceiveConfigCall {
                srcEid: EID_A,
                required: req,
                optional: opt,
                threshold: t,
            },
            U256::ZERO,
        )
    };
    assert_err::<cfg::EndpointTooFewVerifiers, _>(set(vec![V1], vec![], 0));
    assert_err::<cfg::EndpointTooFewVerifiers, _>(set(vec![], vec![V1, V2, V3], 1));
    assert_err::<cfg::EndpointTooFewVerifiers, _>(set(vec![], vec![], 0));
    assert_err::<cfg::EndpointInvalidReceiveConfig, _>(set(vec![V1, V1], vec![], 0));
    assert_err::<cfg::EndpointInvalidReceiveConfig, _>(set(vec![V1], vec![V1, V2], 1));
    assert_err::<cfg::EndpointInvalidReceiveConfig, _>(set(vec![V1, Address::ZERO], vec![], 0));
    assert_err::<cfg::EndpointInvalidReceiveConfig, _>(set(vec![V1], vec![V2], 2));
    assert_err::<cfg::EndpointInvalidReceiveConfig, _>(set(vec![V1, V2], vec![V3], 0));
    let many: Vec<Address> = (1..=17u8)
        .map(|i| Address::left_padding_from(&[0x55, i]))
        .collect();
    assert_err::<cfg::EndpointInvalidReceiveConfig, _>(set(
        many[..2].to_vec(),
        many[2..].to_vec(),
        1,
    ));
    set(vec![V1], vec![V2, V3], 1).unwrap();
    set(vec![], vec![V1, V2, V3], 2).unwrap();
    set(many[..2].to_vec(), many[2..16].to_vec(), 14).unwrap();
}

#[test]
fn only_the_receiver_or_its_delegate_configures() {
    let (_, b, _) = setup();
    let call = IEndpointConfig::setReceiveConfigForCall {
        receiver: RECEIVER,
        srcEid: EID_A,
        required: vec![V1, V3],
        optional: vec![],
        threshold: 0,
        ordered: true,
    };
    assert_err::<cfg::EndpointUnauthorizedDelegate, _>(b.chain.send(
        EVE,
        CONFIG,
        &call,
        U256::ZERO,
    ));
    b.chain
        .send(
            RECEIVER,
            CONFIG,
            &IEndpointConfig::setDelegateCall { delegate: ALICE },
            U256::ZERO,
        )
        .unwrap();
    assert_eq!(
        b.chain
            .get(CONFIG, &IEndpointConfig::delegatesCall { oapp: RECEIVER })
            .unwrap(),
        ALICE
    );
    b.chain.send(ALICE, CONFIG, &call, U256::ZERO).unwrap();
    let raw = b
        .chain
        .get(
            CONFIG,
            &IEndpointConfig::policyCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                sender: b32(SENDER),
            },
        )
        .unwrap();
    let p = restake_oapp::protocol::Policy::decode(&raw).unwrap();
    assert_eq!(p.verifiers, vec![V1, V3]);
    assert_eq!(
        (p.required, p.threshold, p.ordered, p.delegate),
        (2, 0, true, ALICE)
    );
    // setReceiveConfig keeps the ordering option.
    b.require_two(RECEIVER, EID_A);
    let raw = b
        .chain
        .get(
            CONFIG,
            &IEndpointConfig::policyCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                sender: b32(SENDER),
            },
        )
        .unwrap();
    assert!(
        restake_oapp::protocol::Policy::decode(&raw)
            .unwrap()
            .ordered
    );
}

// ---------------------------------------------------------------- verify, commit, deliver

#[test]
fn a_message_is_delivered_once_with_the_quorum() {
    let (a, b, r) = setup();
    let p = send(&a, b"hello");
    attest(&b, &p, &[V1]);
    assert!(b
        .chain
        .get(
            RECEIVE,
            &IEndpointReceive::isVerifiedCall {
                verifier: V1,
                headerHash: p.header_hash(),
                payloadHash: p.payload_hash()
            }
        )
        .unwrap());
    assert_err::<rcv::EndpointQuorumNotMet, _>(commit(&b, &p));
    assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, &p));
    attest(&b, &p, &[V2]);
    commit(&b, &p).unwrap();
    // The attestations are used up by the commit.
    assert!(!b
        .chain
        .get(
            RECEIVE,
            &IEndpointReceive::isVerifiedCall {
                verifier: V1,
                headerHash: p.header_hash(),
                payloadHash: p.payload_hash()
            }
        )
        .unwrap());
    let committed = b
        .chain
        .get(
            RECEIVE,
            &IEndpointReceive::committedHashCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                sender: b32(SENDER),
                nonce: 1,
            },
        )
        .unwrap();
    assert_eq!(committed, p.payload_hash());
    let since = b.chain.log_count();
    deliver(&b, &p).unwrap();
    assert_eq!(delivered_events(&b, since), (1, 0));
    assert_eq!(
        r.borrow().received,
        vec![(EID_A, b32(SENDER), 1, p.guid, b"hello".to_vec())]
    );
    // Replay: the hash is gone, the nonce consumed, recommitting is refused even with new attestations.
    assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, &p));
    attest(&b, &p, &[V1, V2]);
    assert_err::<rcv::EndpointNonceConsumed, _>(commit(&b, &p));
    assert_eq!(r.borrow().received.len(), 1);
    let view = |n: u64| {
        b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::isConsumedCall {
                    receiver: RECEIVER,
                    srcEid: EID_A,
                    sender: b32(SENDER),
                    nonce: n,
                },
            )
            .unwrap()
    };
    assert!(view(0) && view(1) && !view(2));
    assert_eq!(
        b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::inboundNonceCall {
                    receiver: RECEIVER,
                    srcEid: EID_A,
                    sender: b32(SENDER)
                }
            )
            .unwrap(),
        1
    );
    assert_eq!(
        b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::committedHashCall {
                    receiver: RECEIVER,
                    srcEid: EID_A,
                    sender: b32(SENDER),
                    nonce: 1
                }
            )
            .unwrap(),
        B256::ZERO
    );
}

#[test]
fn optional_verifiers_count_up_to_the_threshold() {
    let (a, b, r) = setup();
    b.chain
        .send(
            RECEIVER,
            CONFIG,
            &IEndpointConfig::setReceiveConfigCall {
                srcEid: EID_A,
                required: vec![V1],
                optional: vec![V2, V3, V4],
                threshold: 2,
            },
            U256::ZERO,
        )
        .unwrap();
    let p = send(&a, b"m");
    attest(&b, &p, &[V2, V3, V4]);
    assert_err::<rcv::EndpointQuorumNotMet, _>(commit(&b, &p)); // required V1 missing
    attest(&b, &p, &[V1]);
    commit(&b, &p).unwrap();
    deliver(&b, &p).unwrap();
    let p2 = send(&a, b"n");
    attest(&b, &p2, &[V1, V4]);
    assert_err::<rcv::EndpointQuorumNotMet, _>(commit(&b, &p2)); // one optional of two
    attest(&b, &p2, &[EVE, ALICE]); // unconfigured attesters do not count
    assert_err::<rcv::EndpointQuorumNotMet, _>(commit(&b, &p2));
    attest(&b, &p2, &[V3]);
    commit(&b, &p2).unwrap();
    deliver(&b, &p2).unwrap();
    assert_eq!(r.borrow().received.len(), 2);
}

#[test]
fn malformed_or_misdirected_packets_are_refused() {
    let (a, b, _) = setup();
    let p = send(&a, b"m");
    let verify = |header: Vec<u8>, h: B256| {
        b.chain.send(
            V1,
            RECEIVE,
            &IEndpointReceive::verifyCall {
                header: header.into(),
                payloadHash: h,
            },
            U256::ZERO,
        )
    };
    assert_err::<rcv::EndpointInvalidHeader, _>(verify(p.header[..80].to_vec(), p.payload_hash()));
    let mut v2 = p.header.clone();
    v2[0] = 2;
    assert_err::<rcv::EndpointInvalidHeader, _>(verify(v2, p.payload_hash()));
    let mut dirty = p.header.clone();
    dirty[49] = 1; // receiver word with a non-zero high byte
    assert_err::<rcv::EndpointInvalidHeader, _>(verify(dirty, p.payload_hash()));
    for h in [B256::ZERO, rcv::NIL_HASH, rcv::CONSUMED_HASH] {
        assert_err::<rcv::EndpointInvalidPayloadHash, _>(verify(p.header.clone(), h));
        assert_err::<rcv::EndpointInvalidPayloadHash, _>(b.chain.send(
            EXECUTOR,
            RECEIVE,
            &IEndpointReceive::commitCall {
                header: p.header.clone().into(),
                payloadHash: h,
            },
            U256::ZERO,
        ));
    }
    // A packet for chain A delivered to chain B.
    let back = {
        b.price(EID_A);
        b.send_msg(SENDER, EID_A, RECEIVER, b"x");
        last_packet(&b)
    };
    assert_err::<rcv::EndpointWrongDestination, _>(verify(
        back.header.clone(),
        back.payload_hash(),
    ));
    assert_err::<rcv::EndpointWrongDestination, _>(commit(&b, &back));
    assert_err::<rcv::EndpointWrongDestination, _>(deliver(&b, &back));
    // A receiver without configuration.
    let p3 = {
        a.send_msg(SENDER, EID_B, BOB, b"z");
        last_packet(&a)
    };
    attest(&b, &p3, &[V1, V2]);
    assert_err::<rcv::EndpointNoReceiveConfig, _>(commit(&b, &p3));
    // A GUID that is not the header's.
    attest(&b, &p, &[V1, V2]);
    commit(&b, &p).unwrap();
    let forged = Packet {
        guid: keccak256("other"),
        ..p.clone()
    };
    assert_err::<rcv::EndpointGuidMismatch, _>(deliver(&b, &forged));
    let tampered = Packet {
        message: b"M".to_vec(),
        ..p.clone()
    };
    assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, &tampered));
    deliver(&b, &p).unwrap();
}

#[test]
fn a_failing_receiver_leaves_the_message_retryable() {
    let (a, b, r) = setup();
    let p = send(&a, b"m");
    attest(&b, &p, &[V1, V2]);
    commit(&b, &p).unwrap();
    r.borrow_mut().behaviour = Behaviour::Revert;
    let since = b.chain.log_count();
    deliver(&b, &p).unwrap();
    assert_eq!(delivered_events(&b, since), (0, 1));
    let failed = b
        .chain
        .logs_since(since)
        .into_iter()
        .find(|l| l.topics[0] == rcv::DeliveryFailed::SIGNATURE_HASH)
        .unwrap();
    let ev =
        rcv::DeliveryFailed::decode_raw_log(failed.topics.iter().copied(), &failed.data).unwrap();
    assert_eq!(ev.reason.to_vec(), b"receiver says no".to_vec());
    assert_eq!(
        b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::committedHashCall {
                    receiver: RECEIVER,
                    srcEid: EID_A,
                    sender: b32(SENDER),
                    nonce: 1
                }
            )
            .unwrap(),
        p.payload_hash()
    );
    assert!(r.borrow().received.is_empty());
    r.borrow_mut().behaviour = Behaviour::Accept;
    deliver(&b, &p).unwrap();
    assert_eq!(r.borrow().received.len(), 1);
    assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, &p));
}

#[test]
fn a_receiver_cannot_reenter_delivery() {
    let (a, b, r) = setup();
    let p1 = send(&a, b"1");
    let p2 = send(&a, b"2");
    for p in [&p1, &p2] {
        attest(&b, p, &[V1, V2]);
        commit(&b, p).unwrap();
    }
    // While receiving p1, the receiver tries to deliver p1 again and p2.
    for target in [&p1, &p2] {
        let data = IEndpointReceive::deliverCall {
            header: target.header.clone().into(),
            guid: target.guid,
            message: target.message.clone().into(),
        }
        .abi_encode();
        r.borrow_mut().behaviour = Behaviour::Reenter;
        r.borrow_mut().reenter_data = data;
        if target == &p2 {
            deliver(&b, &p1).unwrap();
            assert!(r.borrow().reentry.as_ref().unwrap().is_err());
        }
    }
    r.borrow_mut().behaviour = Behaviour::Accept;
    deliver(&b, &p2).unwrap();
    let nonces: Vec<u64> = r.borrow().received.iter().map(|m| m.2).collect();
    assert_eq!(nonces, vec![1, 2]);
}

#[test]
fn a_receiver_without_code_is_refused() {
    let (a, b, _) = setup();
    // CAROL never got code on chain B.
    let carol = address!("00000000000000000000000000000000000ca701");
    b.require_two(carol, EID_A);
    a.send_msg(SENDER, EID_B, carol, b"m");
    let p = last_packet(&a);
    attest(&b, &p, &[V1, V2]);
    commit(&b, &p).unwrap();
    assert_err::<rcv::EndpointNotContract, _>(deliver(&b, &p));
}

#[test]
fn unordered_paths_deliver_in_any_order_and_track_the_inbound_nonce() {
    let (a, b, r) = setup();
    let ps: Vec<Packet> = (1..=4u8).map(|i| send(&a, &[i])).collect();
    let inbound = || {
        b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::inboundNonceCall {
                    receiver: RECEIVER,
                    srcEid: EID_A,
                    sender: b32(SENDER),
                },
            )
            .unwrap()
    };
    relay(&b, &ps[2]).unwrap();
    assert_eq!(inbound(), 0);
    relay(&b, &ps[1]).unwrap();
    assert_eq!(inbound(), 0);
    relay(&b, &ps[0]).unwrap();
    assert_eq!(inbound(), 3, "advances over the consumed nonces 2 and 3");
    relay(&b, &ps[3]).unwrap();
    assert_eq!(inbound(), 4);
    let nonces: Vec<u64> = r.borrow().received.iter().map(|m| m.2).collect();
    assert_eq!(nonces, vec![3, 2, 1, 4]);
    for p in &ps {
        assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, p));
    }
}

#[test]
fn ordered_paths_deliver_gaplessly() {
    let (a, b, r) = setup();
    b.chain
        .send(
            RECEIVER,
            CONFIG,
            &IEndpointConfig::setReceiveConfigForCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                required: vec![V1, V2],
                optional: vec![],
                threshold: 0,
                ordered: true,
            },
            U256::ZERO,
        )
        .unwrap();
    let ps: Vec<Packet> = (1..=3u8).map(|i| send(&a, &[i])).collect();
    for p in &ps {
        attest(&b, p, &[V1, V2]);
        commit(&b, p).unwrap();
    }
    assert_err::<rcv::EndpointOutOfOrder, _>(deliver(&b, &ps[1]));
    assert_err::<rcv::EndpointOutOfOrder, _>(deliver(&b, &ps[2]));
    deliver(&b, &ps[0]).unwrap();
    assert_err::<rcv::EndpointOutOfOrder, _>(deliver(&b, &ps[2]));
    deliver(&b, &ps[1]).unwrap();
    deliver(&b, &ps[2]).unwrap();
    let nonces: Vec<u64> = r.borrow().received.iter().map(|m| m.2).collect();
    assert_eq!(nonces, vec![1, 2, 3]);
}

#[test]
fn commit_and_delivery_pause_globally_and_per_path() {
    let (a, b, r) = setup();
    let p = send(&a, b"m");
    attest(&b, &p, &[V1, V2]);
    let path = IEndpointConfig::setPathPausedCall {
        local: RECEIVER,
        remoteEid: EID_A,
        remote: b32(SENDER),
        paused: true,
    };
    assert_err::<access::AccessControlUnauthorizedAccount, _>(b.chain.send(
        EVE,
        CONFIG,
        &path,
        U256::ZERO,
    ));
    b.chain.send(PAUSER, CONFIG, &path, U256::ZERO).unwrap();
    assert_err::<rcv::EndpointPathPaused, _>(commit(&b, &p));
    b.chain
        .send(
            ADMIN,
            CONFIG,
            &IEndpointConfig::setPathPausedCall {
                paused: false,
                ..path.clone()
            },
            U256::ZERO,
        )
        .unwrap();
    commit(&b, &p).unwrap();
    b.chain.send(PAUSER, CONFIG, &path, U256::ZERO).unwrap();
    assert_err::<rcv::EndpointPathPaused, _>(deliver(&b, &p));
    b.chain
        .send(
            ADMIN,
            CONFIG,
            &IEndpointConfig::setPathPausedCall {
                paused: false,
                ..path
            },
            U256::ZERO,
        )
        .unwrap();
    b.chain
        .send(
            PAUSER,
            CONFIG,
            &IAdmin::pauseCall {
                group: cfg::GROUP_DELIVER,
            },
            U256::ZERO,
        )
        .unwrap();
    assert_err::<pausable::PausableEnforcedPause, _>(deliver(&b, &p));
    b.chain
        .send(
            ADMIN,
            CONFIG,
            &IAdmin::unpauseCall {
                group: cfg::GROUP_DELIVER,
            },
            U256::ZERO,
        )
        .unwrap();
    deliver(&b, &p).unwrap();
    let p2 = send(&a, b"n");
    attest(&b, &p2, &[V1, V2]);
    b.chain
        .send(
            PAUSER,
            CONFIG,
            &IAdmin::pauseCall {
                group: cfg::GROUP_COMMIT,
            },
            U256::ZERO,
        )
        .unwrap();
    assert_err::<pausable::PausableEnforcedPause, _>(commit(&b, &p2));
    // Verifying is never paused.
    attest(&b, &p2, &[V3]);
    assert_eq!(r.borrow().received.len(), 1);
}

// ---------------------------------------------------------------- recovery

fn recovery_setup() -> (
    Side,
    Side,
    std::rc::Rc<std::cell::RefCell<FakeReceiver>>,
    Vec<Packet>,
) {
    let (a, b, r) = setup();
    b.chain
        .send(
            RECEIVER,
            CONFIG,
            &IEndpointConfig::setDelegateCall { delegate: ALICE },
            U256::ZERO,
        )
        .unwrap();
    let ps = (1..=3u8).map(|i| send(&a, &[i])).collect();
    (a, b, r, ps)
}

#[test]
fn skip_consumes_only_the_next_nonce() {
    let (_, b, r, ps) = recovery_setup();
    let skip = |who: Address, n: u64| {
        b.chain.send(
            who,
            RECEIVE,
            &IEndpointReceive::skipCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                sender: b32(SENDER),
                nonce: n,
            },
            U256::ZERO,
        )
    };
    assert_err::<rcv::EndpointUnauthorizedDelegate, _>(skip(EVE, 1));
    assert_err::<rcv::EndpointOutOfOrder, _>(skip(ALICE, 2));
    skip(ALICE, 1).unwrap();
    skip(RECEIVER, 2).unwrap();
    // Skipped nonces can never be committed or delivered.
    attest(&b, &ps[0], &[V1, V2]);
    assert_err::<rcv::EndpointNonceConsumed, _>(commit(&b, &ps[0]));
    relay(&b, &ps[2]).unwrap();
    assert_eq!(r.borrow().received.len(), 1);
}

#[test]
fn clear_consumes_a_committed_message_without_delivery() {
    let (_, b, r, ps) = recovery_setup();
    attest(&b, &ps[0], &[V1, V2]);
    commit(&b, &ps[0]).unwrap();
    let clear = |who: Address, p: &Packet| {
        b.chain.send(
            who,
            RECEIVE,
            &IEndpointReceive::clearCall {
                header: p.header.clone().into(),
                guid: p.guid,
                message: p.message.clone().into(),
            },
            U256::ZERO,
        )
    };
    assert_err::<rcv::EndpointUnauthorizedDelegate, _>(clear(EVE, &ps[0]));
    assert_err::<rcv::EndpointPayloadMismatch, _>(clear(ALICE, &ps[1])); // not committed
    clear(ALICE, &ps[0]).unwrap();
    assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, &ps[0]));
    assert!(r.borrow().received.is_empty());
}

#[test]
fn nilify_blocks_until_recommitted_with_new_attestations() {
    let (_, b, r, ps) = recovery_setup();
    let p = &ps[0];
    attest(&b, p, &[V1, V2]);
    commit(&b, p).unwrap();
    let nilify = |who: Address, h: B256| {
        b.chain.send(
            who,
            RECEIVE,
            &IEndpointReceive::nilifyCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                sender: b32(SENDER),
                nonce: 1,
                payloadHash: h,
            },
            U256::ZERO,
        )
    };
    assert_err::<rcv::EndpointUnauthorizedDelegate, _>(nilify(EVE, p.payload_hash()));
    assert_err::<rcv::EndpointPayloadMismatch, _>(nilify(ALICE, keccak256("x")));
    nilify(ALICE, p.payload_hash()).unwrap();
    assert_eq!(
        b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::committedHashCall {
                    receiver: RECEIVER,
                    srcEid: EID_A,
                    sender: b32(SENDER),
                    nonce: 1
                }
            )
            .unwrap(),
        rcv::NIL_HASH
    );
    assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, p));
    // The old attestations were used up: committing again needs the quorum again.
    assert_err::<rcv::EndpointQuorumNotMet, _>(commit(&b, p));
    attest(&b, p, &[V1, V2]);
    commit(&b, p).unwrap();
    deliver(&b, p).unwrap();
    assert_eq!(r.borrow().received.len(), 1);
    // Nilifying a nonce with nothing committed blocks it too.
    assert_err::<rcv::EndpointNonceConsumed, _>(nilify(ALICE, B256::ZERO)); // nonce 1 is consumed now
    let nil2 = b.chain.send(
        ALICE,
        RECEIVE,
        &IEndpointReceive::nilifyCall {
            receiver: RECEIVER,
            srcEid: EID_A,
            sender: b32(SENDER),
            nonce: 2,
            payloadHash: B256::ZERO,
        },
        U256::ZERO,
    );
    nil2.unwrap();
}

#[test]
fn burn_consumes_for_good() {
    let (_, b, r, ps) = recovery_setup();
    let p = &ps[1];
    attest(&b, p, &[V1, V2]);
    commit(&b, p).unwrap();
    let burn = |who: Address, h: B256| {
        b.chain.send(
            who,
            RECEIVE,
            &IEndpointReceive::burnCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                sender: b32(SENDER),
                nonce: 2,
                payloadHash: h,
            },
            U256::ZERO,
        )
    };
    assert_err::<rcv::EndpointUnauthorizedDelegate, _>(burn(EVE, p.payload_hash()));
    assert_err::<rcv::EndpointInvalidPayloadHash, _>(burn(ALICE, B256::ZERO));
    assert_err::<rcv::EndpointPayloadMismatch, _>(burn(ALICE, keccak256("x")));
    burn(RECEIVER, p.payload_hash()).unwrap();
    assert_err::<rcv::EndpointNonceConsumed, _>(burn(ALICE, p.payload_hash()));
    assert_err::<rcv::EndpointPayloadMismatch, _>(deliver(&b, p));
    attest(&b, p, &[V1, V2]);
    assert_err::<rcv::EndpointNonceConsumed, _>(commit(&b, p));
    assert!(b
        .chain
        .get(
            RECEIVE,
            &IEndpointReceive::isConsumedCall {
                receiver: RECEIVER,
                srcEid: EID_A,
                sender: b32(SENDER),
                nonce: 2
            }
        )
        .unwrap());
    relay(&b, &ps[0]).unwrap();
    assert_eq!(
        b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::inboundNonceCall {
                    receiver: RECEIVER,
                    srcEid: EID_A,
                    sender: b32(SENDER)
                }
            )
            .unwrap(),
        2
    );
    assert_eq!(r.borrow().received.len(), 1);
}

#[test]
fn a_missing_configuration_contract_is_reported() {
    let c = restake_xchain_tests::Chain::new(9);
    use alloy_sol_types::SolValue;
    c.deploy::<rcv::EndpointReceive>(
        RECEIVE,
        ADMIN,
        (9u32, address!("000000000000000000000000000000000000dead")).abi_encode_params(),
    )
    .unwrap();
    let h = restake_oapp::packet::Header {
        nonce: 1,
        src_eid: 1,
        sender: b32(SENDER),
        dst_eid: 9,
        receiver: b32(RECEIVER),
    };
    let r = c.send(
        EXECUTOR,
        RECEIVE,
        &IEndpointReceive::commitCall {
            header: h.encode().to_vec().into(),
            payloadHash: keccak256("p"),
        },
        U256::ZERO,
    );
    assert_err::<rcv::EndpointConfigUnavailable, _>(r);
    let _ = reentrancy::ReentrancyGuardReentrantCall {};
}
