//! The per-transaction memory model: what opening WASM pages costs.
//!
//! A host implements [`crate::EvmApi::add_pages`] with a [`MemoryModel`] and two counters per
//! transaction: `open` (pages held by the programs currently on the call stack) and `ever`
//! (the most pages ever open at once in this transaction). The runtime calls `add_pages` on
//! entry with the module's footprint and for each `pay_for_memory_grow`; when a program's
//! frame returns, the host restores `open` to its value before the call.
//!
//! The figures are ArbOS's published defaults: 2 free pages per transaction, then 1,000 gas
//! per page linearly, plus an exponential term on the highest number of pages ever open,
//! approximated here with integer arithmetic (see [`MemoryModel::exponential`]).

/// Prices of WASM memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryModel {
    /// Pages every transaction gets for free (2).
    pub free_pages: u16,
    /// Linear price per page beyond the free ones (1,000 gas).
    pub page_gas: u16,
    /// Divisor of the exponential term (larger = gentler ramp); the default makes 128 pages
    /// cost about as much as 8 MiB of EVM memory would.
    pub page_ramp: u64,
}

impl Default for MemoryModel {
    fn default() -> Self {
        Self {
            free_pages: 2,
            page_gas: 1_000,
            page_ramp: 620_674_314,
        }
    }
}

impl MemoryModel {
    /// Gas to open `new` pages when `open` are open now and at most `ever` have been open at
    /// once in this transaction. Saturates instead of overflowing.
    pub fn gas_cost(&self, new: u16, open: u16, ever: u16) -> u64 {
        let new_open = open.saturating_add(new);
        let new_ever = ever.max(new_open);
        if new_ever <= self.free_pages {
            return 0;
        }
        let adding = new_open.saturating_sub(open.max(self.free_pages));
        let linear = u64::from(adding).saturating_mul(u64::from(self.page_gas));
        let expand = self
            .exponential(new_ever)
            .saturating_sub(self.exponential(ever));
        linear.saturating_add(expand)
    }

    /// The exponential term for `pages` ever open: `exp(pages * 2^31 / page_ramp) - 1`
    /// gas scaled so the curve stays near zero for small programs, computed in fixed point
    /// (16 fractional bits) without floats.
    pub fn exponential(&self, pages: u16) -> u64 {
        if self.page_ramp == 0 {
            return 0;
        }
        // x = pages * 2^31 / page_ramp in 16.16 fixed point.
        let x = (u128::from(pages) << 47) / u128::from(self.page_ramp);
        let one: u128 = 1 << 16;
        // e^x = 2^(x / ln 2); ln 2 in 16.16 = 45426.
        let log2 = x * one / 45_426;
        let int_part = (log2 >> 16) as u32;
        let frac = log2 & (one - 1);
        // 2^frac ~ 1 + frac*ln2 + (frac*ln2)^2/2 (good to 0.5% on [0, 1)).
        let t = frac * 45_426 / one;
        let frac_pow = one + t + t * t / (2 * one);
        let value = if int_part >= 60 {
            u128::MAX
        } else {
            (frac_pow << int_part) >> 16
        };
        u64::try_from(value.saturating_sub(1)).unwrap_or(u64::MAX)
    }
}
