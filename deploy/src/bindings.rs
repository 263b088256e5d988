//! Contract bindings. Our own contracts' bindings come from the committed ABI files in `abi/`,
//! so the deploy tool and scenario break at compile time when the ABI drifts from what they use.
#![allow(missing_docs, clippy::too_many_arguments)]

use alloy::sol;

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    LrtToken,
    "../abi/LrtToken.json"
);

sol! {
    /// Arbitrum's StylusDeployer (at the same address on every Arbitrum chain).
    #[sol(rpc)]
    #[derive(Debug)]
    interface IStylusDeployer {
        function deploy(bytes calldata bytecode, bytes calldata initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
    }

    /// The ArbWasm precompile (0x...71).
    #[sol(rpc)]
    #[derive(Debug)]
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function stylusVersion() external view returns (uint16 version);
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }
}

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    RestakeVault,
    "../abi/RestakeVault.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    OperatorRegistry,
    "../abi/OperatorRegistry.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    DelegationManager,
    "../abi/DelegationManager.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    AllocationManager,
    "../abi/AllocationManager.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    SlashingManager,
    "../abi/SlashingManager.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    RewardsCoordinator,
    "../abi/RewardsCoordinator.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    TestLst,
    "../abi/TestLst.json"
);

sol! {
    /// The redeem queue's user surface (until abi/RedeemQueue.json is committed).
    #[sol(rpc)]
    #[derive(Debug)]
    interface IRedeemQueue {
        function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);
        function claim(uint256 requestId, address receiver) external returns (uint256 assets);
        function withdrawalDelay() external view returns (uint64);
    }

    /// EIP-2612 permit message.
    #[derive(Debug)]
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    Endpoint,
    "../abi/Endpoint.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    EndpointConfig,
    "../abi/EndpointConfig.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    EndpointReceive,
    "../abi/EndpointReceive.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    StakeSyncHome,
    "../abi/StakeSyncHome.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    StakeSyncRemote,
    "../abi/StakeSyncRemote.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    LrtLockbox,
    "../abi/LrtLockbox.json"
);

sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    LrtBridgeRemote,
    "../abi/LrtBridgeRemote.json"
);
