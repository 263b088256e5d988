//! Which 32-byte constants a compiled program carries.
//!
//! Used to tell which events a contract can emit: an event's first topic is the constant
//! `keccak256(signature)`, which the program must hold somewhere to write it. The compiler
//! either keeps such a constant as 32 bytes of a data segment (what rustc/LLVM do for the
//! contracts here) or builds it with immediate stores (four `i64.const` or eight `i32.const`
//! halves of it, little-endian as WebAssembly stores are); both forms are recognised.

use std::collections::HashSet;

use anyhow::{Context, Result};
use wasmparser::{Operator, Parser, Payload};

/// The constants of one program.
#[derive(Debug, Default)]
pub struct Constants {
    /// Every data segment, concatenated (segments are searched one by one, see `segments`).
    data: Vec<u8>,
    /// `(start, end)` of each segment in `data`.
    segments: Vec<(usize, usize)>,
    /// Every `i64.const` immediate in the code.
    i64s: HashSet<u64>,
    /// Every `i32.const` immediate in the code.
    i32s: HashSet<u32>,
}

impl Constants {
    /// Collects the data segments and integer immediates of `wasm`.
    ///
    /// # Errors
    /// When the module cannot be parsed.
    pub fn of(wasm: &[u8]) -> Result<Self> {
        let mut constants = Constants::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.context("parsing the program")? {
                Payload::DataSection(reader) => {
                    for segment in reader {
                        let segment = segment.context("data section")?;
                        let start = constants.data.len();
                        constants.data.extend_from_slice(segment.data);
                        constants.segments.push((start, constants.data.len()));
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let mut ops = body.get_operators_reader().context("function body")?;
                    while !ops.eof() {
                        match ops.read().context("function body")? {
                            // Immediates are stored as signed values; the bit pattern is what
                            // lands in memory.
                            Operator::I64Const { value } => {
                                constants.i64s.insert(value as u64);
                            }
                            Operator::I32Const { value } => {
                                constants.i32s.insert(value as u32);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(constants)
    }

    /// Whether the program holds `word`, in a data segment or as immediates.
    pub fn contains(&self, word: &[u8; 32]) -> bool {
        let in_data = self.segments.iter().any(|&(start, end)| {
            self.data[start..end]
                .windows(word.len())
                .any(|window| window == word)
        });
        let as_i64 = word.chunks_exact(8).all(|chunk| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            self.i64s.contains(&u64::from_le_bytes(bytes))
        });
        let as_i32 = word.chunks_exact(4).all(|chunk| {
            let mut bytes = [0u8; 4];
            bytes.copy_from_slice(chunk);
            self.i32s.contains(&u32::from_le_bytes(bytes))
        });
        in_data || as_i64 || as_i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORD: [u8; 32] = [
        0xdd, 0xf2, 0x52, 0xad, 0x1b, 0xe2, 0xc8, 0x9b, 0x69, 0xc2, 0xb0, 0x68, 0xfc, 0x37, 0x8d,
        0xaa, 0x95, 0x2b, 0xa7, 0xf1, 0x63, 0xc4, 0xa1, 0x16, 0x28, 0xf5, 0x5a, 0x4d, 0xf5, 0x23,
        0xb3, 0xef,
    ];

    fn escaped(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("\\{b:02x}")).collect()
    }

    #[test]
    fn finds_a_word_in_a_data_segment() {
        let wat = format!(
            r#"(module (memory 1) (data (i32.const 16) "xyz{}abc"))"#,
            escaped(&WORD)
        );
        let constants = Constants::of(&wat::parse_str(wat).unwrap()).unwrap();
        assert!(constants.contains(&WORD));
        let mut other = WORD;
        other[31] ^= 1;
        assert!(!constants.contains(&other));
    }

    #[test]
    fn does_not_join_two_segments() {
        let (a, b) = WORD.split_at(16);
        let wat = format!(
            r#"(module (memory 1) (data (i32.const 0) "{}") (data (i32.const 16) "{}"))"#,
            escaped(a),
            escaped(b)
        );
        let constants = Constants::of(&wat::parse_str(wat).unwrap()).unwrap();
        assert!(!constants.contains(&WORD));
    }

    #[test]
    fn finds_a_word_built_from_i64_immediates() {
        let stores: String = WORD
            .chunks_exact(8)
            .enumerate()
            .map(|(i, chunk)| {
                let value = i64::from_le_bytes(chunk.try_into().unwrap());
                format!("(i64.store (i32.const {}) (i64.const {value}))", i * 8)
            })
            .collect();
        let wat = format!("(module (memory 1) (func {stores}))");
        let constants = Constants::of(&wat::parse_str(wat).unwrap()).unwrap();
        assert!(constants.contains(&WORD));
    }

    #[test]
    fn three_of_four_immediates_are_not_enough() {
        let stores: String = WORD
            .chunks_exact(8)
            .take(3)
            .map(|chunk| {
                let value = i64::from_le_bytes(chunk.try_into().unwrap());
                format!("(drop (i64.const {value}))")
            })
            .collect();
        let wat = format!("(module (func {stores}))");
        let constants = Constants::of(&wat::parse_str(wat).unwrap()).unwrap();
        assert!(!constants.contains(&WORD));
    }
}
