//! `deployments/<chain-id>.json`: what is deployed where, written after every step.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// One deployed contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractRecord {
    /// The contract crate it was built from.
    pub package: String,
    /// Its address.
    pub address: Address,
    /// The deployment transaction.
    pub tx_hash: B256,
    /// `keccak256` of the deployed code (the Stylus code, `EF F0 00 ...`).
    pub code_hash: B256,
    /// `keccak256` of the ABI-encoded constructor arguments: a contract is kept on a re-run
    /// only when both its code and its arguments (which name other contracts) still match.
    #[serde(default)]
    pub args_hash: B256,
    /// The committed ABI (`abi/<Contract>.json`), relative to the repository root.
    pub abi: String,
    /// Test-only contracts exist on local chains only and must never be trusted elsewhere.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test_only: bool,
    /// Gas used by the deployment transaction.
    pub gas_used: u64,
    /// Data fee paid for activation, in wei (decimal string).
    pub data_fee: String,
}

/// A step that has been sent but whose receipt has not been recorded yet (a crash or kill
/// between the two): a re-run waits for this transaction instead of sending another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingStep {
    /// The step id.
    pub step: String,
    /// The transaction sent for it.
    pub tx_hash: B256,
}

/// The manifest of one chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The chain id.
    pub chain_id: u64,
    /// The network name (`local`, `arbitrum-sepolia`, or `custom`).
    pub network: String,
    /// The account that deployed (and administers) everything.
    pub deployer: Address,
    /// Contracts by role name (`lrtToken`, `vault`, `testLst`, ...).
    pub contracts: BTreeMap<String, ContractRecord>,
    /// Ids of the configuration steps done (role grants, token listings), in order.
    pub steps_done: Vec<String>,
    /// A step sent but not recorded yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingStep>,
}

impl Manifest {
    /// `dir/<chain-id>.json`.
    pub fn path(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// Loads the manifest of `chain_id` from `dir`, or a fresh one when none exists.
    ///
    /// # Errors
    /// When the file exists but cannot be read or parsed.
    pub fn load_or_new(
        dir: &Path,
        chain_id: u64,
        network: &str,
        deployer: Address,
    ) -> Result<Self> {
        let path = Self::path(dir, chain_id);
        if !path.exists() {
            return Ok(Self {
                chain_id,
                network: network.to_owned(),
                deployer,
                ..Self::default()
            });
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let manifest: Self =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        anyhow::ensure!(
            manifest.chain_id == chain_id,
            "{} is for chain {}, the endpoint is chain {chain_id}",
            path.display(),
            manifest.chain_id
        );
        Ok(manifest)
    }

    /// Writes the manifest atomically (temporary file, then rename), so a kill never leaves a
    /// half-written file.
    ///
    /// # Errors
    /// When the directory or file cannot be written.
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = Self::path(dir, self.chain_id);
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).context("serialising the manifest")?;
        std::fs::write(&tmp, text + "\n").with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("replacing {}", path.display()))?;
        Ok(())
    }

    /// The address of the contract recorded as `name`.
    pub fn address(&self, name: &str) -> Option<Address> {
        self.contracts.get(name).map(|c| c.address)
    }

    /// Whether a configuration step is recorded as done.
    pub fn is_done(&self, step: &str) -> bool {
        self.steps_done.iter().any(|s| s == step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_chain_check() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::load_or_new(dir.path(), 7, "local", Address::repeat_byte(1)).unwrap();
        assert!(m.contracts.is_empty());
        m.contracts.insert(
            "lrtToken".into(),
            ContractRecord {
                package: "lrt-token".into(),
                address: Address::repeat_byte(2),
                tx_hash: B256::repeat_byte(3),
                code_hash: B256::repeat_byte(4),
                args_hash: B256::repeat_byte(7),
                abi: "abi/LrtToken.json".into(),
                test_only: false,
                gas_used: 5,
                data_fee: "6".into(),
            },
        );
        m.steps_done.push("grant".into());
        m.save(dir.path()).unwrap();
        let back = Manifest::load_or_new(dir.path(), 7, "local", Address::ZERO).unwrap();
        assert_eq!(back, m);
        assert!(back.is_done("grant"));
        assert_eq!(back.address("lrtToken"), Some(Address::repeat_byte(2)));
        // A manifest file renamed to another chain's name is refused.
        std::fs::rename(Manifest::path(dir.path(), 7), Manifest::path(dir.path(), 8)).unwrap();
        assert!(Manifest::load_or_new(dir.path(), 8, "local", Address::ZERO).is_err());
    }
}
