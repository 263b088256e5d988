//! What a [`crate::Relayer`] runs: routes, keys, timing and the state file.
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use alloy::primitives::Address;
use alloy::signers::local::PrivateKeySigner;
use thiserror::Error;

/// One direction between two chains. The endpoint is split in contracts: the source side
/// (`Endpoint`: `send`, `PacketSent`) and the destination side (`EndpointReceive`: `verify`,
/// `commit`, `deliver`), so the opposite direction is another route with the other two
/// contracts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// JSON-RPC URL of the source chain.
    pub source_rpc: String,
    /// The source chain's `Endpoint` (emits `PacketSent`).
    pub source_endpoint: Address,
    /// JSON-RPC URL of the destination chain.
    pub dest_rpc: String,
    /// The destination chain's `EndpointReceive` (takes `verify`, `commit`, `deliver`).
    pub dest_endpoint: Address,
}

/// A malformed `--route` value.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum RouteParseError {
    /// Not four comma-separated fields.
    #[error("expected SRC_RPC,SRC_ENDPOINT,DST_RPC,DST_ENDPOINT, got {0} field(s)")]
    Fields(usize),
    /// An endpoint field that is not an address.
    #[error("`{0}` is not an address")]
    Address(String),
    /// An empty URL.
    #[error("empty RPC URL")]
    EmptyUrl,
}

impl FromStr for Route {
    type Err = RouteParseError;

    /// Parses `SRC_RPC,SRC_ENDPOINT,DST_RPC,DST_ENDPOINT`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [src_rpc, src_ep, dst_rpc, dst_ep] = parts.as_slice() else {
            return Err(RouteParseError::Fields(parts.len()));
        };
        if src_rpc.is_empty() || dst_rpc.is_empty() {
            return Err(RouteParseError::EmptyUrl);
        }
        let addr =
            |a: &str| Address::from_str(a).map_err(|_| RouteParseError::Address(a.to_owned()));
        Ok(Self {
            source_rpc: (*src_rpc).to_owned(),
            source_endpoint: addr(src_ep)?,
            dest_rpc: (*dst_rpc).to_owned(),
            dest_endpoint: addr(dst_ep)?,
        })
    }
}

/// Where scanning starts on a route the state file does not know yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartBlock {
    /// At this block.
    Number(u64),
    /// After the source head seen at the first pass (packets sent before are ignored).
    Latest,
}

impl FromStr for StartBlock {
    type Err = std::num::ParseIntError;

    /// `latest` or a block number.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("latest") {
            Ok(Self::Latest)
        } else {
            s.parse().map(Self::Number)
        }
    }
}

/// Everything a relayer needs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The routes to serve (each one direction).
    pub routes: Vec<Route>,
    /// Verifier keys: each attests every packet with its own transaction.
    pub verifier_keys: Vec<PrivateKeySigner>,
    /// The executor key (commits and delivers); `None` runs verifiers only.
    pub executor_key: Option<PrivateKeySigner>,
    /// A `PacketSent` log in block `b` is handled once the source head is at least
    /// `b + confirmations`.
    pub confirmations: u64,
    /// Where a route new to the state file starts scanning.
    pub start_block: StartBlock,
    /// Most blocks asked for in one `eth_getLogs`.
    pub max_block_range: u64,
    /// Pause between passes.
    pub poll_interval: Duration,
    /// Backoff after the first failure of a packet; doubles per failure.
    pub retry_base: Duration,
    /// Longest backoff.
    pub retry_max: Duration,
    /// Gas limit of `deliver` transactions (not estimated: the endpoint turns an out-of-gas
    /// receiver into `DeliveryFailed`, so an estimate can be too low and still "succeed").
    pub deliver_gas_limit: u64,
    /// How long to wait for a transaction's receipt.
    pub tx_timeout: Duration,
    /// The state file.
    pub state_path: PathBuf,
    /// Make one pass over what is available and return.
    pub once: bool,
}

impl Config {
    /// A configuration with the defaults of the command line for `routes` and `state_path`.
    pub fn new(routes: Vec<Route>, state_path: PathBuf) -> Self {
        Self {
            routes,
            verifier_keys: Vec::new(),
            executor_key: None,
            confirmations: 0,
            start_block: StartBlock::Number(0),
            max_block_range: 1_000,
            poll_interval: Duration::from_millis(1_000),
            retry_base: Duration::from_millis(2_000),
            retry_max: Duration::from_secs(60),
            deliver_gas_limit: 3_000_000,
            tx_timeout: Duration::from_secs(120),
            state_path,
            once: false,
        }
    }

    /// The backoff after `failures` failures (at least one): `retry_base * 2^(failures-1)`,
    /// at most `retry_max`.
    pub fn backoff(&self, failures: u32) -> Duration {
        let shift = failures.saturating_sub(1).min(20);
        self.retry_base
            .checked_mul(1u32 << shift)
            .unwrap_or(self.retry_max)
            .min(self.retry_max)
    }
}
