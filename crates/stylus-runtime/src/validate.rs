//! Module validation: refuses what Arbitrum refuses, with typed reasons.
//!
//! One pass over the module checks the Stylus rules (sizes, counts, imports, exports, memory,
//! start function, floats and other disabled proposals, per-operator prices); then wasmparser's
//! validator, restricted to the proposals Stylus enables (MVP integer instructions, mutable
//! globals, sign extension, bulk memory), checks well-formedness and typing.

use crate::config::Config;
use crate::imports;
use crate::pricing::{op_price, OpPrice};
use crate::program::ValidationError;
use wasmparser::{
    BlockType, CompositeInnerType, ExternalKind, FuncType, Operator, Parser, Payload, TypeRef,
    ValType, Validator, WasmFeatures,
};

/// Names the runtime adds to every instrumented module; a program may not export them.
pub const INK_GLOBAL_EXPORT: &str = "stylus_ink_left";
/// Export name of the instrumentation's out-of-ink flag.
pub const STATUS_GLOBAL_EXPORT: &str = "stylus_ink_status";

/// What validation learned about a module (used by the instrumentation and activation).
#[derive(Debug, Clone, Default)]
pub(crate) struct ModuleFacts {
    /// Parameter count of each type index (prices `call_indirect`).
    pub type_params: Vec<u64>,
    /// Initial memory pages.
    pub footprint_pages: u16,
    /// Imported functions.
    pub imported_funcs: u32,
    /// Functions defined in the module.
    pub defined_funcs: u32,
    /// Globals defined in the module (no globals can be imported).
    pub globals: u32,
    /// Type index of every function (imports first).
    pub func_types: Vec<u32>,
    /// Operators over all function bodies.
    pub total_ops: u64,
}

/// The proposals Stylus enables.
pub(crate) fn stylus_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::GC_TYPES
}

fn invalid(e: impl std::fmt::Display) -> ValidationError {
    ValidationError::Invalid(e.to_string())
}

fn check_val_type(ty: ValType, what: &str) -> Result<(), ValidationError> {
    match ty {
        ValType::I32 | ValType::I64 => Ok(()),
        ValType::F32 | ValType::F64 => Err(ValidationError::Float(what.to_string())),
        ValType::V128 => Err(ValidationError::UnsupportedFeature(format!(
            "SIMD ({what})"
        ))),
        ValType::Ref(_) => Err(ValidationError::UnsupportedFeature(format!(
            "reference types ({what})"
        ))),
    }
}

fn sig_matches(ty: &FuncType, params: &str, results: &str) -> bool {
    fn one(v: &ValType, c: u8) -> bool {
        matches!((v, c), (ValType::I32, b'i') | (ValType::I64, b'I'))
    }
    ty.params().len() == params.len()
        && ty.results().len() == results.len()
        && ty
            .params()
            .iter()
            .zip(params.bytes())
            .all(|(v, c)| one(v, c))
        && ty
            .results()
            .iter()
            .zip(results.bytes())
            .all(|(v, c)| one(v, c))
}

/// Checks `wasm` against the Stylus rules and returns what it learned.
pub(crate) fn validate(wasm: &[u8], config: &Config) -> Result<ModuleFacts, ValidationError> {
    if wasm.len() > config.max_wasm_size {
        return Err(ValidationError::TooLarge {
            size: wasm.len(),
            limit: config.max_wasm_size,
        });
    }
    let mut facts = ModuleFacts::default();
    let mut types: Vec<FuncType> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut memories = 0u32;
    let mut saw_memory_export = false;
    let mut saw_entrypoint = false;
    let mut entrypoint_func = None;
    let mut body_index = 0u32;

    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                return Err(invalid("not a core WASM module"));
            }
            Payload::TypeSection(reader) => {
                for group in reader {
                    let group = group.map_err(invalid)?;
                    if group.is_explicit_rec_group() {
                        return Err(ValidationError::UnsupportedFeature("GC".into()));
                    }
                    for sub in group.into_types() {
                        let CompositeInnerType::Func(ty) = &sub.composite_type.inner else {
                            return Err(ValidationError::UnsupportedFeature("GC".into()));
                        };
                        for p in ty.params().iter().chain(ty.results()) {
                            check_val_type(*p, "function type")?;
                        }
                        if ty.results().len() > 1 {
                            return Err(ValidationError::UnsupportedFeature(
                                "multi-value (a function type returns several values)".into(),
                            ));
                        }
                        facts.type_params.push(ty.params().len() as u64);
                        types.push(ty.clone());
                    }
                }
            }
            Payload::ImportSection(reader) => {
                if reader.count() > config.max_imports {
                    return Err(ValidationError::TooManyImports {
                        count: reader.count(),
                        limit: config.max_imports,
                    });
                }
                for import in reader {
                    let import = import.map_err(invalid)?;
                    let (module, name) = (import.module.to_string(), import.name.to_string());
                    let TypeRef::Func(type_index) = import.ty else {
                        return Err(ValidationError::NonFunctionImport { module, name });
                    };
                    let Some((params, results)) =
                        imports::signature(import.module, import.name, config.debug)
                    else {
                        return Err(ValidationError::UnknownImport { module, name });
                    };
                    let ty = types
                        .get(type_index as usize)
                        .ok_or_else(|| invalid("import refers to an unknown type"))?;
                    if !sig_matches(ty, params, results) {
                        return Err(ValidationError::ImportSignature { module, name });
                    }
                    func_types.push(type_index);
                    facts.imported_funcs += 1;
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(invalid)?);
                    facts.defined_funcs += 1;
                }
                let count = facts.imported_funcs.saturating_add(facts.defined_funcs);
                if count > config.max_functions {
                    return Err(ValidationError::TooManyFunctions {
                        count,
                        limit: config.max_functions,
                    });
                }
            }
            Payload::TableSection(reader) => {
                if reader.count() > 1 {
                    return Err(ValidationError::UnsupportedFeature(
                        "reference types (several tables)".into(),
                    ));
                }
                for table in reader {
                    let table = table.map_err(invalid)?;
                    if !table.ty.element_type.is_func_ref() || table.ty.table64 {
                        return Err(ValidationError::UnsupportedFeature(
                            "reference types (a table of something other than funcref)".into(),
                        ));
                    }
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(invalid)?;
                    memories += 1;
                    if memory.memory64 || memory.shared {
                        return Err(ValidationError::UnsupportedFeature(
                            "64-bit or shared memory".into(),
                        ));
                    }
                    if memory.initial > u64::from(config.max_pages) {
                        return Err(ValidationError::TooManyPages {
                            pages: memory.initial,
                            limit: config.max_pages,
                        });
                    }
                    // Checked just above against a u16 limit.
                    facts.footprint_pages = u16::try_from(memory.initial).unwrap_or(u16::MAX);
                }
            }
            Payload::TagSection(_) => {
                return Err(ValidationError::UnsupportedFeature(
                    "exception handling".into(),
                ));
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(invalid)?;
                    check_val_type(global.ty.content_type, "global")?;
                    facts.globals += 1;
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(invalid)?;
                    match export.name {
                        INK_GLOBAL_EXPORT | STATUS_GLOBAL_EXPORT => {
                            return Err(ValidationError::ReservedExport(export.name.to_string()));
                        }
                        "memory" => {
                            if export.kind != ExternalKind::Memory {
                                return Err(ValidationError::MissingExport("memory"));
                            }
                            saw_memory_export = true;
                        }
                        "user_entrypoint" => {
                            if export.kind != ExternalKind::Func {
                                return Err(ValidationError::MissingExport("user_entrypoint"));
                            }
                            saw_entrypoint = true;
                            entrypoint_func = Some(export.index);
                        }
                        _ => {}
                    }
                }
            }
            Payload::StartSection { .. } => return Err(ValidationError::StartFunction),
            Payload::CodeSectionEntry(body) => {
                let index = facts.imported_funcs.saturating_add(body_index);
                body_index += 1;
                for local in body.get_locals_reader().map_err(invalid)? {
                    let (_, ty) = local.map_err(invalid)?;
                    check_val_type(ty, "local")?;
                }
                let mut ops = 0u32;
                let mut reader = body.get_operators_reader().map_err(invalid)?;
                while !reader.eof() {
                    let op = reader.read().map_err(invalid)?;
                    ops = ops.saturating_add(1);
                    check_operator(&op, &facts.type_params)?;
                }
                if ops > config.max_function_ops {
                    return Err(ValidationError::FunctionTooLong {
                        index,
                        ops,
                        limit: config.max_function_ops,
                    });
                }
                facts.total_ops = facts.total_ops.saturating_add(u64::from(ops));
            }
            _ => {}
        }
    }

    if memories != 1 {
        return Err(ValidationError::MemoryCount(memories));
    }
    if !saw_memory_export {
        return Err(ValidationError::MissingExport("memory"));
    }
    if !saw_entrypoint {
        return Err(ValidationError::MissingExport("user_entrypoint"));
    }
    let entry_ok = entrypoint_func
        .and_then(|f| func_types.get(f as usize))
        .and_then(|t| types.get(*t as usize))
        .is_some_and(|ty| sig_matches(ty, "i", "i"));
    if !entry_ok {
        return Err(ValidationError::MissingExport("user_entrypoint"));
    }

    Validator::new_with_features(stylus_features())
        .validate_all(wasm)
        .map_err(invalid)?;
    facts.func_types = func_types;
    Ok(facts)
}

fn check_operator(op: &Operator<'_>, type_params: &[u64]) -> Result<(), ValidationError> {
    if let Operator::Block { blockty } | Operator::Loop { blockty } | Operator::If { blockty } = op
    {
        match blockty {
            BlockType::Empty => {}
            BlockType::Type(ty) => check_val_type(*ty, "block type")?,
            BlockType::FuncType(_) => {
                return Err(ValidationError::UnsupportedFeature(
                    "multi-value (a block with a function type)".into(),
                ));
            }
        }
    }
    let params = |t: u32| type_params.get(t as usize).copied().unwrap_or(0);
    match op_price(op, params) {
        OpPrice::Static(_) | OpPrice::PerByte(_) => Ok(()),
        OpPrice::Float => Err(ValidationError::Float(format!("{op:?}"))),
        OpPrice::Unsupported(what) => Err(ValidationError::UnsupportedFeature(format!(
            "{what}: {op:?}"
        ))),
    }
}
