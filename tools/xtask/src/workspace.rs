//! The workspace as `cargo metadata` describes it, and which of its crates are contracts.
//!
//! A deployable contract is a workspace crate under `contracts/` whose library has crate type
//! `cdylib` (the WASM module). Contracts are found, never listed by hand, so a new contract
//! crate is built, size-checked and ABI-checked as soon as it joins the workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Directory (relative to the workspace root) holding the contract crates.
pub const CONTRACTS_DIR: &str = "contracts";

/// One workspace crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Package name (`lrt-token`).
    pub name: String,
    /// Directory holding its `Cargo.toml`.
    pub dir: PathBuf,
    /// Its library target's name (`lrt_token`), if it has a library.
    pub lib_name: Option<String>,
    /// Whether the library builds as a `cdylib`.
    pub cdylib: bool,
    /// Whether the package has a binary target (the ABI exporter of a contract).
    pub has_bin: bool,
    /// Whether the package declares an `export-abi` feature.
    pub export_abi_feature: bool,
    /// Names of the workspace packages it depends on by path (normal dependencies only).
    pub path_deps: Vec<String>,
}

/// The workspace.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Workspace root (where the root `Cargo.toml` is).
    pub root: PathBuf,
    /// Cargo's target directory.
    pub target_dir: PathBuf,
    /// Every member, in `cargo metadata` order.
    pub packages: Vec<Package>,
}

/// A `cargo` command: the cargo running this tool when there is one (`$CARGO`), else `cargo`.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

impl Workspace {
    /// Reads the workspace around the current directory.
    ///
    /// # Errors
    /// When `cargo metadata` fails or prints something unexpected.
    pub fn load() -> Result<Self> {
        let output = cargo()
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .output()
            .context("running `cargo metadata`")?;
        if !output.status.success() {
            bail!(
                "`cargo metadata` failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let json: Value =
            serde_json::from_slice(&output.stdout).context("parsing `cargo metadata` output")?;
        Self::from_metadata(&json)
    }

    /// Builds the description from `cargo metadata --no-deps --format-version 1` output.
    ///
    /// # Errors
    /// When a field this tool relies on is missing.
    pub fn from_metadata(json: &Value) -> Result<Self> {
        let text = |v: &Value, what: &str| -> Result<String> {
            v.as_str()
                .map(str::to_owned)
                .with_context(|| format!("`cargo metadata`: missing {what}"))
        };
        let root = PathBuf::from(text(&json["workspace_root"], "workspace_root")?);
        let target_dir = PathBuf::from(text(&json["target_directory"], "target_directory")?);
        let members: Vec<String> = json["workspace_members"]
            .as_array()
            .context("`cargo metadata`: missing workspace_members")?
            .iter()
            .filter_map(|m| m.as_str().map(str::to_owned))
            .collect();

        let mut packages = Vec::new();
        for pkg in json["packages"]
            .as_array()
            .context("`cargo metadata`: missing packages")?
        {
            let id = text(&pkg["id"], "package id")?;
            if !members.contains(&id) {
                continue;
            }
            let name = text(&pkg["name"], "package name")?;
            let manifest = PathBuf::from(text(&pkg["manifest_path"], "manifest_path")?);
            let dir = manifest
                .parent()
                .with_context(|| format!("manifest path of {name} has no parent"))?
                .to_path_buf();
            let targets = pkg["targets"].as_array().cloned().unwrap_or_default();
            let kinds = |t: &Value| -> Vec<String> {
                t["kind"]
                    .as_array()
                    .map(|k| {
                        k.iter()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let lib = targets.iter().find(|t| {
                kinds(t).iter().any(|k| {
                    matches!(
                        k.as_str(),
                        "lib" | "cdylib" | "rlib" | "dylib" | "staticlib"
                    )
                })
            });
            let cdylib = lib.is_some_and(|t| {
                t["crate_types"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|c| c == "cdylib"))
            });
            let lib_name = lib.and_then(|t| t["name"].as_str().map(str::to_owned));
            let has_bin = targets.iter().any(|t| kinds(t).iter().any(|k| k == "bin"));
            let export_abi_feature = pkg["features"].get("export-abi").is_some();
            let path_deps = pkg["dependencies"]
                .as_array()
                .map(|deps| {
                    deps.iter()
                        .filter(|d| d["path"].is_string() && d["kind"].is_null())
                        .filter_map(|d| d["name"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            packages.push(Package {
                name,
                dir,
                lib_name,
                cdylib,
                has_bin,
                export_abi_feature,
                path_deps,
            });
        }
        Ok(Workspace {
            root,
            target_dir,
            packages,
        })
    }

    /// The deployable contracts, sorted by name.
    pub fn contracts(&self) -> Vec<&Package> {
        let dir = self.root.join(CONTRACTS_DIR);
        let mut found: Vec<&Package> = self
            .packages
            .iter()
            .filter(|p| p.cdylib && p.dir.starts_with(&dir))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    /// `package` and every workspace package it depends on by path, transitively; `package`
    /// first, then the others in discovery order.
    pub fn with_path_deps<'a>(&'a self, package: &'a Package) -> Vec<&'a Package> {
        let mut out = vec![package];
        let mut i = 0;
        while i < out.len() {
            for dep in &out[i].path_deps {
                if let Some(p) = self.packages.iter().find(|p| &p.name == dep) {
                    if !out.iter().any(|q| q.name == p.name) {
                        out.push(p);
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// Where `wasm` copies a contract's module: `<target>/stylus/<package>.wasm`.
    pub fn artifact(&self, package: &Package) -> PathBuf {
        self.target_dir
            .join("stylus")
            .join(format!("{}.wasm", package.name))
    }

    /// `path` relative to the workspace root, for messages.
    pub fn display<'a>(&self, path: &'a Path) -> std::path::Display<'a> {
        path.strip_prefix(&self.root).unwrap_or(path).display()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata() -> Value {
        let target = |kind: &str, name: &str, types: &[&str]| json!({"kind": [kind], "name": name, "crate_types": types});
        json!({
            "workspace_root": "/ws",
            "target_directory": "/ws/target",
            "workspace_members": ["a 0.1.0", "b 0.1.0", "shared 0.1.0", "tool 0.1.0"],
            "packages": [
                {"id": "b 0.1.0", "name": "b", "manifest_path": "/ws/contracts/b/Cargo.toml",
                 "targets": [target("lib", "b", &["lib", "cdylib"]), target("bin", "b", &["bin"])],
                 "features": {"export-abi": []},
                 "dependencies": [
                    {"name": "shared", "path": "/ws/contracts/shared", "kind": null},
                    {"name": "a", "path": "/ws/contracts/a", "kind": "dev"},
                    {"name": "serde", "kind": null}
                 ]},
                {"id": "a 0.1.0", "name": "a", "manifest_path": "/ws/contracts/a/Cargo.toml",
                 "targets": [target("cdylib", "a", &["cdylib"])], "features": {},
                 "dependencies": [{"name": "shared", "path": "/ws/contracts/shared", "kind": null}]},
                {"id": "shared 0.1.0", "name": "shared", "manifest_path": "/ws/contracts/shared/Cargo.toml",
                 "targets": [target("lib", "shared", &["lib"])], "features": {}, "dependencies": []},
                {"id": "tool 0.1.0", "name": "tool", "manifest_path": "/ws/tools/tool/Cargo.toml",
                 "targets": [target("lib", "tool", &["cdylib"])], "features": {}, "dependencies": []},
                {"id": "dep 1.0.0", "name": "dep", "manifest_path": "/reg/dep/Cargo.toml",
                 "targets": [target("lib", "dep", &["cdylib"])], "features": {}, "dependencies": []}
            ]
        })
    }

    #[test]
    fn contracts_are_cdylib_members_under_contracts() {
        let ws = Workspace::from_metadata(&metadata()).unwrap();
        let names: Vec<_> = ws.contracts().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let b = ws.contracts()[1];
        assert!(b.has_bin && b.export_abi_feature);
        assert_eq!(b.lib_name.as_deref(), Some("b"));
        assert_eq!(ws.artifact(b), PathBuf::from("/ws/target/stylus/b.wasm"));
    }

    #[test]
    fn path_deps_skip_dev_and_registry_dependencies() {
        let ws = Workspace::from_metadata(&metadata()).unwrap();
        let b = ws.contracts()[1];
        let names: Vec<_> = ws
            .with_path_deps(b)
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["b", "shared"]);
    }
}
