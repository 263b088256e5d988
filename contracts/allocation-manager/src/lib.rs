//! The allocation manager of the restaking core: which fraction of an operator's delegated
//! stake each operator set may slash.
//!
//! - An operator allocates a **magnitude** (a fraction in WAD, 1e18 = 100%) of its delegated
//!   stake to each operator set it is a member of. The magnitudes of one operator add up to
//!   at most its **max magnitude**, which starts at 1e18 and only falls, by what slashes took.
//!   The slashable stake of an operator in a set is `stake × magnitude / maxMagnitude`.
//! - An increase takes effect after the operator's **allocation delay**; a decrease after the
//!   global **deallocation delay**, and until then the old (higher) magnitude stays slashable
//!   and encumbered. One change per (operator, set) at a time.
//! - A **slash** (applied by the slashing manager only) cuts the set's magnitude and the max
//!   magnitude by the same amount, rounded up, so the operator's other sets keep their
//!   slashable stake exactly (EigenLayer's rule). A pending increase keeps its delta; a pending
//!   decrease shrinks proportionally.
//! - Shorter delays wait out [`TIMELOCK`]; longer ones apply at once. Every delay has bounds.
//!
//! Function group that can be paused: [`GROUP_ALLOCATIONS`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::AllocationManager;

use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathDivisionByZero, MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
};
use stylus_sdk::prelude::*;

/// Pause group of allocation changes and allocation delay changes.
pub const GROUP_ALLOCATIONS: u8 = 0;
/// 100% as a magnitude.
pub const WAD_MAGNITUDE: u64 = 1_000_000_000_000_000_000;
/// Seconds a shortened delay waits before anyone may apply it (2 days).
pub const TIMELOCK: u64 = 2 * 86_400;
/// Bounds of the deallocation delay: 5 to 30 days. The lower bound exceeds the longest veto
/// window (3 days) plus the slashing manager's execution window (1 day), so stake being
/// deallocated when a slash is requested is still slashable when the slash executes.
pub const MIN_DEALLOCATION_DELAY: u64 = 5 * 86_400;
/// Upper bound of the deallocation delay.
pub const MAX_DEALLOCATION_DELAY: u64 = 30 * 86_400;
/// Bounds of an operator's allocation delay: 1 hour to 30 days.
pub const MIN_ALLOCATION_DELAY: u64 = 3_600;
/// Upper bound of the allocation delay.
pub const MAX_ALLOCATION_DELAY: u64 = 30 * 86_400;
/// The allocation delay of an operator that never set one (1 day).
pub const DEFAULT_ALLOCATION_DELAY: u64 = 86_400;

/// Pseudo-role named when a caller of `applySlash` is not the slashing manager:
/// `keccak256("SLASHER")`.
pub const SLASHER: alloy_primitives::FixedBytes<32> = alloy_primitives::FixedBytes(
    alloy_primitives::hex!("b6dc46af6200c64c5055754ce63390e8c046183fef4ecfdb465ca1ed5c9c403f"),
);

sol! {
    /// `operator`'s magnitude in set `setId` becomes `magnitude` at `effectiveAt`.
    #[derive(Debug)]
    event AllocationUpdated(address indexed operator, uint64 indexed setId, uint64 magnitude, uint64 effectiveAt);
    /// A slash cut `operator`'s magnitude in `setId` by `slashedMagnitude` (fraction `wad` of
    /// it); its max magnitude is now `maxMagnitude`.
    #[derive(Debug)]
    event MagnitudeSlashed(address indexed operator, uint64 indexed setId, uint256 wad, uint64 slashedMagnitude, uint64 maxMagnitude);
    /// `operator`'s allocation delay becomes `delay` at `effectiveAt`.
    #[derive(Debug)]
    event AllocationDelaySet(address indexed operator, uint64 delay, uint64 effectiveAt);
    /// The deallocation delay becomes `delay` at `effectiveAt`.
    #[derive(Debug)]
    event DeallocationDelaySet(uint64 delay, uint64 effectiveAt);
    /// The slashing manager (the only caller of `applySlash`) was set (once).
    #[derive(Debug)]
    event SlashingManagerSet(address slashingManager);

    /// `value` is outside [`min`, `max`] (a magnitude or a delay).
    #[derive(Debug)]
    error AllocationOutOfBounds(uint256 value, uint256 min, uint256 max);
    /// A change of `operator`'s allocation to `setId` is pending until `effectiveAt`.
    #[derive(Debug)]
    error AllocationPendingChange(uint64 setId, uint64 effectiveAt);
    /// `operator` is not a member of `setId`.
    #[derive(Debug)]
    error AllocationNotMember(uint64 setId, address operator);
    /// Only `available` magnitude is free; `needed` was asked.
    #[derive(Debug)]
    error AllocationInsufficientMagnitude(uint64 available, uint64 needed);
    /// Nothing is scheduled (`eta` 0), or the scheduled change applies only from `eta` on.
    #[derive(Debug)]
    error AllocationTimelocked(uint64 eta);
    /// The slashing manager is already set, or the given one is zero.
    #[derive(Debug)]
    error AllocationPeerFixed(address current);
    /// A call to `target` failed or returned malformed data.
    #[derive(Debug)]
    error AllocationCallFailed(address target);
}

/// Every error the allocation manager can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum AllocationError {
    /// Parameter out of bounds.
    OutOfBounds(AllocationOutOfBounds),
    /// A change is pending.
    PendingChange(AllocationPendingChange),
    /// Not a member of the set.
    NotMember(AllocationNotMember),
    /// Not enough free magnitude.
    InsufficientMagnitude(AllocationInsufficientMagnitude),
    /// Nothing scheduled, or timelock not over.
    Timelocked(AllocationTimelocked),
    /// Slashing manager already set or zero.
    PeerFixed(AllocationPeerFixed),
    /// External call failed.
    CallFailed(AllocationCallFailed),
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

absorb_errors!(ControlError => AllocationError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => AllocationError { Overflow, DivisionByZero });

sol! {
    /// The registry view consulted before an allocation increase.
    interface IMembership {
        function membership(uint64 setId, address operator) external view returns (uint8);
    }
    /// The delegation manager view giving an operator's delegated stake.
    interface IOperatorStake {
        function operatorStake(address operator, uint64 at) external view returns (uint256);
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
