//! The operator registry of the restaking core: operators, services, operator sets and
//! membership.
//!
//! - **Operators** register with a fee (basis points of the rewards paid for them) and a
//!   metadata URI (emitted, not stored). A fee change takes effect [`OperatorRegistry`]'s fee
//!   delay after it was scheduled. An operator deregisters once it belongs to no operator set
//!   and the allocation manager reports none of its magnitude encumbered.
//! - **Services** (AVSs) register with a metadata URI and create **operator sets**, each with a
//!   slasher, an optional resolver (who may veto slash requests), a payout address for slashed
//!   funds (zero: burned), a per-event slash cap in basis points and a veto window.
//! - **Membership**: an operator asks to join a set; the service accepts it, or the set accepts
//!   everyone automatically. Either side ends membership (or withdraws a pending request).
//! - **Timelock**: changes that loosen safety (a new slasher, resolver or payout, a higher slash
//!   cap, a shorter veto window) wait [`TIMELOCK`] seconds and are then applied by anyone;
//!   changes that only tighten apply at once. The fee delay is fixed at construction (1 to 30
//!   days), so it never shortens.
//!
//! Function groups that can be paused: [`GROUP_OPERATORS`], [`GROUP_SETS`], [`GROUP_MEMBERSHIP`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::OperatorRegistry;

use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
};
use stylus_sdk::prelude::*;

/// Pause group of operator registration, fee and metadata changes, deregistration.
pub const GROUP_OPERATORS: u8 = 0;
/// Pause group of service registration and operator set creation and configuration.
pub const GROUP_SETS: u8 = 1;
/// Pause group of join requests and acceptance (leaving is never paused).
pub const GROUP_MEMBERSHIP: u8 = 2;

/// Highest operator fee: 100% of the rewards.
pub const MAX_FEE_BPS: u16 = 10_000;
/// Seconds a loosening change waits before anyone may apply it (2 days).
pub const TIMELOCK: u64 = 2 * 86_400;
/// Bounds of the delay before a fee change takes effect (1 to 30 days).
pub const MIN_FEE_DELAY: u64 = 86_400;
/// Upper bound of the fee delay.
pub const MAX_FEE_DELAY: u64 = 30 * 86_400;
/// Bounds of an operator set's veto window (1 hour to 3 days). The upper bound plus the
/// allocation manager's execution window stays below its shortest deallocation delay, so a
/// stake being deallocated when a slash is requested is still slashable when it executes.
pub const MIN_VETO_WINDOW: u64 = 3_600;
/// Upper bound of the veto window.
pub const MAX_VETO_WINDOW: u64 = 3 * 86_400;

/// Membership state: not a member and no pending request.
pub const STATUS_NONE: u8 = 0;
/// Membership state: the operator asked to join; the service has not accepted yet.
pub const STATUS_PENDING: u8 = 1;
/// Membership state: member.
pub const STATUS_MEMBER: u8 = 2;

sol! {
    /// `operator` registered with fee `feeBps`.
    #[derive(Debug)]
    event OperatorRegistered(address indexed operator, uint16 feeBps);
    /// `operator` deregistered.
    #[derive(Debug)]
    event OperatorDeregistered(address indexed operator);
    /// `account` (an operator or a service) published new metadata.
    #[derive(Debug)]
    event MetadataURIUpdated(address indexed account, string metadataURI);
    /// `operator`'s fee becomes `feeBps` at `effectiveAt`.
    #[derive(Debug)]
    event OperatorFeeScheduled(address indexed operator, uint16 feeBps, uint64 effectiveAt);
    /// `service` registered.
    #[derive(Debug)]
    event ServiceRegistered(address indexed service);
    /// `service` created operator set `setId`.
    #[derive(Debug)]
    event OperatorSetCreated(uint64 indexed setId, address indexed service);
    /// Set `setId` is configured so from `effectiveAt` on (now, or the end of the timelock
    /// for a loosening change, which anyone then applies); `autoAccept` applies at once.
    #[derive(Debug)]
    event SetConfigured(uint64 indexed setId, address slasher, address resolver, address payout, uint16 maxSlashBps, uint64 vetoWindow, bool autoAccept, uint64 effectiveAt);
    /// `operator`'s membership of set `setId` changed to `status` (0 none, 1 pending, 2 member).
    #[derive(Debug)]
    event MembershipChanged(uint64 indexed setId, address indexed operator, uint8 status);
    /// The fee delay is `delay` seconds (set once, at construction).
    #[derive(Debug)]
    event FeeDelaySet(uint64 delay);
    /// The allocation manager consulted before deregistration was set (once).
    #[derive(Debug)]
    event AllocationManagerSet(address allocationManager);

    /// `value` is outside [`min`, `max`] (a fee or slash cap in basis points, a delay or window
    /// in seconds).
    #[derive(Debug)]
    error RegistryOutOfBounds(uint256 value, uint256 min, uint256 max);
    /// `account` is already registered in that role.
    #[derive(Debug)]
    error RegistryAlreadyRegistered(address account);
    /// No operator set has id `setId`.
    #[derive(Debug)]
    error RegistryUnknownSet(uint64 setId);
    /// `account` is not the service owning set `setId`.
    #[derive(Debug)]
    error RegistryNotSetService(uint64 setId, address account);
    /// Nothing is scheduled (`eta` 0), or the scheduled change may be applied only from `eta`
    /// on.
    #[derive(Debug)]
    error RegistryTimelocked(uint64 eta);
    /// `operator`'s membership of `setId` is `status`, which does not allow this.
    #[derive(Debug)]
    error RegistryInvalidMembership(uint64 setId, address operator, uint8 status);
    /// `operator` still belongs to (or asked to join) `memberships` sets, or the allocation
    /// manager reports `magnitude` of it still encumbered.
    #[derive(Debug)]
    error RegistryStillActive(address operator, uint32 memberships, uint64 magnitude);
    /// The allocation manager is already set, or the given one is zero.
    #[derive(Debug)]
    error RegistryAllocationManagerFixed(address current);
    /// A call to `target` failed or returned malformed data.
    #[derive(Debug)]
    error RegistryCallFailed(address target);
}

/// Every error the registry can return, one variant per Solidity error. Callers without the
/// needed role get `AccessControlUnauthorizedAccount` naming [`OPERATOR_ROLE`] or
/// [`SERVICE_ROLE`] (registrations, not grantable roles) or the admin; a zero slasher gets
/// `AccessControlInvalidAccount`.
#[derive(SolidityError, Debug)]
pub enum RegistryError {
    /// Parameter out of bounds.
    OutOfBounds(RegistryOutOfBounds),
    /// Registered twice.
    AlreadyRegistered(RegistryAlreadyRegistered),
    /// Unknown operator set.
    UnknownSet(RegistryUnknownSet),
    /// Caller does not own the set.
    NotSetService(RegistryNotSetService),
    /// Nothing scheduled, or timelock not over.
    Timelocked(RegistryTimelocked),
    /// Membership state does not allow the action.
    InvalidMembership(RegistryInvalidMembership),
    /// Operator still in sets or allocated.
    StillActive(RegistryStillActive),
    /// Allocation manager already set or zero.
    AllocationManagerFixed(RegistryAllocationManagerFixed),
    /// External call failed.
    CallFailed(RegistryCallFailed),
    /// Caller lacks a role or registration.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or slasher.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => RegistryError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});

/// Pseudo-role named in `AccessControlUnauthorizedAccount` when the caller is not a registered
/// operator: `keccak256("OPERATOR")`.
pub const OPERATOR_ROLE: alloy_primitives::FixedBytes<32> = alloy_primitives::FixedBytes(
    alloy_primitives::hex!("523a704056dcd17bcf83bed8b68c59416dac1119be77755efe3bde0a64e46e0c"),
);
/// Pseudo-role named in `AccessControlUnauthorizedAccount` when the caller is not a registered
/// service: `keccak256("SERVICE")`.
pub const SERVICE_ROLE: alloy_primitives::FixedBytes<32> = alloy_primitives::FixedBytes(
    alloy_primitives::hex!("acbad678df5731cc63969722859e16a5c8f2854c5e50a0dbc23355ef474f97e2"),
);

sol! {
    /// The allocation manager's view the registry consults before deregistration.
    interface IAllocationView {
        function encumberedMagnitude(address operator) external view returns (uint64);
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
