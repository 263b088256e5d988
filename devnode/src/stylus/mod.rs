//! Stylus frames: running a program when the callee's code is `EF F0 00 ..`.
//!
//! [`run_frame`] checks the activation record (ArbWasm storage), charges the init gas, runs
//! the program with [`stylus_runtime::execute`] and turns the outcome into revm's
//! [`InterpreterResult`]. The program reaches the chain through [`host::FrameHost`], which
//! implements [`stylus_runtime::EvmApi`] over revm's journal and frame loop.
//!
//! Init gas: the first entry of a program in a transaction pays `init_gas`, later entries
//! in the same transaction pay `cached_init_gas` (Nitro's cache is chain-wide and
//! non-deterministic from a dev node's point of view; per-transaction is deterministic).

pub mod host;

use crate::evm::{DevEvm, FrameError};
use crate::precompiles::arbwasm;
use revm::context_interface::Transaction;
use revm::interpreter::{FrameInput, Gas, InstructionResult, InterpreterAction, InterpreterResult};
use revm::primitives::{keccak256, Bytes, B256, U256};
use std::collections::HashMap;
use stylus_runtime::{code, CallContext, Config, Program, Status};

/// Red zone kept free on the native stack before entering a program; nested Stylus frames
/// recurse on the Rust stack, so each entry makes sure this much is available.
const STACK_RED_ZONE: usize = 512 * 1024;
/// Size of each extra stack segment allocated when the red zone is reached.
const STACK_SEGMENT: usize = 8 * 1024 * 1024;

/// Stylus configuration and the cache of compiled programs (by code hash). The cache is not
/// state: a program missing from it (e.g. after loading a state file) is compiled again on
/// first use from its on-chain code.
#[derive(Debug, Default)]
pub struct StylusState {
    /// Prices and limits.
    pub config: Config,
    /// Compiled programs by code hash.
    pub programs: HashMap<B256, Program>,
}

impl StylusState {
    /// A state with `config` and no compiled programs.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            programs: HashMap::new(),
        }
    }

    /// The compiled program for `code`, compiling (and caching) it if needed.
    ///
    /// # Errors
    /// A message when the code no longer validates (only possible if the runtime's rules
    /// changed after activation).
    fn program(&mut self, codehash: B256, code_bytes: &[u8]) -> Result<Program, String> {
        if let Some(p) = self.programs.get(&codehash) {
            return Ok(p.clone());
        }
        let wasm = code::decode_with_limits(
            code_bytes,
            self.config.max_code_size,
            self.config.max_wasm_size,
        )
        .map_err(|e| e.to_string())?;
        let (program, _) = Program::activate(&wasm, &self.config).map_err(|e| e.to_string())?;
        self.programs.insert(codehash, program.clone());
        Ok(program)
    }
}

/// True when `code` is a Stylus program the runtime can run (`EF F0 00`).
pub fn is_program(code: &[u8]) -> bool {
    code::is_stylus(code)
}

fn halt(result: InstructionResult, mut gas: Gas) -> InterpreterAction {
    gas.spend_all();
    InterpreterAction::Return(InterpreterResult::new(result, Bytes::new(), gas))
}

/// Runs the Stylus program of the frame on top of the stack and returns the action that
/// finishes it.
///
/// # Errors
/// Fatal errors of the frame machinery raised by nested calls.
pub(crate) fn run_frame(evm: &mut DevEvm) -> Result<InterpreterAction, FrameError> {
    let frame = evm.inner.frame_stack.get();
    let FrameInput::Call(inputs) = &frame.input else {
        return Err(FrameError::Custom("a Stylus frame must be a call".into()));
    };
    let mut gas = frame.interpreter.gas;
    let code_bytes = frame.interpreter.bytecode.original_bytes();
    let codehash = frame
        .interpreter
        .bytecode
        .hash()
        .unwrap_or_else(|| keccak256(&code_bytes));
    let address = inputs.target_address;
    let caller = inputs.caller;
    let value = inputs.value.get();
    let is_static = inputs.is_static;
    let depth = frame.depth;
    let calldata = inputs.input.bytes(&evm.inner.ctx);

    let record = match arbwasm::active_record(&mut evm.inner.ctx, codehash) {
        Ok(r) => r,
        Err(data) => {
            return Ok(InterpreterAction::Return(InterpreterResult::new(
                InstructionResult::Revert,
                data.into(),
                gas,
            )))
        }
    };
    let first_entry = evm.tx_state.entered.insert(codehash);
    let init_gas = if first_entry {
        record.init_gas
    } else {
        record.cached_init_gas
    };
    if !gas.record_regular_cost(init_gas) {
        return Ok(halt(InstructionResult::OutOfGas, gas));
    }
    let program = match evm.inner.precompiles.stylus.program(codehash, &code_bytes) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(%address, error = %e, "activated program no longer compiles");
            return Ok(halt(InstructionResult::InvalidFEOpcode, gas));
        }
    };
    let config = evm.inner.precompiles.stylus.config.clone();

    let ctx = &evm.inner.ctx;
    let stack_len = evm.addr_stack.len();
    let reentrant = evm.addr_stack[..stack_len.saturating_sub(1)].contains(&address);
    let call_ctx = CallContext {
        address,
        sender: caller,
        value,
        origin: ctx.tx.caller(),
        gas_price: U256::from(ctx.tx.effective_gas_price(u128::from(ctx.block.basefee))),
        block_number: ctx.block.number.saturating_to(),
        timestamp: ctx.block.timestamp.saturating_to(),
        basefee: U256::from(ctx.block.basefee),
        coinbase: ctx.block.beneficiary,
        block_gas_limit: ctx.block.gas_limit,
        chain_id: ctx.cfg.chain_id,
        reentrant,
        is_static,
    };

    let pages_before = evm.tx_state.pages_open;
    let mut host = host::FrameHost::new(evm, address, caller, value, is_static, depth);
    let available = gas.remaining();
    let outcome = stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
        stylus_runtime::execute(
            &program, &calldata, &call_ctx, &mut host, available, &config,
        )
    });
    let (refund, fatal) = host.finish();
    evm.tx_state.pages_open = pages_before;
    if let Some(e) = fatal {
        return Err(e);
    }

    let used = available.saturating_sub(outcome.gas_left);
    let result = match outcome.status {
        Status::Success => InstructionResult::Return,
        Status::Revert => InstructionResult::Revert,
        Status::OutOfInk => return Ok(halt(InstructionResult::OutOfGas, gas)),
        Status::Failure(reason) => {
            tracing::debug!(%address, %reason, "Stylus program failed");
            return Ok(halt(InstructionResult::InvalidFEOpcode, gas));
        }
    };
    if !gas.record_regular_cost(used) {
        return Ok(halt(InstructionResult::OutOfGas, gas));
    }
    if result == InstructionResult::Return {
        gas.record_refund(refund);
    }
    Ok(InterpreterAction::Return(InterpreterResult::new(
        result,
        outcome.output.into(),
        gas,
    )))
}
