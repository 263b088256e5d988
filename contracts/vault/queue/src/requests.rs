//! Redeem requests (ERC-7540 shape), their per-controller queues, and operators.
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use restake_shared::math::add;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64, StorageVec},
};

use crate::word::{load, load_addr, load_u64, store, store_addr, store_u64};
use crate::QueueError;

/// One redeem request as stored.
#[storage]
pub struct RequestSlot {
    /// Who may claim (with its operators). Zero exactly when the id was never issued.
    controller: StorageAddress,
    /// Set once, by the claim that pays the request; never cleared.
    claimed: StorageBool,
    /// Claimable from this time (unix seconds): the request time plus the delay then in force.
    claimable_at: StorageU64,
    /// The payout asset: `NATIVE_ETH` or a token that was listed at request time.
    asset: StorageAddress,
    /// Escrowed LRT, burned by the claim. Non-zero.
    shares: StorageU256,
    /// Value of the shares at request time (wei, rounded down): the most the claim pays.
    assets: StorageU256,
}

/// A request as read from storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    /// Who may claim.
    pub controller: Address,
    /// Paid already.
    pub claimed: bool,
    /// Claimable from (unix seconds).
    pub claimable_at: u64,
    /// Payout asset.
    pub asset: Address,
    /// Escrowed LRT.
    pub shares: U256,
    /// Value at request time (wei).
    pub assets: U256,
}

/// The request ids of one controller, in issue order.
#[storage]
pub struct Queue {
    /// Ids, increasing. Only appended to.
    ids: StorageVec<StorageU256>,
    /// Every request before this index is claimed; `redeem` starts here.
    head: StorageU256,
}

/// All requests, queues and operator approvals.
#[storage]
pub struct Requests {
    /// The last id issued (ids start at 1 and go up by one; zero means none yet).
    last_id: StorageU256,
    /// Id => request.
    requests: StorageMap<U256, RequestSlot>,
    /// Controller => its request ids.
    queues: StorageMap<Address, Queue>,
    /// Controller => operator => approved (ERC-7540 `setOperator`).
    operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
}

impl Requests {
    /// The last id issued.
    pub fn last_id(&self) -> U256 {
        load(&self.last_id)
    }

    /// Request `id`, or `None` when never issued.
    pub fn get(&self, id: U256) -> Option<Request> {
        let r = self.requests.getter(id);
        let controller = load_addr(&r.controller);
        if controller.is_zero() {
            return None;
        }
        Some(Request {
            controller,
            claimed: r.claimed.get(),
            claimable_at: load_u64(&r.claimable_at),
            asset: load_addr(&r.asset),
            shares: load(&r.shares),
            assets: load(&r.assets),
        })
    }

    /// Records a new request and returns its id (the last id plus one).
    ///
    /// # Errors
    /// [`QueueError::Overflow`] when ids run out.
    pub fn push(&mut self, r: &Request) -> Result<U256, QueueError> {
        let id = add(self.last_id(), U256::from(1))?;
        store(&mut self.last_id, id);
        let mut slot = self.requests.setter(id);
        store_addr(&mut slot.controller, r.controller);
        store_u64(&mut slot.claimable_at, r.claimable_at);
        store_addr(&mut slot.asset, r.asset);
        store(&mut slot.shares, r.shares);
        store(&mut slot.assets, r.assets);
        self.queues.setter(r.controller).ids.push(id);
        Ok(id)
    }

    /// Marks request `id` paid.
    pub fn mark_claimed(&mut self, id: U256) {
        self.requests.setter(id).claimed.set(true);
    }

    /// Number of requests `controller` ever had.
    pub fn queue_len(&self, controller: Address) -> usize {
        self.queues.getter(controller).ids.len()
    }

    /// The `i`-th request id of `controller` (zero past the end).
    pub fn queue_at(&self, controller: Address, i: usize) -> U256 {
        let q = self.queues.getter(controller);
        q.ids.getter(i).map_or(U256::ZERO, |g| load(&g))
    }

    /// Index of `controller`'s first request that may be unclaimed.
    pub fn head(&self, controller: Address) -> usize {
        load(&self.queues.getter(controller).head).saturating_to()
    }

    /// Moves `controller`'s head to `head`.
    pub fn set_head(&mut self, controller: Address, head: usize) {
        store(&mut self.queues.setter(controller).head, U256::from(head));
    }

    /// Whether `operator` may act for `controller`.
    pub fn is_operator(&self, controller: Address, operator: Address) -> bool {
        self.operators.getter(controller).get(operator)
    }

    /// Approves or revokes `operator` for `controller`.
    pub fn set_operator(&mut self, controller: Address, operator: Address, approved: bool) {
        self.operators.setter(controller).insert(operator, approved);
    }
}
