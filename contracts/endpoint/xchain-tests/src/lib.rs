//! In-process chains for testing the cross-chain contracts together.
//!
//! A [`Chain`] holds per-contract storage, ETH balances, logs, a clock and a call stack. Real
//! Stylus contracts run through their ABI routers ([`Chain::deploy`]) on a [`ChainHost`] that
//! implements the SDK's host traits against the chain, so calls between contracts, ETH
//! transfers and logs behave as on chain: every call is a frame whose storage, balance and log
//! changes are undone when it reverts, a Stylus contract already on the call stack cannot be
//! entered again (the SDK entrypoint's reentrancy rule), and static calls may not write.
//! In-Rust fakes ([`Fake`]) stand in for contracts outside this crate's scope (the vault).
//!
//! Two `Chain`s with different chain ids make the two sides of a cross-chain test; the test
//! itself plays the relayer.
mod chain;
mod host;

pub use chain::{Chain, Fake, Log};
pub use host::ChainHost;
