//! Test support: an in-memory chain implementing `EvmApi`, and helpers to run WAT programs.
#![allow(dead_code)]

pub mod artifact;

use alloy_primitives::{Address, B256, U256};
use std::collections::{HashMap, HashSet};
use stylus_runtime::memory::MemoryModel;
use stylus_runtime::{
    execute, CallContext, CallKind, CallOutcome, CallStatus, Config, CreateOutcome, EvmApi,
    HostError, Outcome, Program,
};

/// EIP-2929 / 2200 figures used by the mock.
pub const COLD_SLOAD: u64 = 2_100;
pub const WARM: u64 = 100;
pub const COLD_ACCOUNT: u64 = 2_600;
pub const SSTORE_SET: u64 = 20_000;
pub const SSTORE_RESET: u64 = 2_900;

/// A recorded outgoing call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCall {
    /// How many SSTOREs had reached the chain when the call was made.
    pub sstores_before: usize,
    pub kind: CallKind,
    pub to: Address,
    pub input: Vec<u8>,
    pub gas: u64,
    pub value: U256,
}

/// A recorded create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCreate {
    pub code: Vec<u8>,
    pub endowment: U256,
    pub salt: Option<B256>,
    pub gas: u64,
}

/// An in-memory chain: one contract's storage, transient storage, logs, accounts, and
/// scripted answers to calls and creates.
#[derive(Default)]
pub struct MockApi {
    pub storage: HashMap<B256, B256>,
    pub original: HashMap<B256, B256>,
    pub warm_slots: HashSet<B256>,
    pub warm_accounts: HashSet<Address>,
    pub transient: HashMap<B256, B256>,
    pub logs: Vec<(Vec<B256>, Vec<u8>)>,
    pub calls: Vec<RecordedCall>,
    pub creates: Vec<RecordedCreate>,
    /// Answer to every call (default: success, no data, 0 gas).
    pub call_reply: Option<CallOutcome>,
    /// Answer to every create (default: address 0x…c0de, 32,000 gas).
    pub create_reply: Option<CreateOutcome>,
    pub balances: HashMap<Address, U256>,
    pub codes: HashMap<Address, Vec<u8>>,
    pub sstores: Vec<(B256, B256)>,
    pub sloads: usize,
    pub pages_added: Vec<u16>,
    pub open_pages: u16,
    pub ever_pages: u16,
    pub console: Vec<String>,
    /// Refuse storage writes like a static context would.
    pub write_protected: bool,
}

impl MockApi {
    pub fn new() -> Self {
        Self::default()
    }

    fn account_gas(&mut self, addr: Address) -> u64 {
        if self.warm_accounts.insert(addr) {
            COLD_ACCOUNT
        } else {
            WARM
        }
    }

    /// Starts a new transaction: storage stays, warm sets and memory counters reset.
    pub fn new_tx(&mut self) {
        self.warm_slots.clear();
        self.warm_accounts.clear();
        self.original = self.storage.clone();
        self.transient.clear();
        self.open_pages = 0;
        self.ever_pages = 0;
    }
}

impl EvmApi for MockApi {
    fn sload(&mut self, key: B256) -> (B256, u64) {
        self.sloads += 1;
        let gas = if self.warm_slots.insert(key) {
            COLD_SLOAD
        } else {
            WARM
        };
        (self.storage.get(&key).copied().unwrap_or_default(), gas)
    }

    fn sstore(&mut self, key: B256, value: B256) -> Result<u64, HostError> {
        if self.write_protected {
            return Err(HostError::WriteProtection);
        }
        let cold = if self.warm_slots.insert(key) {
            COLD_SLOAD
        } else {
            0
        };
        let current = self.storage.get(&key).copied().unwrap_or_default();
        let original = self.original.get(&key).copied().unwrap_or(current);
        let gas = if current == value || original != current {
            WARM
        } else if original.is_zero() {
            SSTORE_SET
        } else {
            SSTORE_RESET
        };
        self.sstores.push((key, value));
        self.storage.insert(key, value);
        Ok(gas + cold)
    }

    fn tload(&mut self, key: B256) -> B256 {
        self.transient.get(&key).copied().unwrap_or_default()
    }

    fn tstore(&mut self, key: B256, value: B256) -> Result<(), HostError> {
        self.transient.insert(key, value);
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
        self.calls.push(RecordedCall {
            sstores_before: self.sstores.len(),
            kind,
            to,
            input: input.to_vec(),
            gas,
            value,
        });
        let access = self.account_gas(to);
        let mut reply = self.call_reply.clone().unwrap_or(CallOutcome {
            status: CallStatus::Success,
            gas_used: 0,
            return_data: Vec::new(),
        });
        reply.gas_used += access;
        reply
    }

    fn create(
        &mut self,
        init_code: &[u8],
        endowment: U256,
        salt: Option<B256>,
        gas: u64,
    ) -> CreateOutcome {
        self.creates.push(RecordedCreate {
            code: init_code.to_vec(),
            endowment,
            salt,
            gas,
        });
        self.create_reply.clone().unwrap_or(CreateOutcome {
            address: Some(Address::repeat_byte(0xc0)),
            gas_used: 32_000,
            return_data: Vec::new(),
        })
    }

    fn emit_log(&mut self, topics: &[B256], data: &[u8]) -> Result<(), HostError> {
        self.logs.push((topics.to_vec(), data.to_vec()));
        Ok(())
    }

    fn balance(&mut self, addr: Address) -> (U256, u64) {
        let gas = self.account_gas(addr);
        (self.balances.get(&addr).copied().unwrap_or_default(), gas)
    }

    fn code(&mut self, addr: Address) -> (Vec<u8>, u64) {
        let gas = self.account_gas(addr);
        (self.codes.get(&addr).cloned().unwrap_or_default(), gas)
    }

    fn codehash(&mut self, addr: Address) -> (B256, u64) {
        let gas = self.account_gas(addr);
        let hash = match self.codes.get(&addr) {
            Some(code) => alloy_primitives::keccak256(code),
            None => B256::ZERO,
        };
        (hash, gas)
    }

    fn add_pages(&mut self, pages: u16) -> u64 {
        self.pages_added.push(pages);
        let gas = MemoryModel::default().gas_cost(pages, self.open_pages, self.ever_pages);
        self.open_pages = self.open_pages.saturating_add(pages);
        self.ever_pages = self.ever_pages.max(self.open_pages);
        gas
    }

    fn console(&mut self, msg: &str) {
        self.console.push(msg.to_string());
    }
}

/// The context tests run in unless they say otherwise.
pub fn ctx() -> CallContext {
    CallContext {
        address: Address::repeat_byte(0xaa),
        sender: Address::repeat_byte(0x5e),
        value: U256::from(7),
        origin: Address::repeat_byte(0x0f),
        gas_price: U256::from(1_000_000_000u64),
        block_number: 1234,
        timestamp: 1_700_000_000,
        basefee: U256::from(100_000_000u64),
        coinbase: Address::repeat_byte(0xcb),
        block_gas_limit: 30_000_000,
        chain_id: 412_346,
        reentrant: false,
        is_static: false,
    }
}

/// Activates a WAT program with the default config.
pub fn program(wat: &str) -> Program {
    program_with(wat, &Config::default())
}

/// Activates a WAT program with `config`.
pub fn program_with(wat: &str, config: &Config) -> Program {
    let wasm = wat::parse_str(wat).expect("test WAT parses");
    Program::activate(&wasm, config)
        .expect("test program activates")
        .0
}

/// Runs `wat` with `calldata` and 1,000,000 gas against `api`.
pub fn run(wat: &str, calldata: &[u8], api: &mut MockApi) -> Outcome {
    run_ctx(wat, calldata, api, &ctx(), 1_000_000)
}

/// Runs `wat` with everything explicit.
pub fn run_ctx(
    wat: &str,
    calldata: &[u8],
    api: &mut MockApi,
    ctx: &CallContext,
    gas: u64,
) -> Outcome {
    let config = Config::default();
    execute(
        &program_with(wat, &config),
        calldata,
        ctx,
        api,
        gas,
        &config,
    )
}

/// A module with the given imports and an entrypoint body; memory of one page exported.
/// `$len` is the entrypoint's calldata length parameter.
pub fn module(imports: &str, body: &str) -> String {
    format!(
        r#"(module
            {imports}
            (memory (export "memory") 1)
            (func (export "user_entrypoint") (param $len i32) (result i32)
                {body}))"#
    )
}

/// Import declarations for `write_result` (used by almost every test to return data).
pub const WRITE_RESULT: &str =
    r#"(import "vm_hooks" "write_result" (func $write_result (param i32 i32)))"#;

/// WAT string literal escapes for `bytes` (for data segments).
pub fn wat_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:02x}")).collect()
}

/// A 32-byte big-endian word.
pub fn word(v: u64) -> [u8; 32] {
    U256::from(v).to_be_bytes::<32>()
}
