//! Storage words and ABI words through one copy of the conversion code.
//!
//! The SDK's accessors and alloy's encoders convert between big-endian words and numbers or
//! addresses wherever they are used; WASM has no byte-swap instruction, so every inlined copy
//! costs about 150 bytes. A contract that reads and writes storage and encodes words only
//! through these functions keeps one copy of each conversion (the vault and its redeem queue
//! do). Functions a contract does not call are dropped at link time.
//!
//! Byte-buffer builders (selector plus words, log data) stay in each contract: built here they
//! instantiate a second copy of `Vec<u8>`'s growth code next to the contract's own (measured:
//! +121 bytes brotli on the vault).
use alloy_primitives::{aliases::U64, Address, B256, U256};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_big_endian_abi_words() {
        let a = Address::repeat_byte(0xab);
        let w = addr(a);
        assert_eq!(&w[..12], &[0u8; 12]);
        assert_eq!(&w[12..], a.as_slice());
        assert_eq!(u64_word(0x0102), uint(U256::from(0x0102u64)));
        assert_eq!(uint(U256::from(1u8))[31], 1);
        assert_eq!(boolean(true), uint(U256::from(1u8)));
        assert_eq!(boolean(false), B256::ZERO);
    }

    #[test]
    fn first_word_needs_32_bytes() {
        assert_eq!(first_word(&[0u8; 31]), None);
        let mut data = [0u8; 40];
        data[31] = 5;
        assert_eq!(first_word(&data), Some(U256::from(5u8)));
    }
}
