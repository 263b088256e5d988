//! Ink metering by instrumentation: rewrites a validated module so it charges its own ink.
//!
//! Two mutable globals are appended and exported: [`INK_GLOBAL_EXPORT`] (i64, ink left) and
//! [`STATUS_GLOBAL_EXPORT`] (i32, set to 1 when the program ran out of ink). Every function
//! body is cut into straight-line segments (see [`crate::pricing`]); each segment starts with
//!
//! ```wat
//! global.get $ink  i64.const COST  i64.lt_u
//! if  i32.const 1  global.set $status  unreachable  end
//! global.get $ink  i64.const COST  i64.sub  global.set $ink
//! ```
//!
//! and `memory.copy` / `memory.fill` / `memory.init` additionally charge per byte from their
//! length operand (through one scratch local added to the function). The memory's maximum is
//! clamped to [`crate::Config::max_pages`]. Custom sections are dropped.

use crate::pricing::{op_price, OpPrice, MEMORY_BYTE_INK};
use crate::validate::{ModuleFacts, INK_GLOBAL_EXPORT, STATUS_GLOBAL_EXPORT};
use wasm_encoder::reencode::{self, Reencode, RoundtripReencoder};
use wasm_encoder::{
    BlockType, ConstExpr, ExportKind, Function, GlobalType, Instruction, SectionId, ValType,
};
use wasmparser::Operator;

struct Instrumenter<'f> {
    facts: &'f ModuleFacts,
    max_pages: u16,
    ink: u32,
    status: u32,
    globals_done: bool,
    body_index: u32,
}

/// Rewrites `wasm` (already validated, with `facts`) into its metered form.
pub(crate) fn instrument(
    wasm: &[u8],
    facts: &ModuleFacts,
    max_pages: u16,
) -> Result<Vec<u8>, String> {
    let mut inst = Instrumenter {
        facts,
        max_pages,
        ink: facts.globals,
        status: facts.globals + 1,
        globals_done: false,
        body_index: 0,
    };
    let mut module = wasm_encoder::Module::new();
    inst.parse_core_module(&mut module, wasmparser::Parser::new(0), wasm)
        .map_err(|e| e.to_string())?;
    Ok(module.finish())
}

impl Instrumenter<'_> {
    fn add_globals(&mut self, globals: &mut wasm_encoder::GlobalSection) {
        let mutable = |val_type| GlobalType {
            val_type,
            mutable: true,
            shared: false,
        };
        globals.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
        globals.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
        self.globals_done = true;
    }

    fn charge(&self, out: &mut Vec<Instruction<'_>>, cost: u64) {
        // Segment costs are bounded far below i64::MAX by the op-count limit.
        let cost = i64::try_from(cost).unwrap_or(i64::MAX);
        out.extend([
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
        ]);
    }

    fn charge_per_byte(&self, out: &mut Vec<Instruction<'_>>, scratch: u32) {
        let per_byte = i64::try_from(MEMORY_BYTE_INK).unwrap_or(i64::MAX);
        let cost = [
            Instruction::LocalGet(scratch),
            Instruction::I64ExtendI32U,
            Instruction::I64Const(per_byte),
            Instruction::I64Mul,
        ];
        out.push(Instruction::LocalTee(scratch));
        out.push(Instruction::GlobalGet(self.ink));
        out.extend(cost.iter().cloned());
        out.extend([
            Instruction::I64LtU,
            Instruction::If(BlockType::Empty),
            Instruction::I32Const(1),
            Instruction::GlobalSet(self.status),
            Instruction::Unreachable,
            Instruction::End,
            Instruction::GlobalGet(self.ink),
        ]);
        out.extend(cost.iter().cloned());
        out.extend([Instruction::I64Sub, Instruction::GlobalSet(self.ink)]);
    }
}

/// Whether a segment ends after `op` (control flow that jumps or is jumped to).
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

type ReError = reencode::Error<std::convert::Infallible>;

impl Reencode for Instrumenter<'_> {
    type Error = std::convert::Infallible;

    fn parse_custom_section(
        &mut self,
        _module: &mut wasm_encoder::Module,
        _section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), ReError> {
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), ReError> {
        let past_globals = match before {
            None => true,
            Some(id) => matches!(
                id,
                SectionId::Export
                    | SectionId::Start
                    | SectionId::Element
                    | SectionId::DataCount
                    | SectionId::Code
                    | SectionId::Data
            ),
        };
        if past_globals && !self.globals_done {
            let mut globals = wasm_encoder::GlobalSection::new();
            self.add_globals(&mut globals);
            module.section(&globals);
        }
        Ok(())
    }

    fn parse_global_section(
        &mut self,
        globals: &mut wasm_encoder::GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), ReError> {
        reencode::utils::parse_global_section(self, globals, section)?;
        self.add_globals(globals);
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), ReError> {
        reencode::utils::parse_export_section(self, exports, section)?;
        exports.export(INK_GLOBAL_EXPORT, ExportKind::Global, self.ink);
        exports.export(STATUS_GLOBAL_EXPORT, ExportKind::Global, self.status);
        Ok(())
    }

    fn memory_type(
        &mut self,
        memory_ty: wasmparser::MemoryType,
    ) -> Result<wasm_encoder::MemoryType, ReError> {
        let mut ty = reencode::utils::memory_type(self, memory_ty);
        let limit = u64::from(self.max_pages);
        ty.maximum = Some(ty.maximum.map_or(limit, |m| m.min(limit)));
        Ok(ty)
    }

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), ReError> {
        let func_index = self.facts.imported_funcs + self.body_index;
        self.body_index += 1;
        let params = self
            .facts
            .func_types
            .get(func_index as usize)
            .and_then(|t| self.facts.type_params.get(*t as usize))
            .copied()
            .unwrap_or(0);
        let mut locals = Vec::new();
        let mut local_count = params;
        for pair in func.get_locals_reader()? {
            let (count, ty) = pair?;
            local_count += u64::from(count);
            locals.push((count, RoundtripReencoder.val_type(ty)?));
        }
        let mut ops = Vec::new();
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            ops.push(reader.read()?);
        }
        let type_params = |t: u32| self.facts.type_params.get(t as usize).copied().unwrap_or(0);
        let needs_scratch = ops
            .iter()
            .any(|op| matches!(op_price(op, type_params), OpPrice::PerByte(_)));
        // The validator bounds locals far below u32::MAX.
        let scratch = u32::try_from(local_count).unwrap_or(u32::MAX);
        if needs_scratch {
            locals.push((1, ValType::I32));
        }

        let mut f = Function::new(locals);
        let mut segment: Vec<Instruction<'_>> = Vec::new();
        let mut cost = 0u64;
        let mut out: Vec<Instruction<'_>> = Vec::with_capacity(ops.len() * 2);
        for op in ops {
            match op_price(&op, type_params) {
                OpPrice::Static(c) => cost = cost.saturating_add(c),
                OpPrice::PerByte(c) => {
                    cost = cost.saturating_add(c);
                    self.charge_per_byte(&mut segment, scratch);
                }
                // Validation refused these before instrumentation runs.
                OpPrice::Float | OpPrice::Unsupported(_) => {}
            }
            let ends = ends_segment(&op);
            segment.push(RoundtripReencoder.instruction(op)?);
            if ends {
                if cost > 0 {
                    self.charge(&mut out, cost);
                }
                out.append(&mut segment);
                cost = 0;
            }
        }
        if cost > 0 {
            self.charge(&mut out, cost);
        }
        out.append(&mut segment);
        for ins in &out {
            f.instruction(ins);
        }
        code.function(&f);
        Ok(())
    }
}
