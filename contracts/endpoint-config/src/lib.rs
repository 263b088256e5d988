//! The cross-chain message endpoint, destination policy ([`EndpointConfig`]): each receiver's
//! verifier quorum per source endpoint, ordering, delegates, pauses, and the admin. The message
//! state lives in `EndpointReceive` (crate `restake-endpoint-receive`), deployed with this
//! contract's address, which reads [`EndpointConfig::policy`] once per commit, delivery or
//! recovery (see [`restake_oapp::protocol`]).
//!
//! A receiver (or its delegate) configures, per source endpoint, *required* verifiers and
//! *optional* ones with a threshold; a configuration whose quorum (`required + threshold`)
//! is below two is refused: one verifier alone can never release a message (the Kelp lesson).
//! The delegate named here can `skip`, `clear`, `nilify` or `burn` a nonce on `EndpointReceive`
//! to unstick a path (LayerZero V2 semantics).
//!
//! Function groups that can be paused (they gate `EndpointReceive`): [`GROUP_COMMIT`],
//! [`GROUP_DELIVER`]; a single inbound path can be paused too. Configuration and recovery are
//! never paused.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::EndpointConfig;
pub use restake_oapp::protocol::{GROUP_COMMIT, GROUP_DELIVER};

use alloy_sol_types::sol;
use restake_shared::{
    absorb_errors,
    access::{AccessControlInvalidAccount, AccessControlUnauthorizedAccount, ControlError},
    pausable::{PausableEnforcedPause, PausableExpectedPause},
};
use stylus_sdk::prelude::*;

/// Most verifiers in a receive configuration (required + optional).
pub const MAX_VERIFIERS: usize = 16;

sol! {
    /// `receiver` configured its verifiers for messages from `srcEid`: `verifiers` lists the
    /// `required` ones first; `threshold` of the others must attest.
    #[derive(Debug)]
    event ReceiveConfigSet(address indexed receiver, uint32 indexed srcEid, address[] verifiers, uint8 required, uint8 threshold, bool ordered);
    /// `oapp` named `delegate` to configure and recover its paths.
    #[derive(Debug)]
    event DelegateSet(address indexed oapp, address delegate);
    /// The path into `local` from `remote` on `remoteEid` was paused or unpaused.
    #[derive(Debug)]
    event PathPauseSet(address indexed local, uint32 indexed remoteEid, bytes32 remote, bool paused);

    /// `caller` is neither `oapp` nor its delegate.
    #[derive(Debug)]
    error EndpointUnauthorizedDelegate(address caller, address oapp);
    /// The quorum would need `quorum` (< 2) verifiers.
    #[derive(Debug)]
    error EndpointTooFewVerifiers(uint256 quorum);
    /// A zero or repeated verifier, more than the maximum, or a threshold that is not between
    /// 1 and the number of optional verifiers (0 when there are none).
    #[derive(Debug)]
    error EndpointInvalidReceiveConfig();
}

/// Every error the configuration contract can return, one variant per Solidity error.
#[derive(SolidityError, Debug)]
pub enum ConfigError {
    /// Not the OApp or its delegate.
    UnauthorizedDelegate(EndpointUnauthorizedDelegate),
    /// Quorum below two verifiers.
    TooFewVerifiers(EndpointTooFewVerifiers),
    /// Malformed configuration.
    InvalidReceiveConfig(EndpointInvalidReceiveConfig),
    /// Caller lacks a role.
    Unauthorized(AccessControlUnauthorizedAccount),
    /// Zero admin or account.
    InvalidAccount(AccessControlInvalidAccount),
    /// Function group paused.
    EnforcedPause(PausableEnforcedPause),
    /// Function group not paused.
    ExpectedPause(PausableExpectedPause),
}

absorb_errors!(ControlError => ConfigError {
    Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause,
});

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;
