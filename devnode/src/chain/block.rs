//! Mined blocks, transactions and receipts as the chain stores them, and their JSON-RPC forms.
//!
//! Block headers are real Ethereum headers (hashes are `keccak256(rlp(header))`), but the dev
//! chain keeps no Merkle tries: `state_root` is zero, and `transactions_root` /
//! `receipts_root` are plain keccak hashes over the transaction hashes and receipt fields.

use alloy::consensus::transaction::Recovered;
use alloy::consensus::Transaction as _;
use alloy::consensus::{
    Eip658Value, Header, Receipt, ReceiptEnvelope, ReceiptWithBloom, TxEnvelope, TxType,
};
use alloy::primitives::{keccak256, Address, Bloom, B256};
use alloy::rpc::types::{
    Block, BlockTransactions, Header as RpcHeader, Log as RpcLog, Transaction, TransactionReceipt,
};
use revm::primitives::Log;
use serde::{Deserialize, Serialize};

/// The execution outcome of one mined transaction.
#[derive(Debug, Clone)]
pub struct StoredReceipt {
    /// True when the transaction did not revert or halt.
    pub success: bool,
    /// Gas charged to the sender (after refunds).
    pub gas_used: u64,
    /// Gas used by this and the earlier transactions of its block.
    pub cumulative_gas_used: u64,
    /// Logs in emission order.
    pub logs: Vec<Log>,
    /// Index (within the block) of the first log.
    pub first_log_index: u64,
    /// Address of the contract a creation deployed.
    pub contract_address: Option<Address>,
    /// The price per gas the sender paid.
    pub effective_gas_price: u128,
}

/// A mined transaction.
#[derive(Debug, Clone)]
pub struct StoredTx {
    /// The signed transaction.
    pub envelope: TxEnvelope,
    /// Its sender.
    pub from: Address,
    /// Its hash.
    pub hash: B256,
    /// Number of the block that includes it.
    pub block_number: u64,
    /// Hash of that block.
    pub block_hash: B256,
    /// Position in the block.
    pub index: u64,
    /// Timestamp of the block.
    pub timestamp: u64,
    /// What executing it did.
    pub receipt: StoredReceipt,
}

/// A mined block.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredBlock {
    /// The header.
    pub header: Header,
    /// `keccak256(rlp(header))`.
    pub hash: B256,
    /// Hashes of its transactions, in order.
    pub txs: Vec<B256>,
}

impl StoredBlock {
    /// Builds a block from its header and transaction hashes.
    pub fn new(header: Header, txs: Vec<B256>) -> Self {
        let hash = header.hash_slow();
        Self { header, hash, txs }
    }

    /// The `transactions_root` the dev chain uses (keccak over the hashes, not a trie).
    pub fn tx_root(txs: &[B256]) -> B256 {
        if txs.is_empty() {
            return alloy::consensus::EMPTY_ROOT_HASH;
        }
        let mut buf = Vec::with_capacity(txs.len() * 32);
        for h in txs {
            buf.extend_from_slice(h.as_slice());
        }
        keccak256(buf)
    }

    /// The JSON-RPC block; `full` includes whole transactions looked up with `tx`.
    pub fn to_rpc<'a>(&self, full: bool, tx: impl Fn(&B256) -> Option<&'a StoredTx>) -> Block {
        let transactions = if full {
            BlockTransactions::Full(
                self.txs
                    .iter()
                    .filter_map(|h| tx(h).map(StoredTx::to_rpc))
                    .collect(),
            )
        } else {
            BlockTransactions::Hashes(self.txs.clone())
        };
        let size = alloy::rlp::Encodable::length(&self.header);
        Block {
            header: RpcHeader {
                hash: self.hash,
                inner: self.header.clone(),
                total_difficulty: Some(self.header.difficulty),
                size: Some(alloy::primitives::U256::from(size)),
            },
            uncles: Vec::new(),
            transactions,
            withdrawals: Some(Default::default()),
        }
    }
}

impl StoredTx {
    /// The JSON-RPC transaction.
    pub fn to_rpc(&self) -> Transaction {
        Transaction {
            inner: Recovered::new_unchecked(self.envelope.clone(), self.from),
            block_hash: Some(self.block_hash),
            block_number: Some(self.block_number),
            transaction_index: Some(self.index),
            effective_gas_price: Some(self.receipt.effective_gas_price),
        }
    }

    /// The JSON-RPC form of the `i`-th log of this transaction.
    pub fn rpc_log(&self, i: usize) -> Option<RpcLog> {
        let log = self.receipt.logs.get(i)?;
        Some(RpcLog {
            inner: log.clone(),
            block_hash: Some(self.block_hash),
            block_number: Some(self.block_number),
            block_timestamp: Some(self.timestamp),
            transaction_hash: Some(self.hash),
            transaction_index: Some(self.index),
            log_index: Some(self.receipt.first_log_index + i as u64),
            removed: false,
        })
    }

    /// The logs bloom of this transaction's receipt.
    pub fn bloom(&self) -> Bloom {
        let mut bloom = Bloom::default();
        for log in &self.receipt.logs {
            bloom.accrue_log(log);
        }
        bloom
    }

    /// The JSON-RPC receipt.
    pub fn to_rpc_receipt(&self) -> TransactionReceipt {
        let logs = (0..self.receipt.logs.len())
            .filter_map(|i| self.rpc_log(i))
            .collect();
        let receipt = ReceiptWithBloom {
            receipt: Receipt {
                status: Eip658Value::Eip658(self.receipt.success),
                cumulative_gas_used: self.receipt.cumulative_gas_used,
                logs,
            },
            logs_bloom: self.bloom(),
        };
        let ty = self.envelope.tx_type();
        TransactionReceipt {
            inner: ReceiptEnvelope::from_typed(ty, receipt),
            transaction_hash: self.hash,
            transaction_index: Some(self.index),
            block_hash: Some(self.block_hash),
            block_number: Some(self.block_number),
            gas_used: self.receipt.gas_used,
            effective_gas_price: self.receipt.effective_gas_price,
            blob_gas_used: None,
            blob_gas_price: None,
            from: self.from,
            to: self.envelope.to(),
            contract_address: self.receipt.contract_address,
        }
    }

    /// The priority fee per gas this transaction paid above the base fee.
    pub fn tip(&self, base_fee: u128) -> u128 {
        self.receipt.effective_gas_price.saturating_sub(base_fee)
    }

    /// The type of the transaction.
    pub fn tx_type(&self) -> TxType {
        self.envelope.tx_type()
    }
}
