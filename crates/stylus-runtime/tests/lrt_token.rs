//! The real LRT token WASM (contracts/lrt-token) run through the runtime against the mock
//! chain: constructor through calldata, roles, mint, transfer, balanceOf, typed errors,
//! events and static-call protection. The module is built by `common::artifact`.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use common::artifact::lrt_token_wasm;
use common::*;
use stylus_runtime::{code, execute, CallContext, Config, Outcome, Program, Status};

sol! {
    function grantRole(bytes32 role, address account);
    function mint(address to, uint256 value);
    function transfer(address to, uint256 value) returns (bool);
    function balanceOf(address account) returns (uint256);
    function totalSupply() returns (uint256);
    function name() returns (string);
    function symbol() returns (string);
    event Transfer(address indexed from, address indexed to, uint256 value);
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
}

const GAS: u64 = 10_000_000;

struct Token {
    program: Program,
    api: MockApi,
    config: Config,
}

fn token_address() -> Address {
    Address::repeat_byte(0x70)
}
fn admin() -> Address {
    Address::repeat_byte(0xad)
}
fn minter() -> Address {
    Address::repeat_byte(0x31)
}
fn alice() -> Address {
    Address::repeat_byte(0xa1)
}
fn bob() -> Address {
    Address::repeat_byte(0xb0)
}

impl Token {
    fn call_as(&mut self, sender: Address, calldata: &[u8]) -> Outcome {
        self.call_ctx(
            CallContext {
                address: token_address(),
                sender,
                origin: sender,
                value: U256::ZERO,
                ..ctx()
            },
            calldata,
        )
    }

    fn call_ctx(&mut self, ctx: CallContext, calldata: &[u8]) -> Outcome {
        self.api.new_tx();
        execute(
            &self.program,
            calldata,
            &ctx,
            &mut self.api,
            GAS,
            &self.config,
        )
    }

    fn balance(&mut self, who: Address) -> U256 {
        let out = self.call_as(who, &balanceOfCall { account: who }.abi_encode());
        assert_eq!(out.status, Status::Success);
        U256::abi_decode(&out.output).expect("balanceOf returns a uint256")
    }
}

fn deploy() -> Token {
    let wasm = lrt_token_wasm();
    // What the chain stores: within Arbitrum's code size limit, and decodable back.
    let on_chain = code::encode(&wasm);
    assert!(on_chain.len() <= 24_576, "{} bytes", on_chain.len());
    assert_eq!(code::decode(&on_chain).expect("decodes"), wasm);

    let config = Config::default();
    let (program, info) = Program::activate(&wasm, &config).expect("the LRT token activates");
    assert!(info.footprint_pages >= 1);
    let mut token = Token {
        program,
        api: MockApi::new(),
        config,
    };
    let mut ctor = keccak256(b"stylus_constructor()")[..4].to_vec();
    ctor.extend(("Restaked ETH".to_string(), "rsETH".to_string(), admin()).abi_encode_params());
    let deployer = Address::repeat_byte(0xde);
    let out = token.call_as(deployer, &ctor);
    assert_eq!(out.status, Status::Success, "constructor: {:?}", out.output);
    assert!(
        !token.api.storage.is_empty(),
        "the constructor wrote storage"
    );
    token
}

#[test]
fn lrt_token_constructor_mint_transfer_and_balances() {
    let mut t = deploy();

    let out = t.call_as(admin(), &nameCall {}.abi_encode());
    assert_eq!(String::abi_decode(&out.output).unwrap(), "Restaked ETH");
    let out = t.call_as(admin(), &symbolCall {}.abi_encode());
    assert_eq!(String::abi_decode(&out.output).unwrap(), "rsETH");

    let role = keccak256(b"MINTER_ROLE");
    let out = t.call_as(
        admin(),
        &grantRoleCall {
            role,
            account: minter(),
        }
        .abi_encode(),
    );
    assert_eq!(out.status, Status::Success);

    let logs_before = t.api.logs.len();
    let out = t.call_as(
        minter(),
        &mintCall {
            to: alice(),
            value: U256::from(1_000),
        }
        .abi_encode(),
    );
    assert_eq!(out.status, Status::Success);
    let (topics, data) = &t.api.logs[logs_before];
    assert_eq!(topics[0], Transfer::SIGNATURE_HASH);
    assert_eq!(topics[1], B256::left_padding_from(Address::ZERO.as_slice()));
    assert_eq!(topics[2], B256::left_padding_from(alice().as_slice()));
    assert_eq!(U256::from_be_slice(data), U256::from(1_000));

    let out = t.call_as(
        alice(),
        &transferCall {
            to: bob(),
            value: U256::from(300),
        }
        .abi_encode(),
    );
    assert_eq!(out.status, Status::Success);
    assert!(bool::abi_decode(&out.output).unwrap());

    assert_eq!(t.balance(alice()), U256::from(700));
    assert_eq!(t.balance(bob()), U256::from(300));
    let out = t.call_as(bob(), &totalSupplyCall {}.abi_encode());
    assert_eq!(U256::abi_decode(&out.output).unwrap(), U256::from(1_000));
}

#[test]
fn lrt_token_reverts_carry_typed_errors_and_keep_state() {
    let mut t = deploy();
    let out = t.call_as(
        alice(),
        &mintCall {
            to: alice(),
            value: U256::from(1),
        }
        .abi_encode(),
    );
    assert_eq!(out.status, Status::Revert);
    let err = AccessControlUnauthorizedAccount::abi_decode(&out.output).expect("typed error");
    assert_eq!(err.account, alice());
    assert_eq!(err.neededRole, keccak256(b"MINTER_ROLE"));
    assert!(out.gas_left > 0, "a revert returns the unused gas");

    let storage_before = t.api.storage.clone();
    let out = t.call_as(
        alice(),
        &transferCall {
            to: bob(),
            value: U256::from(5),
        }
        .abi_encode(),
    );
    assert_eq!(out.status, Status::Revert);
    let err = ERC20InsufficientBalance::abi_decode(&out.output).expect("typed error");
    assert_eq!(err.needed, U256::from(5));
    assert_eq!(t.api.storage, storage_before, "a revert writes nothing");
}

#[test]
fn lrt_token_state_changes_fail_in_a_static_context() {
    let mut t = deploy();
    let out = t.call_ctx(
        CallContext {
            address: token_address(),
            sender: admin(),
            value: U256::ZERO,
            is_static: true,
            ..ctx()
        },
        &grantRoleCall {
            role: keccak256(b"MINTER_ROLE"),
            account: minter(),
        }
        .abi_encode(),
    );
    assert!(matches!(out.status, Status::Failure(_)), "{:?}", out.status);
    // Views still work in a static context.
    let out = t.call_ctx(
        CallContext {
            address: token_address(),
            value: U256::ZERO,
            is_static: true,
            ..ctx()
        },
        &balanceOfCall { account: alice() }.abi_encode(),
    );
    assert_eq!(out.status, Status::Success);
}

#[test]
fn lrt_token_gas_storage_writes_dominate() {
    let mut t = deploy();
    t.call_as(
        admin(),
        &grantRoleCall {
            role: keccak256(b"MINTER_ROLE"),
            account: minter(),
        }
        .abi_encode(),
    );
    let mint = t.call_as(
        minter(),
        &mintCall {
            to: alice(),
            value: U256::from(10),
        }
        .abi_encode(),
    );
    let view = t.call_as(alice(), &balanceOfCall { account: alice() }.abi_encode());
    let (mint_gas, view_gas) = (GAS - mint.gas_left, GAS - view.gas_left);
    println!("LRT gas through the runtime: mint {mint_gas}, balanceOf {view_gas}");
    // mint writes two new slots (balance, supply) at 22,100 gas each in the mock chain.
    assert!(
        mint_gas > view_gas + 2 * SSTORE_SET,
        "{mint_gas} vs {view_gas}"
    );
}
