//! The EVM: revm's mainnet handler over a custom [`DevEvm`] whose frame loop runs Stylus
//! programs (`EF F0 00` code) through [`stylus_runtime`] instead of the bytecode interpreter.
//!
//! Calls made from inside a program re-enter the same frame machinery ([`DevEvm::nested_call`]),
//! so EVM and Stylus frames share one journal: checkpoints, reverts, warm/cold tracking and
//! value transfers behave identically in both directions.

use crate::precompiles::DevPrecompiles;
use revm::context::result::{EVMError, ExecutionResult, HaltReason, InvalidTransaction};
use revm::context::{BlockEnv, CfgEnv, Context, Evm, FrameStack, Journal, TxEnv};
use revm::context_interface::context::ContextError;
use revm::context_interface::JournalTr;
use revm::database::{CacheDB, EmptyDB};
use revm::handler::instructions::EthInstructions;
use revm::handler::{
    evm::{ContextDbError, FrameInitResult},
    EthFrame, EvmTr, FrameInitOrResult, FrameResult, Handler, ItemOrResult, MainnetHandler,
};
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_action::FrameInit;
use revm::interpreter::{FrameInput, InstructionResult, InterpreterAction};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{Address, B256};
use revm::state::EvmState;
use std::collections::HashSet;
use std::convert::Infallible;

/// The in-memory state database.
pub type StateDb = CacheDB<EmptyDB>;
/// revm's context over [`StateDb`].
pub type DevContext = Context<BlockEnv, TxEnv, CfgEnv, StateDb, Journal<StateDb>, ()>;
/// The revm `Evm` that [`DevEvm`] wraps.
pub type InnerEvm = Evm<
    DevContext,
    (),
    EthInstructions<EthInterpreter, DevContext>,
    DevPrecompiles,
    EthFrame<EthInterpreter>,
>;
/// Errors of the frame machinery (the database is infallible; only custom errors remain).
pub type FrameError = ContextDbError<DevContext>;
/// Errors of a whole transaction.
pub type TxError = EVMError<Infallible, InvalidTransaction>;

/// The hard fork the chain runs (Arbitrum's EVM follows Ethereum's Prague rules closely).
pub const SPEC: SpecId = SpecId::PRAGUE;

/// State a transaction accumulates across Stylus frames.
#[derive(Debug, Default, Clone)]
pub struct TxStylusState {
    /// WASM pages held by the programs currently on the call stack.
    pub pages_open: u16,
    /// The most pages open at once in this transaction.
    pub pages_ever: u16,
    /// Code hashes of programs already entered in this transaction (their re-entry pays the
    /// cheaper cached init gas).
    pub entered: HashSet<B256>,
}

/// revm's EVM with Stylus frames.
pub struct DevEvm {
    /// The wrapped revm EVM (context, instructions, precompiles incl. ArbWasm, frame stack).
    pub inner: InnerEvm,
    /// Target address of every frame on the frame stack, bottom first (for `msg_reentrant`).
    pub(crate) addr_stack: Vec<Address>,
    /// Per-transaction Stylus state.
    pub(crate) tx_state: TxStylusState,
}

impl std::fmt::Debug for DevEvm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevEvm")
            .field("block", &self.inner.ctx.block)
            .field("cfg_chain_id", &self.inner.ctx.cfg.chain_id)
            .finish_non_exhaustive()
    }
}

/// True for code the EIP-3541 relaxation lets through: the Stylus formats `EF F0 0x`.
pub fn is_stylus_format(code: &[u8]) -> bool {
    code.len() >= 3 && code[0] == 0xEF && code[1] == 0xF0 && code[2] <= 0x02
}

impl DevEvm {
    /// Builds the EVM over `db` with the given configuration and precompiles.
    pub fn new(db: StateDb, cfg: CfgEnv, block: BlockEnv, precompiles: DevPrecompiles) -> Self {
        let mut ctx: DevContext = Context::new(db, SPEC);
        ctx.cfg = cfg;
        ctx.block = block;
        let inner = Evm {
            ctx,
            inspector: (),
            instruction: EthInstructions::new_mainnet_with_spec(SPEC),
            precompiles,
            frame_stack: FrameStack::new(),
        };
        Self {
            inner,
            addr_stack: Vec::new(),
            tx_state: TxStylusState::default(),
        }
    }

    /// Takes the EVM apart: the state database and the Stylus state (program cache).
    pub fn into_parts(self) -> (StateDb, crate::stylus::StylusState) {
        let db = self.inner.ctx.journaled_state.database;
        (db, self.inner.precompiles.stylus)
    }

    /// The state database.
    pub fn db(&self) -> &StateDb {
        &self.inner.ctx.journaled_state.database
    }

    /// The state database, mutably.
    pub fn db_mut(&mut self) -> &mut StateDb {
        &mut self.inner.ctx.journaled_state.database
    }

    /// Runs `tx` and returns its result and the state changes, without committing them.
    ///
    /// # Errors
    /// Validation failures reported by revm (nonce, funds, gas limit, fee).
    pub fn transact(&mut self, tx: TxEnv) -> Result<(ExecutionResult, EvmState), TxError> {
        self.inner.ctx.tx = tx;
        self.addr_stack.clear();
        self.tx_state = TxStylusState::default();
        let mut handler: MainnetHandler<DevEvm, TxError, EthFrame<EthInterpreter>> =
            MainnetHandler::default();
        let result = handler.run(self);
        let state = self.inner.ctx.journaled_state.finalize();
        result.map(|r| (r, state))
    }

    /// Pops the top frame of the stack (the caller made sure it is finished).
    fn pop_frame(&mut self) {
        self.inner.frame_stack.pop();
        self.addr_stack.pop();
    }

    /// Runs `init` as a child of the current (Stylus) frame to completion and returns its
    /// result. Frames the child opens are driven by the same loop revm's handler uses.
    ///
    /// # Errors
    /// Fatal errors of the frame machinery.
    pub(crate) fn nested_call(&mut self, init: FrameInit) -> Result<FrameResult, FrameError> {
        let parent = self.inner.frame_stack.index();
        match self.frame_init(init)? {
            ItemOrResult::Result(result) => return Ok(result),
            ItemOrResult::Item(_) => {}
        }
        let child = parent.map(|i| i + 1);
        loop {
            match self.frame_run()? {
                ItemOrResult::Item(next) => match self.frame_init(next)? {
                    ItemOrResult::Item(_) => {}
                    ItemOrResult::Result(result) => {
                        // Inserted into the frame that asked for it (an EVM frame above us).
                        self.frame_return_result(result)?;
                    }
                },
                ItemOrResult::Result(result) => {
                    if self.inner.frame_stack.index() == child {
                        self.pop_frame();
                        return Ok(result);
                    }
                    self.frame_return_result(result)?;
                }
            }
        }
    }

    /// Refuses code starting with `0xEF` unless it is a Stylus format (EIP-3541 is disabled in
    /// revm's config so that Stylus code can be deployed at all).
    fn enforce_eip3541(frame: &EthFrame<EthInterpreter>, action: &mut InterpreterAction) {
        if !matches!(frame.input, FrameInput::Create(_)) {
            return;
        }
        if let InterpreterAction::Return(result) = action {
            if result.result.is_ok()
                && result.output.first() == Some(&0xEF)
                && !is_stylus_format(&result.output)
            {
                result.result = InstructionResult::CreateContractStartingWithEF;
            }
        }
    }
}

impl EvmTr for DevEvm {
    type Context = DevContext;
    type Instructions = EthInstructions<EthInterpreter, DevContext>;
    type Precompiles = DevPrecompiles;
    type Frame = EthFrame<EthInterpreter>;

    fn all(
        &self,
    ) -> (
        &Self::Context,
        &Self::Instructions,
        &Self::Precompiles,
        &FrameStack<Self::Frame>,
    ) {
        self.inner.all()
    }

    fn all_mut(
        &mut self,
    ) -> (
        &mut Self::Context,
        &mut Self::Instructions,
        &mut Self::Precompiles,
        &mut FrameStack<Self::Frame>,
    ) {
        self.inner.all_mut()
    }

    fn frame_init(
        &mut self,
        frame_input: FrameInit,
    ) -> Result<FrameInitResult<'_, Self::Frame>, FrameError> {
        if self.inner.frame_stack.index().is_none() {
            self.addr_stack.clear();
        }
        let result = self.inner.frame_init(frame_input)?;
        Ok(match result {
            ItemOrResult::Item(frame) => {
                self.addr_stack.push(frame.interpreter.input.target_address);
                ItemOrResult::Item(frame)
            }
            ItemOrResult::Result(r) => ItemOrResult::Result(r),
        })
    }

    fn frame_run(&mut self) -> Result<FrameInitOrResult<Self::Frame>, FrameError> {
        let is_stylus = {
            let frame = self.inner.frame_stack.get();
            matches!(frame.input, FrameInput::Call(_))
                && crate::stylus::is_program(frame.interpreter.bytecode.original_byte_slice())
        };
        let mut action = if is_stylus {
            crate::stylus::run_frame(self)?
        } else {
            let frame = self.inner.frame_stack.get();
            frame.interpreter.run_plain(
                self.inner.instruction.instruction_table(),
                self.inner.instruction.gas_table(),
                &mut self.inner.ctx,
            )
        };
        let frame = self.inner.frame_stack.get();
        Self::enforce_eip3541(frame, &mut action);
        let next = frame.process_next_action::<_, FrameError>(&mut self.inner.ctx, action)?;
        if next.is_result() {
            frame.set_finished(true);
        }
        Ok(next)
    }

    fn frame_return_result(
        &mut self,
        result: FrameResult,
    ) -> Result<Option<FrameResult>, FrameError> {
        if self.inner.frame_stack.get().is_finished() {
            self.addr_stack.pop();
        }
        self.inner.frame_return_result(result)
    }
}

/// Maps a custom frame error to a transaction error.
pub fn frame_error_to_tx(e: FrameError) -> TxError {
    match e {
        ContextError::Db(never) => match never {},
        ContextError::Custom(s) => EVMError::Custom(s),
    }
}

/// The handler's `HaltReason`, re-exported for the chain layer.
pub type Halt = HaltReason;
