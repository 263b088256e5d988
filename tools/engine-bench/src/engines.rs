//! The engines under test behind one small interface, configured as a Stylus host would use
//! them: compile a module once, then instantiate it fresh in a new store for every call.

#[cfg(feature = "wasmi")]
pub mod wasmi_engine;
#[cfg(feature = "wasmtime")]
pub mod wasmtime_engine;

use anyhow::Result;

/// Ink given to an instrumented module per call: far more than any benchmark uses.
pub const INK: i64 = 1 << 60;
/// Fuel given per call when an engine meters with fuel: far more than any benchmark uses.
pub const FUEL: u64 = 1 << 60;

/// Metering done by the engine itself (on top of whatever the module does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineMetering {
    /// None: the module meters itself (instrumented) or is not metered at all.
    Off,
    /// Fuel: the engine counts executed operators.
    Fuel,
    /// Epoch interruption (wasmtime): a deadline checked at loop headers and function entries.
    Epoch,
}

/// A configured engine.
pub trait Engine {
    /// How the engine is configured, for the tables.
    fn label(&self) -> &str;
    /// Validates and compiles `wasm`, and prepares linking its `vm_hooks` imports to stubs.
    ///
    /// # Errors
    /// When the engine refuses the module or an import is not a function.
    fn compile(&self, wasm: &[u8]) -> Result<Box<dyn Program>>;
}

/// A compiled module.
pub trait Program {
    /// Creates a store and an instance, then drops both.
    ///
    /// # Errors
    /// When instantiation fails.
    fn instantiate(&self) -> Result<()>;
    /// Creates a store and an instance, gives it ink (and fuel) and calls
    /// `user_entrypoint(arg)` with `calldata` readable through `read_args`; returns the
    /// entrypoint's status.
    ///
    /// # Errors
    /// When instantiation fails or the call traps.
    fn call(&self, calldata: &[u8], arg: i32) -> Result<i32>;
}

/// What every store carries: the calldata `read_args` copies into memory.
pub struct Host {
    /// The current call's calldata.
    pub calldata: Vec<u8>,
}

/// The import every Stylus program uses to read its calldata; every other import is a
/// no-op stub that returns zeros.
pub const READ_ARGS: &str = "read_args";
