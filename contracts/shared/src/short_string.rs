//! Strings of up to 31 bytes packed in one storage word.
//!
//! The SDK's `StorageString` pulls about 16 KB of WASM (byte-array storage and 256-bit
//! division) into a contract; token names and symbols never need more than a word. Layout: the
//! UTF-8 bytes left-aligned, the length in the last byte (as OpenZeppelin's `ShortString`).
use alloc::string::String;

use alloy_primitives::B256;

/// The longest string that fits.
pub const MAX_LEN: usize = 31;

/// Packs `s` into a word, or `None` when it is longer than [`MAX_LEN`] bytes.
pub fn pack(s: &str) -> Option<B256> {
    let bytes = s.as_bytes();
    if bytes.len() > MAX_LEN {
        return None;
    }
    let mut word = [0u8; 32];
    word[..bytes.len()].copy_from_slice(bytes);
    // Cannot truncate: the length is at most 31.
    word[MAX_LEN] = bytes.len() as u8;
    Some(B256::from(word))
}

/// Unpacks a word written by [`pack`]. A corrupt length is clamped to [`MAX_LEN`] and invalid
/// UTF-8 is replaced, so reading never fails.
pub fn unpack(word: B256) -> String {
    let len = usize::from(word[MAX_LEN]).min(MAX_LEN);
    String::from_utf8_lossy(&word[..len]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_up_to_31_bytes() {
        for s in [
            "",
            "a",
            "Restaked Ether",
            "rstETH",
            "1234567890123456789012345678901",
        ] {
            assert_eq!(unpack(pack(s).unwrap()), s);
        }
        assert!(pack("12345678901234567890123456789012").is_none());
        assert_eq!(unpack(pack("ü").unwrap()), "ü");
    }
}
