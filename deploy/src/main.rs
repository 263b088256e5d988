//! `restake`: deploy the restaking contracts, or run the whole local stack.
//!
//! ```text
//! restake up                                   # local chain + deploy + scenario, serve until Ctrl-C
//! restake deploy                               # deploy to an embedded local chain (then exit)
//! restake deploy --rpc-url URL --private-key K # deploy to any endpoint (idempotent, resumable)
//! restake deploy --network arbitrum-sepolia --private-key K --dry-run
//! ```
use std::path::PathBuf;

use alloy::primitives::{utils::format_ether, Address};
use alloy::providers::Provider;
use alloy::signers::local::PrivateKeySigner;
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use restake_deploy::embedded::EmbeddedChain;
use restake_deploy::manifest::Manifest;
use restake_deploy::network::{Network, LOCAL};
use restake_deploy::plan::Params;
use restake_deploy::session::{self, Paths};
use restake_deploy::{restaking, scenario};

/// Deploys the restaking contracts (LRT token, vault) and runs the local stack.
#[derive(Parser, Debug)]
#[command(name = "restake", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start a local Stylus chain, deploy everything, run a demonstration scenario (deposit ETH,
    /// deposit a token, transfer, permit, request and claim a withdrawal), print addresses,
    /// balances and gas, and keep serving JSON-RPC for wallets and frontends until Ctrl-C.
    Up(UpArgs),
    /// Deploy (or finish deploying) the contracts to an endpoint, or to an embedded local chain
    /// when no endpoint is given. Re-running keeps what is deployed and matches.
    Deploy(DeployArgs),
}

#[derive(Args, Debug)]
struct UpArgs {
    /// Port of the JSON-RPC server on 127.0.0.1.
    #[arg(long, default_value_t = 8547)]
    port: u16,
    /// Chain id of the local chain.
    #[arg(long, default_value_t = LOCAL.chain_id)]
    chain_id: u64,
    /// Load the chain from this file when it exists, save it there at exit.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Largest deployable code in bytes on the local chain (default: Arbitrum's 24,576), like
    /// anvil's flag; for trying contracts that are still over the limit (Arbitrum refuses them).
    #[arg(long, value_name = "BYTES")]
    code_size_limit: Option<usize>,
    /// Skip the demonstration scenario (deploy only).
    #[arg(long)]
    no_scenario: bool,
    /// Exit after the scenario instead of serving until Ctrl-C (for scripts and CI).
    #[arg(long)]
    exit: bool,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args, Debug)]
struct DeployArgs {
    /// JSON-RPC endpoint. Without it (and without --network), an embedded local chain is used.
    #[arg(long, env = "ETH_RPC_URL")]
    rpc_url: Option<String>,
    /// Hex private key of the deployer (the admin of every contract unless --admin). Defaults to
    /// the first dev account on local chains; required elsewhere.
    #[arg(long, env = "PRIVATE_KEY", hide_env_values = true)]
    private_key: Option<String>,
    /// Named network: `local` or `arbitrum-sepolia` (chain id 421614, public RPC unless
    /// --rpc-url). The endpoint's chain id must match the preset.
    #[arg(long)]
    network: Option<String>,
    /// Print the plan with estimated gas and data fees; send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Admin of the contracts (default: the deployer).
    #[arg(long)]
    admin: Option<Address>,
    /// Vault withdrawal delay in seconds (default: 1 hour on local chains, 7 days elsewhere).
    #[arg(long)]
    withdrawal_delay: Option<u64>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args, Debug)]
struct CommonArgs {
    /// Directory of the manifests (`<chain-id>.json`).
    #[arg(long, default_value = "deployments")]
    deployments: PathBuf,
    /// Directory of the built modules (`<crate>.wasm`); default `target/stylus` of the workspace.
    #[arg(long)]
    artifacts: Option<PathBuf>,
    /// Fail instead of running `cargo xtask wasm` when a module is missing.
    #[arg(long)]
    no_build: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Up(args) => up(args).await,
        Command::Deploy(args) => deploy(args).await,
    }
}

fn dev_key(index: usize) -> PrivateKeySigner {
    // SAFETY of expect: the dev keys are fixed, valid secp256k1 scalars (tested in devnode).
    PrivateKeySigner::from_bytes(&devnode::accounts::DEV_PRIVATE_KEYS[index])
        .expect("valid dev key")
}

fn paths(common: &CommonArgs) -> Paths {
    Paths {
        deployments: common.deployments.clone(),
        artifacts: common.artifacts.clone(),
        build: !common.no_build,
    }
}

fn print_addresses(manifest: &Manifest) {
    println!("contracts on chain {}:", manifest.chain_id);
    for (name, c) in &manifest.contracts {
        let tag = if c.test_only { "  (TEST ONLY)" } else { "" };
        println!("  {name:<18} {}  abi {}{tag}", c.address, c.abi);
    }
}

async fn deploy(args: DeployArgs) -> Result<()> {
    let preset =
        match &args.network {
            Some(name) => Some(Network::by_name(name).with_context(|| {
                format!("unknown network {name}; known: local, arbitrum-sepolia")
            })?),
            None => None,
        };
    let embedded_wanted = args.rpc_url.is_none() && preset.is_none_or(|n| n.local);
    let embedded = if embedded_wanted {
        let chain = EmbeddedChain::start(0, LOCAL.chain_id, None).await?;
        println!("embedded local chain at {}", chain.url());
        Some(chain)
    } else {
        None
    };
    let url = match (&args.rpc_url, preset, &embedded) {
        (Some(url), _, _) => url.clone(),
        (None, _, Some(chain)) => chain.url(),
        (None, Some(net), None) => net.rpc_url.to_owned(),
        (None, None, None) => unreachable!("embedded chain started when no endpoint is given"),
    };
    let probe = scenario::signing_provider(&url, &dev_key(0))?;
    let chain_id = probe
        .get_chain_id()
        .await
        .with_context(|| format!("asking {url} for its chain id"))?;
    if let Some(net) = preset {
        if !net.local && net.chain_id != chain_id {
            bail!(
                "{url} is chain {chain_id}, but --network {} is chain {}",
                net.name,
                net.chain_id
            );
        }
    }
    let local = Network::is_local_chain_id(chain_id);
    let key = match &args.private_key {
        Some(hex) => hex
            .trim()
            .parse::<PrivateKeySigner>()
            .context("--private-key is not a valid hex private key")?,
        None if local => dev_key(0),
        None => bail!("--private-key (or PRIVATE_KEY) is required for chain {chain_id}"),
    };
    let network = preset
        .map(|n| n.name)
        .unwrap_or(if local { "local" } else { "custom" });
    let mut params = Params::defaults(args.admin.unwrap_or(key.address()), local);
    if let Some(delay) = args.withdrawal_delay {
        params.withdrawal_delay = delay;
    }
    let (manifest, _) = session::deploy(
        &url,
        &key,
        network,
        params,
        &paths(&args.common),
        args.dry_run,
    )
    .await?;
    if !args.dry_run {
        print_addresses(&manifest);
    }
    if let Some(chain) = embedded {
        chain.stop().await?;
    }
    Ok(())
}

async fn up(args: UpArgs) -> Result<()> {
    let chain = EmbeddedChain::start_with(
        args.port,
        args.chain_id,
        args.state.as_deref(),
        args.code_size_limit,
    )
    .await?;
    let url = chain.url();
    println!(
        "local Stylus chain {} serving JSON-RPC at {url}",
        args.chain_id
    );
    let deployer = dev_key(0);
    let params = Params::defaults(deployer.address(), true);
    let delay = params.withdrawal_delay;
    let (manifest, report) = session::deploy(
        &url,
        &deployer,
        "local",
        params,
        &paths(&args.common),
        false,
    )
    .await?;
    print_addresses(&manifest);
    if !report.executed.is_empty() {
        println!("deployment gas:");
        for step in &report.executed {
            println!(
                "  {:<60} {:>10} gas  {:>14} ETH data fee",
                step.description,
                step.gas_used,
                format_ether(step.data_fee)
            );
        }
    }
    if !args.no_scenario {
        let user = dev_key(1);
        let gas = scenario::run(&url, &manifest, &user, dev_key(2).address(), delay).await?;
        println!("gas per user operation:");
        for (op, g) in &gas.ops {
            println!("  {op:<16} {g:>10}");
        }
        let actors = restaking::Actors {
            admin: deployer.clone(),
            operator: dev_key(3),
            service: dev_key(4),
            slasher: dev_key(5),
            resolver: dev_key(6),
            staker: dev_key(7),
            payout: dev_key(8).address(),
        };
        let report = restaking::run(&url, &manifest, &actors, restaking::Settings::default())
            .await
            .context("the restaking demonstration")?;
        println!("gas per restaking operation:");
        for (op, g) in &report.gas.ops {
            println!("  {op:<16} {g:>10}");
        }
    }
    println!(
        "dev accounts (anvil's test mnemonic): {} (deployer/admin), {} (scenario user), {} (operator), {} (service), {} (slasher), {} (resolver), {} (staker), {} (slash payout)",
        deployer.address(),
        dev_key(1).address(),
        dev_key(3).address(),
        dev_key(4).address(),
        dev_key(5).address(),
        dev_key(6).address(),
        dev_key(7).address(),
        dev_key(8).address()
    );
    if !args.exit {
        println!("serving {url} until Ctrl-C");
        tokio::signal::ctrl_c()
            .await
            .context("waiting for Ctrl-C")?;
        println!("shutting down");
    }
    chain.stop().await
}
