//! The liquid restaking token (LRT): an ERC-20 with EIP-2612 `permit`.
//!
//! Minted by the restaking vault against deposits and burned when withdrawals are claimed; on
//! remote chains the LRT bridge holds the minter role instead. Only holders of [`MINTER_ROLE`]
//! mint or burn; the admin grants that role. Errors follow EIP-6093.
//!
//! Function groups that can be paused: [`GROUP_TRANSFER`], [`GROUP_MINT`], [`GROUP_BURN`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod erc20;
pub mod permit;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControl, AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::MathOverflow,
    pausable::{PausableEnforcedPause, PausableExpectedPause},
    admin::Administered,
    impl_administered,
    pausable::Pausable,
};
use stylus_sdk::prelude::*;

use crate::erc20::{Erc20, Erc20Error};
use crate::permit::{Permit, PermitError};

/// `keccak256("MINTER_ROLE")`: may mint and burn.
pub const MINTER_ROLE: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6"
));

/// Pause group of `transfer`, `transferFrom` (and so of every move between holders).
pub const GROUP_TRANSFER: u8 = 0;
/// Pause group of `mint`.
pub const GROUP_MINT: u8 = 1;
/// Pause group of `burn`.
pub const GROUP_BURN: u8 = 2;

sol! {
    /// Name or symbol empty in the constructor.
    #[derive(Debug)]
    error LrtInvalidMetadata();
}

/// Every error the token can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum LrtError {
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
    Overflow(MathOverflow),
    /// EIP-2612: past the deadline.
    Expired(permit::ERC2612ExpiredSignature),
    /// EIP-2612: wrong or malformed signature.
    InvalidSigner(permit::ERC2612InvalidSigner),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or account.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
    /// Name or symbol empty.
    InvalidMetadata(LrtInvalidMetadata),
}

absorb_errors!(Erc20Error => LrtError {
    InsufficientBalance, InvalidSender, InvalidReceiver, InsufficientAllowance,
    InvalidApprover, InvalidSpender, Overflow,
});
absorb_errors!(PermitError => LrtError { Expired, InvalidSigner });
absorb_errors!(ControlError => LrtError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});

/// The LRT contract.
#[entrypoint]
#[storage]
pub struct LrtToken {
    /// Balances, allowances, supply and metadata.
    erc20: Erc20,
    /// EIP-2612 nonces.
    permit: Permit,
    /// Admin and roles ([`MINTER_ROLE`], pauser).
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
}

#[public]
#[implements(Administered)]
impl LrtToken {
    /// Sets name, symbol and admin. `admin` is explicit because inside a constructor the caller
    /// is the StylusDeployer contract.
    ///
    /// # Errors
    /// `LrtInvalidMetadata` for an empty name or symbol; `AccessControlInvalidAccount` for a
    /// zero admin.
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(&mut self, name: String, symbol: String, admin: Address) -> Result<(), LrtError> {
        if name.is_empty() || symbol.is_empty() {
            return Err(LrtError::InvalidMetadata(LrtInvalidMetadata {}));
        }
        self.erc20.init(name, symbol);
        self.access.init(admin)?;
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
    /// `ERC20InvalidReceiver` (zero `to`), `ERC20InsufficientBalance`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `Transfer`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, LrtError> {
        self.pausable.when_not_paused(GROUP_TRANSFER)?;
        let from = self.vm().msg_sender();
        self.erc20._transfer(from, to, value)?;
        Ok(true)
    }

    /// Lets `spender` move up to `value` of the caller's tokens (`uint256` max = unlimited).
    ///
    /// # Errors
    /// `ERC20InvalidSpender` (zero spender).
    ///
    /// # Events
    /// `Approval`.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, LrtError> {
        let owner = self.vm().msg_sender();
        self.erc20._approve(owner, spender, value, true)?;
        Ok(true)
    }

    /// Moves `value` from `from` to `to` using the caller's allowance.
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance`, `ERC20InvalidSender`, `ERC20InvalidReceiver`,
    /// `ERC20InsufficientBalance`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `Transfer` (no `Approval`: the allowance change is implied, as in OpenZeppelin 5).
    pub fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, LrtError> {
        self.pausable.when_not_paused(GROUP_TRANSFER)?;
        let spender = self.vm().msg_sender();
        self.erc20._spend_allowance(from, spender, value)?;
        self.erc20._transfer(from, to, value)?;
        Ok(true)
    }

    /// Minter only: creates `value` tokens for `to`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `ERC20InvalidReceiver`, `PausableEnforcedPause`, and
    /// `MathOverflow` if the supply would exceed `uint256`.
    ///
    /// # Events
    /// `Transfer` from zero.
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), LrtError> {
        self.access.only_role(MINTER_ROLE, self.vm().msg_sender())?;
        self.pausable.when_not_paused(GROUP_MINT)?;
        self.erc20._mint(to, value)?;
        Ok(())
    }

    /// Minter only: destroys `value` tokens of `from`. Burning another account's tokens spends
    /// the minter's allowance from that account, so a minter cannot burn what it was not given.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `ERC20InsufficientAllowance`,
    /// `ERC20InsufficientBalance`, `ERC20InvalidSender`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `Transfer` to zero.
    pub fn burn(&mut self, from: Address, value: U256) -> Result<(), LrtError> {
        let sender = self.vm().msg_sender();
        self.access.only_role(MINTER_ROLE, sender)?;
        self.pausable.when_not_paused(GROUP_BURN)?;
        if from != sender {
            self.erc20._spend_allowance(from, sender, value)?;
        }
        self.erc20._burn(from, value)?;
        Ok(())
    }

    /// EIP-2612: sets `spender`'s allowance over `owner`'s tokens from `owner`'s signature.
    ///
    /// # Errors
    /// `ERC2612ExpiredSignature` (past `deadline`), `ERC2612InvalidSigner` (bad or malleable
    /// signature, or a signer other than `owner`), `ERC20InvalidSpender`.
    ///
    /// # Events
    /// `Approval`.
    #[allow(clippy::too_many_arguments)]
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: FixedBytes<32>,
        s: FixedBytes<32>,
    ) -> Result<(), LrtError> {
        let name = self.erc20.name();
        self.permit.verify(&name, owner, spender, value, deadline, v, r, s)?;
        self.erc20._approve(owner, spender, value, true)?;
        Ok(())
    }

    /// EIP-2612: the next permit nonce of `owner`.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.permit.nonce(owner)
    }

    /// EIP-712 domain separator for this chain and contract.
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator(&self) -> FixedBytes<32> {
        self.permit.domain_separator(&self.erc20.name())
    }

    /// EIP-5267: the EIP-712 domain fields.
    #[allow(clippy::type_complexity)]
    pub fn eip712_domain(
        &self,
    ) -> (FixedBytes<1>, String, String, U256, Address, FixedBytes<32>, Vec<U256>) {
        (
            FixedBytes([0x0f]),
            self.erc20.name(),
            String::from(permit::VERSION),
            U256::from(self.vm().chain_id()),
            self.vm().contract_address(),
            FixedBytes::ZERO,
            Vec::new(),
        )
    }

    /// The minter role id, `keccak256("MINTER_ROLE")`.
    #[selector(name = "MINTER_ROLE")]
    pub fn minter_role(&self) -> FixedBytes<32> {
        MINTER_ROLE
    }
}

impl_administered!(LrtToken);

#[cfg(test)]
mod tests;
