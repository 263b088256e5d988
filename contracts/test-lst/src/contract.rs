//! The [`TestLst`] contract.
use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use restake_shared::erc20::{self, Erc20, Erc20Error};
use stylus_sdk::prelude::*;

sol! {
    /// Name or symbol empty or longer than 31 bytes in the constructor.
    #[derive(Debug)]
    error TestLstInvalidMetadata();
}

/// Errors of the test token: the ERC-20 ones (EIP-6093) and bad metadata.
#[derive(SolidityError, Debug)]
pub enum TestLstError {
    /// EIP-6093: balance too low.
    InsufficientBalance(erc20::ERC20InsufficientBalance),
    /// EIP-6093: zero sender.
    InvalidSender(erc20::ERC20InvalidSender),
    /// EIP-6093: zero receiver.
    InvalidReceiver(erc20::ERC20InvalidReceiver),
    /// EIP-6093: allowance too low.
    InsufficientAllowance(erc20::ERC20InsufficientAllowance),
    /// EIP-6093: zero approver.
    InvalidApprover(erc20::ERC20InvalidApprover),
    /// EIP-6093: zero spender.
    InvalidSpender(erc20::ERC20InvalidSpender),
    /// Supply would exceed `uint256`.
    Overflow(restake_shared::math::MathOverflow),
    /// Name or symbol empty or too long.
    InvalidMetadata(TestLstInvalidMetadata),
}

restake_shared::absorb_errors!(Erc20Error => TestLstError {
    InsufficientBalance, InvalidSender, InvalidReceiver, InsufficientAllowance,
    InvalidApprover, InvalidSpender, Overflow,
});

/// The test liquid staking token.
#[entrypoint]
#[storage]
pub struct TestLst {
    /// Balances, allowances, supply and metadata (invariants in [`Erc20`]).
    erc20: Erc20,
}

#[public]
impl TestLst {
    /// Sets name and symbol.
    ///
    /// # Errors
    /// `TestLstInvalidMetadata` for an empty name or symbol, or one over 31 bytes.
    #[constructor]
    pub fn constructor(&mut self, name: String, symbol: String) -> Result<(), TestLstError> {
        if !self.erc20.init(&name, &symbol) {
            return Err(TestLstError::InvalidMetadata(TestLstInvalidMetadata {}));
        }
        Ok(())
    }

    /// Token name.
    pub fn name(&self) -> String {
        self.erc20.name()
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        self.erc20.symbol()
    }

    /// Always 18.
    pub fn decimals(&self) -> u8 {
        erc20::DECIMALS
    }

    /// Total supply.
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// Balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// What `spender` may still move from `owner`.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// Moves `value` from the caller to `to`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver`, `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// `Transfer`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, TestLstError> {
        let from = self.vm().msg_sender();
        self.erc20._transfer(from, to, value)?;
        Ok(true)
    }

    /// Lets `spender` move up to `value` of the caller's tokens.
    ///
    /// # Errors
    /// `ERC20InvalidSpender`.
    ///
    /// # Events
    /// `Approval`.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, TestLstError> {
        let owner = self.vm().msg_sender();
        self.erc20._approve(owner, spender, value, true)?;
        Ok(true)
    }

    /// Moves `value` from `from` to `to` using the caller's allowance.
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance`, `ERC20InvalidSender`, `ERC20InvalidReceiver`,
    /// `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// `Transfer`.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, TestLstError> {
        let spender = self.vm().msg_sender();
        self.erc20._transfer_spending(spender, from, to, value)?;
        Ok(true)
    }

    /// TEST ONLY faucet: anyone creates `value` tokens for `to`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` (zero `to`), `MathOverflow` (supply over `uint256`).
    ///
    /// # Events
    /// `Transfer` from zero.
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), TestLstError> {
        self.erc20._mint(to, value)?;
        Ok(())
    }
}
