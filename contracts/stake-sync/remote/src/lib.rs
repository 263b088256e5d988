//! Stake-state sync over the message endpoint, remote side ([`StakeSyncRemote`]); the home side
//! is `StakeSyncHome` (crate `restake-stake-sync`).
//!
//! `lzReceive` accepts states from the home peer only, in increasing sequence order (an older or
//! equal sequence reverts, so the endpoint keeps the message retryable and the delegate can
//! clear it). An upward rate move larger than `maxUpBps` of the previous rate is clamped to that
//! bound (`RateClamped`); downward moves are taken whole. `exchangeRate()` refuses a state older
//! than `maxAge` (by its home timestamp) or one reporting a pending slash, so dependent
//! contracts stop; `latestState()` returns it unchecked.
//!
//! Function group that can be paused: [`GROUP_RECEIVE`] (a paused remote leaves messages
//! committed and retryable on the endpoint).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::StakeSyncRemote;
pub use restake_oapp::stake_state::StakeState;

use alloy_sol_types::sol;
use restake_oapp::oapp::{
    OAppEndpointCallFailed, OAppError, OAppInvalidMessage, OAppNoPeer, OAppNotEndpoint,
    OAppUntrustedPeer,
};
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathDivisionByZero, MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
};
use stylus_sdk::prelude::*;

/// Pause group of `lzReceive`.
pub const GROUP_RECEIVE: u8 = 1;

sol! {
    /// The remote accepted `sequence` (with the rate it applied).
    #[derive(Debug)]
    event StateReceived(uint64 indexed sequence, uint64 timestamp, uint256 rate, uint256 totalAssets, uint256 supply, uint64 slashEpoch, bool pendingSlash);
    /// An upward rate move was clamped from `requested` to `applied`.
    #[derive(Debug)]
    event RateClamped(uint64 indexed sequence, uint256 requested, uint256 applied);
    /// The admin set the maximum age and the upward bound.
    #[derive(Debug)]
    event LimitsSet(uint64 maxAge, uint16 maxUpBps);

    /// A state with sequence `received` arrived after `latest`.
    #[derive(Debug)]
    error StakeSyncStaleSequence(uint64 latest, uint64 received);
    /// No state has arrived yet.
    #[derive(Debug)]
    error StakeSyncNoState();
    /// The state (home time `timestamp`) is older than `maxAge`.
    #[derive(Debug)]
    error StakeSyncStale(uint64 timestamp, uint64 maxAge);
    /// The state reports a pending slash.
    #[derive(Debug)]
    error StakeSyncSlashPending(uint64 slashEpoch);
}

/// Every error the contract can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum RemoteError {
    /// Out-of-order state.
    StaleSequence(StakeSyncStaleSequence),
    /// No state yet.
    NoState(StakeSyncNoState),
    /// State too old.
    Stale(StakeSyncStale),
    /// Slash pending.
    SlashPending(StakeSyncSlashPending),
    /// `lzReceive` not from the endpoint.
    NotEndpoint(OAppNotEndpoint),
    /// Message not from the home peer.
    UntrustedPeer(OAppUntrustedPeer),
    /// No peer (never raised: the remote sends nothing).
    NoPeer(OAppNoPeer),
    /// The configuration contract refused the delegate.
    EndpointCallFailed(OAppEndpointCallFailed),
    /// Malformed message.
    InvalidMessage(OAppInvalidMessage),
    /// Arithmetic overflow.
    Overflow(MathOverflow),
    /// Division by zero.
    DivisionByZero(MathDivisionByZero),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or address.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => RemoteError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => RemoteError { Overflow, DivisionByZero });
absorb_errors!(OAppError => RemoteError {
    NotEndpoint, UntrustedPeer, NoPeer, EndpointCallFailed, InvalidMessage,
});

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
