//! [`FrameHost`]: the chain as one running program sees it ([`EvmApi`] over revm).
//!
//! Storage, transient storage, logs and account reads go to revm's journal; calls and creates
//! open child frames through [`DevEvm::nested_call`], so they get checkpoints, value transfers,
//! warm/cold accounting and the call-depth limit exactly as EVM frames do. Gas figures follow
//! revm's gas parameters for the active spec (EIP-2929 access costs, EIP-2200/3529 SSTORE,
//! EIP-150 is applied by the runtime, the 2,300 stipend here).

use crate::evm::{DevEvm, FrameError};
use revm::context_interface::CreateScheme;
use revm::context_interface::{Cfg, JournalTr};
use revm::handler::FrameResult;
use revm::interpreter::instructions::contract::load_account_delegated;
use revm::interpreter::interpreter_action::FrameInit;
use revm::interpreter::{
    CallInput, CallInputs, CallScheme, CallValue, CreateInputs, FrameInput, InstructionResult,
};
use revm::primitives::{Address, Bytes, Log, LogData, B256, U256};
use stylus_runtime::memory::MemoryModel;
use stylus_runtime::{CallKind, CallOutcome, CallStatus, CreateOutcome, EvmApi, HostError};

/// EIP-2929 warm account / storage read cost.
const WARM_READ: u64 = 100;
/// EIP-2929 cold account access cost.
const COLD_ACCOUNT: u64 = 2_600;
/// EIP-2929 cold storage read cost.
const COLD_SLOAD: u64 = 2_100;

/// The host side of one program run.
pub struct FrameHost<'a> {
    evm: &'a mut DevEvm,
    address: Address,
    caller: Address,
    value: U256,
    is_static: bool,
    depth: usize,
    refund: i64,
    fatal: Option<FrameError>,
    memory: MemoryModel,
}

impl<'a> FrameHost<'a> {
    /// The host for a program running as `address` (storage context), called by `caller` with
    /// `value`, at call depth `depth`.
    pub fn new(
        evm: &'a mut DevEvm,
        address: Address,
        caller: Address,
        value: U256,
        is_static: bool,
        depth: usize,
    ) -> Self {
        Self {
            evm,
            address,
            caller,
            value,
            is_static,
            depth,
            refund: 0,
            fatal: None,
            memory: MemoryModel::default(),
        }
    }

    /// The SSTORE refund accumulated by the program itself and the first fatal error, if any.
    pub fn finish(self) -> (i64, Option<FrameError>) {
        (self.refund, self.fatal)
    }

    fn journal(&mut self) -> &mut revm::context::Journal<crate::evm::StateDb> {
        &mut self.evm.inner.ctx.journaled_state
    }

    fn access_cost(is_cold: bool) -> u64 {
        if is_cold {
            COLD_ACCOUNT
        } else {
            WARM_READ
        }
    }

    /// Runs `input` as a child frame; `None` if a fatal error was recorded.
    fn child(&mut self, input: FrameInput) -> Option<FrameResult> {
        let memory = self
            .evm
            .inner
            .frame_stack
            .get()
            .interpreter
            .memory
            .new_child_context();
        let init = FrameInit {
            depth: self.depth + 1,
            memory,
            frame_input: input,
        };
        let result = self.evm.nested_call(init);
        self.evm
            .inner
            .frame_stack
            .get()
            .interpreter
            .memory
            .free_child_context();
        match result {
            Ok(r) => Some(r),
            Err(e) => {
                self.fatal.get_or_insert(e);
                None
            }
        }
    }
}

fn status_of(result: InstructionResult) -> CallStatus {
    if result.is_ok() {
        CallStatus::Success
    } else if result.is_revert() {
        CallStatus::Revert
    } else if matches!(
        result,
        InstructionResult::OutOfGas
            | InstructionResult::MemoryOOG
            | InstructionResult::MemoryLimitOOG
            | InstructionResult::PrecompileOOG
            | InstructionResult::InvalidOperandOOG
            | InstructionResult::ReentrancySentryOOG
    ) {
        CallStatus::OutOfGas
    } else if matches!(
        result,
        InstructionResult::StateChangeDuringStaticCall
            | InstructionResult::CallNotAllowedInsideStatic
    ) {
        CallStatus::WriteProtection
    } else {
        CallStatus::Failure
    }
}

/// Gas left in a finished child: only success and revert return gas.
fn child_gas_left(result: InstructionResult, remaining: u64) -> u64 {
    if result.is_ok_or_revert() {
        remaining
    } else {
        0
    }
}

impl EvmApi for FrameHost<'_> {
    fn sload(&mut self, key: B256) -> (B256, u64) {
        let address = self.address;
        let Ok(load) = self.journal().sload(address, key.into());
        let cost = if load.is_cold { COLD_SLOAD } else { WARM_READ };
        (B256::from(load.data), cost)
    }

    fn sstore(&mut self, key: B256, value: B256) -> Result<u64, HostError> {
        if self.is_static {
            return Err(HostError::WriteProtection);
        }
        let address = self.address;
        let Ok(load) = self.journal().sstore(address, key.into(), value.into());
        let params = self.evm.inner.ctx.cfg.gas_params();
        let cost = params
            .sstore_static_gas()
            .saturating_add(params.sstore_dynamic_gas(true, &load.data, load.is_cold));
        self.refund = self
            .refund
            .saturating_add(params.sstore_refund(true, &load.data));
        Ok(cost)
    }

    fn tload(&mut self, key: B256) -> B256 {
        let address = self.address;
        B256::from(self.journal().tload(address, key.into()))
    }

    fn tstore(&mut self, key: B256, value: B256) -> Result<(), HostError> {
        if self.is_static {
            return Err(HostError::WriteProtection);
        }
        let address = self.address;
        self.journal().tstore(address, key.into(), value.into());
        Ok(())
    }

    fn call(
        &mut self,
        kind: CallKind,
        to: Address,
        input: &[u8],
        gas: u64,
        value: U256,
    ) -> CallOutcome {
        let transfers_value = kind == CallKind::Call && !value.is_zero();
        if transfers_value && self.is_static {
            return CallOutcome {
                status: CallStatus::WriteProtection,
                gas_used: 0,
                return_data: Vec::new(),
            };
        }
        let spec = *self.evm.inner.ctx.cfg.spec();
        let loaded = load_account_delegated(
            &mut self.evm.inner.ctx,
            spec,
            u64::MAX,
            to,
            transfers_value,
            kind == CallKind::Call,
        );
        let Ok((access, _state_gas, bytecode, code_hash)) = loaded else {
            self.fatal
                .get_or_insert(FrameError::Custom(format!("cannot load account {to}")));
            return CallOutcome {
                status: CallStatus::Failure,
                gas_used: 0,
                return_data: Vec::new(),
            };
        };
        let params = self.evm.inner.ctx.cfg.gas_params();
        let mut charges = WARM_READ.saturating_add(access);
        let mut limit = gas;
        if transfers_value {
            charges = charges.saturating_add(params.transfer_value_cost());
            limit = limit.saturating_add(params.call_stipend());
        }
        let (target, caller, call_value, scheme, is_static) = match kind {
            CallKind::Call => (
                to,
                self.address,
                CallValue::Transfer(value),
                CallScheme::Call,
                self.is_static,
            ),
            CallKind::DelegateCall => (
                self.address,
                self.caller,
                CallValue::Apparent(self.value),
                CallScheme::DelegateCall,
                self.is_static,
            ),
            CallKind::StaticCall => (
                to,
                self.address,
                CallValue::Transfer(U256::ZERO),
                CallScheme::StaticCall,
                true,
            ),
        };
        let inputs = CallInputs {
            input: CallInput::Bytes(Bytes::copy_from_slice(input)),
            return_memory_offset: 0..0,
            gas_limit: limit,
            reservoir: 0,
            bytecode_address: to,
            known_bytecode: (code_hash, bytecode),
            target_address: target,
            caller,
            value: call_value,
            scheme,
            is_static,
            charged_new_account_state_gas: false,
        };
        let Some(result) = self.child(FrameInput::Call(Box::new(inputs))) else {
            return CallOutcome {
                status: CallStatus::Failure,
                gas_used: gas.saturating_add(charges),
                return_data: Vec::new(),
            };
        };
        let FrameResult::Call(outcome) = result else {
            return CallOutcome {
                status: CallStatus::Failure,
                gas_used: gas.saturating_add(charges),
                return_data: Vec::new(),
            };
        };
        let res = outcome.result.result;
        let left = child_gas_left(res, outcome.result.gas.remaining());
        if res.is_ok() {
            self.refund = self.refund.saturating_add(outcome.result.gas.refunded());
        }
        CallOutcome {
            status: status_of(res),
            gas_used: charges.saturating_add(gas).saturating_sub(left),
            return_data: outcome.result.output.to_vec(),
        }
    }

    fn create(
        &mut self,
        init_code: &[u8],
        endowment: U256,
        salt: Option<B256>,
        gas: u64,
    ) -> CreateOutcome {
        let failed = |gas_used| CreateOutcome {
            address: None,
            gas_used,
            return_data: Vec::new(),
        };
        if self.is_static {
            return failed(0);
        }
        let params = self.evm.inner.ctx.cfg.gas_params();
        let mut charges = params
            .create_cost()
            .saturating_add(params.initcode_cost(init_code.len()));
        let scheme = match salt {
            Some(s) => {
                charges = charges.saturating_add(params.create2_cost(init_code.len()));
                CreateScheme::Create2 { salt: s.into() }
            }
            None => CreateScheme::Create,
        };
        let max_initcode = self.evm.inner.ctx.cfg.max_initcode_size();
        if init_code.len() > max_initcode {
            return failed(gas.saturating_add(charges));
        }
        let inputs = CreateInputs::new(
            self.address,
            scheme,
            endowment,
            Bytes::copy_from_slice(init_code),
            gas,
            0,
        );
        let Some(FrameResult::Create(outcome)) = self.child(FrameInput::Create(Box::new(inputs)))
        else {
            return failed(gas.saturating_add(charges));
        };
        let res = outcome.result.result;
        let left = child_gas_left(res, outcome.result.gas.remaining());
        if res.is_ok() {
            self.refund = self.refund.saturating_add(outcome.result.gas.refunded());
        }
        let gas_used = charges.saturating_add(gas).saturating_sub(left);
        CreateOutcome {
            address: if res.is_ok() { outcome.address } else { None },
            gas_used,
            return_data: if res.is_revert() {
                outcome.result.output.to_vec()
            } else {
                Vec::new()
            },
        }
    }

    fn emit_log(&mut self, topics: &[B256], data: &[u8]) -> Result<(), HostError> {
        if self.is_static {
            return Err(HostError::WriteProtection);
        }
        if topics.len() > 4 {
            return Err(HostError::Fatal("more than 4 topics".into()));
        }
        let address = self.address;
        let log = Log {
            address,
            data: LogData::new_unchecked(topics.to_vec(), Bytes::copy_from_slice(data)),
        };
        self.journal().log(log);
        Ok(())
    }

    fn balance(&mut self, addr: Address) -> (U256, u64) {
        let Ok(acc) = self.journal().load_account(addr);
        (acc.data.info.balance, Self::access_cost(acc.is_cold))
    }

    fn code(&mut self, addr: Address) -> (Vec<u8>, u64) {
        let Ok(acc) = self.journal().load_account_with_code(addr);
        let code = acc
            .data
            .info
            .code
            .as_ref()
            .map(|c| c.original_byte_slice().to_vec())
            .unwrap_or_default();
        (code, Self::access_cost(acc.is_cold))
    }

    fn codehash(&mut self, addr: Address) -> (B256, u64) {
        let Ok(acc) = self.journal().load_account(addr);
        let hash = if acc.data.is_empty() {
            B256::ZERO
        } else {
            acc.data.info.code_hash
        };
        (hash, Self::access_cost(acc.is_cold))
    }

    fn add_pages(&mut self, pages: u16) -> u64 {
        let state = &mut self.evm.tx_state;
        let cost = self
            .memory
            .gas_cost(pages, state.pages_open, state.pages_ever);
        state.pages_open = state.pages_open.saturating_add(pages);
        state.pages_ever = state.pages_ever.max(state.pages_open);
        cost
    }

    fn console(&mut self, msg: &str) {
        tracing::info!(target: "devnode::console", program = %self.address, "{msg}");
    }
}
