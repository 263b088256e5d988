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

/// One change a reverting frame undoes (the value before it).
enum Undo {
    Storage(Address, U256, B256),
    Eth(Address, U256),
}

/// The chain's state with an undo log: a frame records where the log stood when it began and
/// rolls back to there when it reverts.
#[derive(Default)]
struct Journal {
    storage: HashMap<Address, HashMap<U256, B256>>,
    eth: HashMap<Address, U256>,
    logs: Vec<Log>,
    undo: Vec<Undo>,
    writes: u64,
}

impl Journal {
    fn set_eth(&mut self, a: Address, v: U256) {
        let old = self.eth.insert(a, v).unwrap_or_default();
        self.undo.push(Undo::Eth(a, old));
        self.writes += 1;
    }

    fn rollback(&mut self, undo_len: usize, logs_len: usize) {
        while self.undo.len() > undo_len {
            match self.undo.pop() {
                Some(Undo::Storage(a, k, v)) => {
                    self.storage.entry(a).or_default().insert(k, v);
                }
                Some(Undo::Eth(a, v)) => {
                    self.eth.insert(a, v);
                }
                None => break,
            }
        }
        self.logs.truncate(logs_len);
    }
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
        let b = s.journal.eth.get(&a).copied().unwrap_or_default();
        s.journal.set_eth(a, b + amount);
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
        let top = self.0.borrow().stack.is_empty();
        if top {
            self.0.borrow_mut().origin = from;
        }
        let r = self.exec(from, to, &data, value, false);
        if top {
            // A finished transaction can no longer be rolled back.
            self.0.borrow_mut().journal.undo.clear();
        }
        r
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
        let (undo_len, logs_len, writes) = {
            let s = self.0.borrow();
            (s.journal.undo.len(), s.journal.logs.len(), s.journal.writes)
        };
        let r = self.run(from, to, data, value, is_static);
        let mut s = self.0.borrow_mut();
        if is_static {
            assert!(
                s.journal.writes == writes && s.journal.logs.len() == logs_len,
                "a static call to {to} changed state"
            );
        }
        if r.is_err() {
            s.journal.rollback(undo_len, logs_len);
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
            s.journal.set_eth(from, bal - value);
            let to_bal = s.journal.eth.get(&to).copied().unwrap_or_default();
            s.journal.set_eth(to, to_bal + value);
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
        let old = s
            .journal
            .storage
            .entry(address)
            .or_default()
            .insert(key, value)
            .unwrap_or_default();
        if old != value {
            s.journal.undo.push(Undo::Storage(address, key, old));
            s.journal.writes += 1;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a word and moves ETH, then reverts when `fail`.
    struct Writer {
        fail: bool,
    }

    impl Fake for Writer {
        fn call(
            &mut self,
            chain: &Chain,
            from: Address,
            _data: &[u8],
            _value: U256,
            _is_static: bool,
        ) -> Result<Vec<u8>, Vec<u8>> {
            chain.store(from, U256::from(1), B256::repeat_byte(7));
            chain.emit(from, vec![], vec![1]);
            if self.fail {
                Err(b"no".to_vec())
            } else {
                Ok(vec![])
            }
        }
    }

    #[test]
    fn a_reverting_frame_undoes_storage_eth_and_logs() {
        let c = Chain::new(1);
        let a = Address::repeat_byte(1);
        let w = Address::repeat_byte(2);
        let writer = Rc::new(RefCell::new(Writer { fail: true }));
        c.add_fake(w, writer.clone());
        c.fund(a, U256::from(10));
        assert!(c.call(a, w, vec![], U256::from(4)).is_err());
        assert_eq!(c.balance(a), U256::from(10));
        assert_eq!(c.balance(w), U256::ZERO);
        assert_eq!(c.load(a, U256::from(1)), B256::ZERO);
        assert_eq!(c.log_count(), 0);
        writer.borrow_mut().fail = false;
        c.call(a, w, vec![], U256::from(4)).unwrap();
        assert_eq!(c.balance(w), U256::from(4));
        assert_eq!(c.load(a, U256::from(1)), B256::repeat_byte(7));
        assert_eq!(c.log_count(), 1);
        // Too little ETH: nothing moves.
        assert!(c.call(a, w, vec![], U256::from(7)).is_err());
        assert_eq!(c.balance(a), U256::from(6));
    }
}
