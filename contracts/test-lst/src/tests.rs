use alloy_primitives::{address, Address, U256};
use stylus_sdk::testing::*;

use crate::contract::TestLstError;
use crate::TestLst;

const ALICE: Address = address!("00000000000000000000000000000000000A11CE");
const BOB: Address = address!("0000000000000000000000000000000000000B0B");

fn deployed(vm: &TestVM) -> TestLst {
    let mut token = TestLst::from(vm);
    token
        .constructor("Test Staked ETH".into(), "tstETH".into())
        .expect("valid metadata");
    token
}

#[test]
fn constructor_rejects_empty_metadata() {
    let vm = TestVM::default();
    let mut token = TestLst::from(&vm);
    let err = token.constructor(String::new(), "X".into()).unwrap_err();
    assert!(matches!(err, TestLstError::InvalidMetadata(_)));
}

#[test]
fn faucet_mint_transfer_and_allowance() {
    let vm = TestVM::default();
    let mut token = deployed(&vm);
    assert_eq!(token.name(), "Test Staked ETH");
    assert_eq!(token.symbol(), "tstETH");
    assert_eq!(token.decimals(), 18);

    vm.set_sender(ALICE);
    token.mint(ALICE, U256::from(100)).unwrap();
    assert_eq!(token.total_supply(), U256::from(100));
    token.transfer(BOB, U256::from(30)).unwrap();
    assert_eq!(token.balance_of(BOB), U256::from(30));
    assert_eq!(token.balance_of(ALICE), U256::from(70));

    token.approve(BOB, U256::from(10)).unwrap();
    vm.set_sender(BOB);
    let err = token.transfer_from(ALICE, BOB, U256::from(11)).unwrap_err();
    assert!(matches!(err, TestLstError::InsufficientAllowance(_)));
    token.transfer_from(ALICE, BOB, U256::from(10)).unwrap();
    assert_eq!(token.balance_of(BOB), U256::from(40));
    assert_eq!(token.allowance(ALICE, BOB), U256::ZERO);
}

#[test]
fn errors_change_nothing() {
    let vm = TestVM::default();
    let mut token = deployed(&vm);
    vm.set_sender(ALICE);
    token.mint(ALICE, U256::from(5)).unwrap();
    let err = token.transfer(BOB, U256::from(6)).unwrap_err();
    assert!(matches!(err, TestLstError::InsufficientBalance(_)));
    let err = token.mint(Address::ZERO, U256::from(1)).unwrap_err();
    assert!(matches!(err, TestLstError::InvalidReceiver(_)));
    let err = token.mint(ALICE, U256::MAX).unwrap_err();
    assert!(matches!(err, TestLstError::Overflow(_)));
    assert_eq!(token.balance_of(ALICE), U256::from(5));
    assert_eq!(token.total_supply(), U256::from(5));
}
