//! `cargo xtask`: see the library documentation.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use xtask::{abi, wasm, workspace::Workspace};

/// Build and check the workspace's Stylus contracts.
///
/// Contracts are the crates under contracts/ whose library is a cdylib.
#[derive(Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the contracts to WASM, print their sizes, check the Stylus rules.
    ///
    /// Builds every contract with `cargo build --release --lib --target
    /// wasm32-unknown-unknown`, copies the modules to target/stylus/<crate>.wasm and prints
    /// raw and brotli-11 sizes. Fails when a module is over 24,576 bytes compressed or 128 KiB
    /// raw, uses floats, SIMD, reference types, multi-value or threads, has a start function,
    /// does not have exactly one memory exported as `memory` (at most 128 initial pages),
    /// lacks the `user_entrypoint(i32) -> i32` export, imports from a module other than
    /// `vm_hooks`, or has over 4,096 functions or 513 imports.
    Wasm {
        /// Only this contract crate (repeatable; default: every contract).
        #[arg(short = 'p', long = "package", value_name = "CRATE")]
        packages: Vec<String>,
    },
    /// Write (or check) abi/<Contract>.sol and abi/<Contract>.json.
    ///
    /// The .sol file holds the Solidity interfaces (functions and errors from the Stylus SDK's
    /// export-abi, events the compiled contract can emit from the crates' `sol!` declarations,
    /// the constructor as a comment); the .json file is solc's JSON ABI of it, constructor
    /// first. Builds the contract (wasm32) and its export-abi binary (host). Needs Node.js and
    /// `npm ci` (the pinned solc).
    Abi {
        /// Write nothing; fail with a diff summary when a committed file under abi/ differs
        /// from what the code produces, is missing, or belongs to no contract.
        #[arg(long)]
        check: bool,
        /// Only this contract crate (repeatable; default: every contract). Files that belong
        /// to no contract are only detected when every contract is selected.
        #[arg(short = 'p', long = "package", value_name = "CRATE")]
        packages: Vec<String>,
    },
    /// Run `wasm`, then `abi --check`, over every contract (what CI runs).
    ///
    /// Both run even when the first fails; the command fails if either does.
    Check,
}

fn run(cli: Cli) -> Result<()> {
    let ws = Workspace::load().context("reading the workspace")?;
    match cli.command {
        Command::Wasm { packages } => wasm::run(&ws, &packages).map(drop),
        Command::Abi { check, packages } => abi::run(&ws, &packages, check),
        Command::Check => {
            // Both run even when the first fails, so one CI run reports every problem.
            let wasm = wasm::run(&ws, &[]).map(drop);
            let abi = abi::run(&ws, &[], true);
            match (wasm, abi) {
                (Ok(()), Ok(())) => Ok(()),
                (Err(e), Ok(())) => Err(e.context("`cargo xtask wasm`")),
                (Ok(()), Err(e)) => Err(e.context("`cargo xtask abi --check`")),
                (Err(w), Err(a)) => Err(anyhow::anyhow!(
                    "`cargo xtask wasm`: {w:#}\n`cargo xtask abi --check`: {a:#}"
                )),
            }
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
