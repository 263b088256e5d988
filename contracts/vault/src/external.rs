//! Calls from the vault to other contracts: the LRT, ERC-20 tokens and rate providers.
//!
//! Calldata is encoded by hand (selector + 32-byte words): every argument is static, and the
//! generic ABI encoder costs more WASM than these few lines. Failures map to the vault's typed
//! errors; nothing here touches the vault's storage.
use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    call::{call, static_call, transfer::transfer_eth},
    stylus_core::{Call, Host},
};

use crate::emit::{addr, uint};
use crate::VaultError;

sol! {
    /// The parts of the LRT the vault calls (it holds the minter role).
    interface ILrtMinter {
        /// Creates `value` LRT for `to`.
        function mint(address to, uint256 value) external;
        /// Destroys `value` LRT of `from`.
        function burn(address from, uint256 value) external;
        /// Moves `value` LRT from `from` to `to` as if `spender` called `transferFrom`.
        function transferFromAs(address spender, address from, address to, uint256 value) external returns (bool);
    }

    /// The parts of ERC-20 the vault calls.
    interface IErc20 {
        /// Moves `value` from the caller to `to`.
        function transfer(address to, uint256 value) external returns (bool);
        /// Moves `value` from `from` to `to` using the caller's allowance.
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        /// Balance of `account`.
        function balanceOf(address account) external view returns (uint256);
    }

    /// A token's rate provider.
    interface IRateProvider {
        /// ETH value (wei) of 1e18 units of the token.
        function getRate() external view returns (uint256);
    }
}

/// `selector ++ words`.
fn encode(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    crate::error_data(selector, words)
}

/// The first return word as a `uint256`, or `None` when fewer than 32 bytes came back.
#[inline(never)]
fn first_word(data: &[u8]) -> Option<U256> {
    data.get(..32).map(U256::from_be_slice)
}

/// Reads `provider.getRate()`: `None` when the call reverts, returns fewer than 32 bytes or
/// answers zero.
pub fn read_rate<H: Host + ?Sized>(host: &H, provider: Address) -> Option<U256> {
    let data = static_call(
        host,
        Call::new(),
        provider,
        &IRateProvider::getRateCall::SELECTOR,
    )
    .ok()?;
    first_word(&data).filter(|r| !r.is_zero())
}

/// Calls `token` with `data` and accepts only success with no return data or a `true` word
/// (the rule of OpenZeppelin's SafeERC20).
fn token_call<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    token: Address,
    data: &[u8],
) -> Result<(), VaultError> {
    match call(host, ctx, token, data) {
        Ok(ret) if ret.is_empty() || first_word(&ret) == Some(U256::from(1)) => Ok(()),
        _ => Err(VaultError::transfer_failed(token)),
    }
}

/// `token.transferFrom(from, to, amount)`, checked by its return value (no data or `true`).
/// The balance is not re-read: listed tokens must move exactly the amount asked (no fee on
/// transfer, no rebasing), which the admin checks before listing; reading the balance twice
/// would cost two calls per deposit and 0.4 KB of the 24 KiB program.
///
/// # Errors
/// [`VaultError::TransferFailed`] naming `token`.
pub fn pull_token<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), VaultError> {
    let data = encode(
        IErc20::transferFromCall::SELECTOR,
        &[addr(from), addr(to), uint(amount)],
    );
    token_call(host, ctx, token, &data)
}

/// Pays `amount` of `asset` (a token, or [`restake_shared::NATIVE_ETH`] for ETH) to `to`. A
/// zero amount makes no call.
///
/// # Errors
/// [`VaultError::TransferFailed`] naming `asset` when the transfer reverts or a token answers
/// `false`.
pub fn pay<H: Host>(
    host: &H,
    ctx: Call<true, false>,
    asset: Address,
    to: Address,
    amount: U256,
) -> Result<(), VaultError> {
    if amount.is_zero() {
        return Ok(());
    }
    if asset == restake_shared::NATIVE_ETH {
        return transfer_eth(host, to, amount).map_err(|_| VaultError::transfer_failed(asset));
    }
    let data = encode(IErc20::transferCall::SELECTOR, &[addr(to), uint(amount)]);
    token_call(host, ctx, asset, &data)
}

/// Calls the LRT with `data`.
fn lrt_call<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    lrt: Address,
    data: &[u8],
) -> Result<(), VaultError> {
    call(host, ctx, lrt, data)
        .map(drop)
        .map_err(|e| VaultError::LrtReverted(e.into()))
}

/// `lrt.mint(to, shares)`.
///
/// # Errors
/// [`VaultError::LrtReverted`] with the LRT's revert data.
pub fn lrt_mint<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    lrt: Address,
    to: Address,
    shares: U256,
) -> Result<(), VaultError> {
    let data = encode(ILrtMinter::mintCall::SELECTOR, &[addr(to), uint(shares)]);
    lrt_call(host, ctx, lrt, &data)
}

/// `lrt.burn(from, shares)`.
///
/// # Errors
/// [`VaultError::LrtReverted`] with the LRT's revert data.
pub fn lrt_burn<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    lrt: Address,
    from: Address,
    shares: U256,
) -> Result<(), VaultError> {
    let data = encode(ILrtMinter::burnCall::SELECTOR, &[addr(from), uint(shares)]);
    lrt_call(host, ctx, lrt, &data)
}

/// `lrt.transferFromAs(spender, from, to, shares)`.
///
/// # Errors
/// [`VaultError::LrtReverted`] with the LRT's revert data.
pub fn lrt_transfer_from_as<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    lrt: Address,
    spender: Address,
    from: Address,
    to: Address,
    shares: U256,
) -> Result<(), VaultError> {
    let data = encode(
        ILrtMinter::transferFromAsCall::SELECTOR,
        &[addr(spender), addr(from), addr(to), uint(shares)],
    );
    lrt_call(host, ctx, lrt, &data)
}
