//! `relayer`: verifiers and an executor for the cross-chain message endpoint (see the library).
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use alloy::signers::local::PrivateKeySigner;
use anyhow::Result;
use clap::Parser;
use relayer::{Config, Relayer, Route, StartBlock};
use tracing::{error, info};

/// Relays cross-chain messages between endpoint contracts: watches `PacketSent` on each
/// source endpoint, attests each packet with every verifier key on the destination endpoint,
/// then commits and delivers it with the executor key.
#[derive(Debug, Parser)]
#[command(
    name = "relayer",
    version,
    after_help = "\
Logging: RUST_LOG (default `info`), e.g. RUST_LOG=relayer=debug.
Keys are 32-byte hex private keys; prefer the environment variables to the command line,
which other users of the machine can see. Each key needs gas on the destination chain(s).
Stop with Ctrl-C or SIGTERM: the step in flight is abandoned and the state is saved; the
next start re-reads every pending packet's stage from the chain."
)]
struct Cli {
    /// A route, `SRC_RPC,SRC_ENDPOINT,DST_RPC,DST_ENDPOINT`: packets sent through the
    /// `Endpoint` contract at SRC_ENDPOINT (chain at SRC_RPC) to the eid of the
    /// `EndpointReceive` contract at DST_ENDPOINT (chain at DST_RPC) are relayed there.
    /// Repeatable: give a second route for the opposite direction.
    #[arg(long = "route", value_name = "ROUTE", required = true)]
    routes: Vec<Route>,

    /// A verifier private key; each one attests every packet with its own `verify`
    /// transaction. Repeatable (or comma-separated in the environment variable).
    #[arg(
        long = "verifier-key",
        value_name = "HEX",
        env = "RELAYER_VERIFIER_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    verifier_keys: Vec<PrivateKeySigner>,

    /// The executor private key: commits packets whose verifier quorum is met and delivers
    /// them. Without it this instance only attests.
    #[arg(
        long = "executor-key",
        value_name = "HEX",
        env = "RELAYER_EXECUTOR_KEY",
        hide_env_values = true
    )]
    executor_key: Option<PrivateKeySigner>,

    /// Blocks to wait after a packet's block: a packet in block B is handled once the
    /// source head is at least B + N.
    #[arg(long, value_name = "N", default_value_t = 0)]
    confirmations: u64,

    /// Where a route that the state file does not know starts scanning: a block number, or
    /// `latest` to ignore packets sent before the relayer started.
    #[arg(long, value_name = "BLOCK|latest", default_value = "0")]
    from_block: StartBlock,

    /// Most blocks asked for in one eth_getLogs request.
    #[arg(long, value_name = "BLOCKS", default_value_t = 1_000)]
    max_block_range: u64,

    /// Pause between passes, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1_000)]
    poll_interval_ms: u64,

    /// Backoff after a packet's first failure (e.g. its receiver reverted), in milliseconds;
    /// doubles with each further failure.
    #[arg(long, value_name = "MS", default_value_t = 2_000)]
    retry_base_ms: u64,

    /// Longest backoff, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    retry_max_ms: u64,

    /// Gas limit of deliver transactions (fixed, not estimated: an estimate can starve the
    /// receiver, which the endpoint records as DeliveryFailed rather than a revert).
    #[arg(long, value_name = "GAS", default_value_t = 3_000_000)]
    deliver_gas_limit: u64,

    /// Seconds to wait for a transaction's receipt before giving up on the pass.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    tx_timeout_secs: u64,

    /// The progress file (JSON, replaced atomically): last scanned block per route and each
    /// packet's stage. Created when missing.
    #[arg(
        long = "state",
        value_name = "FILE",
        default_value = "relayer-state.json"
    )]
    state: PathBuf,

    /// Make one pass over what is available (scan, verify, commit, deliver) and exit; the
    /// exit status is non-zero if the pass failed.
    #[arg(long)]
    once: bool,
}

impl Cli {
    fn into_config(self) -> Config {
        let mut config = Config::new(self.routes, self.state);
        config.verifier_keys = self.verifier_keys;
        config.executor_key = self.executor_key;
        config.confirmations = self.confirmations;
        config.start_block = self.from_block;
        config.max_block_range = self.max_block_range;
        config.poll_interval = Duration::from_millis(self.poll_interval_ms);
        config.retry_base = Duration::from_millis(self.retry_base_ms);
        config.retry_max = Duration::from_millis(self.retry_max_ms);
        config.deliver_gas_limit = self.deliver_gas_limit;
        config.tx_timeout = Duration::from_secs(self.tx_timeout_secs);
        config.once = self.once;
        config
    }
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    info!("shutdown requested");
}

async fn run(cli: Cli) -> Result<()> {
    let config = cli.into_config();
    info!(
        routes = config.routes.len(),
        verifiers = config.verifier_keys.len(),
        executor = config.executor_key.is_some(),
        state = %config.state_path.display(),
        "relayer starting"
    );
    let relayer = Relayer::new(config).await?;
    let summary = relayer.run(shutdown_signal()).await?;
    info!(
        found = summary.found,
        verified = summary.verified,
        committed = summary.committed,
        delivered = summary.delivered,
        delivery_failures = summary.delivery_failures,
        pending = summary.pending,
        "relayer stopped"
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            error!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}
