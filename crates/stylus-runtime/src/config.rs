//! Runtime configuration: prices and the limits a module must respect.

/// Arbitrum's contract code size limit (bytes of `EF F0 00 ..` code, prefix included).
pub const MAX_CODE_SIZE: usize = 24_576;
/// Largest uncompressed WASM module accepted (128 KiB).
pub const MAX_WASM_SIZE: usize = 128 * 1024;

/// Prices and limits used to validate and run programs.
///
/// [`Config::default`] gives Arbitrum's published values. The same `Config` should be used to
/// activate a program and to run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Ink per unit of EVM gas (ArbOS default 10,000).
    pub ink_price: u32,
    /// Most WASM pages (64 KiB each) a module may declare initially and grow to (128 = 8 MiB).
    pub max_pages: u16,
    /// Accept the debug-only `console` imports and forward them to [`crate::EvmApi::console`].
    pub debug: bool,
    /// Largest Stylus code, prefix included (24,576 bytes).
    pub max_code_size: usize,
    /// Largest uncompressed WASM (128 KiB).
    pub max_wasm_size: usize,
    /// Most functions a module may define, imports included (4,096).
    pub max_functions: u32,
    /// Most imports a module may declare (513).
    pub max_imports: u32,
    /// Most operators in a single function body (65,536).
    pub max_function_ops: u32,
    /// Deepest WASM call stack (nested function calls inside one program run).
    pub max_recursion_depth: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            ink_price: 10_000,
            max_pages: 128,
            debug: false,
            max_code_size: MAX_CODE_SIZE,
            max_wasm_size: MAX_WASM_SIZE,
            max_functions: 4_096,
            max_imports: 513,
            max_function_ops: 65_536,
            max_recursion_depth: 1_024,
        }
    }
}

impl Config {
    /// Converts EVM gas to ink at this config's price (saturating).
    pub fn gas_to_ink(&self, gas: u64) -> u64 {
        gas.saturating_mul(u64::from(self.ink_price.max(1)))
    }

    /// Converts ink to EVM gas at this config's price (rounding down: partial gas is not
    /// refunded).
    pub fn ink_to_gas(&self, ink: u64) -> u64 {
        ink / u64::from(self.ink_price.max(1))
    }
}
