//! The [`SlashingManager`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, FixedBytes, Uint, U256};
use alloy_sol_types::SolCall;
use restake_shared::{
    access::{invalid_account, unauthorized, AccessControl},
    admin::Administered,
    impl_administered,
    math::{add, mul_div, sub, Rounding, WAD},
    pausable::Pausable,
    reentrancy::ReentrancyGuard,
    NATIVE_ETH,
};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU16, StorageU256, StorageU64, StorageU8},
    stylus_core::calls::Call,
};

use crate::*;

/// One slash request.
#[storage]
pub struct SlashRequest {
    /// The operator to slash.
    operator: StorageAddress,
    /// Its operator set.
    set_id: StorageU64,
    /// Earliest execution time (request time + veto window).
    veto_end: StorageU64,
    /// `STATUS_*` (never `STATUS_EXPIRED`, which is computed).
    status: StorageU8,
    /// The set's per-event cap (bps) when requested.
    max_slash_bps: StorageU16,
    /// Requested fraction, WAD, in 1..=1e18.
    wad: StorageU256,
}

/// The slashing manager contract.
#[entrypoint]
#[storage]
pub struct SlashingManager {
    /// Admin and roles (pauser).
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
    /// Held during execution (it calls peers and vaults).
    guard: ReentrancyGuard,
    /// The operator registry (fixed).
    registry: StorageAddress,
    /// The allocation manager (fixed).
    allocation_manager: StorageAddress,
    /// The delegation manager (fixed).
    delegation_manager: StorageAddress,
    /// Requests by id; ids run from 1 to `request_count`.
    requests: StorageMap<u64, SlashRequest>,
    /// Number of requests made (the last id).
    request_count: StorageU64,
}

fn failed(target: Address) -> SlashingError {
    SlashingError::CallFailed(SlashingCallFailed { target })
}

#[public]
#[implements(Administered)]
impl SlashingManager {
    /// Sets the admin and the peers.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (a zero address).
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
    ) -> Result<(), SlashingError> {
        if registry.is_zero() || allocation_manager.is_zero() || delegation_manager.is_zero() {
            return Err(invalid_account(Address::ZERO).into());
        }
        self.access.init(admin)?;
        self.registry.set(registry);
        self.allocation_manager.set(allocation_manager);
        self.delegation_manager.set(delegation_manager);
        Ok(())
    }

    /// The registry, the allocation manager and the delegation manager.
    pub fn peers(&self) -> (Address, Address, Address) {
        (
            self.registry.get(),
            self.allocation_manager.get(),
            self.delegation_manager.get(),
        )
    }

    /// The slasher of `set_id` requests a slash of `wad` (WAD fraction) of `operator`'s
    /// slashable stake in that set, citing `evidence`. Returns the request id (ids start at 1
    /// and increase by one).
    ///
    /// # Errors
    /// `SlashingInvalidFraction` (0 or above 1e18), `AccessControlUnauthorizedAccount` (caller
    /// not the set's slasher, or unknown set), `SlashingCallFailed`, `PausableEnforcedPause`.
    ///
    /// # Events
    /// `SlashRequested`.
    pub fn request_slash(
        &mut self,
        operator: Address,
        set_id: u64,
        wad: U256,
        evidence: FixedBytes<32>,
    ) -> Result<u64, SlashingError> {
        self.pausable.when_not_paused(GROUP_REQUESTS)?;
        if wad.is_zero() || wad > WAD {
            return Err(SlashingError::InvalidFraction(SlashingInvalidFraction {
                wad,
            }));
        }
        let sender = self.vm().msg_sender();
        let (slasher, _, _, cap, window) = self.config(set_id)?;
        if sender != slasher || slasher.is_zero() {
            return Err(unauthorized(sender, SLASHER).into());
        }
        self._request(operator, set_id, wad, evidence, cap, window)
    }

    /// The resolver of the request's set vetoes it before its veto window ends. Never paused.
    ///
    /// # Errors
    /// `SlashingInvalidStatus` (not pending), `SlashingVetoWindow` (window over),
    /// `AccessControlUnauthorizedAccount` (caller not the resolver), `SlashingCallFailed`.
    ///
    /// # Events
    /// `SlashVetoed`.
    pub fn veto_slash(&mut self, request_id: u64) -> Result<(), SlashingError> {
        let (_, set_id, _, veto_end, status) = self.slash_request(request_id);
        if status != STATUS_REQUESTED {
            return Err(invalid_status(request_id, status));
        }
        if self.vm().block_timestamp() >= veto_end {
            return Err(veto_window(request_id, veto_end));
        }
        let sender = self.vm().msg_sender();
        let (_, resolver, _, _, _) = self.config(set_id)?;
        if sender != resolver || resolver.is_zero() {
            return Err(unauthorized(sender, RESOLVER).into());
        }
        self.requests
            .setter(request_id)
            .status
            .set(Uint::from(STATUS_VETOED));
        self.vm().log(SlashVetoed {
            requestId: request_id,
            resolver: sender,
        });
        Ok(())
    }

    /// Executes a request whose veto window is over and whose execution window is not
    /// (anyone may call). Returns the value taken from the vaults.
    ///
    /// # Errors
    /// `SlashingInvalidStatus` (not pending, or expired), `SlashingVetoWindow` (too early),
    /// `SlashingCallFailed` (a peer or vault call failed), `ReentrancyGuardReentrantCall`,
    /// `PausableEnforcedPause`, `MathOverflow`.
    ///
    /// # Events
    /// `SlashExecuted`, `VaultSlashed` per vault (and the peers' `MagnitudeSlashed`,
    /// `DelegationSlashed`, and the vaults' `Slashed`).
    pub fn execute_slash(&mut self, request_id: u64) -> Result<U256, SlashingError> {
        self.pausable.when_not_paused(GROUP_EXECUTION)?;
        self.guard.enter()?;
        let r = self._execute(request_id);
        self.guard.exit();
        r
    }

    /// Request `request_id`: operator, set, requested fraction, veto window end and status
    /// (0 none, 1 requested, 2 vetoed, 3 executed, 4 expired).
    pub fn slash_request(&self, request_id: u64) -> (Address, u64, U256, u64, u8) {
        let r = self.requests.getter(request_id);
        let veto_end: u64 = r.veto_end.get().to();
        let mut status: u8 = r.status.get().to();
        if status == STATUS_REQUESTED
            && self.vm().block_timestamp() >= veto_end.saturating_add(EXECUTION_WINDOW)
        {
            status = STATUS_EXPIRED;
        }
        (
            r.operator.get(),
            r.set_id.get().to(),
            r.wad.get(),
            veto_end,
            status,
        )
    }

    /// Number of requests made (the last id).
    pub fn request_count(&self) -> u64 {
        self.request_count.get().to()
    }
}

fn invalid_status(request_id: u64, status: u8) -> SlashingError {
    SlashingError::InvalidStatus(SlashingInvalidStatus {
        requestId: request_id,
        status,
    })
}

fn veto_window(request_id: u64, veto_end: u64) -> SlashingError {
    SlashingError::VetoWindow(SlashingVetoWindow {
        requestId: request_id,
        vetoEnd: veto_end,
    })
}

impl SlashingManager {
    fn view<C: SolCall>(&self, to: Address, c: C) -> Result<C::Return, SlashingError> {
        let out = self.raw_view(to, &c.abi_encode())?;
        C::abi_decode_returns(&out).map_err(|_| failed(to))
    }

    fn send<C: SolCall>(&mut self, to: Address, c: C) -> Result<C::Return, SlashingError> {
        let out = self.raw_send(to, &c.abi_encode())?;
        C::abi_decode_returns(&out).map_err(|_| failed(to))
    }

    /// A static call; a failure becomes `SlashingCallFailed`.
    #[inline(never)]
    fn raw_view(&self, to: Address, data: &[u8]) -> Result<Vec<u8>, SlashingError> {
        static_call(self.vm(), Call::new(), to, data).map_err(|_| failed(to))
    }

    /// A call; a failure becomes `SlashingCallFailed`.
    #[inline(never)]
    fn raw_send(&mut self, to: Address, data: &[u8]) -> Result<Vec<u8>, SlashingError> {
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, to, data).map_err(|_| failed(to))
    }

    /// The set's configuration in force: slasher, resolver, payout, cap (bps), veto window.
    fn config(&self, set_id: u64) -> Result<(Address, Address, Address, u16, u64), SlashingError> {
        let c = self.view(
            self.registry.get(),
            ISetConfig::setConfigCall {
                setId: set_id,
                scheduled: false,
            },
        )?;
        Ok((c._0, c._1, c._2, c._3, c._4))
    }

    fn _request(
        &mut self,
        operator: Address,
        set_id: u64,
        wad: U256,
        evidence: FixedBytes<32>,
        cap: u16,
        window: u64,
    ) -> Result<u64, SlashingError> {
        let id = self.request_count() + 1;
        self.request_count.set(Uint::from(id));
        let veto_end = self.vm().block_timestamp().saturating_add(window);
        let mut r = self.requests.setter(id);
        r.operator.set(operator);
        r.set_id.set(Uint::from(set_id));
        r.veto_end.set(Uint::from(veto_end));
        r.status.set(Uint::from(STATUS_REQUESTED));
        r.max_slash_bps.set(Uint::from(cap));
        r.wad.set(wad);
        self.vm().log(SlashRequested {
            requestId: id,
            operator,
            setId: set_id,
            wad,
            evidence,
            vetoEnd: veto_end,
        });
        Ok(id)
    }

    fn _execute(&mut self, request_id: u64) -> Result<U256, SlashingError> {
        let (operator, set_id, wad, veto_end, status) = self.slash_request(request_id);
        if status != STATUS_REQUESTED {
            return Err(invalid_status(request_id, status));
        }
        if self.vm().block_timestamp() < veto_end {
            return Err(veto_window(request_id, veto_end));
        }
        // Effects first: the request can never run twice.
        self.requests
            .setter(request_id)
            .status
            .set(Uint::from(STATUS_EXECUTED));
        let (_, _, payout, cap_now, _) = self.config(set_id)?;
        let cap_then: u16 = self.requests.getter(request_id).max_slash_bps.get().to();
        // The stricter of the caps at request and now, as a WAD fraction (1 bps = 1e14).
        let cap = U256::from(cap_then.min(cap_now)) * U256::from(100_000_000_000_000u64);
        let fraction = wad.min(cap);
        let am = self.allocation_manager.get();
        let mags = self.send(
            am,
            IApplySlash::applySlashCall {
                operator,
                setId: set_id,
                wad: fraction,
            },
        )?;
        let dm = self.delegation_manager.get();
        let owed = self.send(
            dm,
            IDelegationSlash::slashCall {
                operator,
                magnitude: mags._0,
                maxMagnitude: mags._1,
                wad: fraction,
            },
        )?;
        let recipient = if payout.is_zero() {
            BURN_ADDRESS
        } else {
            payout
        };
        let mut total = U256::ZERO;
        for (vault, value) in owed._0.into_iter().zip(owed._1) {
            let shortfall = self.take(vault, value, recipient)?;
            let taken = sub(value, shortfall)?;
            total = add(total, taken)?;
            self.vm().log(VaultSlashed {
                requestId: request_id,
                vault,
                value: taken,
                shortfall,
            });
        }
        self.vm().log(SlashExecuted {
            requestId: request_id,
            wad: fraction,
            taken: total,
            recipient,
        });
        Ok(total)
    }

    /// Takes `value` wei out of `vault` for `recipient`, ETH first, then tokens; returns what
    /// could not be found.
    #[inline(never)]
    fn take(
        &mut self,
        vault: Address,
        value: U256,
        recipient: Address,
    ) -> Result<U256, SlashingError> {
        let mut rest = value;
        let (_, eth) = self.counted(vault, NATIVE_ETH)?;
        let from_eth = rest.min(eth);
        if !from_eth.is_zero() {
            self.send(
                vault,
                ISlashableVault::slashCall {
                    asset: NATIVE_ETH,
                    amount: from_eth,
                    recipient,
                },
            )?;
            rest = sub(rest, from_eth)?;
        }
        if rest.is_zero() {
            return Ok(rest);
        }
        let tokens = self.view(vault, ISlashableVault::tokensCall {})?;
        for token in tokens {
            if rest.is_zero() {
                break;
            }
            let (provider, units) = self.counted(vault, token)?;
            let rate = self
                .view(provider, IRateProvider::getRateCall {})
                .unwrap_or_default();
            if units.is_zero() || rate.is_zero() {
                continue;
            }
            // Units rounded up: a slash is never short by a fraction of a unit.
            let take = mul_div(rest, WAD, rate, Rounding::Up)?.min(units);
            let worth = mul_div(take, rate, WAD, Rounding::Down)?.min(rest);
            self.send(
                vault,
                ISlashableVault::slashCall {
                    asset: token,
                    amount: take,
                    recipient,
                },
            )?;
            rest = sub(rest, worth)?;
        }
        Ok(rest)
    }

    /// `asset`'s rate provider in the vault and the units the vault counts (held minus
    /// unvested rewards).
    fn counted(&self, vault: Address, asset: Address) -> Result<(Address, U256), SlashingError> {
        let info = self.view(vault, ISlashableVault::tokenInfoCall { token: asset })?;
        let unvested = self.view(vault, ISlashableVault::unvestedRewardCall { asset })?;
        Ok((info._1, info._3.saturating_sub(unvested)))
    }
}

impl_administered!(SlashingManager);
