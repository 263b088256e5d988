//! The [`OperatorRegistry`] contract: storage layout and ABI.
use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use restake_shared::{
    access::{invalid_account, unauthorized, AccessControl},
    admin::Administered,
    impl_administered,
    pausable::Pausable,
};
use stylus_sdk::{
    call::static_call,
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageU16, StorageU32, StorageU64, StorageU8,
    },
    stylus_core::calls::Call,
};

use crate::*;

/// One operator.
#[storage]
pub struct Operator {
    /// Registered and not deregistered since.
    registered: StorageBool,
    /// Fee in basis points (<= [`MAX_FEE_BPS`]) until `fee_effective_at`.
    fee_bps: StorageU16,
    /// Fee from `fee_effective_at` on (<= [`MAX_FEE_BPS`]); equal to `fee_bps` when none is
    /// scheduled.
    next_fee_bps: StorageU16,
    /// When `next_fee_bps` takes effect (0: nothing scheduled).
    fee_effective_at: StorageU64,
    /// Number of sets the operator belongs to or asked to join. Deregistration needs zero.
    memberships: StorageU32,
}

/// A slashing configuration of an operator set (current or scheduled).
#[storage]
pub struct SetConfig {
    /// May request slashes of the set's operators. Never zero in a current configuration.
    slasher: StorageAddress,
    /// May veto slash requests during the veto window (zero: nobody).
    resolver: StorageAddress,
    /// Receives slashed funds (zero: they are burned).
    payout: StorageAddress,
    /// Per-event cap on the slashed fraction, in basis points, in 1..=10,000.
    max_slash_bps: StorageU16,
    /// Seconds between a slash request and its earliest execution, within
    /// [[`MIN_VETO_WINDOW`], [`MAX_VETO_WINDOW`]].
    veto_window: StorageU64,
}

/// One operator set.
#[storage]
pub struct OperatorSet {
    /// Owning service; zero exactly when the set does not exist.
    service: StorageAddress,
    /// Join requests are accepted without the service's action.
    auto_accept: StorageBool,
    /// When the scheduled configuration may be applied (0: none scheduled).
    pending_eta: StorageU64,
    /// The configuration in force.
    config: SetConfig,
    /// A loosening configuration waiting out the timelock (meaningful when `pending_eta != 0`).
    pending: SetConfig,
    /// `operator => STATUS_*`.
    members: StorageMap<Address, StorageU8>,
}

/// The operator registry contract.
#[entrypoint]
#[storage]
pub struct OperatorRegistry {
    /// Admin and roles (pauser).
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
    /// Registered operators.
    operators: StorageMap<Address, Operator>,
    /// Registered services (never unregistered).
    services: StorageMap<Address, StorageBool>,
    /// Operator sets by id; ids run from 1 to `set_count`.
    sets: StorageMap<u64, OperatorSet>,
    /// Number of operator sets created (the last id).
    set_count: StorageU64,
    /// Seconds between scheduling a fee change and its effect, within
    /// [[`MIN_FEE_DELAY`], [`MAX_FEE_DELAY`]].
    fee_delay: StorageU64,
    /// The allocation manager asked before deregistration; set once (zero before).
    allocation_manager: StorageAddress,
}

fn bounds(value: u64, min: u64, max: u64) -> Result<(), RegistryError> {
    if value < min || value > max {
        return Err(RegistryError::OutOfBounds(RegistryOutOfBounds {
            value: U256::from(value),
            min: U256::from(min),
            max: U256::from(max),
        }));
    }
    Ok(())
}

fn check_config(
    slasher: Address,
    max_slash_bps: u16,
    veto_window: u64,
) -> Result<(), RegistryError> {
    if slasher.is_zero() {
        return Err(invalid_account(slasher).into());
    }
    bounds(max_slash_bps.into(), 1, MAX_FEE_BPS.into())?;
    bounds(veto_window, MIN_VETO_WINDOW, MAX_VETO_WINDOW)
}

fn write_config(c: &mut SetConfig, cfg: Config) {
    c.slasher.set(cfg.0);
    c.resolver.set(cfg.1);
    c.payout.set(cfg.2);
    c.max_slash_bps.set(alloy_primitives::Uint::from(cfg.3));
    c.veto_window.set(alloy_primitives::Uint::from(cfg.4));
}

/// Slasher, resolver, payout, per-event cap (bps), veto window (s).
type Config = (Address, Address, Address, u16, u64);

fn read_config(c: &SetConfig) -> Config {
    (
        c.slasher.get(),
        c.resolver.get(),
        c.payout.get(),
        c.max_slash_bps.get().to(),
        c.veto_window.get().to(),
    )
}

#[public]
#[implements(Administered)]
impl OperatorRegistry {
    /// Sets the admin and the fee delay. `admin` is explicit because inside a constructor the
    /// caller is the StylusDeployer contract.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (zero admin), `RegistryOutOfBounds` (fee delay outside
    /// 1..=30 days).
    ///
    /// # Events
    /// `AdminTransferred`, `FeeDelaySet`.
    #[constructor]
    pub fn constructor(&mut self, admin: Address, fee_delay: u64) -> Result<(), RegistryError> {
        bounds(fee_delay, MIN_FEE_DELAY, MAX_FEE_DELAY)?;
        self.access.init(admin)?;
        self.fee_delay.set(alloy_primitives::Uint::from(fee_delay));
        self.vm().log(FeeDelaySet { delay: fee_delay });
        Ok(())
    }

    // ------------------------------------------------------------------ operators

    /// Registers the caller as an operator charging `fee_bps` of the rewards paid for it.
    ///
    /// # Errors
    /// `RegistryOutOfBounds` (above 10,000), `RegistryAlreadyRegistered`,
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `OperatorRegistered`.
    pub fn register_operator(&mut self, fee_bps: u16) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_OPERATORS)?;
        let operator = self.vm().msg_sender();
        self._register_operator(operator, fee_bps)
    }

    /// Publishes the metadata URI of the caller, a registered operator or service (emitted,
    /// not stored).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` naming `OPERATOR_ROLE` (the caller is neither),
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `MetadataURIUpdated`.
    pub fn set_metadata_uri(&mut self, metadata_uri: String) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_OPERATORS)?;
        let account = self.vm().msg_sender();
        if !self.services.get(account) {
            self.only_operator(account)?;
        }
        self.vm().log(MetadataURIUpdated {
            account,
            metadataURI: metadata_uri,
        });
        Ok(())
    }

    /// Schedules the calling operator's fee to become `fee_bps` after the fee delay. A second
    /// call replaces the scheduled change and restarts the delay.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (not an operator), `RegistryOutOfBounds`,
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `OperatorFeeScheduled`.
    pub fn schedule_fee_change(&mut self, fee_bps: u16) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_OPERATORS)?;
        let operator = self.vm().msg_sender();
        self.only_operator(operator)?;
        self._schedule_fee_change(operator, fee_bps)
    }

    /// Deregisters the calling operator, which must belong to no set (nor have a pending join
    /// request) and have no magnitude encumbered in the allocation manager.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (not an operator), `RegistryStillActive`,
    /// `RegistryCallFailed` (the allocation manager's answer could not be read),
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `OperatorDeregistered`.
    pub fn deregister_operator(&mut self) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_OPERATORS)?;
        let operator = self.vm().msg_sender();
        self.only_operator(operator)?;
        self._deregister_operator(operator)
    }

    /// `operator`'s state: registered, the fee in force now (basis points), the scheduled fee
    /// and when it takes effect (0: nothing scheduled), and the number of sets it belongs to or
    /// asked to join.
    pub fn operator_info(&self, operator: Address) -> (bool, u16, u16, u64, u32) {
        let op = self.operators.getter(operator);
        (
            op.registered.get(),
            self.fee_now(operator),
            op.next_fee_bps.get().to(),
            op.fee_effective_at.get().to(),
            op.memberships.get().to(),
        )
    }

    // ------------------------------------------------------------------ services and sets

    /// Registers the caller as a service.
    ///
    /// # Errors
    /// `RegistryAlreadyRegistered`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `ServiceRegistered`.
    pub fn register_service(&mut self) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        let service = self.vm().msg_sender();
        if self.services.get(service) {
            return Err(RegistryError::AlreadyRegistered(
                RegistryAlreadyRegistered { account: service },
            ));
        }
        self.services.insert(service, true);
        self.vm().log(ServiceRegistered { service });
        Ok(())
    }

    /// With `set_id` 0: the calling service (registered) creates an operator set with this
    /// configuration and receives its id (ids start at 1). Otherwise the set's service
    /// reconfigures `set_id` and receives `set_id`: automatic acceptance changes at once; a
    /// slashing configuration that only tightens (same slasher, resolver and payout, a cap no
    /// higher, a veto window no shorter) applies at once and cancels a scheduled one; any other
    /// waits out [`TIMELOCK`] (replacing an earlier scheduled one) and is then applied by
    /// anyone with [`Self::apply_set_config`]. A zero resolver means nobody can veto; a zero
    /// payout means slashed funds are burned.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (creating without being a service),
    /// `RegistryUnknownSet`, `RegistryNotSetService`, `AccessControlInvalidAccount` (zero
    /// slasher), `RegistryOutOfBounds` (cap 0 or above 10,000 bps; veto window outside
    /// 1 hour..=3 days), `PausableEnforcedPause`.
    ///
    /// # Events
    /// `OperatorSetCreated` (creation), `SetConfigured` (`effectiveAt` now when applied, the
    /// timelock's end when scheduled).
    #[allow(clippy::too_many_arguments)]
    pub fn configure_set(
        &mut self,
        set_id: u64,
        slasher: Address,
        resolver: Address,
        payout: Address,
        max_slash_bps: u16,
        veto_window: u64,
        auto_accept: bool,
    ) -> Result<u64, RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        let sender = self.vm().msg_sender();
        check_config(slasher, max_slash_bps, veto_window)?;
        let now = self.vm().block_timestamp();
        let cfg = (slasher, resolver, payout, max_slash_bps, veto_window);
        let (id, effective_at) = if set_id == 0 {
            if !self.services.get(sender) {
                return Err(unauthorized(sender, SERVICE_ROLE).into());
            }
            let id: u64 = self.set_count.get().to::<u64>() + 1;
            self.set_count.set(alloy_primitives::Uint::from(id));
            let mut set = self.sets.setter(id);
            set.service.set(sender);
            set.auto_accept.set(auto_accept);
            write_config(&mut set.config, cfg);
            self.vm().log(OperatorSetCreated {
                setId: id,
                service: sender,
            });
            (id, now)
        } else {
            self.only_set_service(set_id, sender)?;
            let mut set = self.sets.setter(set_id);
            set.auto_accept.set(auto_accept);
            let (s, r, p, m, v) = read_config(&set.config);
            let tightens = s == slasher
                && r == resolver
                && p == payout
                && max_slash_bps <= m
                && veto_window >= v;
            let at = if tightens {
                write_config(&mut set.config, cfg);
                set.pending_eta.set(alloy_primitives::Uint::ZERO);
                now
            } else {
                let eta = now.saturating_add(TIMELOCK);
                write_config(&mut set.pending, cfg);
                set.pending_eta.set(alloy_primitives::Uint::from(eta));
                eta
            };
            (set_id, at)
        };
        self.emit_config(id, cfg, auto_accept, effective_at);
        Ok(id)
    }

    /// Applies a scheduled configuration whose timelock is over (anyone may call).
    ///
    /// # Errors
    /// `RegistryTimelocked` (eta 0: nothing scheduled, also for an unknown set; or too early),
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `SetConfigured`.
    pub fn apply_set_config(&mut self, set_id: u64) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        let now = self.vm().block_timestamp();
        let mut set = self.sets.setter(set_id);
        let eta: u64 = set.pending_eta.get().to();
        if eta == 0 {
            return Err(RegistryError::Timelocked(RegistryTimelocked { eta }));
        }
        if now < eta {
            return Err(RegistryError::Timelocked(RegistryTimelocked { eta }));
        }
        let cfg = read_config(&set.pending);
        write_config(&mut set.config, cfg);
        set.pending_eta.set(alloy_primitives::Uint::ZERO);
        let auto_accept = set.auto_accept.get();
        self.emit_config(set_id, cfg, auto_accept, now);
        Ok(())
    }

    /// Set `set_id`'s owner (zero for an unknown set), whether it accepts join requests
    /// automatically, when its scheduled configuration may be applied (0: none), and the number
    /// of sets created so far (the highest id).
    pub fn set_info(&self, set_id: u64) -> (Address, bool, u64, u64) {
        let set = self.sets.getter(set_id);
        (
            set.service.get(),
            set.auto_accept.get(),
            set.pending_eta.get().to(),
            self.set_count.get().to(),
        )
    }

    /// Set `set_id`'s slashing configuration in force (`scheduled` false) or scheduled
    /// (`scheduled` true): slasher (zero for an unknown set), resolver, payout, per-event cap in
    /// basis points and veto window in seconds.
    pub fn set_config(
        &self,
        set_id: u64,
        scheduled: bool,
    ) -> (Address, Address, Address, u16, u64) {
        let set = self.sets.getter(set_id);
        read_config(if scheduled { &set.pending } else { &set.config })
    }

    // ------------------------------------------------------------------ membership

    /// Called by `operator` itself: asks to join `set_id` (a member at once when the set
    /// accepts automatically). Called by the set's service: accepts `operator`'s pending
    /// request.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (operator not registered), `RegistryUnknownSet`,
    /// `RegistryNotSetService` (caller neither
    /// the operator nor the service), `RegistryInvalidMembership` (operator asking while member
    /// or pending; service accepting without a pending request), `PausableEnforcedPause`.
    ///
    /// # Events
    /// `MembershipChanged`.
    pub fn join(&mut self, set_id: u64, operator: Address) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_MEMBERSHIP)?;
        let caller = self.vm().msg_sender();
        if caller == operator {
            self._request_join(set_id, operator)
        } else {
            self.only_set_service(set_id, caller)?;
            self.expect_status(set_id, operator, STATUS_PENDING)?;
            self.write_status(set_id, operator, STATUS_MEMBER);
            Ok(())
        }
    }

    /// Ends `operator`'s membership of `set_id` (or its pending request); the operator itself
    /// or the set's service may call. Allocated magnitude stays slashable until the operator
    /// deallocates it and the deallocation delay passes. Never paused.
    ///
    /// # Errors
    /// `RegistryUnknownSet`, `RegistryNotSetService` (caller neither the operator nor the
    /// service), `RegistryInvalidMembership` (neither member nor pending).
    ///
    /// # Events
    /// `MembershipChanged`.
    pub fn leave(&mut self, set_id: u64, operator: Address) -> Result<(), RegistryError> {
        let caller = self.vm().msg_sender();
        if caller != operator {
            self.only_set_service(set_id, caller)?;
        }
        self._end_membership(set_id, operator)
    }

    /// `operator`'s membership of `set_id`: 0 none, 1 pending, 2 member.
    pub fn membership(&self, set_id: u64, operator: Address) -> u8 {
        self.sets.getter(set_id).members.get(operator).to()
    }

    // ------------------------------------------------------------------ administration

    /// Admin only: sets the allocation manager consulted before deregistration. Once.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `RegistryAllocationManagerFixed` (already set, or
    /// zero).
    ///
    /// # Events
    /// `AllocationManagerSet`.
    pub fn set_allocation_manager(&mut self, manager: Address) -> Result<(), RegistryError> {
        self.access.only_admin(self.vm().msg_sender())?;
        let current = self.allocation_manager.get();
        if !current.is_zero() || manager.is_zero() {
            return Err(RegistryError::AllocationManagerFixed(
                RegistryAllocationManagerFixed { current },
            ));
        }
        self.allocation_manager.set(manager);
        self.vm().log(AllocationManagerSet {
            allocationManager: manager,
        });
        Ok(())
    }

    /// The allocation manager (zero until set).
    pub fn allocation_manager(&self) -> Address {
        self.allocation_manager.get()
    }

    /// The fee delay in seconds (fixed at construction).
    pub fn fee_delay(&self) -> u64 {
        self.fee_delay.get().to()
    }
}

impl OperatorRegistry {
    fn only_operator(&self, account: Address) -> Result<(), RegistryError> {
        if !self.is_operator(account) {
            return Err(unauthorized(account, OPERATOR_ROLE).into());
        }
        Ok(())
    }

    fn set_exists(&self, set_id: u64) -> Result<Address, RegistryError> {
        let service = self.sets.getter(set_id).service.get();
        if service.is_zero() {
            return Err(RegistryError::UnknownSet(RegistryUnknownSet {
                setId: set_id,
            }));
        }
        Ok(service)
    }

    fn only_set_service(&self, set_id: u64, account: Address) -> Result<(), RegistryError> {
        if self.set_exists(set_id)? != account {
            return Err(RegistryError::NotSetService(RegistryNotSetService {
                setId: set_id,
                account,
            }));
        }
        Ok(())
    }

    fn expect_status(&self, set_id: u64, operator: Address, want: u8) -> Result<(), RegistryError> {
        let status = self.membership(set_id, operator);
        if status != want {
            return Err(RegistryError::InvalidMembership(
                RegistryInvalidMembership {
                    setId: set_id,
                    operator,
                    status,
                },
            ));
        }
        Ok(())
    }

    fn emit_config(&self, set_id: u64, cfg: Config, auto_accept: bool, effective_at: u64) {
        self.vm().log(SetConfigured {
            setId: set_id,
            slasher: cfg.0,
            resolver: cfg.1,
            payout: cfg.2,
            maxSlashBps: cfg.3,
            vetoWindow: cfg.4,
            autoAccept: auto_accept,
            effectiveAt: effective_at,
        });
    }

    fn write_status(&mut self, set_id: u64, operator: Address, status: u8) {
        self.sets
            .setter(set_id)
            .members
            .insert(operator, alloy_primitives::Uint::from(status));
        self.vm().log(MembershipChanged {
            setId: set_id,
            operator,
            status,
        });
    }

    fn is_operator(&self, account: Address) -> bool {
        self.operators.getter(account).registered.get()
    }

    fn fee_now(&self, operator: Address) -> u16 {
        let op = self.operators.getter(operator);
        let at: u64 = op.fee_effective_at.get().to();
        if at != 0 && self.vm().block_timestamp() >= at {
            op.next_fee_bps.get().to()
        } else {
            op.fee_bps.get().to()
        }
    }

    fn _request_join(&mut self, set_id: u64, operator: Address) -> Result<(), RegistryError> {
        self.only_operator(operator)?;
        self.set_exists(set_id)?;
        self.expect_status(set_id, operator, STATUS_NONE)?;
        let status = if self.sets.getter(set_id).auto_accept.get() {
            STATUS_MEMBER
        } else {
            STATUS_PENDING
        };
        let mut op = self.operators.setter(operator);
        let count = op.memberships.get();
        op.memberships
            .set(count + alloy_primitives::Uint::from(1u8));
        self.write_status(set_id, operator, status);
        Ok(())
    }

    fn _register_operator(&mut self, operator: Address, fee_bps: u16) -> Result<(), RegistryError> {
        bounds(fee_bps.into(), 0, MAX_FEE_BPS.into())?;
        if self.is_operator(operator) {
            return Err(RegistryError::AlreadyRegistered(
                RegistryAlreadyRegistered { account: operator },
            ));
        }
        let mut op = self.operators.setter(operator);
        op.registered.set(true);
        op.fee_bps.set(alloy_primitives::Uint::from(fee_bps));
        op.next_fee_bps.set(alloy_primitives::Uint::from(fee_bps));
        op.fee_effective_at.set(alloy_primitives::Uint::ZERO);
        self.vm().log(OperatorRegistered {
            operator,
            feeBps: fee_bps,
        });
        Ok(())
    }

    fn _schedule_fee_change(
        &mut self,
        operator: Address,
        fee_bps: u16,
    ) -> Result<(), RegistryError> {
        bounds(fee_bps.into(), 0, MAX_FEE_BPS.into())?;
        // Settle a scheduled change that already took effect, so it is not lost.
        let current = self.fee_now(operator);
        let effective_at = self
            .vm()
            .block_timestamp()
            .saturating_add(self.fee_delay.get().to());
        let mut op = self.operators.setter(operator);
        op.fee_bps.set(alloy_primitives::Uint::from(current));
        op.next_fee_bps.set(alloy_primitives::Uint::from(fee_bps));
        op.fee_effective_at
            .set(alloy_primitives::Uint::from(effective_at));
        self.vm().log(OperatorFeeScheduled {
            operator,
            feeBps: fee_bps,
            effectiveAt: effective_at,
        });
        Ok(())
    }

    fn _deregister_operator(&mut self, operator: Address) -> Result<(), RegistryError> {
        let count: u32 = self.operators.getter(operator).memberships.get().to();
        let manager = self.allocation_manager.get();
        let mut magnitude = 0;
        if !manager.is_zero() {
            let call = IAllocationView::encumberedMagnitudeCall { operator };
            let failed = || RegistryError::CallFailed(RegistryCallFailed { target: manager });
            let out = static_call(self.vm(), Call::new(), manager, &call.abi_encode())
                .map_err(|_| failed())?;
            magnitude = IAllocationView::encumberedMagnitudeCall::abi_decode_returns(&out)
                .map_err(|_| failed())?;
        }
        if count != 0 || magnitude != 0 {
            return Err(RegistryError::StillActive(RegistryStillActive {
                operator,
                memberships: count,
                magnitude,
            }));
        }
        let mut op = self.operators.setter(operator);
        op.registered.set(false);
        op.fee_effective_at.set(alloy_primitives::Uint::ZERO);
        self.vm().log(OperatorDeregistered { operator });
        Ok(())
    }

    fn _end_membership(&mut self, set_id: u64, operator: Address) -> Result<(), RegistryError> {
        let status = self.membership(set_id, operator);
        if status == STATUS_NONE {
            return Err(RegistryError::InvalidMembership(
                RegistryInvalidMembership {
                    setId: set_id,
                    operator,
                    status,
                },
            ));
        }
        let mut op = self.operators.setter(operator);
        let count = op.memberships.get();
        // Cannot underflow: every non-NONE status was counted when it was entered.
        op.memberships
            .set(count.saturating_sub(alloy_primitives::Uint::from(1u8)));
        self.write_status(set_id, operator, STATUS_NONE);
        Ok(())
    }
}

impl_administered!(OperatorRegistry);
