//! The ten prefunded development accounts.
//!
//! They are the first ten accounts of the standard test mnemonic
//! `test test test test test test test test test test test junk` at the derivation path
//! `m/44'/60'/0'/0/{0..9}`: the same keys anvil and hardhat print, so wallets, scripts and
//! tutorials written for those nodes work unchanged. The keys are hardcoded (deriving them
//! needs a BIP-39 implementation at run time); a unit test re-derives them from the mnemonic.

use alloy::primitives::{uint, Address, B256, U256};
use alloy::signers::local::PrivateKeySigner;

/// The standard test mnemonic the dev keys come from.
pub const DEV_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// Number of dev accounts.
pub const DEV_ACCOUNT_COUNT: usize = 10;

/// Genesis balance of each dev account: 10,000 ETH in wei.
pub const DEV_BALANCE: U256 = uint!(10_000_000_000_000_000_000_000_U256);

/// Private keys of the dev accounts, index 0..=9 of [`DEV_MNEMONIC`].
pub const DEV_PRIVATE_KEYS: [B256; DEV_ACCOUNT_COUNT] = [
    key("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
    key("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
    key("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
    key("7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
    key("47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
    key("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
    key("92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
    key("4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
    key("dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
    key("2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"),
];

/// Parses 64 hex digits at compile time.
const fn key(hex: &str) -> B256 {
    let s = hex.as_bytes();
    assert!(s.len() == 64, "a private key is 64 hex digits");
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]);
        i += 1;
    }
    B256::new(out)
}

/// Value of one lowercase hex digit.
const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not a lowercase hex digit"),
    }
}

/// The dev accounts as `(address, private key)` pairs, in mnemonic order.
pub fn dev_accounts() -> Vec<(Address, B256)> {
    DEV_PRIVATE_KEYS
        .iter()
        .map(|k| {
            // SAFETY: each hardcoded key is a valid secp256k1 scalar (checked by the tests).
            #[allow(clippy::expect_used)]
            let signer = PrivateKeySigner::from_bytes(k).expect("valid dev key");
            (signer.address(), *k)
        })
        .collect()
}

/// Genesis allocation giving each dev account [`DEV_BALANCE`].
pub fn dev_genesis() -> Vec<(Address, U256)> {
    dev_accounts()
        .into_iter()
        .map(|(a, _)| (a, DEV_BALANCE))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::address;
    use alloy::signers::local::{coins_bip39::English, MnemonicBuilder};

    #[test]
    fn keys_derive_from_the_test_mnemonic() {
        for (i, k) in DEV_PRIVATE_KEYS.iter().enumerate() {
            let signer = MnemonicBuilder::<English>::default()
                .phrase(DEV_MNEMONIC)
                .index(u32::try_from(i).unwrap_or(u32::MAX))
                .and_then(|b| b.build())
                .unwrap_or_else(|e| panic!("derive index {i}: {e}"));
            assert_eq!(signer.to_bytes(), *k, "key {i}");
        }
    }

    #[test]
    fn addresses_match_anvil() {
        let accounts = dev_accounts();
        assert_eq!(accounts.len(), DEV_ACCOUNT_COUNT);
        assert_eq!(
            accounts[0].0,
            address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        );
        assert_eq!(
            accounts[1].0,
            address!("70997970C51812dc3A010C7d01b50e0d17dc79C8")
        );
        assert_eq!(
            accounts[9].0,
            address!("a0Ee7A142d267C1f36714E4a8F75612F20a79720")
        );
    }

    #[test]
    fn dev_balance_is_ten_thousand_eth() {
        let eth = U256::from(10u64).pow(U256::from(18u64));
        assert_eq!(DEV_BALANCE, eth * U256::from(10_000u64));
        assert!(dev_genesis().iter().all(|(_, b)| *b == DEV_BALANCE));
    }
}
