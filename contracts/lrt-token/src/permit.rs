//! EIP-2612 permits over an EIP-712 domain (name, version "1", chain id, this contract).
//!
//! Signatures are recovered with the `ecrecover` precompile (address 1). Signatures with a high
//! `s` (EIP-2) or a `v` other than 27/28 are refused, so each permit has exactly one valid
//! encoding, and each nonce is consumed once.
use alloc::{vec, vec::Vec};

use alloy_primitives::{address, b256, Address, FixedBytes, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    call::static_call,
    crypto::keccak,
    prelude::*,
    storage::{StorageMap, StorageU256},
};

/// EIP-712 domain version.
pub const VERSION: &str = "1";

/// The `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub const DOMAIN_TYPEHASH: B256 =
    b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
pub const PERMIT_TYPEHASH: B256 =
    b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");

/// secp256k1 order / 2: the largest `s` EIP-2 allows.
const HALF_ORDER: U256 = U256::from_limbs([
    0xdfe92f46681b20a0,
    0x5d576e7357a4501d,
    0xffffffffffffffff,
    0x7fffffffffffffff,
]);

sol! {
    /// The permit's `deadline` has passed.
    #[derive(Debug)]
    error ERC2612ExpiredSignature(uint256 deadline);
    /// The signature recovers to `signer`, not `owner` (zero `signer`: invalid signature).
    #[derive(Debug)]
    error ERC2612InvalidSigner(address signer, address owner);
}

/// Permit errors.
#[derive(SolidityError, Debug)]
pub enum PermitError {
    /// Past the deadline.
    Expired(ERC2612ExpiredSignature),
    /// Wrong or malformed signature.
    InvalidSigner(ERC2612InvalidSigner),
}

/// Permit state.
#[storage]
pub struct Permit {
    /// Next unused nonce per owner; increases by one per accepted permit, never decreases.
    nonces: StorageMap<Address, StorageU256>,
}

impl Permit {
    /// The next nonce of `owner`.
    pub fn nonce(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// The EIP-712 domain separator for token `name` on this chain at this address.
    pub fn domain_separator(&self, name: &str) -> FixedBytes<32> {
        // abi.encode of five static words, written into a fixed buffer (no heap allocation).
        let mut words = [0u8; 160];
        words[0..32].copy_from_slice(DOMAIN_TYPEHASH.as_slice());
        words[32..64].copy_from_slice(keccak(name.as_bytes()).as_slice());
        words[64..96].copy_from_slice(keccak(VERSION.as_bytes()).as_slice());
        words[96..128].copy_from_slice(&U256::from(self.vm().chain_id()).to_be_bytes::<32>());
        words[140..160].copy_from_slice(self.vm().contract_address().as_slice());
        keccak(words)
    }

    /// Checks a permit and consumes `owner`'s nonce.
    ///
    /// # Errors
    /// [`PermitError::Expired`] after `deadline`; [`PermitError::InvalidSigner`] when the
    /// signature is malformed, malleable, or not `owner`'s.
    #[allow(clippy::too_many_arguments)]
    pub fn verify(
        &mut self,
        name: &str,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: FixedBytes<32>,
        s: FixedBytes<32>,
    ) -> Result<(), PermitError> {
        if U256::from(self.vm().block_timestamp()) > deadline {
            return Err(PermitError::Expired(ERC2612ExpiredSignature { deadline }));
        }
        let nonce = self.nonces.get(owner);
        // abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline), by hand.
        let mut words = [0u8; 192];
        words[0..32].copy_from_slice(PERMIT_TYPEHASH.as_slice());
        words[44..64].copy_from_slice(owner.as_slice());
        words[76..96].copy_from_slice(spender.as_slice());
        words[96..128].copy_from_slice(&value.to_be_bytes::<32>());
        words[128..160].copy_from_slice(&nonce.to_be_bytes::<32>());
        words[160..192].copy_from_slice(&deadline.to_be_bytes::<32>());
        let struct_hash = keccak(words);
        let mut message = [0u8; 66];
        message[0] = 0x19;
        message[1] = 0x01;
        message[2..34].copy_from_slice(self.domain_separator(name).as_slice());
        message[34..66].copy_from_slice(struct_hash.as_slice());
        let digest = keccak(message);

        let signer = self.recover(digest, v, r, s);
        if signer.is_zero() || signer != owner {
            return Err(PermitError::InvalidSigner(ERC2612InvalidSigner {
                signer,
                owner,
            }));
        }
        // Cannot overflow in practice: one increment per signed permit.
        self.nonces
            .insert(owner, nonce.saturating_add(U256::from(1)));
        Ok(())
    }

    /// Recovers the signer, or zero for any malformed or malleable signature.
    fn recover(&self, digest: B256, v: u8, r: FixedBytes<32>, s: FixedBytes<32>) -> Address {
        let s_value = U256::from_be_bytes(s.0);
        if (v != 27 && v != 28) || s_value > HALF_ORDER || r.is_zero() || s.is_zero() {
            return Address::ZERO;
        }
        // abi.encode(digest, uint256(v), r, s), by hand.
        let mut input = [0u8; 128];
        input[0..32].copy_from_slice(digest.as_slice());
        input[63] = v;
        input[64..96].copy_from_slice(r.as_slice());
        input[96..128].copy_from_slice(s.as_slice());
        match static_call(self.vm(), Call::new(), ECRECOVER, &input) {
            // The precompile returns the address left-padded to 32 bytes, or nothing.
            Ok(out) if out.len() == 32 => Address::from_slice(&out[12..]),
            _ => Address::ZERO,
        }
    }
}
