//! Unit tests of the redeem queue (requests, operators, claims, `redeem`) with the vault.
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use restake_redeem_queue::*;
use restake_shared::access::{
    AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ADMIN_ROLE,
};
use restake_shared::erc20::{ERC20InsufficientAllowance, ERC20InsufficientBalance};
use restake_shared::pausable::PausableEnforcedPause;
use restake_shared::reentrancy::ReentrancyGuardReentrantCall;

use super::env::*;
use super::host::ProviderMode;
use crate::{VaultInsufficientLiquidity, VaultRateUnavailable, VaultTransferFailed};

fn not_claimable(id: u64, at: u64) -> Vec<u8> {
    RedeemQueueNotClaimable {
        requestId: U256::from(id),
        claimableAt: at,
    }
    .abi_encode()
}

/// Alice deposits 10 ETH and requests 4 shares.
fn with_request() -> (Env, U256) {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    let id = env.request(ALICE, eth(4)).unwrap();
    (env, id)
}

// ----- Constructor and settings -----

#[test]
fn constructor_checks_vault_admin_and_delay() {
    let env = Env::bare();
    let construct = |vault: Address, admin: Address, delay: u64| {
        let data = [
            stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes().to_vec(),
            alloy_sol_types::SolValue::abi_encode_params(&(vault, admin, delay)),
        ]
        .concat();
        super::host::call(&env.chain, DEPLOYER, QUEUE, &data, U256::ZERO, false)
    };
    assert_eq!(
        construct(Address::ZERO, ADMIN, DELAY),
        Err(RedeemQueueZeroAddress {}.abi_encode())
    );
    assert_eq!(
        construct(VAULT, Address::ZERO, DELAY),
        Err(AccessControlInvalidAccount {
            account: Address::ZERO
        }
        .abi_encode())
    );
    for bad in [MIN_WITHDRAWAL_DELAY - 1, MAX_WITHDRAWAL_DELAY + 1] {
        assert_eq!(
            construct(VAULT, ADMIN, bad),
            Err(RedeemQueueInvalidDelay { delay: bad }.abi_encode())
        );
    }
    assert_eq!(construct(VAULT, ADMIN, DELAY), Ok(vec![]));
    assert!(construct(VAULT, BOB, DELAY).is_err());
    assert_eq!(env.view(QUEUE, IQueue::vaultCall {}), VAULT);
    assert_eq!(env.view(QUEUE, IQueue::withdrawalDelayCall {}), DELAY);
    assert_eq!(env.view(QUEUE, IAdmin::adminCall {}), ADMIN);
}

#[test]
fn withdrawal_delay_is_admin_only_bounded_and_applies_to_new_requests() {
    let (env, first) = with_request();
    let c = |delay| IQueue::setWithdrawalDelayCall { delay };
    env.err(
        ALICE,
        QUEUE,
        c(7_200),
        AccessControlUnauthorizedAccount {
            account: ALICE,
            neededRole: ADMIN_ROLE,
        }
        .abi_encode(),
    );
    env.err(
        ADMIN,
        QUEUE,
        c(MAX_WITHDRAWAL_DELAY + 1),
        RedeemQueueInvalidDelay {
            delay: MAX_WITHDRAWAL_DELAY + 1,
        }
        .abi_encode(),
    );
    let mark = env.log_count(QUEUE);
    env.ok(ADMIN, QUEUE, c(MIN_WITHDRAWAL_DELAY));
    assert_eq!(
        env.events::<WithdrawalDelaySet>(QUEUE, mark)[0].delay,
        MIN_WITHDRAWAL_DELAY
    );
    let second = env.request(ALICE, eth(1)).unwrap();
    assert_eq!(env.request_info(first)._4, T0 + DELAY);
    assert_eq!(env.request_info(second)._4, T0 + MIN_WITHDRAWAL_DELAY);
}

// ----- Requests -----

#[test]
fn request_escrows_shares_fixes_the_value_and_emits_the_erc7540_event() {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    let mark = env.log_count(QUEUE);
    let id = env.request(ALICE, eth(4)).unwrap();
    assert_eq!(id, U256::from(1));
    assert_eq!(env.lrt_of(ALICE), eth(6));
    assert_eq!(env.lrt_of(VAULT), eth(4));
    // Escrowed shares stay in the supply until the claim.
    assert_eq!(env.total_shares(), eth(10));
    let r = env.request_info(id);
    assert_eq!(
        (r._0, r._1, r._2, r._3, r._4, r._5),
        (ALICE, ETH, eth(4), eth(4), T0 + DELAY, false)
    );
    let ev = env.events::<RedeemRequest>(QUEUE, mark);
    assert_eq!(
        (
            ev[0].controller,
            ev[0].owner,
            ev[0].requestId,
            ev[0].sender,
            ev[0].shares
        ),
        (ALICE, ALICE, id, ALICE, eth(4))
    );
    assert_eq!(env.request(ALICE, eth(1)).unwrap(), U256::from(2));
}

#[test]
fn pending_then_claimable_views_follow_the_delay() {
    let (env, id) = with_request();
    let pending = |c| {
        env.view(
            QUEUE,
            IQueue::pendingRedeemRequestCall {
                requestId: id,
                controller: c,
            },
        )
    };
    let claimable = |c| {
        env.view(
            QUEUE,
            IQueue::claimableRedeemRequestCall {
                requestId: id,
                controller: c,
            },
        )
    };
    assert_eq!((pending(ALICE), claimable(ALICE)), (eth(4), U256::ZERO));
    assert_eq!((pending(BOB), claimable(BOB)), (U256::ZERO, U256::ZERO));
    env.warp(DELAY - 1);
    assert_eq!((pending(ALICE), claimable(ALICE)), (eth(4), U256::ZERO));
    env.warp(1);
    assert_eq!((pending(ALICE), claimable(ALICE)), (U256::ZERO, eth(4)));
    env.claim(ALICE, id).unwrap();
    assert_eq!((pending(ALICE), claimable(ALICE)), (U256::ZERO, U256::ZERO));
    // Unknown ids report zero.
    let none = env.request_info(U256::from(99));
    assert_eq!((none._0, none._2), (Address::ZERO, U256::ZERO));
}

#[test]
fn operator_or_allowance_decides_who_may_request_for_an_owner() {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    let c = |shares| IQueue::requestRedeemCall {
        shares,
        controller: BOB,
        owner: ALICE,
    };
    // No operator approval, no allowance: the LRT's error passes through.
    env.err(
        BOB,
        QUEUE,
        c(eth(1)),
        ERC20InsufficientAllowance {
            spender: BOB,
            allowance: U256::ZERO,
            needed: eth(1),
        }
        .abi_encode(),
    );
    // With an allowance, it is spent.
    env.ok(
        ALICE,
        LRT,
        ILrt::approveCall {
            spender: BOB,
            value: eth(3),
        },
    );
    env.ok(BOB, QUEUE, c(eth(2)));
    assert_eq!(
        env.view(
            LRT,
            ILrt::allowanceCall {
                owner: ALICE,
                spender: BOB
            }
        ),
        eth(1)
    );
    // An approved operator needs no allowance.
    let mark = env.log_count(QUEUE);
    assert!(env.ok(
        ALICE,
        QUEUE,
        IQueue::setOperatorCall {
            operator: CAROL,
            approved: true
        }
    ));
    let ev = env.events::<OperatorSet>(QUEUE, mark);
    assert_eq!(
        (ev[0].controller, ev[0].operator, ev[0].approved),
        (ALICE, CAROL, true)
    );
    assert!(env.view(
        QUEUE,
        IQueue::isOperatorCall {
            controller: ALICE,
            operator: CAROL
        }
    ));
    env.ok(CAROL, QUEUE, c(eth(5)));
    assert_eq!(env.lrt_of(ALICE), eth(3));
    // Revoked: back to the allowance rule.
    env.ok(
        ALICE,
        QUEUE,
        IQueue::setOperatorCall {
            operator: CAROL,
            approved: false,
        },
    );
    env.err(
        CAROL,
        QUEUE,
        c(eth(1)),
        ERC20InsufficientAllowance {
            spender: CAROL,
            allowance: U256::ZERO,
            needed: eth(1),
        }
        .abi_encode(),
    );
    env.err(
        ALICE,
        QUEUE,
        IQueue::setOperatorCall {
            operator: Address::ZERO,
            approved: true,
        },
        RedeemQueueZeroAddress {}.abi_encode(),
    );
}

#[test]
fn request_errors() {
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    let c = |shares, controller, owner| IQueue::requestRedeemCall {
        shares,
        controller,
        owner,
    };
    env.err(
        ALICE,
        QUEUE,
        c(U256::ZERO, ALICE, ALICE),
        RedeemQueueZeroAmount {}.abi_encode(),
    );
    env.err(
        ALICE,
        QUEUE,
        c(eth(1), Address::ZERO, ALICE),
        RedeemQueueZeroAddress {}.abi_encode(),
    );
    env.err(
        ALICE,
        QUEUE,
        c(eth(1), ALICE, Address::ZERO),
        RedeemQueueZeroAddress {}.abi_encode(),
    );
    env.err(
        ALICE,
        QUEUE,
        c(eth(2), ALICE, ALICE),
        ERC20InsufficientBalance {
            sender: ALICE,
            balance: eth(1),
            needed: eth(2),
        }
        .abi_encode(),
    );
    env.ok(
        PAUSER,
        QUEUE,
        IAdmin::pauseCall {
            group: GROUP_REQUEST,
        },
    );
    env.err(
        ALICE,
        QUEUE,
        c(eth(1), ALICE, ALICE),
        PausableEnforcedPause {
            group: GROUP_REQUEST,
        }
        .abi_encode(),
    );
    env.ok(
        ADMIN,
        QUEUE,
        IAdmin::unpauseCall {
            group: GROUP_REQUEST,
        },
    );
    // Shares worth nothing (everything slashed).
    env.ok(
        MANAGER,
        VAULT,
        IVault::slashCall {
            asset: ETH,
            amount: eth(1),
            recipient: MANAGER,
        },
    );
    env.err(
        ALICE,
        QUEUE,
        c(eth(1) - U256::from(1), ALICE, ALICE),
        RedeemQueueZeroAmount {}.abi_encode(),
    );
}

#[test]
fn token_requests_need_a_token_the_vault_listed() {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    for t in [CAROL, ETH] {
        env.err(
            ALICE,
            QUEUE,
            IQueue::requestRedeemTokenCall {
                shares: eth(1),
                controller: ALICE,
                owner: ALICE,
                token: t,
            },
            RedeemQueueTokenNotListed { token: t }.abi_encode(),
        );
    }
    // Unlisted but known: still a valid payout asset.
    env.ok(ADMIN, VAULT, IVault::unlistTokenCall { token: TOKEN_B });
    let id = env.request_token(ALICE, eth(1), TOKEN_B).unwrap();
    assert_eq!(env.request_info(id)._1, TOKEN_B);
}

// ----- Claims -----

#[test]
fn claim_pays_after_the_delay_once_and_burns_the_shares() {
    let (env, id) = with_request();
    env.err(
        ALICE,
        QUEUE,
        claim_call(id, ALICE),
        not_claimable(1, T0 + DELAY),
    );
    env.warp(DELAY);
    let mark = env.log_count(QUEUE);
    let vmark = env.log_count(VAULT);
    let before = env.eth_of(BOB);
    assert_eq!(env.ok(ALICE, QUEUE, claim_call(id, BOB)), eth(4));
    assert_eq!(env.eth_of(BOB), before + eth(4));
    assert_eq!(env.lrt_supply(), eth(6));
    assert_eq!(env.total_shares(), eth(6));
    assert_eq!(env.total_assets(), eth(6));
    assert_eq!(env.lrt_of(VAULT), U256::ZERO);
    assert!(env.request_info(id)._5);
    let ev = env.events::<Withdraw>(QUEUE, mark);
    assert_eq!(
        (
            ev[0].sender,
            ev[0].receiver,
            ev[0].owner,
            ev[0].assets,
            ev[0].shares
        ),
        (ALICE, BOB, ALICE, eth(4), eth(4))
    );
    let settled = env.events::<crate::RedeemSettled>(VAULT, vmark);
    assert_eq!(
        (settled[0].asset, settled[0].receiver, settled[0].amount),
        (ETH, BOB, eth(4))
    );
    env.err(
        ALICE,
        QUEUE,
        claim_call(id, ALICE),
        RedeemQueueAlreadyClaimed { requestId: id }.abi_encode(),
    );
}

fn claim_call(id: U256, receiver: Address) -> IQueue::claimCall {
    IQueue::claimCall {
        requestId: id,
        receiver,
    }
}

#[test]
fn claim_access_and_input_errors() {
    let (env, id) = with_request();
    env.warp(DELAY);
    env.err(
        ALICE,
        QUEUE,
        claim_call(U256::from(9), ALICE),
        RedeemQueueUnknownRequest {
            requestId: U256::from(9),
        }
        .abi_encode(),
    );
    env.err(
        BOB,
        QUEUE,
        claim_call(id, BOB),
        RedeemQueueNotOperator {
            caller: BOB,
            account: ALICE,
        }
        .abi_encode(),
    );
    env.err(
        ALICE,
        QUEUE,
        claim_call(id, Address::ZERO),
        RedeemQueueZeroAddress {}.abi_encode(),
    );
    env.ok(PAUSER, QUEUE, IAdmin::pauseCall { group: GROUP_CLAIM });
    env.err(
        ALICE,
        QUEUE,
        claim_call(id, ALICE),
        PausableEnforcedPause { group: GROUP_CLAIM }.abi_encode(),
    );
    env.ok(ADMIN, QUEUE, IAdmin::unpauseCall { group: GROUP_CLAIM });
    // An operator of the controller may claim, to any receiver.
    env.ok(
        ALICE,
        QUEUE,
        IQueue::setOperatorCall {
            operator: BOB,
            approved: true,
        },
    );
    env.ok(BOB, QUEUE, claim_call(id, BOB));
}

#[test]
fn queued_requests_earn_nothing_after_the_request() {
    let (env, id) = with_request();
    // A 5 ETH reward vests fully: the rate rises 50%, the request stays at 4 ETH.
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
    env.warp(DELAY);
    assert_eq!(env.claim(ALICE, id).unwrap(), eth(4));
    // The remaining holder gets the whole reward.
    assert!(
        env.view(VAULT, IVault::convertToAssetsCall { shares: eth(6) }) >= eth(11) - U256::from(2)
    );
}

#[test]
fn queued_requests_bear_slashes() {
    let (env, id) = with_request();
    env.ok(
        MANAGER,
        VAULT,
        IVault::slashCall {
            asset: ETH,
            amount: eth(5),
            recipient: MANAGER,
        },
    );
    env.warp(DELAY);
    // 4 of 10 shares of 5 ETH, rounded down.
    let expected = eth(4) * (eth(5) + U256::from(1)) / (eth(10) + U256::from(1));
    assert_eq!(env.claim(ALICE, id).unwrap(), expected);
}

#[test]
fn insufficient_liquidity_keeps_the_request_claimable() {
    let env = Env::new();
    env.deposit_token(ALICE, TOKEN_A, eth(10)).unwrap();
    let shares = env.lrt_of(ALICE);
    let id = env.request(ALICE, shares / U256::from(2)).unwrap();
    env.warp(DELAY);
    let need = env.request_info(id)._3;
    env.err(
        ALICE,
        QUEUE,
        claim_call(id, ALICE),
        VaultInsufficientLiquidity {
            asset: ETH,
            needed: need,
            available: U256::ZERO,
        }
        .abi_encode(),
    );
    assert!(!env.request_info(id)._5);
    // ETH arrives; the same request now pays, once.
    env.deposit(BOB, eth(20)).unwrap();
    assert_eq!(env.claim(ALICE, id).unwrap(), need);
}

#[test]
fn token_requests_pay_token_units_at_the_claim_time_rate() {
    let env = Env::new();
    env.deposit_token(ALICE, TOKEN_A, eth(10)).unwrap();
    let id = env.request_token(ALICE, eth(1), TOKEN_A).unwrap();
    env.warp(DELAY);
    // The token doubles in value: the request still gets 1 ETH of value, half the tokens.
    env.set_rate(PROVIDER_A, U256::from(2_100_000_000_000_000_000u128));
    let paid = env.claim(ALICE, id).unwrap();
    assert_eq!(
        paid,
        eth(1) * U256::from(E18) / U256::from(2_100_000_000_000_000_000u128)
    );
    assert_eq!(env.token_of(TOKEN_A, ALICE), eth(1_000) - eth(10) + paid);
    // A failing provider blocks token claims with the vault's error.
    let id2 = env.request_token(ALICE, eth(1), TOKEN_A).unwrap();
    env.warp(DELAY);
    env.set_provider_mode(PROVIDER_A, ProviderMode::Reverts);
    env.err(
        ALICE,
        QUEUE,
        claim_call(id2, ALICE),
        VaultRateUnavailable { token: TOKEN_A }.abi_encode(),
    );
}

#[test]
fn a_receiver_refusing_eth_fails_the_claim_and_keeps_it() {
    let (env, id) = with_request();
    env.warp(DELAY);
    env.world(|w| {
        w.eth_rejecters.insert(CAROL);
    });
    env.err(
        ALICE,
        QUEUE,
        claim_call(id, CAROL),
        VaultTransferFailed { asset: ETH }.abi_encode(),
    );
    env.claim(ALICE, id).unwrap();
}

#[test]
fn a_receiver_reentering_the_queue_is_refused() {
    let (env, id) = with_request();
    let second = env.request(ALICE, eth(1)).unwrap();
    env.warp(DELAY);
    let attacker = Address::repeat_byte(0xee);
    env.ok(
        ALICE,
        QUEUE,
        IQueue::setOperatorCall {
            operator: attacker,
            approved: true,
        },
    );
    env.world(|w| {
        w.reentrants
            .insert(attacker, (QUEUE, claim_call(second, attacker).abi_encode()));
    });
    env.ok(ALICE, QUEUE, claim_call(id, attacker));
    let r = env.world(|w| w.reentry_result.clone()).expect("reentered");
    assert_eq!(r, Err(ReentrancyGuardReentrantCall {}.abi_encode()));
    assert!(!env.request_info(second)._5);
}

// ----- redeem -----

#[test]
fn redeem_claims_whole_eth_requests_in_order() {
    let env = Env::new();
    env.deposit(ALICE, eth(10)).unwrap();
    env.deposit_token(BOB, TOKEN_A, eth(10)).unwrap();
    let r1 = env.request(ALICE, eth(1)).unwrap();
    let r2 = env.request_token(ALICE, eth(1), TOKEN_A).unwrap();
    let r3 = env.request(ALICE, eth(2)).unwrap();
    env.warp(DELAY);
    let r4 = env.request(ALICE, eth(3)).unwrap();
    let redeem = |shares| IQueue::redeemCall {
        shares,
        receiver: ALICE,
        controller: ALICE,
    };
    // r1 + r3 = 3 (r2 is paid in a token and skipped; r4 still waits).
    env.err(
        ALICE,
        QUEUE,
        redeem(eth(2)),
        RedeemQueueRedeemMismatch {
            requested: eth(2),
            claimable: eth(1),
        }
        .abi_encode(),
    );
    env.err(
        ALICE,
        QUEUE,
        redeem(eth(6)),
        RedeemQueueRedeemMismatch {
            requested: eth(6),
            claimable: eth(3),
        }
        .abi_encode(),
    );
    let mark = env.log_count(QUEUE);
    let before = env.eth_of(ALICE);
    assert_eq!(env.ok(ALICE, QUEUE, redeem(eth(3))), eth(3));
    assert_eq!(env.eth_of(ALICE), before + eth(3));
    assert!(env.request_info(r1)._5 && env.request_info(r3)._5);
    assert!(!env.request_info(r2)._5 && !env.request_info(r4)._5);
    let ev = env.events::<Withdraw>(QUEUE, mark);
    assert_eq!((ev.len(), ev[0].assets, ev[0].shares), (1, eth(3), eth(3)));
    // The head stops at the token request, which is still open.
    let q = env.host(QUEUE);
    assert_eq!(RedeemQueue::from(&q).queue_head(ALICE), 1);
    // Claiming the token request by id lets the head move past it on the next redeem.
    env.claim(ALICE, r2).unwrap();
    env.warp(DELAY);
    assert_eq!(env.ok(ALICE, QUEUE, redeem(eth(3))), eth(3));
    assert_eq!(RedeemQueue::from(&q).queue_head(ALICE), 4);
    env.err(
        ALICE,
        QUEUE,
        redeem(eth(1)),
        RedeemQueueRedeemMismatch {
            requested: eth(1),
            claimable: U256::ZERO,
        }
        .abi_encode(),
    );
}

#[test]
fn redeem_access_and_input_errors() {
    let (env, _) = with_request();
    env.warp(DELAY);
    let redeem = |shares, receiver, controller| IQueue::redeemCall {
        shares,
        receiver,
        controller,
    };
    env.err(
        ALICE,
        QUEUE,
        redeem(U256::ZERO, ALICE, ALICE),
        RedeemQueueZeroAmount {}.abi_encode(),
    );
    env.err(
        ALICE,
        QUEUE,
        redeem(eth(4), Address::ZERO, ALICE),
        RedeemQueueZeroAddress {}.abi_encode(),
    );
    env.err(
        BOB,
        QUEUE,
        redeem(eth(4), BOB, ALICE),
        RedeemQueueNotOperator {
            caller: BOB,
            account: ALICE,
        }
        .abi_encode(),
    );
    env.ok(PAUSER, QUEUE, IAdmin::pauseCall { group: GROUP_CLAIM });
    env.err(
        ALICE,
        QUEUE,
        redeem(eth(4), ALICE, ALICE),
        PausableEnforcedPause { group: GROUP_CLAIM }.abi_encode(),
    );
    env.ok(ADMIN, QUEUE, IAdmin::unpauseCall { group: GROUP_CLAIM });
    env.ok(
        ALICE,
        QUEUE,
        IQueue::setOperatorCall {
            operator: BOB,
            approved: true,
        },
    );
    assert_eq!(env.ok(BOB, QUEUE, redeem(eth(4), BOB, ALICE)), eth(4));
}

#[test]
fn a_bad_vault_answer_is_a_typed_error() {
    // A queue pointed at an account with no code: views answer no data.
    let env = Env::new();
    env.deposit(ALICE, eth(1)).unwrap();
    let q = env.host(QUEUE);
    let slot = U256::ZERO;
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(Address::repeat_byte(0x99).as_slice());
    q.vm.set_storage(slot, word.into());
    env.err(
        ALICE,
        QUEUE,
        IQueue::requestRedeemCall {
            shares: eth(1),
            controller: ALICE,
            owner: ALICE,
        },
        RedeemQueueBadVaultAnswer {}.abi_encode(),
    );
}

#[test]
fn depositing_around_a_reward_captures_nothing_unvested() {
    let env = Env::new();
    env.deposit(ALICE, eth(100)).unwrap();
    // Bob deposits just before a reward and requests just after, in the same block.
    let shares = env.deposit(BOB, eth(100)).unwrap();
    env.send(
        MANAGER,
        VAULT,
        IVault::notifyRewardCall {
            asset: ETH,
            amount: eth(20),
            duration: 0,
        },
        eth(20),
    )
    .unwrap();
    let id = env.request(BOB, shares).unwrap();
    assert_eq!(env.request_info(id)._3, eth(100));
    // Waiting for the claim earns nothing either: the request was fixed at 100 ETH.
    env.warp(DELAY);
    assert_eq!(env.claim(BOB, id).unwrap(), eth(100));
    // Alice, who stayed, gets the whole reward once it has vested.
    env.warp(crate::DEFAULT_MIN_REWARD_DURATION);
    let alice = env.view(VAULT, IVault::convertToAssetsCall { shares: eth(100) });
    assert!(alice > eth(119) && alice <= eth(120));
}
