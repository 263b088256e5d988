//! Role-based access control with a single admin transferred in two steps.
//!
//! - The **admin** grants and revokes every role and may start an admin transfer; the new admin
//!   must accept it (two steps, so a typo cannot brick a contract).
//! - A **role** is a `bytes32` (by convention `keccak256("NAME_ROLE")`); any number of accounts
//!   may hold it. The admin is not implicitly a member of any role.
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, FixedBytes};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap},
};

use crate::pausable::{PausableEnforcedPause, PausableExpectedPause};

sol! {
    /// `account` was granted `role` by `sender`.
    #[derive(Debug)]
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    /// `account` lost `role`; `sender` revoked it (or the account renounced it).
    #[derive(Debug)]
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    /// The admin proposed `pendingAdmin` as its successor (zero cancels a proposal).
    #[derive(Debug)]
    event AdminTransferStarted(address indexed admin, address indexed pendingAdmin);
    /// `newAdmin` accepted the admin transfer from `previousAdmin`.
    #[derive(Debug)]
    event AdminTransferred(address indexed previousAdmin, address indexed newAdmin);

    /// `account` lacks `neededRole` (the zero role means "the admin").
    #[derive(Debug)]
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// The zero address (or another unusable account) was given where an account is required.
    #[derive(Debug)]
    error AccessControlInvalidAccount(address account);
}

/// The pseudo-role reported in [`AccessControlUnauthorizedAccount`] when only the admin may call.
pub const ADMIN_ROLE: FixedBytes<32> = FixedBytes::ZERO;

/// `keccak256("PAUSER_ROLE")`: may pause function groups (only the admin unpauses).
pub const PAUSER_ROLE: FixedBytes<32> = FixedBytes(alloy_primitives::hex!(
    "65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a"
));

/// Errors of access control and pausing, shared by every contract's admin surface.
#[derive(SolidityError, Debug)]
pub enum ControlError {
    /// The caller lacks the role the function needs.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// A zero or otherwise unusable account was given.
    InvalidAccount(AccessControlInvalidAccount),
    /// The function group is paused.
    EnforcedPause(PausableEnforcedPause),
    /// The function group is not paused (unpause of an unpaused group).
    ExpectedPause(PausableExpectedPause),
}

/// Role-based access control state.
#[storage]
pub struct AccessControl {
    /// The admin. Invariant: non-zero once the owning contract's constructor has run.
    admin: StorageAddress,
    /// The proposed next admin, zero when no transfer is pending. Only this account may accept.
    pending_admin: StorageAddress,
    /// `role => account => member`. Changed only by the admin (grant, revoke) or by the member
    /// itself (renounce).
    members: StorageMap<FixedBytes<32>, StorageMap<Address, StorageBool>>,
}

impl AccessControl {
    /// Sets the first admin. Call once, from the owning contract's constructor.
    ///
    /// # Errors
    /// [`ControlError::InvalidAccount`] when `admin` is zero.
    ///
    /// # Events
    /// [`AdminTransferred`] from zero to `admin`.
    pub fn init(&mut self, admin: Address) -> Result<(), ControlError> {
        if admin.is_zero() {
            return Err(invalid_account(admin));
        }
        self.admin.set(admin);
        self.vm().log(AdminTransferred {
            previousAdmin: Address::ZERO,
            newAdmin: admin,
        });
        Ok(())
    }

    /// The current admin.
    pub fn admin(&self) -> Address {
        self.admin.get()
    }

    /// The proposed next admin (zero when none).
    pub fn pending_admin(&self) -> Address {
        self.pending_admin.get()
    }

    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: FixedBytes<32>, account: Address) -> bool {
        self.members.getter(role).get(account)
    }

    /// Succeeds only when `account` is the admin.
    ///
    /// # Errors
    /// [`ControlError::Unauthorized`] naming [`ADMIN_ROLE`].
    pub fn only_admin(&self, account: Address) -> Result<(), ControlError> {
        if account != self.admin.get() || account.is_zero() {
            return Err(unauthorized(account, ADMIN_ROLE));
        }
        Ok(())
    }

    /// Succeeds only when `account` holds `role`.
    ///
    /// # Errors
    /// [`ControlError::Unauthorized`] naming `role`.
    pub fn only_role(&self, role: FixedBytes<32>, account: Address) -> Result<(), ControlError> {
        if !self.has_role(role, account) {
            return Err(unauthorized(account, role));
        }
        Ok(())
    }

    /// Grants `role` to `account` without an access check (callers check first).
    /// Granting a held role changes nothing and emits nothing.
    ///
    /// # Errors
    /// [`ControlError::InvalidAccount`] when `account` is zero.
    ///
    /// # Events
    /// [`RoleGranted`] when the account did not hold the role.
    pub fn _grant_role(
        &mut self,
        role: FixedBytes<32>,
        account: Address,
    ) -> Result<(), ControlError> {
        if account.is_zero() {
            return Err(invalid_account(account));
        }
        if !self.has_role(role, account) {
            self.members.setter(role).insert(account, true);
            let sender = self.vm().msg_sender();
            self.vm().log(RoleGranted {
                role,
                account,
                sender,
            });
        }
        Ok(())
    }

    /// Revokes `role` from `account` without an access check (callers check first).
    ///
    /// # Events
    /// [`RoleRevoked`] when the account held the role.
    pub fn _revoke_role(&mut self, role: FixedBytes<32>, account: Address) {
        if self.has_role(role, account) {
            self.members.setter(role).insert(account, false);
            let sender = self.vm().msg_sender();
            self.vm().log(RoleRevoked {
                role,
                account,
                sender,
            });
        }
    }

    /// Admin only: grants `role` to `account`.
    ///
    /// # Errors
    /// [`ControlError::Unauthorized`] for a caller other than the admin;
    /// [`ControlError::InvalidAccount`] for the zero account.
    ///
    /// # Events
    /// [`RoleGranted`] when the role was not held.
    pub fn grant_role(
        &mut self,
        role: FixedBytes<32>,
        account: Address,
    ) -> Result<(), ControlError> {
        self.only_admin(self.vm().msg_sender())?;
        self._grant_role(role, account)
    }

    /// Admin only: revokes `role` from `account`.
    ///
    /// # Errors
    /// [`ControlError::Unauthorized`] for a caller other than the admin.
    ///
    /// # Events
    /// [`RoleRevoked`] when the role was held.
    pub fn revoke_role(
        &mut self,
        role: FixedBytes<32>,
        account: Address,
    ) -> Result<(), ControlError> {
        self.only_admin(self.vm().msg_sender())?;
        self._revoke_role(role, account);
        Ok(())
    }

    /// The caller gives up `role`.
    ///
    /// # Events
    /// [`RoleRevoked`] when the caller held the role.
    pub fn renounce_role(&mut self, role: FixedBytes<32>) {
        let sender = self.vm().msg_sender();
        self._revoke_role(role, sender);
    }

    /// Admin only: proposes `new_admin` (zero cancels a pending proposal).
    ///
    /// # Errors
    /// [`ControlError::Unauthorized`] for a caller other than the admin.
    ///
    /// # Events
    /// [`AdminTransferStarted`].
    pub fn begin_admin_transfer(&mut self, new_admin: Address) -> Result<(), ControlError> {
        let sender = self.vm().msg_sender();
        self.only_admin(sender)?;
        self.pending_admin.set(new_admin);
        self.vm().log(AdminTransferStarted {
            admin: sender,
            pendingAdmin: new_admin,
        });
        Ok(())
    }

    /// The pending admin accepts the transfer and becomes the admin.
    ///
    /// # Errors
    /// [`ControlError::Unauthorized`] when the caller is not the pending admin (or none is
    /// pending).
    ///
    /// # Events
    /// [`AdminTransferred`].
    pub fn accept_admin_transfer(&mut self) -> Result<(), ControlError> {
        let sender = self.vm().msg_sender();
        let pending = self.pending_admin.get();
        if pending.is_zero() || sender != pending {
            return Err(unauthorized(sender, ADMIN_ROLE));
        }
        let previous = self.admin.get();
        self.admin.set(pending);
        self.pending_admin.set(Address::ZERO);
        self.vm().log(AdminTransferred {
            previousAdmin: previous,
            newAdmin: pending,
        });
        Ok(())
    }
}

/// Builds [`ControlError::Unauthorized`].
pub fn unauthorized(account: Address, needed_role: FixedBytes<32>) -> ControlError {
    ControlError::Unauthorized(AccessControlUnauthorizedAccount {
        account,
        neededRole: needed_role,
    })
}

/// Builds [`ControlError::InvalidAccount`].
pub fn invalid_account(account: Address) -> ControlError {
    ControlError::InvalidAccount(AccessControlInvalidAccount { account })
}
