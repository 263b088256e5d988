//! The per-transaction memory model: what opening WASM pages costs.
//!
//! A host implements [`crate::EvmApi::add_pages`] with a [`MemoryModel`] and two counters per
//! transaction: `open` (pages held by the programs currently on the call stack) and `ever`
//! (the most pages ever open at once in this transaction). The runtime calls `add_pages` on
//! entry with the module's footprint and for each `pay_for_memory_grow`; when a program's
//! frame returns, the host restores `open` to its value before the call.
//!
//! Like ArbOS, the price has a linear part (per page opened beyond the free ones) and an
//! exponential part on the highest number of pages ever open, so that memory is cheap for
//! ordinary programs and prohibitive in bulk. ArbOS's exact curve is not part of the public
//! documentation; this model's curve is its own: the exponential part is
//! `2^(ever / ramp_pages) - 1` gas (interpolated linearly between powers of two), so with the
//! defaults 16 pages cost 3 gas, 64 pages 255 gas and 128 pages 65,535 gas on top of the
//! linear 1,000 gas per page.

/// Prices of WASM memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryModel {
    /// Pages every transaction gets for free (2).
    pub free_pages: u16,
    /// Linear price per page beyond the free ones (1,000 gas).
    pub page_gas: u16,
    /// Pages per doubling of the exponential part (8).
    pub ramp_pages: u16,
}

impl Default for MemoryModel {
    fn default() -> Self {
        Self {
            free_pages: 2,
            page_gas: 1_000,
            ramp_pages: 8,
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

    /// The exponential part for `pages` ever open: `2^(pages / ramp_pages) - 1`, linear
    /// between powers of two, saturating at `u64::MAX`.
    pub fn exponential(&self, pages: u16) -> u64 {
        let ramp = u64::from(self.ramp_pages.max(1));
        let pages = u64::from(pages);
        let (whole, part) = (pages / ramp, pages % ramp);
        if whole >= 63 {
            return u64::MAX;
        }
        let low = 1u64 << whole;
        // Between 2^whole and 2^(whole+1): add the fraction part/ramp of 2^whole.
        let value = low.saturating_add(low.saturating_mul(part) / ramp);
        value - 1
    }
}

#[cfg(test)]
mod tests {
    use super::MemoryModel;

    #[test]
    fn free_pages_cost_nothing_and_more_pages_cost_more() {
        let m = MemoryModel::default();
        assert_eq!(m.gas_cost(2, 0, 0), 0);
        assert_eq!(m.gas_cost(1, 0, 0), 0);
        assert_eq!(m.gas_cost(3, 0, 0), 1_000);
        let mut last = 0;
        for pages in 3..=128 {
            let cost = m.gas_cost(pages, 0, 0);
            assert!(cost > last, "{pages}");
            last = cost;
        }
        assert_eq!(m.exponential(64), 255);
        assert_eq!(m.exponential(128), 65_535);
    }

    #[test]
    fn pages_already_paid_in_the_transaction_are_cheaper_to_reopen() {
        let m = MemoryModel::default();
        // Reopening 10 pages after a frame that held 10 returned: only the linear part.
        assert_eq!(m.gas_cost(10, 0, 10), 8_000);
        assert!(m.gas_cost(10, 0, 0) > m.gas_cost(10, 0, 10));
    }
}
