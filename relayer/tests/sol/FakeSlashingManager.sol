// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// Test stand-in for the slashing manager, as StakeSyncHome reads it: `requestCount()` and
/// `slashRequest(id)` (status in the fifth word, ids from 1). Statuses follow the real manager:
/// 1 requested (veto window or awaiting execution), 2 vetoed, 3 executed, 4 expired. Anyone may
/// add a request or change a status: it only drives what the home publishes.
contract FakeSlashingManager {
    uint8[] private statuses;

    error UnknownRequest(uint64 requestId);

    /// Adds a request in status 1 (requested); returns its id.
    function request() external returns (uint64) {
        statuses.push(1);
        return uint64(statuses.length);
    }

    /// Sets the status of request `requestId`.
    function setStatus(uint64 requestId, uint8 status) external {
        if (requestId == 0 || requestId > statuses.length) revert UnknownRequest(requestId);
        statuses[requestId - 1] = status;
    }

    function requestCount() external view returns (uint64) {
        return uint64(statuses.length);
    }

    /// (operator, set id, wad, requested at, status); only the status is meaningful here.
    function slashRequest(uint64 requestId) external view returns (address, uint64, uint256, uint64, uint8) {
        if (requestId == 0 || requestId > statuses.length) return (address(0), 0, 0, 0, 0);
        return (address(0), 1, 1e17, 0, statuses[requestId - 1]);
    }
}
