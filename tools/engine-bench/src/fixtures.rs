//! The benchmark programs: a compute loop in WAT and the LRT token's `balanceOf` calldata.

/// A Stylus-shaped program whose entrypoint runs a multiply-add loop `arg` times (in Stylus
/// the argument is the calldata length; here it is the iteration count) and stores the result
/// to memory so no engine can drop the loop. It has a stack-pointer global, as Rust programs
/// do, and imports `read_args` like every Stylus program.
pub fn loop_module() -> Vec<u8> {
    // SAFETY: the WAT below is a constant that parses (checked by the test).
    #[allow(clippy::unwrap_used)]
    wat::parse_str(LOOP_WAT).unwrap()
}

const LOOP_WAT: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 65536))
  (func (export "user_entrypoint") (param $n i32) (result i32)
    (local $i i32) (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc
          (i64.add
            (i64.mul (local.get $acc) (i64.const 6364136223846793005))
            (i64.extend_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i64.store (i32.const 0) (local.get $acc))
    (i32.const 0)))"#;

/// `balanceOf(0xa1a1…a1)`: selector 0x70a08231 and the address as a 32-byte word.
pub fn balance_of_calldata() -> Vec<u8> {
    let mut data = vec![0x70, 0xa0, 0x82, 0x31];
    data.extend([0u8; 12]);
    data.extend([0xa1u8; 20]);
    data
}

#[cfg(test)]
mod tests {
    #[test]
    fn loop_module_validates() {
        let wasm = wat::parse_str(super::LOOP_WAT).expect("loop WAT parses");
        wasmparser::Validator::new()
            .validate_all(&wasm)
            .expect("loop module validates");
    }

    #[test]
    fn calldata_is_selector_and_one_word() {
        assert_eq!(super::balance_of_calldata().len(), 36);
    }
}
