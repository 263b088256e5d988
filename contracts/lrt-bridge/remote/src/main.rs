//! Prints the LRT bridge's Solidity interface; `cargo xtask abi` runs it as
//! `cargo run -p restake-lrt-bridge-remote --features export-abi -- abi` (and `-- constructor`).
//!
//! The deployable program is the library built for `wasm32-unknown-unknown`; this binary only
//! exists for the ABI export and does nothing useful without the `export-abi` feature.

#[cfg(feature = "export-abi")]
fn main() {
    restake_lrt_bridge_remote::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {
    eprintln!(
        "restake-lrt-bridge-remote: build with `--features export-abi` to print the Solidity interface"
    );
    std::process::exit(2);
}
