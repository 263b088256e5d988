//! Unit tests of the operator registry: every function and error path.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use common::*;

use alloy_primitives::{Address, U256};
use operator_registry::*;
use restake_shared::access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount};
use restake_shared::pausable::PausableEnforcedPause;

fn info(w: &World, o: Address) -> (bool, u16, u16, u64, u32) {
    let i = w.view(REG, IRegistry::operatorInfoCall { operator: o });
    (i._0, i._1, i._2, i._3, i._4)
}

#[test]
fn constructor_checks_admin_and_fee_delay() {
    use alloy_sol_types::SolValue;
    let w = World::empty();
    w.add_contract(REG, |d, vm| {
        stylus_sdk::abi::router_entrypoint::<OperatorRegistry, OperatorRegistry>(d, vm)
    });
    let e = construct(&w, REG, (Address::ZERO, FEE_DELAY).abi_encode_params()).unwrap_err();
    assert_eq!(
        selector_of(&e),
        <AccessControlInvalidAccount as alloy_sol_types::SolError>::SELECTOR
    );
    let e = construct(&w, REG, (ADMIN, 3_600u64).abi_encode_params()).unwrap_err();
    assert_eq!(
        selector_of(&e),
        <RegistryOutOfBounds as alloy_sol_types::SolError>::SELECTOR
    );
    let e = construct(&w, REG, (ADMIN, 31 * DAY).abi_encode_params()).unwrap_err();
    assert_eq!(
        selector_of(&e),
        <RegistryOutOfBounds as alloy_sol_types::SolError>::SELECTOR
    );
    construct(&w, REG, (ADMIN, FEE_DELAY).abi_encode_params()).unwrap();
    assert_eq!(w.view(REG, IRegistry::feeDelayCall {}), FEE_DELAY);
    assert_eq!(w.view(REG, IAdmin::adminCall {}), ADMIN);
    // A second constructor call is refused by the SDK.
    assert!(construct(&w, REG, (ADMIN, FEE_DELAY).abi_encode_params()).is_err());
}

#[test]
fn operator_registration_and_errors() {
    let w = deploy();
    let e: RegistryOutOfBounds = w.err(
        operator(1),
        REG,
        IRegistry::registerOperatorCall { feeBps: 10_001 },
    );
    assert_eq!(e.value, U256::from(10_001));
    register_operator(&w, 1, 500);
    assert_eq!(info(&w, operator(1)), (true, 500, 500, 0, 0));
    let ev = w.events::<OperatorRegistered>(REG);
    assert_eq!((ev[0].operator, ev[0].feeBps), (operator(1), 500));
    let e: RegistryAlreadyRegistered = w.err(
        operator(1),
        REG,
        IRegistry::registerOperatorCall { feeBps: 1 },
    );
    assert_eq!(e.account, operator(1));
    assert_eq!(info(&w, operator(2)), (false, 0, 0, 0, 0));
}

#[test]
fn metadata_uri_for_operators_and_services_only() {
    let w = deploy();
    let e: AccessControlUnauthorizedAccount = w.err(
        operator(1),
        REG,
        IRegistry::setMetadataUriCall {
            metadataURI: "ipfs://x".into(),
        },
    );
    assert_eq!(e.neededRole, OPERATOR_ROLE);
    register_operator(&w, 1, 0);
    w.ok(
        operator(1),
        REG,
        IRegistry::setMetadataUriCall {
            metadataURI: "https://op.example/meta.json".into(),
        },
    );
    w.ok(service(1), REG, IRegistry::registerServiceCall {});
    w.ok(
        service(1),
        REG,
        IRegistry::setMetadataUriCall {
            metadataURI: "ipfs://service".into(),
        },
    );
    let ev = w.events::<MetadataURIUpdated>(REG);
    assert_eq!(ev.len(), 2);
    assert_eq!(
        (ev[0].account, ev[0].metadataURI.as_str()),
        (operator(1), "https://op.example/meta.json")
    );
    assert_eq!(
        (ev[1].account, ev[1].metadataURI.as_str()),
        (service(1), "ipfs://service")
    );
}

#[test]
fn fee_changes_take_effect_after_the_delay() {
    let w = deploy();
    let e: AccessControlUnauthorizedAccount = w.err(
        operator(1),
        REG,
        IRegistry::scheduleFeeChangeCall { feeBps: 1 },
    );
    assert_eq!(e.neededRole, OPERATOR_ROLE);
    register_operator(&w, 1, 500);
    let _: RegistryOutOfBounds = w.err(
        operator(1),
        REG,
        IRegistry::scheduleFeeChangeCall { feeBps: 10_001 },
    );
    w.ok(
        operator(1),
        REG,
        IRegistry::scheduleFeeChangeCall { feeBps: 2_000 },
    );
    let at = w.now() + FEE_DELAY;
    assert_eq!(info(&w, operator(1)), (true, 500, 2_000, at, 0));
    w.warp(FEE_DELAY - 1);
    assert_eq!(info(&w, operator(1)).1, 500);
    w.warp(1);
    assert_eq!(info(&w, operator(1)).1, 2_000);
    // A new schedule keeps the fee in force and restarts the delay.
    w.ok(
        operator(1),
        REG,
        IRegistry::scheduleFeeChangeCall { feeBps: 0 },
    );
    assert_eq!(info(&w, operator(1)).1, 2_000);
    w.warp(FEE_DELAY);
    assert_eq!(info(&w, operator(1)).1, 0);
    let ev = w.events::<OperatorFeeScheduled>(REG);
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0].effectiveAt, at);
}

#[test]
fn services_create_sets_with_valid_configs() {
    let w = deploy();
    let create = |slasher: Address, cap: u16, window: u64| IRegistry::configureSetCall {
        setId: 0,
        slasher,
        resolver: resolver(1),
        payout: payout(1),
        maxSlashBps: cap,
        vetoWindow: window,
        autoAccept: false,
    };
    let e: AccessControlUnauthorizedAccount = w.err(service(1), REG, create(slasher(1), 100, DAY));
    assert_eq!(e.neededRole, SERVICE_ROLE);
    w.ok(service(1), REG, IRegistry::registerServiceCall {});
    let e: RegistryAlreadyRegistered = w.err(service(1), REG, IRegistry::registerServiceCall {});
    assert_eq!(e.account, service(1));
    let _: AccessControlInvalidAccount = w.err(service(1), REG, create(Address::ZERO, 100, DAY));
    let _: RegistryOutOfBounds = w.err(service(1), REG, create(slasher(1), 0, DAY));
    let _: RegistryOutOfBounds = w.err(service(1), REG, create(slasher(1), 10_001, DAY));
    let _: RegistryOutOfBounds = w.err(
        service(1),
        REG,
        create(slasher(1), 100, MIN_VETO_WINDOW - 1),
    );
    let _: RegistryOutOfBounds = w.err(
        service(1),
        REG,
        create(slasher(1), 100, MAX_VETO_WINDOW + 1),
    );
    assert_eq!(w.ok(service(1), REG, create(slasher(1), 100, DAY)), 1);
    assert_eq!(
        w.ok(service(1), REG, create(slasher(2), 10_000, MAX_VETO_WINDOW)),
        2
    );
    let i = w.view(REG, IRegistry::setInfoCall { setId: 1 });
    assert_eq!((i._0, i._1, i._2, i._3), (service(1), false, 0, 2));
    let c = w.view(
        REG,
        IRegistry::setConfigCall {
            setId: 1,
            scheduled: false,
        },
    );
    assert_eq!(
        (c._0, c._1, c._2, c._3, c._4),
        (slasher(1), resolver(1), payout(1), 100, DAY)
    );
    let unknown = w.view(
        REG,
        IRegistry::setConfigCall {
            setId: 9,
            scheduled: false,
        },
    );
    assert_eq!(unknown._0, Address::ZERO);
    assert_eq!(w.events::<OperatorSetCreated>(REG).len(), 2);
}

#[test]
fn tightening_applies_now_loosening_waits_out_the_timelock() {
    let w = deploy();
    let set = service_with_set(&w, 1, 1_000, DAY);
    let cfg = |cap: u16, window: u64, s: Address, auto: bool| IRegistry::configureSetCall {
        setId: set,
        slasher: s,
        resolver: resolver(1),
        payout: payout(1),
        maxSlashBps: cap,
        vetoWindow: window,
        autoAccept: auto,
    };
    let e: RegistryNotSetService = w.err(service(2), REG, cfg(500, DAY, slasher(1), true));
    assert_eq!(e.setId, set);
    let e: RegistryUnknownSet = w.err(
        service(1),
        REG,
        IRegistry::configureSetCall {
            setId: 7,
            ..cfg(1, DAY, slasher(1), true)
        },
    );
    assert_eq!(e.setId, 7);
    // Tighter: lower cap, longer window, auto-accept off: at once.
    w.ok(service(1), REG, cfg(500, 2 * DAY, slasher(1), false));
    let c = w.view(
        REG,
        IRegistry::setConfigCall {
            setId: set,
            scheduled: false,
        },
    );
    assert_eq!((c._3, c._4), (500, 2 * DAY));
    assert!(!w.view(REG, IRegistry::setInfoCall { setId: set })._1);
    // Looser: a higher cap and a new slasher wait.
    w.ok(service(1), REG, cfg(5_000, DAY, slasher(9), false));
    let eta = w.now() + TIMELOCK;
    assert_eq!(w.view(REG, IRegistry::setInfoCall { setId: set })._2, eta);
    let c = w.view(
        REG,
        IRegistry::setConfigCall {
            setId: set,
            scheduled: false,
        },
    );
    assert_eq!((c._0, c._3), (slasher(1), 500));
    let s = w.view(
        REG,
        IRegistry::setConfigCall {
            setId: set,
            scheduled: true,
        },
    );
    assert_eq!((s._0, s._3, s._4), (slasher(9), 5_000, DAY));
    let e: RegistryTimelocked = w.err(
        acct(1, 1),
        REG,
        IRegistry::applySetConfigCall { setId: set },
    );
    assert_eq!(e.eta, eta);
    w.warp(TIMELOCK);
    w.ok(
        acct(1, 1),
        REG,
        IRegistry::applySetConfigCall { setId: set },
    );
    let c = w.view(
        REG,
        IRegistry::setConfigCall {
            setId: set,
            scheduled: false,
        },
    );
    assert_eq!((c._0, c._3, c._4), (slasher(9), 5_000, DAY));
    let e: RegistryTimelocked = w.err(
        acct(1, 1),
        REG,
        IRegistry::applySetConfigCall { setId: set },
    );
    assert_eq!(e.eta, 0);
    // A tightening proposal cancels a scheduled loosening one.
    w.ok(service(1), REG, cfg(9_000, DAY, slasher(9), false));
    w.ok(service(1), REG, cfg(4_000, DAY, slasher(9), false));
    assert_eq!(w.view(REG, IRegistry::setInfoCall { setId: set })._2, 0);
    w.warp(TIMELOCK);
    let _: RegistryTimelocked = w.err(
        acct(1, 1),
        REG,
        IRegistry::applySetConfigCall { setId: set },
    );
    let ev = w.events::<SetConfigured>(REG);
    assert!(ev
        .iter()
        .any(|e| e.effectiveAt == eta && e.maxSlashBps == 5_000));
}

#[test]
fn membership_join_accept_leave_remove() {
    let w = deploy();
    w.ok(service(1), REG, IRegistry::registerServiceCall {});
    let set = w.ok(
        service(1),
        REG,
        IRegistry::configureSetCall {
            setId: 0,
            slasher: slasher(1),
            resolver: resolver(1),
            payout: payout(1),
            maxSlashBps: 100,
            vetoWindow: DAY,
            autoAccept: false,
        },
    );
    let join = |o: Address| IRegistry::joinCall {
        setId: set,
        operator: o,
    };
    let e: AccessControlUnauthorizedAccount = w.err(operator(1), REG, join(operator(1)));
    assert_eq!(e.neededRole, OPERATOR_ROLE);
    register_operator(&w, 1, 0);
    let _: RegistryUnknownSet = w.err(
        operator(1),
        REG,
        IRegistry::joinCall {
            setId: 5,
            operator: operator(1),
        },
    );
    w.ok(operator(1), REG, join(operator(1)));
    assert_eq!(
        w.view(
            REG,
            IRegistry::membershipCall {
                setId: set,
                operator: operator(1)
            }
        ),
        STATUS_PENDING
    );
    let e: RegistryInvalidMembership = w.err(operator(1), REG, join(operator(1)));
    assert_eq!(e.status, STATUS_PENDING);
    // Only the set's service accepts.
    let _: RegistryNotSetService = w.err(service(2), REG, join(operator(1)));
    w.ok(service(1), REG, join(operator(1)));
    assert_eq!(
        w.view(
            REG,
            IRegistry::membershipCall {
                setId: set,
                operator: operator(1)
            }
        ),
        STATUS_MEMBER
    );
    let e: RegistryInvalidMembership = w.err(service(1), REG, join(operator(1)));
    assert_eq!(e.status, STATUS_MEMBER);
    assert_eq!(info(&w, operator(1)).4, 1);
    // Either side ends it; a stranger cannot.
    let _: RegistryNotSetService = w.err(
        acct(1, 2),
        REG,
        IRegistry::leaveCall {
            setId: set,
            operator: operator(1),
        },
    );
    w.ok(
        service(1),
        REG,
        IRegistry::leaveCall {
            setId: set,
            operator: operator(1),
        },
    );
    let e: RegistryInvalidMembership = w.err(
        operator(1),
        REG,
        IRegistry::leaveCall {
            setId: set,
            operator: operator(1),
        },
    );
    assert_eq!(e.status, STATUS_NONE);
    w.ok(operator(1), REG, join(operator(1)));
    w.ok(
        operator(1),
        REG,
        IRegistry::leaveCall {
            setId: set,
            operator: operator(1),
        },
    );
    assert_eq!(info(&w, operator(1)).4, 0);
    let ev = w.events::<MembershipChanged>(REG);
    let statuses: Vec<u8> = ev.iter().map(|e| e.status).collect();
    assert_eq!(statuses, vec![1, 2, 0, 1, 0]);
    // Auto-accept makes a member at once.
    let auto = service_with_set(&w, 1, 100, DAY);
    w.ok(
        operator(1),
        REG,
        IRegistry::joinCall {
            setId: auto,
            operator: operator(1),
        },
    );
    assert_eq!(
        w.view(
            REG,
            IRegistry::membershipCall {
                setId: auto,
                operator: operator(1)
            }
        ),
        STATUS_MEMBER
    );
}

#[test]
fn deregistration_needs_no_sets_and_nothing_encumbered() {
    let (w, set) = scenario(10, mag_pct(10));
    let e: RegistryStillActive = w.err(operator(1), REG, IRegistry::deregisterOperatorCall {});
    assert_eq!((e.memberships, e.magnitude), (1, mag_pct(10)));
    w.ok(
        operator(1),
        REG,
        IRegistry::leaveCall {
            setId: set,
            operator: operator(1),
        },
    );
    let e: RegistryStillActive = w.err(operator(1), REG, IRegistry::deregisterOperatorCall {});
    assert_eq!((e.memberships, e.magnitude), (0, mag_pct(10)));
    // Deallocating (allowed after leaving) frees the magnitude after the delay.
    w.ok(
        operator(1),
        AM,
        IAllocation::allocateCall {
            setId: set,
            magnitude: 0,
        },
    );
    w.warp(DEALLOC_DELAY);
    w.ok(
        acct(1, 1),
        AM,
        IAllocation::settleAllocationCall {
            operator: operator(1),
            setId: set,
        },
    );
    w.ok(operator(1), REG, IRegistry::deregisterOperatorCall {});
    assert!(!info(&w, operator(1)).0);
    let _: AccessControlUnauthorizedAccount =
        w.err(operator(1), REG, IRegistry::deregisterOperatorCall {});
    assert_eq!(w.events::<OperatorDeregistered>(REG).len(), 1);
    // Re-registration starts fresh.
    register_operator(&w, 1, 7);
    assert_eq!(info(&w, operator(1)), (true, 7, 7, 0, 0));
}

#[test]
fn allocation_manager_is_set_once_by_the_admin() {
    let w = deploy();
    let e: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        REG,
        IRegistry::setAllocationManagerCall {
            manager: acct(1, 2),
        },
    );
    assert_eq!(e.account, acct(1, 1));
    let e: RegistryAllocationManagerFixed = w.err(
        ADMIN,
        REG,
        IRegistry::setAllocationManagerCall {
            manager: acct(1, 2),
        },
    );
    assert_eq!(e.current, AM);
}

#[test]
fn a_broken_allocation_manager_blocks_deregistration() {
    let w = World::empty();
    w.add_contract(REG, |d, vm| {
        stylus_sdk::abi::router_entrypoint::<OperatorRegistry, OperatorRegistry>(d, vm)
    });
    use alloy_sol_types::SolValue;
    construct(&w, REG, (ADMIN, FEE_DELAY).abi_encode_params()).unwrap();
    // A token fake answers nothing sensible to `encumberedMagnitude`.
    w.add_token(token(1));
    w.ok(
        ADMIN,
        REG,
        IRegistry::setAllocationManagerCall { manager: token(1) },
    );
    register_operator(&w, 1, 0);
    let e: RegistryCallFailed = w.err(operator(1), REG, IRegistry::deregisterOperatorCall {});
    assert_eq!(e.target, token(1));
}

#[test]
fn pausing_stops_each_group_and_leaving_is_never_paused() {
    let w = deploy();
    let set = service_with_set(&w, 1, 100, DAY);
    register_operator(&w, 1, 0);
    w.ok(
        operator(1),
        REG,
        IRegistry::joinCall {
            setId: set,
            operator: operator(1),
        },
    );
    let _: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        REG,
        IAdmin::pauseCall {
            group: GROUP_OPERATORS,
        },
    );
    for g in [GROUP_OPERATORS, GROUP_SETS, GROUP_MEMBERSHIP] {
        w.ok(PAUSER, REG, IAdmin::pauseCall { group: g });
    }
    let e: PausableEnforcedPause = w.err(
        operator(2),
        REG,
        IRegistry::registerOperatorCall { feeBps: 0 },
    );
    assert_eq!(e.group, GROUP_OPERATORS);
    let e: PausableEnforcedPause = w.err(service(2), REG, IRegistry::registerServiceCall {});
    assert_eq!(e.group, GROUP_SETS);
    let e: PausableEnforcedPause = w.err(
        service(1),
        REG,
        IRegistry::joinCall {
            setId: set,
            operator: operator(2),
        },
    );
    assert_eq!(e.group, GROUP_MEMBERSHIP);
    w.ok(
        operator(1),
        REG,
        IRegistry::leaveCall {
            setId: set,
            operator: operator(1),
        },
    );
    let _: AccessControlUnauthorizedAccount =
        w.err(PAUSER, REG, IAdmin::unpauseCall { group: GROUP_SETS });
    w.ok(ADMIN, REG, IAdmin::unpauseCall { group: GROUP_SETS });
    w.ok(service(2), REG, IRegistry::registerServiceCall {});
}

#[test]
fn failed_calls_change_nothing_and_eth_to_views_reverts() {
    let w = deploy();
    register_operator(&w, 1, 0);
    let before = w.storage_dump();
    let _: RegistryAlreadyRegistered = w.err(
        operator(1),
        REG,
        IRegistry::registerOperatorCall { feeBps: 1 },
    );
    let _: RegistryOutOfBounds = w.err(
        operator(1),
        REG,
        IRegistry::scheduleFeeChangeCall { feeBps: 20_000 },
    );
    assert_eq!(before, w.storage_dump());
    // Non-payable: ETH sent is refused with empty revert data.
    w.set_eth(operator(1), eth(1));
    let r = w.call_value(
        operator(1),
        REG,
        IRegistry::scheduleFeeChangeCall { feeBps: 1 },
        eth(1),
    );
    assert!(matches!(r, Err(ref d) if d.is_empty()));
    assert_eq!(w.eth_of(operator(1)), eth(1));
    // Unknown selectors and short calldata revert.
    assert!(w
        .raw(operator(1), REG, vec![1, 2, 3, 4], U256::ZERO)
        .is_err());
    assert!(w.raw(operator(1), REG, vec![1], U256::ZERO).is_err());
}

#[test]
fn role_constants_are_the_documented_hashes() {
    use stylus_sdk::crypto::keccak;
    assert_eq!(OPERATOR_ROLE, keccak(b"OPERATOR"));
    assert_eq!(SERVICE_ROLE, keccak(b"SERVICE"));
    assert_eq!(delegation_manager::VAULT_MANAGER, keccak(b"VAULT_MANAGER"));
    assert_eq!(slashing_manager::SLASHER, keccak(b"SLASHER"));
    assert_eq!(slashing_manager::RESOLVER, keccak(b"RESOLVER"));
    assert_eq!(rewards_coordinator::SERVICE, keccak(b"SERVICE"));
}
