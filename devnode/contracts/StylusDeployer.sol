// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// The part of ArbWasm (0x..71) the deployer needs.
interface IArbWasmActivation {
    function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
    function codehashVersion(bytes32 codehash) external view returns (uint16 version);
    function stylusVersion() external view returns (uint16 version);
}

/// @title StylusDeployer for the devnode
/// @notice Deploys a Stylus program (EVM init code that returns `EF F0 00 ..` code), activates it
///         when its code hash is not active yet, calls it once with `initData` (e.g. the
///         `stylus_constructor` call) and refunds what the activation did not need. It is placed
///         at the canonical address 0xcEcba2F1DC234f70Dd89F2041029807F8D03A990 in the devnode's
///         genesis. `msg.value` must cover the activation data fee plus `initValue`.
contract StylusDeployer {
    IArbWasmActivation private constant ARB_WASM = IArbWasmActivation(address(0x71));

    /// A program was deployed (and activated and initialised).
    event ContractDeployed(address deployedContract);

    /// CREATE/CREATE2 failed without revert data.
    error ContractDeploymentError(bytes bytecode);
    /// The initialisation call failed; `data` is its revert data.
    error ContractInitializationError(address newContract, bytes data);
    /// Sending back the unused value failed.
    error RefundExcessValueError(uint256 excessValue);
    /// No init code was given.
    error EmptyBytecode();
    /// `initValue` is not zero but there is no `initData` to send it with.
    error InitValueButNotInitData();

    /// @notice Deploys (CREATE, or CREATE2 when `salt` is not zero), activates if needed and
    ///         initialises a Stylus program.
    /// @param bytecode EVM init code returning the Stylus code.
    /// @param initData Calldata of the initialisation call; empty skips the call.
    /// @param initValue Value sent with the initialisation call.
    /// @param salt Zero for CREATE; otherwise mixed with `initData` (see `initSalt`) for CREATE2.
    /// @return deployed The new program's address.
    function deploy(bytes calldata bytecode, bytes calldata initData, uint256 initValue, bytes32 salt)
        external
        payable
        returns (address deployed)
    {
        if (bytecode.length == 0) revert EmptyBytecode();
        if (initData.length == 0 && initValue != 0) revert InitValueButNotInitData();
        deployed = _create(bytecode, salt == bytes32(0) ? bytes32(0) : initSalt(salt, initData));

        uint256 dataFee = 0;
        if (requiresActivation(deployed)) {
            // ArbWasm keeps the fee and sends the rest straight back to this contract.
            (, dataFee) = ARB_WASM.activateProgram{value: msg.value - initValue}(deployed);
        }
        if (initData.length != 0) {
            (bool ok, bytes memory data) = deployed.call{value: initValue}(initData);
            if (!ok) revert ContractInitializationError(deployed, data);
        }
        uint256 excess = msg.value - dataFee - initValue;
        if (excess != 0) {
            (bool sent,) = payable(msg.sender).call{value: excess}("");
            if (!sent) revert RefundExcessValueError(excess);
        }
        emit ContractDeployed(deployed);
    }

    /// @notice The CREATE2 salt used for a user `salt`: binds the address to the init data.
    function initSalt(bytes32 salt, bytes calldata initData) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(salt, initData));
    }

    /// @notice True when the code at `program` is not active under the current Stylus version.
    function requiresActivation(address program) public view returns (bool) {
        try ARB_WASM.codehashVersion(program.codehash) returns (uint16 version) {
            return version != ARB_WASM.stylusVersion();
        } catch {
            return true;
        }
    }

    function _create(bytes calldata bytecode, bytes32 salt) private returns (address created) {
        bytes memory code = bytecode;
        if (salt == bytes32(0)) {
            assembly {
                created := create(0, add(code, 0x20), mload(code))
            }
        } else {
            assembly {
                created := create2(0, add(code, 0x20), mload(code), salt)
            }
        }
        if (created == address(0)) {
            // Bubble up the init code's revert data when there is some.
            assembly {
                let size := returndatasize()
                if size {
                    let p := mload(0x40)
                    returndatacopy(p, 0, size)
                    revert(p, size)
                }
            }
            revert ContractDeploymentError(bytecode);
        }
    }
}
