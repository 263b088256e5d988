//! The core against the real restaking vault and LRT token (both run through their ABI
//! routers in the test world): deposit, delegate, allocate, slash, veto, reward. Checks that
//! the vault interface the core assumes (`totalAssets`, `tokenInfo`, `tokens`,
//! `unvestedReward`, `slash`, `notifyReward`) is the vault's.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use common::*;

use alloy_primitives::{address, Address, FixedBytes};
use alloy_sol_types::{sol, SolValue};
use stylus_sdk::{abi::router_entrypoint, host::VM, ArbResult};

const LRT: Address = address!("2000000000000000000000000000000000000001");
const VAULT: Address = address!("2000000000000000000000000000000000000002");

sol! {
    interface IRealVault {
        function deposit(address receiver) external payable returns (uint256);
        function totalAssets() external view returns (uint256);
        function exchangeRate() external view returns (uint256);
        function unvestedReward(address asset) external view returns (uint256);
    }
}

fn run_vault(d: Vec<u8>, vm: VM) -> ArbResult {
    router_entrypoint::<restake_vault::RestakeVault, restake_vault::RestakeVault>(d, vm)
}

fn run_lrt(d: Vec<u8>, vm: VM) -> ArbResult {
    router_entrypoint::<lrt_token::LrtToken, lrt_token::LrtToken>(d, vm)
}

/// The core with the real vault registered as vault 1 (manager(1)).
fn real() -> World {
    let w = deploy();
    w.add_contract(LRT, run_lrt);
    w.add_contract(VAULT, run_vault);
    construct(
        &w,
        LRT,
        (
            String::from("Restaked Ether"),
            String::from("rstETH"),
            ADMIN,
        )
            .abi_encode_params(),
    )
    .unwrap();
    construct(&w, VAULT, (LRT, ADMIN).abi_encode_params()).unwrap();
    w.ok(
        ADMIN,
        LRT,
        IAdmin::grantRoleCall {
            role: lrt_token::MINTER_ROLE,
            account: VAULT,
        },
    );
    for core in [SM, RC] {
        w.ok(
            ADMIN,
            VAULT,
            IAdmin::grantRoleCall {
                role: restake_vault::STAKE_MANAGER_ROLE,
                account: core,
            },
        );
    }
    w.ok(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: VAULT,
            manager: manager(1),
        },
    );
    w
}

#[test]
fn deposit_delegate_allocate_slash_veto_reward_on_the_real_vault() {
    let w = real();
    let set = service_with_set(&w, 1, 5_000, DAY);
    register_operator(&w, 1, 1_000);
    w.set_eth(staker(1), eth(100));
    w.ok_value(
        staker(1),
        VAULT,
        IRealVault::depositCall {
            receiver: staker(1),
        },
        eth(100),
    );
    assert_eq!(w.view(VAULT, IRealVault::totalAssetsCall {}), eth(100));
    w.ok(
        ADMIN,
        DM,
        IDelegation::setDelegationCapCall {
            vault: VAULT,
            operator: operator(1),
            cap: eth(80),
        },
    );
    w.ok(
        manager(1),
        DM,
        IDelegation::setDelegationCall {
            vault: VAULT,
            operator: operator(1),
            amount: eth(80),
        },
    );
    allocate(&w, 1, set, mag_pct(50));
    assert_eq!(
        w.view(
            AM,
            IAllocation::slashableStakeCall {
                operator: operator(1),
                setId: set,
                at: 0
            }
        ),
        eth(40)
    );

    // A vetoed slash moves nothing.
    let rate0 = w.view(VAULT, IRealVault::exchangeRateCall {});
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
    w.ok(resolver(1), SM, ISlashing::vetoSlashCall { requestId: id });
    w.warp(DAY);
    assert!(w
        .call(
            acct(1, 1),
            SM,
            ISlashing::executeSlashCall { requestId: id }
        )
        .is_err());
    assert_eq!(w.view(VAULT, IRealVault::totalAssetsCall {}), eth(100));

    // A full-fraction slash is capped at 50% of the 40 ETH slashable: 20 ETH to the payout,
    // and the LRT rate falls in the same transaction.
    let taken = slash(&w, 1, 1, set, WAD, DAY);
    assert_eq!(taken, eth(20));
    assert_eq!(w.eth_of(payout(1)), eth(20));
    assert_eq!(w.view(VAULT, IRealVault::totalAssetsCall {}), eth(80));
    let rate1 = w.view(VAULT, IRealVault::exchangeRateCall {});
    assert!(rate1 < rate0);
    assert_eq!(
        w.view(
            AM,
            IAllocation::slashableStakeCall {
                operator: operator(1),
                setId: set,
                at: 0
            }
        ),
        eth(20)
    );

    // A reward: 10% fee to the operator, the rest streamed into the vault (nothing at once).
    w.set_eth(service(1), eth(10));
    w.ok_value(
        service(1),
        RC,
        IRewards::submitRewardCall {
            setId: set,
            operator: operator(1),
            asset: ETH,
            amount: eth(10),
            duration: 7 * DAY,
        },
        eth(10),
    );
    assert_eq!(w.eth_of(operator(1)), eth(1));
    assert_eq!(w.view(VAULT, IRealVault::totalAssetsCall {}), eth(80));
    assert_eq!(
        w.view(VAULT, IRealVault::unvestedRewardCall { asset: ETH }),
        eth(9)
    );
    w.warp(7 * DAY);
    assert_eq!(w.view(VAULT, IRealVault::totalAssetsCall {}), eth(89));
}
