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
//!   cap, a shorter veto window, a shorter fee delay) wait [`TIMELOCK`] seconds and are then
//!   applied by anyone; changes that only tighten apply at once.
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
    /// `operator` published new metadata.
    #[derive(Debug)]
    event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
    /// `operator`'s fee becomes `feeBps` at `effectiveAt`.
    #[derive(Debug)]
    event OperatorFeeScheduled(address indexed operator, uint16 feeBps, uint64 effectiveAt);
    /// `service` registered.
    #[derive(Debug)]
    event ServiceRegistered(address indexed service);
    /// `service` published new metadata.
    #[derive(Debug)]
    event ServiceMetadataURIUpdated(address indexed service, string metadataURI);
    /// `service` created operator set `setId`.
    #[derive(Debug)]
    event OperatorSetCreated(uint64 indexed setId, address indexed service);
    /// Set `setId`'s slashing configuration is now this one.
    #[derive(Debug)]
    event SetConfigApplied(uint64 indexed setId, address slasher, address resolver, address payout, uint16 maxSlashBps, uint64 vetoWindow);
    /// A loosening configuration of set `setId` may be applied from `eta` on.
    #[derive(Debug)]
    event SetConfigScheduled(uint64 indexed setId, address slasher, address resolver, address payout, uint16 maxSlashBps, uint64 vetoWindow, uint64 eta);
    /// The scheduled configuration of set `setId` was cancelled by its service.
    #[derive(Debug)]
    event SetConfigCancelled(uint64 indexed setId);
    /// Set `setId` now accepts join requests automatically (or no longer does).
    #[derive(Debug)]
    event AutoAcceptSet(uint64 indexed setId, bool autoAccept);
    /// `operator`'s membership of set `setId` changed to `status` (0 none, 1 pending, 2 member).
    #[derive(Debug)]
    event MembershipChanged(uint64 indexed setId, address indexed operator, uint8 status);
    /// The fee delay is now `delay` seconds.
    #[derive(Debug)]
    event FeeDelaySet(uint64 delay);
    /// A shorter fee delay may be applied from `eta` on.
    #[derive(Debug)]
    event FeeDelayScheduled(uint64 delay, uint64 eta);
    /// The allocation manager consulted before deregistration was set (once).
    #[derive(Debug)]
    event AllocationManagerSet(address allocationManager);

    /// `feeBps` exceeds 10,000.
    #[derive(Debug)]
    error RegistryInvalidFee(uint16 feeBps);
    /// `account` is already registered in that role.
    #[derive(Debug)]
    error RegistryAlreadyRegistered(address account);
    /// `account` is not a registered operator.
    #[derive(Debug)]
    error RegistryNotOperator(address account);
    /// `account` is not a registered service.
    #[derive(Debug)]
    error RegistryNotService(address account);
    /// No operator set has id `setId`.
    #[derive(Debug)]
    error RegistryUnknownSet(uint64 setId);
    /// `account` is not the service owning set `setId`.
    #[derive(Debug)]
    error RegistryNotSetService(uint64 setId, address account);
    /// The slasher is the zero address.
    #[derive(Debug)]
    error RegistryInvalidSlasher(address slasher);
    /// The per-event slash cap is zero or above 10,000 basis points.
    #[derive(Debug)]
    error RegistryInvalidMaxSlash(uint16 maxSlashBps);
    /// A delay or window is outside its bounds.
    #[derive(Debug)]
    error RegistryInvalidDelay(uint64 delay, uint64 min, uint64 max);
    /// Nothing is scheduled to apply.
    #[derive(Debug)]
    error RegistryNothingScheduled();
    /// The scheduled change may be applied only from `eta` on.
    #[derive(Debug)]
    error RegistryTimelocked(uint64 eta);
    /// `operator`'s membership of `setId` is `status`, which does not allow this.
    #[derive(Debug)]
    error RegistryInvalidMembership(uint64 setId, address operator, uint8 status);
    /// `operator` still belongs to (or asked to join) `count` operator sets.
    #[derive(Debug)]
    error RegistryStillMember(address operator, uint32 count);
    /// The allocation manager reports `magnitude` of `operator` still allocated.
    #[derive(Debug)]
    error RegistryStillAllocated(address operator, uint64 magnitude);
    /// The allocation manager is already set, or the given one is zero.
    #[derive(Debug)]
    error RegistryAllocationManagerFixed(address current);
    /// A call to `target` failed or returned malformed data.
    #[derive(Debug)]
    error RegistryCallFailed(address target);
}

/// Every error the registry can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum RegistryError {
    /// Fee above 100%.
    InvalidFee(RegistryInvalidFee),
    /// Registered twice.
    AlreadyRegistered(RegistryAlreadyRegistered),
    /// Not an operator.
    NotOperator(RegistryNotOperator),
    /// Not a service.
    NotService(RegistryNotService),
    /// Unknown operator set.
    UnknownSet(RegistryUnknownSet),
    /// Caller does not own the set.
    NotSetService(RegistryNotSetService),
    /// Zero slasher.
    InvalidSlasher(RegistryInvalidSlasher),
    /// Slash cap out of range.
    InvalidMaxSlash(RegistryInvalidMaxSlash),
    /// Delay out of bounds.
    InvalidDelay(RegistryInvalidDelay),
    /// Nothing scheduled.
    NothingScheduled(RegistryNothingScheduled),
    /// Timelock not over.
    Timelocked(RegistryTimelocked),
    /// Membership state does not allow the action.
    InvalidMembership(RegistryInvalidMembership),
    /// Operator still in sets.
    StillMember(RegistryStillMember),
    /// Operator still allocated.
    StillAllocated(RegistryStillAllocated),
    /// Allocation manager already set or zero.
    AllocationManagerFixed(RegistryAllocationManagerFixed),
    /// External call failed.
    CallFailed(RegistryCallFailed),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or account.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => RegistryError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});

sol! {
    /// The allocation manager's view the registry consults before deregistration.
    interface IAllocationView {
        function encumberedMagnitude(address operator) external view returns (uint64);
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
