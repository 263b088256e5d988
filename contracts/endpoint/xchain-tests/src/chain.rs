//! One in-process chain: journaled state, programs, fakes and the call stack.
use std::{cell::RefCell, collections::HashMap, rc::Rc};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use stylus_sdk::{
    abi::{router_entrypoint, Router, CONSTRUCTOR_SELECTOR},
    host::VM,
    storage::StorageType,
    stylus_core::{TopLevelStorage, ValueDenier},
    ArbResult,
};

use crate::host::ChainHost;

/// A contract's ABI router, ready to run calldata on a host.
type Program = Rc<dyn Fn(Vec<u8>, VM) -> ArbResult>;

/// A contract implemented in Rust (not journaled: a fake that changes its own state on a call
/// that later reverts keeps the change, so fakes used here only answer views or are driven by
/// the test directly).
pub trait Fake {
    /// Handles a call from `from` with `data` and `value`.
    ///
    /// # Errors
    /// The revert data.
    fn call(
        &mut self,
        chain: &Chain,
        from: Address,
        data: &[u8],
        value: U256,
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>>;
}

/// An emitted log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// Emitting contract.
    pub address: Address,
    /// Topics (the event signature first).
    pub topics: Vec<B256>,
    /// ABI-encoded non-indexed fields.
    pub data: Vec<u8>,
}

/// Everything a reverting frame undoes.
#[derive(Clone, Default, PartialEq, Eq)]
struct Journal {
    storage: HashMap<Address, HashMap<U256, B256>>,
    eth: HashMap<Address, U256>,
    logs: Vec<Log>,
}

/// One call frame.
struct Frame {
    address: Address,
    sender: Address,
    value: U256,
}

struct State {
    chain_id: u64,
    now: u64,
    block: u64,
    origin: Address,
    journal: Journal,
    programs: HashMap<Address, Program>,
    fakes: HashMap<Address, Rc<RefCell<dyn Fake>>>,
    stack: Vec<Frame>,
}

/// A chain (cheap to clone: clones share the state).
#[derive(Clone)]
pub struct Chain(Rc<RefCell<State>>);

impl Chain {
    /// An empty chain with id `chain_id`, at time 1,000,000.
    pub fn new(chain_id: u64) -> Self {
        Self(Rc::new(RefCell::new(State {
            chain_id,
            now: 1_000_000,
            block: 1,
            origin: Address::ZERO,
            journal: Journal::default(),
            programs: HashMap::new(),
            fakes: HashMap::new(),
            stack: Vec::new(),
        })))
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.0.borrow().chain_id
    }

    /// Current block timestamp.
    pub fn now(&self) -> u64 {
        self.0.borrow().now
    }

    /// Current block number.
    pub fn block(&self) -> u64 {
        self.0.borrow().block
    }

    /// Moves time forward by `secs` (and the block number by one).
    pub fn warp(&self, secs: u64) {
        let mut s = self.0.borrow_mut();
        s.now += secs;
        s.block += 1;
    }

    /// ETH balance of `a`.
    pub fn balance(&self, a: Address) -> U256 {
        self.0
            .borrow()
            .journal
            .eth
            .get(&a)
            .copied()
            .unwrap_or_default()
    }

    /// Gives `a` `amount` more ETH.
    pub fn fund(&self, a: Address, amount: U256) {
        let mut s = self.0.borrow_mut();
        *s.journal.eth.entry(a).or_default() += amount;
    }

    /// Every log emitted so far (reverted frames' logs removed).
    pub fn logs(&self) -> Vec<Log> {
        self.0.borrow().journal.logs.clone()
    }

    /// Number of logs emitted so far.
    pub fn log_count(&self) -> usize {
        self.0.borrow().journal.logs.len()
    }

    /// Logs emitted since `start` (a [`Self::log_count`]).
    pub fn logs_since(&self, start: usize) -> Vec<Log> {
        self.0.borrow().journal.logs[start..].to_vec()
    }

    /// Whether `a` has code (a program or a fake).
    pub fn has_code(&self, a: Address) -> bool {
        let s = self.0.borrow();
        s.programs.contains_key(&a) || s.fakes.contains_key(&a)
    }

    /// Registers a fake at `address`.
    pub fn add_fake(&self, address: Address, fake: Rc<RefCell<dyn Fake>>) {
        self.0.borrow_mut().fakes.insert(address, fake);
    }

    /// Deploys Stylus contract `C` at `address` and runs its constructor with the ABI-encoded
    /// `args` as `deployer`.
    ///
    /// # Errors
    /// The constructor's revert data (the program stays registered but its storage is
    /// rolled back).
    pub fn deploy<C>(
        &self,
        address: Address,
        deployer: Address,
        args: Vec<u8>,
    ) -> Result<(), Vec<u8>>
    where
        C: Router<C> + StorageType + TopLevelStorage + ValueDenier + 'static,
        C: std::borrow::BorrowMut<<C as Router<C>>::Storage>,
    {
        let program: Program = Rc::new(|data, vm| router_entrypoint::<C, C>(data, vm));
        self.0.borrow_mut().programs.insert(address, program);
        let mut data = CONSTRUCTOR_SELECTOR.to_be_bytes().to_vec();
        data.extend_from_slice(&args);
        self.call(deployer, address, data, U256::ZERO).map(drop)
    }

    /// A transaction: `from` calls `to` with `data` and `value`.
    ///
    /// # Errors
    /// The revert data; every change of the call is undone.
    pub fn call(
        &self,
        from: Address,
        to: Address,
        data: Vec<u8>,
        value: U256,
    ) -> Result<Vec<u8>, Vec<u8>> {
        self.0.borrow_mut().origin = from;
        self.exec(from, to, &data, value, false)
    }

    /// A read-only call from `from`.
    ///
    /// # Errors
    /// The revert data.
    pub fn view(&self, from: Address, to: Address, data: Vec<u8>) -> Result<Vec<u8>, Vec<u8>> {
        self.exec(from, to, &data, U256::ZERO, true)
    }

    /// A typed transaction.
    ///
    /// # Errors
    /// The revert data.
    pub fn send<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        call: &C,
        value: U256,
    ) -> Result<C::Return, Vec<u8>> {
        let out = self.call(from, to, call.abi_encode(), value)?;
        Ok(C::abi_decode_returns(&out).expect("malformed return data"))
    }

    /// A typed view.
    ///
    /// # Errors
    /// The revert data.
    pub fn get<C: SolCall>(&self, to: Address, call: &C) -> Result<C::Return, Vec<u8>> {
        let out = self.view(Address::ZERO, to, call.abi_encode())?;
        Ok(C::abi_decode_returns(&out).expect("malformed return data"))
    }

    /// Runs one call frame.
    pub(crate) fn exec(
        &self,
        from: Address,
        to: Address,
        data: &[u8],
        value: U256,
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let before = self.0.borrow().journal.clone();
        let r = self.run(from, to, data, value, is_static);
        let mut s = self.0.borrow_mut();
        if is_static {
            assert!(s.journal == before, "a static call to {to} changed state");
        }
        if r.is_err() {
            s.journal = before;
        }
        r
    }

    fn run(
        &self,
        from: Address,
        to: Address,
        data: &[u8],
        value: U256,
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        if !value.is_zero() {
            if is_static {
                return Err(Vec::new());
            }
            let mut s = self.0.borrow_mut();
            let bal = s.journal.eth.get(&from).copied().unwrap_or_default();
            if bal < value {
                return Err(Vec::new());
            }
            s.journal.eth.insert(from, bal - value);
            *s.journal.eth.entry(to).or_default() += value;
        }
        let (program, fake) = {
            let s = self.0.borrow();
            (s.programs.get(&to).cloned(), s.fakes.get(&to).cloned())
        };
        if let Some(program) = program {
            {
                let mut s = self.0.borrow_mut();
                // The SDK entrypoint refuses to reenter a contract already on the stack.
                if s.stack.iter().any(|f| f.address == to) {
                    return Err(Vec::new());
                }
                s.stack.push(Frame {
                    address: to,
                    sender: from,
                    value,
                });
            }
            let host = ChainHost::new(self.clone(), to);
            let r = program(
                data.to_vec(),
                VM {
                    host: Box::new(host),
                },
            );
            self.0.borrow_mut().stack.pop();
            return r;
        }
        if let Some(fake) = fake {
            return fake.borrow_mut().call(self, from, data, value, is_static);
        }
        // An account without code accepts anything.
        Ok(Vec::new())
    }

    pub(crate) fn load(&self, address: Address, key: U256) -> B256 {
        let s = self.0.borrow();
        s.journal
            .storage
            .get(&address)
            .and_then(|m| m.get(&key))
            .copied()
            .unwrap_or_default()
    }

    pub(crate) fn store(&self, address: Address, key: U256, value: B256) {
        let mut s = self.0.borrow_mut();
        s.journal
            .storage
            .entry(address)
            .or_default()
            .insert(key, value);
    }

    pub(crate) fn emit(&self, address: Address, topics: Vec<B256>, data: Vec<u8>) {
        self.0.borrow_mut().journal.logs.push(Log {
            address,
            topics,
            data,
        });
    }

    /// (sender, value) of the frame running `address` (the innermost one).
    pub(crate) fn frame_of(&self, address: Address) -> (Address, U256) {
        let s = self.0.borrow();
        s.stack
            .iter()
            .rev()
            .find(|f| f.address == address)
            .map(|f| (f.sender, f.value))
            .unwrap_or_default()
    }

    pub(crate) fn origin(&self) -> Address {
        self.0.borrow().origin
    }
}
