//! The real LRT token WASM over JSON-RPC with alloy contract bindings: deployment through the
//! StylusDeployer (constructor, activation fee), mint and transfer, events via `eth_getLogs`,
//! a typed custom error decoded by alloy, the payable check, and a permit deadline crossed by
//! time travel.
//!
//! Needs `target/stylus/lrt-token.wasm` from `cargo xtask wasm`.

// The generated binding of `permit` takes seven arguments plus the instance.
#![allow(clippy::too_many_arguments)]

mod rpc_support;

use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::signers::SignerSync;
use alloy::sol;
use alloy::sol_types::{SolCall, SolEvent, SolValue};
use rpc_support::*;

/// Arbitrum's StylusDeployer address.
const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

sol! {
    interface IStylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
    }

    #[sol(rpc)]
    #[derive(Debug)]
    interface ILrt {
        function name() external view returns (string memory);
        function MINTER_ROLE() external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function mint(address to, uint256 value) external;
        function transfer(address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        event Transfer(address indexed from, address indexed to, uint256 value);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error ERC2612ExpiredSignature(uint256 deadline);
    }
}

const ETHER: u64 = 1_000_000_000_000_000_000;

/// Deploys the LRT token from dev account 0 (its admin) through the StylusDeployer.
async fn deploy_token(p: &DynProvider) -> Address {
    let admin = dev(0);
    let code = stylus_runtime::code::encode(&contract_wasm("lrt-token"));
    let mut init = keccak256(b"stylus_constructor()")[..4].to_vec();
    init.extend(("Restaked ETH".to_owned(), "rsETH".to_owned(), admin).abi_encode_params());
    let data = IStylusDeployer::deployCall {
        bytecode: deploy_code(&code),
        initData: Bytes::from(init),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let before = p.get_balance(admin).await.expect("balance");
    let tx = TransactionRequest::default()
        .from(admin)
        .to(STYLUS_DEPLOYER)
        .value(U256::from(ETHER))
        .input(Bytes::from(data).into());
    let receipt = p
        .send_transaction(tx)
        .await
        .expect("deploy sent")
        .get_receipt()
        .await
        .expect("deploy receipt");
    assert!(receipt.status(), "deployment succeeded");
    let token = receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<IStylusDeployer::ContractDeployed>().ok())
        .expect("ContractDeployed event")
        .inner
        .data
        .deployedContract;
    // The excess of the 1 ETH sent for the activation fee came back.
    let gas = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
    let spent = before - p.get_balance(admin).await.expect("balance");
    assert!(
        spent > gas && spent < gas + U256::from(ETHER / 10),
        "spent {spent}, gas {gas}"
    );
    token
}

#[tokio::test]
async fn lrt_token_over_rpc() {
    let server = start().await;
    let p = dev_provider(&server);
    let (admin, alice, bob) = (dev(0), dev(1), dev(2));
    let token_addr = deploy_token(&p).await;
    let code = p.get_code_at(token_addr).await.expect("code");
    assert_eq!(&code[..3], &[0xef, 0xf0, 0x00], "Stylus code format");

    let token = ILrt::new(token_addr, p.clone());
    assert_eq!(token.name().call().await.expect("name"), "Restaked ETH");
    let role = token.MINTER_ROLE().call().await.expect("role");
    assert_eq!(role, keccak256("MINTER_ROLE"));

    // Minting without the role: typed custom error decoded from the RPC error.
    let err = token
        .mint(alice, U256::from(1000u64))
        .from(admin)
        .call()
        .await
        .expect_err("no role yet");
    let decoded = err
        .as_decoded_error::<ILrt::AccessControlUnauthorizedAccount>()
        .expect("AccessControlUnauthorizedAccount");
    assert_eq!((decoded.account, decoded.neededRole), (admin, role));

    let grant = token
        .grantRole(role, admin)
        .from(admin)
        .send()
        .await
        .expect("grant");
    assert!(grant.get_receipt().await.expect("receipt").status());
    let mint = token
        .mint(alice, U256::from(1000u64))
        .from(admin)
        .send()
        .await
        .expect("mint")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(mint.status());
    let transfer = token
        .transfer(bob, U256::from(400u64))
        .from(alice)
        .send()
        .await
        .expect("transfer")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(transfer.status());
    assert_eq!(
        token.balanceOf(alice).call().await.expect("bal"),
        U256::from(600u64)
    );
    assert_eq!(
        token.balanceOf(bob).call().await.expect("bal"),
        U256::from(400u64)
    );

    // Events through eth_getLogs.
    let filter = Filter::new()
        .address(token_addr)
        .event_signature(ILrt::Transfer::SIGNATURE_HASH)
        .from_block(0u64);
    let logs = p.get_logs(&filter).await.expect("getLogs");
    let transfers: Vec<_> = logs
        .iter()
        .map(|l| {
            l.log_decode::<ILrt::Transfer>()
                .expect("Transfer")
                .inner
                .data
        })
        .map(|t| (t.from, t.to, t.value))
        .collect();
    assert_eq!(
        transfers,
        vec![
            (Address::ZERO, alice, U256::from(1000u64)),
            (alice, bob, U256::from(400u64))
        ]
    );
    assert_eq!(logs[1].transaction_hash, Some(transfer.transaction_hash));

    // Over-spending: the custom error from eth_estimateGas (what `send` runs first).
    let err = token
        .transfer(bob, U256::from(601u64))
        .from(alice)
        .send()
        .await
        .expect_err("insufficient balance");
    let e = err
        .as_decoded_error::<ILrt::ERC20InsufficientBalance>()
        .expect("ERC20InsufficientBalance");
    assert_eq!(
        (e.sender, e.balance, e.needed),
        (alice, U256::from(600u64), U256::from(601u64))
    );

    // Non-payable method with value: reverts (as a call and as an estimate).
    let paid = token.balanceOf(alice).from(alice).value(U256::from(1u64));
    let err = paid.call().await.expect_err("non-payable");
    assert!(err.as_revert_data().is_some(), "{err}");
    let paid = token
        .transfer(bob, U256::from(1u64))
        .from(alice)
        .value(U256::from(1u64));
    assert!(
        paid.estimate_gas().await.is_err(),
        "estimate refuses value too"
    );
    assert_eq!(
        token.balanceOf(bob).call().await.expect("bal"),
        U256::from(400u64)
    );
}

#[tokio::test]
async fn permit_deadline_passes_by_time_travel() {
    let server = start().await;
    let p = dev_provider(&server);
    let token_addr = deploy_token(&p).await;
    let token = ILrt::new(token_addr, p.clone());
    let owner = signer(3);
    let spender = dev(4);
    let domain = token.DOMAIN_SEPARATOR().call().await.expect("domain");
    let now = p
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await
        .expect("block")
        .expect("latest")
        .header
        .timestamp;

    let sign = |value: u64, nonce: U256, deadline: U256| {
        let typehash = keccak256(
            "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
        );
        let st = keccak256(
            (
                typehash,
                owner.address(),
                spender,
                U256::from(value),
                nonce,
                deadline,
            )
                .abi_encode(),
        );
        let digest = keccak256([&[0x19, 0x01][..], domain.as_slice(), st.as_slice()].concat());
        let sig = owner.sign_hash_sync(&digest).expect("sign");
        (
            27 + u8::from(sig.v()),
            B256::from(sig.r()),
            B256::from(sig.s()),
        )
    };

    // A permit within its deadline works (ecrecover called from Stylus).
    let deadline = U256::from(now + 600);
    let (v, r, s) = sign(5, U256::ZERO, deadline);
    let receipt = token
        .permit(
            owner.address(),
            spender,
            U256::from(5u64),
            deadline,
            v,
            r,
            s,
        )
        .from(dev(0))
        .send()
        .await
        .expect("permit")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status());
    assert_eq!(
        token
            .allowance(owner.address(), spender)
            .call()
            .await
            .expect("allowance"),
        U256::from(5u64)
    );

    // The next one, signed for the same window, is refused after an hour of time travel.
    let (v, r, s) = sign(7, U256::from(1u64), deadline);
    let permit = token
        .permit(
            owner.address(),
            spender,
            U256::from(7u64),
            deadline,
            v,
            r,
            s,
        )
        .from(dev(0));
    permit.call().await.expect("valid before the jump");
    p.anvil_increase_time(3600).await.expect("increaseTime");
    p.evm_mine(None).await.expect("mine");
    let err = permit.call().await.expect_err("expired");
    let e = err
        .as_decoded_error::<ILrt::ERC2612ExpiredSignature>()
        .expect("ERC2612ExpiredSignature");
    assert_eq!(e.deadline, deadline);
    assert_eq!(
        token.nonces(owner.address()).call().await.expect("nonce"),
        U256::from(1u64)
    );
}

#[tokio::test]
async fn invalid_wasm_is_refused_with_an_rpc_error() {
    let server = start().await;
    let p = dev_provider(&server);
    // Compressed correctly, but not a WebAssembly module: activation refuses it.
    let code = stylus_runtime::code::encode(b"\0asm\x01\0\0\0this is not a module");
    let data = IStylusDeployer::deployCall {
        bytecode: deploy_code(&code),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let tx = TransactionRequest::default()
        .from(dev(0))
        .to(STYLUS_DEPLOYER)
        .value(U256::from(ETHER))
        .input(Bytes::from(data).into());
    let err = p.send_transaction(tx).await.expect_err("activation fails");
    let payload = err.as_error_resp().expect("json-rpc error");
    assert_eq!(payload.code, 3, "{payload:?}");
    assert_eq!(
        p.get_block_number().await.expect("block number"),
        0,
        "nothing mined"
    );
    assert_eq!(p.get_chain_id().await.expect("still serving"), CHAIN_ID);
}
