//! `devnode`: runs the local Stylus chain behind a JSON-RPC server until Ctrl-C.

mod cli;

use alloy::eips::BlockId;
use alloy::primitives::U256;
use anyhow::Context;
use clap::Parser;
use cli::Cli;
use devnode::accounts::DEV_MNEMONIC;
use devnode::rpc::{methods::lock, serve_with, ServeOptions};
use devnode::{Chain, ChainConfig};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(cli.silent);

    let mut config = ChainConfig {
        chain_id: cli.chain_id,
        ..ChainConfig::default()
    };
    if let Some(limit) = cli.code_size_limit {
        config.stylus.max_code_size = limit;
    }
    let chain = match &cli.state {
        Some(path) if path.exists() => {
            let chain = Chain::load_state(config, path)
                .with_context(|| format!("cannot load state from {}", path.display()))?;
            tracing::info!(path = %path.display(), block = chain.block_number(), "state loaded");
            chain
        }
        _ => Chain::new(config),
    };
    if !cli.silent {
        print!("{}", banner(&chain));
    }

    let addr = SocketAddr::new(cli.host, cli.port);
    let options = ServeOptions {
        block_time: cli.block_time.map(Duration::from_secs),
        ..ServeOptions::default()
    };
    let server = serve_with(Arc::new(Mutex::new(chain)), addr, options)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    println!("Listening on {}", server.local_addr());
    std::io::stdout()
        .flush()
        .context("cannot write to stdout")?;

    wait_for_shutdown_signal().await?;
    tracing::info!("shutting down");
    let chain = server.shutdown().await;
    if let Some(path) = &cli.state {
        lock(&chain)
            .save_state(path)
            .with_context(|| format!("cannot save state to {}", path.display()))?;
        if !cli.silent {
            println!("State saved to {}", path.display());
        }
    }
    Ok(())
}

/// Logs to stderr; RUST_LOG overrides the default level.
fn init_logging(silent: bool) {
    let default = if silent { "warn" } else { "devnode=info" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
async fn wait_for_shutdown_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("cannot listen for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("cannot listen for Ctrl-C")?;
    Ok(())
}

/// The start-up text: accounts, keys, chain parameters (anvil's layout).
fn banner(chain: &Chain) -> String {
    let mut out = format!(
        "\n devnode v{} - local Stylus chain\n\nAvailable Accounts\n==================\n\n",
        env!("CARGO_PKG_VERSION")
    );
    for (i, (addr, _)) in chain.dev_accounts().iter().enumerate() {
        let balance = chain.balance(*addr, BlockId::latest()).unwrap_or_default();
        out.push_str(&format!("({i}) {addr} ({} ETH)\n", format_ether(balance)));
    }
    out.push_str("\nPrivate Keys\n==================\n\n");
    for (i, (_, key)) in chain.dev_accounts().iter().enumerate() {
        out.push_str(&format!("({i}) {key}\n"));
    }
    out.push_str(&format!(
        "\nWallet\n==================\nMnemonic:          {DEV_MNEMONIC}\nDerivation path:   m/44'/60'/0'/0/\n\n\
         Chain ID\n==================\n\n{}\n\nBase Fee\n==================\n\n{}\n\n",
        chain.chain_id(),
        chain.base_fee()
    ));
    out
}

/// Wei as ETH with 18 decimals, in integer arithmetic.
fn format_ether(wei: U256) -> String {
    let unit = U256::from(1_000_000_000_000_000_000u64);
    let (whole, frac) = wei.div_rem(unit);
    format!("{whole}.{:018}", frac.to::<u64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ether_formatting() {
        let wei =
            U256::from(10_000u64) * U256::from(1_000_000_000_000_000_000u64) + U256::from(5u64);
        assert_eq!(format_ether(wei), "10000.000000000000000005");
        assert_eq!(format_ether(U256::ZERO), "0.000000000000000000");
    }
}
