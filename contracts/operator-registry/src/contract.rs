//! The [`OperatorRegistry`] contract: storage layout and ABI.
use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::Address;
use alloy_sol_types::SolCall;
use restake_shared::{
    access::AccessControl, admin::Administered, impl_administered, pausable::Pausable,
};
use stylus_sdk::{
    call::static_call,
    stylus_core::calls::Call,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU16, StorageU32, StorageU64, StorageU8},
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
    /// A shorter fee delay waiting out the timelock.
    pending_fee_delay: StorageU64,
    /// When `pending_fee_delay` may be applied (0: none scheduled).
    pending_fee_delay_eta: StorageU64,
    /// The allocation manager asked before deregistration; set once (zero before).
    allocation_manager: StorageAddress,
}

fn check_delay(delay: u64, min: u64, max: u64) -> Result<(), RegistryError> {
    if delay < min || delay > max {
        return Err(RegistryError::InvalidDelay(RegistryInvalidDelay {
            delay,
            min,
            max,
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
        return Err(RegistryError::InvalidSlasher(RegistryInvalidSlasher {
            slasher,
        }));
    }
    if max_slash_bps == 0 || max_slash_bps > MAX_FEE_BPS {
        return Err(RegistryError::InvalidMaxSlash(RegistryInvalidMaxSlash {
            maxSlashBps: max_slash_bps,
        }));
    }
    check_delay(veto_window, MIN_VETO_WINDOW, MAX_VETO_WINDOW)
}

fn write_config(
    c: &mut SetConfig,
    slasher: Address,
    resolver: Address,
    payout: Address,
    max_slash_bps: u16,
    veto_window: u64,
) {
    c.slasher.set(slasher);
    c.resolver.set(resolver);
    c.payout.set(payout);
    c.max_slash_bps.set(alloy_primitives::Uint::from(max_slash_bps));
    c.veto_window.set(alloy_primitives::Uint::from(veto_window));
}

fn read_config(c: &SetConfig) -> (Address, Address, Address, u16, u64) {
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
    /// `AccessControlInvalidAccount` (zero admin), `RegistryInvalidDelay` (fee delay outside
    /// 1..=30 days).
    ///
    /// # Events
    /// `AdminTransferred`, `FeeDelaySet`.
    #[constructor]
    pub fn constructor(&mut self, admin: Address, fee_delay: u64) -> Result<(), RegistryError> {
        check_delay(fee_delay, MIN_FEE_DELAY, MAX_FEE_DELAY)?;
        self.access.init(admin)?;
        self.fee_delay.set(alloy_primitives::Uint::from(fee_delay));
        self.vm().log(FeeDelaySet { delay: fee_delay });
        Ok(())
    }

    // ------------------------------------------------------------------ operators

    /// Registers the caller as an operator charging `fee_bps` of the rewards paid for it.
    ///
    /// # Errors
    /// `RegistryInvalidFee` (above 10,000), `RegistryAlreadyRegistered`,
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `OperatorRegistered`, `OperatorMetadataURIUpdated`.
    pub fn register_operator(
        &mut self,
        fee_bps: u16,
        metadata_uri: String,
    ) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_OPERATORS)?;
        let operator = self.vm().msg_sender();
        self._register_operator(operator, fee_bps, metadata_uri)
    }

    /// Publishes new metadata for the calling operator.
    ///
    /// # Errors
    /// `RegistryNotOperator`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `OperatorMetadataURIUpdated`.
    pub fn update_operator_metadata_uri(
        &mut self,
        metadata_uri: String,
    ) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_OPERATORS)?;
        let operator = self.vm().msg_sender();
        self.only_operator(operator)?;
        self.vm().log(OperatorMetadataURIUpdated {
            operator,
            metadataURI: metadata_uri,
        });
        Ok(())
    }

    /// Schedules the calling operator's fee to become `fee_bps` after the fee delay. A second
    /// call replaces the scheduled change and restarts the delay.
    ///
    /// # Errors
    /// `RegistryNotOperator`, `RegistryInvalidFee`, `PausableEnforcedPause`.
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
    /// `RegistryNotOperator`, `RegistryStillMember`, `RegistryStillAllocated`,
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

    /// Whether `account` is a registered operator.
    pub fn is_operator(&self, account: Address) -> bool {
        self.operators.getter(account).registered.get()
    }

    /// The fee `operator` charges now, in basis points (0 for an unregistered account).
    pub fn operator_fee_bps(&self, operator: Address) -> u16 {
        let op = self.operators.getter(operator);
        let at: u64 = op.fee_effective_at.get().to();
        if at != 0 && self.vm().block_timestamp() >= at {
            op.next_fee_bps.get().to()
        } else {
            op.fee_bps.get().to()
        }
    }

    /// The fee `operator` charges from `effective_at` on (equal to the current fee and 0 when
    /// nothing is scheduled).
    pub fn scheduled_fee(&self, operator: Address) -> (u16, u64) {
        let op = self.operators.getter(operator);
        (op.next_fee_bps.get().to(), op.fee_effective_at.get().to())
    }

    /// Number of sets `operator` belongs to or asked to join.
    pub fn membership_count(&self, operator: Address) -> u32 {
        self.operators.getter(operator).memberships.get().to()
    }

    // ------------------------------------------------------------------ services and sets

    /// Registers the caller as a service.
    ///
    /// # Errors
    /// `RegistryAlreadyRegistered`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `ServiceRegistered`, `ServiceMetadataURIUpdated`.
    pub fn register_service(&mut self, metadata_uri: String) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        let service = self.vm().msg_sender();
        if self.services.get(service) {
            return Err(RegistryError::AlreadyRegistered(
                RegistryAlreadyRegistered { account: service },
            ));
        }
        self.services.insert(service, true);
        self.vm().log(ServiceRegistered { service });
        self.vm().log(ServiceMetadataURIUpdated {
            service,
            metadataURI: metadata_uri,
        });
        Ok(())
    }

    /// Publishes new metadata for the calling service.
    ///
    /// # Errors
    /// `RegistryNotService`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `ServiceMetadataURIUpdated`.
    pub fn update_service_metadata_uri(
        &mut self,
        metadata_uri: String,
    ) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        let service = self.vm().msg_sender();
        self.only_service(service)?;
        self.vm().log(ServiceMetadataURIUpdated {
            service,
            metadataURI: metadata_uri,
        });
        Ok(())
    }

    /// Whether `account` is a registered service.
    pub fn is_service(&self, account: Address) -> bool {
        self.services.get(account)
    }

    /// The calling service creates an operator set and receives its id (ids start at 1).
    ///
    /// # Errors
    /// `RegistryNotService`, `RegistryInvalidSlasher` (zero), `RegistryInvalidMaxSlash`
    /// (0 or above 10,000), `RegistryInvalidDelay` (veto window outside 1 hour..=3 days),
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `OperatorSetCreated`, `SetConfigApplied`, `AutoAcceptSet`.
    #[allow(clippy::too_many_arguments)]
    pub fn create_operator_set(
        &mut self,
        slasher: Address,
        resolver: Address,
        payout: Address,
        max_slash_bps: u16,
        veto_window: u64,
        auto_accept: bool,
    ) -> Result<u64, RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        let service = self.vm().msg_sender();
        self.only_service(service)?;
        check_config(slasher, max_slash_bps, veto_window)?;
        let id: u64 = self.set_count.get().to::<u64>() + 1;
        self.set_count.set(alloy_primitives::Uint::from(id));
        let mut set = self.sets.setter(id);
        set.service.set(service);
        set.auto_accept.set(auto_accept);
        write_config(
            &mut set.config,
            slasher,
            resolver,
            payout,
            max_slash_bps,
            veto_window,
        );
        self.vm().log(OperatorSetCreated { setId: id, service });
        self.vm().log(SetConfigApplied {
            setId: id,
            slasher,
            resolver,
            payout,
            maxSlashBps: max_slash_bps,
            vetoWindow: veto_window,
        });
        self.vm().log(AutoAcceptSet {
            setId: id,
            autoAccept: auto_accept,
        });
        Ok(id)
    }

    /// The set's service proposes a new slashing configuration. One that only tightens (same
    /// slasher, resolver and payout, a cap no higher, a veto window no shorter) applies at
    /// once; any other waits out [`TIMELOCK`] and replaces an earlier scheduled one.
    ///
    /// # Errors
    /// `RegistryUnknownSet`, `RegistryNotSetService`, `RegistryInvalidSlasher`,
    /// `RegistryInvalidMaxSlash`, `RegistryInvalidDelay`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `SetConfigApplied` (tightening) or `SetConfigScheduled` (loosening).
    #[allow(clippy::too_many_arguments)]
    pub fn propose_set_config(
        &mut self,
        set_id: u64,
        slasher: Address,
        resolver: Address,
        payout: Address,
        max_slash_bps: u16,
        veto_window: u64,
    ) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        self.only_set_service(set_id, self.vm().msg_sender())?;
        check_config(slasher, max_slash_bps, veto_window)?;
        let now = self.vm().block_timestamp();
        let mut set = self.sets.setter(set_id);
        let (s, r, p, m, v) = read_config(&set.config);
        let tightens =
            s == slasher && r == resolver && p == payout && max_slash_bps <= m && veto_window >= v;
        if tightens {
            write_config(
                &mut set.config,
                slasher,
                resolver,
                payout,
                max_slash_bps,
                veto_window,
            );
            self.vm().log(SetConfigApplied {
                setId: set_id,
                slasher,
                resolver,
                payout,
                maxSlashBps: max_slash_bps,
                vetoWindow: veto_window,
            });
        } else {
            let eta = now.saturating_add(TIMELOCK);
            write_config(
                &mut set.pending,
                slasher,
                resolver,
                payout,
                max_slash_bps,
                veto_window,
            );
            set.pending_eta.set(alloy_primitives::Uint::from(eta));
            self.vm().log(SetConfigScheduled {
                setId: set_id,
                slasher,
                resolver,
                payout,
                maxSlashBps: max_slash_bps,
                vetoWindow: veto_window,
                eta,
            });
        }
        Ok(())
    }

    /// Applies a scheduled configuration whose timelock is over (anyone may call).
    ///
    /// # Errors
    /// `RegistryUnknownSet`, `RegistryNothingScheduled`, `RegistryTimelocked`,
    /// `PausableEnforcedPause`.
    ///
    /// # Events
    /// `SetConfigApplied`.
    pub fn apply_set_config(&mut self, set_id: u64) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        self.set_exists(set_id)?;
        let now = self.vm().block_timestamp();
        let mut set = self.sets.setter(set_id);
        let eta: u64 = set.pending_eta.get().to();
        if eta == 0 {
            return Err(RegistryError::NothingScheduled(RegistryNothingScheduled {}));
        }
        if now < eta {
            return Err(RegistryError::Timelocked(RegistryTimelocked { eta }));
        }
        let (s, r, p, m, v) = read_config(&set.pending);
        write_config(&mut set.config, s, r, p, m, v);
        set.pending_eta.set(alloy_primitives::Uint::ZERO);
        self.vm().log(SetConfigApplied {
            setId: set_id,
            slasher: s,
            resolver: r,
            payout: p,
            maxSlashBps: m,
            vetoWindow: v,
        });
        Ok(())
    }

    /// The set's service cancels its scheduled configuration.
    ///
    /// # Errors
    /// `RegistryUnknownSet`, `RegistryNotSetService`, `RegistryNothingScheduled`.
    ///
    /// # Events
    /// `SetConfigCancelled`.
    pub fn cancel_set_config(&mut self, set_id: u64) -> Result<(), RegistryError> {
        self.only_set_service(set_id, self.vm().msg_sender())?;
        let mut set = self.sets.setter(set_id);
        if set.pending_eta.get().is_zero() {
            return Err(RegistryError::NothingScheduled(RegistryNothingScheduled {}));
        }
        set.pending_eta.set(alloy_primitives::Uint::ZERO);
        self.vm().log(SetConfigCancelled { setId: set_id });
        Ok(())
    }

    /// The set's service turns automatic acceptance of join requests on or off.
    ///
    /// # Errors
    /// `RegistryUnknownSet`, `RegistryNotSetService`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `AutoAcceptSet`.
    pub fn set_auto_accept(&mut self, set_id: u64, auto_accept: bool) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_SETS)?;
        self.only_set_service(set_id, self.vm().msg_sender())?;
        self.sets.setter(set_id).auto_accept.set(auto_accept);
        self.vm().log(AutoAcceptSet {
            setId: set_id,
            autoAccept: auto_accept,
        });
        Ok(())
    }

    /// Number of operator sets created (the highest id).
    pub fn set_count(&self) -> u64 {
        self.set_count.get().to()
    }

    /// The service owning `set_id` (zero for an unknown set).
    pub fn service_of(&self, set_id: u64) -> Address {
        self.sets.getter(set_id).service.get()
    }

    /// Whether `set_id` accepts join requests automatically.
    pub fn auto_accept(&self, set_id: u64) -> bool {
        self.sets.getter(set_id).auto_accept.get()
    }

    /// The slashing configuration in force: slasher (zero for an unknown set), resolver,
    /// payout, per-event cap in basis points and veto window in seconds.
    pub fn slash_config(&self, set_id: u64) -> (Address, Address, Address, u16, u64) {
        read_config(&self.sets.getter(set_id).config)
    }

    /// The scheduled configuration and when it may be applied (eta 0: none).
    pub fn scheduled_set_config(
        &self,
        set_id: u64,
    ) -> (Address, Address, Address, u16, u64, u64) {
        let set = self.sets.getter(set_id);
        let (s, r, p, m, v) = read_config(&set.pending);
        (s, r, p, m, v, set.pending_eta.get().to())
    }

    // ------------------------------------------------------------------ membership

    /// The calling operator asks to join `set_id`; it becomes a member at once when the set
    /// accepts automatically.
    ///
    /// # Errors
    /// `RegistryNotOperator`, `RegistryUnknownSet`, `RegistryInvalidMembership` (already a
    /// member or pending), `PausableEnforcedPause`.
    ///
    /// # Events
    /// `MembershipChanged`.
    pub fn request_join(&mut self, set_id: u64) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_MEMBERSHIP)?;
        let operator = self.vm().msg_sender();
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
        op.memberships.set(count + alloy_primitives::Uint::from(1u8));
        self.write_status(set_id, operator, status);
        Ok(())
    }

    /// The set's service accepts `operator`'s pending join request.
    ///
    /// # Errors
    /// `RegistryUnknownSet`, `RegistryNotSetService`, `RegistryInvalidMembership` (no pending
    /// request), `PausableEnforcedPause`.
    ///
    /// # Events
    /// `MembershipChanged`.
    pub fn accept_operator(&mut self, set_id: u64, operator: Address) -> Result<(), RegistryError> {
        self.pausable.when_not_paused(GROUP_MEMBERSHIP)?;
        self.only_set_service(set_id, self.vm().msg_sender())?;
        self.expect_status(set_id, operator, STATUS_PENDING)?;
        self.write_status(set_id, operator, STATUS_MEMBER);
        Ok(())
    }

    /// The calling operator leaves `set_id` (or withdraws its join request). Allocated
    /// magnitude stays slashable until the operator deallocates it and the deallocation delay
    /// passes. Never paused.
    ///
    /// # Errors
    /// `RegistryInvalidMembership` (neither member nor pending).
    ///
    /// # Events
    /// `MembershipChanged`.
    pub fn leave_set(&mut self, set_id: u64) -> Result<(), RegistryError> {
        let operator = self.vm().msg_sender();
        self._end_membership(set_id, operator)
    }

    /// The set's service removes `operator` from `set_id` (or rejects its join request).
    /// Never paused.
    ///
    /// # Errors
    /// `RegistryUnknownSet`, `RegistryNotSetService`, `RegistryInvalidMembership`.
    ///
    /// # Events
    /// `MembershipChanged`.
    pub fn remove_operator(&mut self, set_id: u64, operator: Address) -> Result<(), RegistryError> {
        self.only_set_service(set_id, self.vm().msg_sender())?;
        self._end_membership(set_id, operator)
    }

    /// `operator`'s membership of `set_id`: 0 none, 1 pending, 2 member.
    pub fn membership(&self, set_id: u64, operator: Address) -> u8 {
        self.sets.getter(set_id).members.get(operator).to()
    }

    /// Whether `operator` is a member of `set_id`.
    pub fn is_member(&self, set_id: u64, operator: Address) -> bool {
        self.membership(set_id, operator) == STATUS_MEMBER
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

    /// Admin only: changes the fee delay. A longer one applies at once; a shorter one waits
    /// out [`TIMELOCK`] (replacing an earlier scheduled one).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `RegistryInvalidDelay` (outside 1..=30 days).
    ///
    /// # Events
    /// `FeeDelaySet` or `FeeDelayScheduled`.
    pub fn set_fee_delay(&mut self, delay: u64) -> Result<(), RegistryError> {
        self.access.only_admin(self.vm().msg_sender())?;
        check_delay(delay, MIN_FEE_DELAY, MAX_FEE_DELAY)?;
        if delay >= self.fee_delay.get().to::<u64>() {
            self.fee_delay.set(alloy_primitives::Uint::from(delay));
            self.vm().log(FeeDelaySet { delay });
        } else {
            let eta = self.vm().block_timestamp().saturating_add(TIMELOCK);
            self.pending_fee_delay
                .set(alloy_primitives::Uint::from(delay));
            self.pending_fee_delay_eta
                .set(alloy_primitives::Uint::from(eta));
            self.vm().log(FeeDelayScheduled { delay, eta });
        }
        Ok(())
    }

    /// Applies a scheduled shorter fee delay whose timelock is over (anyone may call).
    ///
    /// # Errors
    /// `RegistryNothingScheduled`, `RegistryTimelocked`.
    ///
    /// # Events
    /// `FeeDelaySet`.
    pub fn apply_fee_delay(&mut self) -> Result<(), RegistryError> {
        let eta: u64 = self.pending_fee_delay_eta.get().to();
        if eta == 0 {
            return Err(RegistryError::NothingScheduled(RegistryNothingScheduled {}));
        }
        if self.vm().block_timestamp() < eta {
            return Err(RegistryError::Timelocked(RegistryTimelocked { eta }));
        }
        let delay = self.pending_fee_delay.get();
        self.fee_delay.set(delay);
        self.pending_fee_delay_eta.set(alloy_primitives::Uint::ZERO);
        self.vm().log(FeeDelaySet { delay: delay.to() });
        Ok(())
    }

    /// The fee delay in seconds.
    pub fn fee_delay(&self) -> u64 {
        self.fee_delay.get().to()
    }

    /// The scheduled shorter fee delay and when it may be applied (eta 0: none).
    pub fn scheduled_fee_delay(&self) -> (u64, u64) {
        (
            self.pending_fee_delay.get().to(),
            self.pending_fee_delay_eta.get().to(),
        )
    }
}

impl OperatorRegistry {
    fn only_operator(&self, account: Address) -> Result<(), RegistryError> {
        if !self.is_operator(account) {
            return Err(RegistryError::NotOperator(RegistryNotOperator { account }));
        }
        Ok(())
    }

    fn only_service(&self, account: Address) -> Result<(), RegistryError> {
        if !self.services.get(account) {
            return Err(RegistryError::NotService(RegistryNotService { account }));
        }
        Ok(())
    }

    fn set_exists(&self, set_id: u64) -> Result<Address, RegistryError> {
        let service = self.sets.getter(set_id).service.get();
        if service.is_zero() {
            return Err(RegistryError::UnknownSet(RegistryUnknownSet { setId: set_id }));
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
            return Err(RegistryError::InvalidMembership(RegistryInvalidMembership {
                setId: set_id,
                operator,
                status,
            }));
        }
        Ok(())
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

    fn _register_operator(
        &mut self,
        operator: Address,
        fee_bps: u16,
        metadata_uri: String,
    ) -> Result<(), RegistryError> {
        if fee_bps > MAX_FEE_BPS {
            return Err(RegistryError::InvalidFee(RegistryInvalidFee { feeBps: fee_bps }));
        }
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
        self.vm().log(OperatorMetadataURIUpdated {
            operator,
            metadataURI: metadata_uri,
        });
        Ok(())
    }

    fn _schedule_fee_change(&mut self, operator: Address, fee_bps: u16) -> Result<(), RegistryError> {
        if fee_bps > MAX_FEE_BPS {
            return Err(RegistryError::InvalidFee(RegistryInvalidFee { feeBps: fee_bps }));
        }
        // Settle a scheduled change that already took effect, so it is not lost.
        let current = self.operator_fee_bps(operator);
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
        let count = self.membership_count(operator);
        if count != 0 {
            return Err(RegistryError::StillMember(RegistryStillMember {
                operator,
                count,
            }));
        }
        let manager = self.allocation_manager.get();
        if !manager.is_zero() {
            let call = IAllocationView::encumberedMagnitudeCall { operator };
            let failed = || RegistryError::CallFailed(RegistryCallFailed { target: manager });
            let out = static_call(self.vm(), Call::new(), manager, &call.abi_encode())
                .map_err(|_| failed())?;
            let magnitude = IAllocationView::encumberedMagnitudeCall::abi_decode_returns(&out)
                .map_err(|_| failed())?;
            if magnitude != 0 {
                return Err(RegistryError::StillAllocated(RegistryStillAllocated {
                    operator,
                    magnitude,
                }));
            }
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
            return Err(RegistryError::InvalidMembership(RegistryInvalidMembership {
                setId: set_id,
                operator,
                status,
            }));
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
