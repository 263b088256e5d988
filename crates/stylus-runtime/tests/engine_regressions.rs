//! Programs that WASM engines have got wrong. Each one pins a behaviour the chosen engine must
//! keep; a failure here means the engine (or its version) must not be used.
mod common;

use common::{module, run, MockApi};
use stylus_runtime::Status;

/// wasmi 2.0.0 answered 0 for `select(0, 1, i32.eqz(x))` with x != 0 (the select of an `eqz`
/// condition was fused wrongly), so the program below succeeded on non-empty calldata. The
/// runtime pins wasmi 1.1.0, which computes it correctly.
#[test]
fn select_on_eqz_picks_by_the_condition() {
    let helper = r#"(func $status (param $s i32) (result i32) (local $word i32)
        (local.set $word (i32.load (i32.const 96)))
        (select (i32.const 0) (i32.const 1) (i32.eqz (local.get $s))))"#;
    let wat = module(helper, "(call $status (local.get $len))");
    assert_eq!(run(&wat, b"", &mut MockApi::new()).status, Status::Success);
    assert_eq!(run(&wat, b"x", &mut MockApi::new()).status, Status::Revert);
    assert_eq!(run(&wat, b"xy", &mut MockApi::new()).status, Status::Revert);

    // The same without the helper function and the load.
    let inline = module(
        "",
        "(select (i32.const 0) (i32.const 1) (i32.eqz (local.get $len)))",
    );
    assert_eq!(
        run(&inline, b"", &mut MockApi::new()).status,
        Status::Success
    );
    assert_eq!(
        run(&inline, b"abc", &mut MockApi::new()).status,
        Status::Revert
    );
}
