//! **TEST ONLY.** A liquid staking token for local chains: a plain ERC-20 (18 decimals) whose
//! `mint` is open to anyone, so scripts and tests can fund accounts and exercise the vault's
//! `depositToken` path. Never deploy it to a public network; the deploy tool deploys it only to
//! local chains and marks it `testOnly` in the manifest.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod contract;

pub use contract::{TestLst, TestLstError};

/// Prints the Solidity interface (`export-abi` feature only; `src/main.rs` calls it).
#[cfg(feature = "export-abi")]
pub use contract::print_from_args;

#[cfg(test)]
mod tests;
