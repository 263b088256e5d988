//! The restaking vault's redeem queue: ERC-7540-shaped asynchronous redemption of the LRT.
//!
//! The vault and this queue are one vault split in two contracts, because together they do not
//! fit the 24 KiB Stylus limit (measured, brotli-11: 27,555 bytes as one contract; 23,981 for
//! the vault and 20,170 for the queue after the split). The vault holds every asset and the
//! ledger; the queue holds the requests and makes the [`REDEEM_QUEUE_ROLE`]-gated calls on the
//! vault:
//!
//! - `requestRedeem(shares, controller, owner)` (payout in ETH) and
//!   `requestRedeemToken(shares, controller, owner, token)` read the shares' value from the
//!   vault (`convertToAssets`, rounded down), record the request, then have the vault escrow
//!   the LRT (`escrowShares`): the owner, or its operator, moves the owner's LRT without an
//!   allowance; anyone else spends the allowance the owner gave it.
//! - After the withdrawal delay the controller or its operator claims by id (`claim`) or
//!   claims whole ETH requests in order (`redeem`). The vault's `settleRedeem` pays the smaller
//!   of the value at request time and the value at claim time (queued withdrawals bear losses
//!   and earn nothing) and burns the shares. A request is marked paid before the vault is
//!   called, so it is paid exactly once; if the vault reverts (for example with
//!   `VaultInsufficientLiquidity`), the whole claim reverts and the request stays claimable.
//!
//! Pause groups: [`GROUP_REQUEST`], [`GROUP_CLAIM`] (the vault's deposits pause on the vault).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;
pub mod requests;
pub mod vault;
pub mod word;

// The entrypoint macro generates an undocumented `user_entrypoint`; keeping the contract in a
// private module and re-exporting the type keeps that symbol out of the documented API.
pub use contract::RedeemQueue;

use alloc::vec::Vec;
use alloy_primitives::{FixedBytes, U256};
use alloy_sol_types::{sol, SolError};
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    math::{MathError, MathOverflow},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
    reentrancy::ReentrancyGuardReentrantCall,
};

use crate::word::{addr, encode, u64_word, uint};

/// `keccak256("REDEEM_QUEUE_ROLE")`: the role this queue needs on the vault.
pub const REDEEM_QUEUE_ROLE: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "c8f7a3cea75f53db2122e68d686c3b472a72f441c2c837607eb97702e4929931"
));

/// Pause group of `requestRedeem` and `requestRedeemToken` (the same number as in the
/// original single-contract vault design).
pub const GROUP_REQUEST: u8 = 1;
/// Pause group of `claim` and `redeem`.
pub const GROUP_CLAIM: u8 = 2;

/// Shortest withdrawal delay the admin may set (1 hour).
pub const MIN_WITHDRAWAL_DELAY: u64 = 3_600;
/// Longest withdrawal delay the admin may set (30 days).
pub const MAX_WITHDRAWAL_DELAY: u64 = 30 * 86_400;

sol! {
    /// ERC-4626: `sender` redeemed `shares` of `owner` (the controller) and `receiver` got
    /// `assets` (wei, or token units for requests paid in a token).
    #[derive(Debug)]
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
    /// ERC-7540: `sender` requested to redeem `shares` of `owner` for `controller`.
    #[derive(Debug)]
    event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares);
    /// ERC-7540: `controller` approved or revoked `operator`.
    #[derive(Debug)]
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    /// New redeem requests wait `delay` seconds.
    #[derive(Debug)]
    event WithdrawalDelaySet(uint64 delay);

    /// The zero address was given where an account is needed.
    #[derive(Debug)]
    error RedeemQueueZeroAddress();
    /// Zero shares were given, or the shares are worth nothing.
    #[derive(Debug)]
    error RedeemQueueZeroAmount();
    /// `delay` is outside the allowed withdrawal delay range.
    #[derive(Debug)]
    error RedeemQueueInvalidDelay(uint64 delay);
    /// `token` was never listed by the vault.
    #[derive(Debug)]
    error RedeemQueueTokenNotListed(address token);
    /// No request has id `requestId`.
    #[derive(Debug)]
    error RedeemQueueUnknownRequest(uint256 requestId);
    /// Request `requestId` was paid already.
    #[derive(Debug)]
    error RedeemQueueAlreadyClaimed(uint256 requestId);
    /// Request `requestId` is claimable from `claimableAt` (unix seconds).
    #[derive(Debug)]
    error RedeemQueueNotClaimable(uint256 requestId, uint64 claimableAt);
    /// `caller` is neither `account` nor an operator approved by it.
    #[derive(Debug)]
    error RedeemQueueNotOperator(address caller, address account);
    /// `redeem` asked for `requested` shares; the controller's claimable ETH requests, taken
    /// whole and in order, add up to `claimable` instead.
    #[derive(Debug)]
    error RedeemQueueRedeemMismatch(uint256 requested, uint256 claimable);
    /// A view of the vault answered malformed data.
    #[derive(Debug)]
    error RedeemQueueBadVaultAnswer();
}

/// Every error the queue can return: one variant per Solidity error, plus the vault's own
/// errors passed through (encoded by hand, as in the vault, to keep the program small).
#[derive(Debug)]
pub enum QueueError {
    /// Zero address given.
    ZeroAddress(RedeemQueueZeroAddress),
    /// Zero or worthless shares.
    ZeroAmount(RedeemQueueZeroAmount),
    /// Withdrawal delay out of range.
    InvalidDelay(RedeemQueueInvalidDelay),
    /// Payout token never listed.
    TokenNotListed(RedeemQueueTokenNotListed),
    /// No such request.
    UnknownRequest(RedeemQueueUnknownRequest),
    /// Request paid already.
    AlreadyClaimed(RedeemQueueAlreadyClaimed),
    /// Request not claimable yet.
    NotClaimable(RedeemQueueNotClaimable),
    /// Caller neither the account nor its operator.
    NotOperator(RedeemQueueNotOperator),
    /// `redeem` amount does not match whole claimable requests.
    RedeemMismatch(RedeemQueueRedeemMismatch),
    /// Malformed answer from the vault.
    BadVaultAnswer(RedeemQueueBadVaultAnswer),
    /// The vault reverted; its revert data (a `Vault…` error, or the LRT's error it passed
    /// through) is passed through unchanged.
    VaultReverted(Vec<u8>),
    /// Arithmetic overflow.
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

absorb_errors!(ControlError => QueueError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});

impl From<MathError> for QueueError {
    fn from(_: MathError) -> Self {
        Self::Overflow(MathOverflow {})
    }
}

impl From<ReentrancyGuardReentrantCall> for QueueError {
    fn from(e: ReentrancyGuardReentrantCall) -> Self {
        Self::Reentrant(e)
    }
}

impl From<QueueError> for Vec<u8> {
    fn from(e: QueueError) -> Self {
        use QueueError as E;
        let u8_word = |g: u8| uint(U256::from(g));
        match e {
            E::ZeroAddress(_) => encode(RedeemQueueZeroAddress::SELECTOR, &[]),
            E::ZeroAmount(_) => encode(RedeemQueueZeroAmount::SELECTOR, &[]),
            E::InvalidDelay(e) => encode(RedeemQueueInvalidDelay::SELECTOR, &[u64_word(e.delay)]),
            E::TokenNotListed(e) => encode(RedeemQueueTokenNotListed::SELECTOR, &[addr(e.token)]),
            E::UnknownRequest(e) => {
                encode(RedeemQueueUnknownRequest::SELECTOR, &[uint(e.requestId)])
            }
            E::AlreadyClaimed(e) => {
                encode(RedeemQueueAlreadyClaimed::SELECTOR, &[uint(e.requestId)])
            }
            E::NotClaimable(e) => encode(
                RedeemQueueNotClaimable::SELECTOR,
                &[uint(e.requestId), u64_word(e.claimableAt)],
            ),
            E::NotOperator(e) => encode(
                RedeemQueueNotOperator::SELECTOR,
                &[addr(e.caller), addr(e.account)],
            ),
            E::RedeemMismatch(e) => encode(
                RedeemQueueRedeemMismatch::SELECTOR,
                &[uint(e.requested), uint(e.claimable)],
            ),
            E::BadVaultAnswer(_) => encode(RedeemQueueBadVaultAnswer::SELECTOR, &[]),
            E::VaultReverted(data) => data,
            E::Overflow(_) => encode(MathOverflow::SELECTOR, &[]),
            E::Reentrant(_) => encode(ReentrancyGuardReentrantCall::SELECTOR, &[]),
            E::Unauthorized(e) => encode(
                AccessControlUnauthorizedAccount::SELECTOR,
                &[addr(e.account), e.neededRole],
            ),
            E::InvalidAccount(e) => {
                encode(AccessControlInvalidAccount::SELECTOR, &[addr(e.account)])
            }
            E::EnforcedPause(e) => encode(PausableEnforcedPause::SELECTOR, &[u8_word(e.group)]),
            E::ExpectedPause(e) => encode(PausableExpectedPause::SELECTOR, &[u8_word(e.group)]),
        }
    }
}

/// The errors the ABI export lists (what `#[derive(SolidityError)]` would generate).
#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::internal::InnerTypes for QueueError {
    fn inner_types() -> Vec<stylus_sdk::abi::export::internal::InnerType> {
        use alloc::{format, vec};
        use restake_shared::erc20;
        use stylus_sdk::abi::export::internal::InnerType;
        fn t<E: SolError + 'static>() -> InnerType {
            InnerType {
                name: format!("error {};", E::SIGNATURE.replace(',', ", ")),
                id: core::any::TypeId::of::<E>(),
            }
        }
        vec![
            t::<RedeemQueueZeroAddress>(),
            t::<RedeemQueueZeroAmount>(),
            t::<RedeemQueueInvalidDelay>(),
            t::<RedeemQueueTokenNotListed>(),
            t::<RedeemQueueUnknownRequest>(),
            t::<RedeemQueueAlreadyClaimed>(),
            t::<RedeemQueueNotClaimable>(),
            t::<RedeemQueueNotOperator>(),
            t::<RedeemQueueRedeemMismatch>(),
            t::<RedeemQueueBadVaultAnswer>(),
            t::<MathOverflow>(),
            t::<ReentrancyGuardReentrantCall>(),
            t::<AccessControlUnauthorizedAccount>(),
            t::<AccessControlInvalidAccount>(),
            t::<PausableEnforcedPause>(),
            t::<PausableExpectedPause>(),
            // The LRT's errors, passed through the vault from `escrowShares`.
            t::<erc20::ERC20InsufficientBalance>(),
            t::<erc20::ERC20InsufficientAllowance>(),
        ]
    }
}

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
