//! Installed polling filters (`eth_newFilter`, `eth_newBlockFilter`, ...) with expiry.
//!
//! A filter remembers the last block it reported; `eth_getFilterChanges` answers what was
//! mined since. Filters that are not polled for [`Filters::ttl`] are removed, as geth does
//! (its timeout is 5 minutes).

use alloy::primitives::U256;
use alloy::rpc::types::Filter;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Default lifetime of a filter that is not polled.
pub const DEFAULT_FILTER_TTL: Duration = Duration::from_secs(5 * 60);

/// What a filter watches.
#[derive(Debug, Clone)]
pub enum FilterKind {
    /// Logs matching the filter.
    Logs(Box<Filter>),
    /// Hashes of new blocks.
    Blocks,
    /// Hashes of new pending transactions (always empty: transactions are mined on arrival
    /// or kept in the chain's own pending block).
    PendingTransactions,
}

/// One installed filter.
#[derive(Debug, Clone)]
pub struct Installed {
    /// What it watches.
    pub kind: FilterKind,
    /// The last block whose changes were reported (the head when installed).
    pub last_block: u64,
    last_poll: Instant,
}

/// The set of installed filters.
#[derive(Debug)]
pub struct Filters {
    next_id: u64,
    map: HashMap<U256, Installed>,
    ttl: Duration,
}

impl Filters {
    /// An empty set whose filters expire after `ttl` without a poll.
    pub fn new(ttl: Duration) -> Self {
        Self {
            next_id: 1,
            map: HashMap::new(),
            ttl,
        }
    }

    /// The expiry time.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Installs a filter; `head` is the current block number. Returns its id.
    pub fn install(&mut self, kind: FilterKind, head: u64, now: Instant) -> U256 {
        self.expire(now);
        let id = U256::from(self.next_id);
        self.next_id = self.next_id.saturating_add(1);
        self.map.insert(
            id,
            Installed {
                kind,
                last_block: head,
                last_poll: now,
            },
        );
        id
    }

    /// Removes a filter; false if it did not exist (or had expired).
    pub fn uninstall(&mut self, id: U256, now: Instant) -> bool {
        self.expire(now);
        self.map.remove(&id).is_some()
    }

    /// The filter `id` for a poll: returns a copy with the block it last reported, and marks
    /// blocks up to `head` as reported. `None` if unknown or expired.
    pub fn poll(&mut self, id: U256, head: u64, now: Instant) -> Option<Installed> {
        self.expire(now);
        let f = self.map.get_mut(&id)?;
        let before = f.clone();
        f.last_poll = now;
        f.last_block = head;
        // After `evm_revert` the head can move back: report from the new head onwards.
        Some(Installed {
            last_block: before.last_block.min(head),
            ..before
        })
    }

    /// A copy of filter `id` without consuming changes (for `eth_getFilterLogs`); refreshes
    /// its expiry.
    pub fn get(&mut self, id: U256, now: Instant) -> Option<Installed> {
        self.expire(now);
        let f = self.map.get_mut(&id)?;
        f.last_poll = now;
        Some(f.clone())
    }

    /// Number of live filters.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no filter is installed.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Drops filters not polled within the ttl.
    pub fn expire(&mut self, now: Instant) {
        let ttl = self.ttl;
        self.map
            .retain(|_, f| now.saturating_duration_since(f.last_poll) < ttl);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_uninstall_once() {
        let now = Instant::now();
        let mut f = Filters::new(DEFAULT_FILTER_TTL);
        let a = f.install(FilterKind::Blocks, 0, now);
        let b = f.install(FilterKind::PendingTransactions, 0, now);
        assert_ne!(a, b);
        assert!(f.uninstall(a, now));
        assert!(!f.uninstall(a, now));
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn poll_reports_from_last_block_and_advances() {
        let now = Instant::now();
        let mut f = Filters::new(DEFAULT_FILTER_TTL);
        let id = f.install(FilterKind::Blocks, 3, now);
        assert_eq!(f.poll(id, 5, now).map(|i| i.last_block), Some(3));
        assert_eq!(f.poll(id, 5, now).map(|i| i.last_block), Some(5));
        // Head moved back (snapshot revert): start again from the new head.
        assert_eq!(f.poll(id, 2, now).map(|i| i.last_block), Some(2));
    }

    #[test]
    fn unpolled_filters_expire() {
        let t0 = Instant::now();
        let mut f = Filters::new(Duration::from_secs(10));
        let old = f.install(FilterKind::Blocks, 0, t0);
        let t1 = t0 + Duration::from_secs(6);
        let young = f.install(FilterKind::Blocks, 0, t1);
        // Polling `young` at t0+12 s: `old` (last touched at t0) is gone, `young` lives.
        let t2 = t0 + Duration::from_secs(12);
        assert!(f.poll(young, 0, t2).is_some());
        assert!(f.poll(old, 0, t2).is_none());
        // A poll refreshes the expiry.
        assert!(f.get(young, t2 + Duration::from_secs(9)).is_some());
        assert!(f.get(young, t2 + Duration::from_secs(30)).is_none());
        assert!(f.is_empty());
    }
}
