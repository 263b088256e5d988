//! Named networks the deploy tool knows.
use std::fmt;

/// A network preset: where to connect and what chain id to expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    /// Name used on the command line.
    pub name: &'static str,
    /// The chain id the endpoint must report.
    pub chain_id: u64,
    /// Public RPC endpoint used when `--rpc-url` is not given.
    pub rpc_url: &'static str,
    /// Whether the test-only contracts (test LST, rate provider) are deployed.
    pub local: bool,
}

/// Arbitrum Sepolia (testnet), chain id 421614.
pub const ARBITRUM_SEPOLIA: Network = Network {
    name: "arbitrum-sepolia",
    chain_id: 421_614,
    rpc_url: "https://sepolia-rollup.arbitrum.io/rpc",
    local: false,
};

/// The embedded local chain (or any devnode), chain id 412346 like Nitro's dev node.
pub const LOCAL: Network = Network {
    name: "local",
    chain_id: devnode::chain::DEFAULT_CHAIN_ID,
    rpc_url: "http://127.0.0.1:8547",
    local: true,
};

/// Every preset, for `--help` and parsing.
pub const PRESETS: [Network; 2] = [LOCAL, ARBITRUM_SEPOLIA];

impl Network {
    /// The preset called `name`.
    pub fn by_name(name: &str) -> Option<Network> {
        PRESETS.iter().copied().find(|n| n.name == name)
    }

    /// Whether a chain id is a local development chain (devnode: 412346, and 412347 for the
    /// remote chain of `restake up`; anvil; hardhat).
    pub fn is_local_chain_id(chain_id: u64) -> bool {
        matches!(chain_id, 412_346 | 412_347 | 31_337 | 1_337)
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (chain id {})", self.name, self.chain_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_resolve_by_name() {
        assert_eq!(
            Network::by_name("arbitrum-sepolia").unwrap().chain_id,
            421_614
        );
        assert!(Network::by_name("local").unwrap().local);
        assert!(Network::by_name("mainnet").is_none());
        assert!(Network::is_local_chain_id(412_346));
        assert!(!Network::is_local_chain_id(421_614));
    }
}
