//! Unit tests of the slashing manager and the named regression tests of issue 5.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use common::*;

use alloy_primitives::{Address, FixedBytes, U256};
use restake_shared::access::AccessControlUnauthorizedAccount;
use restake_shared::pausable::PausableEnforcedPause;
use slashing_manager::*;

fn request(w: &World, n: u8, o: u8, set: u64, wad: U256) -> u64 {
    w.ok(
        slasher(n),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(o),
            setId: set,
            wad,
            evidence: FixedBytes::repeat_byte(7),
        },
    )
}

fn status(w: &World, id: u64) -> u8 {
    w.view(SM, ISlashing::slashRequestCall { requestId: id })._4
}

#[test]
fn requests_need_the_slasher_and_a_valid_fraction() {
    let (w, set) = scenario(100, mag_pct(50));
    let req = |wad: U256| ISlashing::requestSlashCall {
        operator: operator(1),
        setId: set,
        wad,
        evidence: FixedBytes::ZERO,
    };
    let e: AccessControlUnauthorizedAccount = w.err(slasher(2), SM, req(WAD));
    assert_eq!(e.neededRole, SLASHER);
    let e: AccessControlUnauthorizedAccount = w.err(
        slasher(1),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(1),
            setId: 99,
            wad: WAD,
            evidence: FixedBytes::ZERO,
        },
    );
    assert_eq!(e.account, slasher(1));
    let _: SlashingInvalidFraction = w.err(slasher(1), SM, req(U256::ZERO));
    let _: SlashingInvalidFraction = w.err(slasher(1), SM, req(WAD + U256::from(1)));
    let id1 = request(&w, 1, 1, set, WAD);
    let id2 = request(&w, 1, 1, set, WAD);
    assert_eq!((id1, id2), (1, 2));
    assert_eq!(w.view(SM, ISlashing::requestCountCall {}), 2);
    let r = w.view(SM, ISlashing::slashRequestCall { requestId: id1 });
    assert_eq!(
        (r._0, r._1, r._2, r._3, r._4),
        (operator(1), set, WAD, w.now() + DAY, STATUS_REQUESTED)
    );
    let ev = w.events::<SlashRequested>(SM);
    assert_eq!(
        (ev[0].evidence, ev[0].vetoEnd),
        (FixedBytes::repeat_byte(7), w.now() + DAY)
    );
    assert_eq!(status(&w, 77), STATUS_NONE);
}

#[test]
fn veto_window_then_execution_window_then_expiry() {
    let (w, set) = scenario(100, mag_pct(50));
    let id = request(&w, 1, 1, set, wad_pct(10));
    let e: SlashingVetoWindow = w.err(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    );
    assert_eq!(e.vetoEnd, w.now() + DAY);
    let e: AccessControlUnauthorizedAccount =
        w.err(slasher(1), SM, ISlashing::vetoSlashCall { requestId: id });
    assert_eq!(e.neededRole, RESOLVER);
    w.ok(resolver(1), SM, ISlashing::vetoSlashCall { requestId: id });
    assert_eq!(status(&w, id), STATUS_VETOED);
    let e: SlashingInvalidStatus =
        w.err(resolver(1), SM, ISlashing::vetoSlashCall { requestId: id });
    assert_eq!(e.status, STATUS_VETOED);
    w.warp(DAY);
    let _: SlashingInvalidStatus = w.err(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    );
    // A second request: the veto window closes, then anyone executes once.
    let id = request(&w, 1, 1, set, wad_pct(10));
    w.warp(DAY);
    let _: SlashingVetoWindow = w.err(resolver(1), SM, ISlashing::vetoSlashCall { requestId: id });
    let taken = w.ok(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    );
    assert_eq!(taken, eth(5));
    assert_eq!(status(&w, id), STATUS_EXECUTED);
    let _: SlashingInvalidStatus = w.err(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    );
    // A third one expires.
    let id = request(&w, 1, 1, set, wad_pct(10));
    w.warp(DAY + EXECUTION_WINDOW);
    assert_eq!(status(&w, id), STATUS_EXPIRED);
    let e: SlashingInvalidStatus = w.err(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    );
    assert_eq!(e.status, STATUS_EXPIRED);
    let _: SlashingInvalidStatus = w.err(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: 999 },
    );
    assert_eq!(w.events::<SlashVetoed>(SM).len(), 1);
    let ev = w.events::<SlashExecuted>(SM);
    assert_eq!(
        (ev.len(), ev[0].taken, ev[0].recipient),
        (1, eth(5), payout(1))
    );
}

#[test]
fn execution_respects_the_stricter_cap_and_burns_without_payout() {
    let w = deploy();
    w.ok(service(1), REG, IRegistry::registerServiceCall {});
    let set = w.ok(
        service(1),
        REG,
        IRegistry::configureSetCall {
            setId: 0,
            slasher: slasher(1),
            resolver: Address::ZERO,
            payout: Address::ZERO,
            maxSlashBps: 2_000,
            vetoWindow: DAY,
            autoAccept: true,
        },
    );
    register_operator(&w, 1, 0);
    register_vault(&w, 1);
    w.deposit(vault(1), staker(1), eth(100));
    delegate(&w, 1, 1, eth(100));
    allocate(&w, 1, set, MAG);
    let id = request(&w, 1, 1, set, WAD);
    // No resolver: nobody can veto.
    let _: AccessControlUnauthorizedAccount = w.err(
        Address::ZERO,
        SM,
        ISlashing::vetoSlashCall { requestId: id },
    );
    // The cap is lowered after the request: the lower one applies.
    w.ok(
        service(1),
        REG,
        IRegistry::configureSetCall {
            setId: set,
            slasher: slasher(1),
            resolver: Address::ZERO,
            payout: Address::ZERO,
            maxSlashBps: 1_000,
            vetoWindow: DAY,
            autoAccept: true,
        },
    );
    w.warp(DAY);
    let taken = w.ok(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    );
    assert_eq!(taken, eth(10));
    assert_eq!(w.eth_of(BURN), eth(10));
}

#[test]
fn slashed_value_comes_from_eth_first_then_tokens() {
    let (w, set) = scenario(10, MAG);
    // The vault also holds 100 token units at 2 ETH each; delegate 100 more ETH of value.
    w.add_token(token(1));
    w.list_token(vault(1), token(1), rate_provider(1), WAD * U256::from(2));
    w.deposit_token(vault(1), token(1), eth(100));
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(1),
            amount: eth(210),
        },
    );
    let taken = slash(&w, 1, 1, set, wad_pct(50), DAY);
    assert_eq!(taken, eth(105));
    assert_eq!(w.eth_of(payout(1)), eth(10));
    // 95 ETH of value in tokens at 2 ETH per unit: 47.5 units.
    assert_eq!(
        w.token_balance(token(1), payout(1)),
        eth(95) / U256::from(2)
    );
    assert_eq!(w.total_assets(vault(1)), eth(105));
    let ev = w.events::<VaultSlashed>(SM);
    assert_eq!((ev[0].value, ev[0].shortfall), (eth(105), U256::ZERO));
}

#[test]
fn a_failing_rate_provider_makes_the_token_worthless() {
    let (w, set) = scenario(10, MAG);
    // A token whose provider fails is skipped.
    w.add_token(token(1));
    w.list_token(vault(1), token(1), rate_provider(1), WAD);
    w.deposit_token(vault(1), token(1), eth(10));
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(1),
            amount: eth(20),
        },
    );
    w.w.borrow_mut()
        .rates
        .get_mut(&rate_provider(1))
        .unwrap()
        .fail = true;
    let taken = slash(&w, 1, 1, set, WAD, DAY);
    // Total assets now read 10 (the token is worth 0): the vault is over-delegated, the
    // stake is 10 and all of it is taken in ETH.
    assert_eq!(taken, eth(10));
    let ev = w.events::<VaultSlashed>(SM);
    assert_eq!(ev[0].shortfall, U256::ZERO);
}

#[test]
fn pausing_requests_and_execution_never_vetoes() {
    let (w, set) = scenario(100, MAG);
    let id = request(&w, 1, 1, set, wad_pct(1));
    w.ok(
        PAUSER,
        SM,
        IAdmin::pauseCall {
            group: GROUP_REQUESTS,
        },
    );
    w.ok(
        PAUSER,
        SM,
        IAdmin::pauseCall {
            group: GROUP_EXECUTION,
        },
    );
    let e: PausableEnforcedPause = w.err(
        slasher(1),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(1),
            setId: set,
            wad: WAD,
            evidence: FixedBytes::ZERO,
        },
    );
    assert_eq!(e.group, GROUP_REQUESTS);
    w.ok(resolver(1), SM, ISlashing::vetoSlashCall { requestId: id });
    let e: PausableEnforcedPause = w.err(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    );
    assert_eq!(e.group, GROUP_EXECUTION);
}

// ------------------------------------------------------------------ named regressions

/// A staker queues a withdrawal; the slash executes before the claim: the withdrawal bears its
/// share of the loss (paid min(value at request, value at claim)).
#[test]
fn regression_slash_racing_a_queued_withdrawal() {
    let w = deploy();
    let set = service_with_set(&w, 1, 10_000, DAY);
    register_operator(&w, 1, 0);
    register_vault(&w, 1);
    w.deposit(vault(1), staker(1), eth(50));
    w.deposit(vault(1), staker(2), eth(50));
    delegate(&w, 1, 1, eth(100));
    allocate(&w, 1, set, MAG);
    let shares = w.w.borrow().vaults[&vault(1)].shares[&staker(1)];
    let id = w.ok(
        slasher(1),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(1),
            setId: set,
            wad: wad_pct(20),
            evidence: FixedBytes::ZERO,
        },
    );
    let i = w.request_withdrawal(vault(1), staker(1), shares);
    w.warp(DAY);
    assert_eq!(
        w.ok(
            acct(1, 1),
            SM,
            ISlashing::executeSlashCall { requestId: id }
        ),
        eth(20)
    );
    let paid = w.claim_withdrawal(vault(1), i);
    // 50 ETH requested, 20% slashed: about 40 paid (never the 50 at request).
    assert!(
        paid <= eth(40) && paid + U256::from(2) >= eth(40),
        "paid {paid}"
    );
    let left = w.value_of(vault(1), staker(2));
    assert!(
        left <= eth(40) && left + U256::from(2) >= eth(40),
        "left {left}"
    );
}

/// A slash so small that the magnitude cut rounds to zero: the magnitude still falls (cut
/// rounded up to 1), no vault loses more than the fraction (here nothing), and nothing panics
/// or divides by zero.
#[test]
fn regression_slashing_factor_rounding_to_zero() {
    let (w, set) = scenario(1, 1);
    let before = w.view(
        AM,
        IAllocation::magnitudesCall {
            operator: operator(1),
        },
    );
    assert_eq!((before._0, before._1), (MAG, 1));
    let taken = slash(&w, 1, 1, set, U256::from(1), DAY);
    assert_eq!(taken, U256::ZERO);
    let after = w.view(
        AM,
        IAllocation::magnitudesCall {
            operator: operator(1),
        },
    );
    assert_eq!((after._0, after._1), (MAG - 1, 0));
    assert_eq!(w.total_assets(vault(1)), eth(1));
    // The stake is tiny but a full slash of a tiny allocation takes exactly its share.
    let (w, set) = scenario(1, 3);
    let taken = slash(&w, 1, 1, set, WAD, DAY);
    assert_eq!(taken, U256::from(3));
    // A fully slashed operator (max magnitude 0) has no slashable stake and no division by 0.
    let (w, set) = scenario(5, MAG);
    slash(&w, 1, 1, set, WAD, DAY);
    assert_eq!(
        w.view(
            AM,
            IAllocation::slashableStakeCall {
                operator: operator(1),
                setId: set,
                at: 0
            }
        ),
        U256::ZERO
    );
    let id = w.ok(
        slasher(1),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(1),
            setId: set,
            wad: WAD,
            evidence: FixedBytes::ZERO,
        },
    );
    w.warp(DAY);
    assert_eq!(
        w.ok(
            acct(1, 1),
            SM,
            ISlashing::executeSlashCall { requestId: id }
        ),
        U256::ZERO
    );
}

/// One operator in two services, slashed fully by both: each takes at most its own slashable
/// stake; together never more than the operator's delegated stake.
#[test]
fn regression_one_operator_two_services_no_over_slash() {
    let w = deploy();
    let s1 = service_with_set(&w, 1, 10_000, DAY);
    let s2 = service_with_set(&w, 2, 10_000, DAY);
    register_operator(&w, 1, 0);
    register_operator(&w, 2, 0);
    register_vault(&w, 1);
    w.deposit(vault(1), staker(1), eth(200));
    delegate(&w, 1, 1, eth(100));
    delegate(&w, 1, 2, eth(100));
    allocate(&w, 1, s1, mag_pct(60));
    allocate(&w, 1, s2, mag_pct(40));
    allocate(&w, 2, s1, mag_pct(100));
    let other_before = w.view(
        AM,
        IAllocation::slashableStakeCall {
            operator: operator(2),
            setId: s1,
            at: 0,
        },
    );
    let r1 = w.ok(
        slasher(1),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(1),
            setId: s1,
            wad: WAD,
            evidence: FixedBytes::ZERO,
        },
    );
    let r2 = w.ok(
        slasher(2),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(1),
            setId: s2,
            wad: WAD,
            evidence: FixedBytes::ZERO,
        },
    );
    w.warp(DAY);
    let t1 = w.ok(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: r1 },
    );
    let s2_stake = w.view(
        AM,
        IAllocation::slashableStakeCall {
            operator: operator(1),
            setId: s2,
            at: 0,
        },
    );
    assert_eq!(
        s2_stake,
        eth(40),
        "the first slash must not touch the other set"
    );
    let t2 = w.ok(
        acct(1, 1),
        SM,
        ISlashing::executeSlashCall { requestId: r2 },
    );
    assert_eq!((t1, t2), (eth(60), eth(40)));
    assert!(t1 + t2 <= eth(100));
    assert_eq!(
        w.view(
            DM,
            IDelegation::operatorStakeCall {
                operator: operator(1),
                at: 0
            }
        ),
        U256::ZERO
    );
    // Operator 2 (same vault, same set) unchanged.
    assert_eq!(
        w.view(
            AM,
            IAllocation::slashableStakeCall {
                operator: operator(2),
                setId: s1,
                at: 0
            }
        ),
        other_before
    );
    assert_eq!(w.eth_of(payout(1)) + w.eth_of(payout(2)), eth(100));
}

/// Values at the type maxima: a full slash of a vault holding close to 2^128 wei with
/// magnitude 1e18, and the largest fraction, neither overflows nor over-slashes.
#[test]
fn regression_slash_at_the_type_maxima() {
    let w = deploy();
    let set = service_with_set(&w, 1, 10_000, MAX_VETO_WINDOW_REG);
    register_operator(&w, 1, 10_000);
    register_vault(&w, 1);
    let huge = U256::from(u128::MAX);
    w.deposit(vault(1), staker(1), huge);
    delegate(&w, 1, 1, huge);
    allocate(&w, 1, set, MAG);
    assert_eq!(
        w.view(
            AM,
            IAllocation::slashableStakeCall {
                operator: operator(1),
                setId: set,
                at: u64::MAX
            }
        ),
        huge
    );
    let taken = slash(&w, 1, 1, set, WAD, MAX_VETO_WINDOW_REG);
    assert_eq!(taken, huge);
    assert_eq!(w.total_assets(vault(1)), U256::ZERO);
    let m = w.view(
        AM,
        IAllocation::magnitudesCall {
            operator: operator(1),
        },
    );
    assert_eq!((m._0, m._1), (0, 0));
    // A cap of U256::MAX on delegation and a view at u64::MAX stay well-defined.
    assert_eq!(
        w.view(
            DM,
            IDelegation::vaultStakeCall {
                vault: vault(1),
                operator: operator(1),
                at: u64::MAX
            }
        ),
        U256::ZERO
    );
}

const MAX_VETO_WINDOW_REG: u64 = operator_registry::MAX_VETO_WINDOW;
