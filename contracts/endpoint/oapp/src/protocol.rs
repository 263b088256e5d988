//! The calls between the destination-side endpoint contracts.
//!
//! The destination side is two contracts (one would not fit Stylus's 24 KiB limit):
//! `EndpointReceive` holds the message state (attestations, committed hashes, inbound nonces)
//! and takes `verify`, `commit`, `deliver` and the delegate recoveries (`skip`, `clear`,
//! `nilify`, `burn`); `EndpointConfig` holds the policy (each receiver's verifier quorum and
//! ordering, delegates, pauses, the admin). `EndpointReceive` reads the policy of a path with
//! one static call to [`IEndpointConfig::policy`] per commit, delivery or recovery (a packed
//! [`Policy`], cheaper in code than an ABI tuple on both sides).
use alloc::vec::Vec;

use alloy_primitives::Address;
use alloy_sol_types::sol;

/// Pause group (in `EndpointConfig`) of `commit`.
pub const GROUP_COMMIT: u8 = 1;
/// Pause group (in `EndpointConfig`) of `deliver`.
pub const GROUP_DELIVER: u8 = 2;

sol! {
    /// What `EndpointReceive` asks `EndpointConfig`.
    interface IEndpointConfig {
        /// The policy for messages to `receiver` from `sender` on `srcEid`, packed (see
        /// `Policy::encode`).
        function policy(address receiver, uint32 srcEid, bytes32 sender) external view returns (bytes);
    }

}

/// The policy for one path, as `EndpointConfig::policy` returns it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// The verifiers, the required ones first (empty = not configured).
    pub verifiers: Vec<Address>,
    /// The receiver's delegate (zero = none).
    pub delegate: Address,
    /// How many of `verifiers` are required.
    pub required: u8,
    /// How many of the optional verifiers must attest.
    pub threshold: u8,
    /// Ordered path.
    pub ordered: bool,
    /// The path is paused.
    pub path_paused: bool,
    /// `commit` is paused for every path.
    pub commit_paused: bool,
    /// `deliver` is paused for every path.
    pub deliver_paused: bool,
}

impl Policy {
    /// `flags | required | threshold | delegate | verifier * n` with flags bit 0 ordered, 1 path
    /// paused, 2 commit paused, 3 deliver paused; addresses are 20 bytes.
    pub fn encode(&self) -> Vec<u8> {
        let flags = u8::from(self.ordered)
            | (u8::from(self.path_paused) << 1)
            | (u8::from(self.commit_paused) << 2)
            | (u8::from(self.deliver_paused) << 3);
        let mut out = Vec::with_capacity(23 + 20 * self.verifiers.len());
        out.extend_from_slice(&[flags, self.required, self.threshold]);
        out.extend_from_slice(self.delegate.as_slice());
        for v in &self.verifiers {
            out.extend_from_slice(v.as_slice());
        }
        out
    }

    /// Decodes [`Self::encode`]'s output; `None` for a malformed one.
    pub fn decode(b: &[u8]) -> Option<Self> {
        let (head, rest) = (b.get(..23)?, b.get(23..)?);
        if rest.len() % 20 != 0 {
            return None;
        }
        Some(Self {
            verifiers: rest.chunks(20).map(Address::from_slice).collect(),
            delegate: Address::from_slice(&head[3..23]),
            required: head[1],
            threshold: head[2],
            ordered: head[0] & 1 != 0,
            path_paused: head[0] & 2 != 0,
            commit_paused: head[0] & 4 != 0,
            deliver_paused: head[0] & 8 != 0,
        })
    }

    /// Decodes the ABI return data of `policy` (`bytes`): `None` when malformed.
    pub fn from_return_data(out: &[u8]) -> Option<Self> {
        let offset = usize::try_from(alloy_primitives::U256::from_be_slice(out.get(..32)?)).ok()?;
        let len_word = out.get(offset..offset.checked_add(32)?)?;
        let len = usize::try_from(alloy_primitives::U256::from_be_slice(len_word)).ok()?;
        let start = offset.checked_add(32)?;
        Self::decode(out.get(start..start.checked_add(len)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::Bytes;
    use alloy_sol_types::SolValue;

    fn sample() -> Policy {
        Policy {
            verifiers: vec![
                Address::repeat_byte(1),
                Address::repeat_byte(2),
                Address::repeat_byte(3),
            ],
            delegate: Address::repeat_byte(9),
            required: 1,
            threshold: 2,
            ordered: true,
            path_paused: false,
            commit_paused: true,
            deliver_paused: false,
        }
    }

    #[test]
    fn policy_round_trips_through_abi_bytes() {
        let p = sample();
        let ret = (Bytes::from(p.encode()),).abi_encode_params();
        assert_eq!(Policy::from_return_data(&ret), Some(p));
        let empty = Policy::default();
        let ret = (Bytes::from(empty.encode()),).abi_encode_params();
        assert_eq!(Policy::from_return_data(&ret), Some(empty));
    }

    #[test]
    fn malformed_policies_are_rejected() {
        let mut e = sample().encode();
        e.pop();
        assert_eq!(Policy::decode(&e), None);
        assert_eq!(Policy::decode(&[0u8; 22]), None);
        assert_eq!(Policy::from_return_data(&[0u8; 16]), None);
        // Offset pointing past the data.
        let mut ret = [0u8; 64];
        ret[31] = 0x40;
        assert_eq!(Policy::from_return_data(&ret), None);
    }
}
