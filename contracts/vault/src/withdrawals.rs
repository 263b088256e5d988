//! Redeem requests (ERC-7540 shape), their per-controller queues, and operators.
use alloc::{vec, vec::Vec};
use alloy_primitives::{aliases::U64, Address, U256};
use restake_shared::math::add;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64, StorageVec},
};

use crate::VaultError;

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
pub struct Withdrawals {
    /// The last id issued (ids start at 1 and go up by one; zero means none yet).
    last_id: StorageU256,
    /// Id => request.
    requests: StorageMap<U256, RequestSlot>,
    /// Controller => its request ids.
    queues: StorageMap<Address, Queue>,
    /// Controller => operator => approved (ERC-7540 `setOperator`).
    operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
}

impl Withdrawals {
    /// The last id issued.
    pub fn last_id(&self) -> U256 {
        self.last_id.get()
    }

    /// Request `id`, or `None` when never issued.
    pub fn get(&self, id: U256) -> Option<Request> {
        let r = self.requests.getter(id);
        let controller = r.controller.get();
        if controller.is_zero() {
            return None;
        }
        Some(Request {
            controller,
            claimed: r.claimed.get(),
            claimable_at: r.claimable_at.get().to::<u64>(),
            asset: r.asset.get(),
            shares: r.shares.get(),
            assets: r.assets.get(),
        })
    }

    /// Records a new request and returns its id (the last id plus one).
    ///
    /// # Errors
    /// [`VaultError::Overflow`] when ids run out.
    pub fn push(&mut self, r: &Request) -> Result<U256, VaultError> {
        let id = add(self.last_id.get(), U256::from(1))?;
        self.last_id.set(id);
        let mut slot = self.requests.setter(id);
        slot.controller.set(r.controller);
        slot.claimable_at.set(U64::from(r.claimable_at));
        slot.asset.set(r.asset);
        slot.shares.set(r.shares);
        slot.assets.set(r.assets);
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
        self.queues
            .getter(controller)
            .ids
            .get(i)
            .unwrap_or_default()
    }

    /// Index of `controller`'s first request that may be unclaimed.
    pub fn head(&self, controller: Address) -> usize {
        self.queues.getter(controller).head.get().saturating_to()
    }

    /// Moves `controller`'s head to `head`.
    pub fn set_head(&mut self, controller: Address, head: usize) {
        self.queues.setter(controller).head.set(U256::from(head));
    }

    /// Whether `operator` may act for `controller`.
    pub fn is_operator(&self, controller: Address, operator: Address) -> bool {
        self.operators.getter(controller).get(operator)
    }

    /// Approves or revokes `operator` for `controller`.
    pub fn set_operator(&mut self, controller: Address, operator: Address, approved: bool) {
        self.operators
            .setter(controller)
            .insert(operator, approved);
    }
}
