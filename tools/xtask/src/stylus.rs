//! What Arbitrum Stylus accepts as a program, checked on the compiled WASM.
//!
//! The rules (see `shared/reference/stylus-runtime.md`): the brotli-compressed module fits in
//! 24 KiB and the raw module in 128 KiB; no floating point, SIMD, reference types, multi-value
//! or threads; no start function; exactly one memory, exported as `memory`, of at most 128
//! initial pages; an exported `user_entrypoint(i32) -> i32`; every import from `vm_hooks`; at
//! most 4,096 functions and 513 imports.
//!
//! Proposal use is decided by [`wasmparser`]'s validator, which knows every instruction and
//! type each proposal adds: a module uses a proposal when it validates with the proposal
//! enabled and fails without it. The structural rules are checked by walking the sections.
//!
//! This module is self-contained on purpose: the `stylus-runtime` crate enforces the same rules
//! at deployment time, while this copy gates the build.

use std::fmt;
use std::io::Write;

use anyhow::{Context, Result};
use wasmparser::{
    ExternalKind, FuncType, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

/// Largest accepted brotli-compressed program, in bytes (24 KiB).
pub const MAX_COMPRESSED_BYTES: usize = 24 * 1024;
/// Largest accepted uncompressed program, in bytes (128 KiB).
pub const MAX_RAW_BYTES: usize = 128 * 1024;
/// Largest accepted initial size of the program's memory, in 64 KiB pages.
pub const MAX_INITIAL_PAGES: u64 = 128;
/// Most functions (imported and defined) a program may have.
pub const MAX_FUNCTIONS: usize = 4096;
/// Most imports a program may have.
pub const MAX_IMPORTS: usize = 513;
/// The only module programs may import from.
pub const HOST_MODULE: &str = "vm_hooks";
/// The export the chain calls: `user_entrypoint(args_len: i32) -> i32`.
pub const ENTRYPOINT: &str = "user_entrypoint";
/// The name the program's memory must be exported under.
pub const MEMORY_EXPORT: &str = "memory";
/// Brotli quality used for deployment (the highest), as cargo-stylus does.
pub const BROTLI_QUALITY: u32 = 11;
/// Brotli window (log2 of its size), as cargo-stylus uses.
pub const BROTLI_WINDOW: u32 = 22;

/// A WebAssembly proposal Stylus rejects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proposal {
    /// `f32`/`f64` types and instructions (non-deterministic NaNs).
    Floats,
    /// 128-bit SIMD, relaxed SIMD included.
    Simd,
    /// `funcref`/`externref` values, table instructions, several tables.
    ReferenceTypes,
    /// Functions or blocks with more than one result, blocks with parameters.
    MultiValue,
    /// Shared memories and atomic instructions.
    Threads,
}

impl Proposal {
    /// Every proposal checked, in report order.
    pub const ALL: [Proposal; 5] = [
        Proposal::Floats,
        Proposal::Simd,
        Proposal::ReferenceTypes,
        Proposal::MultiValue,
        Proposal::Threads,
    ];

    /// The validator features that make up the proposal.
    fn features(self) -> WasmFeatures {
        match self {
            Proposal::Floats => WasmFeatures::FLOATS,
            Proposal::Simd => WasmFeatures::SIMD | WasmFeatures::RELAXED_SIMD,
            Proposal::ReferenceTypes => WasmFeatures::REFERENCE_TYPES,
            Proposal::MultiValue => WasmFeatures::MULTI_VALUE,
            Proposal::Threads => WasmFeatures::THREADS,
        }
    }

    /// Human name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Proposal::Floats => "floating point",
            Proposal::Simd => "SIMD",
            Proposal::ReferenceTypes => "reference types",
            Proposal::MultiValue => "multi-value",
            Proposal::Threads => "threads",
        }
    }
}

/// One reason the chain would reject a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// Not a valid WebAssembly module at all.
    Malformed(String),
    /// Uses a proposal outside the set Stylus knows (tail calls, exceptions, memory64, GC...).
    UnsupportedProposal(String),
    /// Uses a proposal Stylus rejects; `detail` is the validator's first complaint.
    Proposal {
        /// The proposal.
        proposal: Proposal,
        /// Where and what, as the validator reported it.
        detail: String,
    },
    /// Has a start function (Stylus forbids code running at instantiation).
    StartFunction,
    /// Does not have exactly one memory.
    MemoryCount(usize),
    /// The memory is not exported as `memory`.
    MemoryNotExported,
    /// The memory's initial size is above [`MAX_INITIAL_PAGES`].
    InitialMemory(u64),
    /// No exported function `user_entrypoint`.
    MissingEntrypoint,
    /// `user_entrypoint` does not have the type `(i32) -> i32`.
    EntrypointType(String),
    /// An import from a module other than [`HOST_MODULE`].
    ForeignImport {
        /// Module named by the import.
        module: String,
        /// Item imported.
        name: String,
    },
    /// More than [`MAX_FUNCTIONS`] functions.
    TooManyFunctions(usize),
    /// More than [`MAX_IMPORTS`] imports.
    TooManyImports(usize),
    /// Uncompressed size above [`MAX_RAW_BYTES`].
    RawTooLarge(usize),
    /// Compressed size above [`MAX_COMPRESSED_BYTES`].
    CompressedTooLarge(usize),
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Malformed(e) => write!(f, "not a valid WebAssembly module: {e}"),
            Violation::UnsupportedProposal(e) => {
                write!(f, "uses a WebAssembly feature Stylus does not support: {e}")
            }
            Violation::Proposal { proposal, detail } => {
                write!(f, "uses {} (rejected by Stylus): {detail}", proposal.name())
            }
            Violation::StartFunction => write!(f, "has a start function"),
            Violation::MemoryCount(n) => write!(f, "has {n} memories; exactly one is required"),
            Violation::MemoryNotExported => {
                write!(f, "does not export its memory as `{MEMORY_EXPORT}`")
            }
            Violation::InitialMemory(pages) => write!(
                f,
                "memory starts at {pages} pages; at most {MAX_INITIAL_PAGES} are allowed"
            ),
            Violation::MissingEntrypoint => write!(f, "does not export function `{ENTRYPOINT}`"),
            Violation::EntrypointType(ty) => {
                write!(
                    f,
                    "`{ENTRYPOINT}` has type {ty}; `(i32) -> i32` is required"
                )
            }
            Violation::ForeignImport { module, name } => write!(
                f,
                "imports `{module}::{name}`; only module `{HOST_MODULE}` may be imported"
            ),
            Violation::TooManyFunctions(n) => {
                write!(f, "has {n} functions; at most {MAX_FUNCTIONS} are allowed")
            }
            Violation::TooManyImports(n) => {
                write!(f, "has {n} imports; at most {MAX_IMPORTS} are allowed")
            }
            Violation::RawTooLarge(n) => {
                write!(f, "is {n} bytes uncompressed; the limit is {MAX_RAW_BYTES}")
            }
            Violation::CompressedTooLarge(n) => write!(
                f,
                "is {n} bytes brotli-compressed; the limit is {MAX_COMPRESSED_BYTES}"
            ),
        }
    }
}

/// Proposals Stylus accepts beyond WebAssembly 1.0.
fn stylus_features() -> WasmFeatures {
    WasmFeatures::WASM1
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::SATURATING_FLOAT_TO_INT
}

/// Every rule about the module's content (sizes aside, see [`check_sizes`]).
///
/// An empty result means the chain would accept the program.
pub fn check_module(wasm: &[u8]) -> Vec<Violation> {
    if let Err(e) = Validator::new_with_features(WasmFeatures::default()).validate_all(wasm) {
        return vec![Violation::Malformed(e.to_string())];
    }
    let mut violations = Vec::new();
    // Everything Stylus accepts plus the proposals probed one by one below: a failure here is a
    // proposal outside both sets, which would also make every probe fail.
    let mut probed = stylus_features() | WasmFeatures::MULTI_MEMORY;
    for proposal in Proposal::ALL {
        probed |= proposal.features();
    }
    match Validator::new_with_features(probed).validate_all(wasm) {
        Err(e) => violations.push(Violation::UnsupportedProposal(e.to_string())),
        Ok(_) => {
            for proposal in Proposal::ALL {
                let without = probed.difference(proposal.features());
                if let Err(e) = Validator::new_with_features(without).validate_all(wasm) {
                    violations.push(Violation::Proposal {
                        proposal,
                        detail: e.to_string(),
                    });
                }
            }
        }
    }
    match structure(wasm) {
        Ok(found) => violations.extend(found),
        Err(e) => violations.push(Violation::Malformed(format!("{e:#}"))),
    }
    violations
}

/// The size limits, given the raw and compressed sizes.
pub fn check_sizes(raw: usize, compressed: usize) -> Vec<Violation> {
    let mut violations = Vec::new();
    if raw > MAX_RAW_BYTES {
        violations.push(Violation::RawTooLarge(raw));
    }
    if compressed > MAX_COMPRESSED_BYTES {
        violations.push(Violation::CompressedTooLarge(compressed));
    }
    violations
}

/// Compresses a program as it is deployed: brotli, quality 11, window 22, no dictionary.
///
/// # Errors
/// Only if the in-memory writer fails, which it does not in practice.
pub fn compress(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(wasm.len() / 3);
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
        writer.write_all(wasm).context("brotli compression")?;
        writer.flush().context("brotli compression")?;
    }
    Ok(out)
}

/// Section-level rules: start function, memory, entrypoint, imports, counts.
fn structure(wasm: &[u8]) -> Result<Vec<Violation>> {
    let mut violations = Vec::new();
    let mut types: Vec<FuncType> = Vec::new();
    // Type index of every function, imported ones first (the function index space).
    let mut functions: Vec<u32> = Vec::new();
    let mut imports = 0usize;
    let mut memories = 0usize;
    let mut memory_exported = false;
    let mut entrypoint: Option<u32> = None;

    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("parsing the module")? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    types.push(ty.context("type section")?);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.context("import section")?;
                    imports += 1;
                    if import.module != HOST_MODULE {
                        violations.push(Violation::ForeignImport {
                            module: import.module.to_string(),
                            name: import.name.to_string(),
                        });
                    }
                    match import.ty {
                        TypeRef::Func(ty) | TypeRef::FuncExact(ty) => functions.push(ty),
                        TypeRef::Memory(_) => memories += 1,
                        _ => {}
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    functions.push(ty.context("function section")?);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.context("memory section")?;
                    memories += 1;
                    if memory.initial > MAX_INITIAL_PAGES {
                        violations.push(Violation::InitialMemory(memory.initial));
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.context("export section")?;
                    match (export.kind, export.name) {
                        (ExternalKind::Memory, MEMORY_EXPORT) => memory_exported = true,
                        (ExternalKind::Func | ExternalKind::FuncExact, ENTRYPOINT) => {
                            entrypoint = Some(export.index)
                        }
                        _ => {}
                    }
                }
            }
            Payload::StartSection { .. } => violations.push(Violation::StartFunction),
            _ => {}
        }
    }

    if memories != 1 {
        violations.push(Violation::MemoryCount(memories));
    }
    if memories > 0 && !memory_exported {
        violations.push(Violation::MemoryNotExported);
    }
    match entrypoint {
        None => violations.push(Violation::MissingEntrypoint),
        Some(index) => {
            let ty = usize::try_from(index)
                .ok()
                .and_then(|i| functions.get(i))
                .and_then(|&t| types.get(usize::try_from(t).ok()?))
                .context("entrypoint refers to an unknown function or type")?;
            if ty.params() != [ValType::I32] || ty.results() != [ValType::I32] {
                violations.push(Violation::EntrypointType(format!("{ty}")));
            }
        }
    }
    if functions.len() > MAX_FUNCTIONS {
        violations.push(Violation::TooManyFunctions(functions.len()));
    }
    if imports > MAX_IMPORTS {
        violations.push(Violation::TooManyImports(imports));
    }
    Ok(violations)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal program Stylus accepts: one exported memory, the entrypoint, one host import.
    const VALID: &str = r#"
        (module
          (import "vm_hooks" "read_args" (func $read_args (param i32)))
          (memory (export "memory") 1)
          (func (export "user_entrypoint") (param $len i32) (result i32)
            (call $read_args (i32.const 0))
            (i32.const 0)))
    "#;

    fn module(text: &str) -> Vec<u8> {
        wat::parse_str(text).expect("test module must assemble")
    }

    /// The valid module with `extra` spliced into its body.
    fn valid_with(extra: &str) -> Vec<u8> {
        let text = VALID
            .trim_end()
            .strip_suffix(')')
            .expect("module ends with `)`");
        module(&format!("{text} {extra})"))
    }

    #[test]
    fn accepts_a_minimal_program() {
        assert_eq!(check_module(&module(VALID)), vec![]);
    }

    #[test]
    fn accepts_bulk_memory_and_sign_extension() {
        let wasm = valid_with(
            r#"(func (param i32) (result i32)
                 (memory.copy (i32.const 0) (i32.const 8) (i32.const 4))
                 (i32.extend8_s (local.get 0)))"#,
        );
        assert_eq!(check_module(&wasm), vec![]);
    }

    #[test]
    fn rejects_float_instructions() {
        let wasm = valid_with(
            r#"(func (param i32) (result i32)
                 (i32.trunc_f32_s (f32.add (f32.const 1.5) (f32.convert_i32_s (local.get 0)))))"#,
        );
        let found = check_module(&wasm);
        assert!(
            matches!(
                found.as_slice(),
                [Violation::Proposal {
                    proposal: Proposal::Floats,
                    ..
                }]
            ),
            "{found:?}"
        );
    }

    #[test]
    fn rejects_float_types_without_float_instructions() {
        let wasm = valid_with("(func (param f64))");
        assert!(check_module(&wasm).iter().any(|v| matches!(
            v,
            Violation::Proposal {
                proposal: Proposal::Floats,
                ..
            }
        )));
    }

    #[test]
    fn rejects_a_start_function() {
        let wasm = valid_with("(func $init) (start $init)");
        assert_eq!(check_module(&wasm), vec![Violation::StartFunction]);
    }

    #[test]
    fn rejects_imports_outside_vm_hooks() {
        let wasm = module(
            r#"(module
                 (import "env" "abort" (func (param i32)))
                 (memory (export "memory") 1)
                 (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(
            check_module(&wasm),
            vec![Violation::ForeignImport {
                module: "env".into(),
                name: "abort".into()
            }]
        );
    }

    #[test]
    fn rejects_simd() {
        let wasm =
            valid_with("(func (result i32) (i32x4.extract_lane 0 (i32x4.splat (i32.const 7))))");
        assert!(check_module(&wasm).iter().any(|v| matches!(
            v,
            Violation::Proposal {
                proposal: Proposal::Simd,
                ..
            }
        )));
    }

    #[test]
    fn rejects_reference_types() {
        let wasm = valid_with("(table 1 externref) (func (drop (ref.null extern)))");
        let found = check_module(&wasm);
        assert!(
            found.iter().any(|v| matches!(
                v,
                Violation::Proposal {
                    proposal: Proposal::ReferenceTypes,
                    ..
                }
            )),
            "{found:?}"
        );
    }

    #[test]
    fn rejects_multi_value() {
        let wasm = valid_with("(func (result i32 i32) (i32.const 1) (i32.const 2))");
        assert!(check_module(&wasm).iter().any(|v| matches!(
            v,
            Violation::Proposal {
                proposal: Proposal::MultiValue,
                ..
            }
        )));
    }

    #[test]
    fn rejects_threads() {
        let wasm = module(
            r#"(module
                 (memory (export "memory") 1 1 shared)
                 (func (export "user_entrypoint") (param i32) (result i32)
                   (i32.atomic.load (i32.const 0))))"#,
        );
        assert!(check_module(&wasm).iter().any(|v| matches!(
            v,
            Violation::Proposal {
                proposal: Proposal::Threads,
                ..
            }
        )));
    }

    #[test]
    fn rejects_unknown_proposals() {
        let wasm = valid_with("(func $f (return_call $f))");
        assert!(matches!(
            check_module(&wasm).as_slice(),
            [Violation::UnsupportedProposal(_)]
        ));
    }

    #[test]
    fn requires_exactly_one_exported_memory() {
        let none = module(
            r#"(module (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(check_module(&none), vec![Violation::MemoryCount(0)]);

        let unexported = module(
            r#"(module (memory 1)
                 (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(
            check_module(&unexported),
            vec![Violation::MemoryNotExported]
        );

        let two = valid_with("(memory 1)");
        assert_eq!(check_module(&two), vec![Violation::MemoryCount(2)]);
    }

    #[test]
    fn limits_the_initial_memory() {
        let wasm = module(
            r#"(module (memory (export "memory") 129)
                 (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        );
        assert_eq!(check_module(&wasm), vec![Violation::InitialMemory(129)]);
    }

    #[test]
    fn requires_the_entrypoint_with_its_type() {
        let missing = module(r#"(module (memory (export "memory") 1) (func (export "main")))"#);
        assert_eq!(check_module(&missing), vec![Violation::MissingEntrypoint]);

        let wrong = module(
            r#"(module (memory (export "memory") 1)
                 (func (export "user_entrypoint") (param i64) (result i32) (i32.const 0)))"#,
        );
        assert!(matches!(
            check_module(&wrong).as_slice(),
            [Violation::EntrypointType(_)]
        ));
    }

    #[test]
    fn reports_garbage_as_malformed() {
        assert!(matches!(
            check_module(b"\0asm\x01\0\0\0\x01").as_slice(),
            [Violation::Malformed(_)]
        ));
    }

    #[test]
    fn size_limits_are_inclusive() {
        assert_eq!(check_sizes(MAX_RAW_BYTES, MAX_COMPRESSED_BYTES), vec![]);
        assert_eq!(
            check_sizes(MAX_RAW_BYTES + 1, MAX_COMPRESSED_BYTES + 1),
            vec![
                Violation::RawTooLarge(MAX_RAW_BYTES + 1),
                Violation::CompressedTooLarge(MAX_COMPRESSED_BYTES + 1)
            ]
        );
    }

    #[test]
    fn compression_round_trips() {
        let wasm = module(VALID);
        let packed = compress(&wasm).unwrap();
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut packed.as_slice(), &mut unpacked).unwrap();
        assert_eq!(unpacked, wasm);
    }
}
