//! Prints the stake-sync contract's Solidity interface; `cargo xtask abi` runs it as
//! `cargo run -p restake-stake-sync --features export-abi -- abi` (and `-- constructor`).
//!
//! The deployable program is the library built for `wasm32-unknown-unknown`; this binary only
//! exists for the ABI export and does nothing useful without the `export-abi` feature.

#[cfg(feature = "export-abi")]
fn main() {
    restake_stake_sync::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {
    eprintln!(
        "restake-stake-sync: build with `--features export-abi` to print the Solidity interface"
    );
    std::process::exit(2);
}
