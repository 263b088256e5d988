//! What the vault holds: per-asset balances, the LRT it minted and the token registry.
//!
//! Balances are the vault's own ledger (deposits + rewards - payouts - slashes), never
//! `balanceOf`: ETH or tokens sent to the vault any other way are ignored.
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use restake_shared::math::{add, sub};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageVec},
};

use crate::word::{load, load_addr, store, store_addr};
use crate::{VaultError, MAX_TOKENS};

/// The configuration of one token.
#[storage]
pub struct TokenConfig {
    /// Deposits are accepted. Unlisting clears it and keeps every other field, so the balance
    /// is still valued and can still be paid out.
    listed: StorageBool,
    /// The rate provider. Non-zero exactly when the token was ever listed ("known").
    rate_provider: StorageAddress,
    /// Deposit cap in token units: a deposit may not take the token's balance above it.
    cap: StorageU256,
    /// The last rate read from the provider, never zero once the token is known. Values the
    /// balance while the provider fails, so one broken provider blocks only its own token.
    last_rate: StorageU256,
}

/// Balances, LRT supply and the token registry.
#[storage]
pub struct Holdings {
    /// Asset (a token, or `NATIVE_ETH`) => units the vault accounts for, unvested rewards
    /// included. Changes only by deposits, rewards, payouts and slashes.
    balances: StorageMap<Address, StorageU256>,
    /// LRT minted by the vault minus LRT burned by it. Escrowed shares of pending requests
    /// are included until their claim burns them.
    total_shares: StorageU256,
    /// Every token ever listed, in listing order. Never shrinks; at most [`MAX_TOKENS`].
    tokens: StorageVec<StorageAddress>,
    /// Token => configuration.
    configs: StorageMap<Address, TokenConfig>,
}

impl Holdings {
    /// Units of `asset` accounted for.
    pub fn balance(&self, asset: Address) -> U256 {
        load(&self.balances.getter(asset))
    }

    /// Adds `amount` to the balance of `asset`.
    ///
    /// # Errors
    /// [`VaultError::Overflow`].
    pub fn credit(&mut self, asset: Address, amount: U256) -> Result<(), VaultError> {
        let b = add(self.balance(asset), amount)?;
        store(&mut self.balances.setter(asset), b);
        Ok(())
    }

    /// Takes `amount` from the balance of `asset`.
    ///
    /// # Errors
    /// [`VaultError::Overflow`] when the balance is smaller (callers check liquidity first).
    pub fn debit(&mut self, asset: Address, amount: U256) -> Result<(), VaultError> {
        let b = sub(self.balance(asset), amount)?;
        store(&mut self.balances.setter(asset), b);
        Ok(())
    }

    /// LRT minted minus burned.
    pub fn total_shares(&self) -> U256 {
        load(&self.total_shares)
    }

    /// Records `shares` minted.
    ///
    /// # Errors
    /// [`VaultError::Overflow`].
    pub fn mint_shares(&mut self, shares: U256) -> Result<(), VaultError> {
        let s = add(self.total_shares(), shares)?;
        store(&mut self.total_shares, s);
        Ok(())
    }

    /// Records `shares` burned.
    ///
    /// # Errors
    /// [`VaultError::Overflow`] when more than the supply.
    pub fn burn_shares(&mut self, shares: U256) -> Result<(), VaultError> {
        let s = sub(self.total_shares(), shares)?;
        store(&mut self.total_shares, s);
        Ok(())
    }

    /// How many tokens were ever listed.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// The `i`-th token ever listed (zero past the end).
    pub fn token_at(&self, i: usize) -> Address {
        self.tokens
            .getter(i)
            .map_or(Address::ZERO, |g| load_addr(&g))
    }

    /// Whether deposits of `token` are accepted.
    pub fn is_listed(&self, token: Address) -> bool {
        self.configs.getter(token).listed.get()
    }

    /// The rate provider of `token` (zero when never listed).
    pub fn rate_provider(&self, token: Address) -> Address {
        load_addr(&self.configs.getter(token).rate_provider)
    }

    /// Whether `token` was ever listed.
    pub fn is_known(&self, token: Address) -> bool {
        !self.rate_provider(token).is_zero()
    }

    /// `token`'s (listed, rate provider, cap, balance), read through one map lookup.
    pub fn token_info(&self, token: Address) -> (bool, Address, U256, U256) {
        let c = self.configs.getter(token);
        (
            c.listed.get(),
            load_addr(&c.rate_provider),
            load(&c.cap),
            self.balance(token),
        )
    }

    /// The deposit cap of `token`.
    pub fn cap(&self, token: Address) -> U256 {
        load(&self.configs.getter(token).cap)
    }

    /// The last rate read for `token`.
    pub fn last_rate(&self, token: Address) -> U256 {
        load(&self.configs.getter(token).last_rate)
    }

    /// Stores `rate` as the last good rate of `token` (skips the write when unchanged).
    pub fn set_last_rate(&mut self, token: Address, rate: U256) {
        if self.last_rate(token) != rate {
            store(&mut self.configs.setter(token).last_rate, rate);
        }
    }

    /// Lists `token` (again) with `provider`, `cap` and a first `rate`; a token never listed
    /// before joins the registry.
    ///
    /// # Errors
    /// [`VaultError::TooManyTokens`] when the registry is full.
    pub fn list(
        &mut self,
        token: Address,
        provider: Address,
        cap: U256,
        rate: U256,
    ) -> Result<(), VaultError> {
        if !self.is_known(token) {
            if self.tokens.len() >= MAX_TOKENS {
                return Err(VaultError::TooManyTokens(crate::VaultTooManyTokens {}));
            }
            self.tokens.push(token);
        }
        let mut c = self.configs.setter(token);
        c.listed.set(true);
        store_addr(&mut c.rate_provider, provider);
        store(&mut c.cap, cap);
        store(&mut c.last_rate, rate);
        Ok(())
    }

    /// Stops deposits of `token`.
    pub fn unlist(&mut self, token: Address) {
        self.configs.setter(token).listed.set(false);
    }
}
