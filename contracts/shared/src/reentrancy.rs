//! An explicit reentrancy guard for functions that call out.
//!
//! The Stylus SDK already rejects reentrant calls unless a crate opts in, but that is a build
//! setting one feature flag away from disappearing; the guard states the rule in the code.
use alloc::{vec, vec::Vec};
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageBool};

sol! {
    /// A guarded function was entered while another guarded call was in progress.
    #[derive(Debug)]
    error ReentrancyGuardReentrantCall();
}

/// Reentrancy guard state.
#[storage]
pub struct ReentrancyGuard {
    /// True only while a guarded function runs; false between transactions.
    entered: StorageBool,
}

impl ReentrancyGuard {
    /// Marks a guarded function as running.
    ///
    /// # Errors
    /// [`ReentrancyGuardReentrantCall`] when a guarded function is already running.
    pub fn enter(&mut self) -> Result<(), ReentrancyGuardReentrantCall> {
        if self.entered.get() {
            return Err(ReentrancyGuardReentrantCall {});
        }
        self.entered.set(true);
        Ok(())
    }

    /// Marks the guarded function as finished. A revert also undoes [`Self::enter`].
    pub fn exit(&mut self) {
        self.entered.set(false);
    }

    /// Whether a guarded function is running.
    pub fn is_entered(&self) -> bool {
        self.entered.get()
    }
}
