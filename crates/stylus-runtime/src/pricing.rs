//! Ink prices of WASM operators and hostios, and where they knowingly differ from Nitro.
//!
//! # Operators
//! Per the public table (`opcode-hostio-pricing` in the Arbitrum docs): e.g. `i32.add` 70 ink,
//! `i64.add` 100, multiplications 160, loads 670/680, stores 825/950, `if`/`br`/`br_if` 765,
//! `br_table` 2,400 + 325 per target, `call` 3,800, `call_indirect` 13,610 + 650 per
//! argument, `memory.grow` 8,050, `memory.copy`/`memory.fill` 950 + 100 per byte. Every
//! function body is cut into straight-line segments (a segment ends after each control-flow
//! operator, call, `return` and `unreachable`); the sum of a segment's prices is charged when
//! the segment starts, so a segment that runs out of ink executes none of its operators.
//!
//! # Hostios
//! Every hostio costs [`HOSTIO_INK`] (8,400, the table's base). Hostios that write one fixed
//! value (an address or a word) into the program's memory add [`PTR_INK`] (5,040), giving the
//! table's 13,440 for `msg_sender`, `block_basefee` and friends. Bulk transfers follow the
//! table's `read_args` / `write_result` rows: the host writing `b` bytes into the program
//! costs [`WRITE_BYTE_INK`] (5,040) per byte after the first 32, the host reading `b` bytes
//! of the program costs [`READ_BYTE_INK`] (16,381) per byte after the first 32; these two
//! rates are applied to every bulk transfer (calldata of outgoing calls, init code, log data,
//! return data, account code). `native_keccak256` costs 121,800 + 21,000 per EVM word.
//! EVM-state hostios add the EVM gas the host reports (warm/cold access, SSTORE rules at
//! flush, the callee's gas), converted to ink at the configured price.
//!
//! # Knowing differences from Nitro
//! - Nitro charges a per-block header cost and prices the metering code itself; this runtime
//!   charges only the operators' table prices.
//! - Operators the table does not list are priced here: `memory.init` like `memory.copy`,
//!   `data.drop` 1 ink, `unreachable`/`nop`/`block`/`loop`/`else`/`end`/`return` 1 ink.
//! - The storage cache: a cache hit costs the hostio base plus [`PTR_INK`] and no EVM gas; a
//!   cache write costs the same and the SSTORE gas is charged at flush. Nitro's exact cache
//!   prices are not public.
//! - Math hostios (`math_div`, `math_mod`, `math_add_mod`, `math_mul_mod`) cost the hostio base
//!   plus [`PTR_INK`]; `math_pow` adds the EVM `EXP` price of 50 gas per exponent byte.
//! - Logs cost the EVM's 375 gas + 375 per topic + 8 per data byte, plus the hostio base.
//! - Activation figures (init gas, data fee, native size estimate) come from this crate's own
//!   formulas documented on [`crate::program`]; the memory model is documented on
//!   [`crate::memory`].
//! - Out of ink consumes all gas, and any trap or refused state change is a failure that
//!   consumes all gas, as exceptional halts do in the EVM.

use wasmparser::Operator;

/// Base ink of every hostio (0.84 gas).
pub const HOSTIO_INK: u64 = 8_400;
/// Ink for writing one fixed-size value (address or word) into the program's memory.
pub const PTR_INK: u64 = 5_040;
/// Ink per byte the host writes into the program after the first 32 (`read_args` row).
pub const WRITE_BYTE_INK: u64 = 5_040;
/// Ink per byte the host reads from the program after the first 32 (`write_result` row).
pub const READ_BYTE_INK: u64 = 16_381;
/// Base ink of `native_keccak256`.
pub const KECCAK_INK: u64 = 121_800;
/// Ink per 32-byte word hashed by `native_keccak256`.
pub const KECCAK_WORD_INK: u64 = 21_000;
/// EVM gas of a log, per log.
pub const LOG_GAS: u64 = 375;
/// EVM gas of a log, per topic.
pub const LOG_TOPIC_GAS: u64 = 375;
/// EVM gas of a log, per data byte.
pub const LOG_DATA_GAS: u64 = 8;
/// EVM gas per byte of exponent in `math_pow` (the EVM's `EXP` byte price).
pub const EXP_BYTE_GAS: u64 = 50;
/// EIP-2200 sentry: a storage write needs more than this much gas left.
pub const SSTORE_SENTRY_GAS: u64 = 2_300;
/// Ink per byte of `memory.copy` / `memory.fill` / `memory.init`.
pub const MEMORY_BYTE_INK: u64 = 100;

/// Ink for the host writing `bytes` bytes into the program's memory.
pub fn write_ink(bytes: usize) -> u64 {
    (bytes.saturating_sub(32) as u64).saturating_mul(WRITE_BYTE_INK)
}

/// Ink for the host reading `bytes` bytes of the program's memory.
pub fn read_ink(bytes: usize) -> u64 {
    (bytes.saturating_sub(32) as u64).saturating_mul(READ_BYTE_INK)
}

/// Ink of `native_keccak256` over `bytes` bytes.
pub fn keccak_ink(bytes: usize) -> u64 {
    let words = (bytes as u64).div_ceil(32);
    KECCAK_INK.saturating_add(words.saturating_mul(KECCAK_WORD_INK))
}

/// Whether an operator may appear in a Stylus program, and its static ink price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpPrice {
    /// Allowed, with this static price.
    Static(u64),
    /// Allowed; the static price plus [`MEMORY_BYTE_INK`] per byte (length on top of stack).
    PerByte(u64),
    /// Not allowed: floating point.
    Float,
    /// Not allowed: another proposal Stylus does not enable (name of the proposal).
    Unsupported(&'static str),
}

/// The price of `op`. `call_indirect_params` gives the parameter count of a type index.
pub fn op_price(op: &Operator<'_>, call_indirect_params: impl Fn(u32) -> u64) -> OpPrice {
    use OpPrice::Static as S;
    use Operator as O;
    match op {
        O::Unreachable | O::Nop | O::Block { .. } | O::Loop { .. } | O::Else | O::End => S(1),
        O::Return => S(1),
        O::If { .. } | O::Br { .. } | O::BrIf { .. } => S(765),
        O::BrTable { targets } => {
            S(2_400u64.saturating_add(325u64.saturating_mul(u64::from(targets.len()))))
        }
        O::Call { .. } => S(3_800),
        O::CallIndirect { type_index, .. } => {
            S(13_610u64.saturating_add(650u64.saturating_mul(call_indirect_params(*type_index))))
        }
        O::Drop => S(9),
        O::Select => S(1_250),
        O::LocalGet { .. } | O::LocalTee { .. } => S(75),
        O::LocalSet { .. } => S(210),
        O::GlobalGet { .. } => S(225),
        O::GlobalSet { .. } => S(575),
        O::I32Load { .. }
        | O::I32Load8S { .. }
        | O::I32Load8U { .. }
        | O::I32Load16S { .. }
        | O::I32Load16U { .. } => S(670),
        O::I64Load { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. } => S(680),
        O::I32Store { .. } | O::I32Store8 { .. } | O::I32Store16 { .. } => S(825),
        O::I64Store { .. } | O::I64Store8 { .. } | O::I64Store16 { .. } | O::I64Store32 { .. } => {
            S(950)
        }
        O::MemorySize { .. } => S(3_000),
        O::MemoryGrow { .. } => S(8_050),
        O::I32Const { .. } | O::I64Const { .. } => S(1),
        O::I32Eqz
        | O::I32Eq
        | O::I32Ne
        | O::I32LtS
        | O::I32LtU
        | O::I32GtS
        | O::I32GtU
        | O::I32LeS
        | O::I32LeU
        | O::I32GeS
        | O::I32GeU => S(170),
        O::I64Eqz
        | O::I64Eq
        | O::I64Ne
        | O::I64LtS
        | O::I64LtU
        | O::I64GtS
        | O::I64GtU
        | O::I64LeS
        | O::I64LeU
        | O::I64GeS
        | O::I64GeU => S(225),
        O::I32Clz | O::I32Ctz | O::I64Clz | O::I64Ctz => S(210),
        O::I32Popcnt => S(2_650),
        O::I64Popcnt => S(6_000),
        O::I32Add
        | O::I32Sub
        | O::I32And
        | O::I32Or
        | O::I32Xor
        | O::I32Shl
        | O::I32ShrS
        | O::I32ShrU
        | O::I32Rotl
        | O::I32Rotr => S(70),
        O::I32Mul | O::I64Mul => S(160),
        O::I32DivS | O::I32DivU | O::I32RemS | O::I32RemU => S(1_120),
        O::I64DivS | O::I64DivU | O::I64RemS | O::I64RemU => S(1_270),
        O::I64Add
        | O::I64Sub
        | O::I64And
        | O::I64Or
        | O::I64Xor
        | O::I64Shl
        | O::I64ShrS
        | O::I64ShrU
        | O::I64Rotl
        | O::I64Rotr => S(100),
        O::I32WrapI64
        | O::I64ExtendI32S
        | O::I64ExtendI32U
        | O::I32Extend8S
        | O::I32Extend16S
        | O::I64Extend8S
        | O::I64Extend16S
        | O::I64Extend32S => S(100),
        O::MemoryCopy { .. } | O::MemoryFill { .. } | O::MemoryInit { .. } => OpPrice::PerByte(950),
        O::DataDrop { .. } => S(1),
        other => classify_forbidden(other),
    }
}

/// Names the reason an operator outside the allowed set is refused.
fn classify_forbidden(op: &Operator<'_>) -> OpPrice {
    // Only reached for refused modules, so the Debug rendering's cost does not matter.
    let name = format!("{op:?}");
    let name = name.split([' ', '{', '(']).next().unwrap_or_default();
    if name.contains("F32") || name.contains("F64") {
        OpPrice::Float
    } else if name.starts_with("V128")
        || name.starts_with("I8x16")
        || name.starts_with("I16x8")
        || name.starts_with("I32x4")
        || name.starts_with("I64x2")
    {
        OpPrice::Unsupported("SIMD")
    } else if name.contains("Atomic") {
        OpPrice::Unsupported("threads (atomics)")
    } else if name.starts_with("Ref") || name.starts_with("Table") || name == "TypedSelect" {
        OpPrice::Unsupported("reference types")
    } else if name.starts_with("ReturnCall") {
        OpPrice::Unsupported("tail calls")
    } else if matches!(
        name,
        "Try" | "Catch" | "Throw" | "Rethrow" | "Delegate" | "CatchAll"
    ) || name.starts_with("Try")
        || name.starts_with("Throw")
    {
        OpPrice::Unsupported("exception handling")
    } else {
        OpPrice::Unsupported("an operator outside the Stylus instruction set")
    }
}
