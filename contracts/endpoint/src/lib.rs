//! The cross-chain message endpoint, source side ([`Endpoint`]); the destination side is
//! `EndpointReceive` (crate `restake-endpoint-receive`). The two halves are separate contracts
//! because one would not fit Stylus's 24 KiB limit; a chain deploys both, and a relayer route
//! reads `PacketSent` from the source chain's `Endpoint` and calls `verify`, `commit` and
//! `deliver` on the destination chain's `EndpointReceive`.
//!
//! An application ("OApp") calls [`Endpoint::send`] with the destination endpoint id, the
//! receiver there and the message, paying the fee that [`Endpoint::quote`] returns: the
//! admin-configured fees of the destination's verifiers plus its executor's fee, credited to
//! them and withdrawable with `withdrawFees`; excess goes back to `refundTo`. Each (sender,
//! destination, receiver) path has an outbound nonce that goes up by exactly one per message;
//! each message has a GUID; `PacketSent` carries the encoded packet (see
//! [`restake_oapp::packet`]).
//!
//! Function group that can be paused: [`GROUP_SEND`]; a single path can be paused too.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;
mod outbound;

pub use contract::Endpoint;

use alloy_sol_types::sol;
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

/// Longest message `send` accepts, in bytes.
pub const MAX_MESSAGE_LEN: usize = 10_000;
/// Most verifiers a destination pays.
pub const MAX_VERIFIERS: usize = 16;

sol! {
    /// A message left for `dstEid`: `encodedPacket` = header | guid | message.
    #[derive(Debug)]
    event PacketSent(bytes encodedPacket, address indexed sender, uint32 indexed dstEid, bytes32 indexed guid);
    /// The admin set the executor of `dstEid` and its fee (a zero executor disables the
    /// destination).
    #[derive(Debug)]
    event DstConfigSet(uint32 indexed dstEid, address executor, uint256 executorFee);
    /// The admin set the fee `verifier` earns per message to `dstEid` (zero: not paid).
    #[derive(Debug)]
    event VerifierFeeSet(uint32 indexed dstEid, address indexed verifier, uint256 fee);
    /// `account` withdrew `amount` of its accrued fees to `to`.
    #[derive(Debug)]
    event FeesWithdrawn(address indexed account, address to, uint256 amount);
    /// The path from `local` to `remote` on `remoteEid` was paused or unpaused.
    #[derive(Debug)]
    event PathPauseSet(address indexed local, uint32 indexed remoteEid, bytes32 remote, bool paused);

    /// No executor is configured for `dstEid`.
    #[derive(Debug)]
    error EndpointUnsupportedEid(uint32 dstEid);
    /// `provided` wei is less than the fee `required`.
    #[derive(Debug)]
    error EndpointInsufficientFee(uint256 required, uint256 provided);
    /// The message is longer than the maximum.
    #[derive(Debug)]
    error EndpointMessageTooLarge(uint256 length);
    /// The path between `local` and `remote` on `remoteEid` is paused.
    #[derive(Debug)]
    error EndpointPathPaused(address local, uint32 remoteEid, bytes32 remote);
    /// Sending ETH to `to` failed.
    #[derive(Debug)]
    error EndpointTransferFailed(address to);
    /// The destination already pays the maximum number of verifiers.
    #[derive(Debug)]
    error EndpointTooManyVerifiers();
}

/// Every error the source endpoint can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum EndpointError {
    /// Destination not configured.
    UnsupportedEid(EndpointUnsupportedEid),
    /// Fee too low.
    InsufficientFee(EndpointInsufficientFee),
    /// Message too long.
    MessageTooLarge(EndpointMessageTooLarge),
    /// Path paused.
    PathPaused(EndpointPathPaused),
    /// ETH transfer failed.
    TransferFailed(EndpointTransferFailed),
    /// Verifier list full.
    TooManyVerifiers(EndpointTooManyVerifiers),
    /// Arithmetic overflow.
    Overflow(MathOverflow),
    /// Division by zero (never raised; part of the math error set).
    DivisionByZero(MathDivisionByZero),
    /// Reentrant call.
    Reentrant(ReentrancyGuardReentrantCall),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or account.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => EndpointError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
absorb_errors!(MathError => EndpointError { Overflow, DivisionByZero });

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
