//! Stylus programs on the chain: activation and its errors, storage, logs, value transfers,
//! Stylus->Stylus calls, reverts in nested calls, reentrancy, static-call protection,
//! delegatecall and create1/create2 from a program. The programs are small WAT modules.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chain_support;

use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolError};
use chain_support::*;
use devnode::precompiles::ARB_WASM;
use devnode::ChainError;

/// A test program driven by the first calldata byte:
/// 1 store(slot, value); 2 load(slot); 3 call(addr, value, data), revert on failure;
/// 4 log(topic, data); 5 create1(value, code); 6 create2(value, salt, code);
/// 7 store(slot, value) then revert with the rest; 8 try-static-call(addr, data) -> status ++ data;
/// 9 msg_reentrant; 10 delegatecall(addr, data); 11 msg_value ++ msg_sender;
/// 12 try-call(addr, value, data) -> status ++ data.
const PROGRAM: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $sload (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $scache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "delegate_call_contract" (func $dcall (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "static_call_contract" (func $scall (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
  (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
  (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
  (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "msg_sender" (func $msg_sender (param i32)))
  (memory (export "memory") 2)
  ;; 0..64 scratch, 64..84 created address, 96 return length, 1024.. args, 65537.. return data
  (func $finish (param $status i32) (result i32)
    (local $len i32)
    (local.set $len (i32.load (i32.const 96)))
    (drop (call $rrd (i32.const 65537) (i32.const 0) (local.get $len)))
    (call $write_result (i32.const 65537) (local.get $len))
    ;; not `select`: wasmi 2.0.0 miscompiles select(0, 1, eqz(x)) after a local.set from a load
    (i32.ne (local.get $status) (i32.const 0)))
  (func $finish_try (param $status i32) (result i32)
    (local $len i32)
    (local.set $len (i32.load (i32.const 96)))
    (i32.store8 (i32.const 65536) (local.get $status))
    (drop (call $rrd (i32.const 65537) (i32.const 0) (local.get $len)))
    (call $write_result (i32.const 65536) (i32.add (local.get $len) (i32.const 1)))
    (i32.const 0))
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $op i32)
    (call $read_args (i32.const 1024))
    (local.set $op (i32.load8_u (i32.const 1024)))
    (if (i32.eq (local.get $op) (i32.const 1)) (then
      (call $scache (i32.const 1025) (i32.const 1057))
      (call $flush (i32.const 0))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then
      (call $sload (i32.const 1025) (i32.const 0))
      (call $write_result (i32.const 0) (i32.const 32))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 3)) (then
      (return (call $finish (call $call (i32.const 1025) (i32.const 1077)
        (i32.sub (local.get $len) (i32.const 53)) (i32.const 1045) (i64.const -1) (i32.const 96))))))
    (if (i32.eq (local.get $op) (i32.const 4)) (then
      (call $log (i32.const 1025) (i32.sub (local.get $len) (i32.const 1)) (i32.const 1))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 5)) (then
      (call $create1 (i32.const 1057) (i32.sub (local.get $len) (i32.const 33)) (i32.const 1025)
        (i32.const 64) (i32.const 96))
      (call $write_result (i32.const 64) (i32.const 20))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 6)) (then
      (call $create2 (i32.const 1089) (i32.sub (local.get $len) (i32.const 65)) (i32.const 1025)
        (i32.const 1057) (i32.const 64) (i32.const 96))
      (call $write_result (i32.const 64) (i32.const 20))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 7)) (then
      (call $scache (i32.const 1025) (i32.const 1057))
      (call $flush (i32.const 0))
      (call $write_result (i32.const 1089) (i32.sub (local.get $len) (i32.const 65)))
      (return (i32.const 1))))
    (if (i32.eq (local.get $op) (i32.const 8)) (then
      (return (call $finish_try (call $scall (i32.const 1025) (i32.const 1045)
        (i32.sub (local.get $len) (i32.const 21)) (i64.const -1) (i32.const 96))))))
    (if (i32.eq (local.get $op) (i32.const 9)) (then
      (i32.store8 (i32.const 31) (call $reentrant))
      (call $write_result (i32.const 0) (i32.const 32))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 10)) (then
      (return (call $finish (call $dcall (i32.const 1025) (i32.const 1045)
        (i32.sub (local.get $len) (i32.const 21)) (i64.const -1) (i32.const 96))))))
    (if (i32.eq (local.get $op) (i32.const 11)) (then
      (call $msg_value (i32.const 0))
      (call $msg_sender (i32.const 32))
      (call $write_result (i32.const 0) (i32.const 52))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 12)) (then
      (return (call $finish_try (call $call (i32.const 1025) (i32.const 1077)
        (i32.sub (local.get $len) (i32.const 53)) (i32.const 1045) (i64.const -1) (i32.const 96))))))
    (i32.const 1)))"#;

fn program() -> Vec<u8> {
    wat(PROGRAM)
}

fn word(n: u64) -> [u8; 32] {
    U256::from(n).to_be_bytes()
}

fn op(code: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut v = vec![code];
    for p in parts {
        v.extend_from_slice(p);
    }
    v
}

fn store(slot: u64, value: u64) -> Vec<u8> {
    op(1, &[&word(slot), &word(value)])
}

fn load(slot: u64) -> Vec<u8> {
    op(2, &[&word(slot)])
}

fn call_op(code: u8, to: Address, value: u64, data: &[u8]) -> Vec<u8> {
    op(code, &[to.as_slice(), &word(value), data])
}

fn setup() -> (devnode::Chain, Address, Address) {
    let mut c = chain();
    let me = dev(&c, 0);
    let p = deploy_wasm(&mut c, me, &program());
    (c, me, p)
}

#[test]
fn storage_round_trip_and_logs_in_receipts() {
    let (mut c, me, p) = setup();
    assert!(c
        .code(p, latest())
        .unwrap()
        .starts_with(&[0xEF, 0xF0, 0x00]));
    let r = send(&mut c, req(me, p, store(7, 42))).unwrap();
    assert!(r.status());
    assert!(
        r.gas_used > 21_000 + 20_000,
        "a fresh slot costs an SSTORE: {}",
        r.gas_used
    );
    assert_eq!(call(&mut c, me, p, load(7)).unwrap().as_ref(), &word(42));
    assert_eq!(
        c.storage_at(p, U256::from(7), latest()).unwrap(),
        B256::from(word(42))
    );

    let topic = B256::repeat_byte(0xAB);
    let r = send(&mut c, req(me, p, op(4, &[topic.as_slice(), b"hello"]))).unwrap();
    let logs = r.inner.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].address(), p);
    assert_eq!(logs[0].topics(), &[topic]);
    assert_eq!(logs[0].data().data.as_ref(), b"hello");
    let filter = alloy::rpc::types::Filter::new().address(p).from_block(0u64);
    assert_eq!(c.logs(&filter).unwrap().len(), 1);
}

#[test]
fn activation_errors_are_typed() {
    let mut c = chain();
    let me = dev(&c, 0);
    let code = stylus_runtime::code::encode(&program());
    let p = create(&mut c, me, init_code(&code));
    // Calling before activation.
    let err = call(&mut c, me, p, load(0)).unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        output.as_ref(),
        IArbWasm::ProgramNotActivated {}.abi_encode().as_slice()
    );
    // Too little value for the data fee.
    let r = req(
        me,
        ARB_WASM,
        IArbWasm::activateProgramCall { program: p }.abi_encode(),
    );
    let err = c.call(&r, latest(), None).unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    let e = IArbWasm::ProgramInsufficientValue::abi_decode(&output).unwrap();
    assert_eq!(e.have, U256::ZERO);
    assert!(e.want > U256::ZERO);
    // Activation with the exact fee refunds nothing; with more, the excess comes back.
    let before = c.balance(me, latest()).unwrap();
    let receipt = activate(&mut c, me, p, U256::from(ETHER)).unwrap();
    assert!(receipt.status());
    let gas = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
    let spent = before - c.balance(me, latest()).unwrap() - gas;
    assert_eq!(spent, e.want, "only the data fee is kept");
    assert_eq!(receipt.inner.logs().len(), 1, "ProgramActivated");
    // Version queries.
    let codehash = keccak256(&code);
    let v = call(
        &mut c,
        me,
        ARB_WASM,
        IArbWasm::codehashVersionCall { codehash }.abi_encode(),
    )
    .unwrap();
    assert_eq!(
        IArbWasm::codehashVersionCall::abi_decode_returns(&v).unwrap(),
        2
    );
    let v = call(
        &mut c,
        me,
        ARB_WASM,
        IArbWasm::programVersionCall { program: p }.abi_encode(),
    )
    .unwrap();
    assert_eq!(
        IArbWasm::programVersionCall::abi_decode_returns(&v).unwrap(),
        2
    );
    // Activating again.
    let mut again = req(
        me,
        ARB_WASM,
        IArbWasm::activateProgramCall { program: p }.abi_encode(),
    );
    again.value = Some(U256::from(ETHER));
    let err = c.call(&again, latest(), None).unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        output.as_ref(),
        IArbWasm::ProgramUpToDate {}.abi_encode().as_slice()
    );
    // Now it runs.
    assert_eq!(call(&mut c, me, p, load(0)).unwrap().as_ref(), &word(0));
    // An EOA is not a program.
    let err = c
        .call(
            &req(
                me,
                ARB_WASM,
                IArbWasm::programVersionCall { program: me }.abi_encode(),
            ),
            latest(),
            None,
        )
        .unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        output.as_ref(),
        IArbWasm::ProgramNotWasm {}.abi_encode().as_slice()
    );
}

#[test]
fn invalid_wasm_is_refused_at_activation() {
    let mut c = chain();
    let me = dev(&c, 0);
    let floats = wat(r#"(module
        (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i32) (result i32)
          (drop (f32.add (f32.const 1) (f32.const 2)))
          (i32.const 0)))"#);
    let p = create(
        &mut c,
        me,
        init_code(&stylus_runtime::code::encode(&floats)),
    );
    let mut r = req(
        me,
        ARB_WASM,
        IArbWasm::activateProgramCall { program: p }.abi_encode(),
    );
    r.value = Some(U256::from(ETHER));
    let err = c.call(&r, latest(), None).unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    let reason = alloy::sol_types::Revert::abi_decode(&output)
        .unwrap()
        .reason;
    assert!(reason.contains("activation failed"), "{reason}");
    // Code starting with 0xEF that is not Stylus is still refused at deployment (EIP-3541).
    let mut bad = vec![0xEF, 0x00, 0x01];
    bad.extend_from_slice(&[0; 8]);
    let r = send_with_gas(
        &mut c,
        alloy::rpc::types::TransactionRequest {
            from: Some(me),
            to: Some(alloy::primitives::TxKind::Create),
            input: Bytes::from(init_code(&bad)).into(),
            ..Default::default()
        },
        500_000,
    );
    assert!(!r.status());
}

#[test]
fn value_transfers_into_and_out_of_a_program() {
    let (mut c, me, p) = setup();
    let other = Address::repeat_byte(0x77);
    // Send 5 wei to the program and have it forward 3 to `other`.
    let mut r = req(me, p, call_op(3, other, 3, &[]));
    r.value = Some(U256::from(5));
    let receipt = send(&mut c, r).unwrap();
    assert!(receipt.status());
    assert_eq!(c.balance(p, latest()).unwrap(), U256::from(2));
    assert_eq!(c.balance(other, latest()).unwrap(), U256::from(3));
    // msg_value and msg_sender as the program sees them.
    let mut r = req(me, p, op(11, &[]));
    r.value = Some(U256::from(9));
    let out = c.call(&r, latest(), None).unwrap();
    assert_eq!(&out[..32], &word(9));
    assert_eq!(&out[32..52], me.as_slice());
    // Forwarding more than it holds fails the inner call, so the outer call reverts.
    let err = call(&mut c, me, p, call_op(3, other, 100, &[])).unwrap_err();
    assert!(matches!(err, ChainError::Revert { .. }), "{err:?}");
}

#[test]
fn nested_revert_rolls_back_only_the_inner_call() {
    let (mut c, me, a) = setup();
    let b = deploy_wasm(&mut c, me, &program());
    // A try-calls B, which writes slot 1 then reverts with "nope"; A then succeeds.
    let inner = op(7, &[&word(1), &word(99), b"nope"]);
    let out = send(&mut c, req(me, a, call_op(12, b, 0, &inner))).unwrap();
    assert!(out.status());
    let got = call(&mut c, me, a, call_op(12, b, 0, &inner)).unwrap();
    assert_eq!(got[0], 1, "inner status is failure");
    assert_eq!(&got[1..], b"nope", "revert data reaches the caller");
    assert_eq!(
        c.storage_at(b, U256::from(1), latest()).unwrap(),
        B256::ZERO
    );
    // A successful inner write persists.
    send(&mut c, req(me, a, call_op(12, b, 0, &store(1, 5)))).unwrap();
    assert_eq!(
        c.storage_at(b, U256::from(1), latest()).unwrap(),
        B256::from(word(5))
    );
    // When the outer call reverts, the inner write goes too.
    let r = send_with_gas(
        &mut c,
        req(me, a, op(7, &[&word(2), &word(1), b""])),
        200_000,
    );
    assert!(!r.status());
    assert_eq!(
        c.storage_at(a, U256::from(2), latest()).unwrap(),
        B256::ZERO
    );
}

#[test]
fn msg_reentrant_sees_the_program_further_up_the_stack() {
    let (mut c, me, a) = setup();
    let b = deploy_wasm(&mut c, me, &program());
    assert_eq!(call(&mut c, me, a, op(9, &[])).unwrap().as_ref(), &word(0));
    // A -> B -> A(msg_reentrant)
    let back = call_op(3, a, 0, &op(9, &[]));
    let out = call(&mut c, me, a, call_op(3, b, 0, &back)).unwrap();
    assert_eq!(out.as_ref(), &word(1));
    // A -> B(msg_reentrant) is not reentrant for B.
    let out = call(&mut c, me, a, call_op(3, b, 0, &op(9, &[]))).unwrap();
    assert_eq!(out.as_ref(), &word(0));
}

#[test]
fn static_calls_cannot_write() {
    let (mut c, me, a) = setup();
    let b = deploy_wasm(&mut c, me, &program());
    let out = call(&mut c, me, a, op(8, &[b.as_slice(), &store(3, 3)])).unwrap();
    assert_ne!(out[0], 0, "a write inside a static call fails");
    let out = call(
        &mut c,
        me,
        a,
        op(8, &[b.as_slice(), &op(4, &[&[1u8; 32], b"x"])]),
    )
    .unwrap();
    assert_ne!(out[0], 0, "a log inside a static call fails");
    // Reads are fine.
    send(&mut c, req(me, b, store(3, 8))).unwrap();
    let out = call(&mut c, me, a, op(8, &[b.as_slice(), &load(3)])).unwrap();
    assert_eq!(out[0], 0);
    assert_eq!(&out[1..], &word(8));
}

#[test]
fn delegatecall_writes_the_callers_storage() {
    let (mut c, me, a) = setup();
    let b = deploy_wasm(&mut c, me, &program());
    let r = send(&mut c, req(me, a, op(10, &[b.as_slice(), &store(4, 44)]))).unwrap();
    assert!(r.status());
    assert_eq!(
        c.storage_at(a, U256::from(4), latest()).unwrap(),
        B256::from(word(44))
    );
    assert_eq!(
        c.storage_at(b, U256::from(4), latest()).unwrap(),
        B256::ZERO
    );
    // msg_sender inside the delegate call is the original caller.
    let out = call(&mut c, me, a, op(10, &[b.as_slice(), &op(11, &[])])).unwrap();
    assert_eq!(&out[32..52], me.as_slice());
}

#[test]
fn create1_and_create2_from_a_program() {
    let (mut c, me, a) = setup();
    // EVM init code returning the 1-byte runtime 0x2a... (PUSH1 0x2a PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN)
    let evm_init = [0x60, 0x2a, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3];
    let nonce = c.nonce(a, latest()).unwrap();
    let r = send(&mut c, req(me, a, op(5, &[&word(0), &evm_init]))).unwrap();
    assert!(r.status());
    let expected = a.create(nonce);
    assert_eq!(c.code(expected, latest()).unwrap().as_ref(), &[0x2a]);
    assert_eq!(c.nonce(a, latest()).unwrap(), nonce + 1);

    let salt = B256::repeat_byte(3);
    let out = call(
        &mut c,
        me,
        a,
        op(6, &[&word(0), salt.as_slice(), &evm_init]),
    )
    .unwrap();
    let expected2 = a.create2(salt, keccak256(evm_init));
    assert_eq!(Address::from_slice(&out), expected2);
    send(
        &mut c,
        req(me, a, op(6, &[&word(0), salt.as_slice(), &evm_init])),
    )
    .unwrap();
    assert_eq!(c.code(expected2, latest()).unwrap().as_ref(), &[0x2a]);
    // The same salt again collides: address zero.
    let out = call(
        &mut c,
        me,
        a,
        op(6, &[&word(0), salt.as_slice(), &evm_init]),
    )
    .unwrap();
    assert_eq!(Address::from_slice(&out), Address::ZERO);

    // A program deploys a Stylus program; once activated it runs.
    let child_code = stylus_runtime::code::encode(&program());
    let out = call(&mut c, me, a, op(5, &[&word(0), &init_code(&child_code)])).unwrap();
    let child = Address::from_slice(&out);
    send(
        &mut c,
        req(me, a, op(5, &[&word(0), &init_code(&child_code)])),
    )
    .unwrap();
    assert!(c
        .code(child, latest())
        .unwrap()
        .starts_with(&[0xEF, 0xF0, 0x00]));
    send(&mut c, req(me, child, store(1, 1))).unwrap();
    assert_eq!(call(&mut c, me, child, load(1)).unwrap().as_ref(), &word(1));
}

#[test]
fn gas_estimates_are_sufficient_and_tight() {
    let (mut c, me, p) = setup();
    let r = req(me, p, store(9, 9));
    let est = c.estimate_gas(&r, latest(), None).unwrap();
    let receipt = send_with_gas(&mut c, r.clone(), est);
    assert!(receipt.status(), "the estimate is enough");
    assert!(receipt.gas_used <= est);
    // Slot 9 is now set: a rewrite is cheaper than the first write.
    let r2 = req(me, p, store(9, 10));
    let est2 = c.estimate_gas(&r2, latest(), None).unwrap();
    assert!(est2 < est, "{est2} < {est}");
    let low = send_with_gas(&mut c, r2, est2 * 9 / 10);
    assert!(!low.status(), "10% less than the estimate runs out of gas");
}

#[test]
fn deep_nesting_of_program_calls() {
    let (mut c, me, a) = setup();
    let b = deploy_wasm(&mut c, me, &program());
    // a -> a -> b -> a -> ... -> b (40 nested calls; each holds 2 WASM pages, and pages open across the stack get expensive); the innermost call (to b) stores slot 5.
    let depth = 40;
    let mut data = store(5, 55);
    for level in 0..depth {
        let to = if level % 2 == 0 { b } else { a };
        data = call_op(3, to, 0, &data);
    }
    let r = send_with_gas(&mut c, req(me, a, data), 30_000_000);
    assert!(r.status(), "nested calls succeed");
    assert_eq!(
        c.storage_at(b, U256::from(5), latest()).unwrap(),
        B256::from(word(55))
    );
    assert_eq!(
        c.storage_at(a, U256::from(5), latest()).unwrap(),
        B256::ZERO
    );
}

#[test]
fn activations_survive_a_state_file() {
    let (mut c, me, p) = setup();
    send(&mut c, req(me, p, store(3, 33))).unwrap();
    let dir = std::env::temp_dir().join(format!("devnode-stylus-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    c.save_state(&path).unwrap();
    let mut d = devnode::Chain::load_state(devnode::ChainConfig::default(), &path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    // The program runs (compiled again from its code) and its storage is there.
    assert_eq!(call(&mut d, me, p, load(3)).unwrap().as_ref(), &word(33));
    assert!(send(&mut d, req(me, p, store(3, 34))).unwrap().status());
    assert_eq!(call(&mut d, me, p, load(3)).unwrap().as_ref(), &word(34));
}

#[test]
fn activation_can_be_checked_with_a_state_override() {
    // What `cargo stylus check` does: eth_call activateProgram with the code placed by override.
    let mut c = chain();
    let me = dev(&c, 0);
    let spot = Address::repeat_byte(0x5c);
    let code = Bytes::from(stylus_runtime::code::encode(&program()));
    let overrides: alloy::rpc::types::state::StateOverride = [(
        spot,
        alloy::rpc::types::state::AccountOverride {
            code: Some(code),
            ..Default::default()
        },
    )]
    .into_iter()
    .collect();
    let mut r = req(
        me,
        ARB_WASM,
        IArbWasm::activateProgramCall { program: spot }.abi_encode(),
    );
    r.value = Some(U256::from(ETHER));
    let out = c.call(&r, latest(), Some(&overrides)).unwrap();
    let ret = IArbWasm::activateProgramCall::abi_decode_returns(&out).unwrap();
    assert_eq!(ret.version, 2);
    assert!(ret.dataFee > U256::ZERO);
    let est = c.estimate_gas(&r, latest(), Some(&overrides)).unwrap();
    assert!(est > 1_000_000, "activation is expensive: {est}");
    // Nothing was committed.
    assert!(c.code(spot, latest()).unwrap().is_empty());
    assert_eq!(c.block_number(), 0);
}
