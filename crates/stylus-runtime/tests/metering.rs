//! Ink metering: prices follow the public table, more work costs more, running out of ink
//! stops the program and consumes all gas.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use stylus_runtime::pricing::{HOSTIO_INK, MEMORY_BYTE_INK};
use stylus_runtime::Status;

const INK: &str = r#"(import "vm_hooks" "evm_ink_left" (func $ink (result i64)))"#;

/// Loops `n` times, then returns the ink left (read at the very end) as 8 LE bytes.
fn counting_loop(n: u32) -> String {
    module(
        &format!("{INK} {WRITE_RESULT}"),
        &format!(
            "(local $i i32)
             (loop $l
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (i32.const {n}))))
             (i64.store (i32.const 0) (call $ink))
             (call $write_result (i32.const 0) (i32.const 8))
             (i32.const 0)"
        ),
    )
}

fn ink_after(wat: &str, gas: u64) -> u64 {
    let out = run_ctx(wat, b"", &mut MockApi::new(), &ctx(), gas);
    assert_eq!(out.status, Status::Success);
    u64::from_le_bytes(out.output[..8].try_into().unwrap())
}

#[test]
fn each_loop_iteration_costs_exactly_its_table_prices() {
    // local.get 75 + i32.const 1 + i32.add 70 + local.set 210
    // + local.get 75 + i32.const 1 + i32.lt_u 170 + br_if 765 = 1,367 ink.
    let a = ink_after(&counting_loop(1_000), 10_000_000);
    let b = ink_after(&counting_loop(3_000), 10_000_000);
    assert_eq!(a - b, 2_000 * 1_367);
}

#[test]
fn more_work_costs_more_gas() {
    let gas = |n| {
        let out = run_ctx(
            &counting_loop(n),
            b"",
            &mut MockApi::new(),
            &ctx(),
            10_000_000,
        );
        10_000_000 - out.gas_left
    };
    let (small, large) = (gas(10), gas(100_000));
    assert!(large > small + 10_000, "{small} {large}");
}

#[test]
fn bulk_memory_operations_charge_per_byte() {
    let fill = |len: u32| {
        module(
            &format!("{INK} {WRITE_RESULT}"),
            &format!(
                "(memory.fill (i32.const 100) (i32.const 7) (i32.const {len}))
                 (i64.store (i32.const 0) (call $ink))
                 (call $write_result (i32.const 0) (i32.const 8))
                 (i32.const 0)"
            ),
        )
    };
    let a = ink_after(&fill(0), 1_000_000);
    let b = ink_after(&fill(10_000), 1_000_000);
    assert_eq!(a - b, 10_000 * MEMORY_BYTE_INK);
}

#[test]
fn hostios_cost_their_base_price() {
    let wat = module(
        &format!("{INK} {WRITE_RESULT}"),
        "(i64.store (i32.const 0) (call $ink))
         (i64.store (i32.const 8) (call $ink))
         (call $write_result (i32.const 0) (i32.const 16))
         (i32.const 0)",
    );
    let out = run(&wat, b"", &mut MockApi::new());
    let first = u64::from_le_bytes(out.output[..8].try_into().unwrap());
    let second = u64::from_le_bytes(out.output[8..16].try_into().unwrap());
    assert_eq!(first - second, HOSTIO_INK);
}

#[test]
fn an_endless_loop_runs_out_of_ink_and_consumes_all_gas() {
    let wat = module("", "(loop $l (br $l)) (i32.const 0)");
    let out = run_ctx(&wat, b"", &mut MockApi::new(), &ctx(), 50_000);
    assert_eq!(out.status, Status::OutOfInk);
    assert_eq!(out.gas_left, 0);
    assert!(out.output.is_empty());
}

#[test]
fn running_out_inside_a_hostio_is_out_of_ink() {
    let wat = module(
        r#"(import "vm_hooks" "native_keccak256" (func $k (param i32 i32 i32)))"#,
        "(call $k (i32.const 0) (i32.const 60000) (i32.const 0)) (i32.const 0)",
    );
    // 60,000 bytes = 1,875 words x 21,000 ink = ~3,950 gas; give 2,000.
    let out = run_ctx(&wat, b"", &mut MockApi::new(), &ctx(), 2_000);
    assert_eq!(out.status, Status::OutOfInk);
    assert_eq!(out.gas_left, 0);
    let out = run_ctx(&wat, b"", &mut MockApi::new(), &ctx(), 10_000);
    assert_eq!(out.status, Status::Success);
}

#[test]
fn storage_flush_at_exit_can_run_out_of_ink() {
    let wat = module(
        r#"(import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
           (data (i32.const 32) "\01")"#,
        "(call $cache (i32.const 0) (i32.const 32)) (i32.const 0)",
    );
    // Enough for the code, not for a 22,100-gas SSTORE at flush.
    let mut api = MockApi::new();
    let out = run_ctx(&wat, b"", &mut api, &ctx(), 10_000);
    assert_eq!(out.status, Status::OutOfInk);
    let out = run_ctx(&wat, b"", &mut MockApi::new(), &ctx(), 100_000);
    assert_eq!(out.status, Status::Success);
    assert!(100_000 - out.gas_left > SSTORE_SET);
}

#[test]
fn too_little_gas_for_the_memory_footprint_is_out_of_ink() {
    let wat = r#"(module (memory (export "memory") 20)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    // 18 paid pages x 1,000 gas.
    let out = run_ctx(wat, b"", &mut MockApi::new(), &ctx(), 5_000);
    assert_eq!(out.status, Status::OutOfInk);
    let out = run_ctx(wat, b"", &mut MockApi::new(), &ctx(), 100_000);
    assert_eq!(out.status, Status::Success);
}

#[test]
fn a_program_cannot_grow_memory_past_the_page_limit() {
    let wat = module(
        WRITE_RESULT,
        "(i32.store (i32.const 0) (memory.grow (i32.const 200)))
         (call $write_result (i32.const 0) (i32.const 4))
         (i32.const 0)",
    );
    let out = run(&wat, b"", &mut MockApi::new());
    assert_eq!(out.output, (-1i32).to_le_bytes());
}

#[test]
fn deep_recursion_fails_instead_of_overflowing_the_host() {
    let wat = r#"(module (memory (export "memory") 1)
        (func $r (call $r))
        (func (export "user_entrypoint") (param i32) (result i32) (call $r) (i32.const 0)))"#;
    let out = run_ctx(wat, b"", &mut MockApi::new(), &ctx(), 100_000_000);
    assert!(matches!(out.status, Status::Failure(_)), "{:?}", out.status);
}
