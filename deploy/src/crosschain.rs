//! Two chains joined by the message endpoint: the paired deployment (home, then remote, then
//! home again for the peering), the relayer configuration serving both directions, and the
//! cross-chain demonstration of `restake up` (stake state delivered, LRT bridged there and
//! back, a slash at home reaching the remote mirror).
use std::path::PathBuf;
use std::time::{Duration, Instant};

use alloy::primitives::{keccak256, utils::format_ether, Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use anyhow::{bail, Context, Result};

use crate::bindings::{LrtBridgeRemote, LrtLockbox, LrtToken, StakeSyncHome, StakeSyncRemote};
use crate::manifest::Manifest;
use crate::plan::{CrossChain, Params, Role};
use crate::scenario::{signing_provider, GasReport};
use crate::session::{self, Paths};

/// One chain of the pair.
#[derive(Debug, Clone)]
pub struct Side {
    /// Its JSON-RPC URL.
    pub url: String,
    /// Its endpoint id.
    pub eid: u32,
    /// What is deployed on it.
    pub manifest: Manifest,
}

impl Side {
    /// The address of `name` on this chain.
    ///
    /// # Errors
    /// When it is not deployed.
    pub fn at(&self, name: &str) -> Result<Address> {
        self.manifest
            .address(name)
            .with_context(|| format!("{name} is not deployed on eid {}", self.eid))
    }
}

/// The relayer's keys: verifiers (at least two) and the executor.
#[derive(Debug, Clone)]
pub struct RelayerKeys {
    /// One key per verifier.
    pub verifiers: Vec<PrivateKeySigner>,
    /// The executor's key.
    pub executor: PrivateKeySigner,
}

impl RelayerKeys {
    /// Deterministic local keys: `keccak256("restake local verifier <i>")` and
    /// `keccak256("restake local executor")`. For local chains only (anyone can derive them).
    ///
    /// # Errors
    /// Never in practice (a hash is a valid key with overwhelming probability).
    pub fn local(verifiers: usize) -> Result<Self> {
        let key = |seed: String| {
            PrivateKeySigner::from_bytes(&keccak256(seed.as_bytes()))
                .context("deriving a local relayer key")
        };
        Ok(Self {
            verifiers: (1..=verifiers)
                .map(|i| key(format!("restake local verifier {i}")))
                .collect::<Result<_>>()?,
            executor: key("restake local executor".into())?,
        })
    }

    /// Every key's address, verifiers first.
    pub fn addresses(&self) -> Vec<Address> {
        self.verifiers
            .iter()
            .chain([&self.executor])
            .map(PrivateKeySigner::address)
            .collect()
    }
}

/// A deployed pair.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The home chain.
    pub home: Side,
    /// The remote chain.
    pub remote: Side,
    /// Transactions sent by this run (zero when everything was already in place).
    pub transactions: usize,
}

/// Deploys the pair: home (its own plan), then remote (peering with home), then home again
/// (now peering with remote; everything else is kept). Both manifests go to `paths`.
/// Idempotent like a single deployment: a re-run sends nothing.
///
/// # Errors
/// The first failing step, named, with its chain.
pub async fn deploy_pair(
    home_url: &str,
    remote_url: &str,
    key: &PrivateKeySigner,
    base: &Params,
    x: (u32, u32),
    keys: &RelayerKeys,
    paths: &Paths,
) -> Result<Pair> {
    let (home_eid, remote_eid) = x;
    let verifiers: Vec<Address> = keys.verifiers.iter().map(|k| k.address()).collect();
    let side_params = |role, local, remote, peers: &Manifest| {
        let mut p = base.clone();
        let mut c = CrossChain::with_defaults(
            role,
            local,
            remote,
            verifiers.clone(),
            keys.executor.address(),
        );
        c.peers = peers
            .contracts
            .iter()
            .map(|(name, r)| (name.clone(), r.address))
            .collect();
        p.cross_chain = Some(c);
        p
    };
    let nothing = Manifest::default();
    println!("== home chain (eid {home_eid}) ==");
    let (home, first) = session::deploy(
        home_url,
        key,
        "local",
        side_params(Role::Home, home_eid, remote_eid, &nothing),
        paths,
        false,
    )
    .await
    .context("deploying the home chain")?;
    println!("== remote chain (eid {remote_eid}) ==");
    let mut remote_params = side_params(Role::Remote, remote_eid, home_eid, &home);
    remote_params.with_test_contracts = false;
    let (remote, second) = session::deploy(remote_url, key, "local", remote_params, paths, false)
        .await
        .context("deploying the remote chain")?;
    println!("== home chain peering with the remote ==");
    let (home, third) = session::deploy(
        home_url,
        key,
        "local",
        side_params(Role::Home, home_eid, remote_eid, &remote),
        paths,
        false,
    )
    .await
    .context("peering the home chain")?;
    Ok(Pair {
        home: Side {
            url: home_url.to_owned(),
            eid: home_eid,
            manifest: home,
        },
        remote: Side {
            url: remote_url.to_owned(),
            eid: remote_eid,
            manifest: remote,
        },
        transactions: first.executed.len() + second.executed.len() + third.executed.len(),
    })
}

/// A relayer serving both directions between `home` and `remote` with `keys`, keeping its
/// progress in `state`.
///
/// # Errors
/// When an endpoint is missing from a manifest.
pub fn relayer_config(
    home: &Side,
    remote: &Side,
    keys: &RelayerKeys,
    state: PathBuf,
) -> Result<relayer::Config> {
    let route = |from: &Side, to: &Side| -> Result<relayer::Route> {
        Ok(relayer::Route {
            source_rpc: from.url.clone(),
            source_endpoint: from.at("endpoint")?,
            dest_rpc: to.url.clone(),
            dest_endpoint: to.at("endpointReceive")?,
        })
    };
    let mut config = relayer::Config::new(vec![route(home, remote)?, route(remote, home)?], state);
    config.verifier_keys = keys.verifiers.clone();
    config.executor_key = Some(keys.executor.clone());
    config.poll_interval = Duration::from_millis(200);
    config.retry_base = Duration::from_millis(500);
    Ok(config)
}

/// Polls `check` every 100 ms until it answers `true`, for at most `timeout`.
///
/// # Errors
/// When `check` fails, or on timeout (naming `what`).
pub async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let started = Instant::now();
    loop {
        if check().await? {
            return Ok(started.elapsed());
        }
        if started.elapsed() > timeout {
            bail!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The stake state as a chain reports it: (sequence, timestamp, rate, total assets, supply,
/// slashing epoch, pending slash).
pub type StakeState = (u64, u64, U256, U256, U256, u64, bool);

fn state_of(s: StakeSyncRemote::latestStateReturn) -> StakeState {
    (s._0, s._1, s._2, s._3, s._4, s._5, s._6)
}

/// Publishes the home stake state (paying the quoted fee) as `payer` and waits until the
/// remote mirror holds it. Returns the state and the delivery time.
///
/// # Errors
/// When publishing fails (e.g. too soon) or the state does not arrive within `timeout`.
pub async fn publish_and_wait(
    home: &Side,
    remote: &Side,
    payer: &PrivateKeySigner,
    gas: &mut GasReport,
    timeout: Duration,
) -> Result<(StakeState, Duration)> {
    let hp = signing_provider(&home.url, payer)?;
    let rp = signing_provider(&remote.url, payer)?;
    let publisher = StakeSyncHome::new(home.at("stakeSyncHome")?, &hp);
    let mirror = StakeSyncRemote::new(remote.at("stakeSyncRemote")?, &rp);
    let fee = publisher
        .quotePublish()
        .call()
        .await
        .context("quotePublish")?;
    let receipt = publisher
        .publish()
        .value(fee)
        .send()
        .await
        .context("publish")?
        .get_receipt()
        .await?;
    gas.record("publish (send)", &receipt)?;
    let sent = publisher.latestState().call().await?;
    let want = sent._0;
    let waited = wait_for("the stake state on the remote chain", timeout, || async {
        Ok(mirror.latestState().call().await?._0 >= want)
    })
    .await?;
    Ok((state_of(mirror.latestState().call().await?), waited))
}

/// Bridges `amount` LRT of `user` from home to itself on the remote chain and back, waiting
/// for each delivery. Returns the remote balance after the first leg and the lockbox's
/// ledger for the remote chain then.
///
/// # Errors
/// When a transfer fails or does not arrive within `timeout`.
pub async fn bridge_round_trip(
    home: &Side,
    remote: &Side,
    user: &PrivateKeySigner,
    amount: U256,
    gas: &mut GasReport,
    timeout: Duration,
) -> Result<(U256, U256)> {
    let me = user.address();
    let hp = signing_provider(&home.url, user)?;
    let rp = signing_provider(&remote.url, user)?;
    let home_lrt = LrtToken::new(home.at("lrtToken")?, &hp);
    let remote_lrt = LrtToken::new(remote.at("lrtToken")?, &rp);
    let lockbox = LrtLockbox::new(home.at("lrtLockbox")?, &hp);
    let bridge = LrtBridgeRemote::new(remote.at("lrtBridgeRemote")?, &rp);

    let start_remote = remote_lrt.balanceOf(me).call().await?;
    let r = home_lrt
        .approve(*lockbox.address(), amount)
        .send()
        .await?
        .get_receipt()
        .await?;
    gas.record("approve lockbox", &r)?;
    let fee = lockbox.quoteSend(remote.eid, me, amount).call().await?;
    let r = lockbox
        .send(remote.eid, me, amount)
        .value(fee)
        .send()
        .await
        .context("lockbox.send")?
        .get_receipt()
        .await?;
    gas.record("bridge out (send)", &r)?;
    let want = start_remote + amount;
    let waited = wait_for("bridged LRT on the remote chain", timeout, || async {
        Ok(remote_lrt.balanceOf(me).call().await? >= want)
    })
    .await?;
    let remote_balance = remote_lrt.balanceOf(me).call().await?;
    let outstanding = lockbox.outstanding(remote.eid).call().await?;
    println!(
        "  {} rsETH locked at home arrived on the remote chain in {:.1}s (remote balance {}, lockbox ledger for eid {}: {})",
        format_ether(amount),
        waited.as_secs_f64(),
        format_ether(remote_balance),
        remote.eid,
        format_ether(outstanding)
    );

    let start_home = home_lrt.balanceOf(me).call().await?;
    let r = remote_lrt
        .approve(*bridge.address(), amount)
        .send()
        .await?
        .get_receipt()
        .await?;
    gas.record("approve bridge", &r)?;
    let fee = bridge.quoteSend(home.eid, me, amount).call().await?;
    let r = bridge
        .send(home.eid, me, amount)
        .value(fee)
        .send()
        .await
        .context("bridge.send")?
        .get_receipt()
        .await?;
    gas.record("bridge back (send)", &r)?;
    let want = start_home + amount;
    let waited = wait_for("LRT released at home", timeout, || async {
        Ok(home_lrt.balanceOf(me).call().await? >= want)
    })
    .await?;
    println!(
        "  {} rsETH burned on the remote chain was released at home in {:.1}s (lockbox ledger for eid {}: {})",
        format_ether(amount),
        waited.as_secs_f64(),
        remote.eid,
        format_ether(lockbox.outstanding(remote.eid).call().await?)
    );
    Ok((remote_balance, outstanding))
}

/// Gives each of `accounts` `amount` wei on `provider`'s chain (`anvil_setBalance`; local
/// chains only).
///
/// # Errors
/// When the endpoint refuses.
pub async fn fund(provider: &DynProvider, accounts: &[Address], amount: U256) -> Result<()> {
    for a in accounts {
        let _: serde_json::Value = provider
            .raw_request("anvil_setBalance".into(), (a, amount))
            .await
            .with_context(|| format!("anvil_setBalance {a}"))?;
    }
    Ok(())
}

/// Prints a stake state with a label.
pub fn print_state(label: &str, s: &StakeState) {
    println!(
        "  {label}: sequence {}, rate {} ETH/rsETH, total assets {} ETH, supply {} rsETH, slashing epoch {}, pending slash {}",
        s.0,
        format_ether(s.2),
        format_ether(s.3),
        format_ether(s.4),
        s.5,
        s.6
    );
}
