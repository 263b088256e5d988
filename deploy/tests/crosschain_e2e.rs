//! Two local chains deployed by the deploy tool (home: vault, core, endpoint, stake-state
//! publisher, LRT lockbox; remote: endpoint, mirror, LRT copy, bridge) and joined by the
//! relayer in-process, all with the real WASM: a paired re-run sends nothing; the stake state
//! arrives; LRT goes there and back with the home ledger following; slashes executed by the
//! real slashing manager lower the remote rate; a pending slash request reaches the remote at
//! once and stops its `exchangeRate()` until the request is vetoed.
//!
//! Needs `target/stylus/*.wasm` (`cargo xtask wasm`; `scripts/test-all.sh` builds it first).
#![allow(clippy::unwrap_used)]
use std::time::Duration;

use alloy::primitives::{utils::parse_ether, Address, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use restake_deploy::bindings::{
    EndpointReceive, LrtLockbox, RestakeVault, SlashingManager, StakeSyncRemote,
};
use restake_deploy::crosschain::{self, Pair, RelayerKeys, Side};
use restake_deploy::embedded::EmbeddedChain;
use restake_deploy::plan::Params;
use restake_deploy::restaking::{self, Actors, Settings, WAD};
use restake_deploy::scenario::{signing_provider, GasReport};
use restake_deploy::session::Paths;

fn dev(i: usize) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&devnode::accounts::DEV_PRIVATE_KEYS[i]).unwrap()
}

const TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn two_chains_deployed_by_the_tool_carry_state_lrt_and_slashes() {
    let home_chain = EmbeddedChain::start(0, 412_346, None).await.unwrap();
    let remote_chain = EmbeddedChain::start(0, 412_347, None).await.unwrap();
    let (home_url, remote_url) = (home_chain.url(), remote_chain.url());
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        deployments: dir.path().to_path_buf(),
        artifacts: None,
        build: false,
    };
    let admin = dev(0);
    let keys = RelayerKeys::local(2).unwrap();
    for url in [&home_url, &remote_url] {
        let p = signing_provider(url, &admin).unwrap();
        crosschain::fund(&p, &keys.addresses(), parse_ether("100").unwrap())
            .await
            .unwrap();
    }
    let params = Params::defaults(admin.address(), true);
    let eids = (412_346, 412_347);
    let pair =
        crosschain::deploy_pair(&home_url, &remote_url, &admin, &params, eids, &keys, &paths)
            .await
            .unwrap();
    assert!(pair.transactions > 40, "{} transactions", pair.transactions);
    let again =
        crosschain::deploy_pair(&home_url, &remote_url, &admin, &params, eids, &keys, &paths)
            .await
            .unwrap();
    assert_eq!(again.transactions, 0, "a paired re-run sends nothing");
    let Pair { home, remote, .. } = pair;
    assert_eq!(again.home.manifest.contracts, home.manifest.contracts);
    assert_eq!(again.remote.manifest.contracts, remote.manifest.contracts);

    let state = dir.path().join("relayer.json");
    let relayer =
        relayer::Relayer::new(crosschain::relayer_config(&home, &remote, &keys, state).unwrap())
            .await
            .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(relayer.run(async move {
        let _ = stopped.await;
    }));

    // Stake state: a deposit at home, published, mirrored.
    let user = dev(1);
    let hp = signing_provider(&home_url, &user).unwrap();
    let rp = signing_provider(&remote_url, &user).unwrap();
    let vault = RestakeVault::new(home.at("vault").unwrap(), &hp);
    vault
        .deposit(user.address())
        .value(parse_ether("10").unwrap())
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let mut gas = GasReport::default();
    let (s, _) = crosschain::publish_and_wait(&home, &remote, &user, &mut gas, TIMEOUT)
        .await
        .unwrap();
    assert_eq!(s.0, 1, "first sequence");
    assert_eq!(s.2, vault.exchangeRate().call().await.unwrap());
    assert_eq!(s.3, parse_ether("10").unwrap());
    assert!(!s.6, "no slash pending");
    let mirror = StakeSyncRemote::new(remote.at("stakeSyncRemote").unwrap(), &rp);
    assert_eq!(mirror.exchangeRate().call().await.unwrap(), s.2);

    // LRT there and back: the lockbox's ledger for the remote chain follows.
    let (remote_balance, outstanding) = crosschain::bridge_round_trip(
        &home,
        &remote,
        &user,
        parse_ether("3").unwrap(),
        &mut gas,
        TIMEOUT,
    )
    .await
    .unwrap();
    assert_eq!(remote_balance, parse_ether("3").unwrap());
    assert_eq!(outstanding, parse_ether("3").unwrap());
    let lockbox = LrtLockbox::new(home.at("lrtLockbox").unwrap(), &hp);
    assert_eq!(
        lockbox.outstanding(remote.eid).call().await.unwrap(),
        U256::ZERO
    );

    // Slashes by the real core lower the mirrored rate.
    let actors = Actors {
        admin: admin.clone(),
        operator: dev(3),
        service: dev(4),
        slasher: dev(5),
        resolver: dev(6),
        staker: dev(7),
        payout: Address::repeat_byte(0x9b),
    };
    let report = restaking::run(&home_url, &home.manifest, &actors, Settings::default())
        .await
        .unwrap();
    let (after, _) = crosschain::publish_and_wait(&home, &remote, &user, &mut gas, TIMEOUT)
        .await
        .unwrap();
    assert_eq!(after.0, 2);
    assert!(after.2 < s.2, "the remote rate fell");
    assert_eq!(after.2, vault.exchangeRate().call().await.unwrap());
    assert!(after.5 > s.5, "a new slashing epoch");

    // A slash request makes a publication due at once; the remote stops quoting the rate
    // until the request is vetoed.
    let slasher = signing_provider(&home_url, &actors.slasher).unwrap();
    let sm = SlashingManager::new(home.at("slashingManager").unwrap(), &slasher);
    let request = sm.requestSlash(
        actors.operator.address(),
        report.set_id,
        U256::from(WAD),
        B256::ZERO,
    );
    let id = request.call().await.unwrap();
    request.send().await.unwrap().get_receipt().await.unwrap();
    let (pending, _) = crosschain::publish_and_wait(&home, &remote, &user, &mut gas, TIMEOUT)
        .await
        .unwrap();
    assert!(pending.6, "the pending slash reached the remote");
    let err = mirror.exchangeRate().call().await.unwrap_err();
    assert!(
        matches!(
            err.as_decoded_interface_error::<StakeSyncRemote::StakeSyncRemoteErrors>(),
            Some(StakeSyncRemote::StakeSyncRemoteErrors::StakeSyncSlashPending(_))
        ),
        "{err}"
    );
    let resolver = signing_provider(&home_url, &actors.resolver).unwrap();
    SlashingManager::new(home.at("slashingManager").unwrap(), &resolver)
        .vetoSlash(id)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let (cleared, _) = crosschain::publish_and_wait(&home, &remote, &user, &mut gas, TIMEOUT)
        .await
        .unwrap();
    assert!(!cleared.6);
    assert_eq!(
        mirror.exchangeRate().call().await.unwrap(),
        vault.exchangeRate().call().await.unwrap()
    );

    // Exactly once, read from the endpoints: 4 stake states reached the mirror and 1
    // transfer came back to the lockbox (the relayer may be stopped before it records the
    // last delivery it made, so its own counters are not the measure).
    let inbound = |p, receiver: &Side, app: &str, src: &Side, sender: &str| {
        let r = EndpointReceive::new(receiver.at("endpointReceive").unwrap(), p);
        let (app, sender) = (receiver.at(app).unwrap(), src.at(sender).unwrap());
        let src_eid = src.eid;
        async move {
            r.inboundNonce(app, src_eid, sender.into_word())
                .call()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        inbound(&rp, &remote, "stakeSyncRemote", &home, "stakeSyncHome").await,
        4
    );
    assert_eq!(
        inbound(&rp, &remote, "lrtBridgeRemote", &home, "lrtLockbox").await,
        1
    );
    assert_eq!(
        inbound(&hp, &home, "lrtLockbox", &remote, "lrtBridgeRemote").await,
        1
    );
    let _ = stop.send(());
    let summary = task.await.unwrap().unwrap();
    assert_eq!(summary.delivery_failures, 0, "{summary:?}");
    home_chain.stop().await.unwrap();
    remote_chain.stop().await.unwrap();
}

/// The same pair through the command line, as one would deploy to two testnets: home, remote
/// naming home's manifest, home again naming remote's; then both sides peer each other.
#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_deploys_each_side_and_peers_them() {
    use restake_deploy::bindings::{LrtBridgeRemote, StakeSyncHome};
    use restake_deploy::manifest::Manifest;
    use std::process::Command;

    let home_chain = EmbeddedChain::start(0, 412_346, None).await.unwrap();
    let remote_chain = EmbeddedChain::start(0, 412_347, None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let deployments = dir.path().to_str().unwrap();
    let keys = RelayerKeys::local(2).unwrap();
    let verifiers: Vec<String> = keys
        .verifiers
        .iter()
        .flat_map(|k| ["--verifier".to_owned(), k.address().to_string()])
        .collect();
    let executor = keys.executor.address().to_string();
    let run = |url: &str, side: &str, remote_eid: &str, peer: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_restake"));
        cmd.args([
            "deploy",
            "--rpc-url",
            url,
            "--deployments",
            deployments,
            "--no-build",
        ])
        .args([
            "--side",
            side,
            "--remote-eid",
            remote_eid,
            "--executor",
            &executor,
        ])
        .args(&verifiers);
        if let Some(p) = peer {
            cmd.args(["--peer-manifest", p]);
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{side}: {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    };
    let home_manifest = dir.path().join("412346.json");
    let remote_manifest = dir.path().join("412347.json");
    let first = run(&home_chain.url(), "home", "412347", None);
    assert!(
        !first.contains(".setPeer(remoteEid"),
        "no peering before the remote exists: {first}"
    );
    run(
        &remote_chain.url(),
        "remote",
        "412346",
        Some(home_manifest.to_str().unwrap()),
    );
    let third = run(
        &home_chain.url(),
        "home",
        "412347",
        Some(remote_manifest.to_str().unwrap()),
    );
    assert!(
        third.contains("stakeSyncHome.setPeer(remoteEid, stakeSyncRemote): done"),
        "{third}"
    );
    assert!(
        third.contains("deploy vault [restake-vault]: already done, kept"),
        "{third}"
    );

    let load = |p: &std::path::Path| -> Manifest {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let (home, remote) = (load(&home_manifest), load(&remote_manifest));
    assert!(!remote.contracts.contains_key("vault"));
    assert!(!remote.contracts.contains_key("testLst"));
    let hp = signing_provider(&home_chain.url(), &dev(0)).unwrap();
    let rp = signing_provider(&remote_chain.url(), &dev(0)).unwrap();
    let at = |m: &Manifest, n: &str| m.address(n).unwrap();
    assert_eq!(
        StakeSyncHome::new(at(&home, "stakeSyncHome"), &hp)
            .peer(412_347)
            .call()
            .await
            .unwrap(),
        at(&remote, "stakeSyncRemote").into_word()
    );
    assert_eq!(
        LrtBridgeRemote::new(at(&remote, "lrtBridgeRemote"), &rp)
            .peer(412_346)
            .call()
            .await
            .unwrap(),
        at(&home, "lrtLockbox").into_word()
    );
    home_chain.stop().await.unwrap();
    remote_chain.stop().await.unwrap();
}
