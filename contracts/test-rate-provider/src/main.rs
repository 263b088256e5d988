//! Prints the contract's Solidity interface (`cargo xtask abi` runs it with `--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    test_rate_provider::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {
    eprintln!(
        "test-rate-provider: build with `--features export-abi` to print the Solidity interface"
    );
    std::process::exit(2);
}
