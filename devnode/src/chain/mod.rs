//! The chain: state, blocks, receipts, transaction validation and the dev-node controls.
//!
//! Behaviour a client may notice:
//! - The base fee is constant ([`ChainConfig::base_fee`], 0.1 gwei by default, Arbitrum's
//!   minimum); priority fees go to the block's coinbase (Arbitrum's sequencer address).
//! - Mining is instant (one block per transaction) unless [`Chain::set_automine`] turns it off;
//!   then transactions wait in a pending list until [`Chain::mine`]. Nonce gaps are refused
//!   ([`ChainError::NonceTooHigh`]), not queued.
//! - Block timestamps never decrease: `max(parent, wall clock + offset)`, so consecutive blocks
//!   may share a timestamp as on Arbitrum; [`Chain::increase_time`] moves the offset and
//!   [`Chain::set_next_block_timestamp`] fixes the next one.
//! - State is kept for the latest [`HISTORY_BLOCKS`] blocks; older block numbers answer
//!   [`ChainError::UnknownBlock`] for state queries and calls (blocks, transactions, receipts and
//!   logs stay available). `pending` state is the latest state (pending transactions are not
//!   applied), except for nonces, which count pending transactions.
//! - A halt other than out-of-gas (invalid opcode, a Stylus trap) is reported by `call` as a
//!   revert without data.

pub mod block;
pub mod persist;
pub mod tx;

use crate::evm::{DevEvm, StateDb, SPEC};
use crate::precompiles::{DevPrecompiles, ARB_SYS, ARB_WASM};
use crate::stylus::StylusState;
use alloy::consensus::{Header, Transaction as _, EMPTY_OMMER_ROOT_HASH, EMPTY_ROOT_HASH};
use alloy::eips::eip7685::EMPTY_REQUESTS_HASH;
use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{address, keccak256, Address, Bloom, Bytes, B256, B64, U256};
use alloy::rpc::types::state::StateOverride;
use alloy::rpc::types::{
    Block, FeeHistory, Filter, Log, Transaction, TransactionReceipt, TransactionRequest,
};
use block::{StoredBlock, StoredReceipt, StoredTx};
use revm::context::result::{ExecutionResult, HaltReason};
use revm::context::{BlockEnv, CfgEnv};
use revm::database_interface::{DatabaseCommit, DatabaseRef};
use revm::state::{AccountInfo, Bytecode};
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use tx::SignedTx;

/// Arbitrum Nitro's default local dev chain id.
pub const DEFAULT_CHAIN_ID: u64 = 412_346;
/// Arbitrum's minimum base fee: 0.1 gwei. The dev chain keeps the base fee constant at this value.
pub const DEFAULT_BASE_FEE: u128 = 100_000_000;
/// Default block gas limit (Arbitrum's per-block limit is 32M gas).
pub const DEFAULT_BLOCK_GAS_LIMIT: u64 = 32_000_000;
/// How many recent blocks keep their state for historical queries.
pub const HISTORY_BLOCKS: usize = 64;
/// The canonical StylusDeployer address.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// Arbitrum's block coinbase (the sequencer), which receives priority fees.
pub const SEQUENCER: Address = address!("A4B000000000000000000073657175656e636572");
/// Runtime bytecode of `devnode/contracts/StylusDeployer.sol` (solc 0.8.30, optimizer 200 runs,
/// cancun, no metadata), checked against a fresh compilation by the `chain_deployer` test.
pub const STYLUS_DEPLOYER_RUNTIME_HEX: &str =
    include_str!("../../contracts/StylusDeployer.runtime.hex");

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

/// Everything a snapshot restores (the state database is kept beside it).
#[derive(Debug, Clone, Default)]
struct ChainState {
    /// Mined blocks, oldest first; `blocks[0]` has number `first_block`.
    blocks: Vec<StoredBlock>,
    /// Number of the oldest known block (0, or the head of a loaded state file).
    first_block: u64,
    /// Block number by hash.
    by_hash: HashMap<B256, u64>,
    /// Mined transactions by hash.
    txs: HashMap<B256, StoredTx>,
    /// Transactions waiting for [`Chain::mine`] (automine off).
    pending: Vec<SignedTx>,
    /// Seconds added to the wall clock.
    time_offset: i64,
    /// Timestamp forced for the next block.
    next_timestamp: Option<u64>,
    /// State after each of the recent blocks below the head, oldest first.
    history: VecDeque<(u64, StateDb)>,
}

/// The dev chain. `Send` but not `Sync`: wrap it in a mutex to share it.
pub struct Chain {
    config: ChainConfig,
    dev_accounts: Vec<(Address, B256)>,
    /// State after the latest block.
    db: StateDb,
    /// Stylus configuration and compiled programs (a cache, not state).
    stylus: StylusState,
    st: ChainState,
    automine: bool,
    snapshots: Vec<(U256, ChainState, StateDb)>,
    next_snapshot: U256,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("chain_id", &self.config.chain_id)
            .field("block_number", &self.block_number())
            .field("pending", &self.st.pending.len())
            .field("automine", &self.automine)
            .finish_non_exhaustive()
    }
}

fn wall_clock() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The genesis state: dev accounts, configured accounts, precompile accounts (code `0xFE`)
/// and the StylusDeployer.
fn genesis_db(config: &ChainConfig) -> Result<StateDb, ChainError> {
    let mut db = StateDb::default();
    for (addr, balance) in crate::accounts::dev_genesis()
        .into_iter()
        .chain(config.genesis.iter().copied())
    {
        db.insert_account_info(
            addr,
            AccountInfo {
                balance,
                ..AccountInfo::default()
            },
        );
    }
    let invalid = Bytecode::new_raw(Bytes::from_static(&[0xFE]));
    for addr in [ARB_SYS, ARB_WASM] {
        db.insert_account_info(addr, AccountInfo::default().with_code(invalid.clone()));
    }
    let deployer = alloy::hex::decode(STYLUS_DEPLOYER_RUNTIME_HEX.trim())
        .map_err(|e| ChainError::Internal(format!("bad StylusDeployer bytecode: {e}")))?;
    let mut info = AccountInfo::default().with_code(Bytecode::new_raw(deployer.into()));
    info.nonce = 1;
    db.insert_account_info(STYLUS_DEPLOYER, info);
    Ok(db)
}

impl Chain {
    /// Creates the chain with its genesis block.
    ///
    /// # Panics
    /// Never in practice: only if the embedded StylusDeployer bytecode were not hex.
    pub fn new(config: ChainConfig) -> Self {
        #[allow(clippy::expect_used)]
        // SAFETY: the embedded hex is checked by the chain_deployer test.
        let db = genesis_db(&config).expect("embedded StylusDeployer bytecode is valid hex");
        let timestamp = config.genesis_timestamp.unwrap_or_else(wall_clock);
        let header = Header {
            parent_hash: B256::ZERO,
            ommers_hash: EMPTY_OMMER_ROOT_HASH,
            beneficiary: SEQUENCER,
            state_root: B256::ZERO,
            transactions_root: EMPTY_ROOT_HASH,
            receipts_root: EMPTY_ROOT_HASH,
            logs_bloom: Bloom::default(),
            difficulty: U256::from(1),
            number: 0,
            gas_limit: config.block_gas_limit,
            gas_used: 0,
            timestamp,
            extra_data: Bytes::new(),
            mix_hash: B256::with_last_byte(1),
            nonce: B64::ZERO,
            base_fee_per_gas: Some(u64::try_from(config.base_fee).unwrap_or(u64::MAX)),
            withdrawals_root: Some(EMPTY_ROOT_HASH),
            blob_gas_used: Some(0),
            excess_blob_gas: Some(0),
            parent_beacon_block_root: Some(B256::ZERO),
            requests_hash: Some(EMPTY_REQUESTS_HASH),
        };
        let genesis = StoredBlock::new(header, Vec::new());
        let mut st = ChainState::default();
        st.by_hash.insert(genesis.hash, 0);
        let mut db = db;
        db.cache.block_hashes.insert(U256::ZERO, genesis.hash);
        st.blocks.push(genesis);
        Self {
            stylus: StylusState::new(config.stylus.clone()),
            config,
            dev_accounts: crate::accounts::dev_accounts(),
            db,
            st,
            automine: true,
            snapshots: Vec::new(),
            next_snapshot: U256::ZERO,
        }
    }

    /// The configuration the chain was created with.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.config.chain_id
    }

    fn head(&self) -> &StoredBlock {
        // SAFETY of indexing: the chain always holds at least its first block.
        &self.st.blocks[self.st.blocks.len() - 1]
    }

    /// Number of the latest mined block.
    pub fn block_number(&self) -> u64 {
        self.head().header.number
    }

    /// The gas price suggested to clients (the base fee; no tip is needed).
    pub fn gas_price(&self) -> u128 {
        self.config.base_fee
    }

    /// The (constant) base fee.
    pub fn base_fee(&self) -> u128 {
        self.config.base_fee
    }

    fn base_fee_u64(&self) -> u64 {
        u64::try_from(self.config.base_fee).unwrap_or(u64::MAX)
    }

    fn resolve_tag(&self, tag: BlockNumberOrTag) -> Result<u64, ChainError> {
        let head = self.block_number();
        match tag {
            BlockNumberOrTag::Number(n) if n > head => Err(ChainError::UnknownBlock(format!(
                "block {n} is beyond the head {head}"
            ))),
            BlockNumberOrTag::Number(n) if n < self.st.first_block => Err(
                ChainError::UnknownBlock(format!("block {n} is older than this chain's history")),
            ),
            BlockNumberOrTag::Number(n) => Ok(n),
            BlockNumberOrTag::Earliest => Ok(self.st.first_block),
            _ => Ok(head),
        }
    }

    fn resolve(&self, id: BlockId) -> Result<u64, ChainError> {
        match id {
            BlockId::Hash(h) => self.st.by_hash.get(&h.block_hash).copied().ok_or_else(|| {
                ChainError::UnknownBlock(format!("no block with hash {}", h.block_hash))
            }),
            BlockId::Number(tag) => self.resolve_tag(tag),
        }
    }

    fn stored_block(&self, number: u64) -> Option<&StoredBlock> {
        let idx = number.checked_sub(self.st.first_block)?;
        self.st.blocks.get(usize::try_from(idx).ok()?)
    }

    fn state_at(&self, number: u64) -> Result<&StateDb, ChainError> {
        if number == self.block_number() {
            return Ok(&self.db);
        }
        self.st
            .history
            .iter()
            .find(|(n, _)| *n == number)
            .map(|(_, db)| db)
            .ok_or_else(|| {
                ChainError::UnknownBlock(format!(
                    "the state of block {number} is not kept (only the latest {HISTORY_BLOCKS} blocks)"
                ))
            })
    }

    fn account(&self, addr: Address, block: BlockId) -> Result<AccountInfo, ChainError> {
        let db = self.state_at(self.resolve(block)?)?;
        let Ok(info) = db.basic_ref(addr);
        Ok(info.unwrap_or_default())
    }

    /// Balance of `addr` at `block`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when the block's state is not kept.
    pub fn balance(&self, addr: Address, block: BlockId) -> Result<U256, ChainError> {
        Ok(self.account(addr, block)?.balance)
    }

    /// Nonce of `addr` at `block` (for `pending`, counting its pending transactions).
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when the block's state is not kept.
    pub fn nonce(&self, addr: Address, block: BlockId) -> Result<u64, ChainError> {
        let nonce = self.account(addr, block)?.nonce;
        if block == BlockId::Number(BlockNumberOrTag::Pending) {
            return Ok(self.pending_nonce_from(addr, nonce));
        }
        Ok(nonce)
    }

    fn pending_nonce_from(&self, addr: Address, state_nonce: u64) -> u64 {
        let waiting = self.st.pending.iter().filter(|t| t.from == addr).count() as u64;
        state_nonce + waiting
    }

    fn pending_nonce(&self, addr: Address) -> u64 {
        let Ok(info) = self.db.basic_ref(addr);
        self.pending_nonce_from(addr, info.map(|i| i.nonce).unwrap_or(0))
    }

    /// Code of `addr` at `block`.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when the block's state is not kept.
    pub fn code(&self, addr: Address, block: BlockId) -> Result<Bytes, ChainError> {
        let db = self.state_at(self.resolve(block)?)?;
        let Ok(info) = db.basic_ref(addr);
        let Some(info) = info else {
            return Ok(Bytes::new());
        };
        if let Some(code) = info.code {
            return Ok(code.original_bytes());
        }
        let Ok(code) = db.code_by_hash_ref(info.code_hash);
        Ok(code.original_bytes())
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
        let db = self.state_at(self.resolve(block)?)?;
        let Ok(value) = db.storage_ref(addr, slot);
        Ok(B256::from(value))
    }

    fn cfg(&self, for_call: bool) -> CfgEnv {
        let mut cfg = CfgEnv::new_with_spec(SPEC);
        cfg.chain_id = self.config.chain_id;
        cfg.disable_eip3541 = true;
        // A raised Stylus code-size limit (`--code-size-limit`) applies to EVM code too, as
        // anvil's flag does; by default both are Arbitrum's 24,576 bytes (EIP-170).
        if self.config.stylus.max_code_size > 24_576 {
            cfg.limit_contract_code_size = Some(self.config.stylus.max_code_size);
        }
        if for_call {
            cfg.disable_nonce_check = true;
            cfg.disable_eip3607 = true;
            cfg.disable_base_fee = true;
        }
        cfg
    }

    fn block_env(&self, header: &Header) -> BlockEnv {
        BlockEnv {
            number: U256::from(header.number),
            beneficiary: header.beneficiary,
            timestamp: U256::from(header.timestamp),
            gas_limit: header.gas_limit,
            basefee: header.base_fee_per_gas.unwrap_or_default(),
            difficulty: header.difficulty,
            prevrandao: Some(header.mix_hash),
            ..BlockEnv::default()
        }
    }

    /// The environment of the next block (number head + 1, the time it would get now).
    fn next_block_env(&self) -> BlockEnv {
        let head = &self.head().header;
        BlockEnv {
            number: U256::from(head.number + 1),
            beneficiary: SEQUENCER,
            timestamp: U256::from(self.peek_next_timestamp()),
            gas_limit: self.config.block_gas_limit,
            basefee: self.base_fee_u64(),
            difficulty: U256::from(1),
            prevrandao: Some(B256::with_last_byte(1)),
            ..BlockEnv::default()
        }
    }

    fn peek_next_timestamp(&self) -> u64 {
        let parent = self.head().header.timestamp;
        match self.st.next_timestamp {
            Some(ts) => ts,
            None => {
                let now = i128::from(wall_clock()) + i128::from(self.st.time_offset);
                u64::try_from(now.max(0)).unwrap_or(u64::MAX).max(parent)
            }
        }
    }

    /// Runs `f` on an EVM over `db`; returns its result and the database.
    fn with_evm<R>(
        &mut self,
        db: StateDb,
        cfg: CfgEnv,
        block: BlockEnv,
        f: impl FnOnce(&mut DevEvm) -> R,
    ) -> (R, StateDb) {
        let stylus = std::mem::take(&mut self.stylus);
        let mut evm = DevEvm::new(db, cfg, block, DevPrecompiles::new(stylus));
        let r = f(&mut evm);
        let (db, stylus) = evm.into_parts();
        self.stylus = stylus;
        (r, db)
    }

    /// Executes a call request at `block` with `gas_limit` (or the request's / the cap).
    fn execute_call(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
        gas_limit: Option<u64>,
    ) -> Result<ExecutionResult, ChainError> {
        self.execute_call_in(req, block, overrides, gas_limit, None)
    }

    /// [`Chain::execute_call`] in block environment `env` instead of `block`'s own (the state
    /// is still `block`'s).
    fn execute_call_in(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
        gas_limit: Option<u64>,
        env: Option<&BlockEnv>,
    ) -> Result<ExecutionResult, ChainError> {
        let number = self.resolve(block)?;
        let env = if let Some(env) = env {
            env.clone()
        } else if block == BlockId::Number(BlockNumberOrTag::Pending) {
            self.next_block_env()
        } else {
            let header = self
                .stored_block(number)
                .map(|b| b.header.clone())
                .ok_or_else(|| ChainError::UnknownBlock(format!("block {number}")))?;
            self.block_env(&header)
        };
        let is_head = number == self.block_number();
        let (mut db, borrowed) = if is_head && overrides.is_none() {
            (std::mem::take(&mut self.db), true)
        } else {
            (self.state_at(number)?.clone(), false)
        };
        if let Some(o) = overrides {
            persist::apply_overrides(&mut db, o);
        }
        let from = req.from.unwrap_or_default();
        let Ok(info) = db.basic_ref(from);
        let nonce = info.map(|i| i.nonce).unwrap_or(0);
        let cap = self.config.block_gas_limit;
        let mut tx = tx::call_env(req, self.config.chain_id, nonce, cap);
        if let Some(g) = gas_limit {
            tx.gas_limit = g;
        }
        let cfg = self.cfg(true);
        let (result, db) = self.with_evm(db, cfg, env, |evm| evm.transact(tx));
        if borrowed {
            self.db = db;
        }
        result.map(|(r, _)| r).map_err(tx::map_tx_error)
    }

    fn call_outcome(result: ExecutionResult) -> Result<Bytes, ChainError> {
        match result {
            ExecutionResult::Success { output, .. } => Ok(output.into_data()),
            ExecutionResult::Revert { output, gas, .. } => Err(ChainError::Revert {
                output,
                gas_used: gas.tx_gas_used(),
            }),
            ExecutionResult::Halt {
                reason: HaltReason::OutOfGas(_),
                ..
            } => Err(ChainError::OutOfGas),
            ExecutionResult::Halt { gas, reason, .. } => {
                tracing::debug!(?reason, "call halted");
                Err(ChainError::Revert {
                    output: Bytes::new(),
                    gas_used: gas.tx_gas_used(),
                })
            }
        }
    }

    /// Executes `req` against the state at `block` without committing anything.
    ///
    /// # Errors
    /// [`ChainError::Revert`] with the revert data, [`ChainError::OutOfGas`], or any validation
    /// error.
    pub fn call(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
    ) -> Result<Bytes, ChainError> {
        let result = self.execute_call(req, block, overrides, None)?;
        Self::call_outcome(result)
    }

    /// Smallest gas limit (within 0.1%) with which `req` succeeds.
    ///
    /// At the head (`latest`, `pending`, or no block given) the estimate is for a transaction
    /// sent now: it runs in the next block's environment (its number and the time it would be
    /// mined at), and the limit must also succeed one second later, since the clock may tick
    /// before the transaction is mined. Code whose cost depends on the time (a rate-limit
    /// bucket refilled, a timestamp rewritten only when it changes) would otherwise get a limit
    /// measured in the previous block's second and run out of gas. Older blocks use their own
    /// environment.
    ///
    /// # Errors
    /// [`ChainError::Revert`] / [`ChainError::OutOfGas`] if it fails even with the cap (the
    /// request's gas or the block gas limit).
    pub fn estimate_gas(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
    ) -> Result<u64, ChainError> {
        let cap = req
            .gas
            .unwrap_or(self.config.block_gas_limit)
            .min(self.config.block_gas_limit);
        let mut envs = self.estimate_envs(block)?;
        let first = self.execute_call_in(req, block, overrides, Some(cap), envs[0].as_ref())?;
        if !first.is_success() {
            return Self::call_outcome(first).map(|_| cap);
        }
        // A later time at which the call fails outright (a deadline passing) is not this
        // estimate's concern: keep only the environments where the cap suffices.
        let mut kept = vec![envs.remove(0)];
        for env in envs {
            if self.succeeds_in(req, block, overrides, cap, env.as_ref())? {
                kept.push(env);
            }
        }
        let spent = first.gas().total_gas_spent();
        let mut lo = first.tx_gas_used().saturating_sub(1);
        let mut hi = cap;
        // Most transactions need a little more than they spend (63/64 rule, refunds, the
        // SSTORE sentry): try that first to narrow the search.
        let guess = spent
            .saturating_add(spent / 63)
            .saturating_add(2_300)
            .min(cap);
        if guess > lo && guess < hi {
            if self.succeeds_all(req, block, overrides, guess, &kept)? {
                hi = guess;
            } else {
                lo = guess;
            }
        }
        while hi - lo > 1 && (hi - lo) * 1_000 > hi {
            let mid = lo + (hi - lo) / 2;
            if self.succeeds_all(req, block, overrides, mid, &kept)? {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(hi)
    }

    /// The block environments an estimate at `block` must succeed in (never empty): at the
    /// head, the next block now and one second later; elsewhere `block`'s own (`None`).
    fn estimate_envs(&self, block: BlockId) -> Result<Vec<Option<BlockEnv>>, ChainError> {
        if self.resolve(block)? != self.block_number() {
            return Ok(vec![None]);
        }
        let now = self.next_block_env();
        let mut later = now.clone();
        later.timestamp = later.timestamp.saturating_add(U256::from(1u64));
        Ok(vec![Some(now), Some(later)])
    }

    fn succeeds_all(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
        gas: u64,
        envs: &[Option<BlockEnv>],
    ) -> Result<bool, ChainError> {
        for env in envs {
            if !self.succeeds_in(req, block, overrides, gas, env.as_ref())? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn succeeds_in(
        &mut self,
        req: &TransactionRequest,
        block: BlockId,
        overrides: Option<&StateOverride>,
        gas: u64,
        env: Option<&BlockEnv>,
    ) -> Result<bool, ChainError> {
        match self.execute_call_in(req, block, overrides, Some(gas), env) {
            Ok(r) => Ok(r.is_success()),
            // Too little gas for the intrinsic cost is just a failure at this limit.
            Err(ChainError::InvalidTransaction(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Validates and executes a signed transaction (legacy, EIP-2930, EIP-1559). With automine
    /// it is mined at once; otherwise it waits for [`Chain::mine`].
    ///
    /// # Errors
    /// Validation errors (nothing changes); a reverted transaction is mined and is not an error.
    pub fn send_raw_transaction(&mut self, raw: &[u8]) -> Result<B256, ChainError> {
        let tx = tx::decode_raw(raw)?;
        if self.st.txs.contains_key(&tx.hash) || self.st.pending.iter().any(|p| p.hash == tx.hash) {
            return Err(ChainError::InvalidTransaction("already known".into()));
        }
        let e = &tx.envelope;
        if let Some(id) = e.chain_id() {
            if id != self.config.chain_id {
                return Err(ChainError::InvalidTransaction(format!(
                    "invalid chain id {id}, expected {}",
                    self.config.chain_id
                )));
            }
        }
        if e.gas_limit() > self.config.block_gas_limit {
            return Err(ChainError::InvalidTransaction(
                "exceeds block gas limit".into(),
            ));
        }
        if e.max_fee_per_gas() < self.config.base_fee {
            return Err(ChainError::InvalidTransaction(format!(
                "max fee per gas {} less than block base fee {}",
                e.max_fee_per_gas(),
                self.config.base_fee
            )));
        }
        let expected = self.pending_nonce(tx.from);
        let got = e.nonce();
        if got < expected {
            return Err(ChainError::NonceTooLow { expected, got });
        }
        if got > expected {
            return Err(ChainError::NonceTooHigh { expected, got });
        }
        let Ok(info) = self.db.basic_ref(tx.from);
        tx::check_funds(&tx, info.map(|i| i.balance).unwrap_or_default())?;
        let hash = tx.hash;
        if self.automine {
            let (_, mut rejected) = self.mine_txs(vec![tx], false);
            if let Some((_, err)) = rejected.pop() {
                return Err(err);
            }
        } else {
            self.st.pending.push(tx);
        }
        Ok(hash)
    }

    /// Signs `req` with the key of its `from` dev account and sends it. Missing nonce, gas
    /// (estimated) and fees (EIP-1559 with twice the base fee as cap) are filled in.
    ///
    /// # Errors
    /// [`ChainError::UnknownAccount`] if `from` is not a dev account; estimation errors
    /// (e.g. [`ChainError::Revert`]); else as [`Chain::send_raw_transaction`].
    pub fn send_transaction(&mut self, req: TransactionRequest) -> Result<B256, ChainError> {
        let from = req
            .from
            .ok_or_else(|| ChainError::InvalidTransaction("missing `from`".into()))?;
        let key = self
            .dev_accounts
            .iter()
            .find(|(a, _)| *a == from)
            .map(|(_, k)| *k)
            .ok_or(ChainError::UnknownAccount(from))?;
        let nonce = req.nonce.unwrap_or_else(|| self.pending_nonce(from));
        let gas = match req.gas {
            Some(g) => g,
            None => self.estimate_gas(&req, BlockId::Number(BlockNumberOrTag::Pending), None)?,
        };
        let raw = tx::sign_request(
            &req,
            key,
            self.config.chain_id,
            nonce,
            gas,
            self.config.base_fee,
        )?;
        self.send_raw_transaction(&raw)
    }

    /// The ten prefunded dev accounts and their private keys.
    pub fn dev_accounts(&self) -> &[(Address, B256)] {
        &self.dev_accounts
    }

    /// Mines the pending transactions into a block (an empty block if none); returns its hash.
    /// Pending transactions that fail validation at this point are dropped (and logged).
    pub fn mine(&mut self) -> B256 {
        let txs = std::mem::take(&mut self.st.pending);
        let (hash, rejected) = self.mine_txs(txs, true);
        for (h, e) in rejected {
            tracing::warn!(tx = %h, error = %e, "dropped a pending transaction");
        }
        hash.unwrap_or(self.head().hash)
    }

    /// Executes `txs` into a new block. Returns the block hash (`None` when no block was mined:
    /// everything was rejected and `allow_empty` is false) and the rejected transactions.
    fn mine_txs(
        &mut self,
        txs: Vec<SignedTx>,
        allow_empty: bool,
    ) -> (Option<B256>, Vec<(B256, ChainError)>) {
        let env = self.next_block_env();
        let number = self.block_number() + 1;
        let timestamp = env.timestamp.saturating_to::<u64>();
        let base_fee = self.config.base_fee;
        let pre_state = self.db.clone();
        let db = std::mem::take(&mut self.db);
        let cfg = self.cfg(false);
        let (outcomes, db) = self.with_evm(db, cfg, env, |evm| {
            let mut outcomes = Vec::with_capacity(txs.len());
            for tx in txs {
                match evm.transact(tx::tx_env(&tx)) {
                    Ok((result, state)) => {
                        evm.db_mut().commit(state);
                        outcomes.push(Ok((tx, result)));
                    }
                    Err(e) => outcomes.push(Err((tx.hash, tx::map_tx_error(e)))),
                }
            }
            outcomes
        });
        self.db = db;
        let mut rejected = Vec::new();
        let mut included = Vec::new();
        for o in outcomes {
            match o {
                Ok(x) => included.push(x),
                Err(e) => rejected.push(e),
            }
        }
        if included.is_empty() && !allow_empty {
            return (None, rejected);
        }

        let mut stored = Vec::with_capacity(included.len());
        let mut cumulative = 0u64;
        let mut log_index = 0u64;
        let mut bloom = Bloom::default();
        let mut receipts_hash_input = Vec::new();
        for (i, (tx, result)) in included.into_iter().enumerate() {
            let gas_used = result.tx_gas_used();
            cumulative += gas_used;
            let success = result.is_success();
            let contract_address = if success {
                result.created_address()
            } else {
                None
            };
            let logs = result.into_logs();
            for log in &logs {
                bloom.accrue_log(log);
            }
            let effective_gas_price = tx.envelope.effective_gas_price(Some(self.base_fee_u64()));
            receipts_hash_input.extend_from_slice(tx.hash.as_slice());
            receipts_hash_input.push(u8::from(success));
            receipts_hash_input.extend_from_slice(&cumulative.to_be_bytes());
            let receipt = StoredReceipt {
                success,
                gas_used,
                cumulative_gas_used: cumulative,
                first_log_index: log_index,
                logs,
                contract_address,
                effective_gas_price,
            };
            log_index += receipt.logs.len() as u64;
            stored.push(StoredTx {
                from: tx.from,
                hash: tx.hash,
                envelope: tx.envelope,
                block_number: number,
                block_hash: B256::ZERO,
                index: i as u64,
                timestamp,
                receipt,
            });
        }
        let tx_hashes: Vec<B256> = stored.iter().map(|t| t.hash).collect();
        let parent = self.head();
        let header = Header {
            parent_hash: parent.hash,
            ommers_hash: EMPTY_OMMER_ROOT_HASH,
            beneficiary: SEQUENCER,
            state_root: B256::ZERO,
            transactions_root: StoredBlock::tx_root(&tx_hashes),
            receipts_root: if tx_hashes.is_empty() {
                EMPTY_ROOT_HASH
            } else {
                keccak256(&receipts_hash_input)
            },
            logs_bloom: bloom,
            difficulty: U256::from(1),
            number,
            gas_limit: self.config.block_gas_limit,
            gas_used: cumulative,
            timestamp,
            extra_data: Bytes::new(),
            mix_hash: B256::with_last_byte(1),
            nonce: B64::ZERO,
            base_fee_per_gas: Some(u64::try_from(base_fee).unwrap_or(u64::MAX)),
            withdrawals_root: Some(EMPTY_ROOT_HASH),
            blob_gas_used: Some(0),
            excess_blob_gas: Some(0),
            parent_beacon_block_root: Some(B256::ZERO),
            requests_hash: Some(EMPTY_REQUESTS_HASH),
        };
        let block = StoredBlock::new(header, tx_hashes);
        let hash = block.hash;
        for mut t in stored {
            t.block_hash = hash;
            self.st.txs.insert(t.hash, t);
        }
        self.st.history.push_back((number - 1, pre_state));
        while self.st.history.len() > HISTORY_BLOCKS {
            self.st.history.pop_front();
        }
        // BLOCKHASH serves the latest 256 blocks; older entries would only grow every clone.
        self.db.cache.block_hashes.insert(U256::from(number), hash);
        if let Some(old) = number.checked_sub(256) {
            self.db.cache.block_hashes.remove(&U256::from(old));
        }
        self.st.by_hash.insert(hash, number);
        self.st.blocks.push(block);
        if self.st.next_timestamp.take().is_some() {
            // Keep the clock running from the forced timestamp.
            self.st.time_offset = i64::try_from(timestamp).unwrap_or(i64::MAX)
                - i64::try_from(wall_clock()).unwrap_or(0);
        }
        tracing::debug!(number, %hash, "mined block");
        (Some(hash), rejected)
    }

    /// Mine each transaction as it arrives (default) or only on [`Chain::mine`].
    pub fn set_automine(&mut self, on: bool) {
        self.automine = on;
    }

    /// True when each transaction is mined as it arrives.
    pub fn automine(&self) -> bool {
        self.automine
    }

    /// A mined or pending transaction.
    pub fn transaction_by_hash(&self, h: B256) -> Option<Transaction> {
        if let Some(t) = self.st.txs.get(&h) {
            return Some(t.to_rpc());
        }
        self.st
            .pending
            .iter()
            .find(|p| p.hash == h)
            .map(|p| Transaction {
                inner: alloy::consensus::transaction::Recovered::new_unchecked(
                    p.envelope.clone(),
                    p.from,
                ),
                block_hash: None,
                block_number: None,
                transaction_index: None,
                effective_gas_price: None,
            })
    }

    /// The receipt of a mined transaction.
    pub fn receipt(&self, h: B256) -> Option<TransactionReceipt> {
        self.st.txs.get(&h).map(StoredTx::to_rpc_receipt)
    }

    /// A block with transaction hashes or (`full`) whole transactions; `None` if unknown.
    pub fn block(&self, id: BlockId, full: bool) -> Option<Block> {
        let number = self.resolve(id).ok()?;
        let block = self.stored_block(number)?;
        Some(block.to_rpc(full, |h| self.st.txs.get(h)))
    }

    /// Logs matching `filter` (block range defaults to the latest block; a `to` beyond the head
    /// is clamped to it).
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] for a block hash that does not exist.
    pub fn logs(&self, filter: &Filter) -> Result<Vec<Log>, ChainError> {
        let head = self.block_number();
        let (from, to) = if let Some(h) = filter.get_block_hash() {
            let n = self.resolve(BlockId::from(h))?;
            (n, n)
        } else {
            let (from, to) = filter.block_option.as_range();
            let pick = |tag: Option<&BlockNumberOrTag>| match tag {
                Some(BlockNumberOrTag::Number(n)) => (*n).min(head),
                Some(BlockNumberOrTag::Earliest) => self.st.first_block,
                _ => head,
            };
            (pick(from).max(self.st.first_block), pick(to))
        };
        let mut out = Vec::new();
        for number in from..=to {
            let Some(block) = self.stored_block(number) else {
                continue;
            };
            if !filter.matches_bloom(block.header.logs_bloom) {
                continue;
            }
            for h in &block.txs {
                let Some(tx) = self.st.txs.get(h) else {
                    continue;
                };
                for i in 0..tx.receipt.logs.len() {
                    if let Some(log) = tx.rpc_log(i) {
                        if filter.matches(&log.inner) {
                            out.push(log);
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// Fee history over `count` blocks (at most 1,024) ending at `newest`. Base fees are
    /// constant; rewards are the priority fees at the given gas-weighted percentiles.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] when `newest` does not exist;
    /// [`ChainError::InvalidTransaction`] for percentiles outside 0..=100 or not ascending.
    pub fn fee_history(
        &self,
        count: u64,
        newest: BlockNumberOrTag,
        percentiles: &[f64],
    ) -> Result<FeeHistory, ChainError> {
        let newest = self.resolve_tag(newest)?;
        if percentiles.windows(2).any(|w| w[0] > w[1])
            || percentiles.iter().any(|p| !(0.0..=100.0).contains(p))
        {
            return Err(ChainError::InvalidTransaction(
                "invalid reward percentiles".into(),
            ));
        }
        let available = newest - self.st.first_block + 1;
        let count = count.min(1_024).min(available);
        let oldest = newest + 1 - count;
        let mut gas_used_ratio = Vec::new();
        let mut reward = Vec::new();
        for number in oldest..=newest {
            let Some(block) = self.stored_block(number) else {
                continue;
            };
            gas_used_ratio.push(fees::ratio(block.header.gas_used, block.header.gas_limit));
            if !percentiles.is_empty() {
                let txs: Vec<&StoredTx> = block
                    .txs
                    .iter()
                    .filter_map(|h| self.st.txs.get(h))
                    .collect();
                reward.push(fees::rewards(&txs, percentiles, self.config.base_fee));
            }
        }
        let n = gas_used_ratio.len();
        Ok(FeeHistory {
            base_fee_per_gas: vec![self.config.base_fee; if count == 0 { 0 } else { n + 1 }],
            gas_used_ratio,
            base_fee_per_blob_gas: vec![0; if count == 0 { 0 } else { n + 1 }],
            blob_gas_used_ratio: vec![0.0; n],
            oldest_block: if count == 0 { newest } else { oldest },
            reward: if percentiles.is_empty() {
                None
            } else {
                Some(reward)
            },
        })
    }

    /// Records the current state (blocks, transactions, pending list, clock); returns the id.
    pub fn snapshot(&mut self) -> U256 {
        let id = self.next_snapshot;
        self.next_snapshot += U256::from(1);
        self.snapshots.push((id, self.st.clone(), self.db.clone()));
        id
    }

    /// Restores snapshot `id` and drops it and every later one; false if unknown.
    pub fn revert_to(&mut self, id: U256) -> bool {
        let Some(pos) = self.snapshots.iter().position(|(i, _, _)| *i == id) else {
            return false;
        };
        let mut dropped = self.snapshots.split_off(pos);
        let (_, st, db) = dropped.swap_remove(0);
        self.st = st;
        self.db = db;
        true
    }

    /// Moves the clock forward by `secs`; returns the total offset in seconds.
    pub fn increase_time(&mut self, secs: u64) -> u64 {
        let secs = i64::try_from(secs).unwrap_or(i64::MAX);
        self.st.time_offset = self.st.time_offset.saturating_add(secs);
        u64::try_from(self.st.time_offset.max(0)).unwrap_or(0)
    }

    /// Fixes the next block's timestamp; later blocks continue from it.
    ///
    /// # Errors
    /// [`ChainError::InvalidTransaction`] if `ts` is not after the latest block's timestamp.
    pub fn set_next_block_timestamp(&mut self, ts: u64) -> Result<(), ChainError> {
        let latest = self.head().header.timestamp;
        if ts <= latest {
            return Err(ChainError::InvalidTransaction(format!(
                "timestamp {ts} is not after the latest block's {latest}"
            )));
        }
        self.st.next_timestamp = Some(ts);
        Ok(())
    }

    /// Sets the balance of `addr` (in the latest state, without mining a block).
    pub fn set_balance(&mut self, addr: Address, value: U256) {
        let Ok(info) = self.db.basic_ref(addr);
        let mut info = info.unwrap_or_default();
        info.balance = value;
        self.db.insert_account_info(addr, info);
    }

    /// Writes the state to `path` as JSON (see [`persist`]).
    ///
    /// # Errors
    /// I/O or serialisation failures.
    pub fn save_state(&self, path: &Path) -> anyhow::Result<()> {
        persist::save(self, path)
    }

    /// Creates a chain from a state file written by [`Chain::save_state`].
    ///
    /// # Errors
    /// I/O or format failures.
    pub fn load_state(config: ChainConfig, path: &Path) -> anyhow::Result<Self> {
        persist::load(config, path)
    }
}

/// Fee-history arithmetic. JSON-RPC reports ratios and percentiles as floating point, so this
/// is the one place floats are used.
#[allow(clippy::float_arithmetic)]
mod fees {
    use super::StoredTx;

    /// `used / limit` as a ratio.
    pub fn ratio(used: u64, limit: u64) -> f64 {
        if limit == 0 {
            return 0.0;
        }
        used as f64 / limit as f64
    }

    /// The priority fee at each gas-weighted percentile of a block's transactions.
    pub fn rewards(txs: &[&StoredTx], percentiles: &[f64], base_fee: u128) -> Vec<u128> {
        if txs.is_empty() {
            return vec![0; percentiles.len()];
        }
        let mut by_tip: Vec<(u128, u64)> = txs
            .iter()
            .map(|t| (t.tip(base_fee), t.receipt.gas_used))
            .collect();
        by_tip.sort_unstable();
        let total: u64 = by_tip.iter().map(|(_, g)| *g).sum();
        percentiles
            .iter()
            .map(|p| {
                let threshold = total as f64 * p / 100.0;
                let mut sum = 0u64;
                for (tip, gas) in &by_tip {
                    sum += gas;
                    if sum as f64 >= threshold {
                        return *tip;
                    }
                }
                by_tip.last().map(|(t, _)| *t).unwrap_or(0)
            })
            .collect()
    }
}

/// Access for [`persist`].
impl Chain {
    pub(crate) fn parts(&self) -> (&StateDb, &StoredBlock, i64) {
        (&self.db, self.head(), self.st.time_offset)
    }

    pub(crate) fn from_parts(
        config: ChainConfig,
        db: StateDb,
        head: StoredBlock,
        offset: i64,
    ) -> Self {
        let mut chain = Chain::new(config);
        let mut db = db;
        db.cache
            .block_hashes
            .insert(U256::from(head.header.number), head.hash);
        chain.db = db;
        chain.st = ChainState {
            first_block: head.header.number,
            by_hash: HashMap::from([(head.hash, head.header.number)]),
            blocks: vec![head],
            time_offset: offset,
            ..ChainState::default()
        };
        chain
    }
}

const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Chain>();
};
