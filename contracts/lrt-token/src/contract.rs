//! The [`LrtToken`] contract: storage layout and ABI.
use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, FixedBytes, U256};
use restake_shared::{
    access::AccessControl, admin::Administered, impl_administered, pausable::Pausable,
};
use stylus_sdk::prelude::*;

use crate::permit::Permit;
use crate::{LrtError, LrtInvalidMetadata, GROUP_BURN, GROUP_MINT, GROUP_TRANSFER, MINTER_ROLE};
use restake_shared::erc20::{self, Erc20};

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
    /// `LrtInvalidMetadata` for an empty name or symbol, or one over 31 bytes; `AccessControlInvalidAccount` for a
    /// zero admin.
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(
        &mut self,
        name: String,
        symbol: String,
        admin: Address,
    ) -> Result<(), LrtError> {
        if !self.erc20.init(&name, &symbol) {
            return Err(LrtError::InvalidMetadata(LrtInvalidMetadata {}));
        }
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
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, LrtError> {
        self.pausable.when_not_paused(GROUP_TRANSFER)?;
        let spender = self.vm().msg_sender();
        self.erc20._transfer_spending(spender, from, to, value)?;
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
        self.erc20._burn_as(sender, from, value)?;
        Ok(())
    }

    /// Minter only: moves `value` from `from` to `to` exactly as if `spender` had called
    /// `transferFrom` (spending `spender`'s allowance over `from` unless they are the same
    /// account). The vault uses it to escrow shares for a redeem request made by an operator
    /// without asking owners to approve the vault as well.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `ERC20InsufficientAllowance`, `ERC20InvalidSender`,
    /// `ERC20InvalidReceiver`, `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// `Transfer`.
    pub fn transfer_from_as(
        &mut self,
        spender: Address,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, LrtError> {
        self.access.only_role(MINTER_ROLE, self.vm().msg_sender())?;
        if spender == from {
            self.erc20._transfer(from, to, value)?;
        } else {
            self.erc20._transfer_spending(spender, from, to, value)?;
        }
        Ok(true)
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
        self.permit
            .verify(&name, owner, spender, value, deadline, v, r, s)?;
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

    /// The minter role id, `keccak256("MINTER_ROLE")`.
    #[selector(name = "MINTER_ROLE")]
    pub fn minter_role(&self) -> FixedBytes<32> {
        MINTER_ROLE
    }
}

impl_administered!(LrtToken);
