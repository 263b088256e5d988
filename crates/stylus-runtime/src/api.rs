//! What a program asks of the chain: the [`EvmApi`] trait a host implements, and the types
//! passed across it.

use alloy_primitives::{Address, B256, U256};

/// The environment of one program run (what the `msg_*`, `tx_*`, `block_*` hostios return).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallContext {
    /// The running contract (`contract_address`); for a delegate call, the caller's address.
    pub address: Address,
    /// `msg_sender`.
    pub sender: Address,
    /// `msg_value`.
    pub value: U256,
    /// `tx_origin`.
    pub origin: Address,
    /// `tx_gas_price` (the effective gas price of the transaction).
    pub gas_price: U256,
    /// `block_number`.
    pub block_number: u64,
    /// `block_timestamp` (seconds).
    pub timestamp: u64,
    /// `block_basefee`.
    pub basefee: U256,
    /// `block_coinbase`.
    pub coinbase: Address,
    /// `block_gas_limit`.
    pub block_gas_limit: u64,
    /// `chainid`.
    pub chain_id: u64,
    /// `msg_reentrant`: true when this contract already has a frame further up the call stack.
    pub reentrant: bool,
    /// The run is inside a static call: storage writes, logs, value transfers and creates fail.
    pub is_static: bool,
}

/// The kind of an outgoing call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// `CALL` (may carry value).
    Call,
    /// `DELEGATECALL`: runs the callee's code with the caller's storage, sender and value.
    DelegateCall,
    /// `STATICCALL`: the callee may not change state.
    StaticCall,
}

/// How an outgoing call ended, as the program sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallStatus {
    /// The callee returned normally. Program-visible status 0.
    Success,
    /// The callee reverted (return data holds the revert data). Program-visible status 1.
    Revert,
    /// The callee ran out of gas. Program-visible status 2.
    OutOfGas,
    /// The call would have changed state inside a static context. Program-visible status 3.
    WriteProtection,
    /// Any other failure (invalid code, stack depth, insufficient balance, trap). Status 1.
    Failure,
}

impl CallStatus {
    /// The status byte `call_contract` and friends return to the program.
    pub fn code(self) -> u8 {
        match self {
            CallStatus::Success => 0,
            CallStatus::Revert | CallStatus::Failure => 1,
            CallStatus::OutOfGas => 2,
            CallStatus::WriteProtection => 3,
        }
    }
}

/// Result of [`EvmApi::call`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOutcome {
    /// How the call ended.
    pub status: CallStatus,
    /// All EVM gas the call cost the caller: the callee's consumption plus the host's access,
    /// value-transfer and account-creation charges (never more than the gas passed plus those
    /// charges).
    pub gas_used: u64,
    /// Return data (or revert data); becomes the program's return data buffer.
    pub return_data: Vec<u8>,
}

/// Result of [`EvmApi::create`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOutcome {
    /// The new contract, or `None` if the creation failed or reverted.
    pub address: Option<Address>,
    /// All EVM gas the creation cost the caller (the init code's consumption plus the
    /// host's charges such as CREATE's base cost and code deposit).
    pub gas_used: u64,
    /// Revert data when the init code reverted, else empty; becomes the return data buffer.
    pub return_data: Vec<u8>,
}

/// Why the host refused a state change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    /// The change was attempted inside a static context.
    #[error("write protection: state change in a static context")]
    WriteProtection,
    /// The host's own gas accounting ran out (e.g. the SSTORE sentry of EIP-2200).
    #[error("out of gas")]
    OutOfGas,
    /// Anything else the host could not do; the program fails.
    #[error("host failure: {0}")]
    Fatal(String),
}

/// Everything a program asks of the chain.
///
/// Gas figures returned are EVM gas the host charged (warm/cold, SSTORE rules); the runtime
/// converts them to ink and charges them to the program. The runtime itself handles calldata,
/// return data, the storage cache, the environment in [`CallContext`], math and keccak.
pub trait EvmApi {
    /// Reads a storage slot of the running contract; returns the value and the gas charged
    /// (EIP-2929: 2,100 cold, 100 warm).
    fn sload(&mut self, key: B256) -> (B256, u64);
    /// Writes a storage slot (called when the runtime flushes its cache); returns the gas
    /// charged under EIP-2200/3529 rules.
    ///
    /// # Errors
    /// [`HostError::WriteProtection`] in a static context, [`HostError::OutOfGas`] when the
    /// host's rules refuse for lack of gas.
    fn sstore(&mut self, key: B256, value: B256) -> Result<u64, HostError>;
    /// Reads a transient storage slot (EIP-1153).
    fn tload(&mut self, key: B256) -> B256;
    /// Writes a transient storage slot (EIP-1153).
    ///
    /// # Errors
    /// [`HostError::WriteProtection`] in a static context.
    fn tstore(&mut self, key: B256, value: B256) -> Result<(), HostError>;
    /// Makes an outgoing call. `gas` is the limit for the callee after the 63/64 rule (the
    /// host adds the 2,300 stipend for value transfers). The runtime has flushed its storage
    /// cache before calling.
    fn call(
        &mut self,
        kind: CallKind,
        to: Address,
        input: &[u8],
        gas: u64,
        value: U256,
    ) -> CallOutcome;
    /// Creates a contract with CREATE (`salt == None`) or CREATE2. `gas` is the limit for the
    /// init code after the 63/64 rule.
    fn create(
        &mut self,
        init_code: &[u8],
        endowment: U256,
        salt: Option<B256>,
        gas: u64,
    ) -> CreateOutcome;
    /// Emits a log from the running contract (at most 4 topics).
    ///
    /// # Errors
    /// [`HostError::WriteProtection`] in a static context.
    fn emit_log(&mut self, topics: &[B256], data: &[u8]) -> Result<(), HostError>;
    /// Balance of an account and the gas charged (warm/cold access).
    fn balance(&mut self, addr: Address) -> (U256, u64);
    /// Code of an account and the gas charged (used for `account_code` and
    /// `account_code_size`).
    fn code(&mut self, addr: Address) -> (Vec<u8>, u64);
    /// Code hash of an account (zero for an empty account) and the gas charged.
    fn codehash(&mut self, addr: Address) -> (B256, u64);
    /// Opens `pages` more WASM pages for this transaction and returns their EVM gas cost
    /// (see [`crate::memory::MemoryModel`]). Called once on entry with the module's footprint
    /// and again for every `pay_for_memory_grow`.
    fn add_pages(&mut self, pages: u16) -> u64;
    /// A debug message from the `console` imports (only with [`crate::Config::debug`]).
    fn console(&mut self, _msg: &str) {}
}
