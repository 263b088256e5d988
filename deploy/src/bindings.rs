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

sol! {
    /// The vault functions the deployment wires (until abi/RestakeVault.json is committed).
    #[sol(rpc)]
    #[derive(Debug)]
    interface IVaultWiring {
        function listToken(address token, address rateProvider, uint256 cap) external;
        function tokenInfo(address token) external view returns (bool listed, address rateProvider, uint256 cap, uint256 balance);
    }
}

sol! {
    /// The vault functions the scenario uses (until abi/RestakeVault.json is committed).
    #[sol(rpc)]
    #[derive(Debug)]
    interface IVaultUser {
        function deposit(address receiver) external payable returns (uint256 shares);
        function depositToken(address token, uint256 amount, address receiver) external returns (uint256 shares);
        function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);
        function claim(uint256 requestId, address receiver) external returns (uint256 assets);
        function totalAssets() external view returns (uint256);
        function exchangeRate() external view returns (uint256);
    }

    /// The test LST's faucet and ERC-20 surface.
    #[sol(rpc)]
    #[derive(Debug)]
    interface ITestLst {
        function mint(address to, uint256 value) external;
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
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
