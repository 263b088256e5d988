//! Saving and loading the chain state as JSON, and applying `eth_call` state overrides.
//!
//! The file holds every account (balance, nonce, code, storage) of the latest state, the head
//! block (so numbering and parent hashes continue) and the clock offset. Stylus activations
//! are ArbWasm storage, so they are included; compiled programs are not (they are compiled
//! again on first use). Older blocks, transactions and receipts are not saved.

use super::block::StoredBlock;
use super::{Chain, ChainConfig};
use crate::evm::StateDb;
use alloy::primitives::{Address, Bytes, U256};
use alloy::rpc::types::state::StateOverride;
use anyhow::Context as _;
use revm::database::AccountState;
use revm::database_interface::DatabaseRef;
use revm::state::{AccountInfo, Bytecode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Format version written into state files.
pub const STATE_VERSION: u32 = 1;

/// One account in a state file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedAccount {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// Code (empty for accounts without code).
    #[serde(default)]
    pub code: Bytes,
    /// Non-zero storage slots.
    #[serde(default)]
    pub storage: BTreeMap<U256, U256>,
}

/// A state file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedState {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// Chain id the state was saved from.
    pub chain_id: u64,
    /// The head block.
    pub head: StoredBlock,
    /// Seconds the clock was moved forward.
    pub time_offset: i64,
    /// Every account.
    pub accounts: BTreeMap<Address, SavedAccount>,
}

fn snapshot_accounts(db: &StateDb) -> BTreeMap<Address, SavedAccount> {
    let mut out = BTreeMap::new();
    for (addr, acc) in &db.cache.accounts {
        if acc.account_state == AccountState::NotExisting {
            continue;
        }
        let info = &acc.info;
        let code = match &info.code {
            Some(c) => c.original_bytes(),
            None => {
                let Ok(c) = db.code_by_hash_ref(info.code_hash);
                c.original_bytes()
            }
        };
        let storage = acc
            .storage
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, v)| (*k, *v))
            .collect();
        out.insert(
            *addr,
            SavedAccount {
                balance: info.balance,
                nonce: info.nonce,
                code,
                storage,
            },
        );
    }
    out
}

/// Writes `chain`'s state to `path`.
///
/// # Errors
/// Serialisation or I/O failures.
pub fn save(chain: &Chain, path: &Path) -> anyhow::Result<()> {
    let (db, head, time_offset) = chain.parts();
    let state = SavedState {
        version: STATE_VERSION,
        chain_id: chain.chain_id(),
        head: head.clone(),
        time_offset,
        accounts: snapshot_accounts(db),
    };
    let json = serde_json::to_vec(&state).context("serialising the chain state")?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    tracing::info!(path = %path.display(), accounts = state.accounts.len(), "saved chain state");
    Ok(())
}

fn insert_account(db: &mut StateDb, addr: Address, acc: &SavedAccount) {
    let mut info = AccountInfo {
        balance: acc.balance,
        nonce: acc.nonce,
        ..AccountInfo::default()
    };
    if !acc.code.is_empty() {
        info = info.with_code(Bytecode::new_raw(acc.code.clone()));
    }
    db.insert_account_info(addr, info);
    let storage = acc.storage.iter().map(|(k, v)| (*k, *v)).collect();
    let Ok(()) = db.replace_account_storage(addr, storage);
}

/// Reads a state file into a new chain configured by `config`.
///
/// # Errors
/// I/O failures, malformed JSON, an unknown format version.
pub fn load(config: ChainConfig, path: &Path) -> anyhow::Result<Chain> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let state: SavedState = serde_json::from_slice(&bytes)
        .with_context(|| format!("parsing the state file {}", path.display()))?;
    anyhow::ensure!(
        state.version == STATE_VERSION,
        "state file version {} is not supported (expected {STATE_VERSION})",
        state.version
    );
    if state.chain_id != config.chain_id {
        tracing::warn!(
            saved = state.chain_id,
            configured = config.chain_id,
            "state file was saved with another chain id; using the configured one"
        );
    }
    let mut db = StateDb::default();
    for (addr, acc) in &state.accounts {
        insert_account(&mut db, *addr, acc);
    }
    tracing::info!(path = %path.display(), accounts = state.accounts.len(), head = state.head.header.number, "loaded chain state");
    Ok(Chain::from_parts(config, db, state.head, state.time_offset))
}

/// Applies `eth_call` state overrides to `db` (balance, nonce, code, full storage or a storage
/// diff; `movePrecompileToAddress` is ignored).
pub fn apply_overrides(db: &mut StateDb, overrides: &StateOverride) {
    for (addr, o) in overrides {
        let Ok(info) = db.basic_ref(*addr);
        let mut info = info.unwrap_or_default();
        if let Some(b) = o.balance {
            info.balance = b;
        }
        if let Some(n) = o.nonce {
            info.nonce = n;
        }
        if let Some(code) = &o.code {
            info = AccountInfo {
                code: None,
                code_hash: revm::primitives::KECCAK_EMPTY,
                ..info
            }
            .with_code(Bytecode::new_raw(code.clone()));
        }
        db.insert_account_info(*addr, info);
        if let Some(state) = &o.state {
            let storage = state
                .iter()
                .map(|(k, v)| (U256::from_be_bytes(k.0), U256::from_be_bytes(v.0)))
                .collect();
            let Ok(()) = db.replace_account_storage(*addr, storage);
        } else if let Some(diff) = &o.state_diff {
            for (k, v) in diff {
                let Ok(()) = db.insert_account_storage(
                    *addr,
                    U256::from_be_bytes(k.0),
                    U256::from_be_bytes(v.0),
                );
            }
        }
    }
}
