//! The chain: state, blocks, receipts, transaction validation and the dev-node controls.

use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::rpc::types::state::StateOverride;
use alloy::rpc::types::{
    Block, FeeHistory, Filter, Log, Transaction, TransactionReceipt, TransactionRequest,
};
use std::path::Path;

/// Arbitrum Nitro's default local dev chain id.
pub const DEFAULT_CHAIN_ID: u64 = 412_346;
/// Arbitrum's minimum base fee: 0.1 gwei. The dev chain keeps the base fee constant at this value.
pub const DEFAULT_BASE_FEE: u128 = 100_000_000;
/// Default block gas limit (Arbitrum's per-block limit is 32M gas).
pub const DEFAULT_BLOCK_GAS_LIMIT: u64 = 32_000_000;

/// How the chain is set up.
#[derive(Debug, Clone)]
pub struct ChainConfig {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Prefunded accounts in addition to the ten dev accounts.
    pub genesis: Vec<(Address, U256)>,
    /// Gas limit of every block (and the cap of a single transaction).
    pub block_gas_limit: u64,
    /// The constant base fee in wei.
    pub base_fee: u128,
    /// Timestamp of the genesis block; the wall clock when `None`.
    pub genesis_timestamp: Option<u64>,
    /// Stylus runtime prices and limits.
    pub stylus: stylus_runtime::Config,
}

impl Default for ChainConfig {
    fn default() -> Self {
        Self {
            chain_id: DEFAULT_CHAIN_ID,
            genesis: Vec::new(),
            block_gas_limit: DEFAULT_BLOCK_GAS_LIMIT,
            base_fee: DEFAULT_BASE_FEE,
            genesis_timestamp: None,
            stylus: stylus_runtime::Config::default(),
        }
    }
}

/// Why a chain operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// Execution reverted; `output` is the revert data (e.g. an ABI-encoded custom error).
    #[error("execution reverted")]
    Revert {
        /// Revert data.
        output: Bytes,
        /// Gas used up to the revert.
        gas_used: u64,
    },
    /// The transaction is malformed or not acceptable (signature, chain id, intrinsic gas, fee).
    #[error("invalid transaction: {0}")]
    InvalidTransaction(String),
    /// The nonce was already used.
    #[error("nonce too low: expected {expected}, got {got}")]
    NonceTooLow {
        /// The sender's next nonce.
        expected: u64,
        /// The transaction's nonce.
        got: u64,
    },
    /// The nonce leaves a gap (the dev chain does not queue transactions).
    #[error("nonce too high: expected {expected}, got {got}")]
    NonceTooHigh {
        /// The sender's next nonce.
        expected: u64,
        /// The transaction's nonce.
        got: u64,
    },
    /// The sender cannot pay for gas and value.
    #[error("insufficient funds: {0}")]
    InsufficientFunds(String),
    /// The transaction (or call) ran out of gas.
    #[error("out of gas")]
    OutOfGas,
    /// The block does not exist or its state is not kept.
    #[error("unknown block: {0}")]
    UnknownBlock(String),
    /// `eth_sendTransaction` from an account whose key the node does not hold.
    #[error("unknown account {0}")]
    UnknownAccount(Address),
    /// A bug or an unexpected database failure.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The dev chain. Not `Sync`: wrap it in a mutex to share it.
#[derive(Debug)]
pub struct Chain {
    config: ChainConfig,
    dev_accounts: Vec<(Address, B256)>,
}

fn not_yet() -> ChainError {
    ChainError::Internal("not yet implemented".into())
}

impl Chain {
    /// Creates the chain with its genesis block.
    pub fn new(config: ChainConfig) -> Self {
        Self {
            config,
            dev_accounts: Vec::new(),
        }
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.config.chain_id
    }

    /// Number of the latest mined block.
    pub fn block_number(&self) -> u64 {
        0
    }

    /// The gas price suggested to clients (the base fee; no tip is needed).
    pub fn gas_price(&self) -> u128 {
        self.config.base_fee
    }

    /// The (constant) base fee.
    pub fn base_fee(&self) -> u128 {
        self.config.base_fee
    }

    /// Balance of `addr` at `block`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when the block's state is not kept.
    pub fn balance(&self, addr: Address, block: BlockId) -> Result<U256, ChainError> {
        let _ = (addr, block);
        Err(not_yet())
    }

    /// Nonce of `addr` at `block`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when the block's state is not kept.
    pub fn nonce(&self, addr: Address, block: BlockId) -> Result<u64, ChainError> {
        let _ = (addr, block);
        Err(not_yet())
    }

    /// Code of `addr` at `block`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when the block's state is not kept.
    pub fn code(&self, addr: Address, block: BlockId) -> Result<Bytes, ChainError> {
        let _ = (addr, block);
        Err(not_yet())
    }

    /// Storage slot of `addr` at `block`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when the block's state is not kept.
    pub fn storage_at(
        &self,
        addr: Address,
        slot: U256,
        block: BlockId,
    ) -> Result<B256, ChainError> {
        let _ = (addr, slot, block);
        Err(not_yet())
    }

    /// Executes `req` against the state at `block` without committing anything.
    ///
    /// # Errors
    /// [`ChainError::Revert`] with the revert data, or any validation error.
    pub fn call(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
    ) -> Result<Bytes, ChainError> {
        let _ = (req, block, overrides);
        Err(not_yet())
    }

    /// Smallest gas limit with which `req` succeeds.
    ///
    /// # Errors
    /// [`ChainError::Revert`] if it reverts even with the block gas limit.
    pub fn estimate_gas(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
    ) -> Result<u64, ChainError> {
        let _ = (req, block, overrides);
        Err(not_yet())
    }

    /// Validates and executes a signed transaction (legacy, EIP-2930, EIP-1559).
    ///
    /// # Errors
    /// Validation errors; a reverted transaction is still mined and is not an error.
    pub fn send_raw_transaction(&mut self, raw: &[u8]) -> Result<B256, ChainError> {
        let _ = raw;
        Err(not_yet())
    }

    /// Signs `req` with the key of its `from` dev account and sends it.
    ///
    /// # Errors
    /// [`ChainError::UnknownAccount`] if `from` is not a dev account, else as
    /// [`Chain::send_raw_transaction`].
    pub fn send_transaction(&mut self, req: TransactionRequest) -> Result<B256, ChainError> {
        let _ = req;
        Err(not_yet())
    }

    /// The ten prefunded dev accounts and their private keys.
    pub fn dev_accounts(&self) -> &[(Address, B256)] {
        &self.dev_accounts
    }

    /// Mines the pending transactions into a block (an empty block if none); returns its hash.
    pub fn mine(&mut self) -> B256 {
        B256::ZERO
    }

    /// Mine each transaction as it arrives (default) or only on [`Chain::mine`].
    pub fn set_automine(&mut self, on: bool) {
        let _ = on;
    }

    /// A mined or pending transaction.
    pub fn transaction_by_hash(&self, h: B256) -> Option<Transaction> {
        let _ = h;
        None
    }

    /// The receipt of a mined transaction.
    pub fn receipt(&self, h: B256) -> Option<TransactionReceipt> {
        let _ = h;
        None
    }

    /// A block with transaction hashes or (`full`) whole transactions.
    pub fn block(&self, id: BlockId, full: bool) -> Option<Block> {
        let _ = (id, full);
        None
    }

    /// Logs matching `filter`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] for a block hash that does not exist.
    pub fn logs(&self, filter: &Filter) -> Result<Vec<Log>, ChainError> {
        let _ = filter;
        Err(not_yet())
    }

    /// Fee history over `count` blocks ending at `newest`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when `newest` does not exist.
    pub fn fee_history(
        &self,
        count: u64,
        newest: BlockNumberOrTag,
        percentiles: &[f64],
    ) -> Result<FeeHistory, ChainError> {
        let _ = (count, newest, percentiles);
        Err(not_yet())
    }

    /// Records the current state; returns the snapshot id.
    pub fn snapshot(&mut self) -> U256 {
        U256::ZERO
    }

    /// Restores snapshot `id` (and drops it and every later one); false if unknown.
    pub fn revert_to(&mut self, id: U256) -> bool {
        let _ = id;
        false
    }

    /// Moves the clock forward by `secs`; returns the total offset.
    pub fn increase_time(&mut self, secs: u64) -> u64 {
        secs
    }

    /// Fixes the next block's timestamp.
    ///
    /// # Errors
    /// [`ChainError::InvalidTransaction`] if `ts` is not after the latest block's timestamp.
    pub fn set_next_block_timestamp(&mut self, ts: u64) -> Result<(), ChainError> {
        let _ = ts;
        Err(not_yet())
    }

    /// Sets the balance of `addr`.
    pub fn set_balance(&mut self, addr: Address, value: U256) {
        let _ = (addr, value);
    }

    /// Writes the state to `path` as JSON.
    ///
    /// # Errors
    /// I/O or serialisation failures.
    pub fn save_state(&self, path: &Path) -> anyhow::Result<()> {
        let _ = path;
        anyhow::bail!("not yet implemented")
    }

    /// Creates a chain from a state file written by [`Chain::save_state`].
    ///
    /// # Errors
    /// I/O or format failures.
    pub fn load_state(config: ChainConfig, path: &Path) -> anyhow::Result<Self> {
        let _ = (config, path);
        anyhow::bail!("not yet implemented")
    }
}
