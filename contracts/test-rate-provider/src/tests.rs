use alloy_primitives::{address, Address, U256};
use stylus_sdk::testing::*;

use crate::{TestRateProvider, TestRateProviderError};

const ADMIN: Address = address!("00000000000000000000000000000000000AD111");
const EVE: Address = address!("00000000000000000000000000000000000000E5");

fn deployed(vm: &TestVM, rate: u64) -> TestRateProvider {
    let mut provider = TestRateProvider::from(vm);
    provider.constructor(ADMIN, U256::from(rate)).unwrap();
    provider
}

#[test]
fn constructor_rejects_zero_admin() {
    let vm = TestVM::default();
    let mut provider = TestRateProvider::from(&vm);
    let err = provider
        .constructor(Address::ZERO, U256::from(1))
        .unwrap_err();
    assert!(matches!(err, TestRateProviderError::InvalidAdmin(_)));
}

#[test]
fn admin_sets_rate_and_failing() {
    let vm = TestVM::default();
    let mut provider = deployed(&vm, 1_050_000_000_000_000_000);
    assert_eq!(
        provider.get_rate().unwrap(),
        U256::from(1_050_000_000_000_000_000u64)
    );
    assert_eq!(provider.admin(), ADMIN);

    vm.set_sender(ADMIN);
    provider.set_rate(U256::from(7)).unwrap();
    assert_eq!(provider.get_rate().unwrap(), U256::from(7));
    provider.set_failing(true).unwrap();
    assert!(matches!(
        provider.get_rate().unwrap_err(),
        TestRateProviderError::Disabled(_)
    ));
    provider.set_failing(false).unwrap();
    assert_eq!(provider.get_rate().unwrap(), U256::from(7));
}

#[test]
fn others_cannot_change_anything() {
    let vm = TestVM::default();
    let mut provider = deployed(&vm, 5);
    vm.set_sender(EVE);
    assert!(matches!(
        provider.set_rate(U256::from(9)).unwrap_err(),
        TestRateProviderError::Unauthorized(_)
    ));
    assert!(matches!(
        provider.set_failing(true).unwrap_err(),
        TestRateProviderError::Unauthorized(_)
    ));
    assert_eq!(provider.get_rate().unwrap(), U256::from(5));
}
