//! The LRT bridge across three in-process chains: the real lrt-token on each, the real
//! LrtLockbox at home, the real LrtBridgeRemote on two remotes, the real endpoints.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolValue};
use common::*;
use proptest::prelude::*;
use restake_lrt_bridge as lockbox;
use restake_lrt_bridge_remote as rbridge;
use restake_oapp::{bridge as shared, oapp as oapp_errors};
use restake_shared::{access, pausable};

sol! {
    interface ILrt {
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function mint(address to, uint256 value) external;
    }
    interface IBridge {
        function send(uint32 dstEid, address to, uint256 amount) external payable returns (bytes32);
        function quoteSend(uint32 dstEid, address to, uint256 amount) external view returns (uint256);
        function lzReceive(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes message) external;
        function outstanding(uint32 eid) external view returns (uint256);
        function rateLimit(uint32 eid, bool inbound) external view returns (uint256, uint128, uint256);
        function peer(uint32 eid) external view returns (bytes32);
        function setPeer(uint32 eid, address peer) external;
        function setRateLimit(uint32 eid, bool inbound, uint256 capacity, uint128 refillPerSecond) external;
    }
}

const LRT: Address = address!("00000000000000000000000000000000000017a1");
const BRIDGE: Address = address!("0000000000000000000000000000000000b41d9e");
const EID_C: u32 = 303;

fn minter_role() -> B256 {
    alloy_primitives::keccak256("MINTER_ROLE")
}

fn lrt(n: u64) -> U256 {
    eth(n)
}

struct World {
    a: Side,
    b: Side,
    c: Side,
}

/// Capacity 100 LRT, refill 1 LRT/s, on every bucket.
const CAP: u64 = 100;

fn deploy_lrt(side: &Side) {
    side.chain
        .deploy::<lrt_token::LrtToken>(
            LRT,
            ADMIN,
            ("Restaked Ether".to_string(), "rstETH".to_string(), ADMIN).abi_encode_params(),
        )
        .unwrap();
}

fn limits(side: &Side, at: Address, eid: u32) {
    for inbound in [false, true] {
        side.chain
            .send(
                ADMIN,
                at,
                &IBridge::setRateLimitCall {
                    eid,
                    inbound,
                    capacity: lrt(CAP),
                    refillPerSecond: lrt(1).to(),
                },
                U256::ZERO,
            )
            .unwrap();
    }
}

fn remote_side(chain_id: u64, eid: u32) -> Side {
    let s = Side::new(chain_id, eid);
    deploy_lrt(&s);
    s.chain
        .deploy::<rbridge::LrtBridgeRemote>(
            BRIDGE,
            ADMIN,
            (ADMIN, LRT, ENDPOINT, RECEIVE, CONFIG, EID_A).abi_encode_params(),
        )
        .unwrap();
    s.chain
        .send(
            ADMIN,
            LRT,
            &IAdmin::grantRoleCall {
                role: minter_role(),
                account: BRIDGE,
            },
            U256::ZERO,
        )
        .unwrap();
    s.chain
        .send(
            ADMIN,
            BRIDGE,
            &IBridge::setPeerCall {
                eid: EID_A,
                peer: lockbox_addr(),
            },
            U256::ZERO,
        )
        .unwrap();
    s.chain
        .send(
            ADMIN,
            CONFIG,
            &IEndpointConfig::setReceiveConfigForCall {
                receiver: BRIDGE,
                srcEid: EID_A,
                required: vec![V1, V2],
                optional: vec![],
                threshold: 0,
                ordered: false,
            },
            U256::ZERO,
        )
        .unwrap();
    s.price(EID_A);
    limits(&s, BRIDGE, EID_A);
    s
}

fn lockbox_addr() -> Address {
    address!("00000000000000000000000000000000001bc0b0")
}

fn world() -> World {
    let a = Side::new(1001, EID_A);
    deploy_lrt(&a);
    a.chain
        .deploy::<lockbox::LrtLockbox>(
            lockbox_addr(),
            ADMIN,
            (ADMIN, LRT, ENDPOINT, RECEIVE, CONFIG).abi_encode_params(),
        )
        .unwrap();
    a.chain
        .send(
            ADMIN,
            LRT,
            &IAdmin::grantRoleCall {
                role: minter_role(),
                account: ADMIN,
            },
            U256::ZERO,
        )
        .unwrap();
    for who in [ALICE, BOB] {
        a.chain
            .send(
                ADMIN,
                LRT,
                &ILrt::mintCall {
                    to: who,
                    value: lrt(1_000),
                },
                U256::ZERO,
            )
            .unwrap();
        a.chain
            .send(
                who,
                LRT,
                &ILrt::approveCall {
                    spender: lockbox_addr(),
                    value: U256::MAX,
                },
                U256::ZERO,
            )
            .unwrap();
    }
    let b = remote_side(2002, EID_B);
    let c = remote_side(3003, EID_C);
    for (eid, side) in [(EID_B, &b), (EID_C, &c)] {
        let _ = side;
        a.price(eid);
        a.chain
            .send(
                ADMIN,
                lockbox_addr(),
                &IBridge::setPeerCall { eid, peer: BRIDGE },
                U256::ZERO,
            )
            .unwrap();
        a.chain
            .send(
                ADMIN,
                CONFIG,
                &IEndpointConfig::setReceiveConfigForCall {
                    receiver: lockbox_addr(),
                    srcEid: eid,
                    required: vec![V1, V2],
                    optional: vec![],
                    threshold: 0,
                    ordered: false,
                },
                U256::ZERO,
            )
            .unwrap();
        limits(&a, lockbox_addr(), eid);
    }
    World { a, b, c }
}

fn balance(side: &Side, who: Address) -> U256 {
    side.chain
        .get(LRT, &ILrt::balanceOfCall { account: who })
        .unwrap()
}

fn supply(side: &Side) -> U256 {
    side.chain.get(LRT, &ILrt::totalSupplyCall {}).unwrap()
}

/// `from` on `side` bridges `amount` to `to` on `dst`, paying the quote; returns the packet.
fn bridge(
    side: &Side,
    at: Address,
    from: Address,
    dst: u32,
    to: Address,
    amount: U256,
) -> Result<Packet, Vec<u8>> {
    let fee = side
        .chain
        .get(
            at,
            &IBridge::quoteSendCall {
                dstEid: dst,
                to,
                amount,
            },
        )
        .unwrap();
    side.chain.fund(from, fee);
    side.chain.send(
        from,
        at,
        &IBridge::sendCall {
            dstEid: dst,
            to,
            amount,
        },
        fee,
    )?;
    Ok(last_packet(side))
}

/// Relays `p` to `dst`; whether it was delivered.
fn arrive(dst: &Side, p: &Packet) -> bool {
    let since = dst.chain.log_count();
    relay(dst, p).unwrap();
    delivered_events(dst, since) == (1, 0)
}

fn retry(dst: &Side, p: &Packet) -> bool {
    let since = dst.chain.log_count();
    deliver(dst, p).unwrap();
    delivered_events(dst, since) == (1, 0)
}

#[test]
fn lrt_goes_to_a_remote_and_back() {
    let w = world();
    let p = bridge(&w.a, lockbox_addr(), ALICE, EID_B, BOB, lrt(10)).unwrap();
    assert_eq!(balance(&w.a, ALICE), lrt(990));
    assert_eq!(balance(&w.a, lockbox_addr()), lrt(10));
    assert_eq!(
        w.a.chain
            .get(lockbox_addr(), &IBridge::outstandingCall { eid: EID_B })
            .unwrap(),
        lrt(10)
    );
    assert!(arrive(&w.b, &p));
    assert_eq!(balance(&w.b, BOB), lrt(10));
    assert_eq!(supply(&w.b), lrt(10));
    // Back: Bob approves the remote bridge, which burns.
    w.b.chain
        .send(
            BOB,
            LRT,
            &ILrt::approveCall {
                spender: BRIDGE,
                value: lrt(4),
            },
            U256::ZERO,
        )
        .unwrap();
    let back = bridge(&w.b, BRIDGE, BOB, EID_A, ALICE, lrt(4)).unwrap();
    assert_eq!(supply(&w.b), lrt(6));
    assert!(arrive(&w.a, &back));
    assert_eq!(balance(&w.a, ALICE), lrt(994));
    assert_eq!(balance(&w.a, lockbox_addr()), lrt(6));
    assert_eq!(
        w.a.chain
            .get(lockbox_addr(), &IBridge::outstandingCall { eid: EID_B })
            .unwrap(),
        lrt(6)
    );
    // A replay of either message is refused by the endpoint.
    assert_err::<restake_endpoint_receive::EndpointPayloadMismatch, _>(deliver(&w.b, &p));
    assert_err::<restake_endpoint_receive::EndpointPayloadMismatch, _>(deliver(&w.a, &back));
}

#[test]
fn outbound_buckets_limit_and_refill() {
    let w = world();
    bridge(&w.a, lockbox_addr(), ALICE, EID_B, BOB, lrt(60)).unwrap();
    assert_err::<shared::BridgeRateLimited, _>(bridge(
        &w.a,
        lockbox_addr(),
        ALICE,
        EID_B,
        BOB,
        lrt(41),
    ));
    // Another route has its own bucket.
    bridge(&w.a, lockbox_addr(), ALICE, EID_C, BOB, lrt(41)).unwrap();
    w.a.chain.warp(1);
    bridge(&w.a, lockbox_addr(), ALICE, EID_B, BOB, lrt(41)).unwrap();
    let (cap, refill, available) =
        w.a.chain
            .get(
                lockbox_addr(),
                &IBridge::rateLimitCall {
                    eid: EID_B,
                    inbound: false,
                },
            )
            .unwrap()
            .into();
    assert_eq!(
        (cap, refill, available),
        (lrt(CAP), lrt(1).to::<u128>(), U256::ZERO)
    );
    w.a.chain.warp(1_000);
    let r =
        w.a.chain
            .get(
                lockbox_addr(),
                &IBridge::rateLimitCall {
                    eid: EID_B,
                    inbound: false,
                },
            )
            .unwrap();
    assert_eq!(r._2, lrt(CAP), "refills up to the capacity only");
    // A route without a bucket passes nothing.
    w.a.chain
        .send(
            ADMIN,
            lockbox_addr(),
            &IBridge::setPeerCall {
                eid: 404,
                peer: BRIDGE,
            },
            U256::ZERO,
        )
        .unwrap();
    w.a.price(404);
    assert_err::<shared::BridgeRateLimited, _>(bridge(
        &w.a,
        lockbox_addr(),
        ALICE,
        404,
        BOB,
        U256::from(1),
    ));
}

#[test]
fn an_inbound_message_over_the_limit_waits_for_the_refill() {
    let w = world();
    // The remote takes at most 10 LRT, refilled at 1 LRT/s.
    w.b.chain
        .send(
            ADMIN,
            BRIDGE,
            &IBridge::setRateLimitCall {
                eid: EID_A,
                inbound: true,
                capacity: lrt(10),
                refillPerSecond: lrt(1).to(),
            },
            U256::ZERO,
        )
        .unwrap();
    let p1 = bridge(&w.a, lockbox_addr(), ALICE, EID_B, BOB, lrt(8)).unwrap();
    let p2 = bridge(&w.a, lockbox_addr(), ALICE, EID_B, BOB, lrt(8)).unwrap();
    assert!(arrive(&w.b, &p1));
    assert!(!arrive(&w.b, &p2), "2 LRT left in the bucket");
    w.b.chain.warp(5);
    assert!(!retry(&w.b, &p2));
    w.b.chain.warp(1);
    assert!(retry(&w.b, &p2));
    assert_eq!(balance(&w.b, BOB), lrt(16));
}

#[test]
fn a_release_never_exceeds_what_the_chain_holds() {
    let w = world();
    let p = bridge(&w.a, lockbox_addr(), ALICE, EID_C, BOB, lrt(5)).unwrap();
    assert!(arrive(&w.c, &p));
    // Chain C's token is compromised: its admin mints itself 50 unbacked LRT and bridges them.
    w.c.chain
        .send(
            ADMIN,
            LRT,
            &IAdmin::grantRoleCall {
                role: minter_role(),
                account: ADMIN,
            },
            U256::ZERO,
        )
        .unwrap();
    w.c.chain
        .send(
            ADMIN,
            LRT,
            &ILrt::mintCall {
                to: EVE,
                value: lrt(50),
            },
            U256::ZERO,
        )
        .unwrap();
    w.c.chain
        .send(
            EVE,
            LRT,
            &ILrt::approveCall {
                spender: BRIDGE,
                value: U256::MAX,
            },
            U256::ZERO,
        )
        .unwrap();
    let bad = bridge(&w.c, BRIDGE, EVE, EID_A, EVE, lrt(50)).unwrap();
    let ok = bridge(&w.c, BRIDGE, BOB, EID_A, BOB, lrt(5));
    assert!(ok.is_err(), "Bob never approved the bridge");
    let since = w.a.chain.log_count();
    relay(&w.a, &bad).unwrap();
    assert_eq!(delivered_events(&w.a, since), (0, 1));
    let failed = w.a.chain.logs_since(since).into_iter().find(|l| l.topics[0] == <restake_endpoint_receive::DeliveryFailed as alloy_sol_types::SolEvent>::SIGNATURE_HASH).unwrap();
    let ev =
        <restake_endpoint_receive::DeliveryFailed as alloy_sol_types::SolEvent>::decode_raw_log(
            failed.topics.iter().copied(),
            &failed.data,
        )
        .unwrap();
    assert_eq!(
        &ev.reason[..4],
        <lockbox::BridgeExceedsLedger as alloy_sol_types::SolError>::SELECTOR.as_slice()
    );
    assert_eq!(balance(&w.a, EVE), U256::ZERO);
    assert_eq!(balance(&w.a, lockbox_addr()), lrt(5));
    // Chain B's LRT are not at risk from chain C.
    let pb = bridge(&w.a, lockbox_addr(), ALICE, EID_B, BOB, lrt(7)).unwrap();
    assert!(arrive(&w.b, &pb));
    assert_eq!(
        w.a.chain
            .get(lockbox_addr(), &IBridge::outstandingCall { eid: EID_C })
            .unwrap(),
        lrt(5)
    );
    assert_eq!(
        w.a.chain
            .get(lockbox_addr(), &IBridge::outstandingCall { eid: EID_B })
            .unwrap(),
        lrt(7)
    );
}

#[test]
fn only_peers_through_the_endpoint_are_heard() {
    let w = world();
    let msg = shared::encode(EVE, lrt(1));
    let direct = IBridge::lzReceiveCall {
        srcEid: EID_B,
        sender: b32(BRIDGE),
        nonce: 1,
        guid: B256::ZERO,
        message: msg.clone().into(),
    };
    assert_err::<oapp_errors::OAppNotEndpoint, _>(w.a.chain.send(
        EVE,
        lockbox_addr(),
        &direct,
        U256::ZERO,
    ));
    assert_err::<oapp_errors::OAppNotEndpoint, _>(w.b.chain.send(EVE, BRIDGE, &direct, U256::ZERO));
    // EVE's own contract on chain B sends a transfer message to the lockbox.
    w.b.send_msg(EVE, EID_A, lockbox_addr(), &msg);
    let forged = last_packet(&w.b);
    assert!(!arrive(&w.a, &forged));
    // A remote only routes to the home.
    assert_err::<rbridge::BridgeNotHome, _>(w.b.chain.send(
        ADMIN,
        BRIDGE,
        &IBridge::setPeerCall {
            eid: EID_C,
            peer: BRIDGE,
        },
        U256::ZERO,
    ));
    assert_err::<rbridge::BridgeNotHome, _>(w.b.chain.send(
        BOB,
        BRIDGE,
        &IBridge::sendCall {
            dstEid: EID_C,
            to: BOB,
            amount: lrt(1),
        },
        U256::ZERO,
    ));
    assert_eq!(
        w.b.chain
            .get(BRIDGE, &IBridge::peerCall { eid: EID_A })
            .unwrap(),
        b32(lockbox_addr())
    );
}

#[test]
fn transfers_are_checked_and_paid() {
    let w = world();
    let send = |amount: U256, to: Address, value: U256| {
        w.a.chain.send(
            ALICE,
            lockbox_addr(),
            &IBridge::sendCall {
                dstEid: EID_B,
                to,
                amount,
            },
            value,
        )
    };
    w.a.chain.fund(ALICE, eth(1));
    assert_err::<shared::BridgeInvalidTransfer, _>(send(U256::ZERO, BOB, eth(1)));
    assert_err::<shared::BridgeInvalidTransfer, _>(send(lrt(1), Address::ZERO, eth(1)));
    assert_err::<oapp_errors::OAppEndpointCallFailed, _>(send(lrt(1), BOB, U256::from(10)));
    assert_err::<oapp_errors::OAppNoPeer, _>(w.a.chain.send(
        ALICE,
        lockbox_addr(),
        &IBridge::sendCall {
            dstEid: 999,
            to: BOB,
            amount: lrt(1),
        },
        eth(1),
    ));
    // No allowance: the token refuses.
    w.a.chain
        .send(
            ALICE,
            LRT,
            &ILrt::approveCall {
                spender: lockbox_addr(),
                value: U256::ZERO,
            },
            U256::ZERO,
        )
        .unwrap();
    assert_err::<shared::BridgeTokenFailed, _>(send(lrt(1), BOB, eth(1)));
    w.a.chain
        .send(
            ALICE,
            LRT,
            &ILrt::approveCall {
                spender: lockbox_addr(),
                value: U256::MAX,
            },
            U256::ZERO,
        )
        .unwrap();
    let before = w.a.chain.balance(ALICE);
    send(lrt(1), BOB, eth(1)).unwrap();
    let fee = U256::from(2 * VERIFIER_FEE + EXECUTOR_FEE);
    assert_eq!(
        w.a.chain.balance(ALICE),
        before - fee,
        "the endpoint refunds the excess to the sender"
    );
    assert_eq!(w.a.chain.balance(lockbox_addr()), U256::ZERO);
}

#[test]
fn pauses_and_admin_checks() {
    let w = world();
    assert_err::<access::AccessControlUnauthorizedAccount, _>(w.a.chain.send(
        EVE,
        lockbox_addr(),
        &IBridge::setPeerCall { eid: 1, peer: EVE },
        U256::ZERO,
    ));
    assert_err::<access::AccessControlUnauthorizedAccount, _>(w.a.chain.send(
        EVE,
        lockbox_addr(),
        &IBridge::setRateLimitCall {
            eid: 1,
            inbound: true,
            capacity: U256::MAX,
            refillPerSecond: 1,
        },
        U256::ZERO,
    ));
    assert_err::<access::AccessControlUnauthorizedAccount, _>(w.b.chain.send(
        EVE,
        BRIDGE,
        &IBridge::setRateLimitCall {
            eid: EID_A,
            inbound: true,
            capacity: U256::MAX,
            refillPerSecond: 1,
        },
        U256::ZERO,
    ));
    for (side, at) in [(&w.a, lockbox_addr()), (&w.b, BRIDGE)] {
        side.chain
            .send(
                ADMIN,
                at,
                &IAdmin::grantRoleCall {
                    role: pauser_role(),
                    account: PAUSER,
                },
                U256::ZERO,
            )
            .unwrap();
    }
    w.a.chain
        .send(
            PAUSER,
            lockbox_addr(),
            &IAdmin::pauseCall {
                group: lockbox::GROUP_SEND,
            },
            U256::ZERO,
        )
        .unwrap();
    assert_err::<pausable::PausableEnforcedPause, _>(bridge(
        &w.a,
        lockbox_addr(),
        ALICE,
        EID_B,
        BOB,
        lrt(1),
    ));
    w.a.chain
        .send(
            ADMIN,
            lockbox_addr(),
            &IAdmin::unpauseCall {
                group: lockbox::GROUP_SEND,
            },
            U256::ZERO,
        )
        .unwrap();
    let p = bridge(&w.a, lockbox_addr(), ALICE, EID_B, BOB, lrt(1)).unwrap();
    w.b.chain
        .send(
            PAUSER,
            BRIDGE,
            &IAdmin::pauseCall {
                group: rbridge::GROUP_RECEIVE,
            },
            U256::ZERO,
        )
        .unwrap();
    assert!(!arrive(&w.b, &p));
    w.b.chain
        .send(
            ADMIN,
            BRIDGE,
            &IAdmin::unpauseCall {
                group: rbridge::GROUP_RECEIVE,
            },
            U256::ZERO,
        )
        .unwrap();
    assert!(retry(&w.b, &p));
    // Lowering a capacity clamps the tokens available.
    w.a.chain
        .send(
            ADMIN,
            lockbox_addr(),
            &IBridge::setRateLimitCall {
                eid: EID_B,
                inbound: false,
                capacity: lrt(3),
                refillPerSecond: 0,
            },
            U256::ZERO,
        )
        .unwrap();
    assert_eq!(
        w.a.chain
            .get(
                lockbox_addr(),
                &IBridge::rateLimitCall {
                    eid: EID_B,
                    inbound: false
                }
            )
            .unwrap()
            ._2,
        lrt(3)
    );
    let c = restake_xchain_tests::Chain::new(1);
    assert!(c
        .deploy::<lockbox::LrtLockbox>(
            lockbox_addr(),
            ADMIN,
            (ADMIN, Address::ZERO, ENDPOINT, RECEIVE, CONFIG).abi_encode_params()
        )
        .is_err());
    assert!(c
        .deploy::<rbridge::LrtBridgeRemote>(
            BRIDGE,
            ADMIN,
            (ADMIN, LRT, ENDPOINT, RECEIVE, CONFIG, 0u32).abi_encode_params()
        )
        .is_err());
    let _ = Bytes::new();
}

/// One step of a random run.
#[derive(Clone, Debug)]
enum Op {
    /// Home -> remote (0 = B, 1 = C), amount in whole LRT.
    Out(u8, u64),
    /// Remote -> home.
    Back(u8, u64),
    /// Relay the oldest in-flight message of a route (0..4) if any.
    Relay(u8),
    /// Time passes.
    Warp(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..2, 1u64..60).prop_map(|(r, a)| Op::Out(r, a)),
        (0u8..2, 1u64..60).prop_map(|(r, a)| Op::Back(r, a)),
        (0u8..4).prop_map(Op::Relay),
        (0u64..40).prop_map(Op::Warp),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Invariants 16 and 18 over random transfers on all four routes: remote supply never
    /// exceeds what is locked at home (per chain, by the ledger, and in total), and every
    /// bucket passes at most `capacity + refill * T` in every window of `T` seconds.
    #[test]
    fn supply_and_rate_limits_hold_over_random_runs(ops in proptest::collection::vec(op(), 1..40)) {
        let w = world();
        let remotes = [(&w.b, EID_B), (&w.c, EID_C)];
        for (side, _) in remotes {
            side.chain.send(BOB, LRT, &ILrt::approveCall { spender: BRIDGE, value: U256::MAX }, U256::ZERO).unwrap();
        }
        // In flight per route: 0 A->B, 1 A->C, 2 B->A, 3 C->A.
        let mut flight: [Vec<Packet>; 4] = Default::default();
        // Amounts passed per bucket with their times: (route, time, amount).
        let mut passed: Vec<(u8, u64, U256)> = Vec::new();
        for op in ops {
            match op {
                Op::Out(r, amount) => {
                    let (_, eid) = remotes[r as usize];
                    if let Ok(p) = bridge(&w.a, lockbox_addr(), ALICE, eid, BOB, lrt(amount)) {
                        passed.push((r, w.a.chain.now(), lrt(amount)));
                        flight[r as usize].push(p);
                    }
                }
                Op::Back(r, amount) => {
                    let (side, _) = remotes[r as usize];
                    if let Ok(p) = bridge(side, BRIDGE, BOB, EID_A, BOB, lrt(amount)) {
                        passed.push((r + 2, side.chain.now(), lrt(amount)));
                        flight[2 + r as usize].push(p);
                    }
                }
                Op::Relay(route) => {
                    let route = route as usize;
                    if let Some(p) = flight[route].first().cloned() {
                        let dst = if route < 2 { remotes[route].0 } else { &w.a };
                        let since = dst.chain.log_count();
                        attest(dst, &p, &[V1, V2]);
                        let _ = commit(dst, &p);
                        deliver(dst, &p).unwrap();
                        if delivered_events(dst, since).0 == 1 {
                            flight[route].remove(0);
                            // Inbound buckets: 4 + route.
                            passed.push((4 + route as u8, dst.chain.now(), U256::from_be_slice(&p.message[21..])));
                        }
                    }
                }
                Op::Warp(s) => {
                    for side in [&w.a, &w.b, &w.c] {
                        side.chain.warp(s);
                    }
                }
            }
            // Invariant 16.
            let locked = balance(&w.a, lockbox_addr());
            let mut total = U256::ZERO;
            for (side, eid) in remotes {
                let out = w.a.chain.get(lockbox_addr(), &IBridge::outstandingCall { eid }).unwrap();
                prop_assert!(supply(side) <= out, "remote supply above its ledger entry");
                total += out;
            }
            prop_assert!(total <= locked);
            prop_assert!(supply(&w.b) + supply(&w.c) <= locked);
        }
        // Invariant 18: every window of every bucket (8 buckets: 4 out, 4 in; each route's
        // outbound on the sender, inbound on the receiver).
        for bucket in 0u8..8 {
            let events: Vec<(u64, U256)> = passed.iter().filter(|e| e.0 == bucket).map(|e| (e.1, e.2)).collect();
            for i in 0..events.len() {
                let mut sum = U256::ZERO;
                for e in &events[i..] {
                    sum += e.1;
                    let bound = lrt(CAP) + lrt(1) * U256::from(e.0 - events[i].0);
                    prop_assert!(sum <= bound, "bucket {} passed {} within {} s", bucket, sum, e.0 - events[i].0);
                }
            }
        }
    }
}
