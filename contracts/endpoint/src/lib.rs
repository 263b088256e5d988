//! The cross-chain message endpoint, after LayerZero V2's semantics without its single points
//! of failure.
//!
//! **Source side.** An application ("OApp") calls [`Endpoint::send`] with the destination
//! endpoint id, the receiver there and the message, paying the fee that [`Endpoint::quote`]
//! returns: the admin-configured fees of the destination's verifiers plus its executor's fee,
//! credited to them and withdrawable with `withdrawFees`; excess goes back to `refundTo`.
//! Each (sender, destination, receiver) path has an outbound nonce that goes up by exactly one
//! per message; each message has a GUID; `PacketSent` carries the encoded packet
//! (see [`restake_oapp::packet`]).
//!
//! **Destination side.** Each verifier, with its own key, attests (packet header, payload hash)
//! with `verify`. Each receiver configures, per source endpoint, *required* verifiers and
//! *optional* ones with a threshold; a configuration whose quorum needs fewer than two distinct
//! verifiers is refused (the Kelp lesson). Once the quorum attested, anyone may `commit` the
//! payload hash for (receiver, srcEid, sender, nonce), and anyone may `deliver` it: the hash is
//! checked and cleared before the receiver's `lzReceive` runs, so a message runs at most once; a
//! failing receiver leaves it committed and retryable. Ordered paths (a receiver option) deliver
//! nonces gaplessly. The receiver or its delegate can `skip`, `clear`, `nilify` or `burn` a
//! nonce to unstick a path.
//!
//! Per nonce the endpoint stores a word: zero (nothing), a payload hash (committed),
//! [`NIL_HASH`] (nilified: known but not deliverable until committed again) or
//! [`CONSUMED_HASH`] (delivered, cleared, skipped or burnt; never again). Nonces up to the
//! path's inbound nonce are all consumed and their words are cleared.
//!
//! Function groups that can be paused: [`GROUP_SEND`], [`GROUP_VERIFY`] (`verify` and
//! `commit`), [`GROUP_DELIVER`]; a single path (both directions) can be paused too.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;
mod inbound;
mod outbound;

pub use contract::Endpoint;

use alloy_primitives::B256;
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
/// Pause group of `verify` and `commit`.
pub const GROUP_VERIFY: u8 = 1;
/// Pause group of `deliver`.
pub const GROUP_DELIVER: u8 = 2;

/// Longest message `send` accepts, in bytes.
pub const MAX_MESSAGE_LEN: usize = 10_000;
/// Most verifiers in a receive configuration (required + optional) or a destination's fee list.
pub const MAX_VERIFIERS: usize = 16;

/// The word of a nilified nonce: known but not deliverable until committed again.
pub const NIL_HASH: B256 = B256::repeat_byte(0xff);
/// The word of a consumed nonce above the inbound nonce (delivered, cleared, skipped, burnt).
pub const CONSUMED_HASH: B256 = B256::new([
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
]);

sol! {
    /// A message left for `dstEid`: `encodedPacket` = header | guid | message.
    #[derive(Debug)]
    event PacketSent(bytes encodedPacket, address indexed sender, uint32 indexed dstEid, bytes32 indexed guid);
    /// `verifier` attested `payloadHash` for the header hashing to `headerHash`.
    #[derive(Debug)]
    event PacketVerified(address indexed verifier, bytes32 indexed headerHash, bytes32 payloadHash);
    /// The quorum was met: `payloadHash` is committed for the nonce and deliverable.
    #[derive(Debug)]
    event PacketCommitted(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);
    /// The receiver ran the message.
    #[derive(Debug)]
    event PacketDelivered(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid);
    /// The receiver reverted with `reason`; the message stays committed (retryable).
    #[derive(Debug)]
    event DeliveryFailed(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes reason);
    /// The receiver's delegate consumed the nonce without delivery (it was processed by other means).
    #[derive(Debug)]
    event PacketCleared(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid);
    /// The next inbound nonce was skipped.
    #[derive(Debug)]
    event InboundNonceSkipped(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce);
    /// The nonce (which held `payloadHash`) is nilified: not deliverable until committed again.
    #[derive(Debug)]
    event PacketNilified(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);
    /// The nonce (which held `payloadHash`) is burnt: never deliverable.
    #[derive(Debug)]
    event PacketBurnt(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);
    /// `receiver` configured its verifiers for messages from `srcEid`.
    #[derive(Debug)]
    event ReceiveConfigSet(address indexed receiver, uint32 indexed srcEid, address[] required, address[] optional, uint8 threshold, bool ordered);
    /// `oapp` named `delegate` to configure and recover its paths.
    #[derive(Debug)]
    event DelegateSet(address indexed oapp, address delegate);
    /// The admin set the fees of sending to `dstEid` (a zero executor disables the destination).
    #[derive(Debug)]
    event DstConfigSet(uint32 indexed dstEid, address[] verifiers, uint256[] fees, address executor, uint256 executorFee);
    /// `account` withdrew `amount` of its accrued fees to `to`.
    #[derive(Debug)]
    event FeesWithdrawn(address indexed account, address to, uint256 amount);
    /// The path between `local` and `remote` on `remoteEid` was paused or unpaused.
    #[derive(Debug)]
    event PathPauseSet(address indexed local, uint32 indexed remoteEid, bytes32 remote, bool paused);

    /// The header is not 81 bytes of version 1, or its receiver is not an address.
    #[derive(Debug)]
    error EndpointInvalidHeader();
    /// The header is for `dstEid`, not this endpoint.
    #[derive(Debug)]
    error EndpointWrongDestination(uint32 dstEid);
    /// Zero or a reserved word given as a payload hash.
    #[derive(Debug)]
    error EndpointInvalidPayloadHash(bytes32 payloadHash);
    /// The receiver has no configuration for `srcEid`.
    #[derive(Debug)]
    error EndpointNoReceiveConfig(address receiver, uint32 srcEid);
    /// The configured quorum has not attested this (header, payload hash).
    #[derive(Debug)]
    error EndpointQuorumNotMet(bytes32 headerHash, bytes32 payloadHash);
    /// The nonce was consumed (or is zero) and can never be committed.
    #[derive(Debug)]
    error EndpointNonceConsumed(uint64 nonce);
    /// The nonce holds `stored`, not the expected payload hash.
    #[derive(Debug)]
    error EndpointPayloadMismatch(uint64 nonce, bytes32 stored);
    /// The GUID is not the header's.
    #[derive(Debug)]
    error EndpointGuidMismatch(bytes32 guid);
    /// Ordered path (or `skip`): the next nonce is `expected`.
    #[derive(Debug)]
    error EndpointOutOfOrder(uint64 expected, uint64 nonce);
    /// The receiver has no code.
    #[derive(Debug)]
    error EndpointNotContract(address receiver);
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
    /// `caller` is neither `oapp` nor its delegate.
    #[derive(Debug)]
    error EndpointUnauthorizedDelegate(address caller, address oapp);
    /// The quorum would need `quorum` (< 2) verifiers.
    #[derive(Debug)]
    error EndpointTooFewVerifiers(uint256 quorum);
    /// More than the maximum of verifiers, or lists of different lengths.
    #[derive(Debug)]
    error EndpointInvalidVerifierList(uint256 count);
    /// `verifier` is zero or listed twice.
    #[derive(Debug)]
    error EndpointInvalidVerifier(address verifier);
    /// The threshold must be between 1 and the number of optional verifiers (0 when none).
    #[derive(Debug)]
    error EndpointInvalidThreshold(uint8 threshold, uint256 optionalCount);
}

/// Every error the endpoint can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum EndpointError {
    /// Malformed header.
    InvalidHeader(EndpointInvalidHeader),
    /// Header for another endpoint.
    WrongDestination(EndpointWrongDestination),
    /// Zero or reserved payload hash.
    InvalidPayloadHash(EndpointInvalidPayloadHash),
    /// No receive configuration.
    NoReceiveConfig(EndpointNoReceiveConfig),
    /// Quorum not met.
    QuorumNotMet(EndpointQuorumNotMet),
    /// Nonce consumed.
    NonceConsumed(EndpointNonceConsumed),
    /// Stored hash differs.
    PayloadMismatch(EndpointPayloadMismatch),
    /// GUID differs from the header's.
    GuidMismatch(EndpointGuidMismatch),
    /// Nonce out of order.
    OutOfOrder(EndpointOutOfOrder),
    /// Receiver without code.
    NotContract(EndpointNotContract),
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
    /// Not the OApp or its delegate.
    UnauthorizedDelegate(EndpointUnauthorizedDelegate),
    /// Quorum below two verifiers.
    TooFewVerifiers(EndpointTooFewVerifiers),
    /// Bad list length.
    InvalidVerifierList(EndpointInvalidVerifierList),
    /// Zero or duplicate verifier.
    InvalidVerifier(EndpointInvalidVerifier),
    /// Bad threshold.
    InvalidThreshold(EndpointInvalidThreshold),
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

#[cfg(test)]
mod tests;

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
