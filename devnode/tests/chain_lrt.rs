//! The real LRT token WASM (from `cargo xtask wasm`) deployed through the StylusDeployer with
//! its constructor, then used: roles, mint, transfer, events, typed custom errors, payable
//! checks. Also the deployer's own contract checks.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chain_support;

use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::sol;
use alloy::sol_types::{SolCall, SolError, SolEvent, SolValue};
use chain_support::*;
use devnode::chain::{STYLUS_DEPLOYER, STYLUS_DEPLOYER_RUNTIME_HEX};
use devnode::ChainError;

sol! {
    interface ILrt {
        function name() external view returns (string);
        function symbol() external view returns (string);
        function MINTER_ROLE() external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function mint(address to, uint256 value) external;
        function transfer(address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error LrtInvalidMetadata();
        event Transfer(address indexed from, address indexed to, uint256 value);
    }
}

fn constructor(name: &str, symbol: &str, admin: Address) -> Vec<u8> {
    let mut data = keccak256(b"stylus_constructor()")[..4].to_vec();
    data.extend((name.to_string(), symbol.to_string(), admin).abi_encode_params());
    data
}

fn deploy_token(c: &mut devnode::Chain, admin: Address) -> Address {
    let wasm = contract_wasm("lrt-token");
    let (token, r) = deploy_via_deployer(
        c,
        admin,
        &wasm,
        constructor("Restaked ETH", "rsETH", admin),
        B256::ZERO,
    )
    .unwrap();
    assert!(r.status());
    token
}

#[test]
fn lrt_token_deploys_with_its_constructor_and_works() {
    let mut c = chain();
    let admin = dev(&c, 0);
    let alice = dev(&c, 1);
    let bob = dev(&c, 2);
    let token = deploy_token(&mut c, admin);

    let name = call(&mut c, admin, token, ILrt::nameCall {}.abi_encode()).unwrap();
    assert_eq!(
        ILrt::nameCall::abi_decode_returns(&name).unwrap(),
        "Restaked ETH"
    );
    let role = call(&mut c, admin, token, ILrt::MINTER_ROLECall {}.abi_encode()).unwrap();
    let role = B256::abi_decode(&role).unwrap();
    assert_eq!(role, keccak256("MINTER_ROLE"));

    // Minting needs the role.
    let mint = ILrt::mintCall {
        to: alice,
        value: U256::from(1_000),
    }
    .abi_encode();
    let err = call(&mut c, admin, token, mint.clone()).unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    let e = ILrt::AccessControlUnauthorizedAccount::abi_decode(&output).unwrap();
    assert_eq!(e.account, admin);
    assert_eq!(e.neededRole, role);

    let grant = ILrt::grantRoleCall {
        role,
        account: admin,
    }
    .abi_encode();
    assert!(send(&mut c, req(admin, token, grant)).unwrap().status());
    let r = send(&mut c, req(admin, token, mint)).unwrap();
    assert!(r.status());
    let transfer_log = r
        .inner
        .logs()
        .iter()
        .find_map(|l| ILrt::Transfer::decode_log(&l.inner).ok())
        .expect("Transfer event");
    assert_eq!(transfer_log.from, Address::ZERO);
    assert_eq!(transfer_log.to, alice);
    assert_eq!(transfer_log.value, U256::from(1_000));

    let t = ILrt::transferCall {
        to: bob,
        value: U256::from(400),
    }
    .abi_encode();
    assert!(send(&mut c, req(alice, token, t)).unwrap().status());
    let bal = |c: &mut devnode::Chain, who| {
        let out = call(
            c,
            who,
            token,
            ILrt::balanceOfCall { account: who }.abi_encode(),
        )
        .unwrap();
        U256::abi_decode(&out).unwrap()
    };
    assert_eq!(bal(&mut c, alice), U256::from(600));
    assert_eq!(bal(&mut c, bob), U256::from(400));

    // A typed custom error comes back as revert data, from eth_call and from estimation.
    let too_much = ILrt::transferCall {
        to: bob,
        value: U256::from(601),
    }
    .abi_encode();
    let err = call(&mut c, alice, token, too_much.clone()).unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    let e = ILrt::ERC20InsufficientBalance::abi_decode(&output).unwrap();
    assert_eq!(
        (e.sender, e.balance, e.needed),
        (alice, U256::from(600), U256::from(601))
    );
    let err = c
        .estimate_gas(&req(alice, token, too_much.clone()), latest(), None)
        .unwrap_err();
    assert!(matches!(err, ChainError::Revert { .. }));
    // A reverted transaction is mined with status 0 and changes nothing.
    let r = send_with_gas(&mut c, req(alice, token, too_much), 500_000);
    assert!(!r.status());
    assert_eq!(bal(&mut c, alice), U256::from(600));

    // Non-payable methods refuse value.
    let mut paid = req(
        alice,
        token,
        ILrt::balanceOfCall { account: alice }.abi_encode(),
    );
    paid.value = Some(U256::from(1));
    assert!(matches!(
        c.call(&paid, latest(), None),
        Err(ChainError::Revert { .. })
    ));
}

#[test]
fn deployer_create2_salt_binds_init_data_and_refunds_excess() {
    let mut c = chain();
    let admin = dev(&c, 0);
    let wasm = contract_wasm("lrt-token");
    let salt = B256::repeat_byte(9);
    let init = constructor("Restaked ETH", "rsETH", admin);
    let before = c.balance(admin, latest()).unwrap();
    let (token, r) = deploy_via_deployer(&mut c, admin, &wasm, init.clone(), salt).unwrap();
    let init_salt = keccak256([salt.as_slice(), &init].concat());
    let code = stylus_runtime::code::encode(&wasm);
    assert_eq!(
        token,
        STYLUS_DEPLOYER.create2(init_salt, keccak256(init_code(&code)))
    );
    // Sent 1 ETH; kept: gas + the data fee (far less than 1 ETH).
    let gas = U256::from(r.gas_used) * U256::from(r.effective_gas_price);
    let kept = before - c.balance(admin, latest()).unwrap() - gas;
    assert!(
        kept > U256::ZERO && kept < U256::from(ETHER / 100),
        "data fee {kept}"
    );
    // A second deployment of the same code needs no activation: only gas is spent.
    let before = c.balance(admin, latest()).unwrap();
    let (_, r2) = deploy_via_deployer(
        &mut c,
        admin,
        &wasm,
        constructor("Other", "OTH", admin),
        B256::ZERO,
    )
    .unwrap();
    let gas = U256::from(r2.gas_used) * U256::from(r2.effective_gas_price);
    assert_eq!(before - c.balance(admin, latest()).unwrap(), gas);
    assert!(r2.gas_used < r.gas_used, "no activation the second time");
}

#[test]
fn deployer_reports_a_failing_constructor() {
    let mut c = chain();
    let admin = dev(&c, 0);
    let wasm = contract_wasm("lrt-token");
    let err = deploy_via_deployer(
        &mut c,
        admin,
        &wasm,
        constructor("", "X", admin),
        B256::ZERO,
    )
    .unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    let e = IStylusDeployer::ContractInitializationError::abi_decode(&output).unwrap();
    assert_eq!(
        e.data.as_ref(),
        ILrt::LrtInvalidMetadata {}.abi_encode().as_slice()
    );
    assert_eq!(c.block_number(), 0, "estimation failed, nothing was sent");
}

#[test]
fn stylus_deployer_bytecode_matches_its_source() {
    let src_path = repo_root().join("devnode/contracts/StylusDeployer.sol");
    let src = std::fs::read_to_string(&src_path).unwrap();
    let (_, runtime) = solc(&[("StylusDeployer.sol", &src)], "StylusDeployer");
    let fresh = alloy::hex::encode(&runtime);
    if std::env::var_os("DEVNODE_REGENERATE").is_some() {
        let out = repo_root().join("devnode/contracts/StylusDeployer.runtime.hex");
        std::fs::write(&out, format!("{fresh}\n")).unwrap();
        return;
    }
    assert_eq!(
        fresh,
        STYLUS_DEPLOYER_RUNTIME_HEX.trim(),
        "devnode/contracts/StylusDeployer.runtime.hex is stale: rerun this test with DEVNODE_REGENERATE=1"
    );
    let c = chain();
    assert_eq!(
        c.code(STYLUS_DEPLOYER, latest()).unwrap(),
        Bytes::from(runtime)
    );
}
