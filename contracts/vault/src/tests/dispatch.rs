//! ABI dispatch: payable checks, malformed calldata, unknown selectors and the admin surface,
//! through the routers of both contracts.
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use restake_shared::access::{AccessControlUnauthorizedAccount, ADMIN_ROLE, PAUSER_ROLE};
use restake_shared::pausable::PausableExpectedPause;

use super::env::*;
use super::host;

fn raw(
    env: &Env,
    from: Address,
    to: Address,
    data: &[u8],
    value: U256,
) -> Result<Vec<u8>, Vec<u8>> {
    let before = env.fingerprint();
    let r = host::call(&env.chain, from, to, data, value, false);
    if r.is_err() {
        assert!(env.fingerprint() == before, "a failed call changed state");
    }
    r
}

#[test]
fn eth_sent_to_a_non_payable_function_reverts_with_empty_data() {
    let env = Env::new();
    env.deposit(ALICE, eth(2)).unwrap();
    let vault_calls: Vec<Vec<u8>> = vec![
        IVault::depositTokenCall {
            token: TOKEN_A,
            amount: eth(1),
            receiver: ALICE,
        }
        .abi_encode(),
        IVault::totalAssetsCall {}.abi_encode(),
        IVault::unlistTokenCall { token: TOKEN_A }.abi_encode(),
        IAdmin::pauseCall { group: 0 }.abi_encode(),
    ];
    for data in vault_calls {
        assert_eq!(raw(&env, ALICE, VAULT, &data, U256::from(1)), Err(vec![]));
    }
    let queue_calls: Vec<Vec<u8>> = vec![
        IQueue::requestRedeemCall {
            shares: eth(1),
            controller: ALICE,
            owner: ALICE,
        }
        .abi_encode(),
        IQueue::claimCall {
            requestId: U256::from(1),
            receiver: ALICE,
        }
        .abi_encode(),
        IQueue::setOperatorCall {
            operator: BOB,
            approved: true,
        }
        .abi_encode(),
    ];
    for data in queue_calls {
        assert_eq!(raw(&env, ALICE, QUEUE, &data, U256::from(1)), Err(vec![]));
    }
    // The payable ones take it.
    assert!(raw(
        &env,
        ALICE,
        VAULT,
        &IVault::depositCall { receiver: ALICE }.abi_encode(),
        eth(1)
    )
    .is_ok());
}

#[test]
fn plain_eth_transfers_and_unknown_selectors_revert() {
    let env = Env::new();
    for to in [VAULT, QUEUE] {
        assert_eq!(raw(&env, ALICE, to, &[], eth(1)), Err(vec![]));
        assert_eq!(
            raw(&env, ALICE, to, &[0xde, 0xad, 0xbe, 0xef], U256::ZERO),
            Err(vec![])
        );
        assert_eq!(raw(&env, ALICE, to, &[0x01, 0x02], U256::ZERO), Err(vec![]));
    }
}

#[test]
fn malformed_arguments_revert_without_effect() {
    let env = Env::new();
    env.deposit(ALICE, eth(2)).unwrap();
    let good = IVault::depositTokenCall {
        token: TOKEN_A,
        amount: eth(1),
        receiver: ALICE,
    }
    .abi_encode();
    // Truncated.
    assert!(raw(&env, ALICE, VAULT, &good[..good.len() - 1], U256::ZERO).is_err());
    assert!(raw(&env, ALICE, VAULT, &good[..4], U256::ZERO).is_err());
    // An address with dirty upper bytes.
    let mut dirty = good.clone();
    dirty[4] = 0xff;
    assert!(raw(&env, ALICE, VAULT, &dirty, U256::ZERO).is_err());
    // A bool that is neither 0 nor 1.
    let mut op = IQueue::setOperatorCall {
        operator: BOB,
        approved: true,
    }
    .abi_encode();
    op[4 + 63] = 2;
    assert!(raw(&env, ALICE, QUEUE, &op, U256::ZERO).is_err());
    // A uint64 over 64 bits.
    let mut d = IQueue::setWithdrawalDelayCall { delay: 7_200 }.abi_encode();
    d[4 + 8] = 1;
    assert!(raw(&env, ADMIN, QUEUE, &d, U256::ZERO).is_err());
    // The good call still works.
    assert!(raw(&env, ALICE, VAULT, &good, U256::ZERO).is_ok());
}

#[test]
fn admin_surface_roles_transfer_and_pausing() {
    let env = Env::new();
    for c in [VAULT, QUEUE] {
        env.err(
            ALICE,
            c,
            IAdmin::grantRoleCall {
                role: PAUSER_ROLE,
                account: ALICE,
            },
            AccessControlUnauthorizedAccount {
                account: ALICE,
                neededRole: ADMIN_ROLE,
            }
            .abi_encode(),
        );
        env.err(
            ALICE,
            c,
            IAdmin::pauseCall { group: 1 },
            AccessControlUnauthorizedAccount {
                account: ALICE,
                neededRole: PAUSER_ROLE,
            }
            .abi_encode(),
        );
        env.err(
            ADMIN,
            c,
            IAdmin::unpauseCall { group: 1 },
            PausableExpectedPause { group: 1 }.abi_encode(),
        );
        env.ok(PAUSER, c, IAdmin::pauseCall { group: 7 });
        assert!(env.view(c, IAdmin::pausedCall { group: 7 }));
        assert_eq!(
            env.view(c, IAdmin::pausedGroupsCall {}),
            U256::from(1u64 << 7)
        );
        env.ok(PAUSER, c, IAdmin::renounceRoleCall { role: PAUSER_ROLE });
        assert!(!env.view(
            c,
            IAdmin::hasRoleCall {
                role: PAUSER_ROLE,
                account: PAUSER
            }
        ));
        env.ok(ADMIN, c, IAdmin::transferAdminCall { newAdmin: BOB });
        assert_eq!(env.view(c, IAdmin::pendingAdminCall {}), BOB);
        env.err(
            CAROL,
            c,
            IAdmin::acceptAdminCall {},
            AccessControlUnauthorizedAccount {
                account: CAROL,
                neededRole: ADMIN_ROLE,
            }
            .abi_encode(),
        );
        env.ok(BOB, c, IAdmin::acceptAdminCall {});
        assert_eq!(env.view(c, IAdmin::adminCall {}), BOB);
        env.ok(BOB, c, IAdmin::unpauseCall { group: 7 });
        env.ok(
            BOB,
            c,
            IAdmin::revokeRoleCall {
                role: PAUSER_ROLE,
                account: PAUSER,
            },
        );
    }
}

#[test]
fn router_error_data_is_the_solidity_error() {
    let env = Env::new();
    let r = raw(
        &env,
        ALICE,
        VAULT,
        &IVault::depositCall {
            receiver: Address::ZERO,
        }
        .abi_encode(),
        eth(1),
    );
    let data = r.unwrap_err();
    assert_eq!(data[..4], crate::VaultZeroAddress::SELECTOR);
    assert_eq!(data, crate::VaultZeroAddress {}.abi_encode());
}
