//! The [`DelegationManager`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use restake_shared::{
    access::AccessControl,
    admin::Administered,
    impl_administered,
    math::{mul_div, sub, wad_mul, Rounding, WAD},
    pausable::Pausable,
};
use stylus_sdk::{
    call::static_call,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64, StorageVec},
    stylus_core::calls::Call,
};

use crate::*;

/// What one vault delegates to one operator.
#[storage]
pub struct Delegation {
    /// Delegated value in wei. Counted in the vault's `delegated` sum.
    amount: StorageU256,
    /// The lower amount a scheduled decrease leads to (meaningful when `pending_at != 0`;
    /// always <= `amount`).
    pending: StorageU256,
    /// When the scheduled decrease takes effect (0: none). Until then `amount` is slashable.
    pending_at: StorageU64,
    /// Most the vault may delegate to this operator (set by the admin).
    cap: StorageU256,
}

/// One registered vault.
#[storage]
pub struct VaultInfo {
    /// Registered (vaults are never removed; a manager can delegate zero everywhere).
    registered: StorageBool,
    /// Sets this vault's delegations.
    manager: StorageAddress,
    /// Sum of `amount` over the vault's delegations. Never above the vault's total assets at
    /// the last increase; a decrease lowers it only once settled.
    delegated: StorageU256,
}

/// The delegation manager contract.
#[entrypoint]
#[storage]
pub struct DelegationManager {
    /// Admin and roles (pauser).
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
    /// The operator registry (fixed at construction).
    registry: StorageAddress,
    /// The source of the deallocation delay; set once.
    allocation_manager: StorageAddress,
    /// The only caller of `slash`; set once with `allocation_manager`.
    slashing_manager: StorageAddress,
    /// Registered vaults in registration order (at most [`MAX_VAULTS`]).
    vault_list: StorageVec<StorageAddress>,
    /// Vault => registration.
    vaults: StorageMap<Address, VaultInfo>,
    /// Vault => operator => delegation.
    delegations: StorageMap<Address, StorageMap<Address, Delegation>>,
}

fn failed(target: Address) -> DelegationError {
    DelegationError::CallFailed(DelegationCallFailed { target })
}

#[public]
#[implements(Administered)]
impl DelegationManager {
    /// Sets the admin and the operator registry.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (zero admin or registry).
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        registry: Address,
    ) -> Result<(), DelegationError> {
        if registry.is_zero() {
            return Err(restake_shared::access::invalid_account(registry).into());
        }
        self.access.init(admin)?;
        self.registry.set(registry);
        Ok(())
    }

    /// Admin only: sets the allocation manager (the source of the deallocation delay) and
    /// the slashing manager (the only caller of `slash`). Once.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `DelegationPeersFixed` (already set, or a zero
    /// address given).
    ///
    /// # Events
    /// `PeersSet`.
    pub fn set_peers(
        &mut self,
        allocation_manager: Address,
        slashing_manager: Address,
    ) -> Result<(), DelegationError> {
        self.access.only_admin(self.vm().msg_sender())?;
        let current = self.allocation_manager.get();
        if !current.is_zero() || allocation_manager.is_zero() || slashing_manager.is_zero() {
            return Err(DelegationError::PeersFixed(DelegationPeersFixed {
                current,
            }));
        }
        self.allocation_manager.set(allocation_manager);
        self.slashing_manager.set(slashing_manager);
        self.vm().log(PeersSet {
            allocationManager: allocation_manager,
            slashingManager: slashing_manager,
        });
        Ok(())
    }

    /// The operator registry, the allocation manager and the slashing manager (zero until
    /// set).
    pub fn peers(&self) -> (Address, Address, Address) {
        (
            self.registry.get(),
            self.allocation_manager.get(),
            self.slashing_manager.get(),
        )
    }

    /// Admin only: registers `vault` with `manager` setting its delegations, or names a new
    /// manager for a registered vault.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AccessControlInvalidAccount` (zero vault or
    /// manager), `DelegationTooManyVaults`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `VaultRegistered`.
    pub fn register_vault(
        &mut self,
        vault: Address,
        manager: Address,
    ) -> Result<(), DelegationError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self.pausable.when_not_paused(GROUP_DELEGATION)?;
        if vault.is_zero() || manager.is_zero() {
            return Err(restake_shared::access::invalid_account(Address::ZERO).into());
        }
        if !self.vaults.getter(vault).registered.get() {
            if self.vault_list.len() as u64 >= MAX_VAULTS {
                return Err(DelegationError::TooManyVaults(DelegationTooManyVaults {}));
            }
            self.vault_list.push(vault);
            self.vaults.setter(vault).registered.set(true);
        }
        self.vaults.setter(vault).manager.set(manager);
        self.vm().log(VaultRegistered { vault, manager });
        Ok(())
    }

    /// Admin only: caps what `vault` may delegate to `operator` (existing delegations above a
    /// lowered cap stay; only increases are checked).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `DelegationUnknownVault`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `DelegationCapSet`.
    pub fn set_delegation_cap(
        &mut self,
        vault: Address,
        operator: Address,
        cap: U256,
    ) -> Result<(), DelegationError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self.pausable.when_not_paused(GROUP_DELEGATION)?;
        self.registered(vault)?;
        self.delegations.setter(vault).setter(operator).cap.set(cap);
        self.vm().log(DelegationCapSet {
            vault,
            operator,
            cap,
        });
        Ok(())
    }

    /// `vault`'s manager sets the value delegated to `operator`. An increase (the operator must
    /// be registered; at most the cap; the vault's delegations at most its total assets)
    /// applies at once and cancels a scheduled decrease; a decrease applies after the
    /// deallocation delay and replaces an earlier scheduled one.
    ///
    /// # Errors
    /// `DelegationUnknownVault`, `AccessControlUnauthorizedAccount` (caller not the vault's
    /// manager), `DelegationNotOperator`, `DelegationOverLimit`, `DelegationCallFailed`,
    /// `PausableEnforcedPause`, `MathOverflow`.
    ///
    /// # Events
    /// `DelegationSet` (a matured decrease settled first also emits one).
    pub fn set_delegation(
        &mut self,
        vault: Address,
        operator: Address,
        amount: U256,
    ) -> Result<(), DelegationError> {
        self.pausable.when_not_paused(GROUP_DELEGATION)?;
        self.registered(vault)?;
        let sender = self.vm().msg_sender();
        if self.vaults.getter(vault).manager.get() != sender {
            return Err(restake_shared::access::unauthorized(sender, VAULT_MANAGER).into());
        }
        self._set_delegation(vault, operator, amount)
    }

    /// Number of registered vaults.
    pub fn vault_count(&self) -> u64 {
        self.vault_list.len() as u64
    }

    /// The `index`-th registered vault, its manager and the sum of its delegations (zero
    /// address past the end).
    pub fn vault_at(&self, index: u64) -> (Address, Address, U256) {
        let vault = self.vault_list.get(index as usize).unwrap_or_default();
        let info = self.vaults.getter(vault);
        (vault, info.manager.get(), info.delegated.get())
    }

    /// What `vault` delegates to `operator`: amount, scheduled lower amount and when it takes
    /// effect (0: none), and the cap.
    pub fn delegation(&self, vault: Address, operator: Address) -> (U256, U256, u64, U256) {
        let d = self.delegations.getter(vault);
        let d = d.getter(operator);
        (
            d.amount.get(),
            d.pending.get(),
            d.pending_at.get().to(),
            d.cap.get(),
        )
    }

    /// The value `vault` backs `operator` with at time `at` (now when in the past; scheduled decreases
    /// counted from their effect), scaled down pro rata when the vault's current total assets
    /// are below the sum of its delegations.
    ///
    /// # Errors
    /// `DelegationCallFailed` (the vault's total assets could not be read), `MathOverflow`.
    pub fn vault_stake(
        &self,
        vault: Address,
        operator: Address,
        at: u64,
    ) -> Result<U256, DelegationError> {
        self.stake_at(vault, operator, at)
    }

    /// The value all vaults back `operator` with at time `at` (the sum of
    /// [`Self::vault_stake`]).
    ///
    /// # Errors
    /// As [`Self::vault_stake`].
    pub fn operator_stake(&self, operator: Address, at: u64) -> Result<U256, DelegationError> {
        let mut total = U256::ZERO;
        for i in 0..self.vault_list.len() {
            let vault = self.vault_list.get(i).unwrap_or_default();
            total = restake_shared::math::add(total, self.stake_at(vault, operator, at)?)?;
        }
        Ok(total)
    }

    /// Slashing manager only: slashes `wad` (a WAD fraction) of `operator`'s slashable stake in
    /// one operator set, whose magnitude is `magnitude` of the operator's `max_magnitude`.
    /// Each delegating vault owes `floor(floor(stake × magnitude / maxMagnitude) × wad /
    /// 1e18)` wei and its delegation shrinks by that value (scaled up, rounded up, when the
    /// vault is over-delegated, so its other delegations keep their stake). Returns the vaults
    /// and what each owes; the slashing manager takes it out of them.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not the slashing manager),
    /// `DelegationCallFailed` (a vault's total assets unreadable), `MathOverflow`.
    ///
    /// # Events
    /// `DelegationSlashed` per vault that owes value (and `DelegationSet` for settled
    /// decreases).
    pub fn slash(
        &mut self,
        operator: Address,
        magnitude: u64,
        max_magnitude: u64,
        wad: U256,
    ) -> Result<(Vec<Address>, Vec<U256>), DelegationError> {
        let sender = self.vm().msg_sender();
        if sender != self.slashing_manager.get() || sender.is_zero() {
            return Err(restake_shared::access::unauthorized(sender, SLASHER).into());
        }
        self._slash(operator, magnitude, max_magnitude, wad)
    }
}

impl DelegationManager {
    fn view<C: SolCall>(&self, to: Address, c: C) -> Result<C::Return, DelegationError> {
        let out =
            static_call(self.vm(), Call::new(), to, &c.abi_encode()).map_err(|_| failed(to))?;
        C::abi_decode_returns(&out).map_err(|_| failed(to))
    }

    fn registered(&self, vault: Address) -> Result<(), DelegationError> {
        if !self.vaults.getter(vault).registered.get() {
            return Err(DelegationError::UnknownVault(DelegationUnknownVault {
                vault,
            }));
        }
        Ok(())
    }

    #[inline(never)]
    fn write(&mut self, vault: Address, operator: Address, amount: U256, pending: U256, at: u64) {
        let mut outer = self.delegations.setter(vault);
        let mut d = outer.setter(operator);
        d.amount.set(amount);
        d.pending.set(pending);
        d.pending_at.set(alloy_primitives::Uint::from(at));
    }

    #[inline(never)]
    fn sum(&self, vault: Address) -> U256 {
        self.vaults.getter(vault).delegated.get()
    }

    #[inline(never)]
    fn set_sum(&mut self, vault: Address, sum: U256) {
        self.vaults.setter(vault).delegated.set(sum);
    }

    /// Applies a matured scheduled decrease.
    fn settle(&mut self, vault: Address, operator: Address) -> Result<(), DelegationError> {
        let now = self.vm().block_timestamp();
        let (amount, pending, at, _) = self.delegation(vault, operator);
        if at == 0 || now < at {
            return Ok(());
        }
        self.write(vault, operator, pending, U256::ZERO, 0);
        // `pending <= amount` and `amount` is part of the sum.
        let sum = sub(self.sum(vault), sub(amount, pending)?)?;
        self.set_sum(vault, sum);
        self.vm().log(DelegationSet {
            vault,
            operator,
            amount: pending,
            effectiveAt: now,
        });
        Ok(())
    }

    fn stake_at(
        &self,
        vault: Address,
        operator: Address,
        at: u64,
    ) -> Result<U256, DelegationError> {
        let (amount, pending, pending_at, _) = self.delegation(vault, operator);
        // A time in the past means now: a matured decrease counts even before it is settled.
        let at = at.max(self.vm().block_timestamp());
        let amount = if pending_at != 0 && at >= pending_at {
            pending
        } else {
            amount
        };
        if amount.is_zero() {
            return Ok(U256::ZERO);
        }
        let assets = self.view(vault, IStakeVault::totalAssetsCall {})?;
        let sum = self.sum(vault);
        if assets < sum {
            // Over-delegated vault: pro rata, rounded down (a stake is never overstated).
            return Ok(mul_div(amount, assets, sum, Rounding::Down)?);
        }
        Ok(amount)
    }

    fn _set_delegation(
        &mut self,
        vault: Address,
        operator: Address,
        amount: U256,
    ) -> Result<(), DelegationError> {
        self.settle(vault, operator)?;
        let now = self.vm().block_timestamp();
        let (current, _, _, cap) = self.delegation(vault, operator);
        let effective_at = if amount >= current {
            if amount > current {
                let registry = self.registry.get();
                let info = self.view(registry, IOperatorInfo::operatorInfoCall { operator })?;
                if !info._0 {
                    return Err(DelegationError::NotOperator(DelegationNotOperator {
                        operator,
                    }));
                }
                if amount > cap {
                    return Err(over(vault, amount, cap));
                }
            }
            let sum = self.sum(vault);
            let new_sum = restake_shared::math::add(sub(sum, current)?, amount)?;
            if amount > current {
                let assets = self.view(vault, IStakeVault::totalAssetsCall {})?;
                if new_sum > assets {
                    return Err(over(vault, new_sum, assets));
                }
            }
            self.set_sum(vault, new_sum);
            self.write(vault, operator, amount, U256::ZERO, 0);
            now
        } else {
            let manager = self.allocation_manager.get();
            let delay = self.view(manager, IDeallocationDelay::deallocationDelayCall {})?;
            let at = now.saturating_add(delay);
            self.write(vault, operator, current, amount, at);
            at
        };
        self.vm().log(DelegationSet {
            vault,
            operator,
            amount,
            effectiveAt: effective_at,
        });
        Ok(())
    }

    fn _slash(
        &mut self,
        operator: Address,
        magnitude: u64,
        max_magnitude: u64,
        wad: U256,
    ) -> Result<(Vec<Address>, Vec<U256>), DelegationError> {
        let mut owed: Vec<(Address, U256)> = Vec::new();
        if magnitude == 0 || max_magnitude == 0 || wad.is_zero() {
            return Ok((Vec::new(), Vec::new()));
        }
        let fraction = wad.min(WAD);
        // Effects: every delegation is reduced before any vault is called.
        for i in 0..self.vault_list.len() {
            let vault = self.vault_list.get(i).unwrap_or_default();
            self.settle(vault, operator)?;
            let stake = self.stake_at(vault, operator, self.vm().block_timestamp())?;
            // Both roundings down: the vault never loses more than the requested fraction.
            let slashable = mul_div(
                stake,
                U256::from(magnitude),
                U256::from(max_magnitude),
                Rounding::Down,
            )?;
            let value = wad_mul(slashable, fraction, Rounding::Down)?;
            if value.is_zero() {
                continue;
            }
            let (amount, pending, pending_at, _) = self.delegation(vault, operator);
            let sum = self.sum(vault);
            let reduction = if stake < amount {
                // Over-delegated: the nominal amount shrinks by value × amount / stake, rounded
                // up, so the vault's pro-rata ratio (and every other operator's stake) holds.
                mul_div(value, amount, stake, Rounding::Up)?.min(amount)
            } else {
                value
            };
            let left = sub(amount, reduction)?;
            self.write(vault, operator, left, pending.min(left), pending_at);
            self.set_sum(vault, sub(sum, reduction)?);
            self.vm().log(DelegationSlashed {
                operator,
                vault,
                value,
                reduction,
            });
            owed.push((vault, value));
        }
        Ok(owed.into_iter().unzip())
    }
}

fn over(vault: Address, amount: U256, limit: U256) -> DelegationError {
    DelegationError::OverLimit(DelegationOverLimit {
        vault,
        amount,
        limit,
    })
}

impl_administered!(DelegationManager);
