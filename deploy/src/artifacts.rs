//! The deployable modules: `target/stylus/<crate>.wasm`, as `cargo xtask wasm` writes them.
use std::path::{Path, PathBuf};
use std::process::Command;

use alloy::primitives::{keccak256, Bytes, B256};
use anyhow::{bail, Context, Result};

/// One contract's module, ready to deploy.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// The contract crate (`lrt-token`).
    pub package: String,
    /// Where the WASM was read from.
    pub path: PathBuf,
    /// The raw WASM module.
    pub wasm: Vec<u8>,
    /// The on-chain code: `EF F0 00 00` followed by the brotli-compressed module.
    pub code: Bytes,
    /// `keccak256(code)`: what `eth_getCode` of a deployed copy hashes to.
    pub code_hash: B256,
}

impl Artifact {
    /// Reads `<dir>/<package>.wasm` and encodes it as Stylus code.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn load(dir: &Path, package: &str) -> Result<Self> {
        let path = dir.join(format!("{package}.wasm"));
        let wasm = std::fs::read(&path)
            .with_context(|| format!("reading the {package} module at {}", path.display()))?;
        let code = Bytes::from(stylus_runtime::code::encode(&wasm));
        let code_hash = keccak256(&code);
        Ok(Self {
            package: package.to_owned(),
            path,
            wasm,
            code,
            code_hash,
        })
    }
}

/// Where artifacts live by default: `$CARGO_TARGET_DIR/stylus` or `<workspace>/target/stylus`.
pub fn default_dir(workspace: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace.join(dir)
            }
            .join("stylus")
        }
        None => workspace.join("target").join("stylus"),
    }
}

/// The workspace root: the nearest ancestor of the current directory whose `Cargo.toml` has a
/// `[workspace]` table.
///
/// # Errors
/// When no such directory exists (the tool then needs `--artifacts`).
pub fn workspace_root() -> Result<PathBuf> {
    let mut dir = std::env::current_dir().context("reading the current directory")?;
    loop {
        let manifest = dir.join("Cargo.toml");
        if manifest.is_file() {
            let text = std::fs::read_to_string(&manifest)
                .with_context(|| format!("reading {}", manifest.display()))?;
            if text.lines().any(|l| l.trim() == "[workspace]") {
                return Ok(dir);
            }
        }
        if !dir.pop() {
            bail!("not inside the restake-stylus workspace: pass --artifacts DIR with the built .wasm files");
        }
    }
}

/// Loads every package's module from `dir`. When some are missing and `build` is set, runs
/// `cargo xtask wasm` in `workspace` first.
///
/// # Errors
/// When a module is missing after the build, or the build fails.
pub fn load_all(dir: &Path, packages: &[&str], build: Option<&Path>) -> Result<Vec<Artifact>> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !dir.join(format!("{p}.wasm")).is_file())
        .collect();
    if !missing.is_empty() {
        let Some(workspace) = build else {
            bail!(
                "missing modules in {}: {}",
                dir.display(),
                missing.join(", ")
            );
        };
        eprintln!(
            "building the contracts (missing: {}) with `cargo xtask wasm`...",
            missing.join(", ")
        );
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["xtask", "wasm"])
            .current_dir(workspace)
            .status()
            .context("running `cargo xtask wasm`")?;
        if !status.success() {
            bail!("`cargo xtask wasm` failed ({status})");
        }
    }
    packages.iter().map(|p| Artifact::load(dir, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_encodes_as_stylus_code() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let a = Artifact::load(dir.path(), "x").unwrap();
        assert_eq!(&a.code[..4], &[0xEF, 0xF0, 0x00, 0x00]);
        assert_eq!(a.code_hash, keccak256(&a.code));
        assert_eq!(stylus_runtime::code::decode(&a.code).unwrap(), a.wasm);
    }

    #[test]
    fn missing_module_without_build_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_all(dir.path(), &["nope"], None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope"), "{err}");
    }
}
