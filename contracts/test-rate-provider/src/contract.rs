//! The [`TestRateProvider`] contract.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageU256},
};

sol! {
    /// The admin set the rate to `rate` (ETH per 1e18 token units).
    #[derive(Debug)]
    event RateUpdated(uint256 rate);
    /// The admin made `getRate` revert (`failing`) or answer again.
    #[derive(Debug)]
    event FailingSet(bool failing);

    /// The caller is not the admin.
    #[derive(Debug)]
    error TestRateProviderUnauthorized(address account);
    /// The zero address was given as admin.
    #[derive(Debug)]
    error TestRateProviderInvalidAdmin();
    /// `getRate` was switched to fail.
    #[derive(Debug)]
    error TestRateProviderDisabled();
}

/// Errors of the test rate provider.
#[derive(SolidityError, Debug)]
pub enum TestRateProviderError {
    /// Caller is not the admin.
    Unauthorized(TestRateProviderUnauthorized),
    /// Zero admin.
    InvalidAdmin(TestRateProviderInvalidAdmin),
    /// The provider is switched to fail.
    Disabled(TestRateProviderDisabled),
}

/// The test rate provider.
#[entrypoint]
#[storage]
pub struct TestRateProvider {
    /// May set the rate and the failing switch. Never zero after the constructor.
    admin: StorageAddress,
    /// ETH value of 1e18 token units. Any value, zero included (the vault must refuse zero).
    rate: StorageU256,
    /// When true, `getRate` reverts with `TestRateProviderDisabled`.
    failing: StorageBool,
}

#[public]
impl TestRateProvider {
    /// Sets the admin and the initial rate.
    ///
    /// # Errors
    /// `TestRateProviderInvalidAdmin` for a zero admin.
    ///
    /// # Events
    /// `RateUpdated`.
    #[constructor]
    pub fn constructor(&mut self, admin: Address, rate: U256) -> Result<(), TestRateProviderError> {
        if admin.is_zero() {
            return Err(TestRateProviderError::InvalidAdmin(
                TestRateProviderInvalidAdmin {},
            ));
        }
        self.admin.set(admin);
        self._set_rate(rate);
        Ok(())
    }

    /// ETH value of 1e18 token units (18 decimals).
    ///
    /// # Errors
    /// `TestRateProviderDisabled` while switched to fail.
    pub fn get_rate(&self) -> Result<U256, TestRateProviderError> {
        if self.failing.get() {
            return Err(TestRateProviderError::Disabled(TestRateProviderDisabled {}));
        }
        Ok(self.rate.get())
    }

    /// The admin.
    pub fn admin(&self) -> Address {
        self.admin.get()
    }

    /// Admin only: sets the rate.
    ///
    /// # Errors
    /// `TestRateProviderUnauthorized`.
    ///
    /// # Events
    /// `RateUpdated`.
    pub fn set_rate(&mut self, rate: U256) -> Result<(), TestRateProviderError> {
        self.only_admin()?;
        self._set_rate(rate);
        Ok(())
    }

    /// Admin only: makes `getRate` revert (`true`) or answer (`false`).
    ///
    /// # Errors
    /// `TestRateProviderUnauthorized`.
    ///
    /// # Events
    /// `FailingSet`.
    pub fn set_failing(&mut self, failing: bool) -> Result<(), TestRateProviderError> {
        self.only_admin()?;
        self.failing.set(failing);
        self.vm().log(FailingSet { failing });
        Ok(())
    }
}

impl TestRateProvider {
    fn only_admin(&self) -> Result<(), TestRateProviderError> {
        let sender = self.vm().msg_sender();
        if sender != self.admin.get() {
            return Err(TestRateProviderError::Unauthorized(
                TestRateProviderUnauthorized { account: sender },
            ));
        }
        Ok(())
    }

    fn _set_rate(&mut self, rate: U256) {
        self.rate.set(rate);
        self.vm().log(RateUpdated { rate });
    }
}
