// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

interface IEndpointConfig {
    function setReceiveConfig(uint32 srcEid, address[] calldata required, address[] calldata optional, uint8 threshold) external;
}

/// Test receiver of the relayer tests: requires the given verifiers for `srcEid` (configured
/// on the endpoint's configuration contract), accepts `lzReceive` from the endpoint's
/// destination side only, counts deliveries per GUID, and reverts while `failing` is set.
contract CountingReceiver {
    address public immutable endpoint;
    bool public failing;
    uint256 public deliveries;
    mapping(bytes32 => uint256) public timesDelivered;

    event Received(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes message);

    error NotEndpoint(address caller);
    error ReceiverFailing(uint64 nonce);

    constructor(address endpoint_, address config, uint32 srcEid, address[] memory required) {
        endpoint = endpoint_;
        IEndpointConfig(config).setReceiveConfig(srcEid, required, new address[](0), 0);
    }

    function setFailing(bool f) external {
        failing = f;
    }

    function lzReceive(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes calldata message) external {
        if (msg.sender != endpoint) revert NotEndpoint(msg.sender);
        if (failing) revert ReceiverFailing(nonce);
        deliveries += 1;
        timesDelivered[guid] += 1;
        emit Received(srcEid, sender, nonce, guid, message);
    }
}
