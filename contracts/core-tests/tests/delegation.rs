//! Unit tests of the delegation manager: every function and error path.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use common::*;

use alloy_primitives::{Address, U256};
use delegation_manager::*;
use restake_shared::access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount};
use restake_shared::pausable::PausableEnforcedPause;

fn deleg(w: &World, v: u8, o: u8) -> (U256, U256, u64, U256) {
    let d = w.view(
        DM,
        IDelegation::delegationCall {
            vault: vault(v),
            operator: operator(o),
        },
    );
    (d._0, d._1, d._2, d._3)
}

fn stake(w: &World, v: u8, o: u8) -> U256 {
    w.view(
        DM,
        IDelegation::vaultStakeCall {
            vault: vault(v),
            operator: operator(o),
            at: 0,
        },
    )
}

#[test]
fn vault_registration_is_admin_only_and_bounded() {
    let w = deploy();
    w.add_vault(vault(1), DAY);
    let _: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        DM,
        IDelegation::registerVaultCall {
            vault: vault(1),
            manager: manager(1),
        },
    );
    let _: AccessControlInvalidAccount = w.err(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: Address::ZERO,
            manager: manager(1),
        },
    );
    let _: AccessControlInvalidAccount = w.err(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: vault(1),
            manager: Address::ZERO,
        },
    );
    for n in 1..=MAX_VAULTS as u8 {
        w.ok(
            ADMIN,
            DM,
            IDelegation::registerVaultCall {
                vault: vault(n),
                manager: manager(n),
            },
        );
    }
    let _: DelegationTooManyVaults = w.err(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: vault(99),
            manager: manager(1),
        },
    );
    // Re-registering names a new manager without a new entry.
    w.ok(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: vault(1),
            manager: manager(7),
        },
    );
    assert_eq!(w.view(DM, IDelegation::vaultCountCall {}), MAX_VAULTS);
    let v = w.view(DM, IDelegation::vaultAtCall { index: 0 });
    assert_eq!((v._0, v._1, v._2), (vault(1), manager(7), U256::ZERO));
    let past = w.view(DM, IDelegation::vaultAtCall { index: 100 });
    assert_eq!(past._0, Address::ZERO);
    assert_eq!(
        w.events::<VaultRegistered>(DM).len(),
        MAX_VAULTS as usize + 1
    );
}

#[test]
fn caps_and_delegation_limits() {
    let w = deploy();
    register_vault(&w, 1);
    register_operator(&w, 1, 0);
    w.deposit(vault(1), staker(1), eth(100));
    let set = |amount: U256| IDelegation::setDelegationCall {
        vault: vault(1),
        operator: operator(1),
        amount,
    };
    let _: DelegationUnknownVault = w.err(
        ADMIN,
        DM,
        IDelegation::setDelegationCapCall {
            vault: vault(2),
            operator: operator(1),
            cap: eth(1),
        },
    );
    let _: AccessControlUnauthorizedAccount = w.err(
        manager(1),
        DM,
        IDelegation::setDelegationCapCall {
            vault: vault(1),
            operator: operator(1),
            cap: eth(1),
        },
    );
    w.ok(
        ADMIN,
        DM,
        IDelegation::setDelegationCapCall {
            vault: vault(1),
            operator: operator(1),
            cap: eth(60),
        },
    );
    // Only the vault's manager.
    let e: AccessControlUnauthorizedAccount = w.err(ADMIN, DM, set(eth(1)));
    assert_eq!(e.neededRole, VAULT_MANAGER);
    let _: DelegationUnknownVault = w.err(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(2),
            operator: operator(1),
            amount: eth(1),
        },
    );
    let e: DelegationOverLimit = w.err(manager(1), DM, set(eth(61)));
    assert_eq!((e.amount, e.limit), (eth(61), eth(60)));
    let e: DelegationNotOperator = w.err(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(2),
            amount: eth(1),
        },
    );
    assert_eq!(e.operator, operator(2));
    w.ok(manager(1), DM, set(eth(60)));
    assert_eq!(deleg(&w, 1, 1), (eth(60), U256::ZERO, 0, eth(60)));
    // The sum of a vault's delegations is bounded by its total assets.
    register_operator(&w, 2, 0);
    w.ok(
        ADMIN,
        DM,
        IDelegation::setDelegationCapCall {
            vault: vault(1),
            operator: operator(2),
            cap: U256::MAX,
        },
    );
    let e: DelegationOverLimit = w.err(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(2),
            amount: eth(41),
        },
    );
    assert_eq!((e.amount, e.limit), (eth(101), eth(100)));
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(2),
            amount: eth(40),
        },
    );
    assert_eq!(
        w.view(DM, IDelegation::vaultAtCall { index: 0 })._2,
        eth(100)
    );
    assert_eq!(
        w.view(
            DM,
            IDelegation::operatorStakeCall {
                operator: operator(1),
                at: 0
            }
        ),
        eth(60)
    );
    let ev = w.events::<DelegationSet>(DM);
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0].effectiveAt, w.now());
}

#[test]
fn decreases_wait_the_deallocation_delay_and_stay_slashable() {
    let (w, _set) = scenario(100, mag_pct(100));
    let now = w.now();
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(1),
            amount: eth(30),
        },
    );
    assert_eq!(
        deleg(&w, 1, 1),
        (eth(100), eth(30), now + DEALLOC_DELAY, U256::MAX)
    );
    assert_eq!(stake(&w, 1, 1), eth(100));
    let later = now + DEALLOC_DELAY;
    assert_eq!(
        w.view(
            DM,
            IDelegation::vaultStakeCall {
                vault: vault(1),
                operator: operator(1),
                at: later - 1
            }
        ),
        eth(100)
    );
    assert_eq!(
        w.view(
            DM,
            IDelegation::vaultStakeCall {
                vault: vault(1),
                operator: operator(1),
                at: later
            }
        ),
        eth(30)
    );
    // An increase cancels the scheduled decrease.
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(1),
            amount: eth(100),
        },
    );
    assert_eq!(deleg(&w, 1, 1), (eth(100), U256::ZERO, 0, U256::MAX));
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(1),
            amount: eth(10),
        },
    );
    w.warp(DEALLOC_DELAY);
    assert_eq!(stake(&w, 1, 1), eth(10));
    // The sum is settled on the next change.
    assert_eq!(
        w.view(DM, IDelegation::vaultAtCall { index: 0 })._2,
        eth(100)
    );
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(1),
            operator: operator(1),
            amount: eth(10),
        },
    );
    assert_eq!(
        w.view(DM, IDelegation::vaultAtCall { index: 0 })._2,
        eth(10)
    );
    assert_eq!(deleg(&w, 1, 1).0, eth(10));
}

#[test]
fn over_delegated_vaults_count_pro_rata() {
    let w = deploy();
    register_vault(&w, 1);
    register_operator(&w, 1, 0);
    register_operator(&w, 2, 0);
    w.deposit(vault(1), staker(1), eth(100));
    delegate(&w, 1, 1, eth(60));
    delegate(&w, 1, 2, eth(40));
    // Half the vault leaves (a claimed withdrawal): each stake halves.
    let shares = w.w.borrow().vaults[&vault(1)].shares[&staker(1)] / U256::from(2);
    let i = w.request_withdrawal(vault(1), staker(1), shares);
    w.claim_withdrawal(vault(1), i);
    let ta = w.total_assets(vault(1));
    assert!(ta < eth(100));
    assert_eq!(stake(&w, 1, 1), eth(60) * ta / eth(100));
    assert_eq!(stake(&w, 1, 2), eth(40) * ta / eth(100));
}

#[test]
fn slash_entry_is_for_the_slashing_manager_only() {
    let (w, _) = scenario(10, mag_pct(100));
    let e: AccessControlUnauthorizedAccount = w.err(
        AM,
        DM,
        IDelegation::slashCall {
            operator: operator(1),
            magnitude: 1,
            maxMagnitude: 1,
            wad: WAD,
        },
    );
    assert_eq!(e.neededRole, SLASHER);
    // Zero magnitude or fraction: nothing owed.
    let r = w.ok(
        SM,
        DM,
        IDelegation::slashCall {
            operator: operator(1),
            magnitude: 0,
            maxMagnitude: MAG,
            wad: WAD,
        },
    );
    assert!(r._0.is_empty());
    let r = w.ok(
        SM,
        DM,
        IDelegation::slashCall {
            operator: operator(1),
            magnitude: MAG,
            maxMagnitude: MAG,
            wad: U256::from(1) / U256::from(2),
        },
    );
    assert!(r._0.is_empty());
    let r = w.ok(
        SM,
        DM,
        IDelegation::slashCall {
            operator: operator(1),
            magnitude: MAG / 2,
            maxMagnitude: MAG,
            wad: WAD / U256::from(10),
        },
    );
    assert_eq!(
        (r._0.clone(), r._1.clone()),
        (vec![vault(1)], vec![eth(1) / U256::from(2)])
    );
    assert_eq!(deleg(&w, 1, 1).0, eth(10) - eth(1) / U256::from(2));
    assert_eq!(w.events::<DelegationSlashed>(DM).len(), 1);
}

#[test]
fn peers_are_set_once() {
    let w = deploy();
    let _: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        DM,
        IDelegation::setPeersCall {
            allocationManager: AM,
            slashingManager: SM,
        },
    );
    let e: DelegationPeersFixed = w.err(
        ADMIN,
        DM,
        IDelegation::setPeersCall {
            allocationManager: AM,
            slashingManager: SM,
        },
    );
    assert_eq!(e.current, AM);
}

#[test]
fn unreadable_vault_blocks_increase_and_pause_stops_changes() {
    let w = deploy();
    register_operator(&w, 1, 0);
    // A vault address without a fake answers calls with nothing: totalAssets is unreadable.
    w.ok(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: vault(5),
            manager: manager(5),
        },
    );
    w.ok(
        ADMIN,
        DM,
        IDelegation::setDelegationCapCall {
            vault: vault(5),
            operator: operator(1),
            cap: U256::MAX,
        },
    );
    let e: DelegationCallFailed = w.err(
        manager(5),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(5),
            operator: operator(1),
            amount: eth(1),
        },
    );
    assert_eq!(e.target, vault(5));
    w.ok(
        PAUSER,
        DM,
        IAdmin::pauseCall {
            group: GROUP_DELEGATION,
        },
    );
    let _: PausableEnforcedPause = w.err(
        manager(5),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(5),
            operator: operator(1),
            amount: eth(1),
        },
    );
    let _: PausableEnforcedPause = w.err(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: vault(6),
            manager: manager(6),
        },
    );
}
