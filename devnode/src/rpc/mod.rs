//! JSON-RPC 2.0 over HTTP for the [`Chain`](crate::Chain): the `eth_*`, `net_*`, `web3_*`
//! methods wallets and tools call, plus the dev methods of anvil/hardhat (`evm_snapshot`,
//! `evm_revert`, `evm_mine`, `evm_increaseTime`, `evm_setNextBlockTimestamp`,
//! `anvil_setBalance`, ...).
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use devnode::{Chain, ChainConfig};
//! let server = devnode::rpc::serve(Chain::new(ChainConfig::default()), "127.0.0.1:0".parse().unwrap_or_else(|_| unreachable!())).await?;
//! println!("node at {}", server.url());
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Errors follow geth: a revert is code 3, "execution reverted", with the revert bytes as
//! `data` (so clients decode custom errors); transaction validation failures are -32000 with
//! geth's wording; envelope errors use the JSON-RPC 2.0 codes. No failed request changes
//! state.
//!
//! Modules: [`jsonrpc`] (envelopes, batches, error codes), [`params`] (typed positional
//! parameters), [`methods`] (the method table over the chain), [`filters`] (polling filters
//! with expiry), [`server`] (HTTP transport, interval mining, shutdown).

pub mod filters;
pub mod jsonrpc;
pub mod methods;
pub mod params;
pub mod server;

pub use jsonrpc::RpcError;
pub use methods::SharedChain;
pub use server::{serve, serve_with, ServeOptions, ServerHandle};
