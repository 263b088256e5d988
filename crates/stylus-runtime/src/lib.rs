//! Executes Arbitrum Stylus WASM programs outside Nitro.
//!
//! The crate turns contract code (`EF F0 00` + brotli(WASM), see [`code`]) into a validated,
//! ink-metered [`Program`] ([`Program::activate`]) and runs it ([`execute`]) against any chain
//! that implements [`EvmApi`] (storage, calls, creates, logs, accounts). Everything else a
//! program can ask for (calldata, return data, the storage cache, the environment in
//! [`CallContext`], math, keccak) is handled here.
//!
//! It has no chain of its own: a host (e.g. a revm-based dev chain) decides when to activate,
//! charges the init gas, and implements nested calls.
//!
//! The engine (wasmi) was chosen by measuring it against wasmtime: see this crate's `ENGINES.md`.
//!
//! # Hosting a program
//! 1. Route calls to code for which [`code::is_stylus`] holds to this crate;
//!    [`code::decode`] it and [`Program::activate`] it once per code hash (a [`Program`] is
//!    `Send + Sync` and cheap to clone: cache it). Activation refuses what Arbitrum refuses
//!    ([`ValidationError`]) and returns the figures ArbWasm reports ([`ActivationInfo`]).
//! 2. On each call, charge [`ActivationInfo::init_gas`] (or `cached_init_gas`) yourself, then
//!    call [`execute`] with the remaining gas, the [`CallContext`] and your [`EvmApi`].
//! 3. Implement [`EvmApi::call`] / [`EvmApi::create`] by re-entering your own call machinery
//!    (journal checkpoints, value transfer, warm/cold accounting); a Stylus callee simply
//!    means another [`execute`] further down. Set [`CallContext::reentrant`] when the callee
//!    already has a frame on the stack, and [`CallContext::is_static`] inside static calls.
//! 4. Implement [`EvmApi::add_pages`] with [`memory::MemoryModel`] and per-transaction page
//!    counters, restoring the open-page count when a program's frame returns.
//! 5. Map the [`Outcome`]: [`Status::Success`] returns `output`, [`Status::Revert`] reverts
//!    with `output` as revert data and refunds `gas_left`, [`Status::OutOfInk`] and
//!    [`Status::Failure`] are exceptional halts that consume all gas.
//!
//! # Semantics
//! - Storage goes through a per-run cache: `storage_load_bytes32` reads the chain once per
//!   slot, `storage_cache_bytes32` only writes the cache, and dirty slots become
//!   [`EvmApi::sstore`] calls on `storage_flush_cache`, before every outgoing call or create
//!   (the cache is then cleared, as the callee may change storage), and when the program
//!   returns successfully. A revert drops unflushed writes.
//! - In a static context, storage writes (at flush), transient stores, logs and creates fail
//!   the program; a call with value returns status 3 (write protection) without calling.
//! - Calls pass at most all but one 64th of the gas left (EIP-150); the gas the host reports
//!   as used is charged. Logs, keccak, math and every hostio are priced as documented in
//!   [`pricing`], which also lists where figures knowingly differ from Nitro.
//! - WASM is metered by instrumentation ([`pricing`]); out of ink is [`Status::OutOfInk`].
//!
//! ```
//! use stylus_runtime::{code, execute, CallContext, Config, Program, Status};
//! # use stylus_runtime::{CallKind, CallOutcome, CallStatus, CreateOutcome, EvmApi, HostError};
//! # use alloy_primitives::{Address, B256, U256};
//! # struct NoChain;
//! # impl EvmApi for NoChain {
//! #     fn sload(&mut self, _: B256) -> (B256, u64) { (B256::ZERO, 2100) }
//! #     fn sstore(&mut self, _: B256, _: B256) -> Result<u64, HostError> { Ok(20_000) }
//! #     fn tload(&mut self, _: B256) -> B256 { B256::ZERO }
//! #     fn tstore(&mut self, _: B256, _: B256) -> Result<(), HostError> { Ok(()) }
//! #     fn call(&mut self, _: CallKind, _: Address, _: &[u8], _: u64, _: U256) -> CallOutcome {
//! #         CallOutcome { status: CallStatus::Failure, gas_used: 0, return_data: vec![] }
//! #     }
//! #     fn create(&mut self, _: &[u8], _: U256, _: Option<B256>, _: u64) -> CreateOutcome {
//! #         CreateOutcome { address: None, gas_used: 0, return_data: vec![] }
//! #     }
//! #     fn emit_log(&mut self, _: &[B256], _: &[u8]) -> Result<(), HostError> { Ok(()) }
//! #     fn balance(&mut self, _: Address) -> (U256, u64) { (U256::ZERO, 2600) }
//! #     fn code(&mut self, _: Address) -> (Vec<u8>, u64) { (vec![], 2600) }
//! #     fn codehash(&mut self, _: Address) -> (B256, u64) { (B256::ZERO, 2600) }
//! #     fn add_pages(&mut self, _: u16) -> u64 { 0 }
//! # }
//! // A program that echoes its calldata.
//! let wasm = wat::parse_str(r#"(module
//!     (import "vm_hooks" "read_args" (func $read_args (param i32)))
//!     (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
//!     (memory (export "memory") 1)
//!     (func (export "user_entrypoint") (param $len i32) (result i32)
//!         (call $read_args (i32.const 0))
//!         (call $write_result (i32.const 0) (local.get $len))
//!         (i32.const 0)))"#).unwrap();
//! let on_chain = code::encode(&wasm);
//! assert!(code::is_stylus(&on_chain));
//!
//! let config = Config::default();
//! let (program, info) = Program::activate(&code::decode(&on_chain).unwrap(), &config).unwrap();
//! assert_eq!(info.footprint_pages, 1);
//!
//! let outcome = execute(&program, b"hello", &CallContext::default(), &mut NoChain, 1_000_000, &config);
//! assert_eq!(outcome.status, Status::Success);
//! assert_eq!(outcome.output, b"hello");
//! assert!(outcome.gas_left < 1_000_000);
//! ```

pub mod api;
pub mod code;
pub mod config;
pub mod exec;
mod host;
pub mod imports;
mod instrument;
pub mod memory;
pub mod pricing;
pub mod program;
mod validate;

pub use api::{CallContext, CallKind, CallOutcome, CallStatus, CreateOutcome, EvmApi, HostError};
pub use code::CodeError;
pub use config::Config;
pub use exec::{execute, Outcome, Status};
pub use program::{ActivationInfo, Program, ValidationError, STYLUS_VERSION};
