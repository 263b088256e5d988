//! The admin surface every contract exposes: roles, two-step admin transfer and pausing.
//!
//! [`Administered`] is the ABI (`IAdministered` in exported interfaces);
//! [`impl_administered!`](crate::impl_administered) implements it for a contract whose storage
//! has fields `access: AccessControl` and `pausable: Pausable`, so every contract exposes the
//! same functions with the same rules.
// `#[public]` generates routing items for the trait that cannot carry docs; every
// hand-written item here is documented.
#![allow(missing_docs)]
use alloy_primitives::{Address, FixedBytes, U256};
use stylus_sdk::prelude::*;

use crate::access::ControlError;

/// Roles, admin transfer and pausing, as seen through the ABI.
#[public]
pub trait Administered {
    /// The admin.
    fn admin(&self) -> Address;

    /// The proposed next admin (zero when none).
    fn pending_admin(&self) -> Address;

    /// Whether `account` holds `role`.
    fn has_role(&self, role: FixedBytes<32>, account: Address) -> bool;

    /// Admin only: grants `role` to `account`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not admin), `AccessControlInvalidAccount`
    /// (zero account).
    ///
    /// # Events
    /// `RoleGranted` when the role was not held.
    fn grant_role(&mut self, role: FixedBytes<32>, account: Address) -> Result<(), ControlError>;

    /// Admin only: revokes `role` from `account`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not admin).
    ///
    /// # Events
    /// `RoleRevoked` when the role was held.
    fn revoke_role(&mut self, role: FixedBytes<32>, account: Address) -> Result<(), ControlError>;

    /// The caller gives up `role`.
    ///
    /// # Events
    /// `RoleRevoked` when the caller held the role.
    fn renounce_role(&mut self, role: FixedBytes<32>);

    /// Admin only: proposes `new_admin` (zero cancels).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not admin).
    ///
    /// # Events
    /// `AdminTransferStarted`.
    fn transfer_admin(&mut self, new_admin: Address) -> Result<(), ControlError>;

    /// The pending admin takes over.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not the pending admin).
    ///
    /// # Events
    /// `AdminTransferred`.
    fn accept_admin(&mut self) -> Result<(), ControlError>;

    /// Whether function group `group` is paused.
    fn paused(&self, group: u8) -> bool;

    /// The pause bitmap (bit `g` = group `g` paused).
    fn paused_groups(&self) -> U256;

    /// Pauser role only: pauses `group`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller lacks `PAUSER_ROLE`), `PausableEnforcedPause`
    /// (already paused).
    ///
    /// # Events
    /// `Paused`.
    fn pause(&mut self, group: u8) -> Result<(), ControlError>;

    /// Admin only: unpauses `group`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` (caller not admin), `PausableExpectedPause` (not
    /// paused).
    ///
    /// # Events
    /// `Unpaused`.
    fn unpause(&mut self, group: u8) -> Result<(), ControlError>;
}

/// Implements [`Administered`] for a contract with fields `access: AccessControl` and
/// `pausable: Pausable`. Add `#[implements(Administered)]` to the contract's `#[public]` block.
#[macro_export]
macro_rules! impl_administered {
    ($contract:ty) => {
        #[stylus_sdk::prelude::public]
        impl $crate::admin::Administered for $contract {
            fn admin(&self) -> alloy_primitives::Address {
                self.access.admin()
            }
            fn pending_admin(&self) -> alloy_primitives::Address {
                self.access.pending_admin()
            }
            fn has_role(
                &self,
                role: alloy_primitives::FixedBytes<32>,
                account: alloy_primitives::Address,
            ) -> bool {
                self.access.has_role(role, account)
            }
            fn grant_role(
                &mut self,
                role: alloy_primitives::FixedBytes<32>,
                account: alloy_primitives::Address,
            ) -> Result<(), $crate::access::ControlError> {
                self.access.grant_role(role, account)
            }
            fn revoke_role(
                &mut self,
                role: alloy_primitives::FixedBytes<32>,
                account: alloy_primitives::Address,
            ) -> Result<(), $crate::access::ControlError> {
                self.access.revoke_role(role, account)
            }
            fn renounce_role(&mut self, role: alloy_primitives::FixedBytes<32>) {
                self.access.renounce_role(role)
            }
            fn transfer_admin(
                &mut self,
                new_admin: alloy_primitives::Address,
            ) -> Result<(), $crate::access::ControlError> {
                self.access.begin_admin_transfer(new_admin)
            }
            fn accept_admin(&mut self) -> Result<(), $crate::access::ControlError> {
                self.access.accept_admin_transfer()
            }
            fn paused(&self, group: u8) -> bool {
                self.pausable.is_paused(group)
            }
            fn paused_groups(&self) -> alloy_primitives::U256 {
                self.pausable.bitmap()
            }
            fn pause(&mut self, group: u8) -> Result<(), $crate::access::ControlError> {
                let sender = stylus_sdk::prelude::HostAccess::vm(self).msg_sender();
                self.access.only_role($crate::access::PAUSER_ROLE, sender)?;
                self.pausable._pause(group)
            }
            fn unpause(&mut self, group: u8) -> Result<(), $crate::access::ControlError> {
                let sender = stylus_sdk::prelude::HostAccess::vm(self).msg_sender();
                self.access.only_admin(sender)?;
                self.pausable._unpause(group)
            }
        }
    };
}
