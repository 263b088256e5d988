//! Stake-state sync over the message endpoint, home side ([`StakeSyncHome`]); the remote side
//! is `StakeSyncRemote` (crate `restake-stake-sync-remote`). Two contracts, because one would
//! not fit Stylus's 24 KiB limit.
//!
//! Anyone may call `publish`, paying the endpoint fees that `quotePublish` returns, to send the
//! vault's [`StakeState`] to the peer on every remote chain. Publications are at least
//! `minInterval` apart unless a slash makes one due at once: a fall of the exchange rate (a
//! slash executed) or a change in the slashing manager's requests (a slash requested, or a
//! pending request resolved). The state carries a sequence number (+1 per publication), the
//! home time, the exchange rate, total assets, LRT supply (the vault's shares), a slashing epoch
//! (+1 each time a publication observes a new slash request or a rate fall) and a pending-slash
//! flag (a request waits in its veto window or for execution).
//!
//! Function group that can be paused: [`GROUP_PUBLISH`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;
mod home;

pub use contract::StakeSyncHome;
pub use restake_oapp::stake_state::StakeState;

use alloy_sol_types::sol;
use restake_oapp::oapp::{OAppEndpointCallFailed, OAppError, OAppNoPeer};
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathDivisionByZero, MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
    reentrancy::ReentrancyGuardReentrantCall,
};
use stylus_sdk::prelude::*;

/// Pause group of `publish`.
pub const GROUP_PUBLISH: u8 = 0;
/// Most remote chains a home publishes to.
pub const MAX_REMOTES: usize = 8;
/// Most slash requests one publication inspects; more unresolved requests count as pending.
pub const MAX_SCAN: u64 = 16;

sol! {
    /// The home published `sequence` to every remote.
    #[derive(Debug)]
    event StatePublished(uint64 indexed sequence, uint256 rate, uint256 totalAssets, uint256 supply, uint64 slashEpoch, bool pendingSlash);
    /// The admin set the home's minimum interval and slashing manager.
    #[derive(Debug)]
    event PublishingSet(uint64 minInterval, address slashingManager);

    /// The last publication was too recent and nothing slash-related changed; next at `nextAt`.
    #[derive(Debug)]
    error StakeSyncTooSoon(uint64 nextAt);
    /// The vault (or slashing manager) at `target` did not answer.
    #[derive(Debug)]
    error StakeSyncSourceUnavailable(address target);
    /// `provided` wei does not cover the endpoint fees `required`.
    #[derive(Debug)]
    error StakeSyncInsufficientFee(uint256 required, uint256 provided);
    /// Already at the maximum number of remotes.
    #[derive(Debug)]
    error StakeSyncTooManyRemotes();
    /// Refunding `to` failed.
    #[derive(Debug)]
    error StakeSyncRefundFailed(address to);
}

/// Every error the contract can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum StakeSyncError {
    /// Too soon to publish.
    TooSoon(StakeSyncTooSoon),
    /// Vault or slashing manager unavailable.
    SourceUnavailable(StakeSyncSourceUnavailable),
    /// Fee too low.
    InsufficientFee(StakeSyncInsufficientFee),
    /// Too many remotes.
    TooManyRemotes(StakeSyncTooManyRemotes),
    /// Refund failed.
    RefundFailed(StakeSyncRefundFailed),
    /// No peer for the destination.
    NoPeer(OAppNoPeer),
    /// The endpoint refused.
    EndpointCallFailed(OAppEndpointCallFailed),
    /// Arithmetic overflow.
    Overflow(MathOverflow),
    /// Division by zero.
    DivisionByZero(MathDivisionByZero),
    /// Reentrant call.
    Reentrant(ReentrancyGuardReentrantCall),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or address.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => StakeSyncError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => StakeSyncError { Overflow, DivisionByZero });
impl From<OAppError> for StakeSyncError {
    fn from(e: OAppError) -> Self {
        match e {
            OAppError::NoPeer(e) => Self::NoPeer(e),
            OAppError::EndpointCallFailed(e) => Self::EndpointCallFailed(e),
            // The home never receives: the other OApp errors cannot arise here.
            _ => Self::EndpointCallFailed(OAppEndpointCallFailed {
                reason: alloy_primitives::Bytes::new(),
            }),
        }
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
