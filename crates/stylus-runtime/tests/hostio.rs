//! One or more WAT programs per hostio, run against the mock chain.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use alloy_primitives::{keccak256, Address, B256, U256};
use common::*;
use stylus_runtime::{CallKind, CallOutcome, CallStatus, Config, CreateOutcome, Status};

const STORAGE: &str = r#"
    (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))"#;

fn key(n: u8) -> B256 {
    B256::repeat_byte(n)
}

#[test]
fn read_args_and_write_result_echo_calldata() {
    let wat = module(
        &format!(r#"(import "vm_hooks" "read_args" (func $read_args (param i32))) {WRITE_RESULT}"#),
        "(call $read_args (i32.const 16)) (call $write_result (i32.const 16) (local.get $len)) (i32.const 0)",
    );
    let out = run(&wat, b"calldata bytes", &mut MockApi::new());
    assert_eq!(out.status, Status::Success);
    assert_eq!(out.output, b"calldata bytes");
}

#[test]
fn nonzero_entrypoint_status_reverts_with_output_and_keeps_gas() {
    let wat = module(
        &format!(r#"{WRITE_RESULT} (data (i32.const 0) "oops")"#),
        "(call $write_result (i32.const 0) (i32.const 4)) (i32.const 1)",
    );
    let out = run(&wat, b"", &mut MockApi::new());
    assert_eq!(out.status, Status::Revert);
    assert_eq!(out.output, b"oops");
    assert!(
        out.gas_left > 900_000,
        "revert keeps unused gas: {}",
        out.gas_left
    );
}

#[test]
fn exit_early_ends_the_run_with_its_status() {
    let imports = format!(
        r#"(import "vm_hooks" "exit_early" (func $exit (param i32))) {WRITE_RESULT} (data (i32.const 0) "done")"#
    );
    // After exit_early nothing runs: the trailing `unreachable` would be a failure.
    let ok = module(
        &imports,
        "(call $write_result (i32.const 0) (i32.const 4)) (call $exit (i32.const 0)) unreachable",
    );
    let out = run(&ok, b"", &mut MockApi::new());
    assert_eq!(out.status, Status::Success);
    assert_eq!(out.output, b"done");

    let revert = module(
        &imports,
        "(call $write_result (i32.const 0) (i32.const 4)) (call $exit (i32.const 3)) unreachable",
    );
    let out = run(&revert, b"", &mut MockApi::new());
    assert_eq!(out.status, Status::Revert);
    assert_eq!(out.output, b"done");
}

#[test]
fn storage_cache_serves_reads_and_flushes_on_success() {
    let wat = module(
        &format!(
            r#"{STORAGE} {WRITE_RESULT}
            (data (i32.const 0) "{}") (data (i32.const 32) "{}")"#,
            wat_bytes(key(1).as_slice()),
            wat_bytes(&word(42))
        ),
        "(call $cache (i32.const 0) (i32.const 32))
         (call $load (i32.const 0) (i32.const 64))
         (call $write_result (i32.const 64) (i32.const 32))
         (i32.const 0)",
    );
    let mut api = MockApi::new();
    let out = run(&wat, b"", &mut api);
    assert_eq!(out.status, Status::Success);
    assert_eq!(out.output, word(42));
    assert_eq!(api.sloads, 0, "the cached write answers the read");
    assert_eq!(api.sstores, vec![(key(1), B256::from(word(42)))]);
}

#[test]
fn storage_load_reads_the_chain_once_then_hits_the_cache() {
    let wat = module(
        &format!(
            r#"{STORAGE} {WRITE_RESULT} (data (i32.const 0) "{}")"#,
            wat_bytes(key(2).as_slice())
        ),
        "(call $load (i32.const 0) (i32.const 64))
         (call $load (i32.const 0) (i32.const 64))
         (call $write_result (i32.const 64) (i32.const 32))
         (i32.const 0)",
    );
    let mut api = MockApi::new();
    api.storage.insert(key(2), B256::from(word(99)));
    let out = run(&wat, b"", &mut api);
    assert_eq!(out.output, word(99));
    assert_eq!(api.sloads, 1);
    assert!(api.sstores.is_empty(), "clean slots are not written back");
}

#[test]
fn storage_writes_are_discarded_on_revert() {
    let wat = module(
        &format!(
            r#"{STORAGE} (data (i32.const 0) "{}") (data (i32.const 32) "{}")"#,
            wat_bytes(key(3).as_slice()),
            wat_bytes(&word(5))
        ),
        "(call $cache (i32.const 0) (i32.const 32)) (i32.const 1)",
    );
    let mut api = MockApi::new();
    let out = run(&wat, b"", &mut api);
    assert_eq!(out.status, Status::Revert);
    assert!(api.sstores.is_empty());
    assert!(api.storage.is_empty());
}

#[test]
fn storage_flush_writes_immediately_and_clear_empties_the_cache() {
    let wat = module(
        &format!(
            r#"{STORAGE} (data (i32.const 0) "{}") (data (i32.const 32) "{}")"#,
            wat_bytes(key(4).as_slice()),
            wat_bytes(&word(6))
        ),
        // Flush with clear, then load again (must go to the chain), then revert: the flushed
        // write already reached the chain, which is the host's to roll back.
        "(call $cache (i32.const 0) (i32.const 32))
         (call $flush (i32.const 1))
         (call $load (i32.const 0) (i32.const 64))
         (i32.const 1)",
    );
    let mut api = MockApi::new();
    let out = run(&wat, b"", &mut api);
    assert_eq!(out.status, Status::Revert);
    assert_eq!(api.sstores.len(), 1);
    assert_eq!(
        api.sloads, 1,
        "the cleared cache sends the read to the chain"
    );
}

#[test]
fn storage_write_costs_sstore_gas() {
    let body = |n: usize| {
        let mut b = String::new();
        for i in 0..n {
            b.push_str(&format!(
                "(i32.store8 (i32.const 0) (i32.const {})) (call $cache (i32.const 0) (i32.const 32))",
                i + 1
            ));
        }
        b.push_str("(i32.const 0)");
        b
    };
    let run_n = |n| {
        let wat = module(
            &format!(
                r#"{STORAGE} (data (i32.const 32) "{}")"#,
                wat_bytes(&word(1))
            ),
            &body(n),
        );
        let mut api = MockApi::new();
        let out = run(&wat, b"", &mut api);
        assert_eq!(out.status, Status::Success);
        assert_eq!(api.sstores.len(), n);
        1_000_000 - out.gas_left
    };
    let one = run_n(1);
    let three = run_n(3);
    // Each new slot costs the mock's 20,000 + 2,100 (cold) gas at flush.
    assert!(
        three - one >= 2 * (SSTORE_SET + COLD_SLOAD),
        "{one} {three}"
    );
}

#[test]
fn transient_storage_round_trips() {
    let wat = module(
        &format!(
            r#"(import "vm_hooks" "transient_load_bytes32" (func $tload (param i32 i32)))
            (import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))
            {WRITE_RESULT}
            (data (i32.const 0) "{}") (data (i32.const 32) "{}")"#,
            wat_bytes(key(7).as_slice()),
            wat_bytes(&word(77))
        ),
        "(call $tstore (i32.const 0) (i32.const 32))
         (call $tload (i32.const 0) (i32.const 64))
         (call $write_result (i32.const 64) (i32.const 32))
         (i32.const 0)",
    );
    let mut api = MockApi::new();
    let out = run(&wat, b"", &mut api);
    assert_eq!(out.output, word(77));
    assert_eq!(api.transient.get(&key(7)), Some(&B256::from(word(77))));
    assert!(api.sstores.is_empty());
}

const CALLS: &str = r#"
    (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "delegate_call_contract" (func $dcall (param i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "static_call_contract" (func $scall (param i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "return_data_size" (func $rds (result i32)))
    (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))"#;

/// Memory: 0..20 target address, 32..64 value, 64..68 input "ping"; results at 200.
fn call_module(call: &str) -> String {
    module(
        &format!(
            r#"{CALLS} {STORAGE} {WRITE_RESULT}
            (data (i32.const 0) "{}") (data (i32.const 32) "{}") (data (i32.const 64) "ping")
            (data (i32.const 96) "{}")"#,
            wat_bytes(Address::repeat_byte(0x77).as_slice()),
            wat_bytes(&word(1000)),
            wat_bytes(key(9).as_slice()),
        ),
        &format!(
            "(call $cache (i32.const 96) (i32.const 32))
             (i32.store (i32.const 200) {call})
             (i32.store (i32.const 208) (call $rds))
             (i32.store (i32.const 212) (call $rrd (i32.const 216) (i32.const 1) (i32.const 100)))
             (call $write_result (i32.const 200) (i32.const 40))
             (i32.const 0)"
        ),
    )
}

fn le(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

#[test]
fn call_contract_passes_everything_and_exposes_return_data() {
    let wat = call_module(
        "(call $call (i32.const 0) (i32.const 64) (i32.const 4) (i32.const 32) (i64.const -1) (i32.const 204))",
    );
    let mut api = MockApi::new();
    api.call_reply = Some(CallOutcome {
        status: CallStatus::Success,
        gas_used: 5_000,
        return_data: b"pong-result".to_vec(),
    });
    let out = run(&wat, b"", &mut api);
    assert_eq!(out.status, Status::Success);
    let call = &api.calls[0];
    assert_eq!(call.kind, CallKind::Call);
    assert_eq!(call.to, Address::repeat_byte(0x77));
    assert_eq!(call.input, b"ping");
    assert_eq!(call.value, U256::from(1000));
    assert_eq!(
        call.sstores_before, 1,
        "dirty storage is flushed before the call"
    );
    // u64::MAX requested: capped at all but one 64th of what was left.
    assert!(call.gas < 1_000_000 - 1_000_000 / 64, "{}", call.gas);
    assert!(call.gas > 900_000, "{}", call.gas);
    let o = &out.output;
    assert_eq!(le(o, 0), 0, "status success");
    assert_eq!(le(o, 4), 11, "return data length at ret_len_ptr");
    assert_eq!(le(o, 8), 11, "return_data_size");
    assert_eq!(
        le(o, 12),
        10,
        "read_return_data copies from offset 1 to the end"
    );
    assert_eq!(&o[16..26], b"ong-result");
}

#[test]
fn call_contract_honours_a_smaller_gas_limit_and_reports_failures() {
    let wat = call_module(
        "(call $call (i32.const 0) (i32.const 64) (i32.const 4) (i32.const 32) (i64.const 12345) (i32.const 204))",
    );
    for (status, code) in [
        (CallStatus::Revert, 1),
        (CallStatus::OutOfGas, 2),
        (CallStatus::Failure, 1),
    ] {
        let mut api = MockApi::new();
        api.call_reply = Some(CallOutcome {
            status,
            gas_used: 12_345,
            return_data: b"why".to_vec(),
        });
        let out = run(&wat, b"", &mut api);
        assert_eq!(api.calls[0].gas, 12_345);
        assert_eq!(le(&out.output, 0), code, "{status:?}");
        assert_eq!(le(&out.output, 4), 3);
    }
}

#[test]
fn call_gas_used_is_charged_to_the_caller() {
    let wat = call_module(
        "(call $call (i32.const 0) (i32.const 64) (i32.const 4) (i32.const 32) (i64.const -1) (i32.const 204))",
    );
    let gas_used = |callee: u64| {
        let mut api = MockApi::new();
        api.call_reply = Some(CallOutcome {
            status: CallStatus::Success,
            gas_used: callee,
            return_data: vec![],
        });
        1_000_000 - run(&wat, b"", &mut api).gas_left
    };
    assert_eq!(gas_used(50_000) - gas_used(10_000), 40_000);
}

#[test]
fn delegate_and_static_calls_have_their_kinds_and_no_value() {
    for (call, kind) in [
        (
            "(call $dcall (i32.const 0) (i32.const 64) (i32.const 4) (i64.const -1) (i32.const 204))",
            CallKind::DelegateCall,
        ),
        (
            "(call $scall (i32.const 0) (i32.const 64) (i32.const 4) (i64.const -1) (i32.const 204))",
            CallKind::StaticCall,
        ),
    ] {
        let mut api = MockApi::new();
        let out = run(&call_module(call), b"", &mut api);
        assert_eq!(out.status, Status::Success);
        assert_eq!(api.calls[0].kind, kind);
        assert_eq!(api.calls[0].value, U256::ZERO);
        assert_eq!(api.calls[0].input, b"ping");
    }
}

fn static_ctx() -> stylus_runtime::CallContext {
    stylus_runtime::CallContext {
        is_static: true,
        ..ctx()
    }
}

#[test]
fn static_context_refuses_value_calls_with_write_protection_status() {
    let wat = module(
        &format!(
            r#"{CALLS} {WRITE_RESULT} (data (i32.const 32) "{}")"#,
            wat_bytes(&word(1))
        ),
        "(i32.store (i32.const 200) (call $call (i32.const 0) (i32.const 64) (i32.const 0) (i32.const 32) (i64.const -1) (i32.const 204)))
         (call $write_result (i32.const 200) (i32.const 4))
         (i32.const 0)",
    );
    let mut api = MockApi::new();
    let out = run_ctx(&wat, b"", &mut api, &static_ctx(), 1_000_000);
    assert_eq!(out.status, Status::Success);
    assert_eq!(le(&out.output, 0), 3);
    assert!(api.calls.is_empty());
}

#[test]
fn static_context_fails_storage_writes_logs_creates_and_transient_stores() {
    let cases = [
        module(STORAGE, "(call $cache (i32.const 0) (i32.const 32)) (i32.const 0)"),
        module(
            r#"(import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))"#,
            "(call $log (i32.const 0) (i32.const 8) (i32.const 0)) (i32.const 0)",
        ),
        module(
            r#"(import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))"#,
            "(call $create1 (i32.const 0) (i32.const 4) (i32.const 32) (i32.const 64) (i32.const 96)) (i32.const 0)",
        ),
        module(
            r#"(import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))"#,
            "(call $tstore (i32.const 0) (i32.const 32)) (i32.const 0)",
        ),
    ];
    for wat in cases {
        let mut api = MockApi::new();
        let out = run_ctx(&wat, b"", &mut api, &static_ctx(), 1_000_000);
        match &out.status {
            Status::Failure(why) => assert!(why.contains("write protection"), "{why}"),
            other => panic!("expected a write-protection failure, got {other:?}"),
        }
        assert_eq!(out.gas_left, 0);
        assert!(api.sstores.is_empty() && api.logs.is_empty() && api.creates.is_empty());
        assert!(api.transient.is_empty());
    }
}

#[test]
fn a_host_refusing_sstore_fails_the_program() {
    let wat = module(
        STORAGE,
        "(call $cache (i32.const 0) (i32.const 32)) (i32.const 0)",
    );
    let mut api = MockApi::new();
    api.write_protected = true;
    let out = run(&wat, b"", &mut api);
    assert!(matches!(out.status, Status::Failure(_)), "{:?}", out.status);
}

#[test]
fn create1_and_create2_write_the_address_and_pass_salt_and_endowment() {
    let imports = format!(
        r#"(import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
        (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
        {WRITE_RESULT}
        (data (i32.const 0) "code") (data (i32.const 32) "{}") (data (i32.const 64) "{}")"#,
        wat_bytes(&word(55)),
        wat_bytes(key(0x5a).as_slice()),
    );
    let c1 = module(
        &imports,
        "(call $create1 (i32.const 0) (i32.const 4) (i32.const 32) (i32.const 100) (i32.const 120))
         (call $write_result (i32.const 100) (i32.const 24)) (i32.const 0)",
    );
    let mut api = MockApi::new();
    let out = run(&c1, b"", &mut api);
    assert_eq!(&out.output[..20], Address::repeat_byte(0xc0).as_slice());
    assert_eq!(le(&out.output, 20), 0);
    assert_eq!(api.creates[0].code, b"code");
    assert_eq!(api.creates[0].endowment, U256::from(55));
    assert_eq!(api.creates[0].salt, None);

    let c2 = module(
        &imports,
        "(call $create2 (i32.const 0) (i32.const 4) (i32.const 32) (i32.const 64) (i32.const 100) (i32.const 120))
         (call $write_result (i32.const 100) (i32.const 24)) (i32.const 0)",
    );
    let mut api = MockApi::new();
    api.create_reply = Some(CreateOutcome {
        address: None,
        gas_used: 40_000,
        return_data: b"nope".to_vec(),
    });
    let out = run(&c2, b"", &mut api);
    assert_eq!(api.creates[0].salt, Some(key(0x5a)));
    assert_eq!(
        &out.output[..20],
        Address::ZERO.as_slice(),
        "failure writes address zero"
    );
    assert_eq!(le(&out.output, 20), 4, "revert data length");
}

#[test]
fn emit_log_splits_topics_and_data_and_limits_topics() {
    let imports = format!(
        r#"(import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
        (data (i32.const 0) "{}{}payload")"#,
        wat_bytes(key(0x11).as_slice()),
        wat_bytes(key(0x22).as_slice()),
    );
    let mut api = MockApi::new();
    let out = run(
        &module(
            &imports,
            "(call $log (i32.const 0) (i32.const 71) (i32.const 2)) (i32.const 0)",
        ),
        b"",
        &mut api,
    );
    assert_eq!(out.status, Status::Success);
    assert_eq!(
        api.logs,
        vec![(vec![key(0x11), key(0x22)], b"payload".to_vec())]
    );

    let out = run(
        &module(
            &imports,
            "(call $log (i32.const 0) (i32.const 200) (i32.const 5)) (i32.const 0)",
        ),
        b"",
        &mut MockApi::new(),
    );
    assert!(matches!(out.status, Status::Failure(_)));
}

#[test]
fn account_hostios_read_balance_code_size_and_hash() {
    let who = Address::repeat_byte(0x42);
    let wat = module(
        &format!(
            r#"(import "vm_hooks" "account_balance" (func $bal (param i32 i32)))
            (import "vm_hooks" "account_code" (func $code (param i32 i32 i32 i32) (result i32)))
            (import "vm_hooks" "account_code_size" (func $size (param i32) (result i32)))
            (import "vm_hooks" "account_codehash" (func $hash (param i32 i32)))
            {WRITE_RESULT} (data (i32.const 0) "{}")"#,
            wat_bytes(who.as_slice())
        ),
        "(call $bal (i32.const 0) (i32.const 100))
         (call $hash (i32.const 0) (i32.const 132))
         (i32.store (i32.const 164) (call $size (i32.const 0)))
         (i32.store (i32.const 168) (call $code (i32.const 0) (i32.const 2) (i32.const 100) (i32.const 172)))
         (call $write_result (i32.const 100) (i32.const 80))
         (i32.const 0)",
    );
    let mut api = MockApi::new();
    api.balances.insert(who, U256::from(123_456));
    api.codes.insert(who, b"0123456789".to_vec());
    let out = run(&wat, b"", &mut api);
    let o = &out.output;
    assert_eq!(&o[0..32], &word(123_456));
    assert_eq!(&o[32..64], keccak256(b"0123456789").as_slice());
    assert_eq!(le(o, 64), 10);
    assert_eq!(le(o, 68), 8, "code copied from offset 2 to the end");
    assert_eq!(&o[72..80], b"23456789");
}

#[test]
fn account_access_gas_is_charged() {
    let wat = |n: u8| {
        let mut body = String::new();
        for i in 0..n {
            body.push_str(&format!(
                "(i32.store8 (i32.const 0) (i32.const {i})) (call $bal (i32.const 0) (i32.const 100))"
            ));
        }
        body.push_str("(i32.const 0)");
        module(
            r#"(import "vm_hooks" "account_balance" (func $bal (param i32 i32)))"#,
            &body,
        )
    };
    let used = |n| 1_000_000 - run(&wat(n), b"", &mut MockApi::new()).gas_left;
    assert!(used(3) - used(1) >= 2 * COLD_ACCOUNT);
}

#[test]
fn gas_and_ink_left_decrease_and_agree() {
    let wat = module(
        &format!(
            r#"(import "vm_hooks" "evm_gas_left" (func $gas (result i64)))
            (import "vm_hooks" "evm_ink_left" (func $ink (result i64))) {WRITE_RESULT}"#
        ),
        "(i64.store (i32.const 0) (call $ink))
         (i64.store (i32.const 8) (call $gas))
         (i64.store (i32.const 16) (call $ink))
         (call $write_result (i32.const 0) (i32.const 24))
         (i32.const 0)",
    );
    let out = run(&wat, b"", &mut MockApi::new());
    let v = |i: usize| u64::from_le_bytes(out.output[i..i + 8].try_into().unwrap());
    let (ink1, gas, ink2) = (v(0), v(8), v(16));
    assert!(ink1 > ink2);
    assert!(ink1 < 1_000_000 * 10_000);
    assert!(
        gas <= ink1 / 10_000 && gas >= ink2 / 10_000,
        "{ink1} {gas} {ink2}"
    );
}

#[test]
fn block_message_and_tx_getters_return_the_context() {
    let wat = module(
        &format!(
            r#"(import "vm_hooks" "block_basefee" (func $basefee (param i32)))
            (import "vm_hooks" "block_coinbase" (func $coinbase (param i32)))
            (import "vm_hooks" "block_gas_limit" (func $gaslimit (result i64)))
            (import "vm_hooks" "block_number" (func $number (result i64)))
            (import "vm_hooks" "block_timestamp" (func $timestamp (result i64)))
            (import "vm_hooks" "chainid" (func $chainid (result i64)))
            (import "vm_hooks" "contract_address" (func $address (param i32)))
            (import "vm_hooks" "msg_sender" (func $sender (param i32)))
            (import "vm_hooks" "msg_value" (func $value (param i32)))
            (import "vm_hooks" "tx_gas_price" (func $gasprice (param i32)))
            (import "vm_hooks" "tx_ink_price" (func $inkprice (result i32)))
            (import "vm_hooks" "tx_origin" (func $origin (param i32)))
            (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
            {WRITE_RESULT}"#
        ),
        "(call $basefee (i32.const 0))
         (call $coinbase (i32.const 32))
         (i64.store (i32.const 52) (call $gaslimit))
         (i64.store (i32.const 60) (call $number))
         (i64.store (i32.const 68) (call $timestamp))
         (i64.store (i32.const 76) (call $chainid))
         (call $address (i32.const 84))
         (call $sender (i32.const 104))
         (call $value (i32.const 124))
         (call $gasprice (i32.const 156))
         (i32.store (i32.const 188) (call $inkprice))
         (call $origin (i32.const 192))
         (i32.store (i32.const 212) (call $reentrant))
         (call $write_result (i32.const 0) (i32.const 216))
         (i32.const 0)",
    );
    let c = ctx();
    let out = run(&wat, b"", &mut MockApi::new());
    let o = &out.output;
    let u64_at = |i: usize| u64::from_le_bytes(o[i..i + 8].try_into().unwrap());
    assert_eq!(&o[0..32], &c.basefee.to_be_bytes::<32>());
    assert_eq!(&o[32..52], c.coinbase.as_slice());
    assert_eq!(u64_at(52), c.block_gas_limit);
    assert_eq!(u64_at(60), c.block_number);
    assert_eq!(u64_at(68), c.timestamp);
    assert_eq!(u64_at(76), c.chain_id);
    assert_eq!(&o[84..104], c.address.as_slice());
    assert_eq!(&o[104..124], c.sender.as_slice());
    assert_eq!(&o[124..156], &c.value.to_be_bytes::<32>());
    assert_eq!(&o[156..188], &c.gas_price.to_be_bytes::<32>());
    assert_eq!(le(o, 188), 10_000);
    assert_eq!(&o[192..212], c.origin.as_slice());
    assert_eq!(le(o, 212), 0);

    let reentrant = stylus_runtime::CallContext {
        reentrant: true,
        ..ctx()
    };
    let out = run_ctx(&wat, b"", &mut MockApi::new(), &reentrant, 1_000_000);
    assert_eq!(le(&out.output, 212), 1);
}

fn math(op: &str, args: &[U256]) -> U256 {
    let mut data = String::new();
    for (i, a) in args.iter().enumerate() {
        data.push_str(&format!(
            r#"(data (i32.const {}) "{}")"#,
            i * 32,
            wat_bytes(&a.to_be_bytes::<32>())
        ));
    }
    let params = "i32 ".repeat(args.len());
    let call_args: String = (0..args.len())
        .map(|i| format!("(i32.const {}) ", i * 32))
        .collect();
    let wat = module(
        &format!(r#"(import "vm_hooks" "{op}" (func $op (param {params}))) {WRITE_RESULT} {data}"#),
        &format!("(call $op {call_args}) (call $write_result (i32.const 0) (i32.const 32)) (i32.const 0)"),
    );
    let out = run(&wat, b"", &mut MockApi::new());
    assert_eq!(out.status, Status::Success, "{op}");
    U256::from_be_slice(&out.output)
}

#[test]
fn math_hostios_follow_evm_semantics() {
    let u = U256::from;
    assert_eq!(math("math_div", &[u(100), u(7)]), u(14));
    assert_eq!(math("math_div", &[u(100), u(0)]), u(0));
    assert_eq!(math("math_mod", &[u(100), u(7)]), u(2));
    assert_eq!(math("math_mod", &[u(100), u(0)]), u(0));
    assert_eq!(math("math_pow", &[u(3), u(5)]), u(243));
    assert_eq!(math("math_pow", &[u(2), u(256)]), u(0), "wraps like EXP");
    assert_eq!(
        math("math_add_mod", &[U256::MAX, u(2), u(10)]),
        U256::MAX.add_mod(u(2), u(10))
    );
    assert_eq!(math("math_add_mod", &[u(1), u(2), u(0)]), u(0));
    assert_eq!(
        math("math_mul_mod", &[U256::MAX, U256::MAX, u(12345)]),
        U256::MAX.mul_mod(U256::MAX, u(12345))
    );
    assert_eq!(math("math_mul_mod", &[u(3), u(4), u(5)]), u(2));
}

#[test]
fn native_keccak256_hashes_memory() {
    let wat = module(
        &format!(
            r#"(import "vm_hooks" "native_keccak256" (func $keccak (param i32 i32 i32))) {WRITE_RESULT}
            (data (i32.const 0) "hello stylus")"#
        ),
        "(call $keccak (i32.const 0) (i32.const 12) (i32.const 100)) (call $write_result (i32.const 100) (i32.const 32)) (i32.const 0)",
    );
    let out = run(&wat, b"", &mut MockApi::new());
    assert_eq!(out.output, keccak256(b"hello stylus").as_slice());
}

#[test]
fn pay_for_memory_grow_asks_the_host_after_the_footprint() {
    let wat = r#"(module
        (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
        (memory (export "memory") 3)
        (func (export "user_entrypoint") (param i32) (result i32)
            (call $pay (i32.const 0))
            (call $pay (i32.const 5))
            (drop (memory.grow (i32.const 5)))
            (i32.const 0)))"#;
    let mut api = MockApi::new();
    let out = run(wat, b"", &mut api);
    assert_eq!(out.status, Status::Success);
    assert_eq!(
        api.pages_added,
        vec![3, 5],
        "footprint on entry, then the explicit 5 pages"
    );
    assert_eq!(api.ever_pages, 8);
}

#[test]
fn console_logs_reach_the_host_in_debug_mode() {
    let wat = r#"(module
        (import "console" "log_txt" (func $txt (param i32 i32)))
        (import "console" "log_i64" (func $i64 (param i64)))
        (import "console" "tee_i32" (func $tee (param i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 0) "hi there")
        (func (export "user_entrypoint") (param i32) (result i32)
            (call $txt (i32.const 0) (i32.const 8))
            (call $i64 (i64.const -5))
            (drop (call $tee (i32.const 9)))
            (i32.const 0)))"#;
    let config = Config {
        debug: true,
        ..Config::default()
    };
    let program = program_with(wat, &config);
    let mut api = MockApi::new();
    let out = stylus_runtime::execute(&program, b"", &ctx(), &mut api, 1_000_000, &config);
    assert_eq!(out.status, Status::Success);
    assert_eq!(api.console, vec!["hi there", "-5", "9"]);
}

#[test]
fn out_of_bounds_pointers_fail_the_program() {
    let wat = module(
        r#"(import "vm_hooks" "msg_sender" (func $sender (param i32)))"#,
        "(call $sender (i32.const 65530)) (i32.const 0)",
    );
    let out = run(&wat, b"", &mut MockApi::new());
    match out.status {
        Status::Failure(why) => assert!(why.contains("out of bounds"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(out.gas_left, 0);
}

#[test]
fn traps_fail_and_consume_all_gas() {
    let out = run(&module("", "unreachable"), b"", &mut MockApi::new());
    assert!(matches!(out.status, Status::Failure(_)));
    assert_eq!(out.gas_left, 0);
}
