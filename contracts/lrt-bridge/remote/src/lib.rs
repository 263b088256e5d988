//! The LRT bridge over the message endpoint, remote side ([`LrtBridgeRemote`]); the home side
//! is `LrtLockbox` (crate `restake-lrt-bridge`).
//!
//! The LRT on this chain (the `lrt-token` contract) grants the bridge `MINTER_ROLE`. A transfer
//! from the home lockbox mints; `send` burns the caller's LRT (approve the bridge first: the
//! token's `burn` spends the minter's allowance) and tells the lockbox to release. A remote
//! talks to the home only (`homeEid`), so the home ledger accounts for every remote LRT.
//!
//! Both directions have a token bucket (see [`restake_oapp::bridge::Bucket`]); an inbound
//! message over the limit reverts and stays retryable on the endpoint.
//!
//! Function groups that can be paused: [`GROUP_SEND`], [`GROUP_RECEIVE`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::LrtBridgeRemote;

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
    /// A remote talks to the home (`homeEid`) only.
    #[derive(Debug)]
    error BridgeNotHome(uint32 eid, uint32 homeEid);
}

/// Every error the remote bridge can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum RemoteError {
    /// Over the rate limit.
    RateLimited(BridgeRateLimited),
    /// Not the home.
    NotHome(BridgeNotHome),
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
