//! The stake state the home stake-sync publishes, and its message encoding.
use alloc::vec::Vec;

use alloy_primitives::U256;

/// Message type byte of a stake state.
pub const STATE_MESSAGE: u8 = 1;
/// Length of an encoded state.
pub const STATE_LEN: usize = 1 + 8 + 8 + 32 + 32 + 32 + 8 + 1;

/// The restaking state the home publishes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StakeState {
    /// Publication number (starts at 1, +1 per publication).
    pub sequence: u64,
    /// Home block time of the publication.
    pub timestamp: u64,
    /// The vault's exchange rate (assets per 1e18 shares).
    pub rate: U256,
    /// The vault's total assets.
    pub total_assets: U256,
    /// LRT supply (the vault's total shares).
    pub supply: U256,
    /// Slashing epoch: +1 per publication that observed a new slash request or a rate fall.
    pub slash_epoch: u64,
    /// A slash request is waiting (veto window or execution).
    pub pending_slash: bool,
}

fn word(b: &[u8], at: usize) -> U256 {
    U256::from_be_slice(&b[at..at + 32])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_be_bytes(w)
}

impl StakeState {
    /// `1 | sequence:u64 | timestamp:u64 | rate | totalAssets | supply | slashEpoch:u64 |
    /// pendingSlash:u8`, big-endian, packed ([`STATE_LEN`] bytes).
    pub fn encode(&self) -> Vec<u8> {
        let mut m = Vec::with_capacity(STATE_LEN);
        m.push(STATE_MESSAGE);
        m.extend_from_slice(&self.sequence.to_be_bytes());
        m.extend_from_slice(&self.timestamp.to_be_bytes());
        m.extend_from_slice(&self.rate.to_be_bytes::<32>());
        m.extend_from_slice(&self.total_assets.to_be_bytes::<32>());
        m.extend_from_slice(&self.supply.to_be_bytes::<32>());
        m.extend_from_slice(&self.slash_epoch.to_be_bytes());
        m.push(u8::from(self.pending_slash));
        m
    }

    /// Decodes [`Self::encode`]'s output: `None` for another length, type or flag byte.
    pub fn decode(m: &[u8]) -> Option<Self> {
        if m.len() != STATE_LEN || m[0] != STATE_MESSAGE || m[STATE_LEN - 1] > 1 {
            return None;
        }
        Some(Self {
            sequence: u64_at(m, 1),
            timestamp: u64_at(m, 9),
            rate: word(m, 17),
            total_assets: word(m, 49),
            supply: word(m, 81),
            slash_epoch: u64_at(m, 113),
            pending_slash: m[STATE_LEN - 1] == 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trip(seq: u64, ts: u64, r: [u8; 32], a: [u8; 32], s: [u8; 32], e: u64, p: bool) {
            let st = StakeState {
                sequence: seq, timestamp: ts, rate: U256::from_be_bytes(r), total_assets: U256::from_be_bytes(a),
                supply: U256::from_be_bytes(s), slash_epoch: e, pending_slash: p,
            };
            let m = st.encode();
            prop_assert_eq!(m.len(), STATE_LEN);
            prop_assert_eq!(StakeState::decode(&m), Some(st));
        }

        #[test]
        fn malformed_messages_do_not_decode(mut m in proptest::collection::vec(any::<u8>(), 0..200)) {
            if m.len() == STATE_LEN && m[0] == STATE_MESSAGE {
                m[STATE_LEN - 1] |= 2; // an invalid flag byte
            }
            prop_assert_eq!(StakeState::decode(&m), None);
        }
    }
}
