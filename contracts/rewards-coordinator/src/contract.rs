//! The [`RewardsCoordinator`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Uint, U256};
use alloy_sol_types::SolCall;
use restake_shared::{
    access::{invalid_account, unauthorized, AccessControl},
    admin::Administered,
    impl_administered,
    math::{add, bps_of, mul_div, sub, Rounding},
    pausable::Pausable,
    reentrancy::ReentrancyGuard,
    NATIVE_ETH,
};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU64},
    stylus_core::calls::Call,
};

use crate::*;

/// The rewards coordinator contract.
#[entrypoint]
#[storage]
pub struct RewardsCoordinator {
    /// Admin and roles (pauser).
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
    /// Held while a submission moves funds.
    guard: ReentrancyGuard,
    /// The operator registry (fixed).
    registry: StorageAddress,
    /// The allocation manager (fixed).
    allocation_manager: StorageAddress,
    /// The delegation manager (fixed).
    delegation_manager: StorageAddress,
    /// Shortest reward duration in seconds, fixed at construction within
    /// [[`MIN_DURATION_FLOOR`], [`MIN_DURATION_CEIL`]].
    min_duration: StorageU64,
    /// Tokens accepted as rewards (the admin lists them; vaults must list them too).
    reward_tokens: StorageMap<Address, StorageBool>,
}

fn failed(target: Address) -> RewardsError {
    RewardsError::CallFailed(RewardsCallFailed { target })
}

fn bounds(value: u64, min: u64, max: u64) -> Result<(), RewardsError> {
    if value < min || value > max {
        return Err(RewardsError::OutOfBounds(RewardsOutOfBounds {
            value: U256::from(value),
            min: U256::from(min),
            max: U256::from(max),
        }));
    }
    Ok(())
}

#[public]
#[implements(Administered)]
impl RewardsCoordinator {
    /// Sets the admin, the peers and the minimum reward duration.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (a zero address), `RewardsOutOfBounds` (minimum duration
    /// outside 1 hour..=30 days).
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        registry: Address,
        allocation_manager: Address,
        delegation_manager: Address,
        min_duration: u64,
    ) -> Result<(), RewardsError> {
        if registry.is_zero() || allocation_manager.is_zero() || delegation_manager.is_zero() {
            return Err(invalid_account(Address::ZERO).into());
        }
        bounds(min_duration, MIN_DURATION_FLOOR, MIN_DURATION_CEIL)?;
        self.access.init(admin)?;
        self.registry.set(registry);
        self.allocation_manager.set(allocation_manager);
        self.delegation_manager.set(delegation_manager);
        self.min_duration.set(Uint::from(min_duration));
        Ok(())
    }

    /// The shortest reward duration in seconds.
    pub fn min_duration(&self) -> u64 {
        self.min_duration.get().to()
    }

    /// Whether `token` is accepted as a reward.
    pub fn is_reward_token(&self, token: Address) -> bool {
        self.reward_tokens.get(token)
    }

    /// Admin only: accepts `token` as a reward, or stops accepting it.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `RewardsInvalidAsset` (zero address or the ETH
    /// marker).
    ///
    /// # Events
    /// `RewardTokenSet`.
    pub fn set_reward_token(&mut self, token: Address, listed: bool) -> Result<(), RewardsError> {
        self.access.only_admin(self.vm().msg_sender())?;
        if token.is_zero() || token == NATIVE_ETH {
            return Err(RewardsError::InvalidAsset(RewardsInvalidAsset {
                asset: token,
            }));
        }
        self.reward_tokens.insert(token, listed);
        self.vm().log(RewardTokenSet { token, listed });
        Ok(())
    }

    /// The service owning `set_id` pays `amount` of `asset` (the ETH marker with the ETH sent
    /// as value, or a listed token it approved) as a reward for `operator` over `duration`
    /// seconds. The operator gets its fee (rounded down) plus the rounding dust; each vault
    /// backing it gets the rest in proportion to its slashable stake in the set, streamed
    /// through the vault's `notifyReward`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not the set's service), `RewardsInvalidAsset`,
    /// `RewardsInvalidAmount` (zero, or ETH sent differs from `amount`, or ETH sent with a
    /// token), `RewardsOutOfBounds` (duration), `RewardsNoStake`, `RewardsCallFailed`,
    /// `ReentrancyGuardReentrantCall`, `PausableEnforcedPause`, `MathOverflow`.
    ///
    /// # Events
    /// `RewardSubmitted`, `VaultRewarded` per vault paid.
    #[payable]
    pub fn submit_reward(
        &mut self,
        set_id: u64,
        operator: Address,
        asset: Address,
        amount: U256,
        duration: u64,
    ) -> Result<(), RewardsError> {
        self.pausable.when_not_paused(GROUP_REWARDS)?;
        let sender = self.vm().msg_sender();
        let info = self.view(
            self.registry.get(),
            IRegistryViews::setInfoCall { setId: set_id },
        )?;
        if info._0 != sender || sender.is_zero() {
            return Err(unauthorized(sender, SERVICE).into());
        }
        self.guard.enter()?;
        let r = self._submit(sender, set_id, operator, asset, amount, duration);
        self.guard.exit();
        r
    }
}

impl RewardsCoordinator {
    fn view<C: SolCall>(&self, to: Address, c: C) -> Result<C::Return, RewardsError> {
        let out =
            static_call(self.vm(), Call::new(), to, &c.abi_encode()).map_err(|_| failed(to))?;
        C::abi_decode_returns(&out).map_err(|_| failed(to))
    }

    /// Calls `to` with `data` and `value`; an ERC-20 call must return nothing or `true`.
    fn send(&mut self, to: Address, data: &[u8], value: U256) -> Result<(), RewardsError> {
        let ctx = Call::new_payable(self, value);
        let out = call(self.vm(), ctx, to, data).map_err(|_| failed(to))?;
        if !out.is_empty() && (out.len() < 32 || out[31] != 1 || out[..31].iter().any(|b| *b != 0))
        {
            return Err(failed(to));
        }
        Ok(())
    }

    /// Each vault's slashable stake of `operator` in `set_id`, and their sum.
    fn stakes(
        &self,
        set_id: u64,
        operator: Address,
    ) -> Result<(Vec<(Address, U256)>, U256), RewardsError> {
        let now = self.vm().block_timestamp();
        let mags = self.view(
            self.allocation_manager.get(),
            IMagnitudes::slashableMagnitudeCall {
                operator,
                setId: set_id,
                at: now,
            },
        )?;
        let mut out = Vec::new();
        let mut total = U256::ZERO;
        if mags._0 == 0 || mags._1 == 0 {
            return Ok((out, total));
        }
        let dm = self.delegation_manager.get();
        let count = self.view(dm, IStakes::vaultCountCall {})?;
        for index in 0..count {
            let vault = self.view(dm, IStakes::vaultAtCall { index })?._0;
            let stake = self.view(
                dm,
                IStakes::vaultStakeCall {
                    vault,
                    operator,
                    at: now,
                },
            )?;
            // Rounded down, as the allocation manager's slashable stake.
            let s = mul_div(
                stake,
                U256::from(mags._0),
                U256::from(mags._1),
                Rounding::Down,
            )?;
            if !s.is_zero() {
                total = add(total, s)?;
                out.push((vault, s));
            }
        }
        Ok((out, total))
    }

    fn _submit(
        &mut self,
        service: Address,
        set_id: u64,
        operator: Address,
        asset: Address,
        amount: U256,
        duration: u64,
    ) -> Result<(), RewardsError> {
        let value = self.vm().msg_value();
        let eth = asset == NATIVE_ETH;
        if !eth && !self.reward_tokens.get(asset) {
            return Err(RewardsError::InvalidAsset(RewardsInvalidAsset { asset }));
        }
        if amount.is_zero() || (eth && value != amount) || (!eth && !value.is_zero()) {
            return Err(RewardsError::InvalidAmount(RewardsInvalidAmount {
                amount,
                value,
            }));
        }
        bounds(duration, self.min_duration(), MAX_DURATION)?;
        let (stakes, total) = self.stakes(set_id, operator)?;
        if total.is_zero() {
            return Err(RewardsError::NoStake(RewardsNoStake {
                setId: set_id,
                operator,
            }));
        }
        let fee_bps = self
            .view(
                self.registry.get(),
                IRegistryViews::operatorInfoCall { operator },
            )?
            ._1;
        // Fee rounded down (in the vaults' favour); the dust of the shares goes to the operator
        // so every wei paid in is paid out.
        let fee = bps_of(amount, U256::from(fee_bps), Rounding::Down)?;
        let rest = sub(amount, fee)?;
        let mut paid = U256::ZERO;
        let mut shares = Vec::with_capacity(stakes.len());
        for (vault, stake) in stakes {
            // Rounded down: the vaults together never get more than `rest`.
            let share = mul_div(rest, stake, total, Rounding::Down)?;
            paid = add(paid, share)?;
            shares.push((vault, share));
        }
        let operator_share = sub(amount, paid)?;
        self.vm().log(RewardSubmitted {
            setId: set_id,
            operator,
            asset,
            amount,
            operatorShare: operator_share,
            duration,
        });
        // Interactions: nothing of this contract's state depends on them.
        if !eth {
            let this = self.vm().contract_address();
            let pull = IERC20Calls::transferFromCall {
                from: service,
                to: this,
                value: amount,
            };
            self.send(asset, &pull.abi_encode(), U256::ZERO)?;
        }
        for (vault, share) in shares {
            if share.is_zero() {
                continue;
            }
            let notify = IRewardVault::notifyRewardCall {
                asset,
                amount: share,
                duration,
            }
            .abi_encode();
            if eth {
                self.send(vault, &notify, share)?;
            } else {
                let approve = IERC20Calls::approveCall {
                    spender: vault,
                    value: share,
                };
                self.send(asset, &approve.abi_encode(), U256::ZERO)?;
                self.send(vault, &notify, U256::ZERO)?;
            }
            self.vm().log(VaultRewarded {
                setId: set_id,
                vault,
                asset,
                amount: share,
            });
        }
        if !operator_share.is_zero() {
            if eth {
                self.send(operator, &[], operator_share)?;
            } else {
                let pay = IERC20Calls::transferCall {
                    to: operator,
                    value: operator_share,
                };
                self.send(asset, &pay.abi_encode(), U256::ZERO)?;
            }
        }
        Ok(())
    }
}

impl_administered!(RewardsCoordinator);
