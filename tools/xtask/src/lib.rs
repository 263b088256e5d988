//! Workspace tasks for the restaking contracts, run as `cargo xtask <command>`.
//!
//! - `wasm` ([`wasm`]): builds every contract crate for `wasm32-unknown-unknown`, copies the
//!   modules to `target/stylus/<crate>.wasm` and fails when one breaks a Stylus rule
//!   ([`stylus`]: sizes, forbidden WebAssembly features, imports, exports).
//! - `abi` ([`abi`]): writes `abi/<Contract>.sol` and `abi/<Contract>.json` from the code;
//!   `abi --check` fails when the committed files differ from what the code produces.
//! - `check`: `wasm`, then `abi --check`.
//!
//! Contracts are discovered ([`workspace`]): every crate under `contracts/` whose library is a
//! `cdylib`.

pub mod abi;
pub mod diff;
pub mod program;
pub mod solc;
pub mod solidity;
pub mod stylus;
pub mod wasm;
pub mod workspace;
