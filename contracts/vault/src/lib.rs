//! The restaking vault: takes native ETH and allow-listed liquid staking tokens (LSTs), mints
//! the LRT against them, values everything it holds, and pays redemptions settled by its
//! redeem queue.
//!
//! - **Deposits** (ERC-4626 shape, ETH as the asset per ERC-7535): `deposit(receiver)` takes
//!   ETH; `depositToken(token, amount, receiver)` takes a listed token valued by its rate
//!   provider. Shares are minted with `lrt.mint` (the vault holds the LRT's minter role).
//! - **Accounting** is internal: the vault never reads its own balances, so a donation changes
//!   nothing. Total assets = ETH + Σ token balance × rate (rounded down) + vested rewards. The
//!   exchange rate has a virtual offset of one share and one wei ([`VIRTUAL_SHARES`],
//!   [`VIRTUAL_ASSETS`]) and every conversion rounds in the vault's favour.
//! - **Redemptions** (ERC-7540 shape) are queued by the separate redeem queue contract
//!   (`contracts/vault/queue`), which holds [`REDEEM_QUEUE_ROLE`]: `escrowShares` moves a
//!   requester's LRT into the vault and fixes the value at request time; `settleRedeem` pays the
//!   smaller of that value and the value at claim time, in ETH or a token, and burns the
//!   shares. The two contracts are one vault split in two because together they do not fit the
//!   24 KiB Stylus limit.
//! - **Restaking core hooks**: holders of [`STAKE_MANAGER_ROLE`] `slash` assets out (the rate
//!   drops in the same transaction) and `notifyReward` rewards in (vested linearly).
//!
//! Pause group: [`GROUP_DEPOSIT`] (requests and claims pause on the redeem queue).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;
pub mod emit;
pub mod external;
pub mod holdings;
pub mod rewards;
pub mod word;

// The entrypoint macro generates an undocumented `user_entrypoint`; keeping the contract in a
// private module and re-exporting the type keeps that symbol out of the documented API.
pub use contract::RestakeVault;

use alloc::vec::Vec;
use alloy_primitives::{Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolError};
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
    reentrancy::ReentrancyGuardReentrantCall,
};

/// `keccak256("STAKE_MANAGER_ROLE")`: may slash assets out of the vault and notify rewards.
pub const STAKE_MANAGER_ROLE: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "36c6e377694b3f473b3d9f9e1f861551767ee8f73dff43a9c3fbbaebb99bbf3f"
));

/// `keccak256("REDEEM_QUEUE_ROLE")`: may escrow LRT for redeem requests and settle them.
pub const REDEEM_QUEUE_ROLE: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "c8f7a3cea75f53db2122e68d686c3b472a72f441c2c837607eb97702e4929931"
));

/// Pause group of `deposit` and `depositToken`.
pub const GROUP_DEPOSIT: u8 = 0;
/// Lower bound of the minimum reward vesting period (1 hour).
pub const MIN_REWARD_DURATION_FLOOR: u64 = 3_600;
/// Upper bound of the minimum reward vesting period (30 days).
pub const MIN_REWARD_DURATION_CEIL: u64 = 30 * 86_400;
/// Minimum reward vesting period set by the constructor (1 day).
pub const DEFAULT_MIN_REWARD_DURATION: u64 = 86_400;
/// Longest vesting period a reward may ask for (365 days).
pub const MAX_REWARD_DURATION: u64 = 365 * 86_400;
/// Most tokens the vault will ever list (each one costs a rate read in every valuation).
pub const MAX_TOKENS: usize = 8;

/// Virtual shares added to the supply in every conversion (OpenZeppelin's offset 0). With
/// [`VIRTUAL_ASSETS`] = 1 wei, `convertToAssets(totalShares) <= totalAssets` holds for every
/// supply and asset level, and the first deposit mints one share per wei, so the LRT starts at
/// 1 ETH. Donations cannot move the rate (accounting is internal), so no larger offset is needed
/// against inflation, and a deposit that would mint no share reverts.
pub const VIRTUAL_SHARES: U256 = U256::from_limbs([1, 0, 0, 0]);
/// Virtual assets (wei) added to the total assets in every conversion.
pub const VIRTUAL_ASSETS: U256 = U256::from_limbs([1, 0, 0, 0]);

sol! {
    /// ERC-4626: `sender` deposited `assets` (wei, or the ETH value of a token deposit) and
    /// `owner` received `shares` LRT.
    #[derive(Debug)]
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// A redemption of `shares` escrowed LRT paid `amount` of `asset` (wei or token units) to
    /// `receiver`; the shares were burned.
    #[derive(Debug)]
    event RedeemSettled(address indexed asset, address indexed receiver, uint256 amount, uint256 shares);

    // Admin changes.

    /// `token`'s listing changed: it is valued by `rateProvider`, its deposit cap is `cap`
    /// units, and deposits are accepted exactly when `listed`. An unlisted token's balance
    /// still counts and can still be paid out.
    #[derive(Debug)]
    event TokenConfigured(address indexed token, address indexed rateProvider, uint256 cap, bool listed);
    /// Rewards vest over at least `duration` seconds.
    #[derive(Debug)]
    event MinRewardDurationSet(uint64 duration);

    // Restaking core hooks.

    /// `amount` of `asset` left the vault's accounting and went to `recipient`.
    #[derive(Debug)]
    event Slashed(address indexed asset, address indexed recipient, uint256 amount);
    /// `amount` of `asset` was added as a reward; the unvested remainder (this reward included)
    /// is now `unvested` and vests linearly until `vestingEnd`.
    #[derive(Debug)]
    event RewardNotified(address indexed asset, uint256 amount, uint256 unvested, uint64 vestingEnd);

    // Errors.

    /// The zero address was given where an account is needed.
    #[derive(Debug)]
    error VaultZeroAddress();
    /// A zero amount (of ETH, tokens or shares) was given.
    #[derive(Debug)]
    error VaultZeroAmount();
    /// The deposit is too small to mint one share.
    #[derive(Debug)]
    error VaultZeroShares();
    /// `duration` is outside the allowed reward vesting range.
    #[derive(Debug)]
    error VaultInvalidDuration(uint64 duration);
    /// `token` cannot be a listed token (zero, or the ETH marker).
    #[derive(Debug)]
    error VaultInvalidToken(address token);
    /// `token` is not listed (or, where a past listing suffices, was never listed).
    #[derive(Debug)]
    error VaultTokenNotListed(address token);
    /// The vault lists as many tokens as it can value.
    #[derive(Debug)]
    error VaultTooManyTokens();
    /// The rate provider of `token` reverted, answered zero or answered malformed data.
    #[derive(Debug)]
    error VaultRateUnavailable(address token);
    /// Taking the deposit would make the vault hold `wouldHold` units of `token`, over `cap`.
    #[derive(Debug)]
    error VaultCapExceeded(address token, uint256 cap, uint256 wouldHold);
    /// A transfer of `asset` (a token, or the ETH marker) in or out of the vault failed.
    #[derive(Debug)]
    error VaultTransferFailed(address asset);
    /// `value` wei were sent where the call expects a different amount.
    #[derive(Debug)]
    error VaultInvalidValue(uint256 value);
    /// Paying out needs `needed` units of `asset`; the vault accounts for `available`.
    #[derive(Debug)]
    error VaultInsufficientLiquidity(address asset, uint256 needed, uint256 available);
}

/// Every error the vault can return: one variant per Solidity error, plus the LRT's own errors
/// passed through.
///
/// The ABI encoding and the ABI export's error list are written by hand below instead of
/// derived with `SolidityError`: every vault error has only static parameters, so one small
/// encoder serves them all, where the derive's generic encoders cost about 1.3 KB of the
/// compressed program. Tests check each encoding against alloy's `SolError::abi_encode`.
#[derive(Debug)]
pub enum VaultError {
    /// Zero address given.
    ZeroAddress(VaultZeroAddress),
    /// Zero amount given.
    ZeroAmount(VaultZeroAmount),
    /// Deposit mints no share.
    ZeroShares(VaultZeroShares),
    /// Reward duration out of range.
    InvalidDuration(VaultInvalidDuration),
    /// Zero or ETH-marker token.
    InvalidToken(VaultInvalidToken),
    /// Token not listed.
    TokenNotListed(VaultTokenNotListed),
    /// Token list full.
    TooManyTokens(VaultTooManyTokens),
    /// Rate provider failed.
    RateUnavailable(VaultRateUnavailable),
    /// Deposit cap exceeded.
    CapExceeded(VaultCapExceeded),
    /// Asset transfer failed.
    TransferFailed(VaultTransferFailed),
    /// The LRT reverted; its revert data (an EIP-6093 or access-control error of the LRT) is
    /// passed through unchanged.
    LrtReverted(Vec<u8>),
    /// Wrong `msg.value`.
    InvalidValue(VaultInvalidValue),
    /// Not enough of the payout asset.
    InsufficientLiquidity(VaultInsufficientLiquidity),
    /// Arithmetic overflow (or a division by zero, which the virtual offset rules out).
    Overflow(MathOverflow),
    /// A guarded function was re-entered.
    Reentrant(ReentrancyGuardReentrantCall),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or account.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => VaultError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});
impl From<MathError> for VaultError {
    fn from(_: MathError) -> Self {
        Self::Overflow(MathOverflow {})
    }
}

impl From<ReentrancyGuardReentrantCall> for VaultError {
    fn from(e: ReentrancyGuardReentrantCall) -> Self {
        Self::Reentrant(e)
    }
}

/// `selector ++ words`: the ABI encoding of a call or an error whose parameters are all static.
pub(crate) fn error_data(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * words.len());
    out.extend_from_slice(&selector);
    for w in words {
        out.extend_from_slice(w.as_slice());
    }
    out
}

impl From<VaultError> for Vec<u8> {
    fn from(e: VaultError) -> Self {
        use emit::{addr, u64_word, uint};
        use VaultError as E;
        let u8_word = |g: u8| uint(U256::from(g));
        match e {
            E::ZeroAddress(_) => error_data(VaultZeroAddress::SELECTOR, &[]),
            E::ZeroAmount(_) => error_data(VaultZeroAmount::SELECTOR, &[]),
            E::ZeroShares(_) => error_data(VaultZeroShares::SELECTOR, &[]),
            E::InvalidDuration(e) => {
                error_data(VaultInvalidDuration::SELECTOR, &[u64_word(e.duration)])
            }
            E::InvalidToken(e) => error_data(VaultInvalidToken::SELECTOR, &[addr(e.token)]),
            E::TokenNotListed(e) => error_data(VaultTokenNotListed::SELECTOR, &[addr(e.token)]),
            E::TooManyTokens(_) => error_data(VaultTooManyTokens::SELECTOR, &[]),
            E::RateUnavailable(e) => error_data(VaultRateUnavailable::SELECTOR, &[addr(e.token)]),
            E::CapExceeded(e) => error_data(
                VaultCapExceeded::SELECTOR,
                &[addr(e.token), uint(e.cap), uint(e.wouldHold)],
            ),
            E::TransferFailed(e) => error_data(VaultTransferFailed::SELECTOR, &[addr(e.asset)]),
            E::LrtReverted(data) => data,
            E::InvalidValue(e) => error_data(VaultInvalidValue::SELECTOR, &[uint(e.value)]),
            E::InsufficientLiquidity(e) => error_data(
                VaultInsufficientLiquidity::SELECTOR,
                &[addr(e.asset), uint(e.needed), uint(e.available)],
            ),
            E::Overflow(_) => error_data(MathOverflow::SELECTOR, &[]),
            E::Reentrant(_) => error_data(ReentrancyGuardReentrantCall::SELECTOR, &[]),
            E::Unauthorized(e) => error_data(
                AccessControlUnauthorizedAccount::SELECTOR,
                &[addr(e.account), e.neededRole],
            ),
            E::InvalidAccount(e) => {
                error_data(AccessControlInvalidAccount::SELECTOR, &[addr(e.account)])
            }
            E::EnforcedPause(e) => error_data(PausableEnforcedPause::SELECTOR, &[u8_word(e.group)]),
            E::ExpectedPause(e) => error_data(PausableExpectedPause::SELECTOR, &[u8_word(e.group)]),
        }
    }
}

/// The errors the ABI export lists (what `#[derive(SolidityError)]` would generate).
#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::internal::InnerTypes for VaultError {
    fn inner_types() -> Vec<stylus_sdk::abi::export::internal::InnerType> {
        use alloc::{format, vec};
        use alloy_sol_types::SolError;
        use restake_shared::erc20;
        use stylus_sdk::abi::export::internal::InnerType;
        fn t<E: SolError + 'static>() -> InnerType {
            InnerType {
                name: format!("error {};", E::SIGNATURE.replace(',', ", ")),
                id: core::any::TypeId::of::<E>(),
            }
        }
        vec![
            t::<VaultZeroAddress>(),
            t::<VaultZeroAmount>(),
            t::<VaultZeroShares>(),
            t::<VaultInvalidDuration>(),
            t::<VaultInvalidToken>(),
            t::<VaultTokenNotListed>(),
            t::<VaultTooManyTokens>(),
            t::<VaultRateUnavailable>(),
            t::<VaultCapExceeded>(),
            t::<VaultTransferFailed>(),
            t::<VaultInvalidValue>(),
            t::<VaultInsufficientLiquidity>(),
            t::<MathOverflow>(),
            t::<ReentrancyGuardReentrantCall>(),
            t::<AccessControlUnauthorizedAccount>(),
            t::<AccessControlInvalidAccount>(),
            t::<PausableEnforcedPause>(),
            t::<PausableExpectedPause>(),
            // The LRT's errors, passed through from `mint`, `burn` and `transferFromAs`.
            t::<erc20::ERC20InsufficientBalance>(),
            t::<erc20::ERC20InsufficientAllowance>(),
            t::<erc20::ERC20InvalidReceiver>(),
            t::<erc20::ERC20InvalidSender>(),
        ]
    }
}

/// Shorthand constructors for the errors with parameters.
impl VaultError {
    /// [`VaultRateUnavailable`] for `token`.
    pub fn rate_unavailable(token: Address) -> Self {
        Self::RateUnavailable(VaultRateUnavailable { token })
    }

    /// [`VaultTransferFailed`] for `asset`.
    pub fn transfer_failed(asset: Address) -> Self {
        Self::TransferFailed(VaultTransferFailed { asset })
    }

    /// [`VaultTokenNotListed`] for `token`.
    pub fn not_listed(token: Address) -> Self {
        Self::TokenNotListed(VaultTokenNotListed { token })
    }

    /// [`VaultInsufficientLiquidity`].
    pub fn insufficient(asset: Address, needed: U256, available: U256) -> Self {
        Self::InsufficientLiquidity(VaultInsufficientLiquidity {
            asset,
            needed,
            available,
        })
    }
}

#[cfg(test)]
mod tests;

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
