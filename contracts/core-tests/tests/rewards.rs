//! Unit tests of the rewards coordinator and the reward-sandwich regression.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use common::*;

use alloy_primitives::{Address, U256};
use restake_shared::access::AccessControlUnauthorizedAccount;
use restake_shared::pausable::PausableEnforcedPause;
use rewards_coordinator::*;

fn submit(
    set: u64,
    o: u8,
    asset: Address,
    amount: U256,
    duration: u64,
) -> IRewards::submitRewardCall {
    IRewards::submitRewardCall {
        setId: set,
        operator: operator(o),
        asset,
        amount,
        duration,
    }
}

/// Two vaults back operator 1 (60 and 40 ETH), magnitude 50%, fee 10%.
fn two_vaults() -> (World, u64) {
    let (w, set) = scenario(60, mag_pct(50));
    register_vault(&w, 2);
    w.deposit(vault(2), staker(2), eth(40));
    delegate(&w, 2, 1, eth(40));
    w.set_eth(service(1), eth(1_000));
    (w, set)
}

#[test]
fn eth_reward_splits_fee_and_stake_pro_rata() {
    let (w, set) = two_vaults();
    w.ok_value(
        service(1),
        RC,
        submit(set, 1, ETH, eth(10), 7 * DAY),
        eth(10),
    );
    // Fee 10% = 1 ETH; 9 ETH split 60/40.
    assert_eq!(w.eth_of(operator(1)), eth(1));
    let r1 = w.w.borrow().vaults[&vault(1)].rewards.clone();
    let r2 = w.w.borrow().vaults[&vault(2)].rewards.clone();
    assert_eq!(
        r1,
        vec![(ETH, eth(9) * U256::from(6) / U256::from(10), 7 * DAY)]
    );
    assert_eq!(
        r2,
        vec![(ETH, eth(9) * U256::from(4) / U256::from(10), 7 * DAY)]
    );
    assert_eq!(w.eth_of(RC), U256::ZERO);
    let ev = w.events::<RewardSubmitted>(RC);
    assert_eq!((ev[0].amount, ev[0].operatorShare), (eth(10), eth(1)));
    assert_eq!(w.events::<VaultRewarded>(RC).len(), 2);
}

#[test]
fn rounding_dust_goes_to_the_operator() {
    let (w, set) = two_vaults();
    w.ok(
        operator(1),
        REG,
        IRegistry::scheduleFeeChangeCall { feeBps: 0 },
    );
    w.warp(FEE_DELAY);
    let amount = U256::from(7);
    w.ok_value(service(1), RC, submit(set, 1, ETH, amount, DAY), amount);
    let v1 = w.w.borrow().vaults[&vault(1)].rewards[0].1;
    let v2 = w.w.borrow().vaults[&vault(2)].rewards[0].1;
    // 7 × 0.6 = 4.2 -> 4; 7 × 0.4 = 2.8 -> 2; dust 1 to the operator.
    assert_eq!(
        (v1, v2, w.eth_of(operator(1))),
        (U256::from(4), U256::from(2), U256::from(1))
    );
}

#[test]
fn token_rewards_need_a_listed_token_and_allowance() {
    let (w, set) = two_vaults();
    w.add_token(token(1));
    w.list_token(vault(1), token(1), rate_provider(1), WAD);
    w.list_token(vault(2), token(1), rate_provider(1), WAD);
    w.mint_token(token(1), service(1), eth(100));
    let e: RewardsInvalidAsset = w.err(service(1), RC, submit(set, 1, token(1), eth(10), DAY));
    assert_eq!(e.asset, token(1));
    let _: AccessControlUnauthorizedAccount = w.err(
        acct(1, 1),
        RC,
        IRewards::setRewardTokenCall {
            token: token(1),
            listed: true,
        },
    );
    let _: RewardsInvalidAsset = w.err(
        ADMIN,
        RC,
        IRewards::setRewardTokenCall {
            token: ETH,
            listed: true,
        },
    );
    w.ok(
        ADMIN,
        RC,
        IRewards::setRewardTokenCall {
            token: token(1),
            listed: true,
        },
    );
    assert!(w.view(RC, IRewards::isRewardTokenCall { token: token(1) }));
    // No allowance: the pull fails.
    let e: RewardsCallFailed = w.err(service(1), RC, submit(set, 1, token(1), eth(10), DAY));
    assert_eq!(e.target, token(1));
    w.approve_token(token(1), service(1), RC, eth(10));
    w.ok(service(1), RC, submit(set, 1, token(1), eth(10), DAY));
    assert_eq!(w.token_balance(token(1), operator(1)), eth(1));
    assert_eq!(
        w.token_balance(token(1), vault(1)),
        eth(9) * U256::from(6) / U256::from(10)
    );
    assert_eq!(
        w.token_balance(token(1), vault(2)),
        eth(9) * U256::from(4) / U256::from(10)
    );
    assert_eq!(w.token_balance(token(1), RC), U256::ZERO);
    // ETH sent with a token is refused.
    let e: RewardsInvalidAmount = w.err_value(
        service(1),
        RC,
        submit(set, 1, token(1), eth(1), DAY),
        eth(1),
    );
    assert_eq!(e.value, eth(1));
}

#[test]
fn bad_submissions_are_refused_and_move_nothing() {
    let (w, set) = two_vaults();
    let e: AccessControlUnauthorizedAccount =
        w.err(service(2), RC, submit(set, 1, ETH, eth(1), DAY));
    assert_eq!(e.neededRole, SERVICE);
    let _: AccessControlUnauthorizedAccount =
        w.err(service(1), RC, submit(99, 1, ETH, eth(1), DAY));
    let _: RewardsInvalidAmount = w.err_value(
        service(1),
        RC,
        submit(set, 1, ETH, U256::ZERO, DAY),
        U256::ZERO,
    );
    let _: RewardsInvalidAmount =
        w.err_value(service(1), RC, submit(set, 1, ETH, eth(2), DAY), eth(1));
    let e: RewardsOutOfBounds = w.err_value(
        service(1),
        RC,
        submit(set, 1, ETH, eth(1), MIN_REWARD - 1),
        eth(1),
    );
    assert_eq!(e.min, U256::from(MIN_REWARD));
    let _: RewardsOutOfBounds = w.err_value(
        service(1),
        RC,
        submit(set, 1, ETH, eth(1), MAX_DURATION + 1),
        eth(1),
    );
    let e: RewardsNoStake = w.err_value(service(1), RC, submit(set, 2, ETH, eth(1), DAY), eth(1));
    assert_eq!(e.operator, operator(2));
    assert_eq!(w.eth_of(service(1)), eth(1_000));
    assert_eq!(w.eth_of(RC), U256::ZERO);
    w.ok(
        PAUSER,
        RC,
        IAdmin::pauseCall {
            group: GROUP_REWARDS,
        },
    );
    let _: PausableEnforcedPause =
        w.err_value(service(1), RC, submit(set, 1, ETH, eth(1), DAY), eth(1));
}

#[test]
fn constructor_bounds_the_minimum_duration() {
    use alloy_sol_types::SolValue;
    let w = World::empty();
    w.add_contract(RC, |d, vm| {
        stylus_sdk::abi::router_entrypoint::<RewardsCoordinator, RewardsCoordinator>(d, vm)
    });
    let e = construct(&w, RC, (ADMIN, REG, AM, DM, 60u64).abi_encode_params()).unwrap_err();
    assert_eq!(
        selector_of(&e),
        <RewardsOutOfBounds as alloy_sol_types::SolError>::SELECTOR
    );
    let e = construct(
        &w,
        RC,
        (ADMIN, Address::ZERO, AM, DM, DAY).abi_encode_params(),
    )
    .unwrap_err();
    assert!(!e.is_empty());
}

/// A reward sandwich: a depositor enters just before a reward and leaves just after; it gains
/// only what vested in between (nothing in the same block), because the coordinator always
/// streams rewards over at least the minimum duration.
#[test]
fn regression_reward_sandwich() {
    let (w, set) = scenario(100, MAG);
    w.set_eth(service(1), eth(100));
    let attacker = staker(9);
    w.deposit(vault(1), attacker, eth(100));
    let before = w.value_of(vault(1), attacker);
    let ta_before = w.total_assets(vault(1));
    w.ok_value(
        service(1),
        RC,
        submit(set, 1, ETH, eth(10), MIN_REWARD),
        eth(10),
    );
    // Same block: nothing vested, the rate is unchanged.
    assert_eq!(w.total_assets(vault(1)), ta_before);
    assert_eq!(w.value_of(vault(1), attacker), before);
    // One hour later: at most its share of one hour's vesting.
    w.warp(3_600);
    let gain = w.value_of(vault(1), attacker) - before;
    let vested = eth(9) * U256::from(3_600) / U256::from(MIN_REWARD);
    assert!(
        gain <= vested / U256::from(2) + U256::from(1),
        "gain {gain} vested {vested}"
    );
}
