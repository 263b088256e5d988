//! A stylus `Host` that wraps `TestVM` and routes calls to other contracts through the world:
//! real contracts run through their ABI router, fakes in Rust. Return data is kept per host,
//! so TestVM's mock defects (stale or swapped return data) cannot occur.
//!
//! The SDK's host traits are `unsafe` (raw pointers from the SDK's call paths), hence the
//! module-wide allowance; the pointers are only read for the lengths the SDK passes.
#![allow(unsafe_code)]
use std::{cell::RefCell, rc::Rc, slice};

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::stylus_core::{
    AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host,
    MemoryAccess, MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess,
    UnsafeDeploymentAccess,
};
use stylus_sdk::testing::TestVM;

use super::world::{world_call, WorldRef};

/// One contract's host.
#[derive(Clone)]
pub struct CoreHost {
    /// Storage, logs, sender and value of this contract.
    pub vm: TestVM,
    /// The world (clock, balances, other contracts, fakes).
    pub world: WorldRef,
    /// Return data of the last call this contract made.
    pub ret: Rc<RefCell<Vec<u8>>>,
}

impl Host for CoreHost {}

impl CryptographyAccess for CoreHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        alloy_primitives::keccak256(input)
    }
}

impl CalldataAccess for CoreHost {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let data = self.ret.borrow();
        let start = offset.min(data.len());
        let end = match size {
            Some(s) => (start + s).min(data.len()),
            None => data.len(),
        };
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.ret.borrow().len()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data)
    }
}

unsafe impl UnsafeDeploymentAccess for CoreHost {
    unsafe fn create1(
        &self,
        _code: *const u8,
        _code_len: usize,
        _endowment: *const u8,
        _contract: *mut u8,
        _revert_data_len: *mut usize,
    ) {
        unimplemented!("the core contracts never deploy")
    }
    unsafe fn create2(
        &self,
        _code: *const u8,
        _code_len: usize,
        _endowment: *const u8,
        _salt: *const u8,
        _contract: *mut u8,
        _revert_data_len: *mut usize,
    ) {
        unimplemented!("the core contracts never deploy")
    }
}

impl StorageAccess for CoreHost {
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.vm.storage_cache_bytes32(key, value)
    }
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    fn flush_cache(&self, _clear: bool) {}
}

impl CoreHost {
    fn route(
        &self,
        to: *const u8,
        data: *const u8,
        len: usize,
        value: U256,
        outs: &mut usize,
    ) -> u8 {
        // SAFETY: the SDK passes a 20-byte address and `len` readable bytes.
        let (to, data) = unsafe {
            (
                Address::from_slice(slice::from_raw_parts(to, 20)),
                slice::from_raw_parts(data, len).to_vec(),
            )
        };
        let from = self.vm.contract_address();
        let r = world_call(&self.world, from, to, data, value);
        let (status, out) = match r {
            Ok(d) => (0, d),
            Err(d) => (1, d),
        };
        *outs = out.len();
        *self.ret.borrow_mut() = out;
        status
    }
}

unsafe impl UnsafeCallAccess for CoreHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let v = U256::from_be_slice(slice::from_raw_parts(value, 32));
        self.route(to, data, data_len, v, outs_len)
    }
    unsafe fn delegate_call_contract(
        &self,
        _to: *const u8,
        _data: *const u8,
        _data_len: usize,
        _gas: u64,
        _outs_len: &mut usize,
    ) -> u8 {
        unimplemented!("the core contracts never delegate-call")
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.route(to, data, data_len, U256::ZERO, outs_len)
    }
}

impl BlockAccess for CoreHost {
    fn block_basefee(&self) -> U256 {
        U256::ZERO
    }
    fn block_coinbase(&self) -> Address {
        Address::ZERO
    }
    fn block_number(&self) -> u64 {
        self.world.borrow().now
    }
    fn block_timestamp(&self) -> u64 {
        self.world.borrow().now
    }
    fn block_gas_limit(&self) -> u64 {
        30_000_000
    }
}

impl ChainAccess for CoreHost {
    fn chain_id(&self) -> u64 {
        412_346
    }
}

impl AccountAccess for CoreHost {
    fn balance(&self, account: Address) -> U256 {
        self.world.borrow().eth_of(account)
    }
    fn contract_address(&self) -> Address {
        self.vm.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        self.vm.code(account)
    }
    fn code_size(&self, account: Address) -> usize {
        self.vm.code_size(account)
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.vm.code_hash(account)
    }
}

impl MemoryAccess for CoreHost {
    fn pay_for_memory_grow(&self, _pages: u16) {}
}

impl MessageAccess for CoreHost {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        false
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl MeteringAccess for CoreHost {
    fn evm_gas_left(&self) -> u64 {
        u64::MAX
    }
    fn evm_ink_left(&self) -> u64 {
        u64::MAX
    }
    fn tx_gas_price(&self) -> U256 {
        U256::ZERO
    }
    fn tx_ink_price(&self) -> u32 {
        10_000
    }
}

impl RawLogAccess for CoreHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}
