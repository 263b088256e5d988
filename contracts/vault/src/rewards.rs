//! Rewards vest linearly into the total assets.
//!
//! A reward is credited to the asset's balance at once, but the unvested part is left out of
//! the total assets, so depositing just before a reward and redeeming just after captures only
//! what vested in between. Each asset has one stream; a new reward restarts it with the
//! unvested remainder plus the new amount, over the new reward's period.
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use restake_shared::math::{add, mul_div, Rounding};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256, StorageU64},
};

use crate::word::{load, load_u64, store, store_u64};
use crate::VaultError;

/// One asset's vesting stream.
#[storage]
pub struct Stream {
    /// Unvested amount at `start`. Vests linearly until `end`; zero when no stream ran yet.
    locked: StorageU256,
    /// When the stream (re)started (unix seconds).
    start: StorageU64,
    /// When everything in it has vested. `end > start` whenever `locked` is non-zero.
    end: StorageU64,
}

/// Reward streams per asset and the shortest vesting period.
#[storage]
pub struct Rewards {
    /// Asset (a token, or `NATIVE_ETH`) => its stream.
    streams: StorageMap<Address, Stream>,
    /// Rewards vest over at least this many seconds. Within the bounds
    /// [`crate::MIN_REWARD_DURATION_FLOOR`]..=[`crate::MIN_REWARD_DURATION_CEIL`].
    min_duration: StorageU64,
}

/// What is still locked at `now` of `locked` vesting linearly from `start` to `end`, rounded
/// up: a wei counts only once it has fully vested.
///
/// # Errors
/// None in practice (`end - now <= end - start`); overflow is reported, never wrapped.
pub fn unvested_at(locked: U256, start: u64, end: u64, now: u64) -> Result<U256, VaultError> {
    if now >= end || locked.is_zero() {
        return Ok(U256::ZERO);
    }
    // `start <= now < end` (time never goes back), so both differences are positive.
    let left = end.saturating_sub(now.max(start));
    let total = end.saturating_sub(start);
    Ok(mul_div(
        locked,
        U256::from(left),
        U256::from(total),
        Rounding::Up,
    )?)
}

impl Rewards {
    /// The shortest vesting period.
    pub fn min_duration(&self) -> u64 {
        load_u64(&self.min_duration)
    }

    /// Sets the shortest vesting period (callers check the bounds).
    pub fn set_min_duration(&mut self, duration: u64) {
        store_u64(&mut self.min_duration, duration);
    }

    /// What of `asset`'s rewards is still unvested at `now`.
    ///
    /// # Errors
    /// As [`unvested_at`].
    pub fn unvested(&self, asset: Address, now: u64) -> Result<U256, VaultError> {
        let s = self.streams.getter(asset);
        unvested_at(load(&s.locked), load_u64(&s.start), load_u64(&s.end), now)
    }

    /// Adds `amount` to `asset`'s stream: the unvested remainder and `amount` vest together
    /// from `now` over `duration` seconds (callers pass a non-zero duration). Returns the new
    /// unvested total and the end of vesting.
    ///
    /// # Errors
    /// [`VaultError::Overflow`].
    pub fn notify(
        &mut self,
        asset: Address,
        amount: U256,
        duration: u64,
        now: u64,
    ) -> Result<(U256, u64), VaultError> {
        let locked = add(self.unvested(asset, now)?, amount)?;
        let end = now.saturating_add(duration);
        let mut s = self.streams.setter(asset);
        store(&mut s.locked, locked);
        store_u64(&mut s.start, now);
        store_u64(&mut s.end, end);
        Ok((locked, end))
    }
}
