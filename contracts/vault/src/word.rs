//! Storage reads and writes through one copy of the conversion code.
//!
//! The SDK's accessors convert between big-endian storage words and numbers or addresses
//! wherever they are used; WASM has no byte-swap instruction, so every inlined copy costs about
//! 150 bytes. The vault's storage modules read and write only through these functions, which
//! live in [`restake_shared::word`] (shared with the redeem queue).
pub use restake_shared::word::{load, load_addr, load_u64, store, store_addr, store_u64};
