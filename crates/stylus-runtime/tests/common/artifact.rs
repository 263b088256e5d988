//! The real contract WASM the tests run.
//!
//! `lrt_token_wasm()` builds `contracts/lrt-token` for `wasm32-unknown-unknown` (release,
//! `--lib`, the workspace's `.cargo/config.toml` flags: the same command `cargo xtask wasm`
//! runs) into `<target dir>/stylus-runtime-fixtures`, a directory of its own so the nested
//! cargo never waits for the lock of the `cargo test` that runs it. Cargo makes this a no-op
//! when the build is up to date. When `cargo xtask wasm` has written
//! `<target dir>/stylus/lrt-token.wasm` that module is used instead; set
//! `STYLUS_RUNTIME_LRT_WASM=<path>` to name another prebuilt module.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists")
}

fn build_lrt_token() -> PathBuf {
    if let Some(path) = std::env::var_os("STYLUS_RUNTIME_LRT_WASM") {
        return PathBuf::from(path);
    }
    let root = workspace_root();
    // A relative CARGO_TARGET_DIR is relative to where cargo was started: the workspace root
    // for the commands this repository documents.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|d| root.join(d))
        .unwrap_or_else(|| root.join("target"));
    // `cargo xtask wasm` (which the test script runs first) already built it: reuse that.
    let built = target.join("stylus").join("lrt-token.wasm");
    if built.is_file() {
        return built;
    }
    let dir = target.join("stylus-runtime-fixtures");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args([
            "build",
            "--release",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "lrt-token",
            "--target-dir",
        ])
        .arg(&dir)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building lrt-token for wasm32 failed");
    dir.join("wasm32-unknown-unknown/release/lrt_token.wasm")
}

/// The LRT token's WASM module (built once per test binary).
pub fn lrt_token_wasm() -> Vec<u8> {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    let path = PATH.get_or_init(build_lrt_token);
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}
