//! Packet encoding shared by the endpoint, the OApps and the relayer.
//!
//! ```text
//! header  = version:uint8 (=1) | nonce:uint64 | srcEid:uint32 | sender:bytes32
//!         | dstEid:uint32 | receiver:bytes32                         (81 bytes, big-endian)
//! packet  = header | guid:bytes32 | message
//! guid    = keccak256(nonce | srcEid | sender | dstEid | receiver)  (= keccak256(header[1..]))
//! payloadHash = keccak256(guid | message)
//! ```
use alloc::vec::Vec;

use alloy_primitives::{Address, B256};
use stylus_sdk::stylus_core::CryptographyAccess;

/// The only packet version.
pub const VERSION: u8 = 1;
/// Length of an encoded header.
pub const HEADER_LEN: usize = 81;

/// A decoded packet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Outbound nonce of the path (starts at 1).
    pub nonce: u64,
    /// Source endpoint id.
    pub src_eid: u32,
    /// Sender on the source chain (an address, left-padded).
    pub sender: B256,
    /// Destination endpoint id.
    pub dst_eid: u32,
    /// Receiver on the destination chain (an address, left-padded).
    pub receiver: B256,
}

/// `a` as a left-padded `bytes32`.
pub fn address_to_bytes32(a: Address) -> B256 {
    a.into_word()
}

/// The address in `b`, or `None` when its first 12 bytes are not zero.
pub fn bytes32_to_address(b: B256) -> Option<Address> {
    if b[..12].iter().any(|&x| x != 0) {
        return None;
    }
    Some(Address::from_slice(&b[12..]))
}

impl Header {
    /// The 81-byte encoding.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[0] = VERSION;
        h[1..9].copy_from_slice(&self.nonce.to_be_bytes());
        h[9..13].copy_from_slice(&self.src_eid.to_be_bytes());
        h[13..45].copy_from_slice(self.sender.as_slice());
        h[45..49].copy_from_slice(&self.dst_eid.to_be_bytes());
        h[49..81].copy_from_slice(self.receiver.as_slice());
        h
    }

    /// Decodes `bytes`: `None` unless it is exactly [`HEADER_LEN`] bytes of [`VERSION`].
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != HEADER_LEN || bytes[0] != VERSION {
            return None;
        }
        let mut n = [0u8; 8];
        n.copy_from_slice(&bytes[1..9]);
        let mut s = [0u8; 4];
        s.copy_from_slice(&bytes[9..13]);
        let mut d = [0u8; 4];
        d.copy_from_slice(&bytes[45..49]);
        Some(Self {
            nonce: u64::from_be_bytes(n),
            src_eid: u32::from_be_bytes(s),
            sender: B256::from_slice(&bytes[13..45]),
            dst_eid: u32::from_be_bytes(d),
            receiver: B256::from_slice(&bytes[49..81]),
        })
    }

    /// The packet's GUID: keccak256 of the header without its version byte.
    pub fn guid<H: CryptographyAccess + ?Sized>(&self, host: &H) -> B256 {
        host.native_keccak256(&self.encode()[1..])
    }
}

/// `keccak256(local | eid | remote)`: the key the endpoints use for the path between the
/// contract `local` on their chain and `remote` on endpoint `eid` (outbound nonces and path
/// pauses on the source side, inbound state on the destination side).
pub fn path_key<H: CryptographyAccess + ?Sized>(
    host: &H,
    local: Address,
    eid: u32,
    remote: B256,
) -> B256 {
    let mut buf = [0u8; 56];
    buf[..20].copy_from_slice(local.as_slice());
    buf[20..24].copy_from_slice(&eid.to_be_bytes());
    buf[24..].copy_from_slice(remote.as_slice());
    host.native_keccak256(&buf)
}

/// `guid | message`, the preimage of the payload hash (also the tail of an encoded packet).
pub fn payload(guid: B256, message: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(32 + message.len());
    p.extend_from_slice(guid.as_slice());
    p.extend_from_slice(message);
    p
}

/// `keccak256(guid | message)`.
pub fn payload_hash<H: CryptographyAccess + ?Sized>(host: &H, guid: B256, message: &[u8]) -> B256 {
    host.native_keccak256(&payload(guid, message))
}

/// The encoded packet: `header | guid | message`.
pub fn encode_packet(header: &[u8; HEADER_LEN], guid: B256, message: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(HEADER_LEN + 32 + message.len());
    p.extend_from_slice(header);
    p.extend_from_slice(guid.as_slice());
    p.extend_from_slice(message);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, keccak256};
    use proptest::prelude::*;
    use stylus_sdk::testing::TestVM;

    fn header() -> Header {
        Header {
            nonce: 7,
            src_eid: 30_101,
            sender: address_to_bytes32(address!("00000000000000000000000000000000000000aa")),
            dst_eid: 30_110,
            receiver: address_to_bytes32(address!("00000000000000000000000000000000000000bb")),
        }
    }

    #[test]
    fn layout_is_packed_big_endian() {
        let h = header().encode();
        assert_eq!(h[0], 1);
        assert_eq!(&h[1..9], &7u64.to_be_bytes());
        assert_eq!(&h[9..13], &30_101u32.to_be_bytes());
        assert_eq!(h[44], 0xaa);
        assert_eq!(&h[45..49], &30_110u32.to_be_bytes());
        assert_eq!(h[80], 0xbb);
    }

    #[test]
    fn guid_matches_abi_encode_packed() {
        let vm = TestVM::new();
        let hd = header();
        let mut packed = Vec::new();
        packed.extend_from_slice(&hd.nonce.to_be_bytes());
        packed.extend_from_slice(&hd.src_eid.to_be_bytes());
        packed.extend_from_slice(hd.sender.as_slice());
        packed.extend_from_slice(&hd.dst_eid.to_be_bytes());
        packed.extend_from_slice(hd.receiver.as_slice());
        assert_eq!(hd.guid(&vm), keccak256(&packed));
        let g = hd.guid(&vm);
        assert_eq!(
            payload_hash(&vm, g, b"hi"),
            keccak256([g.as_slice(), b"hi"].concat())
        );
        let p = encode_packet(&hd.encode(), g, b"hi");
        assert_eq!(p.len(), HEADER_LEN + 32 + 2);
        assert_eq!(&p[HEADER_LEN..HEADER_LEN + 32], g.as_slice());
    }

    #[test]
    fn decode_rejects_wrong_length_and_version() {
        let h = header().encode();
        assert!(Header::decode(&h[..80]).is_none());
        let mut long = h.to_vec();
        long.push(0);
        assert!(Header::decode(&long).is_none());
        let mut v2 = h;
        v2[0] = 2;
        assert!(Header::decode(&v2).is_none());
        assert!(Header::decode(&[]).is_none());
    }

    #[test]
    fn bytes32_address_round_trip_and_dirty_high_bytes() {
        let a = address!("00000000000000000000000000000000000000cc");
        assert_eq!(bytes32_to_address(address_to_bytes32(a)), Some(a));
        let mut dirty = address_to_bytes32(a);
        dirty.0[0] = 1;
        assert_eq!(bytes32_to_address(dirty), None);
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(nonce: u64, src: u32, dst: u32, s: [u8; 32], r: [u8; 32]) {
            let h = Header { nonce, src_eid: src, sender: B256::from(s), dst_eid: dst, receiver: B256::from(r) };
            prop_assert_eq!(Header::decode(&h.encode()), Some(h));
        }
    }
}
