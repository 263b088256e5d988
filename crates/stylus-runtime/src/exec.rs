//! Running a program: [`execute`].

use crate::api::{CallKind, CallOutcome, CallStatus, CreateOutcome, HostError};
use crate::host::{link, Escape, Host};
use crate::validate::{INK_GLOBAL_EXPORT, STATUS_GLOBAL_EXPORT};
use crate::{api::CallContext, api::EvmApi, config::Config, program::Program};
use alloy_primitives::{Address, B256, U256};
use wasmi::{Extern, Instance, Store, Val};

/// How a program run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// `user_entrypoint` returned 0 (or `exit_early(0)`); storage was flushed.
    Success,
    /// A non-zero status; cached storage writes were discarded, the output is revert data.
    Revert,
    /// The program ran out of ink; all gas is consumed.
    OutOfInk,
    /// The program trapped or a host operation failed; all gas is consumed.
    Failure(String),
}

/// The result of [`execute`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How the run ended.
    pub status: Status,
    /// Return data (success) or revert data (revert); empty otherwise.
    pub output: Vec<u8>,
    /// EVM gas left of the `gas` passed in (0 on [`Status::OutOfInk`] and [`Status::Failure`]).
    pub gas_left: u64,
}

/// Runs `program` with `calldata` in the environment `ctx`, with `gas` EVM gas.
///
/// The host has already charged the program's init gas (see
/// [`crate::ActivationInfo::init_gas`]); this function charges the memory footprint through
/// [`EvmApi::add_pages`], every executed WASM instruction and every hostio.
pub fn execute(
    program: &Program,
    calldata: &[u8],
    ctx: &CallContext,
    api: &mut dyn EvmApi,
    gas: u64,
    config: &Config,
) -> Outcome {
    let inner = &program.inner;
    // The ink counter is an i64 global, so more ink than i64::MAX is not representable.
    let mut ink = config.gas_to_ink(gas).min(i64::MAX as u64);

    let footprint_gas = api.add_pages(inner.info.footprint_pages);
    if buy(&mut ink, config.gas_to_ink(footprint_gas)).is_err() {
        return out_of_ink();
    }

    let mut store = Store::new(&inner.engine, Host::new(api, ctx, config, calldata));
    let mut externs = Vec::with_capacity(inner.imports.len());
    for (module, name) in &inner.imports {
        match link(&mut store, module, name) {
            Some(func) => externs.push(Extern::Func(func)),
            None => return failure(format!("unknown import {module}::{name}")),
        }
    }
    let instance = match Instance::new(&mut store, &inner.module, &externs) {
        Ok(instance) => instance,
        Err(e) => return failure(format!("instantiation failed: {e}")),
    };
    let (Some(memory), Some(ink_global), Some(status_global), Ok(entry)) = (
        instance.get_memory(&store, "memory"),
        instance.get_global(&store, INK_GLOBAL_EXPORT),
        instance.get_global(&store, STATUS_GLOBAL_EXPORT),
        instance.get_typed_func::<i32, i32>(&store, "user_entrypoint"),
    ) else {
        return failure("instrumented module lacks its exports".into());
    };
    // Checked above: `ink` fits in an i64.
    if ink_global.set(&mut store, Val::I64(ink as i64)).is_err() {
        return failure("cannot set the ink counter".into());
    }
    store.data_mut().memory = Some(memory);
    store.data_mut().ink = Some(ink_global);

    let args_len = i32::try_from(calldata.len()).unwrap_or(i32::MAX);
    let result = entry.call(&mut store, args_len);

    let mut ink = match ink_global.get(&store) {
        Val::I64(v) => u64::try_from(v).unwrap_or(0),
        _ => 0,
    };
    let out_of_ink_flag = matches!(status_global.get(&store), Val::I32(1));
    let status = match result {
        Ok(0) => 0,
        Ok(code) => code as u32,
        Err(e) => match e.downcast_ref::<Escape>() {
            Some(Escape::Exit(code)) => *code,
            Some(Escape::OutOfInk) => return out_of_ink(),
            Some(Escape::Failure(why)) => return failure(why.clone()),
            None if out_of_ink_flag => return out_of_ink(),
            None => return failure(e.to_string()),
        },
    };
    let host = store.data_mut();
    if status != 0 {
        // Revert: the cached writes are dropped with the store.
        return Outcome {
            status: Status::Revert,
            output: std::mem::take(&mut host.output),
            gas_left: config.ink_to_gas(ink),
        };
    }
    match host.flush(&mut ink, true) {
        Ok(()) => Outcome {
            status: Status::Success,
            output: std::mem::take(&mut host.output),
            gas_left: config.ink_to_gas(ink),
        },
        Err(Escape::OutOfInk) => out_of_ink(),
        Err(Escape::Failure(why)) => failure(why),
        Err(Escape::Exit(_)) => failure("unexpected exit during flush".into()),
    }
}

fn buy(ink: &mut u64, cost: u64) -> Result<(), ()> {
    *ink = ink.checked_sub(cost).ok_or(())?;
    Ok(())
}

fn out_of_ink() -> Outcome {
    Outcome {
        status: Status::OutOfInk,
        output: Vec::new(),
        gas_left: 0,
    }
}

fn failure(why: String) -> Outcome {
    Outcome {
        status: Status::Failure(why),
        output: Vec::new(),
        gas_left: 0,
    }
}

/// An [`EvmApi`] that answers nothing; only used to instantiate modules at activation.
struct NullApi;

impl EvmApi for NullApi {
    fn sload(&mut self, _: B256) -> (B256, u64) {
        (B256::ZERO, 0)
    }
    fn sstore(&mut self, _: B256, _: B256) -> Result<u64, HostError> {
        Err(HostError::WriteProtection)
    }
    fn tload(&mut self, _: B256) -> B256 {
        B256::ZERO
    }
    fn tstore(&mut self, _: B256, _: B256) -> Result<(), HostError> {
        Err(HostError::WriteProtection)
    }
    fn call(&mut self, _: CallKind, _: Address, _: &[u8], _: u64, _: U256) -> CallOutcome {
        CallOutcome {
            status: CallStatus::Failure,
            gas_used: 0,
            return_data: Vec::new(),
        }
    }
    fn create(&mut self, _: &[u8], _: U256, _: Option<B256>, _: u64) -> CreateOutcome {
        CreateOutcome {
            address: None,
            gas_used: 0,
            return_data: Vec::new(),
        }
    }
    fn emit_log(&mut self, _: &[B256], _: &[u8]) -> Result<(), HostError> {
        Err(HostError::WriteProtection)
    }
    fn balance(&mut self, _: Address) -> (U256, u64) {
        (U256::ZERO, 0)
    }
    fn code(&mut self, _: Address) -> (Vec<u8>, u64) {
        (Vec::new(), 0)
    }
    fn codehash(&mut self, _: Address) -> (B256, u64) {
        (B256::ZERO, 0)
    }
    fn add_pages(&mut self, _: u16) -> u64 {
        0
    }
}

/// Instantiates a compiled module without running it, so activation refuses modules whose
/// data or element segments do not fit (as a chain that instantiates at activation would).
pub(crate) fn check_instantiation(
    engine: &wasmi::Engine,
    module: &wasmi::Module,
    imports: &[(String, String)],
    config: &Config,
) -> Result<(), String> {
    let ctx = CallContext::default();
    let mut api = NullApi;
    let mut store = Store::new(engine, Host::new(&mut api, &ctx, config, &[]));
    let mut externs = Vec::with_capacity(imports.len());
    for (module, name) in imports {
        let func = link(&mut store, module, name)
            .ok_or_else(|| format!("unknown import {module}::{name}"))?;
        externs.push(Extern::Func(func));
    }
    Instance::new(&mut store, module, &externs)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
