//! Activation refuses what Arbitrum refuses, with a typed reason; the code format's limits.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used)]

use stylus_runtime::code::{self, CodeError};
use stylus_runtime::{Config, Program, ValidationError};

fn activate(wat: &str) -> Result<(), ValidationError> {
    activate_with(wat, &Config::default())
}

fn activate_with(wat: &str, config: &Config) -> Result<(), ValidationError> {
    let wasm = wat::parse_str(wat).expect("test WAT parses");
    Program::activate(&wasm, config).map(|_| ())
}

/// A valid module plus `extra` fields.
fn with(extra: &str) -> String {
    format!(
        r#"(module
            (memory (export "memory") 1)
            (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0))
            {extra})"#
    )
}

#[test]
fn minimal_module_activates_with_its_facts() {
    let wasm = wat::parse_str(with("")).unwrap();
    let (program, info) = Program::activate(&wasm, &Config::default()).unwrap();
    assert_eq!(info.version, 2);
    assert_eq!(info.footprint_pages, 1);
    assert_eq!(info.module_hash, alloy_primitives::keccak256(&wasm));
    assert!(info.init_gas >= 128 && info.init_gas <= 2_048);
    assert!(info.cached_init_gas < info.init_gas || info.init_gas == 128);
    assert!(!info.data_fee.is_zero());
    assert_eq!(program.info(), &info);
}

#[test]
fn floats_are_refused_in_types_code_and_globals() {
    for extra in [
        "(func (param f32))",
        "(func (result i64) (i64.reinterpret_f64 (f64.add (f64.const 1) (f64.const 2))))",
        "(global f64 (f64.const 1))",
        "(func (local f32))",
    ] {
        assert!(
            matches!(activate(&with(extra)), Err(ValidationError::Float(_))),
            "{extra}: {:?}",
            activate(&with(extra))
        );
    }
}

#[test]
fn start_function_is_refused() {
    assert_eq!(
        activate(&with("(func $s) (start $s)")),
        Err(ValidationError::StartFunction)
    );
}

#[test]
fn multi_value_is_refused() {
    for extra in [
        "(func (result i32 i32) (i32.const 1) (i32.const 2))",
        "(func (block (param i32) (drop)) )",
    ] {
        let r = activate(&with(extra));
        assert!(
            matches!(&r, Err(ValidationError::UnsupportedFeature(w)) if w.contains("multi-value")),
            "{extra}: {r:?}"
        );
    }
}

#[test]
fn simd_threads_and_reference_types_are_refused() {
    let simd = with("(func (drop (v128.const i64x2 0 0)))");
    assert!(
        matches!(activate(&simd), Err(ValidationError::UnsupportedFeature(w)) if w.contains("SIMD"))
    );
    let threads = r#"(module
        (memory (export "memory") 1 1 shared)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert!(matches!(
        activate(threads),
        Err(ValidationError::UnsupportedFeature(_))
    ));
    let refs = with("(table 1 externref)");
    assert!(
        matches!(activate(&refs), Err(ValidationError::UnsupportedFeature(w)) if w.contains("reference"))
    );
    let ref_op = with("(func (drop (ref.null func)))");
    assert!(matches!(
        activate(&ref_op),
        Err(ValidationError::UnsupportedFeature(_))
    ));
}

#[test]
fn unknown_imports_and_wrong_signatures_are_refused() {
    let import = |decl: &str| {
        format!(
            r#"(module {decl}
                (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#
        )
    };
    assert!(matches!(
        activate(&import(r#"(import "vm_hooks" "self_destruct" (func))"#)),
        Err(ValidationError::UnknownImport { name, .. }) if name == "self_destruct"
    ));
    assert!(matches!(
        activate(&import(r#"(import "env" "read_args" (func (param i32)))"#)),
        Err(ValidationError::UnknownImport { module, .. }) if module == "env"
    ));
    assert!(matches!(
        activate(&import(
            r#"(import "vm_hooks" "read_args" (func (param i64)))"#
        )),
        Err(ValidationError::ImportSignature { .. })
    ));
    assert!(matches!(
        activate(&import(
            r#"(import "vm_hooks" "chainid" (func (result i32)))"#
        )),
        Err(ValidationError::ImportSignature { .. })
    ));
    assert!(matches!(
        activate(&import(r#"(import "vm_hooks" "g" (global i32))"#)),
        Err(ValidationError::NonFunctionImport { .. })
    ));
    // console is a debug-chain import only.
    let console = import(r#"(import "console" "log_i32" (func (param i32)))"#);
    assert!(matches!(
        activate(&console),
        Err(ValidationError::UnknownImport { .. })
    ));
    let debug = Config {
        debug: true,
        ..Config::default()
    };
    assert_eq!(activate_with(&console, &debug), Ok(()));
}

#[test]
fn required_exports_are_checked() {
    let no_memory_export = r#"(module (memory 1)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert_eq!(
        activate(no_memory_export),
        Err(ValidationError::MissingExport("memory"))
    );
    let no_entry = r#"(module (memory (export "memory") 1))"#;
    assert_eq!(
        activate(no_entry),
        Err(ValidationError::MissingExport("user_entrypoint"))
    );
    let bad_entry = r#"(module (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i64) (result i32) (i32.const 0)))"#;
    assert_eq!(
        activate(bad_entry),
        Err(ValidationError::MissingExport("user_entrypoint"))
    );
    assert!(matches!(
        activate(&with(
            r#"(global (export "stylus_ink_left") i32 (i32.const 0))"#
        )),
        Err(ValidationError::ReservedExport(_))
    ));
    let no_memory =
        r#"(module (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert_eq!(activate(no_memory), Err(ValidationError::MemoryCount(0)));
}

#[test]
fn size_and_count_limits_are_enforced() {
    let big_memory = r#"(module (memory (export "memory") 129)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert_eq!(
        activate(big_memory),
        Err(ValidationError::TooManyPages {
            pages: 129,
            limit: 128
        })
    );

    let oversized = with(&format!(
        r#"(data (i32.const 0) "{}")"#,
        "a".repeat(130 * 1024)
    ));
    assert!(matches!(
        activate(&oversized),
        Err(ValidationError::TooLarge { .. })
    ));

    let funcs = with(&"(func)".repeat(4_096));
    assert!(matches!(
        activate(&funcs),
        Err(ValidationError::TooManyFunctions {
            count: 4_097,
            limit: 4_096
        })
    ));

    let imports = format!(
        r#"(module {}
            (memory (export "memory") 1)
            (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        r#"(import "vm_hooks" "msg_reentrant" (func (result i32)))"#.repeat(514)
    );
    assert!(matches!(
        activate(&imports),
        Err(ValidationError::TooManyImports {
            count: 514,
            limit: 513
        })
    ));

    let small = Config {
        max_function_ops: 10,
        ..Config::default()
    };
    let long = with(&format!("(func {} )", "(nop)".repeat(20)));
    assert!(matches!(
        activate_with(&long, &small),
        Err(ValidationError::FunctionTooLong { ops: 21, .. })
    ));
}

#[test]
fn segments_that_do_not_fit_are_refused_at_activation() {
    let r = activate(&with(r#"(data (i32.const 65530) "0123456789")"#));
    assert!(matches!(r, Err(ValidationError::Instantiation(_))), "{r:?}");
}

#[test]
fn malformed_bytes_are_invalid() {
    let r = Program::activate(b"\0asm\x01\0\0\0garbage", &Config::default());
    assert!(matches!(r, Err(ValidationError::Invalid(_))));
    let r = Program::activate(b"not wasm at all", &Config::default());
    assert!(matches!(r, Err(ValidationError::Invalid(_))));
}

#[test]
fn activating_code_enforces_the_compressed_size_limit() {
    let wasm = wat::parse_str(with("")).unwrap();
    let (_, info) = Program::activate_code(&code::encode(&wasm), &Config::default()).unwrap();
    assert_eq!(info.module_hash, alloy_primitives::keccak256(&wasm));

    // 40 KiB of incompressible data: under the 128 KiB WASM limit, over 24,576 compressed.
    let mut x = 0x1234_5678u32;
    let noise: String = (0..40 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            format!("\\{:02x}", x as u8)
        })
        .collect();
    let wasm = wat::parse_str(with(&format!(r#"(data (i32.const 0) "{noise}")"#))).unwrap();
    assert!(Program::activate(&wasm, &Config::default()).is_ok());
    let r = Program::activate_code(&code::encode(&wasm), &Config::default());
    assert!(
        matches!(
            r,
            Err(ValidationError::Code(CodeError::CodeTooLarge { .. }))
        ),
        "{r:?}"
    );
}

#[test]
fn code_round_trips_through_the_stylus_format() {
    let wasm = wat::parse_str(with("")).unwrap();
    let code = code::encode(&wasm);
    assert_eq!(&code[..4], &[0xEF, 0xF0, 0x00, 0x00]);
    assert!(code::is_stylus(&code));
    assert_eq!(code::decode(&code).unwrap(), wasm);
    assert!(!code::is_stylus(&[0xEF, 0xF0, 0x00]));
    assert!(!code::is_stylus(&[0x60, 0x80, 0x60, 0x40]));
}

#[test]
fn code_decoding_rejects_bad_prefixes_dictionaries_and_sizes() {
    assert_eq!(code::decode(b"\x60\x80\x60\x40"), Err(CodeError::NotStylus));
    assert_eq!(
        code::decode(&[0xEF, 0xF0, 0x00, 0x01, 0x00]),
        Err(CodeError::UnsupportedDictionary(1))
    );
    let mut too_big = vec![0xEF, 0xF0, 0x00, 0x00];
    too_big.resize(24_577, 0);
    assert_eq!(
        code::decode(&too_big),
        Err(CodeError::CodeTooLarge {
            size: 24_577,
            limit: 24_576
        })
    );
    // 200 KiB of zeros compresses to a few bytes but decompresses past the 128 KiB limit.
    let bomb = code::encode(&vec![0u8; 200 * 1024]);
    assert!(bomb.len() < 1_000);
    assert_eq!(
        code::decode(&bomb),
        Err(CodeError::WasmTooLarge { limit: 128 * 1024 })
    );
    assert!(matches!(
        code::decode(&[0xEF, 0xF0, 0x00, 0x00, 0xFF, 0xFF, 0xFF]),
        Err(CodeError::Decompress(_))
    ));
}
