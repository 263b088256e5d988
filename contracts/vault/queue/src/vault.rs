//! Calls from the queue to the vault. Calldata is encoded by hand (all arguments are static);
//! a revert of the vault is passed through as [`QueueError::VaultReverted`].
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    call::{call, static_call},
    stylus_core::{Call, Host},
};

use crate::word::{addr, encode, first_word, uint};
use crate::{QueueError, RedeemQueueBadVaultAnswer};

sol! {
    /// The parts of the restaking vault the queue calls.
    interface IRestakeVault {
        /// Wei `shares` are worth now, rounded down.
        function convertToAssets(uint256 shares) external view returns (uint256);
        /// `token`'s listing: (deposits accepted, rate provider, deposit cap, balance held).
        function tokenInfo(address token) external view returns (bool, address, uint256, uint256);
        /// Moves `shares` LRT of `owner` into the vault's escrow as if `spender` called
        /// `transferFrom`.
        function escrowShares(address spender, address owner, uint256 shares) external;
        /// Pays a redemption of `shares` escrowed LRT (at most `maxAssets` wei of value) in
        /// `asset` to `receiver` and burns the shares; returns the amount paid.
        function settleRedeem(address asset, uint256 maxAssets, uint256 shares, address receiver) external returns (uint256);
    }
}

/// The error for a malformed answer.
fn bad() -> QueueError {
    QueueError::BadVaultAnswer(RedeemQueueBadVaultAnswer {})
}

/// `vault.convertToAssets(shares)`.
///
/// # Errors
/// [`QueueError::VaultReverted`], [`QueueError::BadVaultAnswer`].
pub fn convert_to_assets<H: Host + ?Sized>(
    host: &H,
    vault: Address,
    shares: U256,
) -> Result<U256, QueueError> {
    let data = encode(
        IRestakeVault::convertToAssetsCall::SELECTOR,
        &[uint(shares)],
    );
    let ret = static_call(host, Call::new(), vault, &data)
        .map_err(|e| QueueError::VaultReverted(e.into()))?;
    first_word(&ret).ok_or_else(bad)
}

/// Whether the vault ever listed `token` (its rate provider is not zero).
///
/// # Errors
/// [`QueueError::VaultReverted`], [`QueueError::BadVaultAnswer`].
pub fn token_known<H: Host + ?Sized>(
    host: &H,
    vault: Address,
    token: Address,
) -> Result<bool, QueueError> {
    let data = encode(IRestakeVault::tokenInfoCall::SELECTOR, &[addr(token)]);
    let ret = static_call(host, Call::new(), vault, &data)
        .map_err(|e| QueueError::VaultReverted(e.into()))?;
    // The second word is the rate provider.
    let provider = ret.get(32..).and_then(first_word).ok_or_else(bad)?;
    Ok(!provider.is_zero())
}

/// `vault.escrowShares(spender, owner, shares)`.
///
/// # Errors
/// [`QueueError::VaultReverted`].
pub fn escrow<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    vault: Address,
    spender: Address,
    owner: Address,
    shares: U256,
) -> Result<(), QueueError> {
    let data = encode(
        IRestakeVault::escrowSharesCall::SELECTOR,
        &[addr(spender), addr(owner), uint(shares)],
    );
    call(host, ctx, vault, &data)
        .map(drop)
        .map_err(|e| QueueError::VaultReverted(e.into()))
}

/// `vault.settleRedeem(asset, max_assets, shares, receiver)`: the amount paid.
///
/// # Errors
/// [`QueueError::VaultReverted`], [`QueueError::BadVaultAnswer`].
pub fn settle<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    vault: Address,
    asset: Address,
    max_assets: U256,
    shares: U256,
    receiver: Address,
) -> Result<U256, QueueError> {
    let data = encode(
        IRestakeVault::settleRedeemCall::SELECTOR,
        &[addr(asset), uint(max_assets), uint(shares), addr(receiver)],
    );
    let ret = call(host, ctx, vault, &data).map_err(|e| QueueError::VaultReverted(e.into()))?;
    first_word(&ret).ok_or_else(bad)
}
