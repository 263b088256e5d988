//! JSON-RPC 2.0 over HTTP for the [`Chain`](crate::Chain): the `eth_*`, `net_*`, `web3_*`
//! methods wallets and tools call, plus the dev methods of anvil/hardhat.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use devnode::{Chain, ChainConfig};
//! let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0)); // port 0: any free port
//! let server = devnode::rpc::serve(Chain::new(ChainConfig::default()), addr).await?;
//! println!("node at {}", server.url());
//! let chain = server.shutdown().await; // the chain, e.g. to save its state
//! # drop(chain);
//! # Ok(()) }
//! ```
//!
//! # Methods
//! - Node: `web3_clientVersion`, `web3_sha3`, `net_version`, `net_listening`, `net_peerCount`,
//!   `eth_chainId`, `eth_syncing` (false), `eth_mining`, `eth_hashrate`, `eth_accounts`
//!   (alias `eth_requestAccounts`), `eth_coinbase`.
//! - State: `eth_blockNumber`, `eth_getBalance`, `eth_getCode`, `eth_getStorageAt`,
//!   `eth_getTransactionCount` (block tags incl. `pending`; the block parameter may be
//!   omitted and defaults to `latest`), `eth_gasPrice`, `eth_maxPriorityFeePerGas`,
//!   `eth_feeHistory`.
//! - Execution: `eth_call` and `eth_estimateGas` (`[tx, block?, stateOverrides?]`; at the
//!   head an estimate is for the next block, now and one second later, so a transaction whose
//!   cost depends on the time still fits when mined after the clock ticks),
//!   `eth_sendRawTransaction` (legacy, EIP-2930, EIP-1559), `eth_sendTransaction` (dev
//!   accounts sign).
//! - Chain data: `eth_getTransactionByHash`, `eth_getTransactionReceipt`,
//!   `eth_getBlockByNumber`, `eth_getBlockByHash`, `eth_getBlockTransactionCountByNumber`/
//!   `ByHash`, `eth_getTransactionByBlockNumberAndIndex`/`ByBlockHashAndIndex`,
//!   `eth_getUncleCountBy*` (0), `eth_getUncleBy*` (null).
//! - Logs and filters: `eth_getLogs`, `eth_newFilter`, `eth_newBlockFilter`,
//!   `eth_newPendingTransactionFilter` (always empty), `eth_getFilterChanges`,
//!   `eth_getFilterLogs`, `eth_uninstallFilter`. Filters not polled for 5 minutes expire.
//! - Dev: `evm_snapshot`, `evm_revert` (aliases `anvil_*`), `evm_mine` (`[timestamp]` or
//!   `[{timestamp, blocks}]`), `anvil_mine`/`hardhat_mine` (`[blocks?, interval?]`),
//!   `evm_increaseTime` (answers the total offset as a JSON number),
//!   `evm_setNextBlockTimestamp`, `evm_setAutomine`, `anvil_setBalance`/`hardhat_setBalance`.
//!
//! Quantities of dev methods may be JSON numbers, `0x` hex or decimal strings. Requests are
//! single objects or batches (an empty batch is an invalid request); notifications (no `id`)
//! are executed and not answered.
//!
//! # Errors
//! As geth: a revert is code 3, "execution reverted" (with ": reason" for `Error(string)`
//! and `Panic(uint256)`), with the revert bytes as `data`, so alloy, ethers and cast decode
//! custom errors; transaction validation failures are -32000 with geth's wording ("nonce too
//! low: ...", "nonce too high: ...", "insufficient funds for gas * price + value: ..."); bad
//! JSON -32700, bad envelopes and empty batches -32600, unknown methods -32601 (naming the
//! method), bad parameters -32602, internal failures -32603. A failed request changes no
//! state, and a panic inside a method is answered with -32603 while the node keeps serving
//! (with unwinding builds: the `host` and dev profiles).
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
