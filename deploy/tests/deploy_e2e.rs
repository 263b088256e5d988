//! The deploy tool against the local chain (the real WASM, over JSON-RPC): a full deployment,
//! a re-run that changes nothing, and a run killed half way that a re-run finishes.
//!
//! Needs `target/stylus/*.wasm` (`cargo xtask wasm`; `scripts/test-all.sh` builds it first).
#![allow(clippy::unwrap_used)]
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use alloy::primitives::Address;
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::SolEvent;
use restake_deploy::bindings::{DelegationManager, IStylusDeployer, LrtToken, RestakeVault};
use restake_deploy::embedded::EmbeddedChain;
use restake_deploy::manifest::Manifest;
use restake_deploy::network::LOCAL;
use restake_deploy::plan::{minter_role, stake_manager_role, Params};
use restake_deploy::scenario::signing_provider;
use restake_deploy::session::{self, Paths};
use restake_deploy::stylus::STYLUS_DEPLOYER;

fn deployer() -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&devnode::accounts::DEV_PRIVATE_KEYS[0]).unwrap()
}

fn paths(dir: &std::path::Path) -> Paths {
    Paths {
        deployments: dir.to_path_buf(),
        artifacts: None,
        build: false,
    }
}

async fn deployments_count(url: &str) -> usize {
    let provider = signing_provider(url, &deployer()).unwrap();
    let filter = Filter::new()
        .address(STYLUS_DEPLOYER)
        .event_signature(IStylusDeployer::ContractDeployed::SIGNATURE_HASH)
        .from_block(0);
    provider.get_logs(&filter).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_wires_roles_and_a_rerun_changes_nothing() {
    let chain = EmbeddedChain::start(0, LOCAL.chain_id, None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = deployer();
    let params = Params::defaults(key.address(), true);

    let (manifest, report) = session::deploy(
        &chain.url(),
        &key,
        "local",
        params.clone(),
        &paths(dir.path()),
        false,
    )
    .await
    .unwrap();
    assert_eq!(report.executed.len(), 19, "10 contracts + 9 wiring steps");
    assert!(report.total_gas() > 0);
    for name in [
        "lrtToken",
        "vault",
        "redeemQueue",
        "operatorRegistry",
        "delegationManager",
        "allocationManager",
        "slashingManager",
        "rewardsCoordinator",
        "testLst",
        "testRateProvider",
    ] {
        let record = &manifest.contracts[name];
        assert_ne!(record.address, Address::ZERO);
        assert_eq!(record.test_only, name.starts_with("test"), "{name}");
    }
    let provider = signing_provider(&chain.url(), &key).unwrap();
    let token = LrtToken::new(manifest.contracts["lrtToken"].address, &provider);
    assert!(token
        .hasRole(minter_role(), manifest.contracts["vault"].address)
        .call()
        .await
        .unwrap());
    assert_eq!(token.admin().call().await.unwrap(), key.address());
    let at = |name: &str| manifest.contracts[name].address;
    let peers = DelegationManager::new(at("delegationManager"), &provider)
        .peers()
        .call()
        .await
        .unwrap();
    assert_eq!(
        (peers._0, peers._1, peers._2),
        (
            at("operatorRegistry"),
            at("allocationManager"),
            at("slashingManager")
        )
    );
    let vault = RestakeVault::new(at("vault"), &provider);
    for core in ["slashingManager", "rewardsCoordinator"] {
        assert!(vault
            .hasRole(stake_manager_role(), at(core))
            .call()
            .await
            .unwrap());
    }
    let on_disk =
        Manifest::load_or_new(dir.path(), LOCAL.chain_id, "local", Address::ZERO).unwrap();
    assert_eq!(on_disk, manifest, "the manifest on disk is the final one");
    assert!(on_disk.pending.is_none());

    let block = provider.get_block_number().await.unwrap();
    let (again, report) = session::deploy(
        &chain.url(),
        &key,
        "local",
        params,
        &paths(dir.path()),
        false,
    )
    .await
    .unwrap();
    assert!(
        report.executed.is_empty(),
        "re-run sent {:?}",
        report.executed
    );
    assert_eq!(report.kept.len(), 19);
    assert_eq!(again.contracts, manifest.contracts);
    assert_eq!(
        provider.get_block_number().await.unwrap(),
        block,
        "no transaction on a re-run"
    );
    assert_eq!(deployments_count(&chain.url()).await, 10);
    chain.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_deployment_is_finished_by_a_rerun() {
    let chain = EmbeddedChain::start(0, LOCAL.chain_id, None).await.unwrap();
    let url = chain.url();
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_restake");
    let args = [
        "deploy",
        "--rpc-url",
        &url,
        "--deployments",
        dir.path().to_str().unwrap(),
        "--no-build",
    ];

    // First run: killed (SIGKILL, no cleanup) right after its first step finished.
    let mut child = Command::new(bin)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut first_done = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.contains(": done in") {
            first_done = Some(line);
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first_done = first_done.expect("the first run finished a step before the kill");
    assert!(first_done.starts_with("[1/19]"), "{first_done}");
    let partial =
        Manifest::load_or_new(dir.path(), LOCAL.chain_id, "local", Address::ZERO).unwrap();
    let token = partial.contracts["lrtToken"].address;
    let deployed_before = deployments_count(&url).await;
    assert!(
        (1..10).contains(&deployed_before),
        "{deployed_before} contracts deployed before the kill"
    );

    // Second run finishes without redeploying what is there.
    let out = Command::new(bin).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "re-run failed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("[1/19] deploy lrtToken [lrt-token]: already done, kept"),
        "{text}"
    );
    let done = Manifest::load_or_new(dir.path(), LOCAL.chain_id, "local", Address::ZERO).unwrap();
    assert_eq!(
        done.contracts["lrtToken"].address, token,
        "the token was kept"
    );
    assert_eq!(done.contracts.len(), 10);
    assert_eq!(
        deployments_count(&url).await,
        10,
        "every contract deployed exactly once"
    );
    chain.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn every_user_path_runs_and_bad_input_gets_typed_errors() {
    use alloy::primitives::utils::parse_ether;

    let chain = EmbeddedChain::start(0, LOCAL.chain_id, None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = deployer();
    let params = Params::defaults(key.address(), true);
    let delay = params.withdrawal_delay;
    let (manifest, _) = session::deploy(
        &chain.url(),
        &key,
        "local",
        params,
        &paths(dir.path()),
        false,
    )
    .await
    .unwrap();

    // The scenario: deposit ETH, deposit a token, transfer, permit, request, time travel, claim.
    let user = PrivateKeySigner::from_bytes(&devnode::accounts::DEV_PRIVATE_KEYS[1]).unwrap();
    let spender = PrivateKeySigner::from_bytes(&devnode::accounts::DEV_PRIVATE_KEYS[2])
        .unwrap()
        .address();
    let gas = restake_deploy::scenario::run(&chain.url(), &manifest, &user, spender, delay)
        .await
        .unwrap();
    for op in [
        "deposit ETH",
        "depositToken",
        "transfer",
        "permit",
        "requestRedeem",
        "claim",
    ] {
        assert!(
            gas.gas(op).is_some_and(|g| g > 21_000),
            "{op}: {:?}",
            gas.gas(op)
        );
    }
    let provider = signing_provider(&chain.url(), &user).unwrap();
    let token = LrtToken::new(manifest.contracts["lrtToken"].address, &provider);
    let vault = RestakeVault::new(manifest.contracts["vault"].address, &provider);
    // 10 ETH + 20 tstETH at 1.05 = 31 rsETH minted; 1 transferred, 5 redeemed (burned at claim).
    assert_eq!(
        token.balanceOf(user.address()).call().await.unwrap(),
        parse_ether("25").unwrap()
    );
    assert_eq!(
        token
            .allowance(user.address(), spender)
            .call()
            .await
            .unwrap(),
        parse_ether("2").unwrap()
    );
    assert_eq!(
        vault.totalAssets().call().await.unwrap(),
        parse_ether("26").unwrap()
    );

    // Bad input: typed errors, decoded by alloy, and nothing changes.
    let supply = token.totalSupply().call().await.unwrap();
    let err = vault
        .deposit(user.address())
        .value(alloy::primitives::U256::ZERO)
        .call()
        .await
        .unwrap_err();
    let decoded = err.as_decoded_interface_error::<RestakeVault::RestakeVaultErrors>();
    assert!(
        matches!(
            decoded,
            Some(RestakeVault::RestakeVaultErrors::VaultZeroAmount(_))
        ),
        "{err}"
    );
    let unknown = Address::repeat_byte(0x77);
    let err = vault
        .depositToken(unknown, parse_ether("1").unwrap(), user.address())
        .call()
        .await
        .unwrap_err();
    let decoded = err.as_decoded_interface_error::<RestakeVault::RestakeVaultErrors>();
    assert!(
        decoded.is_some(),
        "unlisted token must revert with a vault error: {err}"
    );
    let err = token
        .transfer(spender, parse_ether("1000").unwrap())
        .call()
        .await
        .unwrap_err();
    let decoded = err.as_decoded_interface_error::<LrtToken::LrtTokenErrors>();
    assert!(
        matches!(
            decoded,
            Some(LrtToken::LrtTokenErrors::ERC20InsufficientBalance(_))
        ),
        "{err}"
    );
    assert_eq!(token.totalSupply().call().await.unwrap(), supply);
    chain.stop().await.unwrap();
}
