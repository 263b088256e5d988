//! The SDK host of one contract on a [`Chain`].
//!
//! The SDK's host traits are `unsafe` (raw pointers from its call paths), hence the module-wide
//! allowance; the pointers are read only for the lengths the SDK passes.
#![allow(unsafe_code)]
use std::{cell::RefCell, rc::Rc, slice};

use alloy_primitives::{keccak256, Address, B256, U256};
use stylus_sdk::stylus_core::{
    AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host,
    MemoryAccess, MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess,
    UnsafeDeploymentAccess,
};

use crate::chain::Chain;

/// The host a contract at `address` runs on.
#[derive(Clone)]
pub struct ChainHost {
    chain: Chain,
    address: Address,
    ret: Rc<RefCell<Vec<u8>>>,
}

impl ChainHost {
    /// A host for the contract at `address` on `chain`.
    pub fn new(chain: Chain, address: Address) -> Self {
        Self {
            chain,
            address,
            ret: Rc::new(RefCell::new(Vec::new())),
        }
    }

    fn route(
        &self,
        to: *const u8,
        data: *const u8,
        len: usize,
        value: U256,
        is_static: bool,
        outs: &mut usize,
    ) -> u8 {
        // SAFETY: the SDK passes a 20-byte address and `len` readable bytes.
        let (to, data) = unsafe {
            (
                Address::from_slice(slice::from_raw_parts(to, 20)),
                slice::from_raw_parts(data, len).to_vec(),
            )
        };
        let r = self.chain.exec(self.address, to, &data, value, is_static);
        let (status, out) = match r {
            Ok(d) => (0, d),
            Err(d) => (1, d),
        };
        *outs = out.len();
        *self.ret.borrow_mut() = out;
        status
    }
}

impl Host for ChainHost {}

impl CryptographyAccess for ChainHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        keccak256(input)
    }
}

impl CalldataAccess for ChainHost {
    fn read_args(&self, _len: usize) -> Vec<u8> {
        // The router receives the calldata directly.
        Vec::new()
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let data = self.ret.borrow();
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |s| (start + s).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.ret.borrow().len()
    }
    fn write_result(&self, _data: &[u8]) {}
}

// SAFETY: never dereferences its arguments; the cross-chain contracts never deploy.
unsafe impl UnsafeDeploymentAccess for ChainHost {
    unsafe fn create1(
        &self,
        _code: *const u8,
        _code_len: usize,
        _endowment: *const u8,
        _contract: *mut u8,
        _revert_data_len: *mut usize,
    ) {
        unimplemented!("the cross-chain contracts never deploy")
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
        unimplemented!("the cross-chain contracts never deploy")
    }
}

impl StorageAccess for ChainHost {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.chain.load(self.address, key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.chain.store(self.address, key, value)
    }
    fn flush_cache(&self, _clear: bool) {}
}

// SAFETY: the pointers come from the SDK's `RawCall` with the lengths it states; they are
// copied before anything else happens.
unsafe impl UnsafeCallAccess for ChainHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let v = if value.is_null() {
            U256::ZERO
        } else {
            // SAFETY: a non-null value points to 32 bytes.
            U256::from_be_slice(unsafe { slice::from_raw_parts(value, 32) })
        };
        self.route(to, data, data_len, v, false, outs_len)
    }
    unsafe fn delegate_call_contract(
        &self,
        _to: *const u8,
        _data: *const u8,
        _data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        *outs_len = 0;
        1
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.route(to, data, data_len, U256::ZERO, true, outs_len)
    }
}

impl BlockAccess for ChainHost {
    fn block_basefee(&self) -> U256 {
        U256::ZERO
    }
    fn block_coinbase(&self) -> Address {
        Address::ZERO
    }
    fn block_number(&self) -> u64 {
        self.chain.block()
    }
    fn block_timestamp(&self) -> u64 {
        self.chain.now()
    }
    fn block_gas_limit(&self) -> u64 {
        30_000_000
    }
}

impl ChainAccess for ChainHost {
    fn chain_id(&self) -> u64 {
        self.chain.chain_id()
    }
}

impl AccountAccess for ChainHost {
    fn balance(&self, account: Address) -> U256 {
        self.chain.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.address
    }
    fn code(&self, account: Address) -> Vec<u8> {
        if self.chain.has_code(account) {
            vec![0xef]
        } else {
            Vec::new()
        }
    }
    fn code_size(&self, account: Address) -> usize {
        usize::from(self.chain.has_code(account))
    }
    fn code_hash(&self, account: Address) -> B256 {
        if self.chain.has_code(account) {
            keccak256(account)
        } else {
            B256::ZERO
        }
    }
}

impl MemoryAccess for ChainHost {
    fn pay_for_memory_grow(&self, _pages: u16) {}
}

impl MessageAccess for ChainHost {
    fn msg_sender(&self) -> Address {
        self.chain.frame_of(self.address).0
    }
    fn msg_reentrant(&self) -> bool {
        false
    }
    fn msg_value(&self) -> U256 {
        self.chain.frame_of(self.address).1
    }
    fn tx_origin(&self) -> Address {
        self.chain.origin()
    }
}

impl MeteringAccess for ChainHost {
    fn evm_gas_left(&self) -> u64 {
        u64::MAX / 2
    }
    fn evm_ink_left(&self) -> u64 {
        u64::MAX / 2
    }
    fn tx_gas_price(&self) -> U256 {
        U256::ZERO
    }
    fn tx_ink_price(&self) -> u32 {
        1
    }
}

impl RawLogAccess for ChainHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        let split = (num_topics * 32).min(input.len());
        let topics = input[..split].chunks(32).map(B256::from_slice).collect();
        self.chain
            .emit(self.address, topics, input[split..].to_vec());
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.chain
            .emit(self.address, topics.to_vec(), data.to_vec());
        Ok(())
    }
}
