//! The import surface a program may link against: every `vm_hooks` function and, on debug
//! chains, the `console` functions. Signatures use `i` for i32 and `I` for i64.

/// Module name of the Stylus host functions.
pub const VM_HOOKS: &str = "vm_hooks";
/// Module name of the debug-only console functions.
pub const CONSOLE: &str = "console";

/// `(name, params, results)` of every `vm_hooks` function.
pub const VM_HOOKS_FUNCS: &[(&str, &str, &str)] = &[
    ("read_args", "i", ""),
    ("write_result", "ii", ""),
    ("exit_early", "i", ""),
    ("storage_load_bytes32", "ii", ""),
    ("storage_cache_bytes32", "ii", ""),
    ("storage_flush_cache", "i", ""),
    ("transient_load_bytes32", "ii", ""),
    ("transient_store_bytes32", "ii", ""),
    ("call_contract", "iiiiIi", "i"),
    ("delegate_call_contract", "iiiIi", "i"),
    ("static_call_contract", "iiiIi", "i"),
    ("create1", "iiiii", ""),
    ("create2", "iiiiii", ""),
    ("read_return_data", "iii", "i"),
    ("return_data_size", "", "i"),
    ("emit_log", "iii", ""),
    ("account_balance", "ii", ""),
    ("account_code", "iiii", "i"),
    ("account_code_size", "i", "i"),
    ("account_codehash", "ii", ""),
    ("evm_gas_left", "", "I"),
    ("evm_ink_left", "", "I"),
    ("block_basefee", "i", ""),
    ("block_coinbase", "i", ""),
    ("block_gas_limit", "", "I"),
    ("block_number", "", "I"),
    ("block_timestamp", "", "I"),
    ("chainid", "", "I"),
    ("contract_address", "i", ""),
    ("msg_reentrant", "", "i"),
    ("msg_sender", "i", ""),
    ("msg_value", "i", ""),
    ("tx_gas_price", "i", ""),
    ("tx_ink_price", "", "i"),
    ("tx_origin", "i", ""),
    ("math_div", "ii", ""),
    ("math_mod", "ii", ""),
    ("math_pow", "ii", ""),
    ("math_add_mod", "iii", ""),
    ("math_mul_mod", "iii", ""),
    ("pay_for_memory_grow", "i", ""),
    ("native_keccak256", "iii", ""),
];

/// `(name, params, results)` of the debug-only `console` functions. The float variants
/// (`log_f32`, `tee_f64`, ...) are absent because floats are refused anyway.
pub const CONSOLE_FUNCS: &[(&str, &str, &str)] = &[
    ("log_txt", "ii", ""),
    ("log_i32", "i", ""),
    ("log_i64", "I", ""),
    ("tee_i32", "i", "i"),
    ("tee_i64", "I", "I"),
];

/// The signature of `module::name`, if it is an import this runtime provides (`console`
/// only when `debug`).
pub fn signature(module: &str, name: &str, debug: bool) -> Option<(&'static str, &'static str)> {
    let table = match module {
        VM_HOOKS => VM_HOOKS_FUNCS,
        CONSOLE if debug => CONSOLE_FUNCS,
        _ => return None,
    };
    table
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, r)| (*p, *r))
}
