//! Calls between a Solidity contract (compiled with the repository's solcjs) and a Stylus
//! program, in both directions, with value, return data and revert data.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chain_support;

use alloy::primitives::{Address, Bytes, U256};
use alloy::sol;
use alloy::sol_types::{SolCall, SolEvent, SolValue};
use chain_support::*;
use devnode::ChainError;

sol! {
    interface IBridge {
        function forward(address target, bytes data) external payable returns (bytes);
        function tryForward(address target, bytes data) external returns (bool ok, bytes ret);
        function hit() external payable returns (uint256);
        function hits() external view returns (uint256);
        event Hit(address from, uint256 value);
    }
}

/// A Stylus program that stores its calldata's second word at slot 0 when the first byte is 1,
/// returns slot 0 when it is 2, calls `address(args[1..21])` with `args[21..]` (bubbling revert
/// data) when it is 3, and reverts with `args[1..]` when it is 4.
const PROGRAM: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $sload (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $scache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $op i32) (local $status i32) (local $rlen i32)
    (call $read_args (i32.const 1024))
    (local.set $op (i32.load8_u (i32.const 1024)))
    (if (i32.eq (local.get $op) (i32.const 1)) (then
      (i32.store (i32.const 0) (i32.const 0))
      (call $scache (i32.const 512) (i32.const 1025))
      (call $flush (i32.const 0))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then
      (call $sload (i32.const 512) (i32.const 0))
      (call $write_result (i32.const 0) (i32.const 32))
      (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 3)) (then
      (local.set $status (call $call (i32.const 1025) (i32.const 1045)
        (i32.sub (local.get $len) (i32.const 21)) (i32.const 256) (i64.const -1) (i32.const 96)))
      (local.set $rlen (i32.load (i32.const 96)))
      (drop (call $rrd (i32.const 65536) (i32.const 0) (local.get $rlen)))
      (call $write_result (i32.const 65536) (local.get $rlen))
      (return (local.get $status))))
    (if (i32.eq (local.get $op) (i32.const 4)) (then
      (call $write_result (i32.const 1025) (i32.sub (local.get $len) (i32.const 1)))
      (return (i32.const 1))))
    (i32.const 1)))"#;

fn setup() -> (devnode::Chain, Address, Address, Address) {
    let mut c = chain();
    let me = dev(&c, 0);
    let (init, _) = solc(&[("Bridge.sol", &sol_source("Bridge.sol"))], "Bridge");
    let bridge = create(&mut c, me, init);
    let program = deploy_wasm(&mut c, me, &wat(PROGRAM));
    (c, me, bridge, program)
}

fn forward(target: Address, data: Vec<u8>) -> Vec<u8> {
    IBridge::forwardCall {
        target,
        data: data.into(),
    }
    .abi_encode()
}

#[test]
fn solidity_calls_stylus_with_return_and_revert_data() {
    let (mut c, me, bridge, program) = setup();
    let mut store = vec![1u8];
    store.extend_from_slice(&U256::from(77).to_be_bytes::<32>());
    let r = send(&mut c, req(me, bridge, forward(program, store))).unwrap();
    assert!(r.status());
    let out = call(&mut c, me, bridge, forward(program, vec![2])).unwrap();
    let ret = Bytes::abi_decode(&out).unwrap();
    assert_eq!(U256::from_be_slice(&ret), U256::from(77));

    // The program's revert data comes out of the Solidity contract unchanged.
    let mut revert = vec![4u8];
    revert.extend_from_slice(b"stylus says no");
    let err = call(&mut c, me, bridge, forward(program, revert.clone())).unwrap_err();
    let ChainError::Revert { output, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(output.as_ref(), b"stylus says no");
    let out = call(
        &mut c,
        me,
        bridge,
        IBridge::tryForwardCall {
            target: program,
            data: revert.into(),
        }
        .abi_encode(),
    )
    .unwrap();
    let (ok, data) = <(bool, Bytes)>::abi_decode_params(&out).unwrap();
    assert!(!ok);
    assert_eq!(data.as_ref(), b"stylus says no");
}

#[test]
fn stylus_calls_solidity_and_back() {
    let (mut c, me, bridge, program) = setup();
    // EOA -> Bridge.forward -> program -> Bridge.hit()
    let mut to_hit = vec![3u8];
    to_hit.extend_from_slice(bridge.as_slice());
    to_hit.extend_from_slice(&IBridge::hitCall {}.abi_encode());
    let r = send(&mut c, req(me, bridge, forward(program, to_hit.clone()))).unwrap();
    assert!(r.status());
    let hits = call(&mut c, me, bridge, IBridge::hitsCall {}.abi_encode()).unwrap();
    assert_eq!(U256::abi_decode(&hits).unwrap(), U256::from(1));
    let hit = r
        .inner
        .logs()
        .iter()
        .find_map(|l| IBridge::Hit::decode_log(&l.inner).ok())
        .expect("Hit event");
    assert_eq!(
        hit.from, program,
        "the program is msg.sender inside the EVM contract"
    );
    // The EVM contract's return value comes back through the program and the bridge.
    let out = call(&mut c, me, bridge, forward(program, to_hit)).unwrap();
    let ret = Bytes::abi_decode(&out).unwrap();
    assert_eq!(U256::abi_decode(&ret).unwrap(), U256::from(2));
}

#[test]
fn value_flows_through_both_machines() {
    let (mut c, me, bridge, program) = setup();
    // EOA --5 wei--> Bridge --5--> program (payable by construction: WAT has no checks).
    let mut r = req(me, bridge, forward(program, vec![2]));
    r.value = Some(U256::from(5));
    assert!(send(&mut c, r).unwrap().status());
    assert_eq!(c.balance(program, latest()).unwrap(), U256::from(5));
    assert_eq!(c.balance(bridge, latest()).unwrap(), U256::ZERO);
}
