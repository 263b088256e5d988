//! Storage reads and writes through one copy of the conversion code.
//!
//! The SDK's accessors convert between big-endian storage words and numbers or addresses
//! wherever they are used; WASM has no byte-swap instruction, so every inlined copy costs about
//! 150 bytes. The vault's storage modules read and write only through these functions.
use alloy_primitives::{aliases::U64, Address, U256};
use stylus_sdk::storage::{StorageAddress, StorageU256, StorageU64};

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
