//! The part of the endpoint's ABI the relayer uses, with the names of abi/Endpoint.json (the
//! source side: `eid`, `PacketSent`) and abi/EndpointReceive.json (the destination side:
//! `verify`, `commit`, `deliver` and their views, events and errors), as agreed with
//! contracts/endpoint and contracts/endpoint-receive.
#![allow(missing_docs)] // generated bindings; the Solidity comments below document them.

use alloy::sol;

sol! {
    /// The source side of the endpoint.
    #[sol(rpc)]
    #[derive(Debug)]
    interface Endpoint {
        /// This endpoint's id.
        function eid() external view returns (uint32);
        /// The last nonce sent on the path (sender, dstEid, receiver).
        function outboundNonce(address sender, uint32 dstEid, address receiver) external view returns (uint64);
        /// A packet left the source endpoint.
        event PacketSent(bytes encodedPacket, address indexed sender, uint32 indexed dstEid, bytes32 indexed guid);
    }

    /// The destination side of the endpoint, as seen by verifiers and executors.
    #[sol(rpc)]
    #[derive(Debug)]
    interface EndpointReceive {
        /// This endpoint's id.
        function eid() external view returns (uint32);
        /// The caller (a verifier) attests `payloadHash` for `header`.
        function verify(bytes header, bytes32 payloadHash) external;
        /// Commits `payloadHash` once the receiver's verifier quorum attested it.
        function commit(bytes header, bytes32 payloadHash) external;
        /// Delivers a committed message to the receiver's `lzReceive`.
        function deliver(bytes header, bytes32 guid, bytes message) external;
        /// The payload hash committed for a nonce (zero when none or consumed).
        function committedHash(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external view returns (bytes32);
        /// The highest nonce n such that nonces 1..=n of the path are all consumed.
        function inboundNonce(address receiver, uint32 srcEid, bytes32 sender) external view returns (uint64);
        /// Whether the nonce was delivered, cleared, skipped or burnt.
        function isConsumed(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external view returns (bool);
        /// Whether `verifier` attested (and no commit has used it up).
        function isVerified(address verifier, bytes32 headerHash, bytes32 payloadHash) external view returns (bool);

        /// A verifier attested a packet.
        event PacketVerified(address indexed verifier, bytes32 indexed headerHash, bytes32 payloadHash);
        /// A payload hash was committed.
        event PacketCommitted(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);
        /// The receiver ran the message.
        event PacketDelivered(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid);
        /// The receiver reverted; the message stays committed and retryable.
        event DeliveryFailed(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes reason);

        error EndpointInvalidHeader();
        error EndpointWrongDestination(uint32 dstEid);
        error EndpointInvalidPayloadHash(bytes32 payloadHash);
        error EndpointNoReceiveConfig(address receiver, uint32 srcEid);
        error EndpointQuorumNotMet(bytes32 headerHash, bytes32 payloadHash);
        error EndpointNonceConsumed(uint64 nonce);
        error EndpointPayloadMismatch(uint64 nonce, bytes32 stored);
        error EndpointGuidMismatch(bytes32 guid);
        error EndpointOutOfOrder(uint64 expected, uint64 nonce);
        error EndpointNotContract(address receiver);
        error EndpointPathPaused(address local, uint32 remoteEid, bytes32 remote);
        error PausableEnforcedPause(uint8 group);
        error ReentrancyGuardReentrantCall();
    }
}
