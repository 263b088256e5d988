//! Storage words, ABI words and logs through one copy of the conversion code.
//!
//! The SDK's accessors and alloy's encoders convert between big-endian words and numbers or
//! addresses wherever they are used; WASM has no byte-swap instruction, so every inlined copy
//! costs about 150 bytes. The queue reads and writes storage, encodes calls, errors and events
//! only through these functions (the same helpers as the vault's `word` and `emit` modules).
use alloc::vec::Vec;

use alloy_primitives::{aliases::U64, Address, B256, U256};
use stylus_sdk::storage::{StorageAddress, StorageU256, StorageU64};
use stylus_sdk::stylus_core::Host;

/// Reads a `uint256`.
#[inline(never)]
pub fn load(s: &StorageU256) -> U256 {
    s.get()
}

/// Writes a `uint256`.
#[inline(never)]
pub fn store(s: &mut StorageU256, v: U256) {
    s.set(v)
}

/// Reads an address.
#[inline(never)]
pub fn load_addr(s: &StorageAddress) -> Address {
    s.get()
}

/// Writes an address.
#[inline(never)]
pub fn store_addr(s: &mut StorageAddress, a: Address) {
    s.set(a)
}

/// Reads a `uint64`.
#[inline(never)]
pub fn load_u64(s: &StorageU64) -> u64 {
    s.get().to::<u64>()
}

/// Writes a `uint64`.
#[inline(never)]
pub fn store_u64(s: &mut StorageU64, v: u64) {
    s.set(U64::from(v))
}

/// An address as an ABI word.
#[inline(never)]
pub fn addr(a: Address) -> B256 {
    a.into_word()
}

/// A `uint256` as an ABI word.
#[inline(never)]
pub fn uint(v: U256) -> B256 {
    B256::from(v)
}

/// A `uint64` as an ABI word.
#[inline(never)]
pub fn u64_word(v: u64) -> B256 {
    B256::from(U256::from(v))
}

/// A `bool` as an ABI word.
pub fn boolean(b: bool) -> B256 {
    uint(U256::from(b as u8))
}

/// The first word of `data` as a `uint256`, or `None` when fewer than 32 bytes.
#[inline(never)]
pub fn first_word(data: &[u8]) -> Option<U256> {
    data.get(..32).map(U256::from_be_slice)
}

/// `selector ++ words`: the ABI encoding of a call or an error with static parameters.
pub fn encode(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * words.len());
    out.extend_from_slice(&selector);
    for w in words {
        out.extend_from_slice(w.as_slice());
    }
    out
}

/// Emits a log with `topics` (the event's signature hash first) and `data` words.
pub fn emit<H: Host + ?Sized>(host: &H, topics: &[B256], data: &[B256]) {
    let mut bytes = Vec::with_capacity(32 * data.len());
    for w in data {
        bytes.extend_from_slice(w.as_slice());
    }
    // The host only fails for more than four topics; every queue event has at most four.
    let _ = host.raw_log(topics, &bytes);
}
