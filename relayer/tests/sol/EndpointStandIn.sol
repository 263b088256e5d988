// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

interface IReceiver {
    function lzReceive(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes calldata message) external;
}

/// A small stand-in of contracts/endpoint with the ABI agreed with the relayer (all verifiers
/// required, no fees, no pausing, unordered). Used by the relayer tests while the real
/// endpoint does not fit the code size limit.
contract EndpointStandIn {
    bytes32 constant CONSUMED = bytes32(uint256(type(uint256).max) - 1);

    uint32 public eid;
    mapping(bytes32 => uint64) public outbound;
    mapping(bytes32 => bool) attested;
    mapping(bytes32 => bytes32) words;
    mapping(address => mapping(uint32 => address[])) required;

    event PacketSent(bytes encodedPacket, address indexed sender, uint32 indexed dstEid, bytes32 indexed guid);
    event PacketVerified(address indexed verifier, bytes32 indexed headerHash, bytes32 payloadHash);
    event PacketCommitted(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash);
    event PacketDelivered(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid);
    event DeliveryFailed(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes reason);

    error EndpointInvalidHeader();
    error EndpointWrongDestination(uint32 dstEid);
    error EndpointInvalidPayloadHash(bytes32 payloadHash);
    error EndpointNoReceiveConfig(address receiver, uint32 srcEid);
    error EndpointQuorumNotMet(bytes32 headerHash, bytes32 payloadHash);
    error EndpointNonceConsumed(uint64 nonce);
    error EndpointPayloadMismatch(uint64 nonce, bytes32 stored);
    error EndpointGuidMismatch(bytes32 guid);
    error EndpointTooFewVerifiers(uint256 quorum);

    struct H {
        uint64 nonce;
        uint32 srcEid;
        bytes32 sender;
        uint32 dstEid;
        address receiver;
    }

    constructor(uint32 eid_) {
        eid = eid_;
    }

    function setReceiveConfig(uint32 srcEid, address[] calldata req, address[] calldata, uint8) external {
        if (req.length < 2) revert EndpointTooFewVerifiers(req.length);
        required[msg.sender][srcEid] = req;
    }

    function outboundNonce(address sender, uint32 dstEid, address receiver) external view returns (uint64) {
        return outbound[keccak256(abi.encodePacked(sender, dstEid, receiver))];
    }

    function quote(uint32, address, bytes calldata) external pure returns (uint256) {
        return 0;
    }

    function send(uint32 dstEid, address receiver, bytes calldata message, address) external payable returns (bytes32 guid, uint64 nonce) {
        bytes32 key = keccak256(abi.encodePacked(msg.sender, dstEid, receiver));
        nonce = ++outbound[key];
        bytes32 sender = bytes32(uint256(uint160(msg.sender)));
        bytes32 recv = bytes32(uint256(uint160(receiver)));
        bytes memory header = abi.encodePacked(uint8(1), nonce, eid, sender, dstEid, recv);
        guid = keccak256(abi.encodePacked(nonce, eid, sender, dstEid, recv));
        emit PacketSent(bytes.concat(header, guid, message), msg.sender, dstEid, guid);
    }

    function decode(bytes calldata header) internal view returns (H memory h) {
        if (header.length != 81 || header[0] != 0x01) revert EndpointInvalidHeader();
        h.nonce = uint64(bytes8(header[1:9]));
        h.srcEid = uint32(bytes4(header[9:13]));
        h.sender = bytes32(header[13:45]);
        h.dstEid = uint32(bytes4(header[45:49]));
        h.receiver = address(uint160(uint256(bytes32(header[49:81]))));
        if (h.dstEid != eid) revert EndpointWrongDestination(h.dstEid);
    }

    function wordKey(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(receiver, srcEid, sender, nonce));
    }

    function verify(bytes calldata header, bytes32 payloadHash) external {
        if (payloadHash == bytes32(0)) revert EndpointInvalidPayloadHash(payloadHash);
        decode(header);
        bytes32 hh = keccak256(header);
        attested[keccak256(abi.encodePacked(msg.sender, hh, payloadHash))] = true;
        emit PacketVerified(msg.sender, hh, payloadHash);
    }

    function commit(bytes calldata header, bytes32 payloadHash) external {
        if (payloadHash == bytes32(0)) revert EndpointInvalidPayloadHash(payloadHash);
        H memory h = decode(header);
        bytes32 wk = wordKey(h.receiver, h.srcEid, h.sender, h.nonce);
        if (words[wk] == CONSUMED) revert EndpointNonceConsumed(h.nonce);
        address[] storage req = required[h.receiver][h.srcEid];
        if (req.length == 0) revert EndpointNoReceiveConfig(h.receiver, h.srcEid);
        bytes32 hh = keccak256(header);
        for (uint256 i = 0; i < req.length; i++) {
            if (!attested[keccak256(abi.encodePacked(req[i], hh, payloadHash))]) revert EndpointQuorumNotMet(hh, payloadHash);
        }
        for (uint256 i = 0; i < req.length; i++) {
            delete attested[keccak256(abi.encodePacked(req[i], hh, payloadHash))];
        }
        words[wk] = payloadHash;
        emit PacketCommitted(h.receiver, h.srcEid, h.sender, h.nonce, payloadHash);
    }

    function deliver(bytes calldata header, bytes32 guid, bytes calldata message) external {
        H memory h = decode(header);
        if (guid != keccak256(header[1:81])) revert EndpointGuidMismatch(guid);
        bytes32 wk = wordKey(h.receiver, h.srcEid, h.sender, h.nonce);
        bytes32 ph = keccak256(abi.encodePacked(guid, message));
        if (words[wk] != ph) revert EndpointPayloadMismatch(h.nonce, words[wk]);
        words[wk] = CONSUMED;
        try IReceiver(h.receiver).lzReceive(h.srcEid, h.sender, h.nonce, guid, message) {
            emit PacketDelivered(h.receiver, h.srcEid, h.sender, h.nonce, guid);
        } catch (bytes memory reason) {
            words[wk] = ph;
            emit DeliveryFailed(h.receiver, h.srcEid, h.sender, h.nonce, reason);
        }
    }

    function committedHash(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external view returns (bytes32) {
        bytes32 w = words[wordKey(receiver, srcEid, sender, nonce)];
        return w == CONSUMED ? bytes32(0) : w;
    }

    function isConsumed(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external view returns (bool) {
        return nonce == 0 || words[wordKey(receiver, srcEid, sender, nonce)] == CONSUMED;
    }

    function isVerified(address verifier, bytes32 headerHash, bytes32 payloadHash) external view returns (bool) {
        return attested[keccak256(abi.encodePacked(verifier, headerHash, payloadHash))];
    }

    function inboundNonce(address, uint32, bytes32) external pure returns (uint64) {
        return 0;
    }
}
