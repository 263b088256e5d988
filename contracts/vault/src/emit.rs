//! Event emission without the generic ABI encoder.
//!
//! Every vault event has only static parameters, so its log is the event's topic, the indexed
//! parameters as 32-byte words, and the other parameters as consecutive words of data. One
//! small function writes them all; the SDK's typed `log` costs about 700 bytes of WASM per
//! event type. Tests decode every event with alloy's `SolEvent` to check the encoding. The word
//! conversions are [`restake_shared::word`]'s (one copy, shared with the redeem queue).
use alloc::vec::Vec;

use alloy_primitives::B256;
use stylus_sdk::stylus_core::Host;

pub use restake_shared::word::{addr, boolean, u64_word, uint};

/// Emits a log with `topics` (the event's signature hash first) and `data` words.
#[inline(never)]
pub fn emit<H: Host + ?Sized>(host: &H, topics: &[B256], data: &[B256]) {
    let mut bytes = Vec::with_capacity(32 * data.len());
    for w in data {
        bytes.extend_from_slice(w.as_slice());
    }
    // The host only fails for more than four topics; every vault event has at most four.
    let _ = host.raw_log(topics, &bytes);
}
