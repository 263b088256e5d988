//! The Ethereum and dev-node methods: each decodes its parameters, calls the [`Chain`] and
//! encodes the answer the way geth/anvil do.

use super::filters::{FilterKind, Filters};
use super::jsonrpc::{Call, RpcError, EXECUTION_REVERTED};
use super::params::Params;
use crate::chain::{Chain, ChainError};
use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{keccak256, Address, Bytes, B256, U128, U256, U64};
use alloy::rpc::types::state::StateOverride;
use alloy::rpc::types::{Filter, FilterBlockOption, TransactionRequest};
use alloy::sol_types::{Panic, Revert, SolError};
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

/// The chain shared between the server's request handlers, its miner and its owner.
pub type SharedChain = Arc<Mutex<Chain>>;

/// Locks the chain; a panic in an earlier request does not stop the node.
pub fn lock(chain: &SharedChain) -> MutexGuard<'_, Chain> {
    chain.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Everything a request handler needs.
#[derive(Debug)]
pub struct Node {
    chain: SharedChain,
    filters: Mutex<Filters>,
    interval_mining: bool,
}

impl Node {
    /// A node over `chain`; `interval_mining` only changes what `eth_mining` says.
    pub fn new(chain: SharedChain, filters: Filters, interval_mining: bool) -> Self {
        Self {
            chain,
            filters: Mutex::new(filters),
            interval_mining,
        }
    }

    /// The chain.
    pub fn chain(&self) -> &SharedChain {
        &self.chain
    }

    fn filters(&self) -> MutexGuard<'_, Filters> {
        self.filters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs one call.
    ///
    /// # Errors
    /// The JSON-RPC error to send back.
    pub fn dispatch(&self, call: Call<'_>) -> Result<Value, RpcError> {
        let p = Params::new(call.params);
        let method = call.method;
        tracing::debug!(method, "rpc call");
        match method {
            // --- node identity -------------------------------------------------------
            "web3_clientVersion" => {
                p.at_most(0)?;
                ok(format!("devnode/v{}/rust", env!("CARGO_PKG_VERSION")))
            }
            "web3_sha3" => {
                p.at_most(1)?;
                let data: Bytes = p.required(0, "data")?;
                ok(keccak256(&data))
            }
            "net_version" => {
                p.at_most(0)?;
                ok(self.lock_chain().chain_id().to_string())
            }
            "net_listening" => ok(true),
            "net_peerCount" => ok(U64::ZERO),
            "eth_chainId" => {
                p.at_most(0)?;
                ok(U64::from(self.lock_chain().chain_id()))
            }
            "eth_syncing" => ok(false),
            "eth_mining" => ok(self.interval_mining),
            "eth_hashrate" => ok(U64::ZERO),
            "eth_accounts" | "eth_requestAccounts" => {
                p.at_most(0)?;
                let chain = self.lock_chain();
                let addrs: Vec<Address> = chain.dev_accounts().iter().map(|(a, _)| *a).collect();
                ok(addrs)
            }
            "eth_coinbase" => {
                let chain = self.lock_chain();
                let block = chain.block(BlockId::latest(), false);
                ok(block.map(|b| b.header.beneficiary).unwrap_or_default())
            }

            // --- state queries -------------------------------------------------------
            "eth_blockNumber" => {
                p.at_most(0)?;
                ok(U64::from(self.lock_chain().block_number()))
            }
            "eth_gasPrice" => {
                p.at_most(0)?;
                ok(U128::from(self.lock_chain().gas_price()))
            }
            "eth_maxPriorityFeePerGas" => {
                p.at_most(0)?;
                let chain = self.lock_chain();
                ok(U128::from(
                    chain.gas_price().saturating_sub(chain.base_fee()),
                ))
            }
            "eth_feeHistory" => {
                p.at_most(3)?;
                let count = p.quantity(0, "blockCount")?.ok_or_else(|| {
                    RpcError::invalid_params("missing value for required argument 0 (blockCount)")
                })?;
                let newest: BlockNumberOrTag = p.required(1, "newestBlock")?;
                let percentiles: Vec<f64> = p.optional(2, "rewardPercentiles")?.unwrap_or_default();
                let history = self
                    .lock_chain()
                    .fee_history(count, newest, &percentiles)
                    .map_err(chain_error)?;
                ok(history)
            }
            "eth_getBalance" => {
                p.at_most(2)?;
                let addr: Address = p.required(0, "address")?;
                let block = block_id(&p, 1)?;
                ok(self
                    .lock_chain()
                    .balance(addr, block)
                    .map_err(chain_error)?)
            }
            "eth_getCode" => {
                p.at_most(2)?;
                let addr: Address = p.required(0, "address")?;
                let block = block_id(&p, 1)?;
                ok(self.lock_chain().code(addr, block).map_err(chain_error)?)
            }
            "eth_getStorageAt" => {
                p.at_most(3)?;
                let addr: Address = p.required(0, "address")?;
                let slot: U256 = p.required(1, "slot")?;
                let block = block_id(&p, 2)?;
                ok(self
                    .lock_chain()
                    .storage_at(addr, slot, block)
                    .map_err(chain_error)?)
            }
            "eth_getTransactionCount" => {
                p.at_most(2)?;
                let addr: Address = p.required(0, "address")?;
                let block = block_id(&p, 1)?;
                let nonce = self.lock_chain().nonce(addr, block).map_err(chain_error)?;
                ok(U64::from(nonce))
            }

            // --- execution -----------------------------------------------------------
            "eth_call" => {
                p.at_most(3)?;
                let (req, block, overrides) = call_params(&p)?;
                let out = self
                    .lock_chain()
                    .call(&req, block, overrides.as_ref())
                    .map_err(chain_error)?;
                ok(out)
            }
            "eth_estimateGas" => {
                p.at_most(3)?;
                let (req, block, overrides) = call_params(&p)?;
                let gas = self
                    .lock_chain()
                    .estimate_gas(&req, block, overrides.as_ref())
                    .map_err(chain_error)?;
                ok(U64::from(gas))
            }
            "eth_sendRawTransaction" => {
                p.at_most(1)?;
                let raw: Bytes = p.required(0, "data")?;
                let hash = self
                    .lock_chain()
                    .send_raw_transaction(&raw)
                    .map_err(chain_error)?;
                tracing::info!(%hash, "transaction received");
                ok(hash)
            }
            "eth_sendTransaction" => {
                p.at_most(1)?;
                let req: TransactionRequest = p.required(0, "transaction")?;
                let hash = self
                    .lock_chain()
                    .send_transaction(req)
                    .map_err(chain_error)?;
                tracing::info!(%hash, "transaction received");
                ok(hash)
            }

            // --- transactions and blocks ---------------------------------------------
            "eth_getTransactionByHash" => {
                p.at_most(1)?;
                let h: B256 = p.required(0, "hash")?;
                ok(self.lock_chain().transaction_by_hash(h))
            }
            "eth_getTransactionReceipt" => {
                p.at_most(1)?;
                let h: B256 = p.required(0, "hash")?;
                ok(self.lock_chain().receipt(h))
            }
            "eth_getBlockByNumber" => {
                p.at_most(2)?;
                let n: BlockNumberOrTag = p.required(0, "block")?;
                let full: bool = p.optional(1, "fullTransactions")?.unwrap_or(false);
                ok(self.lock_chain().block(BlockId::Number(n), full))
            }
            "eth_getBlockByHash" => {
                p.at_most(2)?;
                let h: B256 = p.required(0, "hash")?;
                let full: bool = p.optional(1, "fullTransactions")?.unwrap_or(false);
                ok(self.lock_chain().block(BlockId::hash(h), full))
            }
            "eth_getBlockTransactionCountByNumber" => {
                p.at_most(1)?;
                let n: BlockNumberOrTag = p.required(0, "block")?;
                ok(self.tx_count(BlockId::Number(n)))
            }
            "eth_getBlockTransactionCountByHash" => {
                p.at_most(1)?;
                let h: B256 = p.required(0, "hash")?;
                ok(self.tx_count(BlockId::hash(h)))
            }
            "eth_getTransactionByBlockNumberAndIndex" => {
                p.at_most(2)?;
                let n: BlockNumberOrTag = p.required(0, "block")?;
                let i = required_quantity(&p, 1, "index")?;
                self.tx_by_index(BlockId::Number(n), i)
            }
            "eth_getTransactionByBlockHashAndIndex" => {
                p.at_most(2)?;
                let h: B256 = p.required(0, "hash")?;
                let i = required_quantity(&p, 1, "index")?;
                self.tx_by_index(BlockId::hash(h), i)
            }
            "eth_getUncleCountByBlockNumber" | "eth_getUncleCountByBlockHash" => ok(U64::ZERO),
            "eth_getUncleByBlockNumberAndIndex" | "eth_getUncleByBlockHashAndIndex" => {
                ok(Value::Null)
            }

            // --- logs and filters ----------------------------------------------------
            "eth_getLogs" => {
                p.at_most(1)?;
                let filter: Filter = p.required(0, "filter")?;
                ok(self.lock_chain().logs(&filter).map_err(chain_error)?)
            }
            "eth_newFilter" => {
                p.at_most(1)?;
                let filter: Filter = p.required(0, "filter")?;
                self.install(FilterKind::Logs(Box::new(filter)))
            }
            "eth_newBlockFilter" => {
                p.at_most(0)?;
                self.install(FilterKind::Blocks)
            }
            "eth_newPendingTransactionFilter" => {
                p.at_most(1)?;
                self.install(FilterKind::PendingTransactions)
            }
            "eth_getFilterChanges" => {
                p.at_most(1)?;
                let id: U256 = p.required(0, "id")?;
                self.filter_changes(id)
            }
            "eth_getFilterLogs" => {
                p.at_most(1)?;
                let id: U256 = p.required(0, "id")?;
                self.filter_logs(id)
            }
            "eth_uninstallFilter" => {
                p.at_most(1)?;
                let id: U256 = p.required(0, "id")?;
                ok(self.filters().uninstall(id, Instant::now()))
            }

            // --- dev methods ---------------------------------------------------------
            "evm_snapshot" | "anvil_snapshot" => {
                p.at_most(0)?;
                ok(self.lock_chain().snapshot())
            }
            "evm_revert" | "anvil_revert" => {
                p.at_most(1)?;
                let id: U256 = p.required(0, "snapshotId")?;
                ok(self.lock_chain().revert_to(id))
            }
            "evm_mine" => {
                p.at_most(1)?;
                let (timestamp, blocks) = mine_options(p.raw(0))?;
                self.mine_blocks(blocks.unwrap_or(1), timestamp, 0)?;
                ok("0x0")
            }
            "anvil_mine" | "hardhat_mine" => {
                p.at_most(2)?;
                let blocks = p.quantity(0, "blocks")?.unwrap_or(1);
                let interval = p.quantity(1, "interval")?.unwrap_or(0);
                self.mine_blocks(blocks, None, interval)?;
                ok(Value::Null)
            }
            "evm_increaseTime" | "anvil_increaseTime" => {
                p.at_most(1)?;
                let secs = required_quantity(&p, 0, "seconds")?;
                // Answered as a JSON number, as hardhat and anvil do.
                ok(self.lock_chain().increase_time(secs))
            }
            "evm_setNextBlockTimestamp" | "anvil_setNextBlockTimestamp" => {
                p.at_most(1)?;
                let ts = required_quantity(&p, 0, "timestamp")?;
                self.lock_chain()
                    .set_next_block_timestamp(ts)
                    .map_err(chain_error)?;
                ok(Value::Null)
            }
            "evm_setAutomine" | "anvil_setAutomine" => {
                p.at_most(1)?;
                let on: bool = p.required(0, "enabled")?;
                self.lock_chain().set_automine(on);
                ok(Value::Null)
            }
            "anvil_setBalance" | "hardhat_setBalance" => {
                p.at_most(2)?;
                let addr: Address = p.required(0, "address")?;
                let value: U256 = p.required(1, "balance")?;
                self.lock_chain().set_balance(addr, value);
                ok(Value::Null)
            }
            other => Err(RpcError::method_not_found(other)),
        }
    }

    fn lock_chain(&self) -> MutexGuard<'_, Chain> {
        lock(&self.chain)
    }

    fn tx_count(&self, id: BlockId) -> Option<U64> {
        self.lock_chain()
            .block(id, false)
            .map(|b| U64::from(b.transactions.len()))
    }

    fn tx_by_index(&self, id: BlockId, index: u64) -> Result<Value, RpcError> {
        let block = self.lock_chain().block(id, true);
        let tx = block.and_then(|b| {
            let i = usize::try_from(index).ok()?;
            b.transactions.as_transactions()?.get(i).cloned()
        });
        ok(tx)
    }

    /// Mines `count` blocks; the first at `timestamp` if given, each later one `interval`
    /// seconds after the previous when `interval > 0`.
    fn mine_blocks(
        &self,
        count: u64,
        timestamp: Option<u64>,
        interval: u64,
    ) -> Result<(), RpcError> {
        const MAX_BLOCKS: u64 = 100_000;
        if count > MAX_BLOCKS {
            return Err(RpcError::invalid_params(format!(
                "at most {MAX_BLOCKS} blocks per call"
            )));
        }
        let mut chain = self.lock_chain();
        if let Some(ts) = timestamp {
            chain.set_next_block_timestamp(ts).map_err(chain_error)?;
        }
        for i in 0..count {
            if i > 0 && interval > 0 {
                chain.increase_time(interval);
            }
            chain.mine();
        }
        Ok(())
    }

    fn install(&self, kind: FilterKind) -> Result<Value, RpcError> {
        let head = self.lock_chain().block_number();
        let id = self.filters().install(kind, head, Instant::now());
        ok(id)
    }

    fn filter_changes(&self, id: U256) -> Result<Value, RpcError> {
        let chain = self.lock_chain();
        let head = chain.block_number();
        let installed = self
            .filters()
            .poll(id, head, Instant::now())
            .ok_or_else(filter_not_found)?;
        let from = installed.last_block.saturating_add(1);
        match installed.kind {
            FilterKind::PendingTransactions => ok(Vec::<B256>::new()),
            FilterKind::Blocks => {
                let hashes: Vec<B256> = (from..=head)
                    .filter_map(|n| chain.block(BlockId::number(n), false))
                    .map(|b| b.header.hash)
                    .collect();
                ok(hashes)
            }
            FilterKind::Logs(filter) => {
                let Some(range) = clip_range(&filter, from, head) else {
                    return ok(Vec::<Value>::new());
                };
                let logs = chain.logs(&range).map_err(chain_error)?;
                ok(logs)
            }
        }
    }

    fn filter_logs(&self, id: U256) -> Result<Value, RpcError> {
        let chain = self.lock_chain();
        let installed = self
            .filters()
            .get(id, Instant::now())
            .ok_or_else(filter_not_found)?;
        match installed.kind {
            FilterKind::Logs(filter) => ok(chain.logs(&filter).map_err(chain_error)?),
            _ => Err(filter_not_found()),
        }
    }
}

/// The part of a log filter's block range that lies within `[from, head]`, as a filter
/// with numeric bounds; `None` when empty or when the filter is pinned to a block hash
/// (such a block is never new).
fn clip_range(filter: &Filter, from: u64, head: u64) -> Option<Filter> {
    let (lo, hi) = match filter.block_option {
        FilterBlockOption::AtBlockHash(_) => return None,
        FilterBlockOption::Range {
            from_block,
            to_block,
        } => (
            from_block.and_then(|b| b.as_number()),
            to_block.and_then(|b| b.as_number()),
        ),
    };
    let start = lo.map_or(from, |lo| lo.max(from));
    let end = hi.map_or(head, |hi| hi.min(head));
    (start <= end).then(|| filter.clone().from_block(start).to_block(end))
}

fn filter_not_found() -> RpcError {
    RpcError::server("filter not found")
}

/// Serialises a result.
fn ok<T: Serialize>(value: T) -> Result<Value, RpcError> {
    serde_json::to_value(value).map_err(RpcError::internal)
}

/// Optional block parameter `i`, `latest` when absent.
fn block_id(p: &Params, i: usize) -> Result<BlockId, RpcError> {
    Ok(p.optional(i, "block")?.unwrap_or_else(BlockId::latest))
}

fn required_quantity(p: &Params, i: usize, name: &str) -> Result<u64, RpcError> {
    p.quantity(i, name)?.ok_or_else(|| {
        RpcError::invalid_params(format!("missing value for required argument {i} ({name})"))
    })
}

/// `[transaction, block?, stateOverrides?]` of `eth_call` and `eth_estimateGas`.
fn call_params(
    p: &Params,
) -> Result<(TransactionRequest, BlockId, Option<StateOverride>), RpcError> {
    let req: TransactionRequest = p.required(0, "transaction")?;
    let block = block_id(p, 1)?;
    let overrides: Option<StateOverride> = p.optional(2, "stateOverrides")?;
    Ok((req, block, overrides))
}

/// `evm_mine`'s optional argument: a timestamp (number or hex) or
/// `{ "timestamp": ..., "blocks": ... }`. Returns `(timestamp, blocks)`.
fn mine_options(raw: Option<&Value>) -> Result<(Option<u64>, Option<u64>), RpcError> {
    let bad = |what: &str| RpcError::invalid_params(format!("argument 0 (options): {what}"));
    match raw {
        None | Some(Value::Null) => Ok((None, None)),
        Some(Value::Object(o)) => {
            let field = |name: &str| -> Result<Option<u64>, RpcError> {
                match o.get(name) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => super::params::parse_quantity(v)
                        .map(Some)
                        .ok_or_else(|| bad(&format!("{name} is not a quantity"))),
                }
            };
            Ok((field("timestamp")?, field("blocks")?))
        }
        Some(v) => super::params::parse_quantity(v)
            .map(|ts| (Some(ts), None))
            .ok_or_else(|| bad("expected a timestamp or {timestamp, blocks}")),
    }
}

/// Maps a chain error to the JSON-RPC error clients expect (geth's codes and wording).
pub fn chain_error(e: ChainError) -> RpcError {
    match e {
        ChainError::Revert { output, .. } => {
            let message = match revert_reason(&output) {
                Some(reason) => format!("execution reverted: {reason}"),
                None => "execution reverted".to_owned(),
            };
            RpcError {
                code: EXECUTION_REVERTED,
                message,
                data: Some(json!(output)),
            }
        }
        ChainError::InvalidTransaction(msg) => RpcError::server(msg),
        ChainError::NonceTooLow { expected, got } => RpcError::server(format!(
            "nonce too low: next nonce {expected}, tx nonce {got}"
        )),
        ChainError::NonceTooHigh { expected, got } => RpcError::server(format!(
            "nonce too high: next nonce {expected}, tx nonce {got}"
        )),
        ChainError::InsufficientFunds(detail) => {
            if detail.starts_with("insufficient funds") {
                RpcError::server(detail)
            } else {
                RpcError::server(format!(
                    "insufficient funds for gas * price + value: {detail}"
                ))
            }
        }
        ChainError::OutOfGas => RpcError::server("out of gas"),
        ChainError::UnknownBlock(what) => RpcError::server(format!("header not found: {what}")),
        ChainError::UnknownAccount(addr) => RpcError::server(format!("unknown account {addr}")),
        ChainError::Internal(msg) => RpcError::internal(msg),
    }
}

/// `Error(string)` and `Panic(uint256)` reasons, as geth appends them to the message.
fn revert_reason(output: &[u8]) -> Option<String> {
    if let Ok(r) = Revert::abi_decode(output) {
        return Some(r.reason);
    }
    Panic::abi_decode(output).ok().map(|p| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpc::jsonrpc::{INTERNAL_ERROR, SERVER_ERROR};

    #[test]
    fn revert_maps_to_code_3_with_data() {
        let e = chain_error(ChainError::Revert {
            output: Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]),
            gas_used: 1,
        });
        assert_eq!(e.code, EXECUTION_REVERTED);
        assert_eq!(e.message, "execution reverted");
        assert_eq!(e.data, Some(json!("0xdeadbeef")));
    }

    #[test]
    fn revert_string_reason_is_appended() {
        let output = Revert::from("too small").abi_encode();
        let e = chain_error(ChainError::Revert {
            output: output.into(),
            gas_used: 0,
        });
        assert_eq!(e.message, "execution reverted: too small");
    }

    #[test]
    fn validation_errors_use_geth_wording() {
        let low = chain_error(ChainError::NonceTooLow {
            expected: 2,
            got: 1,
        });
        assert_eq!(low.code, SERVER_ERROR);
        assert!(low.message.starts_with("nonce too low"));
        let high = chain_error(ChainError::NonceTooHigh {
            expected: 2,
            got: 5,
        });
        assert!(high.message.starts_with("nonce too high"));
        let funds = chain_error(ChainError::InsufficientFunds("have 1 want 2".into()));
        assert_eq!(
            funds.message,
            "insufficient funds for gas * price + value: have 1 want 2"
        );
        assert_eq!(
            chain_error(ChainError::Internal("x".into())).code,
            INTERNAL_ERROR
        );
    }

    #[test]
    fn log_filter_ranges_are_clipped() {
        let open = Filter::new();
        let r = clip_range(&open, 4, 9).map(|f| (f.get_from_block(), f.get_to_block()));
        assert_eq!(r, Some((Some(4), Some(9))));
        let bounded = Filter::new().from_block(6u64).to_block(7u64);
        let r = clip_range(&bounded, 4, 9).map(|f| (f.get_from_block(), f.get_to_block()));
        assert_eq!(r, Some((Some(6), Some(7))));
        let past = Filter::new().to_block(3u64);
        assert!(clip_range(&past, 4, 9).is_none());
        assert!(clip_range(&Filter::new().at_block_hash(B256::ZERO), 4, 9).is_none());
    }

    #[test]
    fn mine_options_forms() {
        assert_eq!(mine_options(None).ok(), Some((None, None)));
        assert_eq!(mine_options(Some(&json!(5))).ok(), Some((Some(5), None)));
        assert_eq!(
            mine_options(Some(&json!({"timestamp": "0x10", "blocks": 3}))).ok(),
            Some((Some(16), Some(3)))
        );
        assert!(mine_options(Some(&json!(true))).is_err());
    }
}
