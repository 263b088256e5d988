//! The slashing manager of the restaking core: slash requests, vetoes and execution.
//!
//! 1. An operator set's slasher **requests** a slash of an operator: a fraction (WAD) of the
//!    operator's slashable stake in that set, with an evidence hash. The set's per-event cap
//!    at that moment is recorded.
//! 2. During the set's **veto window** the set's resolver may **veto** it.
//! 3. After the window **anyone executes** it, within [`EXECUTION_WINDOW`]; later it has
//!    **expired** and can never run. Execution takes `min(requested fraction, cap at request,
//!    cap now)`: the allocation manager cuts the magnitude, the delegation manager reduces
//!    every delegating vault's delegation and reports what each vault owes, and this contract
//!    takes that value out of the vaults for the set's payout address (or [`BURN_ADDRESS`]).
//!    Each vault's exchange rate falls in the same transaction.
//!
//! Value is taken from a vault as ETH first (its counted, vested ETH), then from its tokens in
//! listing order, each at its rate provider's rate with the units rounded up to a whole unit
//! (so a vault may give up to one token unit's worth more, never less unless it holds too
//! little: the shortfall is reported). A token whose provider fails or answers zero is skipped.
//!
//! Function groups that can be paused: [`GROUP_REQUESTS`], [`GROUP_EXECUTION`] (vetoes never
//! are).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::SlashingManager;

use alloy_primitives::{address, Address, FixedBytes};
use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathDivisionByZero, MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
    reentrancy::ReentrancyGuardReentrantCall,
};
use stylus_sdk::prelude::*;

/// Pause group of slash requests.
pub const GROUP_REQUESTS: u8 = 0;
/// Pause group of slash execution.
pub const GROUP_EXECUTION: u8 = 1;
/// Seconds after the veto window during which a request can be executed (1 day).
pub const EXECUTION_WINDOW: u64 = 86_400;
/// Where slashed funds go when an operator set has no payout address.
pub const BURN_ADDRESS: Address = address!("000000000000000000000000000000000000dEaD");

/// Request status: no such request.
pub const STATUS_NONE: u8 = 0;
/// Request status: requested, not vetoed, not executed, not expired.
pub const STATUS_REQUESTED: u8 = 1;
/// Request status: vetoed by the resolver.
pub const STATUS_VETOED: u8 = 2;
/// Request status: executed.
pub const STATUS_EXECUTED: u8 = 3;
/// Request status (computed): past the execution window without execution.
pub const STATUS_EXPIRED: u8 = 4;

/// Pseudo-role named when the caller is not the set's slasher: `keccak256("SLASHER")`.
pub const SLASHER: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "b6dc46af6200c64c5055754ce63390e8c046183fef4ecfdb465ca1ed5c9c403f"
));
/// Pseudo-role named when the caller is not the set's resolver: `keccak256("RESOLVER")`.
pub const RESOLVER: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "17a55417373800620b4c2ceaa9f76c02df2e2dd329b9cb9a7cf849712c108f6f"
));

sol! {
    /// The slasher of `setId` asks to slash `wad` of `operator`'s slashable stake there;
    /// executable from `vetoEnd` on.
    #[derive(Debug)]
    event SlashRequested(uint64 indexed requestId, address indexed operator, uint64 indexed setId, uint256 wad, bytes32 evidence, uint64 vetoEnd);
    /// The resolver vetoed request `requestId`.
    #[derive(Debug)]
    event SlashVetoed(uint64 indexed requestId, address resolver);
    /// Request `requestId` was executed: fraction `wad` applied, `taken` wei taken from vaults
    /// for `recipient`.
    #[derive(Debug)]
    event SlashExecuted(uint64 indexed requestId, uint256 wad, uint256 taken, address recipient);
    /// Executing a request took `value` wei from `vault` (`shortfall` could not be found in
    /// its holdings).
    #[derive(Debug)]
    event VaultSlashed(uint64 indexed requestId, address indexed vault, uint256 value, uint256 shortfall);

    /// The fraction is zero or above 1e18.
    #[derive(Debug)]
    error SlashingInvalidFraction(uint256 wad);
    /// Request `requestId` has status `status`, which does not allow this.
    #[derive(Debug)]
    error SlashingInvalidStatus(uint64 requestId, uint8 status);
    /// Request `requestId`'s veto window ends at `vetoEnd`: too early to execute, or too late
    /// to veto.
    #[derive(Debug)]
    error SlashingVetoWindow(uint64 requestId, uint64 vetoEnd);
    /// A call to `target` failed or returned malformed data.
    #[derive(Debug)]
    error SlashingCallFailed(address target);
}

/// Every error the slashing manager can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum SlashingError {
    /// Fraction out of range.
    InvalidFraction(SlashingInvalidFraction),
    /// Request status does not allow the action.
    InvalidStatus(SlashingInvalidStatus),
    /// Veto window timing.
    VetoWindow(SlashingVetoWindow),
    /// External call failed.
    CallFailed(SlashingCallFailed),
    /// Arithmetic overflow.
    Overflow(MathOverflow),
    /// Division by zero.
    DivisionByZero(MathDivisionByZero),
    /// Reentrant call.
    Reentrant(ReentrancyGuardReentrantCall),
    /// Caller lacks a role (slasher, resolver, admin, pauser).
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or peer.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => SlashingError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => SlashingError { Overflow, DivisionByZero });

sol! {
    /// The registry view of a set's slashing configuration.
    interface ISetConfig {
        function setConfig(uint64 setId, bool scheduled) external view returns (address, address, address, uint16, uint64);
    }
    /// The allocation manager's slashing entry.
    interface IApplySlash {
        function applySlash(address operator, uint64 setId, uint256 wad) external returns (uint64, uint64);
    }
    /// The delegation manager's slashing entry.
    interface IDelegationSlash {
        function slash(address operator, uint64 magnitude, uint64 maxMagnitude, uint256 wad) external returns (address[], uint256[]);
    }
    /// What the slashing manager calls on a vault (the restaking vault's ABI).
    interface ISlashableVault {
        function tokenInfo(address token) external view returns (bool, address, uint256, uint256);
        function tokens() external view returns (address[]);
        function unvestedReward(address asset) external view returns (uint256);
        function slash(address asset, uint256 amount, address recipient) external;
    }
    /// A token's rate provider: wei per 1e18 token units.
    interface IRateProvider {
        function getRate() external view returns (uint256);
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
