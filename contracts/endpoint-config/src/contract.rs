//! The [`EndpointConfig`] contract: storage layout and ABI.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, Uint, B256, U256};
use restake_oapp::{
    packet::path_key,
    protocol::{Policy, GROUP_COMMIT, GROUP_DELIVER},
};
use restake_shared::{
    access::{AccessControl, PAUSER_ROLE},
    admin::Administered,
    impl_administered,
    pausable::Pausable,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageArray, StorageBool, StorageMap, StorageU8},
};

use crate::{
    ConfigError, DelegateSet, EndpointInvalidReceiveConfig, EndpointTooFewVerifiers,
    EndpointUnauthorizedDelegate, PathPauseSet, ReceiveConfigSet, MAX_VERIFIERS,
};

/// A receiver's verifier configuration for one source endpoint.
#[storage]
pub struct ReceiveConfig {
    /// The required verifiers, then the optional ones, at indices `0..count`. Invariant: no
    /// zero address, no duplicate; entries at `count` and above are stale.
    verifiers: StorageArray<StorageAddress, MAX_VERIFIERS>,
    /// Number of verifiers (at most [`MAX_VERIFIERS`]); zero means "not configured" (nothing
    /// commits).
    count: StorageU8,
    /// How many of `verifiers` (a prefix) are required.
    required: StorageU8,
    /// How many optional verifiers must attest. Invariant: `required + threshold >= 2`,
    /// `threshold <= optional count`, and `threshold >= 1` when there are optional verifiers.
    threshold: StorageU8,
    /// Ordered path: delivery and clearing only at the inbound nonce + 1.
    ordered: StorageBool,
}

/// The destination policy.
#[storage]
pub struct Policies {
    /// Receiver => source endpoint id => configuration. Changed only by the receiver or its
    /// delegate.
    configs: StorageMap<Address, StorageMap<u32, ReceiveConfig>>,
    /// OApp => its delegate (zero = none). Changed only by the OApp.
    delegates: StorageMap<Address, StorageAddress>,
    /// `path_key(receiver, srcEid, sender)` => paused. Changed by pausers (pause) and the
    /// admin (unpause).
    paused_paths: StorageMap<B256, StorageBool>,
}

/// The message endpoint's destination policy.
#[entrypoint]
#[storage]
pub struct EndpointConfig {
    /// Admin and roles (pauser).
    pub(crate) access: AccessControl,
    /// Paused function groups of `EndpointReceive` (`GROUP_COMMIT`, `GROUP_DELIVER`).
    pub(crate) pausable: Pausable,
    /// Configurations, delegates, path pauses.
    policies: Policies,
}

impl EndpointConfig {
    /// Succeeds when the caller is `oapp` or its delegate.
    fn only_oapp_or_delegate(&self, oapp: Address) -> Result<(), ConfigError> {
        let caller = self.vm().msg_sender();
        let delegate = self.policies.delegates.get(oapp);
        if caller == oapp || (!delegate.is_zero() && caller == delegate) {
            return Ok(());
        }
        Err(ConfigError::UnauthorizedDelegate(
            EndpointUnauthorizedDelegate { caller, oapp },
        ))
    }

    /// Verifiers (required first), required count, threshold, ordered.
    fn config_of(&self, receiver: Address, src_eid: u32) -> (Vec<Address>, u8, u8, bool) {
        let outer = self.policies.configs.getter(receiver);
        let cfg = outer.getter(src_eid);
        let n = usize::from(cfg.count.get().to::<u8>());
        let all: Vec<Address> = (0..n).filter_map(|i| cfg.verifiers.get(i)).collect();
        (
            all,
            cfg.required.get().to(),
            cfg.threshold.get().to(),
            cfg.ordered.get(),
        )
    }

    /// Replaces `receiver`'s configuration for `src_eid` (caller checked).
    fn _set_receive_config(
        &mut self,
        receiver: Address,
        src_eid: u32,
        required: Vec<Address>,
        optional: Vec<Address>,
        threshold: u8,
        ordered: bool,
    ) -> Result<(), ConfigError> {
        let all: Vec<Address> = required.iter().chain(optional.iter()).copied().collect();
        let t = usize::from(threshold);
        let bad_threshold = t > optional.len() || (t == 0 && !optional.is_empty());
        let bad_verifier = all
            .iter()
            .enumerate()
            .any(|(i, v)| v.is_zero() || all[..i].contains(v));
        if all.len() > MAX_VERIFIERS || bad_threshold || bad_verifier {
            return Err(ConfigError::InvalidReceiveConfig(
                EndpointInvalidReceiveConfig {},
            ));
        }
        let quorum = required.len() + t;
        if quorum < 2 {
            return Err(ConfigError::TooFewVerifiers(EndpointTooFewVerifiers {
                quorum: U256::from(quorum),
            }));
        }
        let mut outer = self.policies.configs.setter(receiver);
        let mut cfg = outer.setter(src_eid);
        for (i, v) in all.iter().enumerate() {
            if let Some(mut slot) = cfg.verifiers.setter(i) {
                slot.set(*v);
            }
        }
        // Both fit in a byte: at most MAX_VERIFIERS (16) verifiers.
        let required_len = required.len() as u8;
        cfg.count.set(Uint::from(all.len() as u8));
        cfg.required.set(Uint::from(required_len));
        cfg.threshold.set(Uint::from(threshold));
        cfg.ordered.set(ordered);
        self.vm().log(ReceiveConfigSet {
            receiver,
            srcEid: src_eid,
            verifiers: all,
            required: required_len,
            threshold,
            ordered,
        });
        Ok(())
    }
}

#[public]
#[implements(Administered)]
impl EndpointConfig {
    /// Sets the admin (explicit: inside a constructor the caller is the deployer contract).
    ///
    /// # Errors
    /// `AccessControlInvalidAccount` for a zero admin.
    ///
    /// # Events
    /// `AdminTransferred`.
    #[constructor]
    pub fn constructor(&mut self, admin: Address) -> Result<(), ConfigError> {
        self.access.init(admin)?;
        Ok(())
    }

    /// The caller (a receiver) configures its verifiers for messages from `src_eid`, keeping
    /// its ordering option.
    ///
    /// # Errors
    /// `EndpointTooFewVerifiers` (the quorum `required + threshold` is below two),
    /// `EndpointInvalidReceiveConfig` (zero or repeated verifier, over the maximum, threshold
    /// out of range).
    ///
    /// # Events
    /// `ReceiveConfigSet`.
    pub fn set_receive_config(
        &mut self,
        src_eid: u32,
        required: Vec<Address>,
        optional: Vec<Address>,
        threshold: u8,
    ) -> Result<(), ConfigError> {
        let receiver = self.vm().msg_sender();
        let ordered = self.config_of(receiver, src_eid).3;
        self._set_receive_config(receiver, src_eid, required, optional, threshold, ordered)
    }

    /// The receiver or its delegate configures the receiver's verifiers and ordering for
    /// messages from `src_eid`.
    ///
    /// # Errors
    /// `EndpointUnauthorizedDelegate`, and those of `setReceiveConfig`.
    ///
    /// # Events
    /// `ReceiveConfigSet`.
    pub fn set_receive_config_for(
        &mut self,
        receiver: Address,
        src_eid: u32,
        required: Vec<Address>,
        optional: Vec<Address>,
        threshold: u8,
        ordered: bool,
    ) -> Result<(), ConfigError> {
        self.only_oapp_or_delegate(receiver)?;
        self._set_receive_config(receiver, src_eid, required, optional, threshold, ordered)
    }

    /// The policy for messages to `receiver` from `sender` on `src_eid`, packed for
    /// `EndpointReceive`: `flags | required | threshold | verifier * n` (flags bit 0 ordered,
    /// 1 path paused, 2 commit paused, 3 deliver paused; verifiers 20 bytes each, the required
    /// ones first; `threshold` of the others must attest).
    pub fn policy(&self, receiver: Address, src_eid: u32, sender: B256) -> Bytes {
        let (verifiers, required, threshold, ordered) = self.config_of(receiver, src_eid);
        let key = path_key(self.vm(), receiver, src_eid, sender);
        Policy {
            verifiers,
            delegate: self.policies.delegates.get(receiver),
            required,
            threshold,
            ordered,
            path_paused: self.policies.paused_paths.get(key),
            commit_paused: self.pausable.is_paused(GROUP_COMMIT),
            deliver_paused: self.pausable.is_paused(GROUP_DELIVER),
        }
        .encode()
        .into()
    }

    /// The caller names `delegate` to configure and recover its paths (zero removes it).
    ///
    /// # Events
    /// `DelegateSet`.
    pub fn set_delegate(&mut self, delegate: Address) {
        let oapp = self.vm().msg_sender();
        self.policies.delegates.setter(oapp).set(delegate);
        self.vm().log(DelegateSet { oapp, delegate });
    }

    /// The delegate of `oapp`.
    pub fn delegates(&self, oapp: Address) -> Address {
        self.policies.delegates.get(oapp)
    }

    /// Pauses (pauser role) or unpauses (admin) the path into `local` on this chain from
    /// `remote` on `remote_eid` (commit and deliver).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `PathPauseSet`.
    pub fn set_path_paused(
        &mut self,
        local: Address,
        remote_eid: u32,
        remote: B256,
        paused: bool,
    ) -> Result<(), ConfigError> {
        let sender = self.vm().msg_sender();
        if paused {
            self.access.only_role(PAUSER_ROLE, sender)?;
        } else {
            self.access.only_admin(sender)?;
        }
        let key = path_key(self.vm(), local, remote_eid, remote);
        self.policies.paused_paths.setter(key).set(paused);
        self.vm().log(PathPauseSet {
            local,
            remoteEid: remote_eid,
            remote,
            paused,
        });
        Ok(())
    }
}

impl_administered!(EndpointConfig);
