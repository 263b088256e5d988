//! The [`AllocationManager`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Uint, U256};
use alloy_sol_types::SolCall;
use restake_shared::{
    access::{invalid_account, unauthorized, AccessControl},
    admin::Administered,
    impl_administered,
    math::{mul_div, Rounding, WAD},
    pausable::Pausable,
};
use stylus_sdk::{
    call::static_call,
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU64},
    stylus_core::calls::Call,
};

use crate::*;

/// An operator's magnitude bookkeeping.
#[storage]
pub struct Magnitudes {
    /// Magnitude taken by slashes; the max magnitude is `WAD_MAGNITUDE - lost`.
    lost: StorageU64,
    /// Sum over sets of max(current, pending): never above the max magnitude.
    encumbered: StorageU64,
    /// Allocation delay in seconds (0: [`DEFAULT_ALLOCATION_DELAY`]).
    delay: StorageU64,
    /// A shorter allocation delay waiting out the timelock.
    pending_delay: StorageU64,
    /// When `pending_delay` may be applied (0: none scheduled).
    delay_eta: StorageU64,
}

/// An operator's allocation to one set.
#[storage]
pub struct Allocation {
    /// Magnitude in force (until `effect_at`).
    current: StorageU64,
    /// Magnitude from `effect_at` on (meaningful when `effect_at != 0`).
    pending: StorageU64,
    /// When `pending` takes effect (0: no change pending).
    effect_at: StorageU64,
}

/// The allocation manager contract.
#[entrypoint]
#[storage]
pub struct AllocationManager {
    /// Admin and roles (pauser).
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
    /// The operator registry (fixed at construction).
    registry: StorageAddress,
    /// The delegation manager (fixed at construction).
    delegation_manager: StorageAddress,
    /// The only caller of `apply_slash`; set once.
    slashing_manager: StorageAddress,
    /// Delay of decreases in seconds, within the bounds.
    deallocation_delay: StorageU64,
    /// A shorter deallocation delay waiting out the timelock.
    pending_deallocation_delay: StorageU64,
    /// When `pending_deallocation_delay` may be applied (0: none scheduled).
    deallocation_delay_eta: StorageU64,
    /// Operator => magnitudes.
    magnitudes: StorageMap<Address, Magnitudes>,
    /// Operator => set id => allocation.
    allocations: StorageMap<Address, StorageMap<u64, Allocation>>,
}

fn bounds(value: u64, min: u64, max: u64) -> Result<(), AllocationError> {
    if value < min || value > max {
        return Err(AllocationError::OutOfBounds(AllocationOutOfBounds {
            value: U256::from(value),
            min: U256::from(min),
            max: U256::from(max),
        }));
    }
    Ok(())
}

fn failed(target: Address) -> AllocationError {
    AllocationError::CallFailed(AllocationCallFailed { target })
}

#[public]
#[implements(Administered)]
impl AllocationManager {
    /// Sets the admin, the registry, the delegation manager and the deallocation delay.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (a zero address), `AllocationOutOfBounds` (delay outside
    /// 5..=30 days).
    ///
    /// # Events
    /// `AdminTransferred`, `DeallocationDelaySet`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        registry: Address,
        delegation_manager: Address,
        deallocation_delay: u64,
    ) -> Result<(), AllocationError> {
        if registry.is_zero() || delegation_manager.is_zero() {
            return Err(invalid_account(Address::ZERO).into());
        }
        bounds(
            deallocation_delay,
            MIN_DEALLOCATION_DELAY,
            MAX_DEALLOCATION_DELAY,
        )?;
        self.access.init(admin)?;
        self.registry.set(registry);
        self.delegation_manager.set(delegation_manager);
        self.deallocation_delay.set(Uint::from(deallocation_delay));
        let now = self.vm().block_timestamp();
        self.vm().log(DeallocationDelaySet {
            delay: deallocation_delay,
            effectiveAt: now,
        });
        Ok(())
    }

    /// Admin only: sets the slashing manager. Once.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AllocationPeerFixed` (already set, or zero).
    ///
    /// # Events
    /// `SlashingManagerSet`.
    pub fn set_slashing_manager(&mut self, manager: Address) -> Result<(), AllocationError> {
        self.access.only_admin(self.vm().msg_sender())?;
        let current = self.slashing_manager.get();
        if !current.is_zero() || manager.is_zero() {
            return Err(AllocationError::PeerFixed(AllocationPeerFixed { current }));
        }
        self.slashing_manager.set(manager);
        self.vm().log(SlashingManagerSet {
            slashingManager: manager,
        });
        Ok(())
    }

    /// The registry, the delegation manager and the slashing manager (zero until set).
    pub fn peers(&self) -> (Address, Address, Address) {
        (
            self.registry.get(),
            self.delegation_manager.get(),
            self.slashing_manager.get(),
        )
    }

    /// Admin only: changes the deallocation delay. A longer one applies at once (changes
    /// already pending keep their time); a shorter one waits out [`TIMELOCK`] (replacing an
    /// earlier scheduled one) and is applied by anyone with
    /// [`Self::apply_deallocation_delay`].
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AllocationOutOfBounds` (outside 5..=30 days).
    ///
    /// # Events
    /// `DeallocationDelaySet`.
    pub fn set_deallocation_delay(&mut self, delay: u64) -> Result<(), AllocationError> {
        self.access.only_admin(self.vm().msg_sender())?;
        bounds(delay, MIN_DEALLOCATION_DELAY, MAX_DEALLOCATION_DELAY)?;
        let now = self.vm().block_timestamp();
        let effective_at = if delay >= self.deallocation_delay() {
            self.deallocation_delay.set(Uint::from(delay));
            self.deallocation_delay_eta.set(Uint::ZERO);
            now
        } else {
            let eta = now.saturating_add(TIMELOCK);
            self.pending_deallocation_delay.set(Uint::from(delay));
            self.deallocation_delay_eta.set(Uint::from(eta));
            eta
        };
        self.vm().log(DeallocationDelaySet {
            delay,
            effectiveAt: effective_at,
        });
        Ok(())
    }

    /// Applies a scheduled shorter deallocation delay whose timelock is over (anyone).
    ///
    /// # Errors
    /// `AllocationTimelocked` (nothing scheduled: eta 0; or too early).
    ///
    /// # Events
    /// `DeallocationDelaySet`.
    pub fn apply_deallocation_delay(&mut self) -> Result<(), AllocationError> {
        let eta: u64 = self.deallocation_delay_eta.get().to();
        let now = self.vm().block_timestamp();
        if eta == 0 || now < eta {
            return Err(AllocationError::Timelocked(AllocationTimelocked { eta }));
        }
        let delay = self.pending_deallocation_delay.get();
        self.deallocation_delay.set(delay);
        self.deallocation_delay_eta.set(Uint::ZERO);
        self.vm().log(DeallocationDelaySet {
            delay: delay.to(),
            effectiveAt: now,
        });
        Ok(())
    }

    /// The deallocation delay in seconds.
    pub fn deallocation_delay(&self) -> u64 {
        self.deallocation_delay.get().to()
    }

    /// The scheduled shorter deallocation delay and when it may be applied (eta 0: none).
    pub fn scheduled_deallocation_delay(&self) -> (u64, u64) {
        (
            self.pending_deallocation_delay.get().to(),
            self.deallocation_delay_eta.get().to(),
        )
    }

    /// The caller (an operator) changes its allocation delay. A longer one applies at once; a
    /// shorter one waits out [`TIMELOCK`] and is applied by anyone with
    /// [`Self::apply_allocation_delay`]. Increases already pending keep their time.
    ///
    /// # Errors
    /// `AllocationOutOfBounds` (outside 1 hour..=30 days), `PausableEnforcedPause`.
    ///
    /// # Events
    /// `AllocationDelaySet`.
    pub fn set_allocation_delay(&mut self, delay: u64) -> Result<(), AllocationError> {
        self.pausable.when_not_paused(GROUP_ALLOCATIONS)?;
        bounds(delay, MIN_ALLOCATION_DELAY, MAX_ALLOCATION_DELAY)?;
        let operator = self.vm().msg_sender();
        let now = self.vm().block_timestamp();
        let longer = delay >= self.allocation_delay(operator);
        let mut m = self.magnitudes.setter(operator);
        let effective_at = if longer {
            m.delay.set(Uint::from(delay));
            m.delay_eta.set(Uint::ZERO);
            now
        } else {
            let eta = now.saturating_add(TIMELOCK);
            m.pending_delay.set(Uint::from(delay));
            m.delay_eta.set(Uint::from(eta));
            eta
        };
        self.vm().log(AllocationDelaySet {
            operator,
            delay,
            effectiveAt: effective_at,
        });
        Ok(())
    }

    /// Applies `operator`'s scheduled shorter allocation delay once its timelock is over
    /// (anyone may call).
    ///
    /// # Errors
    /// `AllocationTimelocked` (nothing scheduled: eta 0; or too early).
    ///
    /// # Events
    /// `AllocationDelaySet`.
    pub fn apply_allocation_delay(&mut self, operator: Address) -> Result<(), AllocationError> {
        let now = self.vm().block_timestamp();
        let mut m = self.magnitudes.setter(operator);
        let eta: u64 = m.delay_eta.get().to();
        if eta == 0 || now < eta {
            return Err(AllocationError::Timelocked(AllocationTimelocked { eta }));
        }
        let delay = m.pending_delay.get();
        m.delay.set(delay);
        m.delay_eta.set(Uint::ZERO);
        self.vm().log(AllocationDelaySet {
            operator,
            delay: delay.to(),
            effectiveAt: now,
        });
        Ok(())
    }

    /// `operator`'s allocation delay in seconds (the default when never set).
    pub fn allocation_delay(&self, operator: Address) -> u64 {
        let d: u64 = self.magnitudes.getter(operator).delay.get().to();
        if d == 0 {
            DEFAULT_ALLOCATION_DELAY
        } else {
            d
        }
    }

    /// The caller (an operator, member of `set_id` for an increase) sets its magnitude in
    /// `set_id` to `magnitude`. An increase reserves the magnitude at once and takes effect
    /// after the allocation delay; a decrease takes effect after the deallocation delay and
    /// frees the magnitude only then. Setting the current magnitude changes nothing.
    ///
    /// # Errors
    /// `AllocationOutOfBounds` (above 1e18), `AllocationPendingChange`, `AllocationNotMember`,
    /// `AllocationInsufficientMagnitude`, `AllocationCallFailed` (registry unreadable),
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `AllocationUpdated` (also for a matured change settled first).
    pub fn allocate(&mut self, set_id: u64, magnitude: u64) -> Result<(), AllocationError> {
        self.pausable.when_not_paused(GROUP_ALLOCATIONS)?;
        bounds(magnitude, 0, WAD_MAGNITUDE)?;
        let operator = self.vm().msg_sender();
        self._allocate(operator, set_id, magnitude)
    }

    /// Applies `operator`'s matured change in `set_id` (anyone may call), freeing the
    /// magnitude of a finished decrease.
    ///
    /// # Events
    /// `AllocationUpdated` when a change was applied.
    pub fn settle_allocation(&mut self, operator: Address, set_id: u64) {
        self.settle(operator, set_id);
    }

    /// `operator`'s allocation to `set_id`: magnitude in force, pending magnitude and when it
    /// takes effect (0: none).
    pub fn allocation(&self, operator: Address, set_id: u64) -> (u64, u64, u64) {
        let outer = self.allocations.getter(operator);
        let a = outer.getter(set_id);
        (
            a.current.get().to(),
            a.pending.get().to(),
            a.effect_at.get().to(),
        )
    }

    /// `operator`'s max magnitude and encumbered magnitude (allocated plus pending increases
    /// plus decreases not yet settled; the registry lets an operator deregister only at zero).
    pub fn magnitudes(&self, operator: Address) -> (u64, u64) {
        let m = self.magnitudes.getter(operator);
        let lost: u64 = m.lost.get().to();
        (
            WAD_MAGNITUDE - lost.min(WAD_MAGNITUDE),
            m.encumbered.get().to(),
        )
    }

    /// `operator`'s encumbered magnitude (see [`Self::magnitudes`]).
    pub fn encumbered_magnitude(&self, operator: Address) -> u64 {
        self.magnitudes(operator).1
    }

    /// `operator`'s magnitude in `set_id` that is slashable at time `at` (now when `at` is in
    /// the past) and its max magnitude. A pending increase counts from its effect, a pending
    /// decrease only until its effect.
    pub fn slashable_magnitude(&self, operator: Address, set_id: u64, at: u64) -> (u64, u64) {
        let at = at.max(self.vm().block_timestamp());
        let (current, pending, effect_at) = self.allocation(operator, set_id);
        let m = if effect_at != 0 && at >= effect_at {
            pending
        } else {
            current
        };
        (m, self.magnitudes(operator).0)
    }

    /// `operator`'s slashable stake in `set_id` at time `at` (now when in the past): its
    /// delegated stake then times the slashable magnitude over the max magnitude, rounded
    /// down. Never more than the delegated stake.
    ///
    /// # Errors
    /// `AllocationCallFailed` (the delegation manager could not answer), `MathOverflow`.
    pub fn slashable_stake(
        &self,
        operator: Address,
        set_id: u64,
        at: u64,
    ) -> Result<U256, AllocationError> {
        let at = at.max(self.vm().block_timestamp());
        let (m, max) = self.slashable_magnitude(operator, set_id, at);
        if m == 0 || max == 0 {
            return Ok(U256::ZERO);
        }
        let dm = self.delegation_manager.get();
        let call = IOperatorStake::operatorStakeCall { operator, at };
        let out =
            static_call(self.vm(), Call::new(), dm, &call.abi_encode()).map_err(|_| failed(dm))?;
        let stake =
            IOperatorStake::operatorStakeCall::abi_decode_returns(&out).map_err(|_| failed(dm))?;
        // Rounded down: slashable stake is never overstated; m <= max keeps it <= stake.
        Ok(mul_div(
            stake,
            U256::from(m),
            U256::from(max),
            Rounding::Down,
        )?)
    }

    /// Slashing manager only: cuts `wad` (a WAD fraction, at most 1e18) of `operator`'s
    /// slashable magnitude in `set_id`, rounded up, from both that magnitude and the max
    /// magnitude. Returns the slashable magnitude and the max magnitude before the cut (what
    /// the delegation manager needs to compute each vault's loss).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not the slashing manager), `MathOverflow`.
    ///
    /// # Events
    /// `MagnitudeSlashed` (and `AllocationUpdated` for a matured change settled first).
    pub fn apply_slash(
        &mut self,
        operator: Address,
        set_id: u64,
        wad: U256,
    ) -> Result<(u64, u64), AllocationError> {
        let sender = self.vm().msg_sender();
        if sender != self.slashing_manager.get() || sender.is_zero() {
            return Err(unauthorized(sender, SLASHER).into());
        }
        self._apply_slash(operator, set_id, wad.min(WAD))
    }
}

impl AllocationManager {
    #[inline(never)]
    fn write(
        &mut self,
        operator: Address,
        set_id: u64,
        current: u64,
        pending: u64,
        effect_at: u64,
    ) {
        let mut outer = self.allocations.setter(operator);
        let mut a = outer.setter(set_id);
        a.current.set(Uint::from(current));
        a.pending.set(Uint::from(pending));
        a.effect_at.set(Uint::from(effect_at));
    }

    #[inline(never)]
    fn set_encumbered(&mut self, operator: Address, encumbered: u64) {
        self.magnitudes
            .setter(operator)
            .encumbered
            .set(Uint::from(encumbered));
    }

    /// Applies a matured change; returns the allocation afterwards.
    fn settle(&mut self, operator: Address, set_id: u64) -> (u64, u64, u64) {
        let now = self.vm().block_timestamp();
        let (current, pending, effect_at) = self.allocation(operator, set_id);
        if effect_at == 0 || now < effect_at {
            return (current, pending, effect_at);
        }
        if pending < current {
            // The decrease was encumbered until now. Cannot underflow: `current` is part of
            // the encumbered sum.
            let enc = self.encumbered_magnitude(operator);
            self.set_encumbered(operator, enc.saturating_sub(current - pending));
        }
        self.write(operator, set_id, pending, 0, 0);
        self.vm().log(AllocationUpdated {
            operator,
            setId: set_id,
            magnitude: pending,
            effectiveAt: now,
        });
        (pending, 0, 0)
    }

    fn _allocate(
        &mut self,
        operator: Address,
        set_id: u64,
        magnitude: u64,
    ) -> Result<(), AllocationError> {
        let (current, _, effect_at) = self.settle(operator, set_id);
        if effect_at != 0 {
            return Err(AllocationError::PendingChange(AllocationPendingChange {
                setId: set_id,
                effectiveAt: effect_at,
            }));
        }
        if magnitude == current {
            return Ok(());
        }
        let now = self.vm().block_timestamp();
        let at = if magnitude > current {
            let registry = self.registry.get();
            let call = IMembership::membershipCall {
                setId: set_id,
                operator,
            };
            let out = static_call(self.vm(), Call::new(), registry, &call.abi_encode())
                .map_err(|_| failed(registry))?;
            let status = IMembership::membershipCall::abi_decode_returns(&out)
                .map_err(|_| failed(registry))?;
            if status != 2 {
                return Err(AllocationError::NotMember(AllocationNotMember {
                    setId: set_id,
                    operator,
                }));
            }
            let (max, enc) = self.magnitudes(operator);
            let needed = magnitude - current;
            let available = max.saturating_sub(enc);
            if needed > available {
                return Err(AllocationError::InsufficientMagnitude(
                    AllocationInsufficientMagnitude { available, needed },
                ));
            }
            // Reserved at once, so concurrent increases can never exceed the max magnitude.
            self.set_encumbered(operator, enc + needed);
            now.saturating_add(self.allocation_delay(operator))
        } else {
            now.saturating_add(self.deallocation_delay())
        };
        self.write(operator, set_id, current, magnitude, at);
        self.vm().log(AllocationUpdated {
            operator,
            setId: set_id,
            magnitude,
            effectiveAt: at,
        });
        Ok(())
    }

    fn _apply_slash(
        &mut self,
        operator: Address,
        set_id: u64,
        wad: U256,
    ) -> Result<(u64, u64), AllocationError> {
        let (current, pending, effect_at) = self.settle(operator, set_id);
        let (max, enc) = self.magnitudes(operator);
        if current == 0 || wad.is_zero() {
            return Ok((current, max));
        }
        // Rounded up (never zero for a non-zero fraction): the set's share and the max
        // magnitude fall by at least the fraction, so repeated dust slashes cannot leave a
        // magnitude that is never reduced. The value taken from vaults is computed separately,
        // rounded down, so it never exceeds the requested fraction.
        let cut: u64 = mul_div(U256::from(current), wad, WAD, Rounding::Up)?
            .min(U256::from(current))
            .to();
        let left = current - cut;
        let new_pending = if effect_at == 0 {
            0
        } else if pending > current {
            // A pending increase keeps its delta.
            pending - cut
        } else {
            // A pending decrease shrinks in proportion, rounded down.
            mul_div(
                U256::from(pending),
                U256::from(left),
                U256::from(current),
                Rounding::Down,
            )?
            .to()
        };
        self.write(operator, set_id, left, new_pending, effect_at);
        self.set_encumbered(operator, enc.saturating_sub(cut));
        let mut m = self.magnitudes.setter(operator);
        let lost: u64 = m.lost.get().to();
        m.lost
            .set(Uint::from(lost.saturating_add(cut).min(WAD_MAGNITUDE)));
        self.vm().log(MagnitudeSlashed {
            operator,
            setId: set_id,
            wad,
            slashedMagnitude: cut,
            maxMagnitude: max - cut,
        });
        Ok((current, max))
    }
}

impl_administered!(AllocationManager);
