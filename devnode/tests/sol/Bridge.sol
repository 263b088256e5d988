// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// Test contract for EVM <-> Stylus calls: forwards calls (bubbling revert data) and counts
/// calls made to it.
contract Bridge {
    uint256 public hits;

    event Hit(address from, uint256 value);

    /// Calls `target` with `data` and the value received; reverts with the callee's data.
    function forward(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    /// Calls `target` with `data` and reports the outcome instead of reverting.
    function tryForward(address target, bytes calldata data) external returns (bool ok, bytes memory ret) {
        (ok, ret) = target.call(data);
    }

    /// Counts a call and logs who made it.
    function hit() external payable returns (uint256) {
        hits += 1;
        emit Hit(msg.sender, msg.value);
        return hits;
    }
}
