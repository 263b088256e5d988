//! `cargo xtask`: see the library documentation.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use xtask::{abi, wasm, workspace::Workspace};

/// Build and check the workspace's Stylus contracts.
#[derive(Parser)]
#[command(name = "cargo xtask", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every contract for wasm32-unknown-unknown (release), copy the modules to
    /// target/stylus/<crate>.wasm, print their sizes, and fail when one breaks a Stylus rule:
    /// over 24,576 bytes brotli-compressed or 128 KiB raw, floats, SIMD, reference types,
    /// multi-value, threads, a start function, not exactly one memory exported as `memory`,
    /// no `user_entrypoint` export, or imports from modules other than `vm_hooks`.
    Wasm {
        /// Only this contract crate (repeatable; default: every crate under contracts/ whose
        /// library is a cdylib).
        #[arg(short = 'p', long = "package", value_name = "CRATE")]
        packages: Vec<String>,
    },
    /// Write abi/<Contract>.sol (Solidity interfaces: functions, errors, events, constructor as
    /// a comment) and abi/<Contract>.json (solc's JSON ABI of it, constructor included) for
    /// every contract. Needs `npm ci` (the pinned solc) and Node.js.
    Abi {
        /// Write nothing; fail with a diff summary when the committed files under abi/ differ
        /// from what the code produces, are missing, or belong to no contract.
        #[arg(long)]
        check: bool,
        /// Only this contract crate (repeatable; default: all contracts). Stale files are only
        /// detected when all contracts are selected.
        #[arg(short = 'p', long = "package", value_name = "CRATE")]
        packages: Vec<String>,
    },
    /// Run `wasm` and then `abi --check` over every contract (what CI runs).
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
