//! Decoding of the endpoint's encoded packets (the `encodedPacket` of `PacketSent`).
//!
//! ```text
//! header      = version:uint8 (=1) | nonce:uint64 | srcEid:uint32 | sender:bytes32
//!             | dstEid:uint32 | receiver:bytes32                     (81 bytes, big-endian)
//! packet      = header | guid:bytes32 | message
//! guid        = keccak256(nonce | srcEid | sender | dstEid | receiver) (= keccak256(header[1..]))
//! payloadHash = keccak256(guid | message)
//! ```
use alloy::primitives::{keccak256, Address, Bytes, B256};
use thiserror::Error;

/// The only packet version the relayer understands.
pub const VERSION: u8 = 1;
/// Length of an encoded header.
pub const HEADER_LEN: usize = 81;

/// Why an encoded packet was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PacketError {
    /// Shorter than a header plus a GUID.
    #[error("packet of {0} bytes is shorter than header + guid ({min} bytes)", min = HEADER_LEN + 32)]
    TooShort(usize),
    /// A header of the wrong length.
    #[error("header of {0} bytes, expected {HEADER_LEN}")]
    HeaderLength(usize),
    /// An unknown version byte.
    #[error("unsupported packet version {0}")]
    Version(u8),
    /// The GUID in the packet is not the one its header hashes to.
    #[error("guid {found} does not match the header (expected {expected})")]
    GuidMismatch {
        /// The GUID carried by the packet.
        found: B256,
        /// keccak256 of the header without its version byte.
        expected: B256,
    },
}

/// A decoded packet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Outbound nonce of the (sender, dstEid, receiver) path; starts at 1.
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

    /// Decodes exactly [`HEADER_LEN`] bytes of version [`VERSION`].
    ///
    /// # Errors
    /// [`PacketError::HeaderLength`] or [`PacketError::Version`].
    pub fn decode(bytes: &[u8]) -> Result<Self, PacketError> {
        if bytes.len() != HEADER_LEN {
            return Err(PacketError::HeaderLength(bytes.len()));
        }
        if bytes[0] != VERSION {
            return Err(PacketError::Version(bytes[0]));
        }
        let mut nonce = [0u8; 8];
        nonce.copy_from_slice(&bytes[1..9]);
        let mut src = [0u8; 4];
        src.copy_from_slice(&bytes[9..13]);
        let mut dst = [0u8; 4];
        dst.copy_from_slice(&bytes[45..49]);
        Ok(Self {
            nonce: u64::from_be_bytes(nonce),
            src_eid: u32::from_be_bytes(src),
            sender: B256::from_slice(&bytes[13..45]),
            dst_eid: u32::from_be_bytes(dst),
            receiver: B256::from_slice(&bytes[49..81]),
        })
    }

    /// The GUID: keccak256 of the header without its version byte (which is
    /// `abi.encodePacked(nonce, srcEid, sender, dstEid, receiver)`).
    pub fn guid(&self) -> B256 {
        keccak256(&self.encode()[1..])
    }

    /// The receiver as an address, or `None` when its upper 12 bytes are not zero.
    pub fn receiver_address(&self) -> Option<Address> {
        word_to_address(self.receiver)
    }
}

/// The address in a left-padded word, or `None` when the padding is not zero.
pub fn word_to_address(word: B256) -> Option<Address> {
    if word[..12].iter().any(|&b| b != 0) {
        return None;
    }
    Some(Address::from_slice(&word[12..]))
}

/// A decoded packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// The decoded header.
    pub header: Header,
    /// The GUID (checked against the header).
    pub guid: B256,
    /// The application message.
    pub message: Bytes,
}

impl Packet {
    /// Decodes `header | guid | message` and checks the GUID.
    ///
    /// # Errors
    /// [`PacketError`] for a short packet, a bad version or a GUID that does not match.
    pub fn decode(encoded: &[u8]) -> Result<Self, PacketError> {
        if encoded.len() < HEADER_LEN + 32 {
            return Err(PacketError::TooShort(encoded.len()));
        }
        let header = Header::decode(&encoded[..HEADER_LEN])?;
        let guid = B256::from_slice(&encoded[HEADER_LEN..HEADER_LEN + 32]);
        let expected = header.guid();
        if guid != expected {
            return Err(PacketError::GuidMismatch {
                found: guid,
                expected,
            });
        }
        Ok(Self {
            header,
            guid,
            message: Bytes::copy_from_slice(&encoded[HEADER_LEN + 32..]),
        })
    }

    /// The encoded header, as `verify`, `commit` and `deliver` take it.
    pub fn header_bytes(&self) -> Bytes {
        Bytes::copy_from_slice(&self.header.encode())
    }

    /// keccak256 of the encoded header (the key of `isVerified`).
    pub fn header_hash(&self) -> B256 {
        keccak256(self.header.encode())
    }

    /// `keccak256(guid | message)`, the hash the verifiers attest.
    pub fn payload_hash(&self) -> B256 {
        payload_hash(self.guid, &self.message)
    }

    /// The encoding `header | guid | message`.
    pub fn encode(&self) -> Bytes {
        let mut out = Vec::with_capacity(HEADER_LEN + 32 + self.message.len());
        out.extend_from_slice(&self.header.encode());
        out.extend_from_slice(self.guid.as_slice());
        out.extend_from_slice(&self.message);
        out.into()
    }
}

/// `keccak256(guid | message)`.
pub fn payload_hash(guid: B256, message: &[u8]) -> B256 {
    let mut buf = Vec::with_capacity(32 + message.len());
    buf.extend_from_slice(guid.as_slice());
    buf.extend_from_slice(message);
    keccak256(buf)
}
