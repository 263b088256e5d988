//! Unit tests of the allocation manager: every function and error path.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use common::*;

use allocation_manager::*;
use alloy_primitives::{Address, U256};
use restake_shared::access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount};
use restake_shared::pausable::PausableEnforcedPause;

fn alloc(w: &World, o: u8, set: u64) -> (u64, u64, u64) {
    let a = w.view(
        AM,
        IAllocation::allocationCall {
            operator: operator(o),
            setId: set,
        },
    );
    (a._0, a._1, a._2)
}

fn mags(w: &World, o: u8) -> (u64, u64) {
    let m = w.view(
        AM,
        IAllocation::magnitudesCall {
            operator: operator(o),
        },
    );
    (m._0, m._1)
}

#[test]
fn constructor_checks() {
    use alloy_sol_types::SolValue;
    let w = World::empty();
    w.add_contract(AM, |d, vm| {
        stylus_sdk::abi::router_entrypoint::<AllocationManager, AllocationManager>(d, vm)
    });
    let e = construct(
        &w,
        AM,
        (ADMIN, Address::ZERO, DM, DEALLOC_DELAY).abi_encode_params(),
    )
    .unwrap_err();
    assert_eq!(
        selector_of(&e),
        <AccessControlInvalidAccount as alloy_sol_types::SolError>::SELECTOR
    );
    let e = construct(
        &w,
        AM,
        (ADMIN, REG, DM, MIN_DEALLOCATION_DELAY - 1).abi_encode_params(),
    )
    .unwrap_err();
    assert_eq!(
        selector_of(&e),
        <AllocationOutOfBounds as alloy_sol_types::SolError>::SELECTOR
    );
    construct(
        &w,
        AM,
        (ADMIN, REG, DM, MAX_DEALLOCATION_DELAY).abi_encode_params(),
    )
    .unwrap();
}

#[test]
fn increases_need_membership_and_free_magnitude_and_wait() {
    let w = deploy();
    let s1 = service_with_set(&w, 1, 10_000, DAY);
    let s2 = service_with_set(&w, 2, 10_000, DAY);
    register_operator(&w, 1, 0);
    let _: AllocationOutOfBounds = w.err(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: s1,
            magnitude: MAG + 1,
        },
    );
    let e: AllocationNotMember = w.err(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: s1,
            magnitude: 1,
        },
    );
    assert_eq!((e.setId, e.operator), (s1, operator(1)));
    w.ok(
        operator(1),
        REG,
        IRegistry::joinCall {
            setId: s1,
            operator: operator(1),
        },
    );
    w.ok(
        operator(1),
        REG,
        IRegistry::joinCall {
            setId: s2,
            operator: operator(1),
        },
    );
    let now = w.now();
    w.ok(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: s1,
            magnitude: mag_pct(70),
        },
    );
    assert_eq!(
        alloc(&w, 1, s1),
        (0, mag_pct(70), now + DEFAULT_ALLOCATION_DELAY)
    );
    assert_eq!(mags(&w, 1), (MAG, mag_pct(70)));
    // Reserved at once: the other set can only get 30%.
    let e: AllocationInsufficientMagnitude = w.err(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: s2,
            magnitude: mag_pct(31),
        },
    );
    assert_eq!((e.available, e.needed), (mag_pct(30), mag_pct(31)));
    w.ok(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: s2,
            magnitude: mag_pct(30),
        },
    );
    // One change at a time.
    let e: AllocationPendingChange = w.err(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: s1,
            magnitude: 0,
        },
    );
    assert_eq!(e.effectiveAt, now + DEFAULT_ALLOCATION_DELAY);
    // Not slashable before the delay; slashable after.
    let sm = w.view(
        AM,
        IAllocation::slashableMagnitudeCall {
            operator: operator(1),
            setId: s1,
            at: 0,
        },
    );
    assert_eq!((sm._0, sm._1), (0, MAG));
    let sm = w.view(
        AM,
        IAllocation::slashableMagnitudeCall {
            operator: operator(1),
            setId: s1,
            at: now + DAY,
        },
    );
    assert_eq!(sm._0, mag_pct(70));
    w.warp(DAY);
    // Same magnitude again: nothing changes.
    w.ok(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: s1,
            magnitude: mag_pct(70),
        },
    );
    assert_eq!(alloc(&w, 1, s1), (mag_pct(70), 0, 0));
    assert_eq!(
        w.view(
            AM,
            IAllocation::encumberedMagnitudeCall {
                operator: operator(1)
            }
        ),
        MAG
    );
    let ev = w.events::<AllocationUpdated>(AM);
    assert!(ev
        .iter()
        .any(|e| e.setId == s1 && e.magnitude == mag_pct(70)));
}

#[test]
fn decreases_stay_slashable_until_the_deallocation_delay() {
    let (w, set) = scenario(100, mag_pct(80));
    let now = w.now();
    w.ok(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: set,
            magnitude: mag_pct(20),
        },
    );
    assert_eq!(
        alloc(&w, 1, set),
        (mag_pct(80), mag_pct(20), now + DEALLOC_DELAY)
    );
    let stake_at = |t: u64| {
        w.view(
            AM,
            IAllocation::slashableStakeCall {
                operator: operator(1),
                setId: set,
                at: t,
            },
        )
    };
    assert_eq!(stake_at(0), eth(80));
    assert_eq!(stake_at(now + DEALLOC_DELAY - 1), eth(80));
    assert_eq!(stake_at(now + DEALLOC_DELAY), eth(20));
    // Still encumbered until settled.
    w.warp(DEALLOC_DELAY);
    assert_eq!(mags(&w, 1).1, mag_pct(80));
    w.ok(
        acct(1, 1),
        AM,
        IAllocation::settleAllocationCall {
            operator: operator(1),
            setId: set,
        },
    );
    assert_eq!(mags(&w, 1).1, mag_pct(20));
    assert_eq!(alloc(&w, 1, set), (mag_pct(20), 0, 0));
    // Settling twice changes nothing.
    w.ok(
        acct(1, 1),
        AM,
        IAllocation::settleAllocationCall {
            operator: operator(1),
            setId: set,
        },
    );
    assert_eq!(mags(&w, 1).1, mag_pct(20));
}

#[test]
fn allocation_delay_longer_now_shorter_after_timelock() {
    let w = deploy();
    let o = operator(1);
    assert_eq!(
        w.view(AM, IAllocation::allocationDelayCall { operator: o }),
        DEFAULT_ALLOCATION_DELAY
    );
    let _: AllocationOutOfBounds = w.err(
        o,
        AM,
        IAllocation::setAllocationDelayCall {
            delay: MIN_ALLOCATION_DELAY - 1,
        },
    );
    let _: AllocationOutOfBounds = w.err(
        o,
        AM,
        IAllocation::setAllocationDelayCall {
            delay: MAX_ALLOCATION_DELAY + 1,
        },
    );
    w.ok(
        o,
        AM,
        IAllocation::setAllocationDelayCall { delay: 3 * DAY },
    );
    assert_eq!(
        w.view(AM, IAllocation::allocationDelayCall { operator: o }),
        3 * DAY
    );
    w.ok(
        o,
        AM,
        IAllocation::setAllocationDelayCall {
            delay: MIN_ALLOCATION_DELAY,
        },
    );
    assert_eq!(
        w.view(AM, IAllocation::allocationDelayCall { operator: o }),
        3 * DAY
    );
    let e: AllocationTimelocked = w.err(
        acct(1, 1),
        AM,
        IAllocation::applyAllocationDelayCall { operator: o },
    );
    assert_eq!(e.eta, w.now() + TIMELOCK);
    w.warp(TIMELOCK);
    w.ok(
        acct(1, 1),
        AM,
        IAllocation::applyAllocationDelayCall { operator: o },
    );
    assert_eq!(
        w.view(AM, IAllocation::allocationDelayCall { operator: o }),
        MIN_ALLOCATION_DELAY
    );
    let e: AllocationTimelocked = w.err(
        acct(1, 1),
        AM,
        IAllocation::applyAllocationDelayCall { operator: o },
    );
    assert_eq!(e.eta, 0);
    assert_eq!(w.events::<AllocationDelaySet>(AM).len(), 3);
}

#[test]
fn deallocation_delay_admin_changes() {
    let w = deploy();
    let _: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        AM,
        IAllocation::setDeallocationDelayCall { delay: 20 * DAY },
    );
    let _: AllocationOutOfBounds = w.err(
        ADMIN,
        AM,
        IAllocation::setDeallocationDelayCall { delay: 4 * DAY },
    );
    w.ok(
        ADMIN,
        AM,
        IAllocation::setDeallocationDelayCall { delay: 20 * DAY },
    );
    assert_eq!(w.view(AM, IAllocation::deallocationDelayCall {}), 20 * DAY);
    w.ok(
        ADMIN,
        AM,
        IAllocation::setDeallocationDelayCall { delay: 6 * DAY },
    );
    assert_eq!(w.view(AM, IAllocation::deallocationDelayCall {}), 20 * DAY);
    let s = w.view(AM, IAllocation::scheduledDeallocationDelayCall {});
    assert_eq!((s._0, s._1), (6 * DAY, w.now() + TIMELOCK));
    let _: AllocationTimelocked = w.err(acct(1, 1), AM, IAllocation::applyDeallocationDelayCall {});
    w.warp(TIMELOCK);
    w.ok(acct(1, 1), AM, IAllocation::applyDeallocationDelayCall {});
    assert_eq!(w.view(AM, IAllocation::deallocationDelayCall {}), 6 * DAY);
    let _: AllocationTimelocked = w.err(acct(1, 1), AM, IAllocation::applyDeallocationDelayCall {});
}

#[test]
fn apply_slash_is_for_the_slashing_manager_and_keeps_other_sets() {
    let w = deploy();
    let s1 = service_with_set(&w, 1, 10_000, DAY);
    let s2 = service_with_set(&w, 2, 10_000, DAY);
    register_operator(&w, 1, 0);
    register_vault(&w, 1);
    w.deposit(vault(1), staker(1), eth(100));
    delegate(&w, 1, 1, eth(100));
    allocate(&w, 1, s1, mag_pct(50));
    allocate(&w, 1, s2, mag_pct(30));
    let e: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        AM,
        IAllocation::applySlashCall {
            operator: operator(1),
            setId: s1,
            wad: WAD,
        },
    );
    assert_eq!(e.neededRole, SLASHER);
    let r = w.ok(
        SM,
        AM,
        IAllocation::applySlashCall {
            operator: operator(1),
            setId: s1,
            wad: wad_pct(50),
        },
    );
    assert_eq!((r._0, r._1), (mag_pct(50), MAG));
    assert_eq!(alloc(&w, 1, s1).0, mag_pct(25));
    assert_eq!(mags(&w, 1), (mag_pct(75), mag_pct(55)));
    // Set 2's magnitude is untouched (its share of the reduced stake is restored by the DM).
    let sm = w.view(
        AM,
        IAllocation::slashableMagnitudeCall {
            operator: operator(1),
            setId: s2,
            at: 0,
        },
    );
    assert_eq!((sm._0, sm._1), (mag_pct(30), mag_pct(75)));
    let ev = w.events::<MagnitudeSlashed>(AM);
    assert_eq!(
        (ev[0].slashedMagnitude, ev[0].maxMagnitude),
        (mag_pct(25), mag_pct(75))
    );
    // Nothing allocated: nothing cut.
    let r = w.ok(
        SM,
        AM,
        IAllocation::applySlashCall {
            operator: operator(2),
            setId: s1,
            wad: WAD,
        },
    );
    assert_eq!((r._0, r._1), (0, MAG));
}

#[test]
fn slash_adjusts_pending_changes() {
    let (w, set) = scenario(100, mag_pct(40));
    // Pending decrease to 20%: shrinks in proportion.
    w.ok(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: set,
            magnitude: mag_pct(20),
        },
    );
    w.ok(
        SM,
        AM,
        IAllocation::applySlashCall {
            operator: operator(1),
            setId: set,
            wad: wad_pct(50),
        },
    );
    let a = alloc(&w, 1, set);
    assert_eq!((a.0, a.1), (mag_pct(20), mag_pct(10)));
    assert_eq!(mags(&w, 1), (mag_pct(80), mag_pct(20)));
    w.warp(DEALLOC_DELAY);
    w.ok(
        acct(1, 1),
        AM,
        IAllocation::settleAllocationCall {
            operator: operator(1),
            setId: set,
        },
    );
    assert_eq!(mags(&w, 1), (mag_pct(80), mag_pct(10)));
    // Pending increase keeps its delta.
    w.ok(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: set,
            magnitude: mag_pct(30),
        },
    );
    w.ok(
        SM,
        AM,
        IAllocation::applySlashCall {
            operator: operator(1),
            setId: set,
            wad: wad_pct(50),
        },
    );
    let a = alloc(&w, 1, set);
    assert_eq!((a.0, a.1), (mag_pct(5), mag_pct(25)));
    assert_eq!(mags(&w, 1), (mag_pct(75), mag_pct(25)));
}

#[test]
fn peers_once_and_pause() {
    let w = deploy();
    let e: AllocationPeerFixed = w.err(
        ADMIN,
        AM,
        IAllocation::setSlashingManagerCall {
            manager: acct(1, 1),
        },
    );
    assert_eq!(e.current, SM);
    let _: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        AM,
        IAllocation::setSlashingManagerCall {
            manager: acct(1, 1),
        },
    );
    w.ok(
        PAUSER,
        AM,
        IAdmin::pauseCall {
            group: GROUP_ALLOCATIONS,
        },
    );
    let _: PausableEnforcedPause = w.err(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: 1,
            magnitude: 1,
        },
    );
    let _: PausableEnforcedPause = w.err(
        operator(1),
        AM,
        IAllocation::setAllocationDelayCall { delay: DAY },
    );
}

#[test]
fn slashable_stake_never_exceeds_delegated_and_handles_zero_max() {
    let (w, set) = scenario(100, MAG);
    let s = w.view(
        AM,
        IAllocation::slashableStakeCall {
            operator: operator(1),
            setId: set,
            at: 0,
        },
    );
    assert_eq!(s, eth(100));
    w.ok(
        SM,
        AM,
        IAllocation::applySlashCall {
            operator: operator(1),
            setId: set,
            wad: WAD,
        },
    );
    assert_eq!(mags(&w, 1), (0, 0));
    let s = w.view(
        AM,
        IAllocation::slashableStakeCall {
            operator: operator(1),
            setId: set,
            at: 0,
        },
    );
    assert_eq!(s, U256::ZERO);
    let e: AllocationInsufficientMagnitude = w.err(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: set,
            magnitude: 1,
        },
    );
    assert_eq!(e.available, 0);
}
