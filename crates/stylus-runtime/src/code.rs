//! The on-chain code format of Stylus programs: `EF F0 00 <dictionary byte> <brotli(wasm)>`.
//!
//! cargo-stylus writes dictionary byte `0` (no dictionary) and brotli quality 11, which is what
//! [`encode`] produces. Dictionary `1` (Nitro's built-in "StylusProgram" dictionary) and the
//! fragmented formats `EF F0 01` / `EF F0 02` of newer ArbOS versions are not supported and are
//! reported as [`CodeError::UnsupportedDictionary`] / [`CodeError::NotStylus`].

use crate::config::{MAX_CODE_SIZE, MAX_WASM_SIZE};
use std::io::Read;

/// The three bytes every Stylus program's code starts with.
pub const STYLUS_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];

/// Dictionary byte meaning "no dictionary" (the only one this crate reads and writes).
pub const DICTIONARY_NONE: u8 = 0;

/// Why contract code could not be turned into WASM.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The code does not start with `EF F0 00` followed by a dictionary byte.
    #[error("code is not a Stylus program (expected prefix EF F0 00 and a dictionary byte)")]
    NotStylus,
    /// The dictionary byte names a dictionary this crate does not have.
    #[error("unsupported brotli dictionary {0} (only 0 = none is supported)")]
    UnsupportedDictionary(u8),
    /// The code (prefix included) is larger than the chain's contract code size limit.
    #[error("code is {size} bytes, over the {limit}-byte contract code limit")]
    CodeTooLarge {
        /// Size of the code including the prefix.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The brotli stream is corrupt or truncated.
    #[error("brotli decompression failed: {0}")]
    Decompress(String),
    /// The decompressed WASM is larger than the uncompressed size limit.
    #[error("decompressed WASM exceeds the {limit}-byte limit")]
    WasmTooLarge {
        /// The limit in force.
        limit: usize,
    },
}

/// Returns true if `code` has the Stylus prefix and a dictionary byte.
///
/// This is a cheap format check (what a chain uses to route a call to the WASM runtime); it does
/// not decompress or validate anything.
pub fn is_stylus(code: &[u8]) -> bool {
    code.len() > STYLUS_PREFIX.len() && code.starts_with(&STYLUS_PREFIX)
}

/// Decompresses Stylus code into WASM, enforcing the default limits (24,576 bytes of code,
/// 128 KiB of WASM).
///
/// # Errors
/// [`CodeError`] when the prefix or dictionary is wrong, a limit is exceeded or the brotli
/// stream is invalid.
pub fn decode(code: &[u8]) -> Result<Vec<u8>, CodeError> {
    decode_with_limits(code, MAX_CODE_SIZE, MAX_WASM_SIZE)
}

/// [`decode`] with explicit limits (`max_code` bytes of code, `max_wasm` bytes of WASM).
///
/// # Errors
/// As [`decode`].
pub fn decode_with_limits(
    code: &[u8],
    max_code: usize,
    max_wasm: usize,
) -> Result<Vec<u8>, CodeError> {
    if !is_stylus(code) {
        return Err(CodeError::NotStylus);
    }
    if code.len() > max_code {
        return Err(CodeError::CodeTooLarge {
            size: code.len(),
            limit: max_code,
        });
    }
    let dictionary = code[STYLUS_PREFIX.len()];
    if dictionary != DICTIONARY_NONE {
        return Err(CodeError::UnsupportedDictionary(dictionary));
    }
    let compressed = &code[STYLUS_PREFIX.len() + 1..];
    // Read at most one byte past the limit so a decompression bomb cannot exhaust memory.
    let limit = u64::try_from(max_wasm)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut wasm = Vec::new();
    brotli::Decompressor::new(compressed, 4096)
        .take(limit)
        .read_to_end(&mut wasm)
        .map_err(|e| CodeError::Decompress(e.to_string()))?;
    if wasm.len() > max_wasm {
        return Err(CodeError::WasmTooLarge { limit: max_wasm });
    }
    Ok(wasm)
}

/// Encodes WASM as Stylus code: the prefix, dictionary byte 0, then brotli at quality 11
/// (window 22), as cargo-stylus does.
pub fn encode(wasm: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(wasm.len() / 3 + 8);
    out.extend_from_slice(&STYLUS_PREFIX);
    out.push(DICTIONARY_NONE);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut input = wasm;
    // Writing into a Vec cannot fail, and reading from a slice cannot fail either.
    let written = brotli::BrotliCompress(&mut input, &mut out, &params);
    debug_assert!(written.is_ok());
    out
}
