//! A test host for the vault: stylus-sdk's `TestVM` for storage, logs, sender, value and time,
//! with every call to another contract answered outside the vault: the LRT is the real
//! [`lrt_token::LrtToken`] running on a second `TestVM` and reached through its ABI router (so
//! the vault's hand-encoded calldata is decoded by the real token), while ERC-20 tokens, rate
//! providers and ETH receivers are in-Rust fakes.
//!
//! `TestVM` cannot run other contracts, and its `mock_call` keys return data by registration
//! (stale data for unmocked calls, one mock's data returned for another); so the host
//! implements `UnsafeCallAccess` itself and keeps the callee's return data in its own buffer.
// The host traits of the SDK are `unsafe` (raw pointers from the SDK's call paths); this test
// module implements them, and nothing else in the crate uses `unsafe`.
#![allow(unsafe_code)]

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use lrt_token::LrtToken;
use restake_shared::erc20::{
    ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
};
use stylus_sdk::host::VM;
use stylus_sdk::stylus_core::*;
use stylus_sdk::testing::TestVM;

use crate::external::{IErc20, IRateProvider};
use crate::RestakeVault;

/// Balances, allowances and supply of a fake ERC-20 token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Account => balance.
    pub balances: HashMap<Address, U256>,
    /// (owner, spender) => allowance (`U256::MAX` = unlimited).
    pub allowances: HashMap<(Address, Address), U256>,
    /// Sum of balances.
    pub supply: U256,
}

impl Ledger {
    /// Balance of `a`.
    pub fn balance(&self, a: Address) -> U256 {
        self.balances.get(&a).copied().unwrap_or_default()
    }

    /// Allowance of `spender` over `owner`.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances
            .get(&(owner, spender))
            .copied()
            .unwrap_or_default()
    }

    /// Sets an allowance.
    pub fn approve(&mut self, owner: Address, spender: Address, value: U256) {
        self.allowances.insert((owner, spender), value);
    }

    /// Creates `v` for `to`.
    pub fn mint(&mut self, to: Address, v: U256) {
        *self.balances.entry(to).or_default() += v;
        self.supply += v;
    }

    /// Moves `v` from `from` to `to`, or returns the EIP-6093 revert data.
    pub fn transfer(&mut self, from: Address, to: Address, v: U256) -> Result<(), Vec<u8>> {
        if to.is_zero() {
            return Err(ERC20InvalidReceiver { receiver: to }.abi_encode());
        }
        let bal = self.balance(from);
        if bal < v {
            return Err(ERC20InsufficientBalance {
                sender: from,
                balance: bal,
                needed: v,
            }
            .abi_encode());
        }
        self.balances.insert(from, bal - v);
        *self.balances.entry(to).or_default() += v;
        Ok(())
    }

    /// Spends `v` of `spender`'s allowance over `owner`.
    pub fn spend(&mut self, owner: Address, spender: Address, v: U256) -> Result<(), Vec<u8>> {
        let a = self.allowance(owner, spender);
        if a == U256::MAX {
            return Ok(());
        }
        if a < v {
            return Err(ERC20InsufficientAllowance {
                spender,
                allowance: a,
                needed: v,
            }
            .abi_encode());
        }
        self.allowances.insert((owner, spender), a - v);
        Ok(())
    }

    /// Destroys `v` of `from`.
    pub fn burn(&mut self, from: Address, v: U256) -> Result<(), Vec<u8>> {
        let bal = self.balance(from);
        if bal < v {
            return Err(ERC20InsufficientBalance {
                sender: from,
                balance: bal,
                needed: v,
            }
            .abi_encode());
        }
        self.balances.insert(from, bal - v);
        self.supply -= v;
        Ok(())
    }
}

/// How a fake token behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenMode {
    /// A correct ERC-20 returning `true`.
    Normal,
    /// Moves tokens but returns no data (USDT style; acceptable).
    NoReturnData,
    /// Returns `false` and moves nothing.
    ReturnsFalse,
    /// Reverts every transfer.
    Reverts,
    /// Returns `true` but moves nothing.
    Lies,
    /// Takes a 1% fee from every transfer.
    FeeOnTransfer,
}

/// A fake ERC-20 liquid staking token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeToken {
    /// Its ledger.
    pub ledger: Ledger,
    /// Its behaviour.
    pub mode: TokenMode,
}

/// How a fake rate provider answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderMode {
    /// Returns the rate (zero included).
    Answers,
    /// Reverts.
    Reverts,
    /// Returns 16 bytes.
    Short,
}

/// A fake rate provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeProvider {
    /// Wei per 1e18 token units.
    pub rate: U256,
    /// Behaviour.
    pub mode: ProviderMode,
}

/// What a reentrant ETH receiver does when paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reentry {
    /// Calls `claim(id, itself)` on the vault.
    Claim(U256),
    /// Calls `deposit(itself)` with no value.
    Deposit,
}

/// One call the vault made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRecord {
    /// Callee.
    pub to: Address,
    /// Selector (zero for a plain ETH transfer).
    pub selector: [u8; 4],
    /// ETH sent.
    pub value: U256,
    /// Static call.
    pub is_static: bool,
}

/// The state of everything outside the vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct World {
    /// The vault's address.
    pub vault: Address,
    /// The LRT's address (its state lives in [`TestHost::lrt_vm`]).
    pub lrt_address: Address,
    /// Tokens by address.
    pub tokens: HashMap<Address, FakeToken>,
    /// Rate providers by address.
    pub providers: HashMap<Address, FakeProvider>,
    /// ETH balances.
    pub eth: HashMap<Address, U256>,
    /// Addresses that revert when sent ETH.
    pub eth_rejecters: HashSet<Address>,
    /// Addresses that call back into the vault when sent ETH.
    pub reentrants: HashMap<Address, Reentry>,
    /// Result of the last reentrant call: `Ok` or the revert data.
    pub reentry_result: Option<Result<(), Vec<u8>>>,
    /// Calls made, in order.
    pub calls: Vec<CallRecord>,
}

impl World {
    /// ETH balance of `a`.
    pub fn eth_of(&self, a: Address) -> U256 {
        self.eth.get(&a).copied().unwrap_or_default()
    }

    /// Moves ETH, or fails when `from` has too little.
    pub fn move_eth(&mut self, from: Address, to: Address, v: U256) -> Result<(), Vec<u8>> {
        let b = self.eth_of(from);
        if b < v {
            return Err(Vec::new());
        }
        self.eth.insert(from, b - v);
        *self.eth.entry(to).or_default() += v;
        Ok(())
    }

    /// Token `t` (panics in the test when unknown).
    pub fn token(&mut self, t: Address) -> &mut FakeToken {
        self.tokens.get_mut(&t).expect("unknown fake token")
    }

    fn token_call(
        &mut self,
        token: Address,
        caller: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let selector: [u8; 4] = data.get(..4).ok_or_else(Vec::new)?.try_into().unwrap_or_default();
        let t = self.token(token);
        let ok = |mode: TokenMode| {
            if mode == TokenMode::NoReturnData {
                Vec::new()
            } else {
                U256::from(1).to_be_bytes::<32>().to_vec()
            }
        };
        if selector == IErc20::balanceOfCall::SELECTOR {
            let c = IErc20::balanceOfCall::abi_decode(data).map_err(|_| Vec::new())?;
            return Ok(t.ledger.balance(c.account).to_be_bytes::<32>().to_vec());
        }
        if is_static {
            return Err(Vec::new());
        }
        let (from, to, value) = match selector {
            IErc20::transferCall::SELECTOR => {
                let c = IErc20::transferCall::abi_decode(data).map_err(|_| Vec::new())?;
                (caller, c.to, c.value)
            }
            IErc20::transferFromCall::SELECTOR => {
                let c = IErc20::transferFromCall::abi_decode(data).map_err(|_| Vec::new())?;
                (c.from, c.to, c.value)
            }
            _ => return Err(Vec::new()),
        };
        match t.mode {
            TokenMode::Reverts => return Err(Vec::new()),
            TokenMode::ReturnsFalse => return Ok(U256::ZERO.to_be_bytes::<32>().to_vec()),
            TokenMode::Lies => return Ok(ok(t.mode)),
            _ => {}
        }
        let mut next = t.ledger.clone();
        if selector == IErc20::transferFromCall::SELECTOR {
            next.spend(from, caller, value)?;
        }
        next.transfer(from, to, value)?;
        if t.mode == TokenMode::FeeOnTransfer {
            let fee = value / U256::from(100);
            next.burn(to, fee)?;
        }
        t.ledger = next;
        Ok(ok(t.mode))
    }

    fn provider_call(&self, provider: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let p = &self.providers[&provider];
        if data != IRateProvider::getRateCall::SELECTOR.as_slice() {
            return Err(Vec::new());
        }
        match p.mode {
            ProviderMode::Answers => Ok(p.rate.to_be_bytes::<32>().to_vec()),
            ProviderMode::Reverts => Err(b"rate provider down".to_vec()),
            ProviderMode::Short => Ok(vec![0u8; 16]),
        }
    }

    /// Runs a call from `caller` to anything but the LRT; returns the reentry to perform
    /// afterwards, if any.
    fn dispatch(
        &mut self,
        caller: Address,
        to: Address,
        data: &[u8],
        value: U256,
        is_static: bool,
    ) -> (Result<Vec<u8>, Vec<u8>>, Option<Reentry>) {
        self.calls.push(CallRecord {
            to,
            selector: data
                .get(..4)
                .and_then(|s| s.try_into().ok())
                .unwrap_or_default(),
            value,
            is_static,
        });
        let contract = self.tokens.contains_key(&to) || self.providers.contains_key(&to);
        if !value.is_zero() {
            // Every fake contract is non-payable; an ETH receiver may reject or reenter.
            if contract || self.eth_rejecters.contains(&to) {
                return (Err(Vec::new()), None);
            }
            if let Err(e) = self.move_eth(caller, to, value) {
                return (Err(e), None);
            }
            return (Ok(Vec::new()), self.reentrants.get(&to).copied());
        }
        let r = if self.tokens.contains_key(&to) {
            self.token_call(to, caller, data, is_static)
        } else if self.providers.contains_key(&to) {
            self.provider_call(to, data)
        } else {
            // An account without code: every call succeeds with no data.
            Ok(Vec::new())
        };
        (r, None)
    }
}

/// The host the vault runs on in tests.
#[derive(Clone)]
pub struct TestHost {
    /// Storage, logs, sender, value, time.
    pub vm: TestVM,
    /// Everything outside the vault but the LRT.
    pub world: Rc<RefCell<World>>,
    /// The LRT's own VM: its storage, logs, sender and value.
    pub lrt_vm: TestVM,
    /// Return data of the last call the vault made.
    ret: Rc<RefCell<Vec<u8>>>,
}

impl TestHost {
    /// A host for a vault at `vault`, with the LRT deployed at `lrt` by `lrt_admin` (who must
    /// still grant the vault the minter role).
    pub fn new(vault: Address, lrt: Address, lrt_admin: Address) -> Self {
        let vm = TestVM::new();
        vm.set_contract_address(vault);
        let lrt_vm = TestVM::new();
        lrt_vm.set_contract_address(lrt);
        lrt_vm.set_sender(lrt_admin);
        LrtToken::from(&lrt_vm)
            .constructor("Restaked Ether".into(), "rstETH".into(), lrt_admin)
            .expect("LRT constructor");
        let world = World {
            vault,
            lrt_address: lrt,
            tokens: HashMap::new(),
            providers: HashMap::new(),
            eth: HashMap::new(),
            eth_rejecters: HashSet::new(),
            reentrants: HashMap::new(),
            reentry_result: None,
            calls: Vec::new(),
        };
        Self {
            vm,
            world: Rc::new(RefCell::new(world)),
            lrt_vm,
            ret: Rc::new(RefCell::new(Vec::new())),
        }
    }

    /// The LRT as `LrtToken` (reads and direct calls; set the sender on [`Self::lrt_vm`]).
    pub fn lrt(&self) -> LrtToken {
        LrtToken::from(&self.lrt_vm)
    }

    /// Runs `data` through the LRT's ABI router as `caller`.
    pub fn lrt_router(&self, caller: Address, data: &[u8], value: U256) -> Result<Vec<u8>, Vec<u8>> {
        self.lrt_vm.set_sender(caller);
        self.lrt_vm.set_value(value);
        let r = stylus_sdk::abi::router_entrypoint::<LrtToken, LrtToken>(
            data.to_vec(),
            VM {
                host: Box::new(self.lrt_vm.clone()),
            },
        );
        self.lrt_vm.set_value(U256::ZERO);
        r
    }

    /// Runs the call, then any reentry it triggers, and leaves the return data for the SDK.
    fn do_call(&self, to: Address, data: &[u8], value: U256, is_static: bool) -> (u8, usize) {
        let caller = self.vm.contract_address();
        let lrt = self.world.borrow().lrt_address;
        let (result, reentry) = if to == lrt {
            self.world.borrow_mut().calls.push(CallRecord {
                to,
                selector: data.get(..4).and_then(|s| s.try_into().ok()).unwrap_or_default(),
                value,
                is_static,
            });
            // A static call to a state-changing LRT function would revert on chain; the vault
            // makes none, and the token's own checks would not catch one, so refuse it here.
            if is_static {
                (Err(Vec::new()), None)
            } else {
                (self.lrt_router(caller, data, value), None)
            }
        } else {
            self.world
                .borrow_mut()
                .dispatch(caller, to, data, value, is_static)
        };
        if let Some(reentry) = reentry {
            self.reenter(to, reentry);
        }
        let (status, bytes) = match result {
            Ok(b) => (0, b),
            Err(b) => (1, b),
        };
        let len = bytes.len();
        *self.ret.borrow_mut() = bytes;
        (status, len)
    }

    /// `who` calls back into the vault while it is paying it.
    fn reenter(&self, who: Address, reentry: Reentry) {
        let sender = self.vm.msg_sender();
        let value = self.vm.msg_value();
        self.vm.set_sender(who);
        self.vm.set_value(U256::ZERO);
        let mut vault = RestakeVault::from(self);
        let r = match reentry {
            Reentry::Claim(id) => vault.claim(id, who).map(drop),
            Reentry::Deposit => vault.deposit(who).map(drop),
        };
        self.vm.set_sender(sender);
        self.vm.set_value(value);
        self.world.borrow_mut().reentry_result = Some(r.map_err(Vec::from));
    }
}

impl Host for TestHost {}

impl CryptographyAccess for TestHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for TestHost {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
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
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data)
    }
}

// SAFETY: the vault never deploys contracts; the calls are forwarded to TestVM unchanged.
unsafe impl UnsafeDeploymentAccess for TestHost {
    unsafe fn create1(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        // SAFETY: same contract as the caller's.
        unsafe {
            self.vm
                .create1(code, code_len, endowment, contract, revert_data_len)
        }
    }
    unsafe fn create2(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        // SAFETY: same contract as the caller's.
        unsafe {
            self.vm
                .create2(code, code_len, endowment, salt, contract, revert_data_len)
        }
    }
}

impl StorageAccess for TestHost {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        // SAFETY: forwarded unchanged.
        unsafe { self.vm.storage_cache_bytes32(key, value) }
    }
    fn flush_cache(&self, clear: bool) {
        self.vm.flush_cache(clear)
    }
}

/// Reads the SDK's raw call arguments.
///
/// # Safety
/// `to` points to 20 bytes, `data` to `data_len` bytes and `value` (when not null) to 32, as
/// the SDK's `RawCall` guarantees.
unsafe fn call_args(
    to: *const u8,
    data: *const u8,
    data_len: usize,
    value: *const u8,
) -> (Address, Vec<u8>, U256) {
    // SAFETY: see the function's contract.
    unsafe {
        let to = Address::from_slice(std::slice::from_raw_parts(to, 20));
        let data = std::slice::from_raw_parts(data, data_len).to_vec();
        let value = if value.is_null() {
            U256::ZERO
        } else {
            U256::from_be_slice(std::slice::from_raw_parts(value, 32))
        };
        (to, data, value)
    }
}

// SAFETY: the pointers come from the SDK's `RawCall`, which passes live buffers of the stated
// lengths; the host copies them before doing anything else.
unsafe impl UnsafeCallAccess for TestHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        // SAFETY: see the impl.
        let (to, data, value) = unsafe { call_args(to, data, data_len, value) };
        let (status, len) = self.do_call(to, &data, value, false);
        *outs_len = len;
        status
    }
    unsafe fn delegate_call_contract(
        &self,
        _to: *const u8,
        _data: *const u8,
        _data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        // The vault never delegate-calls.
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
        // SAFETY: see the impl.
        let (to, data, _) = unsafe { call_args(to, data, data_len, std::ptr::null()) };
        let (status, len) = self.do_call(to, &data, U256::ZERO, true);
        *outs_len = len;
        status
    }
}

impl BlockAccess for TestHost {
    fn block_basefee(&self) -> U256 {
        self.vm.block_basefee()
    }
    fn block_coinbase(&self) -> Address {
        self.vm.block_coinbase()
    }
    fn block_number(&self) -> u64 {
        self.vm.block_number()
    }
    fn block_timestamp(&self) -> u64 {
        self.vm.block_timestamp()
    }
    fn block_gas_limit(&self) -> u64 {
        self.vm.block_gas_limit()
    }
}

impl ChainAccess for TestHost {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for TestHost {
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

impl MemoryAccess for TestHost {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages)
    }
}

impl MessageAccess for TestHost {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        self.vm.msg_reentrant()
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl MeteringAccess for TestHost {
    fn evm_gas_left(&self) -> u64 {
        self.vm.evm_gas_left()
    }
    fn evm_ink_left(&self) -> u64 {
        self.vm.evm_ink_left()
    }
    fn tx_gas_price(&self) -> U256 {
        self.vm.tx_gas_price()
    }
    fn tx_ink_price(&self) -> u32 {
        self.vm.tx_ink_price()
    }
}

impl RawLogAccess for TestHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}
