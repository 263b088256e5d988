//! Activation: validating, instrumenting and compiling a module into a [`Program`].
//!
//! # Activation figures
//! Nitro derives its activation figures from the natively compiled module; this crate does
//! not compile to native code, so it uses these documented, deterministic formulas instead:
//!
//! - `asm_estimate` = 4 x WASM bytes + 64 x functions (bytes of native code we assume);
//! - `init_gas` = min(2,048, 128 + asm_estimate / 256) — the public docs say calling a Stylus
//!   contract costs 128 to 2,048 gas;
//! - `cached_init_gas` = 128 + asm_estimate / 4,096;
//! - `data_fee` = asm_estimate x [`DATA_FEE_WEI_PER_BYTE`] wei (ArbOS prices activation by
//!   the size of the compiled program through a dynamic data price; a fixed price stands in).

use crate::config::Config;
use crate::{instrument, validate};
use alloy_primitives::{keccak256, B256, U256};
use std::sync::Arc;

/// The Stylus version this runtime implements (what ArbWasm's `stylusVersion` returns).
pub const STYLUS_VERSION: u16 = 2;

/// Wei charged per byte of `asm_estimate` at activation (0.1 gwei).
pub const DATA_FEE_WEI_PER_BYTE: u64 = 100_000_000;

/// The engine a program is compiled for: the Stylus proposals only, and the configured
/// recursion depth.
fn engine_for(config: &Config) -> wasmi::Engine {
    let mut c = wasmi::Config::default();
    c.floats(false)
        .wasm_multi_value(false)
        .wasm_reference_types(false)
        .wasm_tail_call(false)
        .wasm_extended_const(false)
        .set_max_recursion_depth(config.max_recursion_depth.max(1));
    wasmi::Engine::new(&c)
}

fn activation_info(wasm: &[u8], facts: &validate::ModuleFacts) -> ActivationInfo {
    let funcs = u64::from(facts.imported_funcs) + u64::from(facts.defined_funcs);
    let asm = (wasm.len() as u64)
        .saturating_mul(4)
        .saturating_add(funcs.saturating_mul(64));
    let asm_estimate = u32::try_from(asm).unwrap_or(u32::MAX);
    ActivationInfo {
        version: STYLUS_VERSION,
        init_gas: (128 + asm / 256).min(2_048),
        cached_init_gas: 128 + asm / 4_096,
        footprint_pages: facts.footprint_pages,
        asm_estimate,
        module_hash: keccak256(wasm),
        data_fee: U256::from(asm) * U256::from(DATA_FEE_WEI_PER_BYTE),
    }
}

/// Why a module was refused at activation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The bytes are not a well-formed WASM module (or use a feature the parser rejects).
    #[error("invalid WASM: {0}")]
    Invalid(String),
    /// The uncompressed module is larger than [`Config::max_wasm_size`].
    #[error("module is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Module size.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The module uses floating point (types or instructions).
    #[error("floating point is not allowed ({0})")]
    Float(String),
    /// The module uses a WASM proposal Stylus does not enable (SIMD, threads, reference types,
    /// multi-value, tail calls, ...).
    #[error("unsupported WASM feature: {0}")]
    UnsupportedFeature(String),
    /// The module declares a start function.
    #[error("start functions are not allowed")]
    StartFunction,
    /// An import outside `vm_hooks` (and `console` in debug mode), or unknown there.
    #[error("unknown import {module}::{name}")]
    UnknownImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A known import declared with the wrong signature.
    #[error("import {module}::{name} has the wrong signature")]
    ImportSignature {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// An import of something other than a function (memory, table, global).
    #[error("import {module}::{name} is not a function")]
    NonFunctionImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A required export is missing or has the wrong type (`memory`, `user_entrypoint`).
    #[error("missing or mistyped export `{0}`")]
    MissingExport(&'static str),
    /// An export name reserved for the runtime's instrumentation is used.
    #[error("export name `{0}` is reserved")]
    ReservedExport(String),
    /// The module declares a memory count other than exactly one.
    #[error("module must declare exactly one memory, found {0}")]
    MemoryCount(u32),
    /// The initial memory is larger than [`Config::max_pages`].
    #[error("initial memory of {pages} pages exceeds the {limit}-page limit")]
    TooManyPages {
        /// Declared initial pages.
        pages: u64,
        /// The limit in force.
        limit: u16,
    },
    /// More functions than [`Config::max_functions`].
    #[error("{count} functions exceed the limit of {limit}")]
    TooManyFunctions {
        /// Functions declared (imports included).
        count: u32,
        /// The limit in force.
        limit: u32,
    },
    /// More imports than [`Config::max_imports`].
    #[error("{count} imports exceed the limit of {limit}")]
    TooManyImports {
        /// Imports declared.
        count: u32,
        /// The limit in force.
        limit: u32,
    },
    /// A function body longer than [`Config::max_function_ops`] operators.
    #[error("function {index} has {ops} operators, over the limit of {limit}")]
    FunctionTooLong {
        /// Function index.
        index: u32,
        /// Operators in its body.
        ops: u32,
        /// The limit in force.
        limit: u32,
    },
    /// The module cannot be instantiated (a data or element segment does not fit).
    #[error("instantiation failed: {0}")]
    Instantiation(String),
    /// The contract code is not valid Stylus code (prefix, dictionary, compressed or
    /// uncompressed size, brotli stream); only from [`Program::activate_code`].
    #[error("invalid Stylus code: {0}")]
    Code(#[from] crate::code::CodeError),
    /// The engine refused the instrumented module (should not happen for a valid module).
    #[error("compilation failed: {0}")]
    Compile(String),
}

/// What activation found out about a program (what ArbWasm records and charges for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationInfo {
    /// Stylus version the program was activated under ([`STYLUS_VERSION`]).
    pub version: u16,
    /// EVM gas a host should charge when entering the program while it is not cached.
    pub init_gas: u64,
    /// EVM gas a host should charge when entering the program while it is cached.
    pub cached_init_gas: u64,
    /// Initial memory pages (the memory footprint paid on every entry).
    pub footprint_pages: u16,
    /// Estimated size of the natively compiled program in bytes (a function of the WASM size).
    pub asm_estimate: u32,
    /// keccak256 of the uncompressed WASM as supplied (identifies the module).
    pub module_hash: B256,
    /// The activation data fee in wei; see [`crate::program`] docs for the formula.
    pub data_fee: U256,
}

/// A validated, instrumented and compiled module. Cheap to clone (shared).
#[derive(Clone)]
pub struct Program {
    pub(crate) inner: Arc<ProgramInner>,
}

pub(crate) struct ProgramInner {
    pub(crate) info: ActivationInfo,
    pub(crate) engine: wasmi::Engine,
    pub(crate) module: wasmi::Module,
    /// `(module, name)` of every import, in import order.
    pub(crate) imports: Vec<(String, String)>,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("info", &self.inner.info)
            .finish()
    }
}

impl Program {
    /// Validates `wasm` as Arbitrum does, instruments it for ink metering and compiles it.
    ///
    /// # Errors
    /// [`ValidationError`] naming the first rule the module breaks.
    pub fn activate(
        wasm: &[u8],
        config: &Config,
    ) -> Result<(Program, ActivationInfo), ValidationError> {
        let facts = validate::validate(wasm, config)?;
        let metered = instrument::instrument(wasm, &facts, config.max_pages)
            .map_err(ValidationError::Compile)?;
        let engine = engine_for(config);
        let module = wasmi::Module::new(&engine, &metered)
            .map_err(|e| ValidationError::Compile(e.to_string()))?;
        let imports: Vec<(String, String)> = module
            .imports()
            .map(|i| (i.module().to_string(), i.name().to_string()))
            .collect();
        crate::exec::check_instantiation(&engine, &module, &imports, config)
            .map_err(ValidationError::Instantiation)?;
        let info = activation_info(wasm, &facts);
        let program = Program {
            inner: Arc::new(ProgramInner {
                info: info.clone(),
                engine,
                module,
                imports,
            }),
        };
        Ok((program, info))
    }

    /// Decodes on-chain Stylus code (`EF F0 00` + brotli, with the code and WASM size limits
    /// of `config`) and activates the WASM inside, as ArbWasm's `activateProgram` does.
    ///
    /// # Errors
    /// [`ValidationError::Code`] when the code cannot be decoded (including compressed code
    /// over [`Config::max_code_size`]), otherwise as [`Program::activate`].
    pub fn activate_code(
        code: &[u8],
        config: &Config,
    ) -> Result<(Program, ActivationInfo), ValidationError> {
        let wasm =
            crate::code::decode_with_limits(code, config.max_code_size, config.max_wasm_size)?;
        Self::activate(&wasm, config)
    }

    /// What activation recorded about this program.
    pub fn info(&self) -> &ActivationInfo {
        &self.inner.info
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn programs_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<super::Program>();
    }
}
