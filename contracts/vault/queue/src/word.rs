//! Storage words, ABI words and logs through one copy of the conversion code.
//!
//! The queue reads and writes storage and encodes words only through these functions. The
//! word conversions live in [`restake_shared::word`] (shared with the vault); the two
//! byte-buffer builders stay here, because built in the shared crate they would add a second
//! copy of `Vec<u8>`'s growth code.
use alloc::vec::Vec;

use alloy_primitives::B256;
use stylus_sdk::stylus_core::Host;

pub use restake_shared::word::{
    addr, boolean, first_word, load, load_addr, load_u64, store, store_addr, store_u64, u64_word,
    uint,
};

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
