//! Throughput and ink figures of the runtime (printed, not asserted).
//!
//! ```text
//! cargo run --release -p stylus-runtime --example bench
//! ```
//!
//! Builds the LRT token for wasm32 first (as the tests do), then measures activation time,
//! calls per second and gas/ink per call for an empty program, a compute loop, and the LRT
//! token's `balanceOf` (storage read) and `transfer` (two storage writes and a log).

#[path = "../tests/common/mod.rs"]
mod common;

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use common::{artifact::lrt_token_wasm, ctx, MockApi};
use std::time::{Duration, Instant};
use stylus_runtime::{execute, CallContext, Config, Program, Status};

sol! {
    function grantRole(bytes32 role, address account);
    function mint(address to, uint256 value);
    function transfer(address to, uint256 value) returns (bool);
    function balanceOf(address account) returns (uint256);
}

const GAS: u64 = 30_000_000;

/// Runs `calldata` repeatedly for about `budget`; prints calls/s, gas and ink per call.
fn measure(label: &str, program: &Program, calldata: &[u8], ctx: &CallContext, api: &mut MockApi) {
    let config = Config::default();
    let budget = Duration::from_millis(1_500);
    let start = Instant::now();
    let mut calls = 0u64;
    let mut gas_used = 0;
    while start.elapsed() < budget {
        api.new_tx();
        let out = execute(program, calldata, ctx, api, GAS, &config);
        assert_eq!(out.status, Status::Success, "{label}");
        gas_used = GAS - out.gas_left;
        calls += 1;
    }
    // Integer arithmetic only (the workspace denies float arithmetic).
    let nanos = start.elapsed().as_nanos().max(1);
    let calls = u128::from(calls);
    println!(
        "{label:<36} {:>9} calls/s {:>10} ns/call {:>8} gas/call {:>12} ink/call",
        calls * 1_000_000_000 / nanos,
        nanos / calls,
        gas_used,
        u128::from(gas_used) * u128::from(config.ink_price)
    );
}

fn wat_program(wat: &str) -> Program {
    let wasm = wat::parse_str(wat).expect("bench WAT parses");
    Program::activate(&wasm, &Config::default())
        .expect("bench program activates")
        .0
}

fn main() {
    println!("stylus-runtime bench (wasmi 2.0.0, release build)\n");

    let empty = wat_program(
        r#"(module (memory (export "memory") 1)
            (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
    );
    let looped = wat_program(
        r#"(module (memory (export "memory") 1)
            (func (export "user_entrypoint") (param i32) (result i32) (local $i i32)
                (loop $l
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
                (i32.const 0)))"#,
    );

    let wasm = lrt_token_wasm();
    let t0 = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        Program::activate(&wasm, &Config::default()).expect("LRT activates");
    }
    let activation = t0.elapsed() / rounds;
    let (token, info) = Program::activate(&wasm, &Config::default()).expect("LRT activates");
    println!(
        "LRT token: {} bytes WASM, activation {} us, init_gas {}, footprint {} pages\n",
        wasm.len(),
        activation.as_micros(),
        info.init_gas,
        info.footprint_pages
    );

    let mut api = MockApi::new();
    let plain = CallContext {
        value: U256::ZERO,
        ..ctx()
    };
    measure("empty program", &empty, b"", &plain, &mut api);
    measure("loop, 100,000 iterations", &looped, b"", &plain, &mut api);

    // Deploy and fund the token.
    let admin = Address::repeat_byte(0xad);
    let alice = Address::repeat_byte(0xa1);
    let as_sender = |sender| CallContext {
        address: Address::repeat_byte(0x70),
        sender,
        ..plain.clone()
    };
    let config = Config::default();
    let mut ctor = keccak256(b"stylus_constructor()")[..4].to_vec();
    ctor.extend(("Restaked ETH".to_string(), "rsETH".to_string(), admin).abi_encode_params());
    let steps = [
        (admin, ctor),
        (
            admin,
            grantRoleCall {
                role: keccak256(b"MINTER_ROLE"),
                account: admin,
            }
            .abi_encode(),
        ),
        (
            admin,
            mintCall {
                to: alice,
                value: U256::from(u64::MAX),
            }
            .abi_encode(),
        ),
    ];
    for (sender, calldata) in steps {
        let out = execute(
            &token,
            &calldata,
            &as_sender(sender),
            &mut api,
            GAS,
            &config,
        );
        assert_eq!(out.status, Status::Success);
    }
    measure(
        "LRT balanceOf",
        &token,
        &balanceOfCall { account: alice }.abi_encode(),
        &as_sender(alice),
        &mut api,
    );
    measure(
        "LRT transfer (1 wei, same recipient)",
        &token,
        &transferCall {
            to: Address::repeat_byte(0xb0),
            value: U256::from(1),
        }
        .abi_encode(),
        &as_sender(alice),
        &mut api,
    );
}
