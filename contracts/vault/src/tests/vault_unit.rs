//! Unit tests of the vault's functions and error paths, through its ABI router.
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;
use restake_shared::access::{
    AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ADMIN_ROLE,
};
use restake_shared::erc20::ERC20InsufficientBalance;
use restake_shared::pausable::PausableEnforcedPause;
use restake_shared::reentrancy::ReentrancyGuardReentrantCall;

use super::env::*;
use super::host::{ProviderMode, TokenMode};
use crate::*;

fn unauthorized(account: Address, role: alloy_primitives::FixedBytes<32>) -> Vec<u8> {
    AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    }
    .abi_encode()
}

fn not_listed(token: Address) -> Vec<u8> {
    VaultTokenNotListed { token }.abi_encode()
}

fn rate_unavailable(token: Address) -> Vec<u8> {
    VaultRateUnavailable { token }.abi_encode()
}

fn zero_address() -> Vec<u8> {
    VaultZeroAddress {}.abi_encode()
}

fn zero_amount() -> Vec<u8> {
    VaultZeroAmount {}.abi_encode()
}

// ----- Constructor -----

#[test]
fn constructor_sets_lrt_admin_and_reward_duration() {
    let env = Env::new();
    assert_eq!(env.view(VAULT, IVault::lrtCall {}), LRT);
    assert_eq!(env.view(VAULT, IAdmin::adminCall {}), ADMIN);
    assert_eq!(env.view(VAULT, IVault::assetCall {}), ETH);
    assert_eq!(
        env.view(VAULT, IVault::minRewardDurationCall {}),
        DEFAULT_MIN_REWARD_DURATION
    );
    assert_eq!(env.total_assets(), U256::ZERO);
    assert_eq!(env.total_shares(), U256::ZERO);
}

#[test]
fn constructor_rejects_zero_lrt_and_admin_and_runs_once() {
    let env = Env::bare();
    // Through the router with the SDK's constructor selector, reverting on failure.
    let construct = |lrt: Address, admin: Address| {
        let data = [
            stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes().to_vec(),
            alloy_sol_types::SolValue::abi_encode_params(&(lrt, admin)),
        ]
        .concat();
        super::host::call(&env.chain, DEPLOYER, VAULT, &data, U256::ZERO, false)
    };
    assert_eq!(construct(Address::ZERO, ADMIN), Err(zero_address()));
    assert_eq!(
        construct(LRT, Address::ZERO),
        Err(AccessControlInvalidAccount {
            account: Address::ZERO
        }
        .abi_encode())
    );
    assert_eq!(construct(LRT, ADMIN), Ok(vec![]));
    // The SDK's constructor guard: a second run fails and changes nothing.
    assert!(construct(LRT, BOB).is_err());
    assert_eq!(env.view(VAULT, IAdmin::adminCall {}), ADMIN);
}

// ----- ETH deposits -----

#[test]
fn first_deposit_mints_one_share_per_wei_and_emits_deposit() {
    let env = Env::new();
    let mark = env.log_count(VAULT);
    let shares = env.deposit(ALICE, eth(10)).unwrap();
    assert_eq!(shares, eth(10));
    assert_eq!(env.lrt_of(ALICE), eth(10));
    assert_eq!(env.total_shares(), eth(10));
    assert_eq!(env.total_assets(), eth(10));
    assert_eq!(env.held(ETH), eth(10));
    assert_eq!(env.eth_of(VAULT), eth(10));
    assert_eq!(env.eth_of(ALICE), eth(990));
    let ev = env.events::<Deposit>(VAULT, mark);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (ev[0].sender, ev[0].owner, ev[0].assets, ev[0].shares),
        (ALICE, ALICE, eth(10), eth(10))
    );
    assert_eq!(env.view(VAULT, IVault::exchangeRateCall {}), eth(1));
}

#[test]
fn deposit_for_another_receiver() {
    let env = Env::new();
    env.send(ALICE, VAULT, IVault::depositCall { receiver: BOB }, eth(3))
        .unwrap();
    assert_eq!(env.lrt_of(BOB), eth(3));
    assert_eq!(env.lrt_of(ALICE), U256::ZERO);
}

#[test]
fn deposit_rejects_zero_value_zero_receiver_and_pause() {
    let env = Env::new();
    env.err_value(
        ALICE,
        VAULT,
        IVault::depositCall { receiver: ALICE },
        U256::ZERO,
        zero_amount(),
    );
    env.err_value(
        ALICE,
        VAULT,
        IVault::depositCall {
            receiver: Address::ZERO,
        },
        eth(1),
        zero_address(),
    );
    env.ok(
        PAUSER,
        VAULT,
        IAdmin::pauseCall {
            group: GROUP_DEPOSIT,
        },
    );
    assert_eq!(
        env.view(VAULT, IVault::maxDepositCall { receiver: ALICE }),
        U256::ZERO
    );
    env.err_value(
        ALICE,
        VAULT,
        IVault::depositCall { receiver: ALICE },
        eth(1),
        PausableEnforcedPause {
            group: GROUP_DEPOSIT,
        }
        .abi_encode(),
    );
    // Only the admin unpauses.
    env.err(
        PAUSER,
        VAULT,
        IAdmin::unpauseCall {
            group: GROUP_DEPOSIT,
        },
        unauthorized(PAUSER, ADMIN_ROLE),
    );
    env.ok(
        ADMIN,
        VAULT,
        IAdmin::unpauseCall {
            group: GROUP_DEPOSIT,
        },
    );
    assert_eq!(
        env.view(VAULT, IVault::maxDepositCall { receiver: ALICE }),
        U256::MAX
    );
    env.deposit(ALICE, eth(1)).unwrap();
}

#[test]
fn deposit_too_small_for_a_share_reverts() {
    let env = Env::new();
    env.deposit(ALICE, U256::from(1)).unwrap();
    // A large reward, fully vested, makes one share worth far more than one wei.
    env.send(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: ETH,
            amount: eth(10),
            duration: 0,
        },
        eth(10),
    )
    .unwrap();
    env.warp(DEFAULT_MIN_REWARD_DURATION);
    env.err_value(
        BOB,
        VAULT,
        IVault::depositCall { receiver: BOB },
        eth(1),
        VaultZeroShares {}.abi_encode(),
    );
}

#[test]
fn deposit_when_lrt_refuses_to_mint_passes_the_lrt_error_through() {
    let env = Env::new();
    env.ok(
        ADMIN,
        LRT,
        IAdmin::revokeRoleCall {
            role: lrt_token::MINTER_ROLE,
            account: VAULT,
        },
    );
    env.err_value(
        ALICE,
        VAULT,
        IVault::depositCall { receiver: ALICE },
        eth(1),
        unauthorized(VAULT, lrt_token::MINTER_ROLE),
    );
}

#[test]
fn donations_do_not_change_accounting() {
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    // Plain ETH and token transfers to the vault (not through a vault function).
    env.world(|w| w.move_eth(BOB, VAULT, eth(100)).unwrap());
    env.world(|w| {
        w.token(TOKEN_A)
            .ledger
            .transfer(BOB, VAULT, eth(100))
            .unwrap()
    });
    assert_eq!(env.total_assets(), eth(1));
    assert_eq!(env.view(VAULT, IVault::exchangeRateCall {}), eth(1));
    // A victim after the donation gets the fair price.
    assert_eq!(env.deposit(CAROL, eth(2)).unwrap(), eth(2));
}

// ----- Token deposits -----

#[test]
fn token_deposit_credits_value_at_the_rate_read_before_the_transfer() {
    let env = Env::new();
    env.world(|w| w.calls.clear());
    let mark = env.log_count(VAULT);
    let shares = env.deposit_token(ALICE, TOKEN_A, eth(10)).unwrap();
    // 10 tokens × 1.05 = 10.5 ETH of value, first deposit: one share per wei.
    assert_eq!(shares, u(10_500_000_000_000_000_000));
    assert_eq!(env.lrt_of(ALICE), shares);
    assert_eq!(env.token_of(TOKEN_A, VAULT), eth(10));
    assert_eq!(env.held(TOKEN_A), eth(10));
    assert_eq!(env.total_assets(), u(10_500_000_000_000_000_000));
    let calls = env.world(|w| w.calls.clone());
    let rate_at = calls
        .iter()
        .position(|c| c.1 == PROVIDER_A)
        .expect("rate read");
    let pull_at = calls
        .iter()
        .position(|c| c.1 == TOKEN_A)
        .expect("token pulled");
    assert!(rate_at < pull_at, "rate read before the token moves");
    let ev = env.events::<Deposit>(VAULT, mark);
    assert_eq!(ev[0].assets, shares);
}

#[test]
fn token_deposit_value_rounds_down() {
    let env = Env::new();
    env.set_rate(PROVIDER_B, u(333_333_333_333_333_333));
    // 2 units × 0.333… = 0.666… wei → 0.
    env.err(
        ALICE,
        VAULT,
        IVault::depositTokenCall {
            token: TOKEN_B,
            amount: u(2),
            receiver: ALICE,
        },
        VaultZeroShares {}.abi_encode(),
    );
    // 4 units → 1.333… → 1 wei.
    assert_eq!(env.deposit_token(ALICE, TOKEN_B, u(4)).unwrap(), u(1));
}

#[test]
fn token_deposit_errors() {
    let env = Env::new();
    let c = |token, amount, receiver| IVault::depositTokenCall {
        token,
        amount,
        receiver,
    };
    env.err(ALICE, VAULT, c(TOKEN_A, U256::ZERO, ALICE), zero_amount());
    env.err(
        ALICE,
        VAULT,
        c(TOKEN_A, eth(1), Address::ZERO),
        zero_address(),
    );
    env.err(ALICE, VAULT, c(CAROL, eth(1), ALICE), not_listed(CAROL));
    env.err(ALICE, VAULT, c(ETH, eth(1), ALICE), not_listed(ETH));
    // Over the cap.
    env.ok(
        ADMIN,
        VAULT,
        IVault::listTokenCall {
            token: TOKEN_A,
            rateProvider: PROVIDER_A,
            cap: eth(5),
        },
    );
    env.deposit_token(ALICE, TOKEN_A, eth(3)).unwrap();
    env.err(
        BOB,
        VAULT,
        c(TOKEN_A, eth(3), BOB),
        VaultCapExceeded {
            token: TOKEN_A,
            cap: eth(5),
            wouldHold: eth(6),
        }
        .abi_encode(),
    );
    env.deposit_token(BOB, TOKEN_A, eth(2)).unwrap();
    // Paused.
    env.ok(
        PAUSER,
        VAULT,
        IAdmin::pauseCall {
            group: GROUP_DEPOSIT,
        },
    );
    env.err(
        ALICE,
        VAULT,
        c(TOKEN_B, eth(1), ALICE),
        PausableEnforcedPause {
            group: GROUP_DEPOSIT,
        }
        .abi_encode(),
    );
}

#[test]
fn token_transfer_failures_are_typed_and_change_nothing() {
    let env = Env::new();
    let c = IVault::depositTokenCall {
        token: TOKEN_A,
        amount: eth(1),
        receiver: ALICE,
    };
    for mode in [TokenMode::ReturnsFalse, TokenMode::Reverts] {
        env.world(|w| w.token(TOKEN_A).mode = mode);
        env.err(
            ALICE,
            VAULT,
            c.clone(),
            VaultTransferFailed { asset: TOKEN_A }.abi_encode(),
        );
    }
    // No allowance: the token reverts.
    env.world(|w| {
        let t = w.token(TOKEN_A);
        t.mode = TokenMode::Normal;
        t.ledger.allowances.remove(&(ALICE, VAULT));
    });
    env.err(
        ALICE,
        VAULT,
        c.clone(),
        VaultTransferFailed { asset: TOKEN_A }.abi_encode(),
    );
    // A token returning no data is accepted.
    env.world(|w| w.token(TOKEN_B).mode = TokenMode::NoReturnData);
    env.deposit_token(BOB, TOKEN_B, eth(1)).unwrap();
    assert_eq!(env.held(TOKEN_B), eth(1));
}

#[test]
fn a_failing_rate_provider_blocks_its_token_only() {
    let env = Env::new();
    env.deposit_token(ALICE, TOKEN_A, eth(10)).unwrap();
    let before = env.total_assets();
    for mode in [ProviderMode::Reverts, ProviderMode::Short] {
        env.set_provider_mode(PROVIDER_A, mode);
        env.err(
            BOB,
            VAULT,
            IVault::depositTokenCall {
                token: TOKEN_A,
                amount: eth(1),
                receiver: BOB,
            },
            rate_unavailable(TOKEN_A),
        );
        // The held balance is valued at the last good rate; ETH and token B still work.
        assert_eq!(env.total_assets(), before);
    }
    env.set_provider_mode(PROVIDER_A, ProviderMode::Answers);
    env.set_rate(PROVIDER_A, U256::ZERO);
    env.err(
        BOB,
        VAULT,
        IVault::depositTokenCall {
            token: TOKEN_A,
            amount: eth(1),
            receiver: BOB,
        },
        rate_unavailable(TOKEN_A),
    );
    assert_eq!(env.total_assets(), before);
    env.deposit(BOB, eth(1)).unwrap();
    env.deposit_token(BOB, TOKEN_B, eth(1)).unwrap();
    // Back to a good answer: the new rate counts at once.
    env.set_rate(PROVIDER_A, u(2 * E18));
    assert_eq!(
        env.total_assets(),
        eth(20) + eth(1) + u(900_000_000_000_000_000)
    );
}

#[test]
fn total_assets_sums_eth_tokens_at_rates_rounded_down_and_vested_rewards() {
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    env.set_rate(PROVIDER_B, u(333_333_333_333_333_333));
    env.deposit_token(BOB, TOKEN_B, u(7)).unwrap();
    env.deposit_token(CAROL, TOKEN_A, eth(2)).unwrap();
    // 1 ETH + floor(7 × 0.333…) + 2 × 1.05.
    let expected = eth(1) + u(2) + u(2_100_000_000_000_000_000);
    assert_eq!(env.total_assets(), expected);
    assert_eq!(
        env.view(VAULT, IVault::tokensCall {}),
        vec![TOKEN_A, TOKEN_B]
    );
}

// ----- Views -----

#[test]
fn conversions_round_down_and_previews_match() {
    let env = Env::new();
    env.deposit(ALICE, eth(3)).unwrap();
    env.send(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: ETH,
            amount: eth(1),
            duration: 0,
        },
        eth(1),
    )
    .unwrap();
    env.warp(DEFAULT_MIN_REWARD_DURATION);
    // 4 ETH + 1 virtual wei for 3e18 + 1 virtual shares.
    let a = eth(4) + u(1);
    let s = eth(3) + u(1);
    let x = u(1_000_000_007);
    let shares = env.view(VAULT, IVault::convertToSharesCall { assets: x });
    assert_eq!(shares, x * s / a);
    assert_eq!(
        env.view(VAULT, IVault::previewDepositCall { assets: x }),
        shares
    );
    let assets = env.view(VAULT, IVault::convertToAssetsCall { shares: x });
    assert_eq!(assets, x * a / s);
    assert_eq!(
        env.view(VAULT, IVault::previewRedeemCall { shares: x }),
        assets
    );
    assert_eq!(env.view(VAULT, IVault::exchangeRateCall {}), eth(1) * a / s);
    // Round trip never gains.
    let back = env.view(VAULT, IVault::convertToAssetsCall { shares });
    assert!(back <= x);
}

#[test]
fn token_info_reports_listing_and_balance() {
    let env = Env::new();
    env.deposit_token(ALICE, TOKEN_A, eth(4)).unwrap();
    let i = env.view(VAULT, IVault::tokenInfoCall { token: TOKEN_A });
    assert_eq!((i._0, i._1, i._2, i._3), (true, PROVIDER_A, u(CAP), eth(4)));
    let none = env.view(VAULT, IVault::tokenInfoCall { token: CAROL });
    assert_eq!(
        (none._0, none._1, none._2, none._3),
        (false, Address::ZERO, U256::ZERO, U256::ZERO)
    );
}

// ----- Admin: tokens and reward duration -----

#[test]
fn list_token_is_admin_only_and_validates() {
    let env = Env::new();
    let token_c = Address::repeat_byte(0xcc);
    let provider_c = Address::repeat_byte(0xcd);
    env.add_token(token_c, provider_c, E18);
    let c = |token, rate_provider, cap| IVault::listTokenCall {
        token,
        rateProvider: rate_provider,
        cap,
    };
    env.err(
        ALICE,
        VAULT,
        c(token_c, provider_c, eth(1)),
        unauthorized(ALICE, ADMIN_ROLE),
    );
    env.err(
        ADMIN,
        VAULT,
        c(Address::ZERO, provider_c, eth(1)),
        VaultInvalidToken {
            token: Address::ZERO,
        }
        .abi_encode(),
    );
    env.err(
        ADMIN,
        VAULT,
        c(ETH, provider_c, eth(1)),
        VaultInvalidToken { token: ETH }.abi_encode(),
    );
    env.err(
        ADMIN,
        VAULT,
        c(token_c, Address::ZERO, eth(1)),
        zero_address(),
    );
    env.set_provider_mode(provider_c, ProviderMode::Reverts);
    env.err(
        ADMIN,
        VAULT,
        c(token_c, provider_c, eth(1)),
        rate_unavailable(token_c),
    );
    // A provider address with no code answers nothing.
    env.err(
        ADMIN,
        VAULT,
        c(token_c, Address::repeat_byte(0x77), eth(1)),
        rate_unavailable(token_c),
    );
    env.set_provider_mode(provider_c, ProviderMode::Answers);
    let mark = env.log_count(VAULT);
    env.ok(ADMIN, VAULT, c(token_c, provider_c, eth(1)));
    let ev = env.events::<TokenConfigured>(VAULT, mark);
    assert_eq!(
        (ev[0].token, ev[0].rateProvider, ev[0].cap, ev[0].listed),
        (token_c, provider_c, eth(1), true)
    );
    // Updating a listing changes cap and provider, without a second registry entry.
    env.ok(ADMIN, VAULT, c(token_c, PROVIDER_A, eth(2)));
    let i = env.view(VAULT, IVault::tokenInfoCall { token: token_c });
    assert_eq!((i._1, i._2), (PROVIDER_A, eth(2)));
    assert_eq!(
        env.view(VAULT, IVault::tokensCall {}),
        vec![TOKEN_A, TOKEN_B, token_c]
    );
}

#[test]
fn token_registry_is_bounded() {
    let env = Env::new();
    for i in 0..(MAX_TOKENS - 2) {
        let t = Address::repeat_byte(0x40 + i as u8);
        env.ok(
            ADMIN,
            VAULT,
            IVault::listTokenCall {
                token: t,
                rateProvider: PROVIDER_A,
                cap: eth(1),
            },
        );
    }
    env.err(
        ADMIN,
        VAULT,
        IVault::listTokenCall {
            token: Address::repeat_byte(0x7f),
            rateProvider: PROVIDER_A,
            cap: eth(1),
        },
        VaultTooManyTokens {}.abi_encode(),
    );
    // Listing again a known token still works when full.
    env.ok(
        ADMIN,
        VAULT,
        IVault::listTokenCall {
            token: TOKEN_A,
            rateProvider: PROVIDER_A,
            cap: eth(7),
        },
    );
}

#[test]
fn unlisted_token_stops_deposits_but_keeps_counting() {
    let env = Env::new();
    env.deposit_token(ALICE, TOKEN_A, eth(10)).unwrap();
    let before = env.total_assets();
    env.err(
        BOB,
        VAULT,
        IVault::unlistTokenCall { token: TOKEN_A },
        unauthorized(BOB, ADMIN_ROLE),
    );
    let mark = env.log_count(VAULT);
    env.ok(ADMIN, VAULT, IVault::unlistTokenCall { token: TOKEN_A });
    let ev = env.events::<TokenConfigured>(VAULT, mark);
    assert!(!ev[0].listed);
    env.err(
        ADMIN,
        VAULT,
        IVault::unlistTokenCall { token: TOKEN_A },
        not_listed(TOKEN_A),
    );
    env.err(
        ALICE,
        VAULT,
        IVault::depositTokenCall {
            token: TOKEN_A,
            amount: eth(1),
            receiver: ALICE,
        },
        not_listed(TOKEN_A),
    );
    assert_eq!(env.total_assets(), before);
    assert!(!env.view(VAULT, IVault::tokenInfoCall { token: TOKEN_A })._0);
    // Listing again reopens deposits.
    env.ok(
        ADMIN,
        VAULT,
        IVault::listTokenCall {
            token: TOKEN_A,
            rateProvider: PROVIDER_A,
            cap: u(CAP),
        },
    );
    env.deposit_token(ALICE, TOKEN_A, eth(1)).unwrap();
}

#[test]
fn min_reward_duration_is_admin_only_and_bounded() {
    let env = Env::new();
    let c = |d| IVault::setMinRewardDurationCall { duration: d };
    env.err(ALICE, VAULT, c(7_200), unauthorized(ALICE, ADMIN_ROLE));
    for bad in [
        MIN_REWARD_DURATION_FLOOR - 1,
        MIN_REWARD_DURATION_CEIL + 1,
        0,
    ] {
        env.err(
            ADMIN,
            VAULT,
            c(bad),
            VaultInvalidDuration { duration: bad }.abi_encode(),
        );
    }
    let mark = env.log_count(VAULT);
    env.ok(ADMIN, VAULT, c(MIN_REWARD_DURATION_FLOOR));
    assert_eq!(
        env.events::<MinRewardDurationSet>(VAULT, mark)[0].duration,
        MIN_REWARD_DURATION_FLOOR
    );
    assert_eq!(
        env.view(VAULT, IVault::minRewardDurationCall {}),
        MIN_REWARD_DURATION_FLOOR
    );
    env.ok(ADMIN, VAULT, c(MIN_REWARD_DURATION_CEIL));
}

// ----- Restaking core hooks -----

#[test]
fn slash_moves_assets_out_and_drops_the_rate_at_once() {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    env.deposit_token(BOB, TOKEN_A, eth(10)).unwrap();
    let shares = env.total_shares();
    let sink = Address::repeat_byte(0x51);
    let mark = env.log_count(VAULT);
    env.ok(
        MANAGER,
        VAULT,
        IVault::slashCall {
            asset: ETH,
            amount: eth(4),
            recipient: sink,
        },
    );
    env.ok(
        MANAGER,
        VAULT,
        IVault::slashCall {
            asset: TOKEN_A,
            amount: eth(2),
            recipient: sink,
        },
    );
    assert_eq!(env.eth_of(sink), eth(4));
    assert_eq!(env.token_of(TOKEN_A, sink), eth(2));
    assert_eq!(env.total_assets(), eth(6) + u(8_400_000_000_000_000_000));
    assert_eq!(env.total_shares(), shares);
    let ev = env.events::<Slashed>(VAULT, mark);
    assert_eq!(
        (ev[0].asset, ev[0].recipient, ev[0].amount),
        (ETH, sink, eth(4))
    );
    assert_eq!(ev[1].asset, TOKEN_A);
}

#[test]
fn slash_errors() {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    let c = |asset, amount, recipient| IVault::slashCall {
        asset,
        amount,
        recipient,
    };
    env.err(
        ALICE,
        VAULT,
        c(ETH, eth(1), ALICE),
        unauthorized(ALICE, STAKE_MANAGER_ROLE),
    );
    env.err(MANAGER, VAULT, c(ETH, U256::ZERO, BOB), zero_amount());
    env.err(
        MANAGER,
        VAULT,
        c(ETH, eth(1), Address::ZERO),
        zero_address(),
    );
    env.err(MANAGER, VAULT, c(CAROL, eth(1), BOB), not_listed(CAROL));
    env.err(
        MANAGER,
        VAULT,
        c(ETH, eth(11), BOB),
        VaultInsufficientLiquidity {
            asset: ETH,
            needed: eth(11),
            available: eth(10),
        }
        .abi_encode(),
    );
    env.world(|w| {
        w.eth_rejecters.insert(BOB);
    });
    env.err(
        MANAGER,
        VAULT,
        c(ETH, eth(1), BOB),
        VaultTransferFailed { asset: ETH }.abi_encode(),
    );
}

#[test]
fn rewards_vest_linearly_and_restart_with_the_remainder() {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    let mark = env.log_count(VAULT);
    let duration = 4 * 86_400;
    env.send(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: ETH,
            amount: eth(4),
            duration,
        },
        eth(4),
    )
    .unwrap();
    let ev = env.events::<RewardNotified>(VAULT, mark);
    assert_eq!(
        (ev[0].asset, ev[0].amount, ev[0].unvested, ev[0].vestingEnd),
        (ETH, eth(4), eth(4), T0 + duration)
    );
    assert_eq!(env.total_assets(), eth(10));
    assert_eq!(env.held(ETH), eth(14));
    env.warp(86_400);
    assert_eq!(env.total_assets(), eth(11));
    assert_eq!(
        env.view(VAULT, IVault::unvestedRewardCall { asset: ETH }),
        eth(3)
    );
    // A second reward: the 3 unvested plus 2 new vest together over 5 days from now.
    env.send(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: ETH,
            amount: eth(2),
            duration: 5 * 86_400,
        },
        eth(2),
    )
    .unwrap();
    assert_eq!(
        env.view(VAULT, IVault::unvestedRewardCall { asset: ETH }),
        eth(5)
    );
    env.warp(86_400);
    assert_eq!(env.total_assets(), eth(12));
    env.warp(10 * 86_400);
    assert_eq!(env.total_assets(), eth(16));
    assert_eq!(
        env.view(VAULT, IVault::unvestedRewardCall { asset: ETH }),
        U256::ZERO
    );
}

#[test]
fn short_rewards_vest_over_the_minimum_and_round_against_the_depositor() {
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    env.send(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: ETH,
            amount: u(3),
            duration: 1,
        },
        u(3),
    )
    .unwrap();
    // Over one day, not one second; a third of a wei has not vested after a third of it.
    env.warp(DEFAULT_MIN_REWARD_DURATION / 3);
    assert_eq!(env.total_assets(), eth(1) + u(1));
    env.warp(1);
    assert_eq!(env.total_assets(), eth(1) + u(1));
}

#[test]
fn token_rewards_are_pulled_from_the_caller() {
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    env.ok(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: TOKEN_A,
            amount: eth(2),
            duration: 0,
        },
    );
    assert_eq!(env.token_of(TOKEN_A, VAULT), eth(2));
    assert_eq!(env.held(TOKEN_A), eth(2));
    assert_eq!(env.total_assets(), eth(1));
    env.warp(DEFAULT_MIN_REWARD_DURATION);
    assert_eq!(env.total_assets(), eth(1) + u(2_100_000_000_000_000_000));
}

#[test]
fn notify_reward_errors() {
    let env = Env::new();
    let c = |asset, amount, duration| IVault::notifyRewardCall {
        asset,
        amount,
        duration,
    };
    env.err_value(
        ALICE,
        VAULT,
        c(ETH, eth(1), 0),
        eth(1),
        unauthorized(ALICE, STAKE_MANAGER_ROLE),
    );
    env.err_value(
        MANAGER,
        VAULT,
        c(ETH, U256::ZERO, 0),
        U256::ZERO,
        zero_amount(),
    );
    env.err_value(
        MANAGER,
        VAULT,
        c(ETH, eth(1), MAX_REWARD_DURATION + 1),
        eth(1),
        VaultInvalidDuration {
            duration: MAX_REWARD_DURATION + 1,
        }
        .abi_encode(),
    );
    env.err_value(
        MANAGER,
        VAULT,
        c(ETH, eth(2), 0),
        eth(1),
        VaultInvalidValue { value: eth(1) }.abi_encode(),
    );
    env.err_value(
        MANAGER,
        VAULT,
        c(TOKEN_A, eth(2), 0),
        eth(2),
        VaultInvalidValue { value: eth(2) }.abi_encode(),
    );
    env.err_value(
        MANAGER,
        VAULT,
        c(CAROL, eth(2), 0),
        U256::ZERO,
        not_listed(CAROL),
    );
    env.world(|w| w.token(TOKEN_B).mode = TokenMode::ReturnsFalse);
    env.err_value(
        MANAGER,
        VAULT,
        c(TOKEN_B, eth(2), 0),
        U256::ZERO,
        VaultTransferFailed { asset: TOKEN_B }.abi_encode(),
    );
}

#[test]
fn unvested_rewards_cannot_be_slashed_or_paid() {
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    env.send(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: ETH,
            amount: eth(5),
            duration: 0,
        },
        eth(5),
    )
    .unwrap();
    env.err(
        MANAGER,
        VAULT,
        IVault::slashCall {
            asset: ETH,
            amount: eth(2),
            recipient: BOB,
        },
        VaultInsufficientLiquidity {
            asset: ETH,
            needed: eth(2),
            available: eth(1),
        }
        .abi_encode(),
    );
}

// ----- The queue's side -----

#[test]
fn escrow_and_settle_are_for_the_redeem_queue_only() {
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    env.err(
        ALICE,
        VAULT,
        IVault::escrowSharesCall {
            spender: ALICE,
            owner: ALICE,
            shares: eth(1),
        },
        unauthorized(ALICE, REDEEM_QUEUE_ROLE),
    );
    env.err(
        ALICE,
        VAULT,
        IVault::settleRedeemCall {
            asset: ETH,
            maxAssets: eth(1),
            shares: eth(1),
            receiver: ALICE,
        },
        unauthorized(ALICE, REDEEM_QUEUE_ROLE),
    );
    // The queue itself: a settle with no escrowed shares fails in the LRT, changing nothing.
    env.err(
        QUEUE,
        VAULT,
        IVault::settleRedeemCall {
            asset: ETH,
            maxAssets: eth(1),
            shares: eth(1),
            receiver: ALICE,
        },
        ERC20InsufficientBalance {
            sender: VAULT,
            balance: U256::ZERO,
            needed: eth(1),
        }
        .abi_encode(),
    );
    env.err(
        QUEUE,
        VAULT,
        IVault::settleRedeemCall {
            asset: ETH,
            maxAssets: eth(1),
            shares: eth(1),
            receiver: Address::ZERO,
        },
        zero_address(),
    );
    env.err(
        QUEUE,
        VAULT,
        IVault::settleRedeemCall {
            asset: CAROL,
            maxAssets: eth(1),
            shares: eth(1),
            receiver: ALICE,
        },
        not_listed(CAROL),
    );
}

// ----- Reentrancy -----

#[test]
fn a_receiver_reentering_the_vault_is_refused() {
    let env = Env::new();
    let attacker = Address::repeat_byte(0xee);
    env.fund(attacker, eth(5));
    env.deposit(ALICE, eth(10)).unwrap();
    env.world(|w| {
        w.reentrants.insert(
            attacker,
            (
                VAULT,
                alloy_sol_types::SolCall::abi_encode(&IVault::depositCall { receiver: attacker }),
            ),
        );
    });
    env.ok(
        MANAGER,
        VAULT,
        IVault::slashCall {
            asset: ETH,
            amount: eth(1),
            recipient: attacker,
        },
    );
    let r = env.world(|w| w.reentry_result.clone()).expect("reentered");
    assert_eq!(r, Err(ReentrancyGuardReentrantCall {}.abi_encode()));
    let v = env.host(VAULT);
    assert!(!RestakeVault::from(&v).guard_entered());
}

// ----- Error encoding -----

#[test]
fn every_error_encodes_as_its_solidity_declaration() {
    use restake_shared::math::MathOverflow;
    use restake_shared::pausable::PausableExpectedPause;
    let a = Address::repeat_byte(0x11);
    let (x, y, z) = (u(7), u(8), u(9));
    let cases: Vec<(VaultError, Vec<u8>)> = vec![
        (VaultError::ZeroAddress(VaultZeroAddress {}), zero_address()),
        (VaultError::ZeroAmount(VaultZeroAmount {}), zero_amount()),
        (
            VaultError::ZeroShares(VaultZeroShares {}),
            VaultZeroShares {}.abi_encode(),
        ),
        (
            VaultError::InvalidDuration(VaultInvalidDuration { duration: 5 }),
            VaultInvalidDuration { duration: 5 }.abi_encode(),
        ),
        (
            VaultError::InvalidToken(VaultInvalidToken { token: a }),
            VaultInvalidToken { token: a }.abi_encode(),
        ),
        (VaultError::not_listed(a), not_listed(a)),
        (
            VaultError::TooManyTokens(VaultTooManyTokens {}),
            VaultTooManyTokens {}.abi_encode(),
        ),
        (VaultError::rate_unavailable(a), rate_unavailable(a)),
        (
            VaultError::CapExceeded(VaultCapExceeded {
                token: a,
                cap: x,
                wouldHold: y,
            }),
            VaultCapExceeded {
                token: a,
                cap: x,
                wouldHold: y,
            }
            .abi_encode(),
        ),
        (
            VaultError::transfer_failed(a),
            VaultTransferFailed { asset: a }.abi_encode(),
        ),
        (VaultError::LrtReverted(vec![1, 2, 3]), vec![1, 2, 3]),
        (
            VaultError::InvalidValue(VaultInvalidValue { value: x }),
            VaultInvalidValue { value: x }.abi_encode(),
        ),
        (
            VaultError::insufficient(a, y, z),
            VaultInsufficientLiquidity {
                asset: a,
                needed: y,
                available: z,
            }
            .abi_encode(),
        ),
        (
            VaultError::Overflow(MathOverflow {}),
            MathOverflow {}.abi_encode(),
        ),
        (
            VaultError::Reentrant(ReentrancyGuardReentrantCall {}),
            ReentrancyGuardReentrantCall {}.abi_encode(),
        ),
        (
            VaultError::Unauthorized(AccessControlUnauthorizedAccount {
                account: a,
                neededRole: STAKE_MANAGER_ROLE,
            }),
            unauthorized(a, STAKE_MANAGER_ROLE),
        ),
        (
            VaultError::InvalidAccount(AccessControlInvalidAccount { account: a }),
            AccessControlInvalidAccount { account: a }.abi_encode(),
        ),
        (
            VaultError::EnforcedPause(PausableEnforcedPause { group: 3 }),
            PausableEnforcedPause { group: 3 }.abi_encode(),
        ),
        (
            VaultError::ExpectedPause(PausableExpectedPause { group: 200 }),
            PausableExpectedPause { group: 200 }.abi_encode(),
        ),
    ];
    for (e, expected) in cases {
        let name = format!("{e:?}");
        assert_eq!(Vec::<u8>::from(e), expected, "{name}");
    }
}

#[test]
fn role_constants_are_the_hashes_of_their_names() {
    use stylus_sdk::crypto::keccak;
    assert_eq!(STAKE_MANAGER_ROLE, keccak(b"STAKE_MANAGER_ROLE"));
    assert_eq!(REDEEM_QUEUE_ROLE, keccak(b"REDEEM_QUEUE_ROLE"));
    assert_eq!(REDEEM_QUEUE_ROLE, restake_redeem_queue::REDEEM_QUEUE_ROLE);
}
