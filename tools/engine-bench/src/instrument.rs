//! A stand-in for the runtime's ink instrumentation, so every engine runs a metered module.
//!
//! `stylus-runtime` keeps its instrumenter private, so this module rewrites a module the same
//! way in shape (not in prices): two mutable globals are appended and exported ([`INK_EXPORT`],
//! i64 ink left; [`STATUS_EXPORT`], i32 set to 1 on exhaustion) and every straight-line
//! segment of every function body is preceded by
//!
//! ```wat
//! global.get $ink  i64.const COST  i64.lt_u
//! if  i32.const 1  global.set $status  unreachable  end
//! global.get $ink  i64.const COST  i64.sub  global.set $ink
//! ```
//!
//! where COST is the number of operators in the segment (the runtime uses a price table and
//! also charges per byte for bulk memory operations; neither changes what the engines see
//! much: the same check on the same boundaries). Segments end after `loop`, `if`, `else`,
//! `end`, branches, `return` and `unreachable`, as in the runtime.

use anyhow::{bail, Context, Result};
use wasm_encoder::reencode::{self, Reencode, RoundtripReencoder};
use wasm_encoder::{BlockType, ConstExpr, ExportKind, Function, GlobalType, Instruction, ValType};
use wasmparser::{Operator, Parser, Payload};

/// Export name of the ink counter (i64).
pub const INK_EXPORT: &str = "bench_ink_left";
/// Export name of the out-of-ink flag (i32).
pub const STATUS_EXPORT: &str = "bench_ink_status";

/// Returns `wasm` rewritten to charge ink per segment.
///
/// # Errors
/// When the module does not parse, or has no global or export section (every Stylus program
/// and every fixture here has both: the stack pointer and `user_entrypoint`).
pub fn instrument(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut globals = 0u32;
    let (mut has_globals, mut has_exports) = (false, false);
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("parsing the module")? {
            Payload::ImportSection(imports) => {
                for import in imports {
                    if matches!(import?.ty, wasmparser::TypeRef::Global(_)) {
                        globals += 1;
                    }
                }
            }
            Payload::GlobalSection(section) => {
                globals += section.count();
                has_globals = true;
            }
            Payload::ExportSection(_) => has_exports = true,
            _ => {}
        }
    }
    if !has_globals || !has_exports {
        bail!("the module needs a global and an export section to be instrumented");
    }
    let mut meter = Meter {
        ink: globals,
        status: globals + 1,
    };
    let mut module = wasm_encoder::Module::new();
    meter
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| anyhow::anyhow!("instrumenting: {e}"))?;
    Ok(module.finish())
}

struct Meter {
    ink: u32,
    status: u32,
}

type ReError = reencode::Error<std::convert::Infallible>;

impl Meter {
    fn charge(&self, f: &mut Function, cost: usize) {
        let cost = i64::try_from(cost).unwrap_or(i64::MAX);
        for ins in [
            Instruction::GlobalGet(self.ink),
            Instruction::I64Const(cost),
            Instruction::I64LtU,
            Instruction::If(BlockType::Empty),
            Instruction::I32Const(1),
            Instruction::GlobalSet(self.status),
            Instruction::Unreachable,
            Instruction::End,
            Instruction::GlobalGet(self.ink),
            Instruction::I64Const(cost),
            Instruction::I64Sub,
            Instruction::GlobalSet(self.ink),
        ] {
            f.instruction(&ins);
        }
    }
}

fn ends_segment(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::Else
            | Operator::End
            | Operator::Br { .. }
            | Operator::BrIf { .. }
            | Operator::BrTable { .. }
            | Operator::Return
            | Operator::Unreachable
    )
}

impl Reencode for Meter {
    type Error = std::convert::Infallible;

    fn parse_global_section(
        &mut self,
        globals: &mut wasm_encoder::GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), ReError> {
        reencode::utils::parse_global_section(self, globals, section)?;
        let mutable = |val_type| GlobalType {
            val_type,
            mutable: true,
            shared: false,
        };
        globals.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
        globals.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), ReError> {
        reencode::utils::parse_export_section(self, exports, section)?;
        exports.export(INK_EXPORT, ExportKind::Global, self.ink);
        exports.export(STATUS_EXPORT, ExportKind::Global, self.status);
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        body: wasmparser::FunctionBody<'_>,
    ) -> Result<(), ReError> {
        let mut locals = Vec::new();
        for pair in body.get_locals_reader()? {
            let (count, ty) = pair?;
            locals.push((count, RoundtripReencoder.val_type(ty)?));
        }
        let mut f = Function::new(locals);
        let mut segment = Vec::new();
        let mut reader = body.get_operators_reader()?;
        while !reader.eof() {
            let op = reader.read()?;
            let ends = ends_segment(&op);
            segment.push(RoundtripReencoder.instruction(op)?);
            if ends {
                self.charge(&mut f, segment.len());
                for ins in segment.drain(..) {
                    f.instruction(&ins);
                }
            }
        }
        // A body always ends with `end`, so nothing is left over; flush defensively.
        if !segment.is_empty() {
            self.charge(&mut f, segment.len());
            for ins in segment.drain(..) {
                f.instruction(&ins);
            }
        }
        code.function(&f);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instrumented_module_validates_and_exports_the_counters() {
        let wasm = wat::parse_str(
            r#"(module (global $sp (mut i32) (i32.const 0)) (memory (export "memory") 1)
                (func (export "f") (param i32) (result i32)
                    (loop $l (br_if $l (i32.eqz (local.get 0)))) (i32.const 0)))"#,
        )
        .expect("fixture parses");
        let metered = instrument(&wasm).expect("instruments");
        assert!(metered.len() > wasm.len());
        wasmparser::Validator::new()
            .validate_all(&metered)
            .expect("metered module validates");
        let exports: Vec<String> = Parser::new(0)
            .parse_all(&metered)
            .filter_map(|p| match p {
                Ok(Payload::ExportSection(s)) => {
                    Some(s.into_iter().map(|e| e.map(|e| e.name.to_string())))
                }
                _ => None,
            })
            .flatten()
            .collect::<Result<_, _>>()
            .expect("exports parse");
        assert_eq!(exports, ["memory", "f", INK_EXPORT, STATUS_EXPORT]);
    }
}
