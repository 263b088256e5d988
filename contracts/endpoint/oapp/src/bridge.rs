//! Pieces shared by the two LRT bridge contracts (home lockbox, remote minter): the transfer
//! message, token-bucket rate limits, events and errors.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Uint, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageU128, StorageU256, StorageU64},
    stylus_core::calls::errors::Error as CallError,
};

sol! {
    /// The LRT functions the bridges call (ERC-20 at home; minter functions on a remote).
    interface ILrt {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function mint(address to, uint256 value) external;
        function burn(address from, uint256 value) external;
    }

    /// `from` bridged `amount` LRT to `to` on `dstEid`.
    #[derive(Debug)]
    event BridgeSent(uint32 indexed dstEid, address indexed from, address to, uint256 amount, bytes32 guid);
    /// `amount` LRT from `srcEid` arrived for `to` (released at home, minted on a remote).
    #[derive(Debug)]
    event BridgeReceived(uint32 indexed srcEid, address indexed to, uint256 amount, bytes32 guid);
    /// The admin set the bucket of `eid` in one direction.
    #[derive(Debug)]
    event RateLimitSet(uint32 indexed eid, bool inbound, uint256 capacity, uint128 refillPerSecond);

    /// The bucket of `eid` (in the given direction) holds only `available`.
    #[derive(Debug)]
    error BridgeRateLimited(uint32 eid, bool inbound, uint256 available);
    /// Zero amount or recipient.
    #[derive(Debug)]
    error BridgeInvalidTransfer();
    /// The LRT refused a lock, release, mint or burn; `reason` is its revert data.
    #[derive(Debug)]
    error BridgeTokenFailed(bytes reason);
}

/// [`BridgeTokenFailed`] carrying a failed call's revert data.
pub fn token_failed(e: CallError) -> BridgeTokenFailed {
    let reason = match e {
        CallError::Revert(d) => d,
        _ => Vec::new(),
    };
    BridgeTokenFailed {
        reason: reason.into(),
    }
}

/// Message type byte of a transfer.
pub const TRANSFER_MESSAGE: u8 = 2;
/// Length of an encoded transfer.
pub const TRANSFER_LEN: usize = 1 + 20 + 32;

/// `2 | to | amount`.
pub fn encode(to: Address, amount: U256) -> Vec<u8> {
    let mut m = Vec::with_capacity(TRANSFER_LEN);
    m.push(TRANSFER_MESSAGE);
    m.extend_from_slice(to.as_slice());
    m.extend_from_slice(&amount.to_be_bytes::<32>());
    m
}

/// Decodes [`encode`]'s output; `None` for another length or type.
pub fn decode(m: &[u8]) -> Option<(Address, U256)> {
    if m.len() != TRANSFER_LEN || m[0] != TRANSFER_MESSAGE {
        return None;
    }
    Some((
        Address::from_slice(&m[1..21]),
        U256::from_be_slice(&m[21..]),
    ))
}

/// The two buckets of one peer.
#[storage]
pub struct Limits {
    /// Outbound (`send` to the peer).
    pub outbound: Bucket,
    /// Inbound (messages from the peer).
    pub inbound: Bucket,
}

impl Limits {
    /// The bucket of one direction (`inbound` for messages from the peer).
    #[inline]
    pub fn bucket(&self, inbound: bool) -> &Bucket {
        if inbound {
            &self.inbound
        } else {
            &self.outbound
        }
    }

    /// The bucket of one direction, for changing it.
    #[inline]
    pub fn bucket_mut(&mut self, inbound: bool) -> &mut Bucket {
        if inbound {
            &mut self.inbound
        } else {
            &mut self.outbound
        }
    }

    /// Takes `amount` at `now` from the bucket of one direction of the peer `eid`.
    ///
    /// # Errors
    /// [`BridgeRateLimited`] (with the tokens available) when there are not enough tokens;
    /// nothing changes then.
    #[inline]
    pub fn spend(
        &mut self,
        eid: u32,
        inbound: bool,
        now: u64,
        amount: U256,
    ) -> Result<(), BridgeRateLimited> {
        self.bucket_mut(inbound)
            .spend(now, amount)
            .map_err(|available| BridgeRateLimited {
                eid,
                inbound,
                available,
            })
    }

    /// Capacity, refill per second and tokens available at `now` of one direction.
    #[inline]
    pub fn status(&self, inbound: bool, now: u64) -> (U256, u128, U256) {
        let bucket = self.bucket(inbound);
        let (capacity, refill) = bucket.config();
        (capacity, refill, bucket.available(now))
    }
}

/// A token bucket: one direction of one peer.
#[storage]
pub struct Bucket {
    /// Most the bucket holds. Zero = nothing passes (the default).
    capacity: StorageU256,
    /// Refill per second (at most `u128::MAX`).
    refill: StorageU128,
    /// Tokens at `updated`. Invariant: at most `capacity`.
    tokens: StorageU256,
    /// Time of the last refill.
    updated: StorageU64,
}

impl Bucket {
    /// Tokens available at `now` (the refill saturates at the capacity; no overflow).
    pub fn available(&self, now: u64) -> U256 {
        let cap = self.capacity.get();
        let elapsed = now.saturating_sub(self.updated.get().to());
        // A huge refill rate or gap saturates to the capacity (u128 arithmetic: far cheaper in
        // code than 256-bit multiplication, and 3.4e38 wei per second is more than enough).
        let refill = self
            .refill
            .get()
            .to::<u128>()
            .saturating_mul(u128::from(elapsed));
        self.tokens
            .get()
            .saturating_add(U256::from(refill))
            .min(cap)
    }

    /// Takes `amount` at `now`; `Err(available)` when there are not enough tokens.
    pub fn spend(&mut self, now: u64, amount: U256) -> Result<(), U256> {
        let available = self.available(now);
        let left = available.checked_sub(amount).ok_or(available)?;
        self.tokens.set(left);
        self.updated.set(Uint::from(now));
        Ok(())
    }

    /// Sets capacity and refill at `now`, keeping the tokens available (clamped to the new
    /// capacity); a bucket never configured before starts full.
    pub fn configure(&mut self, now: u64, capacity: U256, refill: u128) {
        let fresh = self.updated.get().to::<u64>() == 0 && self.capacity.get().is_zero();
        let tokens = if fresh {
            capacity
        } else {
            self.available(now).min(capacity)
        };
        self.capacity.set(capacity);
        self.refill.set(Uint::from(refill));
        self.tokens.set(tokens);
        self.updated.set(Uint::from(now));
    }

    /// Capacity and refill per second.
    pub fn config(&self) -> (U256, u128) {
        (self.capacity.get(), self.refill.get().to())
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trip(to: [u8; 20], amount: [u8; 32]) {
            let (to, amount) = (Address::from(to), U256::from_be_bytes(amount));
            prop_assert_eq!(decode(&encode(to, amount)), Some((to, amount)));
        }

        #[test]
        fn other_shapes_do_not_decode(m in proptest::collection::vec(any::<u8>(), 0..80)) {
            prop_assume!(!(m.len() == TRANSFER_LEN && m[0] == TRANSFER_MESSAGE));
            prop_assert_eq!(decode(&m), None);
        }
    }
}
