//! `restake`: deploy the restaking contracts, or run the whole local stack.
//!
//! ```text
//! restake up                                   # two local chains + relayer + deploy + scenarios, serve until Ctrl-C
//! restake deploy                               # deploy to an embedded local chain (then exit)
//! restake deploy --rpc-url URL --private-key K # deploy to any endpoint (idempotent, resumable)
//! restake deploy --network arbitrum-sepolia --private-key K --dry-run
//! ```
use std::path::PathBuf;

use alloy::primitives::{utils::parse_ether, Address};
use alloy::providers::Provider;
use alloy::signers::local::PrivateKeySigner;
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use restake_deploy::embedded::EmbeddedChain;
use restake_deploy::manifest::Manifest;
use restake_deploy::network::{Network, LOCAL};
use restake_deploy::plan::{CrossChain, Params, Role};
use restake_deploy::session::{self, Paths};
use restake_deploy::{crosschain, restaking, scenario};

/// Deploys the restaking contracts (LRT token, vault) and runs the local stack.
#[derive(Parser, Debug)]
#[command(name = "restake", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start two local Stylus chains (home and a remote L2), deploy everything on both, run the
    /// relayer between them, run the demonstrations (vault: deposits, transfer, permit, a
    /// withdrawal; cross-chain: stake state and LRT across; restaking: delegate, allocate,
    /// veto, slash, reward, a slashed withdrawal; the slash reaching the remote mirror), print
    /// addresses, balances and gas, and keep serving JSON-RPC until Ctrl-C.
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
    /// Port of the remote chain's JSON-RPC server on 127.0.0.1.
    #[arg(long, default_value_t = 8548)]
    remote_port: u16,
    /// Chain id of the remote chain (a second L2, joined to the home chain by the endpoint and
    /// the relayer).
    #[arg(long, default_value_t = 412_347)]
    remote_chain_id: u64,
    /// Like --state, for the remote chain. The relayer keeps its progress beside --state
    /// (`<state>.relayer.json`), or in a temporary file when the chains are not kept.
    #[arg(long)]
    remote_state: Option<PathBuf>,
    /// Skip the demonstration scenarios (deploy, then serve with the relayer running).
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
    cross: CrossArgs,
    #[command(flatten)]
    common: CommonArgs,
}

/// The cross-chain side of a deployment (all optional; without --side only the single-chain
/// contracts are deployed).
#[derive(Args, Debug)]
struct CrossArgs {
    /// Deploy one side of a cross-chain pair: `home` (vault, core, endpoint, stake-state
    /// publisher, LRT lockbox) or `remote` (endpoint, stake-state mirror, LRT copy and bridge).
    /// Deploy home, then remote with --peer-manifest naming home's manifest, then home again
    /// with --peer-manifest naming remote's: the peering runs once the other side is known.
    #[arg(long, value_parser = ["home", "remote"])]
    side: Option<String>,
    /// This chain's endpoint id (default: its chain id).
    #[arg(long, requires = "side")]
    eid: Option<u32>,
    /// The other chain's endpoint id.
    #[arg(long, requires = "side")]
    remote_eid: Option<u32>,
    /// A verifier every receiving app requires; repeat it (at least two distinct).
    #[arg(long = "verifier", requires = "side")]
    verifiers: Vec<Address>,
    /// The executor paid to commit and deliver messages to the other chain.
    #[arg(long, requires = "side")]
    executor: Option<Address>,
    /// The other chain's manifest (`deployments/<chain-id>.json` of its deployment); its
    /// addresses become the peers.
    #[arg(long, requires = "side")]
    peer_manifest: Option<PathBuf>,
}

impl CrossArgs {
    /// The cross-chain settings, or `None` without --side.
    fn settings(&self, chain_id: u64) -> Result<Option<CrossChain>> {
        let Some(side) = &self.side else {
            return Ok(None);
        };
        let role = if side == "home" {
            Role::Home
        } else {
            Role::Remote
        };
        let local_eid = match self.eid {
            Some(eid) => eid,
            None => u32::try_from(chain_id)
                .context("the chain id does not fit an endpoint id: pass --eid")?,
        };
        let remote_eid = self.remote_eid.context("--side needs --remote-eid")?;
        let executor = self.executor.context("--side needs --executor")?;
        let mut distinct = self.verifiers.clone();
        distinct.sort();
        distinct.dedup();
        if distinct.len() < 2 {
            bail!("--side needs at least two distinct --verifier addresses (a quorum of one is refused)");
        }
        let mut x = CrossChain::with_defaults(
            role,
            local_eid,
            remote_eid,
            self.verifiers.clone(),
            executor,
        );
        if let Some(path) = &self.peer_manifest {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let other: Manifest = serde_json::from_str(&text)
                .with_context(|| format!("parsing the manifest {}", path.display()))?;
            x.peers = other
                .contracts
                .iter()
                .map(|(name, r)| (name.clone(), r.address))
                .collect();
        }
        Ok(Some(x))
    }
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
    params.cross_chain = args.cross.settings(chain_id)?;
    if params
        .cross_chain
        .as_ref()
        .is_some_and(|x| x.role == Role::Remote)
    {
        params.with_test_contracts = false;
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
    let start = |port, chain_id, state: Option<PathBuf>| async move {
        EmbeddedChain::start_with(port, chain_id, state.as_deref(), args.code_size_limit).await
    };
    let home_chain = start(args.port, args.chain_id, args.state.clone()).await?;
    let remote_chain = start(
        args.remote_port,
        args.remote_chain_id,
        args.remote_state.clone(),
    )
    .await?;
    let (home_url, remote_url) = (home_chain.url(), remote_chain.url());
    println!(
        "local Stylus chains serving JSON-RPC: home {} at {home_url}, remote {} at {remote_url}",
        args.chain_id, args.remote_chain_id
    );

    // The relayer's keys (derived, local only), funded on both chains.
    let keys = crosschain::RelayerKeys::local(2)?;
    let deployer = dev_key(0);
    for url in [&home_url, &remote_url] {
        let provider = scenario::signing_provider(url, &deployer)?;
        crosschain::fund(&provider, &keys.addresses(), parse_ether("1000")?).await?;
    }

    let params = Params::defaults(deployer.address(), true);
    let delay = params.withdrawal_delay;
    let eids = (
        u32::try_from(args.chain_id).context("the home chain id must fit an endpoint id")?,
        u32::try_from(args.remote_chain_id)
            .context("the remote chain id must fit an endpoint id")?,
    );
    let crosschain::Pair { home, remote, .. } = crosschain::deploy_pair(
        &home_url,
        &remote_url,
        &deployer,
        &params,
        eids,
        &keys,
        &paths(&args.common),
    )
    .await?;
    print_addresses(&home.manifest);
    print_addresses(&remote.manifest);

    // The relayer, in this process, serving both directions.
    let relayer_state = match &args.state {
        Some(state) => state.with_extension("relayer.json"),
        None => {
            let path =
                std::env::temp_dir().join(format!("restake-relayer-{}.json", std::process::id()));
            let _ = std::fs::remove_file(&path);
            path
        }
    };
    let config = crosschain::relayer_config(&home, &remote, &keys, relayer_state)?;
    let relayer = relayer::Relayer::new(config)
        .await
        .context("starting the relayer")?;
    let (stop_relayer, stopped) = tokio::sync::oneshot::channel::<()>();
    let relayer_task = tokio::spawn(relayer.run(async move {
        let _ = stopped.await;
    }));
    println!(
        "relayer running: verifiers {}, executor {}",
        keys.verifiers
            .iter()
            .map(|k| k.address().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        keys.executor.address()
    );

    if !args.no_scenario {
        let user = dev_key(1);
        let gas = scenario::run(
            &home_url,
            &home.manifest,
            &user,
            dev_key(2).address(),
            delay,
        )
        .await?;
        print_gas("gas per user operation", &gas);

        let timeout = std::time::Duration::from_secs(60);
        let mut xgas = scenario::GasReport::default();
        println!("cross-chain:");
        let (state, waited) =
            crosschain::publish_and_wait(&home, &remote, &user, &mut xgas, timeout).await?;
        crosschain::print_state(
            &format!(
                "stake state on the remote chain after {:.1}s",
                waited.as_secs_f64()
            ),
            &state,
        );
        crosschain::bridge_round_trip(&home, &remote, &user, parse_ether("5")?, &mut xgas, timeout)
            .await?;

        let actors = restaking::Actors {
            admin: deployer.clone(),
            operator: dev_key(3),
            service: dev_key(4),
            slasher: dev_key(5),
            resolver: dev_key(6),
            staker: dev_key(7),
            payout: dev_key(8).address(),
        };
        let report = restaking::run(
            &home_url,
            &home.manifest,
            &actors,
            restaking::Settings::default(),
        )
        .await
        .context("the restaking demonstration")?;
        print_gas("gas per restaking operation", &report.gas);

        let (state, waited) =
            crosschain::publish_and_wait(&home, &remote, &user, &mut xgas, timeout).await?;
        crosschain::print_state(
            &format!(
                "after the slashes at home, the remote mirror ({:.1}s)",
                waited.as_secs_f64()
            ),
            &state,
        );
        print_gas("gas per cross-chain operation (source chain side)", &xgas);
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
        println!(
            "serving {home_url} (home) and {remote_url} (remote) with the relayer until Ctrl-C"
        );
        tokio::signal::ctrl_c()
            .await
            .context("waiting for Ctrl-C")?;
        println!("shutting down");
    }
    let _ = stop_relayer.send(());
    let summary = relayer_task
        .await
        .context("the relayer task panicked")?
        .context("the relayer failed")?;
    println!("relayer: {summary:?}");
    home_chain.stop().await?;
    remote_chain.stop().await
}

fn print_gas(title: &str, gas: &scenario::GasReport) {
    println!("{title}:");
    for (op, g) in &gas.ops {
        println!("  {op:<20} {g:>10}");
    }
}
