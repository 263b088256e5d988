//! The [`StakeSyncRemote`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, Uint, B256, U256};
use restake_oapp::{
    oapp::{set_delegate, OApp, OAppError, OAppInvalidMessage},
    stake_state::StakeState,
};
use restake_shared::{
    access::{invalid_account, AccessControl},
    admin::Administered,
    impl_administered,
    math::{self, Rounding, BPS},
    pausable::Pausable,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageU16, StorageU256, StorageU64},
    stylus_core::calls::Call,
};

use crate::{
    LimitsSet, RateClamped, RemoteError, StakeSyncNoState, StakeSyncSlashPending, StakeSyncStale,
    StakeSyncStaleSequence, StateReceived, GROUP_RECEIVE,
};

/// Default maximum age of a usable state (24 hours).
pub const DEFAULT_MAX_AGE: u64 = 86_400;
/// Default upward bound per update (1%).
pub const DEFAULT_MAX_UP_BPS: u16 = 100;

/// The newest state and the limits applied to it.
#[storage]
pub struct Mirror {
    /// Sequence of the state (0 = none yet). Only increases.
    sequence: StorageU64,
    /// Home time of the state.
    timestamp: StorageU64,
    /// Exchange rate as applied (clamped upward moves).
    rate: StorageU256,
    /// Total assets at home.
    total_assets: StorageU256,
    /// LRT supply at home.
    supply: StorageU256,
    /// Slashing epoch.
    slash_epoch: StorageU64,
    /// Pending slash at home.
    pending: StorageBool,
    /// Maximum age (seconds) of a state `exchangeRate()` serves. Set by the admin.
    max_age: StorageU64,
    /// Largest upward rate move per update, in basis points of the previous rate. Set by the
    /// admin.
    max_up_bps: StorageU16,
}

impl Mirror {
    fn state(&self) -> StakeState {
        StakeState {
            sequence: self.sequence.get().to(),
            timestamp: self.timestamp.get().to(),
            rate: self.rate.get(),
            total_assets: self.total_assets.get(),
            supply: self.supply.get(),
            slash_epoch: self.slash_epoch.get().to(),
            pending_slash: self.pending.get(),
        }
    }

    fn store(&mut self, s: &StakeState) {
        self.sequence.set(Uint::from(s.sequence));
        self.timestamp.set(Uint::from(s.timestamp));
        self.rate.set(s.rate);
        self.total_assets.set(s.total_assets);
        self.supply.set(s.supply);
        self.slash_epoch.set(Uint::from(s.slash_epoch));
        self.pending.set(s.pending_slash);
    }
}

/// The stake-state mirror on a remote chain.
#[entrypoint]
#[storage]
pub struct StakeSyncRemote {
    /// Admin and roles (pauser).
    pub(crate) access: AccessControl,
    /// Paused function groups.
    pub(crate) pausable: Pausable,
    /// Endpoint and the home peer.
    oapp: OApp,
    /// The newest state and its limits.
    mirror: Mirror,
}

impl StakeSyncRemote {
    /// Accepts a state (caller and peer checked).
    fn _receive(&mut self, message: &[u8]) -> Result<(), RemoteError> {
        let mut s =
            StakeState::decode(message).ok_or(OAppError::InvalidMessage(OAppInvalidMessage {}))?;
        let last = self.mirror.state();
        if s.sequence <= last.sequence {
            return Err(RemoteError::StaleSequence(StakeSyncStaleSequence {
                latest: last.sequence,
                received: s.sequence,
            }));
        }
        if last.sequence > 0 && s.rate > last.rate {
            // Bound rounded down: the remote never credits more than the allowed move.
            let up = U256::from(self.mirror.max_up_bps.get().to::<u16>());
            let bound = math::mul_div(last.rate, math::add(BPS, up)?, BPS, Rounding::Down)?;
            if s.rate > bound {
                self.vm().log(RateClamped {
                    sequence: s.sequence,
                    requested: s.rate,
                    applied: bound,
                });
                s.rate = bound;
            }
        }
        self.mirror.store(&s);
        self.vm().log(StateReceived {
            sequence: s.sequence,
            timestamp: s.timestamp,
            rate: s.rate,
            totalAssets: s.total_assets,
            supply: s.supply,
            slashEpoch: s.slash_epoch,
            pendingSlash: s.pending_slash,
        });
        Ok(())
    }
}

#[public]
#[implements(Administered)]
impl StakeSyncRemote {
    /// Sets the admin (also named delegate on `endpoint_config`, to configure verifiers and
    /// recover paths) and the destination endpoint. Defaults: 24 h maximum age, 1% upward
    /// bound.
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` (zero admin or endpoint), `OAppEndpointCallFailed` (the
    /// configuration contract refused the delegate).
    ///
    /// # Events
    /// `AdminTransferred`, and `DelegateSet` from the configuration contract.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        receive_endpoint: Address,
        endpoint_config: Address,
    ) -> Result<(), RemoteError> {
        if receive_endpoint.is_zero() || endpoint_config.is_zero() {
            return Err(invalid_account(Address::ZERO).into());
        }
        self.access.init(admin)?;
        // The remote never sends: no source endpoint.
        self.oapp.init(Address::ZERO, receive_endpoint);
        self.mirror.max_age.set(Uint::from(DEFAULT_MAX_AGE));
        self.mirror.max_up_bps.set(Uint::from(DEFAULT_MAX_UP_BPS));
        let ctx = Call::new_mutating(self);
        set_delegate(self.vm(), ctx, endpoint_config, admin)?;
        Ok(())
    }

    /// The endpoint delivers a state from the home peer.
    ///
    /// # Errors
    /// `OAppNotEndpoint`, `OAppUntrustedPeer`, `OAppInvalidMessage`, `StakeSyncStaleSequence`,
    /// `PausableEnforcedPause`, `MathOverflow`.
    ///
    /// # Events
    /// `StateReceived`, and `RateClamped` when the upward bound applied.
    #[selector(name = "lzReceive")]
    pub fn lz_receive(
        &mut self,
        src_eid: u32,
        sender: B256,
        nonce: u64,
        guid: B256,
        message: Bytes,
    ) -> Result<(), RemoteError> {
        let _ = (nonce, guid);
        self.pausable.when_not_paused(GROUP_RECEIVE)?;
        self.oapp
            .authenticate(self.vm().msg_sender(), src_eid, sender)?;
        self._receive(&message)
    }

    /// The newest state, unchecked: sequence, home timestamp, rate (as applied), total assets,
    /// LRT supply, slashing epoch, pending slash.
    pub fn latest_state(&self) -> (u64, u64, U256, U256, U256, u64, bool) {
        let s = self.mirror.state();
        (
            s.sequence,
            s.timestamp,
            s.rate,
            s.total_assets,
            s.supply,
            s.slash_epoch,
            s.pending_slash,
        )
    }

    /// The exchange rate of the newest state, for dependent contracts: refused when there is
    /// none, when it is older than the maximum age, or when it reports a pending slash.
    ///
    /// # Errors
    /// `StakeSyncNoState`, `StakeSyncStale`, `StakeSyncSlashPending`.
    pub fn exchange_rate(&self) -> Result<U256, RemoteError> {
        let s = self.mirror.state();
        if s.sequence == 0 {
            return Err(RemoteError::NoState(StakeSyncNoState {}));
        }
        let max_age: u64 = self.mirror.max_age.get().to();
        if self.vm().block_timestamp().saturating_sub(s.timestamp) > max_age {
            return Err(RemoteError::Stale(StakeSyncStale {
                timestamp: s.timestamp,
                maxAge: max_age,
            }));
        }
        if s.pending_slash {
            return Err(RemoteError::SlashPending(StakeSyncSlashPending {
                slashEpoch: s.slash_epoch,
            }));
        }
        Ok(s.rate)
    }

    /// The trusted peer on `eid` (zero when none).
    pub fn peer(&self, eid: u32) -> B256 {
        self.oapp.peer(eid)
    }

    /// Admin: trusts the home stake-sync `peer` on `eid` (zero removes it).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `PeerSet`.
    pub fn set_peer(&mut self, eid: u32, peer: Address) -> Result<(), RemoteError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self.oapp._set_peer(eid, peer);
        Ok(())
    }

    /// Admin: the maximum age of a usable state and the upward bound per update (basis points
    /// of the previous rate).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `LimitsSet`.
    pub fn set_limits(&mut self, max_age: u64, max_up_bps: u16) -> Result<(), RemoteError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self.mirror.max_age.set(Uint::from(max_age));
        self.mirror.max_up_bps.set(Uint::from(max_up_bps));
        self.vm().log(LimitsSet {
            maxAge: max_age,
            maxUpBps: max_up_bps,
        });
        Ok(())
    }
}

impl_administered!(StakeSyncRemote);
