//! **TEST ONLY.** A rate provider for the test liquid staking token: `getRate()` answers the ETH
//! value of one token (18 decimals), set by the admin, and the admin can make it revert to
//! exercise the vault's handling of a broken provider. Deployed by the deploy tool to local
//! chains only and marked `testOnly` in the manifest.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::{TestRateProvider, TestRateProviderError};

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;

#[cfg(test)]
mod tests;
