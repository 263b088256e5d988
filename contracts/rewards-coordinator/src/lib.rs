//! The rewards coordinator of the restaking core: services pay rewards for the operators of
//! their operator sets.
//!
//! A service submits a reward for one operator of one of its sets, in ETH or a listed token,
//! over a duration (at least the coordinator's minimum). The operator's fee (its registry fee
//! in force, rounded down) goes to the operator; the rest goes to the vaults backing the
//! operator in proportion to their slashable stake in the set (each share rounded down, the
//! dust to the operator), through each vault's `notifyReward`, which streams it into the
//! vault's total assets linearly over the duration: depositing just before and redeeming just
//! after a reward captures only what vested in between.
//!
//! Function group that can be paused: [`GROUP_REWARDS`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::RewardsCoordinator;

use alloy_primitives::FixedBytes;
use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathDivisionByZero, MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
    reentrancy::ReentrancyGuardReentrantCall,
};
use stylus_sdk::prelude::*;

/// Pause group of reward submissions.
pub const GROUP_REWARDS: u8 = 0;
/// Bounds of the minimum reward duration fixed at construction (1 hour to 30 days).
pub const MIN_DURATION_FLOOR: u64 = 3_600;
/// Upper bound of the minimum reward duration.
pub const MIN_DURATION_CEIL: u64 = 30 * 86_400;
/// Longest reward duration (365 days).
pub const MAX_DURATION: u64 = 365 * 86_400;

/// Pseudo-role named when the caller is not the set's service: `keccak256("SERVICE")`.
pub const SERVICE: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "acbad678df5731cc63969722859e16a5c8f2854c5e50a0dbc23355ef474f97e2"
));

sol! {
    /// `service` paid `amount` of `asset` for `operator` in set `setId` over `duration`
    /// seconds; `operatorShare` went to the operator (fee plus rounding dust).
    #[derive(Debug)]
    event RewardSubmitted(uint64 indexed setId, address indexed operator, address indexed asset, uint256 amount, uint256 operatorShare, uint64 duration);
    /// `vault` received `amount` of `asset` from a reward for set `setId`.
    #[derive(Debug)]
    event VaultRewarded(uint64 indexed setId, address indexed vault, address indexed asset, uint256 amount);
    /// `token` may (or may no longer) be paid as a reward.
    #[derive(Debug)]
    event RewardTokenSet(address indexed token, bool listed);

    /// `value` is outside [`min`, `max`] (a duration).
    #[derive(Debug)]
    error RewardsOutOfBounds(uint256 value, uint256 min, uint256 max);
    /// `asset` is not ETH nor a listed token.
    #[derive(Debug)]
    error RewardsInvalidAsset(address asset);
    /// `amount` is zero, or the ETH sent (`value`) does not match it.
    #[derive(Debug)]
    error RewardsInvalidAmount(uint256 amount, uint256 value);
    /// `operator` has no slashable stake in set `setId` to reward.
    #[derive(Debug)]
    error RewardsNoStake(uint64 setId, address operator);
    /// A call to `target` failed or returned malformed data (or `false`).
    #[derive(Debug)]
    error RewardsCallFailed(address target);
}

/// Every error the coordinator can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum RewardsError {
    /// Duration out of bounds.
    OutOfBounds(RewardsOutOfBounds),
    /// Asset not accepted.
    InvalidAsset(RewardsInvalidAsset),
    /// Amount zero or ETH mismatch.
    InvalidAmount(RewardsInvalidAmount),
    /// Nothing to reward.
    NoStake(RewardsNoStake),
    /// External call failed.
    CallFailed(RewardsCallFailed),
    /// Arithmetic overflow.
    Overflow(MathOverflow),
    /// Division by zero.
    DivisionByZero(MathDivisionByZero),
    /// Reentrant call.
    Reentrant(ReentrancyGuardReentrantCall),
    /// Caller lacks a role (service, admin, pauser).
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or peer.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => RewardsError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => RewardsError { Overflow, DivisionByZero });

sol! {
    /// Registry views.
    interface IRegistryViews {
        function setInfo(uint64 setId) external view returns (address, bool, uint64, uint64);
        function operatorInfo(address operator) external view returns (bool, uint16, uint16, uint64, uint32);
    }
    /// Allocation manager view.
    interface IMagnitudes {
        function slashableMagnitude(address operator, uint64 setId, uint64 at) external view returns (uint64, uint64);
    }
    /// Delegation manager views.
    interface IStakes {
        function vaultCount() external view returns (uint64);
        function vaultAt(uint64 index) external view returns (address, address, uint256);
        function vaultStake(address vault, address operator, uint64 at) external view returns (uint256);
    }
    /// The vault's reward entry.
    interface IRewardVault {
        function notifyReward(address asset, uint256 amount, uint64 duration) external payable;
    }
    /// ERC-20 calls.
    interface IERC20Calls {
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
