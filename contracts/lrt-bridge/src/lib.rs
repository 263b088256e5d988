//! The LRT bridge over the message endpoint, home side: the lockbox ([`LrtLockbox`]). The
//! remote side is `LrtBridgeRemote` (crate `restake-lrt-bridge-remote`), which mints and burns
//! the remote LRT. Two contracts, because one would not fit Stylus's 24 KiB limit.
//!
//! `send` locks the caller's LRT in the lockbox and tells the peer bridge on the destination
//! chain to mint; a message from a remote peer releases locked LRT. The lockbox keeps a ledger
//! of LRT outstanding on each remote chain (sent there minus returned) and never releases more
//! than that chain's entry, so what the remotes can have minted is at most what is locked here,
//! per chain and in total (invariant 16).
//!
//! Both directions of every peer have a token bucket (see [`restake_oapp::bridge::Bucket`]):
//! any window of `T` seconds passes at most `capacity + refill * T` (invariant 18). A peer
//! without a configured bucket passes nothing. An inbound message over the limit reverts and
//! stays retryable on the endpoint until the bucket refills.
//!
//! Function groups that can be paused: [`GROUP_SEND`], [`GROUP_RECEIVE`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::LrtLockbox;

use alloy_sol_types::sol;
use restake_oapp::{
    bridge::{BridgeInvalidTransfer, BridgeRateLimited, BridgeTokenFailed},
    oapp::{
        OAppEndpointCallFailed, OAppError, OAppInvalidMessage, OAppNoPeer, OAppNotEndpoint,
        OAppUntrustedPeer,
    },
};
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathDivisionByZero, MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
    reentrancy::ReentrancyGuardReentrantCall,
};
use stylus_sdk::prelude::*;

/// Pause group of `send`.
pub const GROUP_SEND: u8 = 0;
/// Pause group of `lzReceive`.
pub const GROUP_RECEIVE: u8 = 1;

sol! {
    /// A release of `amount` to a chain whose ledger shows only `outstanding`.
    #[derive(Debug)]
    error BridgeExceedsLedger(uint32 eid, uint256 outstanding, uint256 amount);
}

/// Every error the lockbox can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum LockboxError {
    /// Over the rate limit.
    RateLimited(BridgeRateLimited),
    /// Over the ledger.
    ExceedsLedger(BridgeExceedsLedger),
    /// Zero amount or recipient.
    InvalidTransfer(BridgeInvalidTransfer),
    /// The LRT refused.
    TokenFailed(BridgeTokenFailed),
    /// `lzReceive` not from the endpoint.
    NotEndpoint(OAppNotEndpoint),
    /// Message not from the peer.
    UntrustedPeer(OAppUntrustedPeer),
    /// No peer for the destination.
    NoPeer(OAppNoPeer),
    /// The endpoint refused.
    EndpointCallFailed(OAppEndpointCallFailed),
    /// Malformed message.
    InvalidMessage(OAppInvalidMessage),
    /// Arithmetic overflow.
    Overflow(MathOverflow),
    /// Division by zero (never raised; part of the math error set).
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

absorb_errors!(ControlError => LockboxError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => LockboxError { Overflow, DivisionByZero });
absorb_errors!(OAppError => LockboxError {
    NotEndpoint, UntrustedPeer, NoPeer, EndpointCallFailed, InvalidMessage,
});

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
