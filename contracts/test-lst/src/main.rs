//! Prints the contract's Solidity interface (`cargo xtask abi` runs it with `--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    test_lst::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {
    eprintln!("test-lst: build with `--features export-abi` to print the Solidity interface");
    std::process::exit(2);
}
