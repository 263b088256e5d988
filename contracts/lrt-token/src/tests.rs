//! Unit and property tests of the LRT token on stylus-sdk's TestVM.
#![allow(clippy::unwrap_used)]

use alloc::{string::String, vec::Vec};
use std::collections::HashMap;

use alloy_primitives::{address, Address, FixedBytes, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolValue};
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use proptest::prelude::*;
use restake_shared::access::{ControlError, PAUSER_ROLE};
use restake_shared::admin::Administered;
use stylus_sdk::{crypto::keccak, host::VM, testing::TestVM};

use crate::permit::{DOMAIN_TYPEHASH, ECRECOVER, PERMIT_TYPEHASH};
use crate::*;
use restake_shared::erc20::{
    Approval, ERC20InsufficientAllowance, ERC20InsufficientBalance, Transfer,
};

const ADMIN: Address = address!("00000000000000000000000000000000000000ad");
const MINTER: Address = address!("000000000000000000000000000000000000000f");
const ALICE: Address = address!("000000000000000000000000000000000000a11c");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const TOKEN: Address = address!("1000000000000000000000000000000000000001");
const CHAIN_ID: u64 = 412_346;

fn setup() -> (TestVM, LrtToken) {
    let vm = TestVM::new();
    vm.set_contract_address(TOKEN);
    vm.set_chain_id(CHAIN_ID);
    vm.set_block_timestamp(1_000);
    let mut token = LrtToken::from(&vm);
    vm.set_sender(address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990"));
    token
        .constructor(
            String::from("Restaked Ether"),
            String::from("rstETH"),
            ADMIN,
        )
        .unwrap();
    vm.set_sender(ADMIN);
    token.grant_role(MINTER_ROLE, MINTER).unwrap();
    (vm, token)
}

fn mint(vm: &TestVM, token: &mut LrtToken, to: Address, value: u64) {
    vm.set_sender(MINTER);
    token.mint(to, U256::from(value)).unwrap();
}

fn last_log(vm: &TestVM) -> (Vec<B256>, Vec<u8>) {
    vm.get_emitted_logs().last().cloned().unwrap()
}

#[test]
fn constructor_sets_metadata_and_admin() {
    let (_vm, token) = setup();
    assert_eq!(token.name(), "Restaked Ether");
    assert_eq!(token.symbol(), "rstETH");
    assert_eq!(token.decimals(), 18);
    assert_eq!(token.total_supply(), U256::ZERO);
    assert_eq!(token.admin(), ADMIN);
    assert!(token.has_role(MINTER_ROLE, MINTER));
    assert!(!token.has_role(MINTER_ROLE, ADMIN));
    assert_eq!(token.minter_role(), keccak(b"MINTER_ROLE"));
    assert_eq!(PAUSER_ROLE, keccak(b"PAUSER_ROLE"));
}

#[test]
fn constructor_rejects_bad_input() {
    let vm = TestVM::new();
    let mut token = LrtToken::from(&vm);
    let r = token.constructor(String::new(), String::from("X"), ADMIN);
    assert!(matches!(r, Err(LrtError::InvalidMetadata(_))));
    let r = token.constructor(String::from("X"), String::new(), ADMIN);
    assert!(matches!(r, Err(LrtError::InvalidMetadata(_))));
    let r = token.constructor(String::from("X").repeat(32), String::from("X"), ADMIN);
    assert!(matches!(r, Err(LrtError::InvalidMetadata(_))));
    let r = token.constructor(String::from("X"), String::from("X"), Address::ZERO);
    assert!(matches!(r, Err(LrtError::InvalidAccount(_))));
}

#[test]
fn mint_is_minter_only_and_emits_transfer() {
    let (vm, mut token) = setup();
    vm.set_sender(ALICE);
    let r = token.mint(ALICE, U256::from(5));
    match r {
        Err(LrtError::Unauthorized(e)) => {
            assert_eq!(e.account, ALICE);
            assert_eq!(e.neededRole, MINTER_ROLE);
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(token.total_supply(), U256::ZERO);
    mint(&vm, &mut token, ALICE, 5);
    assert_eq!(token.balance_of(ALICE), U256::from(5));
    assert_eq!(token.total_supply(), U256::from(5));
    let (topics, data) = last_log(&vm);
    let ev = Transfer::decode_raw_log(topics, &data).unwrap();
    assert_eq!(
        (ev.from, ev.to, ev.value),
        (Address::ZERO, ALICE, U256::from(5))
    );
}

#[test]
fn mint_rejects_zero_receiver_and_supply_overflow() {
    let (vm, mut token) = setup();
    vm.set_sender(MINTER);
    assert!(matches!(
        token.mint(Address::ZERO, U256::from(1)),
        Err(LrtError::InvalidReceiver(_))
    ));
    token.mint(ALICE, U256::MAX).unwrap();
    assert!(matches!(
        token.mint(BOB, U256::from(1)),
        Err(LrtError::Overflow(_))
    ));
    assert_eq!(token.balance_of(BOB), U256::ZERO);
    assert_eq!(token.total_supply(), U256::MAX);
}

#[test]
fn transfer_moves_balance_and_checks_input() {
    let (vm, mut token) = setup();
    mint(&vm, &mut token, ALICE, 10);
    vm.set_sender(ALICE);
    assert!(token.transfer(BOB, U256::from(4)).unwrap());
    assert_eq!(token.balance_of(ALICE), U256::from(6));
    assert_eq!(token.balance_of(BOB), U256::from(4));
    match token.transfer(BOB, U256::from(7)) {
        Err(LrtError::InsufficientBalance(e)) => {
            assert_eq!(
                (e.sender, e.balance, e.needed),
                (ALICE, U256::from(6), U256::from(7))
            );
        }
        other => panic!("expected InsufficientBalance, got {other:?}"),
    }
    assert!(matches!(
        token.transfer(Address::ZERO, U256::from(1)),
        Err(LrtError::InvalidReceiver(_))
    ));
    assert_eq!(token.balance_of(ALICE), U256::from(6));
    // A self-transfer keeps the balance.
    token.transfer(ALICE, U256::from(6)).unwrap();
    assert_eq!(token.balance_of(ALICE), U256::from(6));
}

#[test]
fn approve_and_transfer_from() {
    let (vm, mut token) = setup();
    mint(&vm, &mut token, ALICE, 10);
    vm.set_sender(ALICE);
    token.approve(BOB, U256::from(3)).unwrap();
    let (topics, data) = last_log(&vm);
    let ev = Approval::decode_raw_log(topics, &data).unwrap();
    assert_eq!(
        (ev.owner, ev.spender, ev.value),
        (ALICE, BOB, U256::from(3))
    );
    assert!(matches!(
        token.approve(Address::ZERO, U256::from(1)),
        Err(LrtError::InvalidSpender(_))
    ));

    vm.set_sender(BOB);
    token.transfer_from(ALICE, BOB, U256::from(2)).unwrap();
    assert_eq!(token.allowance(ALICE, BOB), U256::from(1));
    match token.transfer_from(ALICE, BOB, U256::from(2)) {
        Err(LrtError::InsufficientAllowance(e)) => {
            assert_eq!(
                (e.spender, e.allowance, e.needed),
                (BOB, U256::from(1), U256::from(2))
            );
        }
        other => panic!("expected InsufficientAllowance, got {other:?}"),
    }
    assert_eq!(token.balance_of(BOB), U256::from(2));

    // An unlimited allowance is never decreased.
    vm.set_sender(ALICE);
    token.approve(BOB, U256::MAX).unwrap();
    vm.set_sender(BOB);
    token.transfer_from(ALICE, BOB, U256::from(5)).unwrap();
    assert_eq!(token.allowance(ALICE, BOB), U256::MAX);
    // Insufficient balance with enough allowance changes nothing.
    assert!(matches!(
        token.transfer_from(ALICE, BOB, U256::from(4)),
        Err(LrtError::InsufficientBalance(_))
    ));
    assert_eq!(token.balance_of(ALICE), U256::from(3));
}

#[test]
fn burn_needs_role_and_allowance_for_others() {
    let (vm, mut token) = setup();
    mint(&vm, &mut token, ALICE, 10);
    mint(&vm, &mut token, MINTER, 10);
    vm.set_sender(ALICE);
    assert!(matches!(
        token.burn(ALICE, U256::from(1)),
        Err(LrtError::Unauthorized(_))
    ));
    vm.set_sender(MINTER);
    token.burn(MINTER, U256::from(4)).unwrap();
    assert_eq!(token.balance_of(MINTER), U256::from(6));
    assert!(matches!(
        token.burn(ALICE, U256::from(1)),
        Err(LrtError::InsufficientAllowance(_))
    ));
    vm.set_sender(ALICE);
    token.approve(MINTER, U256::from(3)).unwrap();
    vm.set_sender(MINTER);
    token.burn(ALICE, U256::from(3)).unwrap();
    assert_eq!(token.balance_of(ALICE), U256::from(7));
    assert_eq!(token.total_supply(), U256::from(13));
    assert!(matches!(
        token.burn(MINTER, U256::from(7)),
        Err(LrtError::InsufficientBalance(_))
    ));
    let (topics, data) = last_log(&vm);
    let ev = Transfer::decode_raw_log(topics, &data).unwrap();
    assert_eq!((ev.from, ev.to), (ALICE, Address::ZERO));
}

#[test]
fn transfer_from_as_respects_the_named_spenders_allowance() {
    let (vm, mut token) = setup();
    mint(&vm, &mut token, ALICE, 10);
    vm.set_sender(BOB);
    assert!(matches!(
        token.transfer_from_as(ALICE, ALICE, BOB, U256::from(1)),
        Err(LrtError::Unauthorized(_))
    ));
    vm.set_sender(MINTER);
    // The owner acting for itself needs no allowance.
    token
        .transfer_from_as(ALICE, ALICE, MINTER, U256::from(2))
        .unwrap();
    assert_eq!(token.balance_of(MINTER), U256::from(2));
    // An operator needs the owner's allowance.
    assert!(matches!(
        token.transfer_from_as(BOB, ALICE, MINTER, U256::from(1)),
        Err(LrtError::InsufficientAllowance(_))
    ));
    vm.set_sender(ALICE);
    token.approve(BOB, U256::from(5)).unwrap();
    vm.set_sender(MINTER);
    token
        .transfer_from_as(BOB, ALICE, MINTER, U256::from(5))
        .unwrap();
    assert_eq!(token.allowance(ALICE, BOB), U256::ZERO);
    assert_eq!(token.balance_of(ALICE), U256::from(3));
}

#[test]
fn pausing_by_group() {
    let (vm, mut token) = setup();
    mint(&vm, &mut token, ALICE, 10);
    vm.set_sender(ALICE);
    assert!(matches!(
        token.pause(GROUP_TRANSFER),
        Err(ControlError::Unauthorized(_))
    ));
    vm.set_sender(ADMIN);
    token.grant_role(PAUSER_ROLE, BOB).unwrap();
    vm.set_sender(BOB);
    token.pause(GROUP_TRANSFER).unwrap();
    assert!(token.paused(GROUP_TRANSFER));
    assert_eq!(token.paused_groups(), U256::from(1));
    assert!(matches!(
        token.pause(GROUP_TRANSFER),
        Err(ControlError::EnforcedPause(_))
    ));
    vm.set_sender(ALICE);
    assert!(matches!(
        token.transfer(BOB, U256::from(1)),
        Err(LrtError::EnforcedPause(_))
    ));
    assert!(matches!(
        token.transfer_from(ALICE, BOB, U256::from(1)),
        Err(LrtError::EnforcedPause(_))
    ));
    // Minting is a separate group and still works.
    mint(&vm, &mut token, ALICE, 1);
    vm.set_sender(BOB);
    token.pause(GROUP_MINT).unwrap();
    token.pause(GROUP_BURN).unwrap();
    vm.set_sender(MINTER);
    assert!(matches!(
        token.mint(ALICE, U256::from(1)),
        Err(LrtError::EnforcedPause(_))
    ));
    assert!(matches!(
        token.burn(MINTER, U256::from(0)),
        Err(LrtError::EnforcedPause(_))
    ));
    // The pauser cannot unpause; the admin can.
    vm.set_sender(BOB);
    assert!(matches!(
        token.unpause(GROUP_TRANSFER),
        Err(ControlError::Unauthorized(_))
    ));
    vm.set_sender(ADMIN);
    token.unpause(GROUP_TRANSFER).unwrap();
    assert!(matches!(
        token.unpause(GROUP_TRANSFER),
        Err(ControlError::ExpectedPause(_))
    ));
    vm.set_sender(ALICE);
    token.transfer(BOB, U256::from(1)).unwrap();
    assert_eq!(token.balance_of(ALICE), U256::from(10));
}

#[test]
fn admin_roles_and_two_step_transfer() {
    let (vm, mut token) = setup();
    vm.set_sender(ALICE);
    assert!(matches!(
        token.grant_role(MINTER_ROLE, ALICE),
        Err(ControlError::Unauthorized(_))
    ));
    assert!(matches!(
        token.revoke_role(MINTER_ROLE, MINTER),
        Err(ControlError::Unauthorized(_))
    ));
    assert!(matches!(
        token.transfer_admin(ALICE),
        Err(ControlError::Unauthorized(_))
    ));
    vm.set_sender(ADMIN);
    assert!(matches!(
        token.grant_role(MINTER_ROLE, Address::ZERO),
        Err(ControlError::InvalidAccount(_))
    ));
    token.transfer_admin(ALICE).unwrap();
    assert_eq!(token.pending_admin(), ALICE);
    assert_eq!(token.admin(), ADMIN);
    vm.set_sender(BOB);
    assert!(matches!(
        token.accept_admin(),
        Err(ControlError::Unauthorized(_))
    ));
    vm.set_sender(ALICE);
    token.accept_admin().unwrap();
    assert_eq!(token.admin(), ALICE);
    assert_eq!(token.pending_admin(), Address::ZERO);
    // The old admin lost its powers.
    vm.set_sender(ADMIN);
    assert!(matches!(
        token.grant_role(MINTER_ROLE, ADMIN),
        Err(ControlError::Unauthorized(_))
    ));
    vm.set_sender(ALICE);
    token.revoke_role(MINTER_ROLE, MINTER).unwrap();
    assert!(!token.has_role(MINTER_ROLE, MINTER));
    token.grant_role(MINTER_ROLE, BOB).unwrap();
    vm.set_sender(BOB);
    token.renounce_role(MINTER_ROLE);
    assert!(!token.has_role(MINTER_ROLE, BOB));
}

// ---------------------------------------------------------------- permit

fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

fn addr_of(key: &VerifyingKey) -> Address {
    let point = key.to_encoded_point(false);
    Address::from_slice(&keccak(&point.as_bytes()[1..])[12..])
}

fn domain_separator() -> B256 {
    keccak(
        (
            DOMAIN_TYPEHASH,
            keccak(b"Restaked Ether"),
            keccak(b"1"),
            U256::from(CHAIN_ID),
            TOKEN,
        )
            .abi_encode(),
    )
}

fn permit_digest(
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let sh = keccak((PERMIT_TYPEHASH, owner, spender, value, nonce, deadline).abi_encode());
    let mut m = b"\x19\x01".to_vec();
    m.extend_from_slice(domain_separator().as_slice());
    m.extend_from_slice(sh.as_slice());
    keccak(m)
}

fn sign(key: &SigningKey, digest: B256) -> (u8, FixedBytes<32>, FixedBytes<32>) {
    let (sig, rec) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let bytes = sig.to_bytes();
    (
        27 + rec.to_byte(),
        FixedBytes::from_slice(&bytes[..32]),
        FixedBytes::from_slice(&bytes[32..]),
    )
}

/// Registers what the real ecrecover precompile answers for `(digest, v, r, s)`.
fn mock_ecrecover(vm: &TestVM, digest: B256, v: u8, r: FixedBytes<32>, s: FixedBytes<32>) {
    let input = (digest, U256::from(v), r, s).abi_encode();
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(r.as_slice());
    sig[32..].copy_from_slice(s.as_slice());
    let out = Signature::from_slice(&sig)
        .ok()
        .and_then(|sig| {
            let rec = RecoveryId::from_byte(v - 27)?;
            VerifyingKey::recover_from_prehash(digest.as_slice(), &sig, rec).ok()
        })
        .map(|k| addr_of(&k).into_word().to_vec())
        .unwrap_or_default();
    vm.mock_static_call(ECRECOVER, input, Ok(out));
}

#[test]
fn domain_separator_matches_eip712() {
    let (_vm, token) = setup();
    assert_eq!(token.domain_separator(), domain_separator());
}

#[test]
fn permit_sets_allowance_once() {
    let (vm, mut token) = setup();
    let k = key(7);
    let owner = addr_of(k.verifying_key());
    let value = U256::from(1234);
    let deadline = U256::from(2_000);
    let digest = permit_digest(owner, BOB, value, U256::ZERO, deadline);
    let (v, r, s) = sign(&k, digest);
    mock_ecrecover(&vm, digest, v, r, s);
    vm.set_sender(BOB);
    token.permit(owner, BOB, value, deadline, v, r, s).unwrap();
    assert_eq!(token.allowance(owner, BOB), value);
    assert_eq!(token.nonces(owner), U256::from(1));
    let (topics, data) = last_log(&vm);
    assert_eq!(topics[0], Approval::SIGNATURE_HASH);
    let _ = data;

    // Replay: the nonce moved on, so the same signature recovers someone else.
    let replay_digest = permit_digest(owner, BOB, value, U256::from(1), deadline);
    mock_ecrecover(&vm, replay_digest, v, r, s);
    match token.permit(owner, BOB, value, deadline, v, r, s) {
        Err(LrtError::InvalidSigner(e)) => {
            assert_eq!(e.owner, owner);
            assert_ne!(e.signer, owner);
        }
        other => panic!("expected InvalidSigner, got {other:?}"),
    }
    assert_eq!(token.nonces(owner), U256::from(1));
}

#[test]
fn permit_rejects_expired_wrong_and_malleable_signatures() {
    let (vm, mut token) = setup();
    let k = key(9);
    let owner = addr_of(k.verifying_key());
    let value = U256::from(5);

    // Expired.
    vm.set_block_timestamp(3_000);
    let deadline = U256::from(2_999);
    let digest = permit_digest(owner, BOB, value, U256::ZERO, deadline);
    let (v, r, s) = sign(&k, digest);
    mock_ecrecover(&vm, digest, v, r, s);
    match token.permit(owner, BOB, value, deadline, v, r, s) {
        Err(LrtError::Expired(e)) => assert_eq!(e.deadline, deadline),
        other => panic!("expected Expired, got {other:?}"),
    }

    // Signed by another key.
    let deadline = U256::from(4_000);
    let digest = permit_digest(owner, BOB, value, U256::ZERO, deadline);
    let (v, r, s) = sign(&key(10), digest);
    mock_ecrecover(&vm, digest, v, r, s);
    assert!(matches!(
        token.permit(owner, BOB, value, deadline, v, r, s),
        Err(LrtError::InvalidSigner(_))
    ));

    // Malleable twin (s' = n - s, v flipped) and a bad v never reach the precompile.
    let (v, r, s) = sign(&k, digest);
    let n = U256::from_str_radix(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        16,
    )
    .unwrap();
    let s_high = FixedBytes::from(n - U256::from_be_bytes(s.0));
    let v_flip = if v == 27 { 28 } else { 27 };
    match token.permit(owner, BOB, value, deadline, v_flip, r, s_high) {
        Err(LrtError::InvalidSigner(e)) => assert_eq!(e.signer, Address::ZERO),
        other => panic!("expected InvalidSigner, got {other:?}"),
    }
    assert!(matches!(
        token.permit(owner, BOB, value, deadline, 29, r, s),
        Err(LrtError::InvalidSigner(_))
    ));
    assert_eq!(token.allowance(owner, BOB), U256::ZERO);
    assert_eq!(token.nonces(owner), U256::ZERO);
}

// ---------------------------------------------------------------- ABI dispatch

alloy_sol_types::sol! {
    function transfer(address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
    function mint(address to, uint256 value) external;
}

fn dispatch(
    vm: &TestVM,
    sender: Address,
    value: U256,
    calldata: Vec<u8>,
) -> Result<Vec<u8>, Vec<u8>> {
    vm.set_sender(sender);
    vm.set_value(value);
    let r = stylus_sdk::abi::router_entrypoint::<LrtToken, LrtToken>(
        calldata,
        VM {
            host: Box::new(vm.clone()),
        },
    );
    vm.set_value(U256::ZERO);
    r
}

#[test]
fn abi_dispatch_encodes_results_and_errors() {
    let (vm, mut token) = setup();
    mint(&vm, &mut token, ALICE, 10);
    let out = dispatch(
        &vm,
        ALICE,
        U256::ZERO,
        transferCall {
            to: BOB,
            value: U256::from(3),
        }
        .abi_encode(),
    )
    .unwrap();
    assert!(transferCall::abi_decode_returns(&out).unwrap());
    let out = dispatch(
        &vm,
        ALICE,
        U256::ZERO,
        balanceOfCall { account: BOB }.abi_encode(),
    )
    .unwrap();
    assert_eq!(
        balanceOfCall::abi_decode_returns(&out).unwrap(),
        U256::from(3)
    );

    // A typed custom error, ABI-encoded with its selector.
    let err = dispatch(
        &vm,
        ALICE,
        U256::ZERO,
        transferCall {
            to: BOB,
            value: U256::from(100),
        }
        .abi_encode(),
    )
    .unwrap_err();
    let decoded = ERC20InsufficientBalance::abi_decode(&err).unwrap();
    assert_eq!(
        (decoded.balance, decoded.needed),
        (U256::from(7), U256::from(100))
    );
    let err = dispatch(
        &vm,
        ALICE,
        U256::ZERO,
        mintCall {
            to: ALICE,
            value: U256::from(1),
        }
        .abi_encode(),
    )
    .unwrap_err();
    assert_eq!(
        err[..4],
        restake_shared::access::AccessControlUnauthorizedAccount::SELECTOR
    );
    let _ = ERC20InsufficientAllowance::SELECTOR;
}

#[test]
fn abi_dispatch_rejects_value_unknown_selectors_and_malformed_calldata() {
    let (vm, mut token) = setup();
    mint(&vm, &mut token, ALICE, 10);
    // ETH sent to a non-payable function: the SDK's revert with empty data; nothing moves.
    let err = dispatch(
        &vm,
        ALICE,
        U256::from(1),
        transferCall {
            to: BOB,
            value: U256::from(1),
        }
        .abi_encode(),
    )
    .unwrap_err();
    assert!(err.is_empty());
    assert_eq!(token.balance_of(BOB), U256::ZERO);
    // Unknown selector.
    assert!(dispatch(&vm, ALICE, U256::ZERO, vec![0xde, 0xad, 0xbe, 0xef]).is_err());
    // Too short for a selector.
    assert!(dispatch(&vm, ALICE, U256::ZERO, vec![0xa9]).is_err());
    // Truncated arguments.
    let mut data = transferCall {
        to: BOB,
        value: U256::from(1),
    }
    .abi_encode();
    data.truncate(40);
    assert!(dispatch(&vm, ALICE, U256::ZERO, data).is_err());
    assert_eq!(token.balance_of(ALICE), U256::from(10));
}

// ---------------------------------------------------------------- properties

#[derive(Debug, Clone)]
enum Op {
    Mint(usize, u64),
    Burn(usize, u64),
    Transfer(usize, usize, u64),
    Approve(usize, usize, u64),
    TransferFrom(usize, usize, usize, u64),
}

const ACTORS: [Address; 4] = [
    ALICE,
    BOB,
    MINTER,
    address!("000000000000000000000000000000000000c0de"),
];

fn op() -> impl Strategy<Value = Op> {
    let a = 0..ACTORS.len();
    let amt = prop_oneof![0u64..20, Just(u64::MAX)];
    prop_oneof![
        (a.clone(), amt.clone()).prop_map(|(x, v)| Op::Mint(x, v)),
        (a.clone(), amt.clone()).prop_map(|(x, v)| Op::Burn(x, v)),
        (a.clone(), a.clone(), amt.clone()).prop_map(|(x, y, v)| Op::Transfer(x, y, v)),
        (a.clone(), a.clone(), amt.clone()).prop_map(|(x, y, v)| Op::Approve(x, y, v)),
        (a.clone(), a.clone(), a, amt).prop_map(|(s, x, y, v)| Op::TransferFrom(s, x, y, v)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    /// Against a reference model: balances, allowances and supply match after every step, the
    /// supply equals the sum of balances, and a failed call changes nothing.
    #[test]
    fn erc20_matches_model(ops in proptest::collection::vec(op(), 1..40)) {
        let (vm, mut token) = setup();
        let mut bal: HashMap<Address, U256> = HashMap::new();
        let mut allow: HashMap<(Address, Address), U256> = HashMap::new();
        let mut supply = U256::ZERO;
        for op in ops {
            match op {
                Op::Mint(to, v) => {
                    let (to, v) = (ACTORS[to], U256::from(v));
                    vm.set_sender(MINTER);
                    let ok = token.mint(to, v).is_ok();
                    let expect = supply.checked_add(v).is_some();
                    prop_assert_eq!(ok, expect);
                    if ok { supply += v; *bal.entry(to).or_default() += v; }
                }
                Op::Burn(from, v) => {
                    // The minter burns its own balance (no allowance needed).
                    let _ = from;
                    let v = U256::from(v);
                    vm.set_sender(MINTER);
                    let have = bal.get(&MINTER).copied().unwrap_or_default();
                    let ok = token.burn(MINTER, v).is_ok();
                    prop_assert_eq!(ok, have >= v);
                    if ok { supply -= v; bal.insert(MINTER, have - v); }
                }
                Op::Transfer(from, to, v) => {
                    let (from, to, v) = (ACTORS[from], ACTORS[to], U256::from(v));
                    vm.set_sender(from);
                    let have = bal.get(&from).copied().unwrap_or_default();
                    let ok = token.transfer(to, v).is_ok();
                    prop_assert_eq!(ok, have >= v);
                    if ok { bal.insert(from, have - v); *bal.entry(to).or_default() += v; }
                }
                Op::Approve(owner, spender, v) => {
                    let (owner, spender, v) = (ACTORS[owner], ACTORS[spender], U256::from(v));
                    vm.set_sender(owner);
                    token.approve(spender, v).unwrap();
                    allow.insert((owner, spender), v);
                }
                Op::TransferFrom(spender, from, to, v) => {
                    let (spender, from, to, v) = (ACTORS[spender], ACTORS[from], ACTORS[to], U256::from(v));
                    vm.set_sender(spender);
                    let have = bal.get(&from).copied().unwrap_or_default();
                    let a = allow.get(&(from, spender)).copied().unwrap_or_default();
                    let ok = token.transfer_from(from, to, v).is_ok();
                    prop_assert_eq!(ok, have >= v && a >= v);
                    if ok {
                        if a != U256::MAX { allow.insert((from, spender), a - v); }
                        bal.insert(from, have - v);
                        *bal.entry(to).or_default() += v;
                    }
                }
            }
            let mut sum = U256::ZERO;
            for who in ACTORS {
                let b = token.balance_of(who);
                prop_assert_eq!(b, bal.get(&who).copied().unwrap_or_default());
                sum += b;
                for sp in ACTORS {
                    prop_assert_eq!(token.allowance(who, sp), allow.get(&(who, sp)).copied().unwrap_or_default());
                }
            }
            prop_assert_eq!(token.total_supply(), supply);
            prop_assert_eq!(sum, supply);
        }
    }
}
