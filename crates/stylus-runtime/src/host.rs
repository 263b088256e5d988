//! The `vm_hooks` (and debug `console`) host functions, and the per-run host state.

use crate::api::{CallContext, CallKind, CallStatus, EvmApi, HostError};
use crate::config::Config;
use crate::pricing::{
    keccak_ink, read_ink, write_ink, EXP_BYTE_GAS, HOSTIO_INK, LOG_DATA_GAS, LOG_GAS,
    LOG_TOPIC_GAS, PTR_INK, SSTORE_SENTRY_GAS,
};
use alloy_primitives::{keccak256, Address, B256, U256};
use std::collections::BTreeMap;
use std::fmt;
use wasmi::{Caller, Error, Func, Global, Memory, Store, Val};

/// EVM gas of `TLOAD` / `TSTORE` (EIP-1153, warm).
const TRANSIENT_GAS: u64 = 100;

/// Why a hostio stopped the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Escape {
    /// `exit_early(status)`.
    Exit(u32),
    /// Ink ran out inside a hostio.
    OutOfInk,
    /// A refused operation (write protection, bad pointer, bad arguments).
    Failure(String),
}

impl fmt::Display for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Escape::Exit(code) => write!(f, "exit_early({code})"),
            Escape::OutOfInk => f.write_str("out of ink"),
            Escape::Failure(why) => f.write_str(why),
        }
    }
}

impl wasmi::errors::HostError for Escape {}

fn fail(why: impl Into<String>) -> Escape {
    Escape::Failure(why.into())
}

fn from_host_error(e: HostError) -> Escape {
    match e {
        HostError::OutOfGas => Escape::OutOfInk,
        other => Escape::Failure(other.to_string()),
    }
}

/// One cached storage slot.
#[derive(Debug, Clone, Copy)]
struct Slot {
    value: B256,
    dirty: bool,
}

/// State of one program run, owned by the wasmi store.
pub(crate) struct Host<'a> {
    pub api: &'a mut dyn EvmApi,
    pub ctx: &'a CallContext,
    pub config: &'a Config,
    pub calldata: &'a [u8],
    /// Bytes passed to `write_result`.
    pub output: Vec<u8>,
    /// The return data buffer of the last call or create.
    pub return_data: Vec<u8>,
    /// Storage cache: every slot read or written since the last clear.
    storage: BTreeMap<B256, Slot>,
    pub memory: Option<Memory>,
    pub ink: Option<Global>,
}

impl<'a> Host<'a> {
    pub fn new(
        api: &'a mut dyn EvmApi,
        ctx: &'a CallContext,
        config: &'a Config,
        calldata: &'a [u8],
    ) -> Self {
        Self {
            api,
            ctx,
            config,
            calldata,
            output: Vec::new(),
            return_data: Vec::new(),
            storage: BTreeMap::new(),
            memory: None,
            ink: None,
        }
    }

    /// Writes every dirty slot through [`EvmApi::sstore`], charging its gas from `ink`.
    pub fn flush(&mut self, ink: &mut u64, clear: bool) -> Result<(), Escape> {
        let dirty: Vec<(B256, B256)> = self
            .storage
            .iter()
            .filter(|(_, s)| s.dirty)
            .map(|(k, s)| (*k, s.value))
            .collect();
        for (key, value) in dirty {
            if self.ctx.is_static {
                return Err(fail("write protection: storage write in a static context"));
            }
            // EIP-2200: an SSTORE needs more than the call stipend left.
            if self.config.ink_to_gas(*ink) <= SSTORE_SENTRY_GAS {
                *ink = 0;
                return Err(Escape::OutOfInk);
            }
            let gas = self.api.sstore(key, value).map_err(from_host_error)?;
            buy(ink, self.config.gas_to_ink(gas))?;
            if let Some(slot) = self.storage.get_mut(&key) {
                slot.dirty = false;
            }
        }
        if clear {
            self.storage.clear();
        }
        Ok(())
    }
}

/// Takes `cost` ink from `ink`, or empties it and reports out of ink.
fn buy(ink: &mut u64, cost: u64) -> Result<(), Escape> {
    match ink.checked_sub(cost) {
        Some(left) => {
            *ink = left;
            Ok(())
        }
        None => {
            *ink = 0;
            Err(Escape::OutOfInk)
        }
    }
}

/// What a hostio works with: the program's memory, the host state and the ink left.
struct Env<'m, 'h, 'a> {
    mem: &'m mut [u8],
    host: &'h mut Host<'a>,
    ink: u64,
}

impl Env<'_, '_, '_> {
    fn buy_ink(&mut self, cost: u64) -> Result<(), Escape> {
        buy(&mut self.ink, cost)
    }

    fn buy_gas(&mut self, gas: u64) -> Result<(), Escape> {
        let ink = self.host.config.gas_to_ink(gas);
        self.buy_ink(ink)
    }

    fn gas_left(&self) -> u64 {
        self.host.config.ink_to_gas(self.ink)
    }

    fn range(&self, ptr: u32, len: usize) -> Result<std::ops::Range<usize>, Escape> {
        let start = ptr as usize;
        let end = start
            .checked_add(len)
            .filter(|end| *end <= self.mem.len())
            .ok_or_else(|| fail("memory access out of bounds"))?;
        Ok(start..end)
    }

    fn read(&self, ptr: u32, len: usize) -> Result<&[u8], Escape> {
        let range = self.range(ptr, len)?;
        Ok(&self.mem[range])
    }

    fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), Escape> {
        let range = self.range(ptr, bytes.len())?;
        self.mem[range].copy_from_slice(bytes);
        Ok(())
    }

    fn read_b256(&self, ptr: u32) -> Result<B256, Escape> {
        Ok(B256::from_slice(self.read(ptr, 32)?))
    }

    fn read_u256(&self, ptr: u32) -> Result<U256, Escape> {
        Ok(U256::from_be_slice(self.read(ptr, 32)?))
    }

    fn read_address(&self, ptr: u32) -> Result<Address, Escape> {
        Ok(Address::from_slice(self.read(ptr, 20)?))
    }

    fn write_u32(&mut self, ptr: u32, value: u32) -> Result<(), Escape> {
        self.write(ptr, &value.to_le_bytes())
    }

    fn write_u256(&mut self, ptr: u32, value: U256) -> Result<(), Escape> {
        self.write(ptr, &value.to_be_bytes::<32>())
    }

    /// Charges the hostio base and the fixed-size output it writes.
    fn getter(&mut self) -> Result<(), Escape> {
        self.buy_ink(HOSTIO_INK + PTR_INK)
    }

    fn flush(&mut self, clear: bool) -> Result<(), Escape> {
        self.host.flush(&mut self.ink, clear)
    }

    /// The gas a call or create may pass on: all but one 64th of what is left (EIP-150).
    fn max_forward(&self) -> u64 {
        let left = self.gas_left();
        left - left / 64
    }

    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        kind: CallKind,
        to_ptr: u32,
        data: u32,
        len: u32,
        value: U256,
        gas: u64,
        ret_len_ptr: u32,
    ) -> Result<i32, Escape> {
        let len = len as usize;
        self.buy_ink(HOSTIO_INK + read_ink(len))?;
        let to = self.read_address(to_ptr)?;
        let input = self.read(data, len)?.to_vec();
        if self.host.ctx.is_static && !value.is_zero() {
            self.host.return_data.clear();
            self.write_u32(ret_len_ptr, 0)?;
            return Ok(i32::from(CallStatus::WriteProtection.code()));
        }
        // The callee may read or change this contract's storage (reentrancy, delegatecall).
        self.flush(true)?;
        let forward = gas.min(self.max_forward());
        let outcome = self.host.api.call(kind, to, &input, forward, value);
        self.buy_gas(outcome.gas_used)?;
        let ret_len = u32::try_from(outcome.return_data.len()).unwrap_or(u32::MAX);
        self.host.return_data = outcome.return_data;
        self.write_u32(ret_len_ptr, ret_len)?;
        Ok(i32::from(outcome.status.code()))
    }

    #[allow(clippy::too_many_arguments)]
    fn create(
        &mut self,
        code: u32,
        len: u32,
        endowment_ptr: u32,
        salt: Option<B256>,
        out_addr: u32,
        revert_len_ptr: u32,
    ) -> Result<(), Escape> {
        let len = len as usize;
        self.buy_ink(HOSTIO_INK + read_ink(len))?;
        let init_code = self.read(code, len)?.to_vec();
        let endowment = self.read_u256(endowment_ptr)?;
        if self.host.ctx.is_static {
            return Err(fail("write protection: create in a static context"));
        }
        self.flush(true)?;
        let forward = self.max_forward();
        let outcome = self.host.api.create(&init_code, endowment, salt, forward);
        self.buy_gas(outcome.gas_used)?;
        let address = outcome.address.unwrap_or(Address::ZERO);
        let revert_len = u32::try_from(outcome.return_data.len()).unwrap_or(u32::MAX);
        self.host.return_data = outcome.return_data;
        self.write(out_addr, address.as_slice())?;
        self.write_u32(revert_len_ptr, revert_len)
    }
}

/// Runs a hostio body with access to memory, host state and ink, then stores the ink back.
fn with_env<R>(
    caller: &mut Caller<'_, Host<'_>>,
    body: impl FnOnce(&mut Env<'_, '_, '_>) -> Result<R, Escape>,
) -> Result<R, Error> {
    let (Some(memory), Some(ink_global)) = (caller.data().memory, caller.data().ink) else {
        return Err(Error::host(fail(
            "hostio called before instantiation finished",
        )));
    };
    let ink = match ink_global.get(&*caller) {
        Val::I64(v) => u64::try_from(v).unwrap_or(0),
        _ => 0,
    };
    let (mem, host) = memory.data_and_store_mut(&mut *caller);
    let mut env = Env { mem, host, ink };
    let result = body(&mut env);
    let ink = i64::try_from(env.ink).unwrap_or(i64::MAX);
    ink_global
        .set(&mut *caller, Val::I64(ink))
        .map_err(|e| Error::host(fail(e.to_string())))?;
    result.map_err(Error::host)
}

fn ptr(v: i32) -> u32 {
    v as u32
}

// ---- call data -------------------------------------------------------------------------

fn read_args(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK + write_ink(e.host.calldata.len()))?;
        let args = e.host.calldata;
        e.write(ptr(dest), args)
    })
}

fn write_result(mut c: Caller<'_, Host<'_>>, data: i32, len: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        let len = ptr(len) as usize;
        e.buy_ink(HOSTIO_INK + read_ink(len))?;
        e.host.output = e.read(ptr(data), len)?.to_vec();
        Ok(())
    })
}

fn exit_early(mut c: Caller<'_, Host<'_>>, status: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        Err(Escape::Exit(ptr(status)))
    })
}

// ---- storage ---------------------------------------------------------------------------

fn storage_load_bytes32(mut c: Caller<'_, Host<'_>>, key: i32, dest: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.getter()?;
        let key = e.read_b256(ptr(key))?;
        let value = match e.host.storage.get(&key) {
            Some(slot) => slot.value,
            None => {
                let (value, gas) = e.host.api.sload(key);
                e.buy_gas(gas)?;
                e.host.storage.insert(
                    key,
                    Slot {
                        value,
                        dirty: false,
                    },
                );
                value
            }
        };
        e.write(ptr(dest), value.as_slice())
    })
}

fn storage_cache_bytes32(mut c: Caller<'_, Host<'_>>, key: i32, value: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.getter()?;
        let key = e.read_b256(ptr(key))?;
        let value = e.read_b256(ptr(value))?;
        e.host.storage.insert(key, Slot { value, dirty: true });
        Ok(())
    })
}

fn storage_flush_cache(mut c: Caller<'_, Host<'_>>, clear: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        e.flush(clear != 0)
    })
}

fn transient_load_bytes32(mut c: Caller<'_, Host<'_>>, key: i32, dest: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.getter()?;
        e.buy_gas(TRANSIENT_GAS)?;
        let key = e.read_b256(ptr(key))?;
        let value = e.host.api.tload(key);
        e.write(ptr(dest), value.as_slice())
    })
}

fn transient_store_bytes32(mut c: Caller<'_, Host<'_>>, key: i32, value: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.getter()?;
        e.buy_gas(TRANSIENT_GAS)?;
        let key = e.read_b256(ptr(key))?;
        let value = e.read_b256(ptr(value))?;
        if e.host.ctx.is_static {
            return Err(fail(
                "write protection: transient store in a static context",
            ));
        }
        e.host.api.tstore(key, value).map_err(from_host_error)
    })
}

// ---- calls and creates -----------------------------------------------------------------

fn call_contract(
    mut c: Caller<'_, Host<'_>>,
    to: i32,
    data: i32,
    len: i32,
    value: i32,
    gas: i64,
    ret_len: i32,
) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        let value = e.read_u256(ptr(value))?;
        e.call(
            CallKind::Call,
            ptr(to),
            ptr(data),
            ptr(len),
            value,
            gas as u64,
            ptr(ret_len),
        )
    })
}

fn delegate_call_contract(
    mut c: Caller<'_, Host<'_>>,
    to: i32,
    data: i32,
    len: i32,
    gas: i64,
    ret_len: i32,
) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        e.call(
            CallKind::DelegateCall,
            ptr(to),
            ptr(data),
            ptr(len),
            U256::ZERO,
            gas as u64,
            ptr(ret_len),
        )
    })
}

fn static_call_contract(
    mut c: Caller<'_, Host<'_>>,
    to: i32,
    data: i32,
    len: i32,
    gas: i64,
    ret_len: i32,
) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        e.call(
            CallKind::StaticCall,
            ptr(to),
            ptr(data),
            ptr(len),
            U256::ZERO,
            gas as u64,
            ptr(ret_len),
        )
    })
}

fn create1(
    mut c: Caller<'_, Host<'_>>,
    code: i32,
    len: i32,
    endowment: i32,
    out: i32,
    revert_len: i32,
) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.create(
            ptr(code),
            ptr(len),
            ptr(endowment),
            None,
            ptr(out),
            ptr(revert_len),
        )
    })
}

fn create2(
    mut c: Caller<'_, Host<'_>>,
    code: i32,
    len: i32,
    endowment: i32,
    salt: i32,
    out: i32,
    revert_len: i32,
) -> Result<(), Error> {
    with_env(&mut c, |e| {
        let salt = e.read_b256(ptr(salt))?;
        e.create(
            ptr(code),
            ptr(len),
            ptr(endowment),
            Some(salt),
            ptr(out),
            ptr(revert_len),
        )
    })
}

fn read_return_data(
    mut c: Caller<'_, Host<'_>>,
    dest: i32,
    offset: i32,
    size: i32,
) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        let data = &e.host.return_data;
        let start = (ptr(offset) as usize).min(data.len());
        let end = start.saturating_add(ptr(size) as usize).min(data.len());
        let chunk = data[start..end].to_vec();
        e.buy_ink(write_ink(chunk.len()))?;
        e.write(ptr(dest), &chunk)?;
        Ok(i32::try_from(chunk.len()).unwrap_or(i32::MAX))
    })
}

fn return_data_size(mut c: Caller<'_, Host<'_>>) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        Ok(i32::try_from(e.host.return_data.len()).unwrap_or(i32::MAX))
    })
}

// ---- logs and accounts -----------------------------------------------------------------

fn emit_log(mut c: Caller<'_, Host<'_>>, data: i32, len: i32, topics: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        let len = ptr(len) as usize;
        let topics = ptr(topics) as usize;
        e.buy_ink(HOSTIO_INK + read_ink(len))?;
        if topics > 4 || len < topics * 32 {
            return Err(fail("emit_log: bad topic count"));
        }
        if e.host.ctx.is_static {
            return Err(fail("write protection: log in a static context"));
        }
        let bytes = e.read(ptr(data), len)?.to_vec();
        let data_len = (len - topics * 32) as u64;
        e.buy_gas(LOG_GAS + LOG_TOPIC_GAS * topics as u64 + LOG_DATA_GAS * data_len)?;
        let topic_list: Vec<B256> = bytes[..topics * 32]
            .chunks_exact(32)
            .map(B256::from_slice)
            .collect();
        e.host
            .api
            .emit_log(&topic_list, &bytes[topics * 32..])
            .map_err(from_host_error)
    })
}

fn account_balance(mut c: Caller<'_, Host<'_>>, addr: i32, dest: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.getter()?;
        let addr = e.read_address(ptr(addr))?;
        let (balance, gas) = e.host.api.balance(addr);
        e.buy_gas(gas)?;
        e.write_u256(ptr(dest), balance)
    })
}

fn account_code(
    mut c: Caller<'_, Host<'_>>,
    addr: i32,
    offset: i32,
    size: i32,
    dest: i32,
) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        let addr = e.read_address(ptr(addr))?;
        let (code, gas) = e.host.api.code(addr);
        e.buy_gas(gas)?;
        let start = (ptr(offset) as usize).min(code.len());
        let end = start.saturating_add(ptr(size) as usize).min(code.len());
        e.buy_ink(write_ink(end - start))?;
        e.write(ptr(dest), &code[start..end])?;
        Ok(i32::try_from(end - start).unwrap_or(i32::MAX))
    })
}

fn account_code_size(mut c: Caller<'_, Host<'_>>, addr: i32) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        let addr = e.read_address(ptr(addr))?;
        let (code, gas) = e.host.api.code(addr);
        e.buy_gas(gas)?;
        Ok(i32::try_from(code.len()).unwrap_or(i32::MAX))
    })
}

fn account_codehash(mut c: Caller<'_, Host<'_>>, addr: i32, dest: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.getter()?;
        let addr = e.read_address(ptr(addr))?;
        let (hash, gas) = e.host.api.codehash(addr);
        e.buy_gas(gas)?;
        e.write(ptr(dest), hash.as_slice())
    })
}

// ---- gas, block, message ---------------------------------------------------------------

fn evm_gas_left(mut c: Caller<'_, Host<'_>>) -> Result<i64, Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        Ok(i64::try_from(e.gas_left()).unwrap_or(i64::MAX))
    })
}

fn evm_ink_left(mut c: Caller<'_, Host<'_>>) -> Result<i64, Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        Ok(i64::try_from(e.ink).unwrap_or(i64::MAX))
    })
}

/// A hostio returning an integer from the context, charging the hostio base.
fn int_getter<R>(
    c: &mut Caller<'_, Host<'_>>,
    get: impl FnOnce(&CallContext, &Config) -> R,
) -> Result<R, Error> {
    with_env(c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        Ok(get(e.host.ctx, e.host.config))
    })
}

/// A hostio writing a value from the context, charging the hostio base and one value.
fn value_getter(
    c: &mut Caller<'_, Host<'_>>,
    dest: i32,
    get: impl FnOnce(&CallContext) -> Vec<u8>,
) -> Result<(), Error> {
    with_env(c, |e| {
        e.getter()?;
        let bytes = get(e.host.ctx);
        e.write(ptr(dest), &bytes)
    })
}

fn u64_as_i64(v: u64) -> i64 {
    v as i64
}

fn block_basefee(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    value_getter(&mut c, dest, |x| x.basefee.to_be_bytes::<32>().to_vec())
}
fn block_coinbase(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    value_getter(&mut c, dest, |x| x.coinbase.to_vec())
}
fn block_gas_limit(mut c: Caller<'_, Host<'_>>) -> Result<i64, Error> {
    int_getter(&mut c, |x, _| u64_as_i64(x.block_gas_limit))
}
fn block_number(mut c: Caller<'_, Host<'_>>) -> Result<i64, Error> {
    int_getter(&mut c, |x, _| u64_as_i64(x.block_number))
}
fn block_timestamp(mut c: Caller<'_, Host<'_>>) -> Result<i64, Error> {
    int_getter(&mut c, |x, _| u64_as_i64(x.timestamp))
}
fn chainid(mut c: Caller<'_, Host<'_>>) -> Result<i64, Error> {
    int_getter(&mut c, |x, _| u64_as_i64(x.chain_id))
}
fn contract_address(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    value_getter(&mut c, dest, |x| x.address.to_vec())
}
fn msg_reentrant(mut c: Caller<'_, Host<'_>>) -> Result<i32, Error> {
    int_getter(&mut c, |x, _| i32::from(x.reentrant))
}
fn msg_sender(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    value_getter(&mut c, dest, |x| x.sender.to_vec())
}
fn msg_value(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    value_getter(&mut c, dest, |x| x.value.to_be_bytes::<32>().to_vec())
}
fn tx_gas_price(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    value_getter(&mut c, dest, |x| x.gas_price.to_be_bytes::<32>().to_vec())
}
fn tx_ink_price(mut c: Caller<'_, Host<'_>>) -> Result<i32, Error> {
    int_getter(&mut c, |_, cfg| cfg.ink_price as i32)
}
fn tx_origin(mut c: Caller<'_, Host<'_>>, dest: i32) -> Result<(), Error> {
    value_getter(&mut c, dest, |x| x.origin.to_vec())
}

// ---- math ------------------------------------------------------------------------------

fn math2(
    c: &mut Caller<'_, Host<'_>>,
    a: i32,
    b: i32,
    extra_gas: impl FnOnce(&U256) -> u64,
    op: impl FnOnce(U256, U256) -> U256,
) -> Result<(), Error> {
    with_env(c, |e| {
        e.getter()?;
        let x = e.read_u256(ptr(a))?;
        let y = e.read_u256(ptr(b))?;
        e.buy_gas(extra_gas(&y))?;
        e.write_u256(ptr(a), op(x, y))
    })
}

fn math3(
    c: &mut Caller<'_, Host<'_>>,
    a: i32,
    b: i32,
    m: i32,
    op: impl FnOnce(U256, U256, U256) -> U256,
) -> Result<(), Error> {
    with_env(c, |e| {
        e.getter()?;
        let x = e.read_u256(ptr(a))?;
        let y = e.read_u256(ptr(b))?;
        let z = e.read_u256(ptr(m))?;
        e.write_u256(ptr(a), op(x, y, z))
    })
}

fn math_div(mut c: Caller<'_, Host<'_>>, a: i32, b: i32) -> Result<(), Error> {
    math2(
        &mut c,
        a,
        b,
        |_| 0,
        |x, y| x.checked_div(y).unwrap_or_default(),
    )
}
fn math_mod(mut c: Caller<'_, Host<'_>>, a: i32, b: i32) -> Result<(), Error> {
    math2(
        &mut c,
        a,
        b,
        |_| 0,
        |x, y| x.checked_rem(y).unwrap_or_default(),
    )
}
fn math_pow(mut c: Caller<'_, Host<'_>>, a: i32, b: i32) -> Result<(), Error> {
    let exp_gas = |y: &U256| EXP_BYTE_GAS * y.byte_len() as u64;
    math2(&mut c, a, b, exp_gas, |x, y| x.wrapping_pow(y))
}
fn math_add_mod(mut c: Caller<'_, Host<'_>>, a: i32, b: i32, m: i32) -> Result<(), Error> {
    math3(&mut c, a, b, m, |x, y, z| {
        if z.is_zero() {
            U256::ZERO
        } else {
            x.add_mod(y, z)
        }
    })
}
fn math_mul_mod(mut c: Caller<'_, Host<'_>>, a: i32, b: i32, m: i32) -> Result<(), Error> {
    math3(&mut c, a, b, m, |x, y, z| {
        if z.is_zero() {
            U256::ZERO
        } else {
            x.mul_mod(y, z)
        }
    })
}

// ---- memory, keccak --------------------------------------------------------------------

fn pay_for_memory_grow(mut c: Caller<'_, Host<'_>>, pages: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.buy_ink(HOSTIO_INK)?;
        if pages == 0 {
            return Ok(());
        }
        let pages =
            u16::try_from(pages).map_err(|_| fail("pay_for_memory_grow: bad page count"))?;
        let gas = e.host.api.add_pages(pages);
        e.buy_gas(gas)
    })
}

fn native_keccak256(
    mut c: Caller<'_, Host<'_>>,
    data: i32,
    len: i32,
    out: i32,
) -> Result<(), Error> {
    with_env(&mut c, |e| {
        let len = ptr(len) as usize;
        e.buy_ink(keccak_ink(len))?;
        let hash = keccak256(e.read(ptr(data), len)?);
        e.write(ptr(out), hash.as_slice())
    })
}

// ---- console (debug only) --------------------------------------------------------------

fn log_txt(mut c: Caller<'_, Host<'_>>, data: i32, len: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        let text = String::from_utf8_lossy(e.read(ptr(data), ptr(len) as usize)?).into_owned();
        e.host.api.console(&text);
        Ok(())
    })
}
fn log_i32(mut c: Caller<'_, Host<'_>>, v: i32) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.host.api.console(&v.to_string());
        Ok(())
    })
}
fn log_i64(mut c: Caller<'_, Host<'_>>, v: i64) -> Result<(), Error> {
    with_env(&mut c, |e| {
        e.host.api.console(&v.to_string());
        Ok(())
    })
}
fn tee_i32(mut c: Caller<'_, Host<'_>>, v: i32) -> Result<i32, Error> {
    with_env(&mut c, |e| {
        e.host.api.console(&v.to_string());
        Ok(v)
    })
}
fn tee_i64(mut c: Caller<'_, Host<'_>>, v: i64) -> Result<i64, Error> {
    with_env(&mut c, |e| {
        e.host.api.console(&v.to_string());
        Ok(v)
    })
}

/// The host function for `module::name`, allocated in `store`; `None` for unknown imports
/// (activation refuses those, so this does not happen for a [`crate::Program`]).
pub(crate) fn link(store: &mut Store<Host<'_>>, module: &str, name: &str) -> Option<Func> {
    use crate::imports::{CONSOLE, VM_HOOKS};
    let s = &mut *store;
    let f = match (module, name) {
        (VM_HOOKS, "read_args") => Func::wrap(s, read_args),
        (VM_HOOKS, "write_result") => Func::wrap(s, write_result),
        (VM_HOOKS, "exit_early") => Func::wrap(s, exit_early),
        (VM_HOOKS, "storage_load_bytes32") => Func::wrap(s, storage_load_bytes32),
        (VM_HOOKS, "storage_cache_bytes32") => Func::wrap(s, storage_cache_bytes32),
        (VM_HOOKS, "storage_flush_cache") => Func::wrap(s, storage_flush_cache),
        (VM_HOOKS, "transient_load_bytes32") => Func::wrap(s, transient_load_bytes32),
        (VM_HOOKS, "transient_store_bytes32") => Func::wrap(s, transient_store_bytes32),
        (VM_HOOKS, "call_contract") => Func::wrap(s, call_contract),
        (VM_HOOKS, "delegate_call_contract") => Func::wrap(s, delegate_call_contract),
        (VM_HOOKS, "static_call_contract") => Func::wrap(s, static_call_contract),
        (VM_HOOKS, "create1") => Func::wrap(s, create1),
        (VM_HOOKS, "create2") => Func::wrap(s, create2),
        (VM_HOOKS, "read_return_data") => Func::wrap(s, read_return_data),
        (VM_HOOKS, "return_data_size") => Func::wrap(s, return_data_size),
        (VM_HOOKS, "emit_log") => Func::wrap(s, emit_log),
        (VM_HOOKS, "account_balance") => Func::wrap(s, account_balance),
        (VM_HOOKS, "account_code") => Func::wrap(s, account_code),
        (VM_HOOKS, "account_code_size") => Func::wrap(s, account_code_size),
        (VM_HOOKS, "account_codehash") => Func::wrap(s, account_codehash),
        (VM_HOOKS, "evm_gas_left") => Func::wrap(s, evm_gas_left),
        (VM_HOOKS, "evm_ink_left") => Func::wrap(s, evm_ink_left),
        (VM_HOOKS, "block_basefee") => Func::wrap(s, block_basefee),
        (VM_HOOKS, "block_coinbase") => Func::wrap(s, block_coinbase),
        (VM_HOOKS, "block_gas_limit") => Func::wrap(s, block_gas_limit),
        (VM_HOOKS, "block_number") => Func::wrap(s, block_number),
        (VM_HOOKS, "block_timestamp") => Func::wrap(s, block_timestamp),
        (VM_HOOKS, "chainid") => Func::wrap(s, chainid),
        (VM_HOOKS, "contract_address") => Func::wrap(s, contract_address),
        (VM_HOOKS, "msg_reentrant") => Func::wrap(s, msg_reentrant),
        (VM_HOOKS, "msg_sender") => Func::wrap(s, msg_sender),
        (VM_HOOKS, "msg_value") => Func::wrap(s, msg_value),
        (VM_HOOKS, "tx_gas_price") => Func::wrap(s, tx_gas_price),
        (VM_HOOKS, "tx_ink_price") => Func::wrap(s, tx_ink_price),
        (VM_HOOKS, "tx_origin") => Func::wrap(s, tx_origin),
        (VM_HOOKS, "math_div") => Func::wrap(s, math_div),
        (VM_HOOKS, "math_mod") => Func::wrap(s, math_mod),
        (VM_HOOKS, "math_pow") => Func::wrap(s, math_pow),
        (VM_HOOKS, "math_add_mod") => Func::wrap(s, math_add_mod),
        (VM_HOOKS, "math_mul_mod") => Func::wrap(s, math_mul_mod),
        (VM_HOOKS, "pay_for_memory_grow") => Func::wrap(s, pay_for_memory_grow),
        (VM_HOOKS, "native_keccak256") => Func::wrap(s, native_keccak256),
        (CONSOLE, "log_txt") => Func::wrap(s, log_txt),
        (CONSOLE, "log_i32") => Func::wrap(s, log_i32),
        (CONSOLE, "log_i64") => Func::wrap(s, log_i64),
        (CONSOLE, "tee_i32") => Func::wrap(s, tee_i32),
        (CONSOLE, "tee_i64") => Func::wrap(s, tee_i64),
        _ => return None,
    };
    Some(f)
}
