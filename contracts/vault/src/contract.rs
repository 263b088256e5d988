//! The [`RestakeVault`] contract: storage layout, ABI and the operations behind it.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;
use restake_shared::{
    access::AccessControl,
    admin::Administered,
    impl_administered,
    math::{add, mul_div, Rounding, WAD},
    pausable::Pausable,
    reentrancy::ReentrancyGuard,
    NATIVE_ETH,
};
use stylus_sdk::{prelude::*, storage::StorageAddress};

use crate::emit::{addr, boolean, emit, u64_word, uint};
use crate::external::{self, read_rate};
use crate::holdings::Holdings;
use crate::rewards::Rewards;
use crate::word::{load_addr, store_addr};
use crate::*;

/// Fixed settings.
#[storage]
pub struct Settings {
    /// The LRT this vault mints and burns. Set once by the constructor; never zero after.
    lrt: StorageAddress,
}

/// The restaking vault.
#[entrypoint]
#[storage]
pub struct RestakeVault {
    /// The LRT's address.
    settings: Settings,
    /// Per-asset balances, LRT minted and the token registry.
    holdings: Holdings,
    /// Reward vesting streams.
    rewards: Rewards,
    /// Held while a function that calls out runs.
    guard: ReentrancyGuard,
    /// Admin, pausers, stake managers and the redeem queue.
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
}

/// `Ok` unless `a` is zero.
fn nonzero(a: Address) -> Result<(), VaultError> {
    if a.is_zero() {
        return Err(VaultError::ZeroAddress(VaultZeroAddress {}));
    }
    Ok(())
}

/// Shares for `assets` at total assets `a` and supply `s`. Rounded down: the vault never
/// mints more than the deposit is worth.
fn to_shares(assets: U256, a: U256, s: U256) -> Result<U256, VaultError> {
    Ok(mul_div(
        assets,
        add(s, VIRTUAL_SHARES)?,
        add(a, VIRTUAL_ASSETS)?,
        Rounding::Down,
    )?)
}

/// Assets for `shares` at total assets `a` and supply `s`. Rounded down: the vault never
/// values shares above their part of the assets.
fn to_assets(shares: U256, a: U256, s: U256) -> Result<U256, VaultError> {
    Ok(mul_div(
        shares,
        add(a, VIRTUAL_ASSETS)?,
        add(s, VIRTUAL_SHARES)?,
        Rounding::Down,
    )?)
}

#[public]
#[implements(Administered)]
impl RestakeVault {
    /// Sets the LRT and the admin; the minimum reward vesting period starts at
    /// [`DEFAULT_MIN_REWARD_DURATION`]. `admin` is explicit because inside a constructor the
    /// caller is the StylusDeployer contract. Before the first deposit the LRT must grant this
    /// vault its minter role; before the first redemption the admin grants
    /// [`REDEEM_QUEUE_ROLE`] to the redeem queue.
    ///
    /// # Errors
    /// `VaultZeroAddress` (zero LRT), `AccessControlInvalidAccount` (zero admin).
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(&mut self, lrt: Address, admin: Address) -> Result<(), VaultError> {
        nonzero(lrt)?;
        self.access.init(admin)?;
        store_addr(&mut self.settings.lrt, lrt);
        self.rewards.set_min_duration(DEFAULT_MIN_REWARD_DURATION);
        Ok(())
    }

    // ----- ERC-4626 / ERC-7535 views -----

    /// The asset, native ETH (ERC-7535 marker `0xEeee…EEeE`).
    pub fn asset(&self) -> Address {
        NATIVE_ETH
    }

    /// The LRT this vault mints.
    pub fn lrt(&self) -> Address {
        load_addr(&self.settings.lrt)
    }

    /// Total assets in wei: ETH + Σ token balance × rate / 1e18 (each rounded down) + vested
    /// rewards. A token whose provider fails is valued at its last good rate.
    ///
    /// # Errors
    /// `MathOverflow` on absurd balances.
    pub fn total_assets(&self) -> Result<U256, VaultError> {
        self.valuation()
    }

    /// LRT minted by the vault minus LRT it burned (escrowed shares included).
    pub fn total_shares(&self) -> U256 {
        self.holdings.total_shares()
    }

    /// Wei one LRT (1e18 units) is worth now, rounded down.
    ///
    /// # Errors
    /// `MathOverflow`.
    pub fn exchange_rate(&self) -> Result<U256, VaultError> {
        self.convert_to_assets(WAD)
    }

    /// Shares `assets` wei would mint now, rounded down.
    ///
    /// # Errors
    /// `MathOverflow`.
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, VaultError> {
        to_shares(assets, self.valuation()?, self.holdings.total_shares())
    }

    /// Wei `shares` are worth now, rounded down.
    ///
    /// # Errors
    /// `MathOverflow`.
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, VaultError> {
        to_assets(shares, self.valuation()?, self.holdings.total_shares())
    }

    /// Shares `deposit` would mint for `assets` wei now (as `convertToShares`).
    ///
    /// # Errors
    /// `MathOverflow`.
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, VaultError> {
        self.convert_to_shares(assets)
    }

    /// The most a redeem request (on the redeem queue) for `shares` made now could pay, in wei (as
    /// `convertToAssets`; the claim pays less if the rate falls meanwhile).
    ///
    /// # Errors
    /// `MathOverflow`.
    pub fn preview_redeem(&self, shares: U256) -> Result<U256, VaultError> {
        self.convert_to_assets(shares)
    }

    /// Most wei `deposit` accepts: zero while deposits are paused, else unlimited.
    pub fn max_deposit(&self, receiver: Address) -> U256 {
        let _ = receiver;
        if self.pausable.is_paused(GROUP_DEPOSIT) {
            U256::ZERO
        } else {
            U256::MAX
        }
    }

    // ----- Tokens and rewards views -----

    /// `token`'s listing: (deposits accepted, rate provider, deposit cap, balance held).
    pub fn token_info(&self, token: Address) -> (bool, Address, U256, U256) {
        self.holdings.token_info(token)
    }

    /// Every token ever listed, in listing order (unlisted ones included).
    pub fn tokens(&self) -> Vec<Address> {
        (0..self.holdings.token_count())
            .map(|i| self.holdings.token_at(i))
            .collect()
    }

    /// Rewards in `asset` not yet vested (held, but not part of the total assets).
    ///
    /// # Errors
    /// `MathOverflow`.
    pub fn unvested_reward(&self, asset: Address) -> Result<U256, VaultError> {
        self.rewards.unvested(asset, self.now())
    }

    /// Shortest reward vesting period in seconds.
    pub fn min_reward_duration(&self) -> u64 {
        self.rewards.min_duration()
    }

    // ----- Deposits -----

    /// Deposits the ETH sent and mints LRT to `receiver`.
    ///
    /// # Errors
    /// `PausableEnforcedPause`, `VaultZeroAddress` (zero receiver), `VaultZeroAmount` (no ETH),
    /// `VaultZeroShares` (too little to mint a share), the LRT's own errors (passed through),
    /// `ReentrancyGuardReentrantCall`, `MathOverflow`.
    ///
    /// # Events
    /// `Deposit`.
    #[payable]
    pub fn deposit(&mut self, receiver: Address) -> Result<U256, VaultError> {
        self.pausable.when_not_paused(GROUP_DEPOSIT)?;
        let value = self.vm().msg_value();
        self.guarded(|v| v._deposit(receiver, value))
    }

    /// Takes `amount` of the listed `token` from the caller (who approved the vault) and mints
    /// LRT to `receiver` for its ETH value. The rate is read before any token moves.
    ///
    /// # Errors
    /// `PausableEnforcedPause`, `VaultZeroAddress`, `VaultZeroAmount`, `VaultTokenNotListed`,
    /// `VaultRateUnavailable` (the provider reverts or answers zero), `VaultCapExceeded`,
    /// `VaultZeroShares`, `VaultTransferFailed` (the token reverts or answers `false`), the
    /// LRT's own errors (passed through), `ReentrancyGuardReentrantCall`, `MathOverflow`.
    ///
    /// # Events
    /// `Deposit` (assets = the ETH value credited).
    pub fn deposit_token(
        &mut self,
        token: Address,
        amount: U256,
        receiver: Address,
    ) -> Result<U256, VaultError> {
        self.pausable.when_not_paused(GROUP_DEPOSIT)?;
        self.guarded(|v| v._deposit_token(token, amount, receiver))
    }

    // ----- Redemption (the redeem queue's side) -----

    /// Redeem queue only: moves `shares` LRT of `owner` into the vault's escrow as if `spender`
    /// called `transferFrom` (no allowance needed when `spender == owner`). The queue reads
    /// the shares' value (`convertToAssets`) in the same transaction, before this call.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller lacks `REDEEM_QUEUE_ROLE`), the LRT's own
    /// errors (balance or allowance too low, passed through), `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// None from the vault (the LRT emits `Transfer`).
    pub fn escrow_shares(
        &mut self,
        spender: Address,
        owner: Address,
        shares: U256,
    ) -> Result<(), VaultError> {
        self.access
            .only_role(REDEEM_QUEUE_ROLE, self.vm().msg_sender())?;
        self.guarded(|v| {
            let lrt = v.lrt();
            let this = v.vm().contract_address();
            let ctx = Call::new_mutating(v);
            external::lrt_transfer_from_as(v.vm(), ctx, lrt, spender, owner, this, shares)
        })
    }

    /// Redeem queue only: settles a redemption of `shares` escrowed LRT: pays `receiver` the
    /// smaller of `max_assets` (the value at request time) and the shares' value now, in
    /// `asset` (ETH, or a token listed now or before, at its current rate), and burns the
    /// shares. Returns the amount paid in `asset` units.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultZeroAddress` (receiver), `VaultTokenNotListed`,
    /// `VaultRateUnavailable`, `VaultInsufficientLiquidity` (nothing changes; the request can
    /// be settled later), `VaultTransferFailed`, the LRT's own errors (passed through),
    /// `ReentrancyGuardReentrantCall`, `MathOverflow`.
    ///
    /// # Events
    /// `RedeemSettled`.
    pub fn settle_redeem(
        &mut self,
        asset: Address,
        max_assets: U256,
        shares: U256,
        receiver: Address,
    ) -> Result<U256, VaultError> {
        self.access
            .only_role(REDEEM_QUEUE_ROLE, self.vm().msg_sender())?;
        self.guarded(|v| v._settle(asset, max_assets, shares, receiver))
    }

    // ----- Restaking core hooks -----

    /// Stake manager only: takes `amount` of `asset` (a token or the ETH marker) out of the
    /// accounting and pays it to `recipient`. The exchange rate drops at once; queued requests
    /// bear the loss through the claim-time value.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultZeroAddress`, `VaultZeroAmount`,
    /// `VaultTokenNotListed` (never listed), `VaultInsufficientLiquidity` (more than the vested
    /// balance), `VaultTransferFailed`, `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `Slashed`.
    pub fn slash(
        &mut self,
        asset: Address,
        amount: U256,
        recipient: Address,
    ) -> Result<(), VaultError> {
        self.access
            .only_role(STAKE_MANAGER_ROLE, self.vm().msg_sender())?;
        self.guarded(|v| v._slash(asset, amount, recipient))
    }

    /// Stake manager only: adds a reward of `amount` of `asset` (ETH sent as value, or a listed
    /// token taken from the caller), vesting linearly over `max(duration, minRewardDuration)`
    /// together with what is still unvested.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultZeroAmount`, `VaultInvalidDuration` (over
    /// [`MAX_REWARD_DURATION`]), `VaultInvalidValue` (ETH sent differs from `amount`, or ETH
    /// sent with a token), `VaultTokenNotListed`, `VaultTransferFailed`,
    /// `ReentrancyGuardReentrantCall`, `MathOverflow`.
    ///
    /// # Events
    /// `RewardNotified`.
    #[payable]
    pub fn notify_reward(
        &mut self,
        asset: Address,
        amount: U256,
        duration: u64,
    ) -> Result<(), VaultError> {
        self.access
            .only_role(STAKE_MANAGER_ROLE, self.vm().msg_sender())?;
        self.guarded(|v| v._notify_reward(asset, amount, duration))
    }

    // ----- Admin -----

    /// Admin only: lists `token`, or updates a listing: deposits of it are accepted, valued by
    /// `rate_provider` (which must answer), up to a balance of `cap` token units. Also lists
    /// again a token that was unlisted.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultInvalidToken`, `VaultZeroAddress` (provider),
    /// `VaultTooManyTokens`, `VaultRateUnavailable`.
    ///
    /// # Events
    /// `TokenConfigured`.
    pub fn list_token(
        &mut self,
        token: Address,
        rate_provider: Address,
        cap: U256,
    ) -> Result<(), VaultError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self._list_token(token, rate_provider, cap)
    }

    /// Admin only: stops deposits of `token`. Its balance still counts and can still be paid.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultTokenNotListed`.
    ///
    /// # Events
    /// `TokenConfigured`.
    pub fn unlist_token(&mut self, token: Address) -> Result<(), VaultError> {
        self.access.only_admin(self.vm().msg_sender())?;
        if !self.holdings.is_listed(token) {
            return Err(VaultError::not_listed(token));
        }
        self.holdings.unlist(token);
        let (_, provider, cap, _) = self.holdings.token_info(token);
        self.log_token(token, provider, cap, false);
        Ok(())
    }

    /// Admin only: sets the shortest reward vesting period.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultInvalidDuration`.
    ///
    /// # Events
    /// `MinRewardDurationSet`.
    pub fn set_min_reward_duration(&mut self, duration: u64) -> Result<(), VaultError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self._set_min_reward_duration(duration)
    }
}

impl_administered!(RestakeVault);

/// Test access to state the ABI does not expose.
#[cfg(test)]
impl RestakeVault {
    /// Wei the vault accounts for (unvested ETH rewards included).
    pub(crate) fn held_eth(&self) -> U256 {
        self.holdings.balance(NATIVE_ETH)
    }

    /// Whether the reentrancy guard is held.
    pub(crate) fn guard_entered(&self) -> bool {
        self.guard.is_entered()
    }
}

// Internal operations: each public function checks access and pausing, then calls one of these.
impl RestakeVault {
    /// The block time.
    fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    /// Runs `op` under the reentrancy guard.
    fn guarded<T>(
        &mut self,
        op: impl FnOnce(&mut Self) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        self.guard.enter()?;
        let r = op(self);
        self.guard.exit();
        r
    }

    /// Units of `asset` that count at `now`: the balance minus unvested rewards.
    fn counted(&self, asset: Address, now: u64) -> Result<U256, VaultError> {
        Ok(restake_shared::math::sub(
            self.holdings.balance(asset),
            self.rewards.unvested(asset, now)?,
        )?)
    }

    /// Total assets in wei. Each token with a balance is valued at its provider's rate, or at
    /// the last rate the vault read from it when the provider fails now.
    fn valuation(&self) -> Result<U256, VaultError> {
        let now = self.now();
        let mut total = self.counted(NATIVE_ETH, now)?;
        for i in 0..self.holdings.token_count() {
            let token = self.holdings.token_at(i);
            let units = self.counted(token, now)?;
            if units.is_zero() {
                continue;
            }
            let rate = read_rate(self.vm(), self.holdings.rate_provider(token))
                .unwrap_or_else(|| self.holdings.last_rate(token));
            // Rounded down: a token balance never counts for more than it is worth.
            total = add(total, mul_div(units, rate, WAD, Rounding::Down)?)?;
        }
        Ok(total)
    }

    /// (total assets, total shares).
    fn state(&self) -> Result<(U256, U256), VaultError> {
        Ok((self.valuation()?, self.holdings.total_shares()))
    }

    /// The current rate of `token`, stored as its last good rate.
    fn live_rate(&mut self, token: Address) -> Result<U256, VaultError> {
        let rate = read_rate(self.vm(), self.holdings.rate_provider(token))
            .ok_or(VaultError::rate_unavailable(token))?;
        self.holdings.set_last_rate(token, rate);
        Ok(rate)
    }

    /// Shares for a deposit worth `value` wei.
    fn shares_for(&self, value: U256) -> Result<U256, VaultError> {
        let (a, s) = self.state()?;
        let shares = to_shares(value, a, s)?;
        if shares.is_zero() {
            return Err(VaultError::ZeroShares(VaultZeroShares {}));
        }
        Ok(shares)
    }

    /// Mints `shares` LRT to `receiver` for a deposit worth `value` wei (the ledger is updated
    /// already).
    fn mint_lrt(&mut self, receiver: Address, value: U256, shares: U256) -> Result<(), VaultError> {
        let lrt = self.lrt();
        let ctx = Call::new_mutating(self);
        external::lrt_mint(self.vm(), ctx, lrt, receiver, shares)?;
        let sender = self.vm().msg_sender();
        emit(
            self.vm(),
            &[Deposit::SIGNATURE_HASH, addr(sender), addr(receiver)],
            &[uint(value), uint(shares)],
        );
        Ok(())
    }

    fn _deposit(&mut self, receiver: Address, value: U256) -> Result<U256, VaultError> {
        nonzero(receiver)?;
        if value.is_zero() {
            return Err(VaultError::ZeroAmount(VaultZeroAmount {}));
        }
        let shares = self.shares_for(value)?;
        self.holdings.credit(NATIVE_ETH, value)?;
        self.holdings.mint_shares(shares)?;
        self.mint_lrt(receiver, value, shares)?;
        Ok(shares)
    }

    fn _deposit_token(
        &mut self,
        token: Address,
        amount: U256,
        receiver: Address,
    ) -> Result<U256, VaultError> {
        nonzero(receiver)?;
        if amount.is_zero() {
            return Err(VaultError::ZeroAmount(VaultZeroAmount {}));
        }
        if !self.holdings.is_listed(token) {
            return Err(VaultError::not_listed(token));
        }
        let rate = self.live_rate(token)?;
        let cap = self.holdings.cap(token);
        let would_hold = add(self.holdings.balance(token), amount)?;
        if would_hold > cap {
            return Err(VaultError::CapExceeded(VaultCapExceeded {
                token,
                cap,
                wouldHold: would_hold,
            }));
        }
        // Rounded down: the deposit is credited no more than the tokens are worth.
        let value = mul_div(amount, rate, WAD, Rounding::Down)?;
        let shares = self.shares_for(value)?;
        self.holdings.credit(token, amount)?;
        self.holdings.mint_shares(shares)?;
        let sender = self.vm().msg_sender();
        let this = self.vm().contract_address();
        let ctx = Call::new_mutating(self);
        external::pull_token(self.vm(), ctx, token, sender, this, amount)?;
        self.mint_lrt(receiver, value, shares)?;
        Ok(shares)
    }

    fn _slash(
        &mut self,
        asset: Address,
        amount: U256,
        recipient: Address,
    ) -> Result<(), VaultError> {
        if amount.is_zero() {
            return Err(VaultError::ZeroAmount(VaultZeroAmount {}));
        }
        nonzero(recipient)?;
        self.known_asset(asset)?;
        self.take(asset, amount)?;
        self.send(asset, recipient, amount)?;
        emit(
            self.vm(),
            &[Slashed::SIGNATURE_HASH, addr(asset), addr(recipient)],
            &[uint(amount)],
        );
        Ok(())
    }

    /// `Ok` for the ETH marker and tokens listed now or before.
    fn known_asset(&self, asset: Address) -> Result<(), VaultError> {
        if asset != NATIVE_ETH && !self.holdings.is_known(asset) {
            return Err(VaultError::not_listed(asset));
        }
        Ok(())
    }

    /// Takes `amount` of `asset` off the ledger, if that much is counted (vested) now.
    fn take(&mut self, asset: Address, amount: U256) -> Result<(), VaultError> {
        let available = self.counted(asset, self.now())?;
        if amount > available {
            return Err(VaultError::insufficient(asset, amount, available));
        }
        self.holdings.debit(asset, amount)
    }

    /// Sends `amount` of `asset` to `to` (nothing for zero).
    fn send(&mut self, asset: Address, to: Address, amount: U256) -> Result<(), VaultError> {
        let ctx = Call::new_mutating(self);
        external::pay(self.vm(), ctx, asset, to, amount)
    }

    fn _notify_reward(
        &mut self,
        asset: Address,
        amount: U256,
        duration: u64,
    ) -> Result<(), VaultError> {
        if amount.is_zero() {
            return Err(VaultError::ZeroAmount(VaultZeroAmount {}));
        }
        if duration > MAX_REWARD_DURATION {
            return Err(VaultError::InvalidDuration(VaultInvalidDuration {
                duration,
            }));
        }
        let value = self.vm().msg_value();
        let is_eth = asset == NATIVE_ETH;
        if !is_eth && !self.holdings.is_listed(asset) {
            return Err(VaultError::not_listed(asset));
        }
        if value != if is_eth { amount } else { U256::ZERO } {
            return Err(VaultError::InvalidValue(VaultInvalidValue { value }));
        }
        let period = duration.max(self.rewards.min_duration());
        let now = self.now();
        let (unvested, vesting_end) = self.rewards.notify(asset, amount, period, now)?;
        self.holdings.credit(asset, amount)?;
        if !is_eth {
            let sender = self.vm().msg_sender();
            let this = self.vm().contract_address();
            let ctx = Call::new_mutating(self);
            external::pull_token(self.vm(), ctx, asset, sender, this, amount)?;
        }
        emit(
            self.vm(),
            &[RewardNotified::SIGNATURE_HASH, addr(asset)],
            &[uint(amount), uint(unvested), u64_word(vesting_end)],
        );
        Ok(())
    }

    fn _list_token(
        &mut self,
        token: Address,
        provider: Address,
        cap: U256,
    ) -> Result<(), VaultError> {
        if token.is_zero() || token == NATIVE_ETH {
            return Err(VaultError::InvalidToken(VaultInvalidToken { token }));
        }
        nonzero(provider)?;
        let rate = read_rate(self.vm(), provider).ok_or(VaultError::rate_unavailable(token))?;
        self.holdings.list(token, provider, cap, rate)?;
        self.log_token(token, provider, cap, true);
        Ok(())
    }

    fn _set_min_reward_duration(&mut self, duration: u64) -> Result<(), VaultError> {
        if !(MIN_REWARD_DURATION_FLOOR..=MIN_REWARD_DURATION_CEIL).contains(&duration) {
            return Err(VaultError::InvalidDuration(VaultInvalidDuration {
                duration,
            }));
        }
        self.rewards.set_min_duration(duration);
        emit(
            self.vm(),
            &[MinRewardDurationSet::SIGNATURE_HASH],
            &[u64_word(duration)],
        );
        Ok(())
    }

    fn _settle(
        &mut self,
        asset: Address,
        max_assets: U256,
        shares: U256,
        receiver: Address,
    ) -> Result<U256, VaultError> {
        nonzero(receiver)?;
        self.known_asset(asset)?;
        let (a, s) = self.state()?;
        // Never more than at request time (queued shares earn nothing) and never more than
        // the shares are worth now (queued shares bear losses), rounded down.
        let value = max_assets.min(to_assets(shares, a, s)?);
        let amount = if asset == NATIVE_ETH {
            value
        } else {
            // Rounded down: token units paid are worth at most `value`.
            mul_div(value, WAD, self.live_rate(asset)?, Rounding::Down)?
        };
        self.take(asset, amount)?;
        self.holdings.burn_shares(shares)?;
        let lrt = self.lrt();
        let this = self.vm().contract_address();
        let ctx = Call::new_mutating(self);
        external::lrt_burn(self.vm(), ctx, lrt, this, shares)?;
        self.send(asset, receiver, amount)?;
        emit(
            self.vm(),
            &[RedeemSettled::SIGNATURE_HASH, addr(asset), addr(receiver)],
            &[uint(amount), uint(shares)],
        );
        Ok(amount)
    }

    /// Emits `TokenConfigured`.
    fn log_token(&self, token: Address, provider: Address, cap: U256, listed: bool) {
        emit(
            self.vm(),
            &[TokenConfigured::SIGNATURE_HASH, addr(token), addr(provider)],
            &[uint(cap), boolean(listed)],
        );
    }
}
