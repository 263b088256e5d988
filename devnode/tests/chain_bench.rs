//! Throughput of the chain (figures printed, not asserted). Run in release:
//!
//! ```text
//! cargo test -p devnode --release --test chain_bench -- --ignored --nocapture
//! ```

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chain_support;

use alloy::primitives::{keccak256, Address, TxKind, B256, U256};
use alloy::rpc::types::TransactionRequest;
use alloy::sol;
use alloy::sol_types::{SolCall, SolValue};
use chain_support::*;
use devnode::chain::tx::sign_request;
use std::time::Instant;

sol! {
    function grantRole(bytes32 role, address account);
    function mint(address to, uint256 value);
    function transfer(address to, uint256 value) returns (bool);
    function balanceOf(address account) returns (uint256);
}

const STORE_PROGRAM: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $scache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (call $scache (i32.const 0) (i32.const 32))
    (call $flush (i32.const 0))
    (i32.const 0)))"#;

fn presigned(
    c: &devnode::Chain,
    from_idx: usize,
    to: Address,
    data: Vec<u8>,
    n: u64,
    gas: u64,
) -> Vec<Vec<u8>> {
    let (from, key) = c.dev_accounts()[from_idx];
    let start = c.nonce(from, latest()).unwrap();
    (0..n)
        .map(|i| {
            let r = TransactionRequest {
                from: Some(from),
                to: Some(TxKind::Call(to)),
                value: Some(U256::from(1)),
                input: data.clone().into(),
                ..TransactionRequest::default()
            };
            sign_request(&r, key, c.chain_id(), start + i, gas, c.base_fee()).unwrap()
        })
        .collect()
}

#[allow(clippy::float_arithmetic)] // a printed rate
fn rate(label: &str, n: u64, f: impl FnOnce()) {
    let t = Instant::now();
    f();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label:<44} {n:>6} in {secs:>7.3} s = {:>9.0}/s",
        n as f64 / secs
    );
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture (release)"]
fn throughput() {
    let mut c = chain();
    let n = 2_000;
    let txs = presigned(&c, 0, Address::repeat_byte(0x99), vec![], n, 21_000);
    rate("plain transfers (raw, automine, 1 tx/block)", n, || {
        for raw in &txs {
            c.send_raw_transaction(raw).unwrap();
        }
    });

    let me = dev(&c, 1);
    let store = deploy_wasm(&mut c, me, &wat(STORE_PROGRAM));
    let (from, key) = c.dev_accounts()[2];
    let txs: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            // slot 1 := i + 1
            let mut data = U256::from(1).to_be_bytes::<32>().to_vec();
            data.extend_from_slice(&U256::from(i + 1).to_be_bytes::<32>());
            let r = req(from, store, data);
            sign_request(&r, key, c.chain_id(), i, 100_000, c.base_fee()).unwrap()
        })
        .collect();
    rate("Stylus SSTORE transactions (WAT program)", n, || {
        for raw in &txs {
            c.send_raw_transaction(raw).unwrap();
        }
    });

    // The LRT token.
    let admin = dev(&c, 3);
    let wasm = contract_wasm("lrt-token");
    let mut ctor = keccak256(b"stylus_constructor()")[..4].to_vec();
    ctor.extend(("Restaked ETH".to_string(), "rsETH".to_string(), admin).abi_encode_params());
    let (token, r) = deploy_via_deployer(&mut c, admin, &wasm, ctor, B256::ZERO).unwrap();
    println!(
        "gas: LRT deploy via StylusDeployer (activation + constructor) {}",
        r.gas_used
    );
    let role = keccak256("MINTER_ROLE");
    let r = send(
        &mut c,
        req(
            admin,
            token,
            grantRoleCall {
                role,
                account: admin,
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    println!("gas: LRT grantRole {}", r.gas_used);
    let r = send(
        &mut c,
        req(
            admin,
            token,
            mintCall {
                to: admin,
                value: U256::from(u64::MAX),
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    println!("gas: LRT mint (fresh balance) {}", r.gas_used);
    let r = send(
        &mut c,
        req(
            admin,
            token,
            transferCall {
                to: me,
                value: U256::from(1),
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    println!("gas: LRT transfer (fresh recipient) {}", r.gas_used);
    let r = send(
        &mut c,
        req(
            admin,
            token,
            transferCall {
                to: me,
                value: U256::from(1),
            }
            .abi_encode(),
        ),
    )
    .unwrap();
    println!("gas: LRT transfer (existing recipient) {}", r.gas_used);

    let calls = 2_000;
    let bal = balanceOfCall { account: admin }.abi_encode();
    rate("LRT balanceOf eth_call", calls, || {
        for _ in 0..calls {
            call(&mut c, admin, token, bal.clone()).unwrap();
        }
    });
    let (from, key) = c.dev_accounts()[3];
    let start = c.nonce(from, latest()).unwrap();
    let txs: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let r = req(
                from,
                token,
                transferCall {
                    to: me,
                    value: U256::from(1),
                }
                .abi_encode(),
            );
            sign_request(&r, key, c.chain_id(), start + i, 200_000, c.base_fee()).unwrap()
        })
        .collect();
    rate("LRT transfer transactions", n, || {
        for raw in &txs {
            c.send_raw_transaction(raw).unwrap();
        }
    });
    println!("blocks: {}", c.block_number());
}
