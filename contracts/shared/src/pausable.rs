//! Pausing by function group.
//!
//! A contract numbers its function groups (deposits, redeem requests, claims, ...) from 0 to
//! 255; the state is one 256-bit bitmap, so pausing one group never touches another. Holders of
//! [`crate::access::PAUSER_ROLE`] pause; only the admin unpauses (the asymmetry of EigenLayer's
//! pauser registry: many may stop the system, one restarts it).
use alloc::{vec, vec::Vec};
use alloy_primitives::U256;
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageU256};

use crate::access::ControlError;

sol! {
    /// `group` was paused by `account`.
    #[derive(Debug)]
    event Paused(address indexed account, uint8 indexed group);
    /// `group` was unpaused by `account`.
    #[derive(Debug)]
    event Unpaused(address indexed account, uint8 indexed group);

    /// The function group `group` is paused.
    #[derive(Debug)]
    error PausableEnforcedPause(uint8 group);
    /// The function group `group` is not paused.
    #[derive(Debug)]
    error PausableExpectedPause(uint8 group);
}

/// Pause state.
#[storage]
pub struct Pausable {
    /// Bit `g` set means function group `g` is paused. Changed only by `pause` / `unpause`.
    paused: StorageU256,
}

impl Pausable {
    /// Whether `group` is paused.
    pub fn is_paused(&self, group: u8) -> bool {
        self.paused.get().bit(usize::from(group))
    }

    /// The whole pause bitmap.
    pub fn bitmap(&self) -> U256 {
        self.paused.get()
    }

    /// Succeeds only when `group` is not paused.
    ///
    /// # Errors
    /// [`ControlError::EnforcedPause`].
    pub fn when_not_paused(&self, group: u8) -> Result<(), ControlError> {
        if self.is_paused(group) {
            return Err(ControlError::EnforcedPause(PausableEnforcedPause { group }));
        }
        Ok(())
    }

    /// Pauses `group` (callers check the pauser role first).
    ///
    /// # Errors
    /// [`ControlError::EnforcedPause`] when the group is already paused.
    ///
    /// # Events
    /// [`Paused`].
    pub fn _pause(&mut self, group: u8) -> Result<(), ControlError> {
        self.when_not_paused(group)?;
        let mut bits = self.paused.get();
        bits.set_bit(usize::from(group), true);
        self.paused.set(bits);
        let account = self.vm().msg_sender();
        self.vm().log(Paused { account, group });
        Ok(())
    }

    /// Unpauses `group` (callers check the admin first).
    ///
    /// # Errors
    /// [`ControlError::ExpectedPause`] when the group is not paused.
    ///
    /// # Events
    /// [`Unpaused`].
    pub fn _unpause(&mut self, group: u8) -> Result<(), ControlError> {
        if !self.is_paused(group) {
            return Err(ControlError::ExpectedPause(PausableExpectedPause { group }));
        }
        let mut bits = self.paused.get();
        bits.set_bit(usize::from(group), false);
        self.paused.set(bits);
        let account = self.vm().msg_sender();
        self.vm().log(Unpaused { account, group });
        Ok(())
    }
}
