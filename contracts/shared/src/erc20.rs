//! ERC-20 balances, allowances and supply (EIP-6093 errors).
use alloc::{string::String, vec, vec::Vec};

use crate::{
    math::{MathError, MathOverflow},
    short_string,
};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageB256, StorageMap, StorageU256},
};

/// Decimals of the LRT (those of ETH).
pub const DECIMALS: u8 = 18;

sol! {
    /// `value` tokens moved from `from` to `to` (zero `from`: mint; zero `to`: burn).
    #[derive(Debug)]
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// `owner` allowed `spender` to move `value` tokens.
    #[derive(Debug)]
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// `sender` holds `balance`, less than the `needed` amount.
    #[derive(Debug)]
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// The zero address cannot send.
    #[derive(Debug)]
    error ERC20InvalidSender(address sender);
    /// The zero address cannot receive.
    #[derive(Debug)]
    error ERC20InvalidReceiver(address receiver);
    /// `spender` may move `allowance`, less than the `needed` amount.
    #[derive(Debug)]
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// The zero address cannot approve.
    #[derive(Debug)]
    error ERC20InvalidApprover(address approver);
    /// The zero address cannot be a spender.
    #[derive(Debug)]
    error ERC20InvalidSpender(address spender);
}

/// ERC-20 errors.
#[derive(SolidityError, Debug)]
pub enum Erc20Error {
    /// Balance too low.
    InsufficientBalance(ERC20InsufficientBalance),
    /// Zero sender.
    InvalidSender(ERC20InvalidSender),
    /// Zero receiver.
    InvalidReceiver(ERC20InvalidReceiver),
    /// Allowance too low.
    InsufficientAllowance(ERC20InsufficientAllowance),
    /// Zero approver.
    InvalidApprover(ERC20InvalidApprover),
    /// Zero spender.
    InvalidSpender(ERC20InvalidSpender),
    /// Supply would exceed `uint256`.
    Overflow(MathOverflow),
}

impl From<MathError> for Erc20Error {
    fn from(_: MathError) -> Self {
        Self::Overflow(MathOverflow {})
    }
}

/// ERC-20 state.
#[storage]
pub struct Erc20 {
    /// Balance per account. Invariant: the sum over all accounts equals `total_supply`.
    balances: StorageMap<Address, StorageU256>,
    /// `owner => spender => allowance`; `uint256` max means unlimited and is never decreased.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Total supply. Changes only in `_mint` and `_burn`.
    total_supply: StorageU256,
    /// Token name (a packed short string, at most 31 bytes), set once by the constructor. Part
    /// of the EIP-712 domain.
    name: StorageB256,
    /// Token symbol (a packed short string, at most 31 bytes), set once by the constructor.
    symbol: StorageB256,
}

impl Erc20 {
    /// Sets name and symbol; returns false (writing nothing) when either is empty or longer
    /// than 31 bytes.
    pub fn init(&mut self, name: &str, symbol: &str) -> bool {
        let (Some(n), Some(s)) = (short_string::pack(name), short_string::pack(symbol)) else {
            return false;
        };
        if name.is_empty() || symbol.is_empty() {
            return false;
        }
        self.name.set(n);
        self.symbol.set(s);
        true
    }

    /// Token name.
    pub fn name(&self) -> String {
        short_string::unpack(self.name.get())
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        short_string::unpack(self.symbol.get())
    }

    /// The packed name word (hashed into the EIP-712 domain without unpacking).
    pub fn name_word(&self) -> B256 {
        self.name.get()
    }

    /// Total supply.
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    /// Balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// Allowance of `spender` over `owner`'s tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Moves `value` from `from` to `to`.
    ///
    /// # Errors
    /// `InvalidSender`, `InvalidReceiver` for zero addresses; `InsufficientBalance`.
    ///
    /// # Events
    /// `Transfer`.
    pub fn _transfer(&mut self, from: Address, to: Address, value: U256) -> Result<(), Erc20Error> {
        if from.is_zero() {
            return Err(Erc20Error::InvalidSender(ERC20InvalidSender {
                sender: from,
            }));
        }
        if to.is_zero() {
            return Err(Erc20Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        self.debit(from, value)?;
        // Cannot overflow: the sum of balances equals the supply, which fits in a U256.
        let to_balance = self.balances.get(to).saturating_add(value);
        self.balances.insert(to, to_balance);
        self.vm().log(Transfer { from, to, value });
        Ok(())
    }

    /// Creates `value` tokens for `to`.
    ///
    /// # Errors
    /// `InvalidReceiver` for zero `to`; `Overflow` when the supply would exceed `uint256`.
    ///
    /// # Events
    /// `Transfer` from zero.
    pub fn _mint(&mut self, to: Address, value: U256) -> Result<(), Erc20Error> {
        if to.is_zero() {
            return Err(Erc20Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let supply = crate::math::add(self.total_supply.get(), value)?;
        self.total_supply.set(supply);
        // Cannot overflow: a balance never exceeds the supply, which was just checked.
        let to_balance = self.balances.get(to).saturating_add(value);
        self.balances.insert(to, to_balance);
        self.vm().log(Transfer {
            from: Address::ZERO,
            to,
            value,
        });
        Ok(())
    }

    /// Destroys `value` tokens of `from`.
    ///
    /// # Errors
    /// `InvalidSender` for zero `from`; `InsufficientBalance`.
    ///
    /// # Events
    /// `Transfer` to zero.
    pub fn _burn(&mut self, from: Address, value: U256) -> Result<(), Erc20Error> {
        if from.is_zero() {
            return Err(Erc20Error::InvalidSender(ERC20InvalidSender {
                sender: from,
            }));
        }
        self.debit(from, value)?;
        // Cannot underflow: the supply is at least the balance just debited.
        let supply = self.total_supply.get().saturating_sub(value);
        self.total_supply.set(supply);
        self.vm().log(Transfer {
            from,
            to: Address::ZERO,
            value,
        });
        Ok(())
    }

    /// Sets an allowance.
    ///
    /// # Errors
    /// `InvalidApprover`, `InvalidSpender` for zero addresses.
    ///
    /// # Events
    /// `Approval` when `emit` is set.
    pub fn _approve(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        emit: bool,
    ) -> Result<(), Erc20Error> {
        if owner.is_zero() {
            return Err(Erc20Error::InvalidApprover(ERC20InvalidApprover {
                approver: owner,
            }));
        }
        if spender.is_zero() {
            return Err(Erc20Error::InvalidSpender(ERC20InvalidSpender { spender }));
        }
        self.allowances.setter(owner).insert(spender, value);
        if emit {
            self.vm().log(Approval {
                owner,
                spender,
                value,
            });
        }
        Ok(())
    }

    /// Checks that `spender` may move `value` of `owner`'s tokens and returns the allowance to
    /// store afterwards (`None` for an unlimited allowance, which stays unlimited). Writes
    /// nothing, so callers can validate every input before the first state change.
    ///
    /// # Errors
    /// `InsufficientAllowance`.
    pub fn _check_allowance(
        &self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<Option<U256>, Erc20Error> {
        let current = self.allowance(owner, spender);
        if current == U256::MAX {
            return Ok(None);
        }
        match current.checked_sub(value) {
            Some(left) => Ok(Some(left)),
            None => Err(Erc20Error::InsufficientAllowance(
                ERC20InsufficientAllowance {
                    spender,
                    allowance: current,
                    needed: value,
                },
            )),
        }
    }

    /// Moves `value` from `from` to `to` on behalf of `spender`, spending its allowance (as
    /// `transferFrom` does, even when `spender` is `from`). All checks run before any write.
    ///
    /// # Errors
    /// `InsufficientAllowance`, plus those of [`Self::_transfer`].
    ///
    /// # Events
    /// `Transfer`.
    pub fn _transfer_spending(
        &mut self,
        spender: Address,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Erc20Error> {
        let left = self._check_allowance(from, spender, value)?;
        self._transfer(from, to, value)?;
        if let Some(left) = left {
            self.allowances.setter(from).insert(spender, left);
        }
        Ok(())
    }

    /// Burns `value` of `from`'s tokens on behalf of `spender`, spending its allowance unless
    /// `spender` is `from`. All checks run before any write.
    ///
    /// # Errors
    /// `InsufficientAllowance`, plus those of [`Self::_burn`].
    ///
    /// # Events
    /// `Transfer` to zero.
    pub fn _burn_as(
        &mut self,
        spender: Address,
        from: Address,
        value: U256,
    ) -> Result<(), Erc20Error> {
        let left = if spender == from {
            None
        } else {
            self._check_allowance(from, spender, value)?
        };
        self._burn(from, value)?;
        if let Some(left) = left {
            self.allowances.setter(from).insert(spender, left);
        }
        Ok(())
    }

    fn debit(&mut self, from: Address, value: U256) -> Result<(), Erc20Error> {
        let balance = self.balances.get(from);
        let Some(left) = balance.checked_sub(value) else {
            return Err(Erc20Error::InsufficientBalance(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }));
        };
        self.balances.insert(from, left);
        Ok(())
    }
}
