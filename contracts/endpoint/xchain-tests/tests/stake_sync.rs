//! Stake-state sync across two (and three) in-process chains: the real StakeSyncHome reading a
//! fake vault and slashing manager, the real endpoints, the real StakeSyncRemote.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::{cell::RefCell, rc::Rc};

use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use common::*;
use proptest::prelude::*;
use restake_oapp::oapp as oapp_errors;
use restake_shared::{access, pausable};
use restake_stake_sync as home;
use restake_stake_sync_remote as remote;
use restake_xchain_tests::{Chain, Fake};

sol! {
    interface IHome {
        function publish() external payable returns (uint64);
        function quotePublish() external view returns (uint256);
        function publicationDue() external view returns (bool);
        function latestState() external view returns (uint64, uint64, uint256, uint256, uint256, uint64, bool);
        function setPeer(uint32 eid, address peer) external;
        function setPublishing(uint64 minInterval, address slashingManager) external;
    }
    interface IRemote {
        function latestState() external view returns (uint64, uint64, uint256, uint256, uint256, uint64, bool);
        function exchangeRate() external view returns (uint256);
        function setPeer(uint32 eid, address peer) external;
        function setLimits(uint64 maxAge, uint16 maxUpBps) external;
        function lzReceive(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes message) external;
    }
    interface IFakeVault {
        function totalAssets() external view returns (uint256);
        function totalShares() external view returns (uint256);
        function exchangeRate() external view returns (uint256);
    }
    interface IFakeSlashing {
        function requestCount() external view returns (uint64);
        function slashRequest(uint64 requestId) external view returns (address, uint64, uint256, uint64, uint8);
    }
}

pub const HOME: Address = address!("00000000000000000000000000000000005c0001");
pub const REMOTE: Address = address!("00000000000000000000000000000000005c0002");
pub const VAULT: Address = address!("00000000000000000000000000000000000ba017");
pub const SLASHING: Address = address!("00000000000000000000000000000000005a5401");
const EID_C: u32 = 303;

/// A vault answering the three views.
pub struct FakeVault {
    pub rate: U256,
    pub assets: U256,
    pub shares: U256,
    pub down: bool,
}

impl Fake for FakeVault {
    fn call(
        &mut self,
        _: &Chain,
        _: Address,
        data: &[u8],
        _: U256,
        _: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        if self.down {
            return Err(Vec::new());
        }
        let sel: [u8; 4] = data.get(..4).ok_or_else(Vec::new)?.try_into().unwrap();
        let v = match sel {
            IFakeVault::totalAssetsCall::SELECTOR => self.assets,
            IFakeVault::totalSharesCall::SELECTOR => self.shares,
            IFakeVault::exchangeRateCall::SELECTOR => self.rate,
            _ => return Err(Vec::new()),
        };
        Ok(v.abi_encode())
    }
}

/// A slashing manager with requests of the given statuses (ids from 1).
pub struct FakeSlashing {
    pub statuses: Vec<u8>,
}

impl Fake for FakeSlashing {
    fn call(
        &mut self,
        _: &Chain,
        _: Address,
        data: &[u8],
        _: U256,
        _: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        if IFakeSlashing::requestCountCall::abi_decode(data).is_ok() {
            return Ok((self.statuses.len() as u64).abi_encode());
        }
        let c = IFakeSlashing::slashRequestCall::abi_decode(data).map_err(|_| Vec::new())?;
        let status = self
            .statuses
            .get((c.requestId as usize).wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        let mut out = (Address::ZERO, 1u64, U256::from(1), 0u64).abi_encode_params();
        out.extend_from_slice(&U256::from(status).to_be_bytes::<32>());
        Ok(out)
    }
}

pub struct World {
    pub a: Side,
    pub b: Side,
    pub vault: Rc<RefCell<FakeVault>>,
    pub slashing: Rc<RefCell<FakeSlashing>>,
}

pub fn wad(x: u64) -> U256 {
    U256::from(x) * U256::from(10u64).pow(U256::from(15)) // x / 1000 of 1e18
}

/// Deploys a remote on `side` trusting the home on chain A, configured for `src` by its
/// delegate (the admin).
fn deploy_remote(side: &Side, ordered: bool) {
    side.chain
        .deploy::<remote::StakeSyncRemote>(
            REMOTE,
            ADMIN,
            (ADMIN, RECEIVE, CONFIG).abi_encode_params(),
        )
        .unwrap();
    side.chain
        .send(
            ADMIN,
            REMOTE,
            &IRemote::setPeerCall {
                eid: EID_A,
                peer: HOME,
            },
            U256::ZERO,
        )
        .unwrap();
    side.chain
        .send(
            ADMIN,
            CONFIG,
            &IEndpointConfig::setReceiveConfigForCall {
                receiver: REMOTE,
                srcEid: EID_A,
                required: vec![V1, V2],
                optional: vec![],
                threshold: 0,
                ordered,
            },
            U256::ZERO,
        )
        .unwrap();
}

pub fn world(ordered: bool) -> World {
    let a = Side::new(1001, EID_A);
    let b = Side::new(2002, EID_B);
    a.price(EID_B);
    let vault = Rc::new(RefCell::new(FakeVault {
        rate: wad(1000),
        assets: eth(100),
        shares: eth(100),
        down: false,
    }));
    a.chain.add_fake(VAULT, vault.clone());
    let slashing = Rc::new(RefCell::new(FakeSlashing { statuses: vec![] }));
    a.chain.add_fake(SLASHING, slashing.clone());
    a.chain
        .deploy::<home::StakeSyncHome>(HOME, ADMIN, (ADMIN, ENDPOINT, VAULT).abi_encode_params())
        .unwrap();
    a.chain
        .send(
            ADMIN,
            HOME,
            &IHome::setPeerCall {
                eid: EID_B,
                peer: REMOTE,
            },
            U256::ZERO,
        )
        .unwrap();
    a.chain
        .send(
            ADMIN,
            HOME,
            &IHome::setPublishingCall {
                minInterval: 3_600,
                slashingManager: SLASHING,
            },
            U256::ZERO,
        )
        .unwrap();
    deploy_remote(&b, ordered);
    World {
        a,
        b,
        vault,
        slashing,
    }
}

impl World {
    /// Publishes, paying the quote; returns the packets sent.
    pub fn publish(&self) -> Result<Vec<Packet>, Vec<u8>> {
        let fee = self.a.chain.get(HOME, &IHome::quotePublishCall {}).unwrap();
        self.a.chain.fund(BOB, fee);
        let since = self.a.chain.log_count();
        self.a.chain.send(BOB, HOME, &IHome::publishCall {}, fee)?;
        Ok(packets(&self.a.chain.logs_since(since)))
    }

    pub fn remote_state(&self) -> IRemote::latestStateReturn {
        self.b
            .chain
            .get(REMOTE, &IRemote::latestStateCall {})
            .unwrap()
    }

    pub fn remote_rate(&self) -> Result<U256, Vec<u8>> {
        self.b.chain.get(REMOTE, &IRemote::exchangeRateCall {})
    }

    /// Relays `p` to chain B; returns whether the remote accepted it.
    pub fn relay(&self, p: &Packet) -> bool {
        let since = self.b.chain.log_count();
        relay(&self.b, p).unwrap();
        delivered_events(&self.b, since) == (1, 0)
    }

    pub fn warp(&self, secs: u64) {
        self.a.chain.warp(secs);
        self.b.chain.warp(secs);
    }
}

#[test]
fn a_publication_arrives_and_serves_the_rate() {
    let w = world(true);
    assert_err::<remote::StakeSyncNoState, _>(w.remote_rate());
    let ps = w.publish().unwrap();
    assert_eq!(ps.len(), 1);
    let home_state = w.a.chain.get(HOME, &IHome::latestStateCall {}).unwrap();
    assert_eq!((home_state._0, home_state._2), (1, wad(1000)));
    assert!(w.relay(&ps[0]));
    let s = w.remote_state();
    assert_eq!(
        (s._0, s._1, s._2, s._3, s._4, s._5, s._6),
        (1, w.a.chain.now(), wad(1000), eth(100), eth(100), 0, false)
    );
    assert_eq!(w.remote_rate().unwrap(), wad(1000));
}

#[test]
fn publications_respect_the_minimum_interval() {
    let w = world(true);
    w.publish().unwrap();
    assert!(!w.a.chain.get(HOME, &IHome::publicationDueCall {}).unwrap());
    assert_err::<home::StakeSyncTooSoon, _>(w.publish());
    w.warp(3_599);
    assert_err::<home::StakeSyncTooSoon, _>(w.publish());
    w.warp(1);
    assert!(w.a.chain.get(HOME, &IHome::publicationDueCall {}).unwrap());
    let ps = w.publish().unwrap();
    assert_eq!(ps[0].nonce(), 2);
    // A rate increase alone does not make a publication due.
    w.vault.borrow_mut().rate = wad(1001);
    assert_err::<home::StakeSyncTooSoon, _>(w.publish());
}

#[test]
fn fees_are_checked_and_the_rest_refunded() {
    let w = world(true);
    let fee = w.a.chain.get(HOME, &IHome::quotePublishCall {}).unwrap();
    assert_eq!(fee, U256::from(2 * VERIFIER_FEE + EXECUTOR_FEE));
    w.a.chain.fund(BOB, U256::from(100_000));
    assert_err::<home::StakeSyncInsufficientFee, _>(w.a.chain.send(
        BOB,
        HOME,
        &IHome::publishCall {},
        fee - U256::from(1),
    ));
    w.a.chain
        .send(BOB, HOME, &IHome::publishCall {}, U256::from(100_000))
        .unwrap();
    assert_eq!(w.a.chain.balance(BOB), U256::from(100_000) - fee);
    assert_eq!(w.a.chain.balance(HOME), U256::ZERO);
}

#[test]
fn a_slash_makes_a_publication_due_at_once() {
    let w = world(true);
    assert!(w.relay(&w.publish().unwrap()[0]));
    // A slash request: due at once, pending flag set, dependent contracts stop.
    w.slashing.borrow_mut().statuses.push(1);
    assert!(w.a.chain.get(HOME, &IHome::publicationDueCall {}).unwrap());
    assert!(w.relay(&w.publish().unwrap()[0]));
    let s = w.remote_state();
    assert_eq!((s._0, s._5, s._6), (2, 1, true));
    assert_err::<remote::StakeSyncSlashPending, _>(w.remote_rate());
    // Nothing changed: not due.
    assert_err::<home::StakeSyncTooSoon, _>(w.publish());
    // Executed: the rate falls and the request is resolved.
    w.slashing.borrow_mut().statuses[0] = 3;
    w.vault.borrow_mut().rate = wad(900);
    assert!(w.relay(&w.publish().unwrap()[0]));
    let s = w.remote_state();
    assert_eq!((s._0, s._2, s._5, s._6), (3, wad(900), 2, false));
    assert_eq!(w.remote_rate().unwrap(), wad(900), "a fall is taken whole");
    // A vetoed request: pending then cleared, without a rate change.
    w.slashing.borrow_mut().statuses.push(1);
    assert!(w.relay(&w.publish().unwrap()[0]));
    assert!(w.remote_state()._6);
    w.slashing.borrow_mut().statuses[1] = 2;
    assert!(w.relay(&w.publish().unwrap()[0]));
    assert!(!w.remote_state()._6);
    assert_eq!(w.remote_state()._5, 3);
}

#[test]
fn too_many_unresolved_requests_count_as_pending() {
    let w = world(true);
    w.slashing.borrow_mut().statuses = vec![2; 40];
    w.publish().unwrap();
    let st = w.a.chain.get(HOME, &IHome::latestStateCall {}).unwrap();
    assert!(
        st._6,
        "only the first {} requests were read",
        home::MAX_SCAN
    );
    w.warp(3_600);
    w.publish().unwrap();
    w.warp(3_600);
    w.publish().unwrap();
    assert!(
        !w.a.chain.get(HOME, &IHome::latestStateCall {}).unwrap()._6,
        "the cursor caught up"
    );
}

#[test]
fn upward_moves_are_bounded_and_downward_moves_are_not() {
    let w = world(true);
    assert!(w.relay(&w.publish().unwrap()[0]));
    w.warp(3_600);
    w.vault.borrow_mut().rate = wad(1050);
    let since = w.b.chain.log_count();
    assert!(w.relay(&w.publish().unwrap()[0]));
    assert_eq!(w.remote_rate().unwrap(), wad(1010), "clamped to +1%");
    assert!(
        w.b.chain
            .logs_since(since)
            .iter()
            .any(|l| l.topics[0]
                == <remote::RateClamped as alloy_sol_types::SolEvent>::SIGNATURE_HASH)
    );
    w.warp(3_600);
    assert!(w.relay(&w.publish().unwrap()[0]));
    assert_eq!(
        w.remote_rate().unwrap(),
        U256::from(1_020_100_000_000_000_000u64),
        "another +1% step"
    );
    w.vault.borrow_mut().rate = wad(500);
    assert!(w.relay(&w.publish().unwrap()[0]));
    assert_eq!(w.remote_rate().unwrap(), wad(500));
    // A wider bound set by the admin.
    assert_err::<access::AccessControlUnauthorizedAccount, _>(w.b.chain.send(
        EVE,
        REMOTE,
        &IRemote::setLimitsCall {
            maxAge: 10,
            maxUpBps: 10_000,
        },
        U256::ZERO,
    ));
    w.b.chain
        .send(
            ADMIN,
            REMOTE,
            &IRemote::setLimitsCall {
                maxAge: 86_400,
                maxUpBps: 10_000,
            },
            U256::ZERO,
        )
        .unwrap();
    w.warp(3_600);
    w.vault.borrow_mut().rate = wad(1000);
    assert!(w.relay(&w.publish().unwrap()[0]));
    assert_eq!(w.remote_rate().unwrap(), wad(1000));
}

#[test]
fn a_stale_state_is_refused() {
    let w = world(true);
    assert!(w.relay(&w.publish().unwrap()[0]));
    w.warp(86_400);
    assert_eq!(w.remote_rate().unwrap(), wad(1000));
    w.warp(1);
    assert_err::<remote::StakeSyncStale, _>(w.remote_rate());
    // A late delivery of an old state is stale on arrival.
    w.warp(3_600);
    let p = w.publish().unwrap().remove(0);
    w.warp(90_000);
    assert!(w.relay(&p));
    assert_err::<remote::StakeSyncStale, _>(w.remote_rate());
}

#[test]
fn older_sequences_are_refused_on_unordered_paths() {
    let w = world(false);
    let p1 = w.publish().unwrap().remove(0);
    w.warp(3_600);
    w.vault.borrow_mut().rate = wad(999);
    let p2 = w.publish().unwrap().remove(0);
    assert!(w.relay(&p2));
    assert!(!w.relay(&p1), "sequence 1 after 2 is refused");
    assert_eq!(w.remote_state()._0, 2);
    assert_eq!(w.remote_rate().unwrap(), wad(999));
    // The refused message stays committed: the delegate (the admin) clears it.
    w.b.chain
        .send(
            ADMIN,
            RECEIVE,
            &IEndpointReceive::clearCall {
                header: p1.header.clone().into(),
                guid: p1.guid,
                message: p1.message.clone().into(),
            },
            U256::ZERO,
        )
        .unwrap();
    assert_eq!(
        w.b.chain
            .get(
                RECEIVE,
                &IEndpointReceive::inboundNonceCall {
                    receiver: REMOTE,
                    srcEid: EID_A,
                    sender: b32(HOME)
                }
            )
            .unwrap(),
        2
    );
}

#[test]
fn only_the_home_peer_through_the_endpoint_is_heard() {
    let w = world(true);
    // Called directly.
    let direct = IRemote::lzReceiveCall {
        srcEid: EID_A,
        sender: b32(HOME),
        nonce: 1,
        guid: Default::default(),
        message: Bytes::new(),
    };
    assert_err::<oapp_errors::OAppNotEndpoint, _>(w.b.chain.send(EVE, REMOTE, &direct, U256::ZERO));
    // A forged state from another contract on the home chain, with the full quorum attesting
    // what really was sent.
    let forged = restake_oapp::stake_state::StakeState {
        sequence: 9,
        timestamp: w.a.chain.now(),
        rate: wad(5000),
        ..Default::default()
    };
    w.a.send_msg(EVE, EID_B, REMOTE, &forged.encode());
    let p = last_packet(&w.a);
    w.b.require_two(REMOTE, EID_A); // keep the config (delegate set it; the receiver itself may too)
    assert!(!w.relay(&p), "wrong peer");
    // The same sender address on another chain.
    let c = Side::new(3003, EID_C);
    c.price(EID_B);
    c.chain
        .deploy::<home::StakeSyncHome>(HOME, ADMIN, (ADMIN, ENDPOINT, VAULT).abi_encode_params())
        .unwrap();
    c.chain.add_fake(VAULT, w.vault.clone());
    c.chain
        .send(
            ADMIN,
            HOME,
            &IHome::setPeerCall {
                eid: EID_B,
                peer: REMOTE,
            },
            U256::ZERO,
        )
        .unwrap();
    let fee = c.chain.get(HOME, &IHome::quotePublishCall {}).unwrap();
    c.chain.fund(BOB, fee);
    c.chain
        .send(BOB, HOME, &IHome::publishCall {}, fee)
        .unwrap();
    let pc = last_packet(&c);
    w.b.chain
        .send(
            ADMIN,
            CONFIG,
            &IEndpointConfig::setReceiveConfigForCall {
                receiver: REMOTE,
                srcEid: EID_C,
                required: vec![V1, V2],
                optional: vec![],
                threshold: 0,
                ordered: false,
            },
            U256::ZERO,
        )
        .unwrap();
    assert!(!w.relay(&pc), "wrong source chain");
    assert_eq!(w.remote_state()._0, 0);
}

#[test]
fn a_paused_remote_keeps_messages_retryable() {
    let w = world(true);
    w.b.chain
        .send(
            ADMIN,
            REMOTE,
            &IAdmin::grantRoleCall {
                role: pauser_role(),
                account: PAUSER,
            },
            U256::ZERO,
        )
        .unwrap();
    w.b.chain
        .send(
            PAUSER,
            REMOTE,
            &IAdmin::pauseCall {
                group: remote::GROUP_RECEIVE,
            },
            U256::ZERO,
        )
        .unwrap();
    let p = w.publish().unwrap().remove(0);
    assert!(!w.relay(&p));
    w.b.chain
        .send(
            ADMIN,
            REMOTE,
            &IAdmin::unpauseCall {
                group: remote::GROUP_RECEIVE,
            },
            U256::ZERO,
        )
        .unwrap();
    let since = w.b.chain.log_count();
    deliver(&w.b, &p).unwrap();
    assert_eq!(delivered_events(&w.b, since), (1, 0));
    assert_eq!(w.remote_state()._0, 1);
    // Publishing pauses too.
    w.a.chain
        .send(
            ADMIN,
            HOME,
            &IAdmin::grantRoleCall {
                role: pauser_role(),
                account: PAUSER,
            },
            U256::ZERO,
        )
        .unwrap();
    w.a.chain
        .send(
            PAUSER,
            HOME,
            &IAdmin::pauseCall {
                group: home::GROUP_PUBLISH,
            },
            U256::ZERO,
        )
        .unwrap();
    w.warp(3_600);
    assert_err::<pausable::PausableEnforcedPause, _>(w.publish());
}

#[test]
fn every_remote_gets_each_publication() {
    let w = world(true);
    let c = Side::new(3003, EID_C);
    deploy_remote(&c, true);
    w.a.price(EID_C);
    w.a.chain
        .send(
            ADMIN,
            HOME,
            &IHome::setPeerCall {
                eid: EID_C,
                peer: REMOTE,
            },
            U256::ZERO,
        )
        .unwrap();
    assert_eq!(
        w.a.chain.get(HOME, &IHome::quotePublishCall {}).unwrap(),
        U256::from(2 * (2 * VERIFIER_FEE + EXECUTOR_FEE))
    );
    let ps = w.publish().unwrap();
    assert_eq!(ps.len(), 2);
    let to_c = ps
        .iter()
        .find(|p| p.header[45..49] == EID_C.to_be_bytes())
        .unwrap();
    let since = c.chain.log_count();
    relay(&c, to_c).unwrap();
    assert_eq!(delivered_events(&c, since), (1, 0));
    assert_eq!(
        c.chain.get(REMOTE, &IRemote::exchangeRateCall {}).unwrap(),
        wad(1000)
    );
    // Removing a peer stops publications to it.
    w.a.chain
        .send(
            ADMIN,
            HOME,
            &IHome::setPeerCall {
                eid: EID_C,
                peer: Address::ZERO,
            },
            U256::ZERO,
        )
        .unwrap();
    w.warp(3_600);
    assert_eq!(w.publish().unwrap().len(), 1);
}

#[test]
fn the_home_reports_an_unavailable_vault_and_checks_its_admin() {
    let w = world(true);
    w.vault.borrow_mut().down = true;
    assert_err::<home::StakeSyncSourceUnavailable, _>(
        w.a.chain.get(HOME, &IHome::publicationDueCall {}),
    );
    w.vault.borrow_mut().down = false;
    assert_err::<access::AccessControlUnauthorizedAccount, _>(w.a.chain.send(
        EVE,
        HOME,
        &IHome::setPeerCall { eid: 1, peer: EVE },
        U256::ZERO,
    ));
    assert_err::<access::AccessControlUnauthorizedAccount, _>(w.a.chain.send(
        EVE,
        HOME,
        &IHome::setPublishingCall {
            minInterval: 0,
            slashingManager: EVE,
        },
        U256::ZERO,
    ));
    assert_err::<access::AccessControlUnauthorizedAccount, _>(w.b.chain.send(
        EVE,
        REMOTE,
        &IRemote::setPeerCall { eid: 1, peer: EVE },
        U256::ZERO,
    ));
    for i in 0..home::MAX_REMOTES as u32 - 1 {
        w.a.chain
            .send(
                ADMIN,
                HOME,
                &IHome::setPeerCall {
                    eid: 1000 + i,
                    peer: REMOTE,
                },
                U256::ZERO,
            )
            .unwrap();
    }
    assert_err::<home::StakeSyncTooManyRemotes, _>(w.a.chain.send(
        ADMIN,
        HOME,
        &IHome::setPeerCall {
            eid: 2000,
            peer: REMOTE,
        },
        U256::ZERO,
    ));
    // A remote without a priced destination cannot be quoted.
    assert_err::<oapp_errors::OAppEndpointCallFailed, _>(
        w.a.chain.get(HOME, &IHome::quotePublishCall {}),
    );
    let c = Chain::new(1);
    assert!(c
        .deploy::<home::StakeSyncHome>(
            HOME,
            ADMIN,
            (ADMIN, ENDPOINT, Address::ZERO).abi_encode_params()
        )
        .is_err());
    assert!(c
        .deploy::<remote::StakeSyncRemote>(
            REMOTE,
            ADMIN,
            (ADMIN, Address::ZERO, CONFIG).abi_encode_params()
        )
        .is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Invariant 17: whatever the delivery order, the remote only ever moves to a higher
    /// sequence, ends at the highest one delivered, and a stale state blocks the rate.
    #[test]
    fn remote_sequences_only_increase(order in Just((0..6usize).collect::<Vec<_>>()).prop_shuffle(), rates in proptest::collection::vec(900u64..1100, 6)) {
        let w = world(false);
        w.b.chain.send(ADMIN, REMOTE, &IRemote::setLimitsCall { maxAge: 86_400, maxUpBps: 10_000 }, U256::ZERO).unwrap();
        let mut ps = Vec::new();
        for r in &rates {
            w.vault.borrow_mut().rate = wad(*r);
            ps.push(w.publish().unwrap().remove(0));
            w.warp(3_600);
        }
        let mut seen = 0u64;
        for i in order {
            let accepted = w.relay(&ps[i]);
            let seq = i as u64 + 1;
            prop_assert_eq!(accepted, seq > seen);
            seen = seen.max(seq);
            let s = w.remote_state();
            prop_assert_eq!(s._0, seen);
            prop_assert_eq!(s._2, wad(rates[seen as usize - 1]));
        }
        w.warp(86_400);
        prop_assert!(w.remote_rate().is_err());
    }
}
