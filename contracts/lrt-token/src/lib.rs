//! The liquid restaking token (LRT): an ERC-20 with EIP-2612 `permit`.
//!
//! Minted by the restaking vault against deposits and burned when withdrawals are claimed; on
//! remote chains the LRT bridge holds the minter role instead. Only holders of [`MINTER_ROLE`]
//! mint or burn; the admin grants that role. Errors follow EIP-6093.
//!
//! Function groups that can be paused: [`GROUP_TRANSFER`], [`GROUP_MINT`], [`GROUP_BURN`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;
pub mod permit;

// The entrypoint macro generates an undocumented `user_entrypoint`; keeping the contract in a
// private module and re-exporting the type keeps that symbol out of the documented API.
pub use contract::LrtToken;

use alloy_primitives::FixedBytes;
use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::MathOverflow,
    pausable::{PausableEnforcedPause, PausableExpectedPause},
};
use stylus_sdk::prelude::*;

use crate::permit::PermitError;
use restake_shared::erc20::{self, Erc20Error};

/// `keccak256("MINTER_ROLE")`: may mint and burn.
pub const MINTER_ROLE: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6"
));

/// Pause group of `transfer`, `transferFrom` (and so of every move between holders).
pub const GROUP_TRANSFER: u8 = 0;
/// Pause group of `mint`.
pub const GROUP_MINT: u8 = 1;
/// Pause group of `burn`.
pub const GROUP_BURN: u8 = 2;

sol! {
    /// Name or symbol empty or longer than 31 bytes in the constructor.
    #[derive(Debug)]
    error LrtInvalidMetadata();
}

/// Every error the token can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum LrtError {
    /// EIP-6093: balance too low.
    InsufficientBalance(erc20::ERC20InsufficientBalance),
    /// EIP-6093: zero sender.
    InvalidSender(erc20::ERC20InvalidSender),
    /// EIP-6093: zero receiver.
    InvalidReceiver(erc20::ERC20InvalidReceiver),
    /// EIP-6093: allowance too low.
    InsufficientAllowance(erc20::ERC20InsufficientAllowance),
    /// EIP-6093: zero approver.
    InvalidApprover(erc20::ERC20InvalidApprover),
    /// EIP-6093: zero spender.
    InvalidSpender(erc20::ERC20InvalidSpender),
    /// Supply would exceed `uint256`.
    Overflow(MathOverflow),
    /// EIP-2612: past the deadline.
    Expired(permit::ERC2612ExpiredSignature),
    /// EIP-2612: wrong or malformed signature.
    InvalidSigner(permit::ERC2612InvalidSigner),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or account.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
    /// Name or symbol empty.
    InvalidMetadata(LrtInvalidMetadata),
}

absorb_errors!(Erc20Error => LrtError {
    InsufficientBalance, InvalidSender, InvalidReceiver, InsufficientAllowance,
    InvalidApprover, InvalidSpender, Overflow,
});
absorb_errors!(PermitError => LrtError { Expired, InvalidSigner });
absorb_errors!(ControlError => LrtError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});

#[cfg(test)]
mod tests;

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
