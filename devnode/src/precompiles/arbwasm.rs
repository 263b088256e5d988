//! ArbWasm (`0x..71`): activation of Stylus programs and the Stylus parameters.
//!
//! Activation records live in ArbWasm's own storage, one slot per code hash (see
//! [`Record`]), so they are journaled like any storage write: an activation inside a reverted
//! call is undone, and records are saved with the state.
//!
//! Where this differs from Nitro (documented, deliberate):
//! - activation charges [`ACTIVATION_BASE_GAS`] + [`ACTIVATION_GAS_PER_BYTE`] per byte of
//!   uncompressed WASM (Nitro charges by its compiler's measurements);
//! - a module the runtime refuses reverts with `Error(string)` naming the rule it broke (Nitro
//!   fails the call without a reason), so clients can show why;
//! - programs are never evicted from a cache; `codehashKeepalive` only resets the age.

use super::{finish, Answer, ARB_WASM};
use crate::evm::DevContext;
use crate::stylus::StylusState;
use alloy::sol;
use alloy::sol_types::{SolCall, SolError, SolEvent, SolInterface};
use revm::context_interface::JournalTr;
use revm::interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use revm::primitives::{Address, Bytes, Log, B256, U256};
use stylus_runtime::memory::MemoryModel;
use stylus_runtime::{code, Program, STYLUS_VERSION};

/// Fixed gas of an activation (validation, instrumentation, compilation).
pub const ACTIVATION_BASE_GAS: u64 = 1_000_000;
/// Gas per byte of uncompressed WASM charged by an activation.
pub const ACTIVATION_GAS_PER_BYTE: u64 = 16;
/// Gas of a read-only ArbWasm call (plus a cold account access when it looks up a program).
const VIEW_GAS: u64 = 800;
/// Days after which an activation expires (ArbOS default).
pub const EXPIRY_DAYS: u16 = 365;
/// Days an activation must age before `codehashKeepalive` may renew it (ArbOS default).
pub const KEEPALIVE_DAYS: u16 = 31;
/// Seconds in a day.
const DAY: u64 = 86_400;

sol! {
    /// The ArbWasm interface (methods, events and errors as published by Arbitrum).
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashKeepalive(bytes32 codehash) external payable;
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function programTimeLeft(address program) external view returns (uint64 secs);
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageRamp() external view returns (uint64 ramp);
        function pageLimit() external view returns (uint16 limit);
        function minInitGas() external view returns (uint64 gas, uint64 cached);
        function initCostScalar() external view returns (uint64 percent);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
        function blockCacheSize() external view returns (uint16 count);

        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        event ProgramLifetimeExtended(bytes32 indexed codehash, uint256 dataFee);

        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }
}

/// An activation record: what ArbWasm stores per code hash, packed into one storage word
/// (bits, low to high: version 16, footprint 16, init gas 64, cached init gas 64, asm size 32,
/// activation timestamp 64). A zero word means "not activated" (versions start at 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Stylus version the program was activated under.
    pub version: u16,
    /// Initial memory pages.
    pub footprint: u16,
    /// Gas to enter the program when not recently used.
    pub init_gas: u64,
    /// Gas to enter the program again within one transaction.
    pub cached_init_gas: u64,
    /// Estimated native code size.
    pub asm_size: u32,
    /// Block timestamp of the activation (or of the last keepalive).
    pub activated_at: u64,
}

impl Record {
    /// Packs the record into a storage word.
    pub fn pack(&self) -> U256 {
        U256::from(self.version)
            | (U256::from(self.footprint) << 16)
            | (U256::from(self.init_gas) << 32)
            | (U256::from(self.cached_init_gas) << 96)
            | (U256::from(self.asm_size) << 160)
            | (U256::from(self.activated_at) << 192)
    }

    /// Unpacks a storage word; `None` for zero (not activated).
    pub fn unpack(word: U256) -> Option<Self> {
        if word.is_zero() {
            return None;
        }
        let field = |shift: usize, bits: usize| -> u64 {
            let mask = (U256::from(1u8) << bits) - U256::from(1u8);
            // SAFETY of the conversion: masked to at most 64 bits.
            ((word >> shift) & mask).to::<u64>()
        };
        Some(Self {
            version: field(0, 16) as u16,
            footprint: field(16, 16) as u16,
            init_gas: field(32, 64),
            cached_init_gas: field(96, 64),
            asm_size: field(160, 32) as u32,
            activated_at: field(192, 64),
        })
    }
}

fn slot(codehash: B256) -> U256 {
    U256::from_be_bytes(codehash.0)
}

fn now(ctx: &DevContext) -> u64 {
    ctx.block.timestamp.saturating_to::<u64>()
}

/// Reads the activation record of `codehash` through the journal.
pub fn load_record(ctx: &mut DevContext, codehash: B256) -> Option<Record> {
    let journal = &mut ctx.journaled_state;
    let Ok(_) = journal.load_account(ARB_WASM);
    let Ok(word) = journal.sload(ARB_WASM, slot(codehash));
    Record::unpack(word.data)
}

fn store_record(ctx: &mut DevContext, codehash: B256, record: &Record) {
    let journal = &mut ctx.journaled_state;
    let Ok(_) = journal.load_account(ARB_WASM);
    let Ok(_) = journal.sstore(ARB_WASM, slot(codehash), record.pack());
}

/// The record of an active program, or the ABI-encoded error a call to it fails with
/// (`ProgramNotActivated`, `ProgramNeedsUpgrade`, `ProgramExpired`).
pub fn active_record(ctx: &mut DevContext, codehash: B256) -> Result<Record, Vec<u8>> {
    let Some(record) = load_record(ctx, codehash) else {
        return Err(IArbWasm::ProgramNotActivated {}.abi_encode());
    };
    if record.version != STYLUS_VERSION {
        return Err(IArbWasm::ProgramNeedsUpgrade {
            version: record.version,
            stylusVersion: STYLUS_VERSION,
        }
        .abi_encode());
    }
    let age = now(ctx).saturating_sub(record.activated_at);
    if age > u64::from(EXPIRY_DAYS) * DAY {
        return Err(IArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode());
    }
    Ok(record)
}

/// The code hash of a Stylus program at `program`, or `ProgramNotWasm`.
fn program_codehash(ctx: &mut DevContext, program: Address) -> Result<(B256, Bytes), Vec<u8>> {
    let Ok(account) = ctx.journaled_state.load_account_with_code(program);
    let info = &account.data.info;
    let code = info
        .code
        .as_ref()
        .map(|c| c.original_bytes())
        .unwrap_or_default();
    if !code::is_stylus(&code) {
        return Err(IArbWasm::ProgramNotWasm {}.abi_encode());
    }
    Ok((info.code_hash, code))
}

fn revert_reason(reason: String) -> Vec<u8> {
    alloy::sol_types::Revert { reason }.abi_encode()
}

/// Runs one ArbWasm call.
///
/// # Errors
/// Never in practice (the database is infallible); the `String` is revm's fatal-error channel.
pub fn run(
    stylus: &mut StylusState,
    ctx: &mut DevContext,
    inputs: &CallInputs,
) -> Result<InterpreterResult, String> {
    use IArbWasm::IArbWasmCalls as C;
    let input = inputs.input.bytes(ctx);
    let gas_limit = inputs.gas_limit;
    let call = match C::abi_decode(&input) {
        Ok(call) => call,
        Err(_) => return Ok(finish(Answer::Revert(Vec::new()), VIEW_GAS, gas_limit)),
    };
    let memory = MemoryModel::default();
    let (answer, cost) = match call {
        C::activateProgram(c) => {
            if inputs.is_static {
                let mut gas = Gas::new(gas_limit);
                gas.spend_all();
                return Ok(InterpreterResult::new(
                    InstructionResult::StateChangeDuringStaticCall,
                    Bytes::new(),
                    gas,
                ));
            }
            let value = inputs.value.get();
            activate(stylus, ctx, c.program, inputs.caller, value)
        }
        C::stylusVersion(_) => (Answer::Ok(ok_one(STYLUS_VERSION)), VIEW_GAS),
        C::codehashVersion(c) => (
            match active_record(ctx, c.codehash) {
                Ok(r) => Answer::Ok(ok_one(r.version)),
                Err(e) => Answer::Revert(e),
            },
            VIEW_GAS,
        ),
        C::codehashAsmSize(c) => (
            match active_record(ctx, c.codehash) {
                Ok(r) => Answer::Ok(ok_one(r.asm_size)),
                Err(e) => Answer::Revert(e),
            },
            VIEW_GAS,
        ),
        C::codehashKeepalive(c) => {
            if inputs.is_static {
                (Answer::Revert(Vec::new()), VIEW_GAS)
            } else {
                (
                    keepalive(ctx, c.codehash, inputs.caller, inputs.value.get()),
                    VIEW_GAS,
                )
            }
        }
        C::programVersion(c) => (
            with_program(ctx, c.program, |r, _| ok_one(r.version)),
            VIEW_GAS + 2_600,
        ),
        C::programInitGas(c) => (
            with_program(ctx, c.program, |r, _| {
                IArbWasm::programInitGasCall::abi_encode_returns_tuple(&(
                    r.init_gas,
                    r.cached_init_gas,
                ))
            }),
            VIEW_GAS + 2_600,
        ),
        C::programMemoryFootprint(c) => (
            with_program(ctx, c.program, |r, _| ok_one(r.footprint)),
            VIEW_GAS + 2_600,
        ),
        C::programTimeLeft(c) => (
            with_program(ctx, c.program, |r, now| {
                let expiry = r.activated_at.saturating_add(u64::from(EXPIRY_DAYS) * DAY);
                ok_one(expiry.saturating_sub(now))
            }),
            VIEW_GAS + 2_600,
        ),
        C::inkPrice(_) => (Answer::Ok(ok_one(stylus.config.ink_price)), VIEW_GAS),
        C::maxStackDepth(_) => (
            Answer::Ok(ok_one(
                u32::try_from(stylus.config.max_recursion_depth).unwrap_or(u32::MAX),
            )),
            VIEW_GAS,
        ),
        C::freePages(_) => (Answer::Ok(ok_one(memory.free_pages)), VIEW_GAS),
        C::pageGas(_) => (Answer::Ok(ok_one(memory.page_gas)), VIEW_GAS),
        C::pageRamp(_) => (Answer::Ok(ok_one(u64::from(memory.ramp_pages))), VIEW_GAS),
        C::pageLimit(_) => (Answer::Ok(ok_one(stylus.config.max_pages)), VIEW_GAS),
        C::minInitGas(_) => (
            Answer::Ok(IArbWasm::minInitGasCall::abi_encode_returns_tuple(&(
                0u64, 0u64,
            ))),
            VIEW_GAS,
        ),
        C::initCostScalar(_) => (Answer::Ok(ok_one(100u64)), VIEW_GAS),
        C::expiryDays(_) => (Answer::Ok(ok_one(EXPIRY_DAYS)), VIEW_GAS),
        C::keepaliveDays(_) => (Answer::Ok(ok_one(KEEPALIVE_DAYS)), VIEW_GAS),
        C::blockCacheSize(_) => (Answer::Ok(ok_one(0u16)), VIEW_GAS),
    };
    Ok(finish(answer, cost, gas_limit))
}

fn ok_one<T: alloy::sol_types::SolValue>(value: T) -> Vec<u8> {
    value.abi_encode()
}

fn with_program(
    ctx: &mut DevContext,
    program: Address,
    f: impl FnOnce(&Record, u64) -> Vec<u8>,
) -> Answer {
    let codehash = match program_codehash(ctx, program) {
        Ok((h, _)) => h,
        Err(e) => return Answer::Revert(e),
    };
    match active_record(ctx, codehash) {
        Ok(r) => Answer::Ok(f(&r, now(ctx))),
        Err(e) => Answer::Revert(e),
    }
}

fn keepalive(ctx: &mut DevContext, codehash: B256, caller: Address, value: U256) -> Answer {
    let mut record = match active_record(ctx, codehash) {
        Ok(r) => r,
        Err(e) => return Answer::Revert(e),
    };
    let age = now(ctx).saturating_sub(record.activated_at);
    if age < u64::from(KEEPALIVE_DAYS) * DAY {
        return Answer::Revert(
            IArbWasm::ProgramKeepaliveTooSoon { ageInSeconds: age }.abi_encode(),
        );
    }
    record.activated_at = now(ctx);
    store_record(ctx, codehash, &record);
    // No data fee for a keepalive here: everything sent comes back.
    if !value.is_zero() {
        let Ok(_) = ctx.journaled_state.transfer(ARB_WASM, caller, value);
    }
    let event = IArbWasm::ProgramLifetimeExtended {
        codehash,
        dataFee: U256::ZERO,
    };
    ctx.journaled_state.log(Log {
        address: ARB_WASM,
        data: event.encode_log_data(),
    });
    Answer::Ok(Vec::new())
}

fn activate(
    stylus: &mut StylusState,
    ctx: &mut DevContext,
    program: Address,
    caller: Address,
    value: U256,
) -> (Answer, u64) {
    let base = ACTIVATION_BASE_GAS + 2_600;
    let (codehash, code) = match program_codehash(ctx, program) {
        Ok(x) => x,
        Err(e) => return (Answer::Revert(e), base),
    };
    if let Some(r) = load_record(ctx, codehash) {
        let age = now(ctx).saturating_sub(r.activated_at);
        if r.version == STYLUS_VERSION && age <= u64::from(EXPIRY_DAYS) * DAY {
            return (
                Answer::Revert(IArbWasm::ProgramUpToDate {}.abi_encode()),
                base,
            );
        }
    }
    let wasm = match code::decode_with_limits(
        &code,
        stylus.config.max_code_size,
        stylus.config.max_wasm_size,
    ) {
        Ok(w) => w,
        Err(e) => {
            return (
                Answer::Revert(revert_reason(format!("activation failed: {e}"))),
                base,
            )
        }
    };
    let cost = base.saturating_add(ACTIVATION_GAS_PER_BYTE.saturating_mul(wasm.len() as u64));
    let (compiled, info) = match Program::activate(&wasm, &stylus.config) {
        Ok(x) => x,
        Err(e) => {
            return (
                Answer::Revert(revert_reason(format!("activation failed: {e}"))),
                cost,
            )
        }
    };
    if value < info.data_fee {
        return (
            Answer::Revert(
                IArbWasm::ProgramInsufficientValue {
                    have: value,
                    want: info.data_fee,
                }
                .abi_encode(),
            ),
            cost,
        );
    }
    let record = Record {
        version: info.version,
        footprint: info.footprint_pages,
        init_gas: info.init_gas,
        cached_init_gas: info.cached_init_gas,
        asm_size: info.asm_estimate,
        activated_at: now(ctx),
    };
    store_record(ctx, codehash, &record);
    stylus.programs.insert(codehash, compiled);
    // The data fee stays with ArbWasm (burnt, in effect); the excess goes back.
    let excess = value - info.data_fee;
    if !excess.is_zero() {
        let Ok(_) = ctx.journaled_state.transfer(ARB_WASM, caller, excess);
    }
    let event = IArbWasm::ProgramActivated {
        codehash,
        moduleHash: info.module_hash,
        program,
        dataFee: info.data_fee,
        version: info.version,
    };
    ctx.journaled_state.log(Log {
        address: ARB_WASM,
        data: event.encode_log_data(),
    });
    let out =
        IArbWasm::activateProgramCall::abi_encode_returns_tuple(&(info.version, info.data_fee));
    (Answer::Ok(out), cost)
}
