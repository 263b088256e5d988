//! Packet decoding against the layout in the endpoint's ABI contract: packed big-endian
//! header, GUID = keccak256(abi.encodePacked(nonce, srcEid, sender, dstEid, receiver)),
//! payload hash = keccak256(guid | message).

use alloy::primitives::{address, keccak256, Address, B256};
use alloy::sol_types::SolValue;
use relayer::packet::{payload_hash, word_to_address, Header, Packet, PacketError, HEADER_LEN};

fn header() -> Header {
    Header {
        nonce: 0x0102_0304_0506_0708,
        src_eid: 0x0a0b_0c0d,
        sender: address!("00000000000000000000000000000000000000aa").into_word(),
        dst_eid: 0x1122_3344,
        receiver: address!("1234567890abcdef1234567890abcdef12345678").into_word(),
    }
}

/// The encoded packet the endpoint emits, built by hand from the specification.
fn spec_packet(h: &Header, message: &[u8]) -> Vec<u8> {
    let mut out = vec![1u8];
    out.extend_from_slice(&h.nonce.to_be_bytes());
    out.extend_from_slice(&h.src_eid.to_be_bytes());
    out.extend_from_slice(h.sender.as_slice());
    out.extend_from_slice(&h.dst_eid.to_be_bytes());
    out.extend_from_slice(h.receiver.as_slice());
    let guid = keccak256((h.nonce, h.src_eid, h.sender, h.dst_eid, h.receiver).abi_encode_packed());
    out.extend_from_slice(guid.as_slice());
    out.extend_from_slice(message);
    out
}

#[test]
fn header_layout_is_packed_big_endian() {
    let e = header().encode();
    assert_eq!(e.len(), HEADER_LEN);
    assert_eq!(e[0], 1, "version");
    assert_eq!(&e[1..9], &[1, 2, 3, 4, 5, 6, 7, 8], "nonce");
    assert_eq!(&e[9..13], &[0x0a, 0x0b, 0x0c, 0x0d], "srcEid");
    assert_eq!(e[44], 0xaa, "sender (left-padded address)");
    assert!(e[13..44].iter().all(|&b| b == 0));
    assert_eq!(&e[45..49], &[0x11, 0x22, 0x33, 0x44], "dstEid");
    assert_eq!(
        &e[61..81],
        address!("1234567890abcdef1234567890abcdef12345678").as_slice()
    );
}

#[test]
fn decodes_a_packet_built_from_the_specification() {
    let h = header();
    let raw = spec_packet(&h, b"stake state");
    let p = Packet::decode(&raw).expect("valid packet");
    assert_eq!(p.header, h);
    assert_eq!(p.message.as_ref(), b"stake state");
    assert_eq!(p.guid, h.guid());
    assert_eq!(p.header_bytes().as_ref(), &raw[..HEADER_LEN]);
    assert_eq!(p.header_hash(), keccak256(&raw[..HEADER_LEN]));
    assert_eq!(
        p.payload_hash(),
        keccak256(&raw[HEADER_LEN..]),
        "keccak256(guid | message)"
    );
    assert_eq!(
        p.encode().as_ref(),
        raw.as_slice(),
        "re-encodes to the same bytes"
    );
    assert_eq!(
        h.receiver_address(),
        Some(address!("1234567890abcdef1234567890abcdef12345678"))
    );
}

#[test]
fn empty_message_is_valid() {
    let raw = spec_packet(&header(), b"");
    let p = Packet::decode(&raw).expect("header + guid only");
    assert!(p.message.is_empty());
    assert_eq!(p.payload_hash(), keccak256(p.guid));
}

#[test]
fn rejects_short_packets() {
    let raw = spec_packet(&header(), b"");
    for len in [0, 1, HEADER_LEN, HEADER_LEN + 31] {
        assert_eq!(Packet::decode(&raw[..len]), Err(PacketError::TooShort(len)));
    }
}

#[test]
fn rejects_unknown_versions() {
    let mut raw = spec_packet(&header(), b"m");
    raw[0] = 2;
    assert_eq!(Packet::decode(&raw), Err(PacketError::Version(2)));
    assert_eq!(
        Header::decode(&raw[..80]),
        Err(PacketError::HeaderLength(80))
    );
}

#[test]
fn rejects_a_guid_that_does_not_match_the_header() {
    let h = header();
    let mut raw = spec_packet(&h, b"m");
    raw[HEADER_LEN] ^= 1;
    match Packet::decode(&raw) {
        Err(PacketError::GuidMismatch { expected, .. }) => assert_eq!(expected, h.guid()),
        other => panic!("expected a guid mismatch, got {other:?}"),
    }
    // A tampered header field changes the expected guid too.
    let mut raw = spec_packet(&h, b"m");
    raw[8] ^= 1;
    assert!(matches!(
        Packet::decode(&raw),
        Err(PacketError::GuidMismatch { .. })
    ));
}

#[test]
fn payload_hash_depends_on_every_message_byte() {
    let g = B256::repeat_byte(7);
    let base = payload_hash(g, b"abc");
    assert_ne!(base, payload_hash(g, b"abd"));
    assert_ne!(base, payload_hash(g, b"ab"));
    assert_ne!(base, payload_hash(B256::repeat_byte(8), b"abc"));
}

#[test]
fn receiver_words_with_dirty_padding_are_not_addresses() {
    let a = Address::repeat_byte(0x42);
    assert_eq!(word_to_address(a.into_word()), Some(a));
    let mut dirty = a.into_word();
    dirty.0[0] = 1;
    assert_eq!(word_to_address(dirty), None);
}

#[test]
fn round_trips_many_headers() {
    // A deterministic spread of field values (xorshift), including extremes.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for i in 0..500u64 {
        let h = Header {
            nonce: if i == 0 { u64::MAX } else { next() },
            src_eid: if i == 1 { u32::MAX } else { next() as u32 },
            sender: B256::from(alloy::primitives::U256::from(next())),
            dst_eid: next() as u32,
            receiver: B256::repeat_byte(next() as u8),
        };
        let msg = next().to_be_bytes();
        let raw = spec_packet(&h, &msg);
        let p = Packet::decode(&raw).expect("valid");
        assert_eq!(p.header, h);
        assert_eq!(Header::decode(&h.encode()), Ok(h));
    }
}
