//! The delegation manager of the restaking core: which vault backs which operator with how
//! much value.
//!
//! - The admin registers **vaults** (at most [`MAX_VAULTS`]; the LRT vault first), names each
//!   vault's **manager** and caps what each vault may delegate to each operator.
//! - A vault's manager sets the value (wei, the vault's `totalAssets` unit) delegated to each
//!   registered operator, within the cap and so that the vault's delegations add up to at most
//!   its total assets. Increases apply at once; a decrease applies after the allocation
//!   manager's deallocation delay, and until then the higher amount stays slashable.
//! - When a vault's total assets fall below what it delegated (withdrawals), every delegation
//!   of that vault counts pro rata (`amount × totalAssets / delegatedSum`, rounded down).
//! - **Slashing**: the slashing manager (the only caller allowed) asks for a fraction of an
//!   operator's slashable stake. Each delegating vault loses the same fraction of its
//!   slashable part, no loop over stakers: the vault's exchange rate falls for every LRT
//!   holder and every queued withdrawal at once when the slashing manager takes the value
//!   out. Another operator's delegation never changes.
//!
//! Function group that can be paused: [`GROUP_DELEGATION`] (slashing is paused in the
//! allocation manager).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::DelegationManager;

use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathDivisionByZero, MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
};
use stylus_sdk::prelude::*;

/// Pause group of delegation changes and vault registration.
pub const GROUP_DELEGATION: u8 = 0;
/// Most vaults that can be registered (a slash visits each delegating vault).
pub const MAX_VAULTS: u64 = 16;

/// Pseudo-role named when a caller is not the vault's manager: `keccak256("VAULT_MANAGER")`.
pub const VAULT_MANAGER: alloy_primitives::FixedBytes<32> = alloy_primitives::FixedBytes(
    alloy_primitives::hex!("7d6d8b9b446e2d961101099c17de9758016a0de4ad2bd37ba4da59dcd2a1e69a"),
);
/// Pseudo-role named when a caller of `slash` is not the allocation manager:
/// `keccak256("SLASHER")`.
pub const SLASHER: alloy_primitives::FixedBytes<32> = alloy_primitives::FixedBytes(
    alloy_primitives::hex!("b6dc46af6200c64c5055754ce63390e8c046183fef4ecfdb465ca1ed5c9c403f"),
);

sol! {
    /// `vault` is registered with `manager` setting its delegations.
    #[derive(Debug)]
    event VaultRegistered(address indexed vault, address manager);
    /// `vault` may delegate at most `cap` to `operator`.
    #[derive(Debug)]
    event DelegationCapSet(address indexed vault, address indexed operator, uint256 cap);
    /// `vault` delegates `amount` to `operator` from `effectiveAt` on (now for an increase or a
    /// settled decrease).
    #[derive(Debug)]
    event DelegationSet(address indexed vault, address indexed operator, uint256 amount, uint64 effectiveAt);
    /// A slash of `operator` makes `vault` owe `value` wei; its delegation shrank by
    /// `reduction`.
    #[derive(Debug)]
    event DelegationSlashed(address indexed operator, address indexed vault, uint256 value, uint256 reduction);
    /// The allocation and slashing managers were set (once).
    #[derive(Debug)]
    event PeersSet(address allocationManager, address slashingManager);

    /// `vault` is not registered.
    #[derive(Debug)]
    error DelegationUnknownVault(address vault);
    /// [`MAX_VAULTS`] vaults are registered already.
    #[derive(Debug)]
    error DelegationTooManyVaults();
    /// `operator` is not a registered operator.
    #[derive(Debug)]
    error DelegationNotOperator(address operator);
    /// `amount` exceeds `limit`: the cap for this operator, or the vault's total assets for
    /// the sum of its delegations.
    #[derive(Debug)]
    error DelegationOverLimit(address vault, uint256 amount, uint256 limit);
    /// A call to `target` failed or returned malformed data.
    #[derive(Debug)]
    error DelegationCallFailed(address target);
    /// The peers are already set, or a given one is zero.
    #[derive(Debug)]
    error DelegationPeersFixed(address current);
}

/// Every error the delegation manager can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum DelegationError {
    /// Unknown vault.
    UnknownVault(DelegationUnknownVault),
    /// Vault list full.
    TooManyVaults(DelegationTooManyVaults),
    /// Operator not registered.
    NotOperator(DelegationNotOperator),
    /// Over the cap or the vault's assets.
    OverLimit(DelegationOverLimit),
    /// External call failed.
    CallFailed(DelegationCallFailed),
    /// Peers already set or zero.
    PeersFixed(DelegationPeersFixed),
    /// Arithmetic overflow.
    Overflow(MathOverflow),
    /// Division by zero.
    DivisionByZero(MathDivisionByZero),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or account.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => DelegationError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => DelegationError { Overflow, DivisionByZero });

sol! {
    /// What the delegation manager calls on a vault (the restaking vault's ABI).
    interface IStakeVault {
        function totalAssets() external view returns (uint256);
    }
    /// The registry view consulted before delegating to an operator.
    interface IOperatorInfo {
        function operatorInfo(address operator) external view returns (bool, uint16, uint16, uint64, uint32);
    }
    /// The allocation manager view giving the delay of decreases.
    interface IDeallocationDelay {
        function deallocationDelay() external view returns (uint64);
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
