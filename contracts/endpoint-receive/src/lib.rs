//! The cross-chain message endpoint, destination side: message state ([`EndpointReceive`]).
//! The source side is `Endpoint` (crate `restake-endpoint`); the destination policy (verifier
//! quorums, ordering, delegates, pauses, admin) is `EndpointConfig` (crate
//! `restake-endpoint-config`), which this contract reads with one static call per commit,
//! delivery or recovery (see [`restake_oapp::protocol`]). The split keeps each contract under
//! Stylus's 24 KiB limit.
//!
//! Each verifier, with its own key, attests (packet header, payload hash) with `verify`. Once
//! the receiver's quorum (required verifiers plus a threshold of optional ones, at least two in
//! all) attested, anyone may `commit` the payload hash for (receiver, srcEid, sender, nonce)
//! (the attestations are used up), and anyone may `deliver` it: the hash is checked and cleared
//! before the receiver's `lzReceive` runs, so a message runs at most once; a failing receiver
//! leaves it committed and retryable. Ordered paths deliver nonces gaplessly. The receiver or
//! its delegate can `skip`, `clear`, `nilify` or `burn` a nonce to unstick a path.
//!
//! Per nonce the endpoint stores a word: zero (nothing), a payload hash (committed),
//! [`NIL_HASH`] (nilified: not deliverable until committed again) or [`CONSUMED_HASH`]
//! (delivered, cleared, skipped or burnt above the inbound nonce; never again). Nonces up to the
//! path's inbound nonce are all consumed and their words are cleared.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;
mod inbound;

pub use contract::EndpointReceive;

use alloy_primitives::B256;
use alloy_sol_types::sol;
use restake_shared::{
    access::AccessControlInvalidAccount, pausable::PausableEnforcedPause,
    reentrancy::ReentrancyGuardReentrantCall,
};
use stylus_sdk::prelude::*;

/// The word of a nilified nonce: known but not deliverable until committed again.
pub const NIL_HASH: B256 = B256::repeat_byte(0xff);
/// The word of a consumed nonce above the inbound nonce (delivered, cleared, skipped, burnt).
pub const CONSUMED_HASH: B256 = B256::new([
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
]);

sol! {
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
    /// The receiver or its delegate consumed the nonce (which held `payloadHash`) without
    /// delivery.
    #[derive(Debug)]
    event PacketCleared(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);
    /// The next inbound nonce was skipped.
    #[derive(Debug)]
    event InboundNonceSkipped(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce);
    /// The nonce (which held `payloadHash`) is nilified: not deliverable until committed again.
    #[derive(Debug)]
    event PacketNilified(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);
    /// The nonce (which held `payloadHash`) is burnt: never deliverable.
    #[derive(Debug)]
    event PacketBurnt(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);

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
    /// The path between `local` and `remote` on `remoteEid` is paused.
    #[derive(Debug)]
    error EndpointPathPaused(address local, uint32 remoteEid, bytes32 remote);
    /// The configuration contract did not answer, or answered malformed data.
    #[derive(Debug)]
    error EndpointConfigUnavailable(address config);
    /// `caller` is neither `oapp` nor its delegate.
    #[derive(Debug)]
    error EndpointUnauthorizedDelegate(address caller, address oapp);
}

/// Every error the destination endpoint can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum ReceiveError {
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
    /// Stored word differs.
    PayloadMismatch(EndpointPayloadMismatch),
    /// GUID differs from the header's.
    GuidMismatch(EndpointGuidMismatch),
    /// Nonce out of order.
    OutOfOrder(EndpointOutOfOrder),
    /// Receiver without code.
    NotContract(EndpointNotContract),
    /// Path paused.
    PathPaused(EndpointPathPaused),
    /// Configuration contract unavailable.
    ConfigUnavailable(EndpointConfigUnavailable),
    /// Not the receiver or its delegate.
    UnauthorizedDelegate(EndpointUnauthorizedDelegate),
    /// Commit or delivery paused for every path.
    EnforcedPause(PausableEnforcedPause),
    /// Reentrant call.
    Reentrant(ReentrancyGuardReentrantCall),
    /// Zero configuration contract in the constructor.
    InvalidAccount(AccessControlInvalidAccount),
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
