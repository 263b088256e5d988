//! A local Arbitrum-like chain that executes real Stylus WASM.
//!
//! The [`Chain`] holds revm state, mines blocks and answers queries; Stylus programs
//! (`EF F0 00` code) run through [`stylus_runtime`] inside revm's frame machinery ([`evm`]),
//! so calls in every direction between EVM and Stylus contracts share one journal. The ArbWasm
//! (`0x..71`) and ArbSys (`0x..64`) precompiles ([`precompiles`]) and the StylusDeployer
//! contract are built in.
//!
//! The JSON-RPC server in `rpc` is a thin layer over the [`Chain`] API.

pub mod accounts;
pub mod chain;
pub mod evm;
pub mod precompiles;
pub mod rpc;
pub mod stylus;

pub use chain::{Chain, ChainConfig, ChainError};
