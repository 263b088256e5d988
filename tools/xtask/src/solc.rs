//! The Solidity compiler, as the repository pins it: solcjs from `package-lock.json`, run through
//! `tools/solc/solc.js` (the same front end Foundry uses), in Standard JSON mode.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

/// Path of the wrapper script, relative to the workspace root.
pub const WRAPPER: &str = "tools/solc/solc.js";

/// A way to run the pinned compiler.
#[derive(Clone, Debug)]
pub struct Solc {
    root: PathBuf,
}

impl Solc {
    /// Finds the wrapper and the installed npm package under `root`.
    ///
    /// # Errors
    /// When either is missing (with the command that installs it).
    pub fn locate(root: &Path) -> Result<Self> {
        let script = root.join(WRAPPER);
        if !script.is_file() {
            bail!("{} is missing", script.display());
        }
        if !root.join("node_modules/solc/package.json").is_file() {
            bail!(
                "the npm package `solc` is not installed: run `npm ci` in {}",
                root.display()
            );
        }
        Ok(Solc {
            root: root.to_path_buf(),
        })
    }

    /// The compiler's version banner (`--version`).
    ///
    /// # Errors
    /// When node or the wrapper fails.
    pub fn version(&self) -> Result<String> {
        let out = self
            .command()
            .arg("--version")
            .output()
            .context("running node (is Node.js installed?)")?;
        if !out.status.success() {
            bail!(
                "{WRAPPER} --version failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Compiles in-memory sources (file name -> text) and returns the JSON ABI of every
    /// contract, keyed by contract name.
    ///
    /// # Errors
    /// When the compiler reports an error (its messages are included) or cannot run.
    pub fn abis(&self, sources: &[(&str, &str)]) -> Result<BTreeMap<String, Value>> {
        let input = json!({
            "language": "Solidity",
            "sources": sources
                .iter()
                .map(|(name, text)| (name.to_string(), json!({ "content": text })))
                .collect::<serde_json::Map<_, _>>(),
            "settings": { "outputSelection": { "*": { "*": ["abi"] } } },
        });
        let mut child = self
            .command()
            .args(["--standard-json", "--base-path"])
            .arg(&self.root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("running node (is Node.js installed?)")?;
        child
            .stdin
            .take()
            .context("solc stdin")?
            .write_all(input.to_string().as_bytes())
            .context("writing to solc")?;
        let out = child.wait_with_output().context("waiting for solc")?;
        if !out.status.success() {
            bail!("{WRAPPER} failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let output: Value =
            serde_json::from_slice(&out.stdout).context("parsing solc's Standard JSON output")?;
        let errors: Vec<String> = output["errors"]
            .as_array()
            .map(|errs| {
                errs.iter()
                    .filter(|e| e["severity"] == "error")
                    .map(|e| {
                        e["formattedMessage"]
                            .as_str()
                            .or(e["message"].as_str())
                            .unwrap_or("(no message)")
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !errors.is_empty() {
            bail!(
                "solc rejected the generated Solidity:\n{}",
                errors.join("\n")
            );
        }
        let mut abis = BTreeMap::new();
        if let Some(files) = output["contracts"].as_object() {
            for contracts in files.values() {
                for (name, artifact) in contracts.as_object().into_iter().flatten() {
                    abis.insert(name.clone(), artifact["abi"].clone());
                }
            }
        }
        Ok(abis)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("node");
        cmd.arg(self.root.join(WRAPPER)).current_dir(&self.root);
        cmd
    }
}
