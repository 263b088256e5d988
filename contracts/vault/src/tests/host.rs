//! A small test chain for the vault: the vault, its redeem queue and the real LRT each run on
//! their own stylus-sdk `TestVM` and are reached through their ABI routers; ERC-20 tokens, rate
//! providers and ETH receivers are in-Rust fakes.
//!
//! `TestVM` cannot run other contracts, and its `mock_call` keys return data by registration
//! (stale data for unmocked calls, one mock's data returned for another), so [`Host`]
//! implements `UnsafeCallAccess` itself: every call is routed by [`Chain`], ETH moves between
//! [`World::eth`] balances, and a call frame that fails rolls back every contract's storage and
//! the whole [`World`], as a revert does on chain. The return data of the last call is kept per
//! host, as the SDK reads it right after the call.
// The SDK's host traits are `unsafe` (raw pointers from its call paths); this test module
// implements them, and nothing else in the crate uses `unsafe`.
#![allow(unsafe_code)]

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use lrt_token::LrtToken;
use restake_redeem_queue::RedeemQueue;
use restake_shared::erc20::{
    ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
};
use stylus_sdk::host::VM;
use stylus_sdk::stylus_core::{self, *};
use stylus_sdk::testing::TestVM;

use crate::external::{IErc20, IRateProvider};
use crate::RestakeVault;

/// Balances, allowances and supply of a fake ERC-20 token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Account => balance.
    pub balances: BTreeMap<Address, U256>,
    /// (owner, spender) => allowance (`U256::MAX` = unlimited).
    pub allowances: BTreeMap<(Address, Address), U256>,
}

impl Ledger {
    /// Balance of `a`.
    pub fn balance(&self, a: Address) -> U256 {
        self.balances.get(&a).copied().unwrap_or_default()
    }

    /// Creates `v` for `to`.
    pub fn mint(&mut self, to: Address, v: U256) {
        *self.balances.entry(to).or_default() += v;
    }

    /// Moves `v`, or returns the EIP-6093 revert data.
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
        let a = self
            .allowances
            .get(&(owner, spender))
            .copied()
            .unwrap_or_default();
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
}

/// How a fake token behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenMode {
    /// A correct ERC-20 returning `true`.
    Normal,
    /// Moves tokens but returns no data (USDT style; accepted).
    NoReturnData,
    /// Returns `false` and moves nothing.
    ReturnsFalse,
    /// Reverts every transfer.
    Reverts,
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

/// Which Stylus contract runs at an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// [`RestakeVault`].
    Vault,
    /// [`RedeemQueue`].
    Queue,
    /// [`LrtToken`].
    Lrt,
}

/// Everything outside the contracts' storage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct World {
    /// Fake tokens by address.
    pub tokens: BTreeMap<Address, FakeToken>,
    /// Fake rate providers by address.
    pub providers: BTreeMap<Address, FakeProvider>,
    /// ETH balances.
    pub eth: BTreeMap<Address, U256>,
    /// Accounts that revert when sent ETH.
    pub eth_rejecters: HashSet<Address>,
    /// Accounts that, when sent ETH, call `(target, calldata)` with no value.
    pub reentrants: BTreeMap<Address, (Address, Vec<u8>)>,
    /// Result of the last reentrant call.
    pub reentry_result: Option<Result<Vec<u8>, Vec<u8>>>,
    /// Calls made by contracts: (from, to, selector, value).
    pub calls: Vec<(Address, Address, [u8; 4], U256)>,
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

    /// The fake token at `t`.
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
        let selector: [u8; 4] = data
            .get(..4)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(Vec::new)?;
        let t = self.token(token);
        if selector == IErc20::balanceOfCall::SELECTOR {
            let c = IErc20::balanceOfCall::abi_decode(data).map_err(|_| Vec::new())?;
            return Ok(t.ledger.balance(c.account).to_be_bytes::<32>().to_vec());
        }
        if is_static {
            return Err(Vec::new());
        }
        let (from, to, value, spend) = match selector {
            IErc20::transferCall::SELECTOR => {
                let c = IErc20::transferCall::abi_decode(data).map_err(|_| Vec::new())?;
                (caller, c.to, c.value, false)
            }
            IErc20::transferFromCall::SELECTOR => {
                let c = IErc20::transferFromCall::abi_decode(data).map_err(|_| Vec::new())?;
                (c.from, c.to, c.value, true)
            }
            _ => return Err(Vec::new()),
        };
        match t.mode {
            TokenMode::Reverts => return Err(b"token paused".to_vec()),
            TokenMode::ReturnsFalse => return Ok(U256::ZERO.to_be_bytes::<32>().to_vec()),
            _ => {}
        }
        let mut next = t.ledger.clone();
        if spend {
            next.spend(from, caller, value)?;
        }
        next.transfer(from, to, value)?;
        t.ledger = next;
        Ok(if t.mode == TokenMode::NoReturnData {
            Vec::new()
        } else {
            U256::from(1).to_be_bytes::<32>().to_vec()
        })
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
}

/// One Stylus contract of the chain.
#[derive(Clone)]
pub struct Node {
    /// Its VM (storage, logs, sender, value).
    pub vm: TestVM,
    /// What runs there.
    pub kind: Kind,
}

/// The contracts and the world, shared by every host.
#[derive(Default)]
pub struct ChainState {
    /// Stylus contracts by address.
    pub nodes: BTreeMap<Address, Node>,
    /// Everything else.
    pub world: World,
    /// Block time.
    pub now: u64,
}

/// A handle on the chain.
pub type Chain = Rc<RefCell<ChainState>>;

/// A saved state: every contract's storage and the world.
pub struct Snapshot {
    storages: Vec<(TestVM, HashMap<U256, B256>)>,
    world: World,
}

/// Saves every contract's storage and the world.
pub fn snapshot(chain: &Chain) -> Snapshot {
    let c = chain.borrow();
    Snapshot {
        storages: c
            .nodes
            .values()
            .map(|n| (n.vm.clone(), n.vm.snapshot().storage))
            .collect(),
        world: c.world.clone(),
    }
}

/// Restores a [`snapshot`].
pub fn restore(chain: &Chain, s: Snapshot) {
    for (vm, storage) in s.storages {
        vm.clear_storage();
        for (k, v) in storage {
            vm.set_storage(k, v);
        }
    }
    chain.borrow_mut().world = s.world;
}

/// Runs `data` on the contract at `to` as a call from `from` with `value` wei, with revert
/// semantics: ETH moves first, and on failure every change since the call began is undone.
/// Calls to fakes and plain accounts are answered by the [`World`].
pub fn call(
    chain: &Chain,
    from: Address,
    to: Address,
    data: &[u8],
    value: U256,
    is_static: bool,
) -> Result<Vec<u8>, Vec<u8>> {
    let saved = snapshot(chain);
    let r = dispatch(chain, from, to, data, value, is_static);
    if r.is_err() {
        restore(chain, saved);
    }
    r
}

fn dispatch(
    chain: &Chain,
    from: Address,
    to: Address,
    data: &[u8],
    value: U256,
    is_static: bool,
) -> Result<Vec<u8>, Vec<u8>> {
    let selector = data
        .get(..4)
        .and_then(|s| s.try_into().ok())
        .unwrap_or_default();
    let node = {
        let mut c = chain.borrow_mut();
        c.world.calls.push((from, to, selector, value));
        if !value.is_zero() {
            if is_static {
                return Err(Vec::new());
            }
            let w = &mut c.world;
            if w.tokens.contains_key(&to) || w.providers.contains_key(&to) {
                return Err(Vec::new());
            }
            if w.eth_rejecters.contains(&to) {
                return Err(b"no ETH please".to_vec());
            }
            w.move_eth(from, to, value)?;
        }
        c.nodes.get(&to).cloned()
    };
    if let Some(node) = node {
        return run_node(chain, &node, to, from, data, value);
    }
    let reentry = {
        let mut c = chain.borrow_mut();
        let w = &mut c.world;
        if w.tokens.contains_key(&to) {
            return w.token_call(to, from, data, is_static);
        }
        if w.providers.contains_key(&to) {
            return w.provider_call(to, data);
        }
        w.reentrants.get(&to).cloned()
    };
    // A plain account: succeeds with no data, and a reentrant receiver calls back.
    if let (Some((target, calldata)), false) = (reentry, value.is_zero()) {
        let r = call(chain, to, target, &calldata, U256::ZERO, false);
        chain.borrow_mut().world.reentry_result = Some(r);
    }
    Ok(Vec::new())
}

/// Runs a contract's router with `from` as sender and `value` as value.
fn run_node(
    chain: &Chain,
    node: &Node,
    to: Address,
    from: Address,
    data: &[u8],
    value: U256,
) -> Result<Vec<u8>, Vec<u8>> {
    let (prev_sender, prev_value) = (node.vm.msg_sender(), node.vm.msg_value());
    node.vm.set_sender(from);
    node.vm.set_value(value);
    node.vm.set_block_timestamp(chain.borrow().now);
    let host = Host::new(node.vm.clone(), to, chain.clone());
    let vm = VM {
        host: Box::new(host),
    };
    let input = data.to_vec();
    let r = match node.kind {
        Kind::Vault => stylus_sdk::abi::router_entrypoint::<RestakeVault, RestakeVault>(input, vm),
        Kind::Queue => stylus_sdk::abi::router_entrypoint::<RedeemQueue, RedeemQueue>(input, vm),
        Kind::Lrt => stylus_sdk::abi::router_entrypoint::<LrtToken, LrtToken>(input, vm),
    };
    node.vm.set_sender(prev_sender);
    node.vm.set_value(prev_value);
    r
}

/// The host a contract of the chain runs on.
#[derive(Clone)]
pub struct Host {
    /// The contract's own VM.
    pub vm: TestVM,
    /// Its address.
    pub me: Address,
    /// The chain.
    pub chain: Chain,
    /// Return data of the last call it made.
    ret: Rc<RefCell<Vec<u8>>>,
}

impl Host {
    /// A host for the contract at `me` on `vm`.
    pub fn new(vm: TestVM, me: Address, chain: Chain) -> Self {
        Self {
            vm,
            me,
            chain,
            ret: Rc::new(RefCell::new(Vec::new())),
        }
    }

    fn out_call(&self, to: Address, data: &[u8], value: U256, is_static: bool) -> (u8, usize) {
        let r = call(&self.chain, self.me, to, data, value, is_static);
        let (status, bytes) = match r {
            Ok(b) => (0, b),
            Err(b) => (1, b),
        };
        let len = bytes.len();
        *self.ret.borrow_mut() = bytes;
        (status, len)
    }
}

impl stylus_core::Host for Host {}

impl CryptographyAccess for Host {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for Host {
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

// SAFETY: nothing here deploys contracts; the calls are forwarded to TestVM unchanged.
unsafe impl UnsafeDeploymentAccess for Host {
    unsafe fn create1(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        // SAFETY: the caller's contract, forwarded.
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
        // SAFETY: the caller's contract, forwarded.
        unsafe {
            self.vm
                .create2(code, code_len, endowment, salt, contract, revert_data_len)
        }
    }
}

impl StorageAccess for Host {
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

/// Copies the SDK's raw call arguments.
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
unsafe impl UnsafeCallAccess for Host {
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
        let (status, len) = self.out_call(to, &data, value, false);
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
        // Neither contract delegate-calls.
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
        let (status, len) = self.out_call(to, &data, U256::ZERO, true);
        *outs_len = len;
        status
    }
}

impl BlockAccess for Host {
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
        self.chain.borrow().now
    }
    fn block_gas_limit(&self) -> u64 {
        self.vm.block_gas_limit()
    }
}

impl ChainAccess for Host {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for Host {
    fn balance(&self, account: Address) -> U256 {
        self.chain.borrow().world.eth_of(account)
    }
    fn contract_address(&self) -> Address {
        self.me
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

impl MemoryAccess for Host {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages)
    }
}

impl MessageAccess for Host {
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

impl MeteringAccess for Host {
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

impl RawLogAccess for Host {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}
