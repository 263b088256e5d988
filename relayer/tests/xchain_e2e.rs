//! The restaking applications end to end on two devnode chains (home 412346, remote 421614)
//! with the real Stylus WASM for the endpoints, the LRT token, the vault, StakeSyncHome /
//! StakeSyncRemote and LrtLockbox / LrtBridgeRemote, driven by the relayer in-process with two
//! verifiers and one executor: the stake state arriving on the remote, LRT bridged there and
//! back, a slash at home reaching the mirror, a verifier down holding a stake-state message
//! until it returns, and a relayer dropped mid-delivery of a bridge transfer minting it once.
//!
//! The slashing manager the home watches is a Solidity stand-in (`tests/sol/
//! FakeSlashingManager.sol`) exposing the two views StakeSyncHome reads; the slash itself is the
//! vault's real `slash`, called by a key holding `STAKE_MANAGER_ROLE`.
//!
//! Needs `cargo xtask wasm` (all contracts), Node.js and the repository's npm packages.

mod support;

use std::time::Duration;

use alloy::primitives::U256;
use relayer::state::State;
use relayer::Summary;
use support::apps::*;
use support::*;

/// Moves `side`'s clock forward and mines a block (views read the latest block's time).
fn advance(side: &Side, secs: u64) {
    side.chain().lock().expect("chain lock").increase_time(secs);
    side.mine();
}

/// Asserts that the home's and the remote's states agree and match the vault now.
async fn assert_mirrored(apps: &Apps, sequence: u64) {
    let home = apps.home_state().await;
    let remote = apps.remote_state().await;
    assert_eq!(home.sequence, sequence);
    assert_eq!(remote, home, "the remote mirrors the home's publication");
    let (rate, assets, shares) = apps.vault_figures().await;
    assert_eq!(
        (home.rate, home.total_assets, home.supply),
        (rate, assets, shares),
        "the publication carries the vault's figures"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stake_state_is_delivered_to_the_remote() {
    if standin() {
        return; // needs the real endpoint
    }
    let apps = Apps::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = apps
        .net
        .config(&dir.path().join("s.json"), &[V1, V2], true, false);

    assert!(
        matches!(
            apps.remote_rate().await,
            Err(StakeSyncRemote::StakeSyncRemoteErrors::StakeSyncNoState(_))
        ),
        "no state before the first publication"
    );
    let shares = apps.deposit(USER, ether(10)).await;
    assert_eq!(shares, ether(10), "first deposit at 1 LRT per ETH");
    let (_, seq) = apps.publish(USER).await;
    assert_eq!(seq, 1);
    assert_eq!(
        apps.remote_state().await,
        StakeView::default(),
        "not yet relayed"
    );

    let s = once(&config).await;
    assert_eq!(
        (s.found, s.verified, s.committed, s.delivered),
        (1, 2, 1, 1)
    );
    assert_mirrored(&apps, 1).await;
    let (rate, assets, supply) = apps.vault_figures().await;
    assert_eq!((rate, assets, supply), (ether(1), ether(10), ether(10)));
    assert_eq!(apps.remote_rate().await.expect("usable rate"), rate);

    // More deposits: the next publication waits for the interval, then carries the new totals.
    apps.deposit(USER, ether(5)).await;
    assert!(!apps.publication_due().await, "within the minimum interval");
    advance(&apps.net.a, MIN_INTERVAL);
    assert!(apps.publication_due().await);
    let (_, seq) = apps.publish(USER).await;
    assert_eq!(seq, 2);
    let s = once(&config).await;
    assert_eq!(s.delivered, 1);
    assert_mirrored(&apps, 2).await;
    assert_eq!(apps.remote_state().await.total_assets, ether(15));
    assert_eq!(apps.remote_state().await.supply, ether(15));
    assert_eq!(apps.states_received().await, vec![1, 2], "each state once");

    // Nothing left: another pass sends nothing.
    assert_eq!(once(&config).await, Summary::default());
    assert_eq!(apps.states_received().await, vec![1, 2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lrt_is_bridged_to_the_remote_and_back() {
    if standin() {
        return;
    }
    let apps = Apps::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = apps
        .net
        .config(&dir.path().join("s.json"), &[V1, V2], true, true);
    let user = addr(USER);
    let holder = addr(7); // receives on the remote and sends back
    let shares = apps.deposit(USER, ether(10)).await;
    let start = (
        apps.home_lrt_balance(user).await,
        apps.home_lrt_balance(apps.home.lockbox).await,
        apps.outstanding().await,
        apps.remote_lrt_supply().await,
    );
    assert_eq!(start, (shares, U256::ZERO, U256::ZERO, U256::ZERO));

    // Home -> remote: locked at home, minted on the remote once relayed.
    let amount = ether(4);
    apps.bridge_out(USER, holder, amount).await;
    assert_eq!(apps.home_lrt_balance(user).await, shares - amount);
    assert_eq!(apps.home_lrt_balance(apps.home.lockbox).await, amount);
    assert_eq!(
        apps.outstanding().await,
        amount,
        "the ledger counts it on B"
    );
    assert_eq!(
        apps.remote_lrt_supply().await,
        U256::ZERO,
        "not yet relayed"
    );
    let s = once(&config).await;
    assert_eq!((s.found, s.delivered, s.delivery_failures), (1, 1, 0));
    assert_eq!(apps.remote_lrt_balance(holder).await, amount);
    assert_eq!(apps.remote_lrt_supply().await, amount);

    // Remote -> home: burned on the remote, released at home once relayed.
    apps.bridge_back(7, user, amount).await;
    assert_eq!(apps.remote_lrt_balance(holder).await, U256::ZERO);
    assert_eq!(apps.remote_lrt_supply().await, U256::ZERO, "burned at once");
    assert_eq!(
        apps.outstanding().await,
        amount,
        "still counted until it arrives"
    );
    let s = once(&config).await;
    assert_eq!((s.found, s.delivered, s.delivery_failures), (1, 1, 0));
    let end = (
        apps.home_lrt_balance(user).await,
        apps.home_lrt_balance(apps.home.lockbox).await,
        apps.outstanding().await,
        apps.remote_lrt_supply().await,
    );
    assert_eq!(end, start, "balances and the ledger end where they started");
    assert_eq!(once(&config).await, Summary::default(), "nothing left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slash_at_home_reaches_the_remote_mirror() {
    if standin() {
        return;
    }
    let apps = Apps::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = apps
        .net
        .config(&dir.path().join("s.json"), &[V1, V2], true, true);
    apps.deposit(USER, ether(10)).await;
    apps.publish(USER).await;
    assert_eq!(once(&config).await.delivered, 1);
    assert_eq!(apps.remote_rate().await.expect("usable"), ether(1));
    assert!(!apps.publication_due().await, "within the minimum interval");

    // A slash is requested: a publication is due at once, with the pending flag.
    let id = apps.request_slash().await;
    assert!(
        apps.publication_due().await,
        "a request makes it due at once"
    );
    let (_, seq) = apps.publish(USER).await;
    assert_eq!(seq, 2);
    let home = apps.home_state().await;
    assert!(home.pending_slash);
    assert_eq!(home.slash_epoch, 1, "a new request starts an epoch");
    assert_eq!(once(&config).await.delivered, 1);
    assert_mirrored(&apps, 2).await;
    match apps.remote_rate().await {
        Err(StakeSyncRemote::StakeSyncRemoteErrors::StakeSyncSlashPending(e)) => {
            assert_eq!(e.slashEpoch, 1);
        }
        other => panic!("exchangeRate refused while a slash is pending, got {other:?}"),
    }
    // The remote bridge does not consult the mirror: transfers still go through meanwhile.
    apps.deposit(7, ether(1)).await;
    apps.bridge_out(7, addr(7), ether(1)).await;
    assert_eq!(once(&config).await.delivered, 1);
    assert_eq!(apps.remote_lrt_balance(addr(7)).await, ether(1));

    // The slash is executed: 1 ETH of the 11 leaves the vault, the rate falls.
    apps.slash_vault(ether(1)).await;
    apps.set_slash_status(id, STATUS_EXECUTED).await;
    let (rate, assets, supply) = apps.vault_figures().await;
    assert_eq!((assets, supply), (ether(10), ether(11)));
    assert!(rate < ether(1));
    assert!(
        apps.publication_due().await,
        "the fall makes it due at once"
    );
    let (_, seq) = apps.publish(USER).await;
    assert_eq!(seq, 3);
    assert_eq!(once(&config).await.delivered, 1);
    assert_mirrored(&apps, 3).await;
    let remote = apps.remote_state().await;
    assert!(!remote.pending_slash, "the request is resolved");
    assert_eq!(remote.slash_epoch, 2, "the fall starts another epoch");
    assert_eq!(
        apps.remote_rate().await.expect("usable again"),
        rate,
        "downward moves are taken whole"
    );
    assert_eq!(apps.states_received().await, vec![1, 2, 3]);

    // A mirror older than the maximum age (24 h by default) is refused too.
    advance(&apps.net.b, 86_400 + MIN_INTERVAL);
    assert!(matches!(
        apps.remote_rate().await,
        Err(StakeSyncRemote::StakeSyncRemoteErrors::StakeSyncStale(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verifier_down_holds_a_stake_state_until_it_returns() {
    if standin() {
        return;
    }
    let apps = Apps::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    apps.deposit(USER, ether(3)).await;
    apps.publish(USER).await;
    let net = &apps.net;

    // Verifier 1 and the executor run; verifier 2 is down.
    let r1_state = dir.path().join("r1.json");
    let (r1, stop1) = spawn(net.config(&r1_state, &[V1], true, false)).await;
    assert!(
        wait_until(Duration::from_secs(30), || async {
            net.b.nonce(V1).await == 1
        })
        .await,
        "verifier 1 attests"
    );
    tokio::time::sleep(Duration::from_millis(1_500)).await; // ~30 polls
    assert_eq!(apps.remote_state().await.sequence, 0, "nothing delivered");
    assert_eq!(net.b.nonce(EXECUTOR).await, 0, "no commit sent");
    assert_eq!(net.b.nonce(V1).await, 1, "verifier 1 attested once");

    // Verifier 2 comes back (a verifier-only instance with its own state file).
    let r2_state = dir.path().join("r2.json");
    let (r2, stop2) = spawn(net.config(&r2_state, &[V2], false, false)).await;
    assert!(
        wait_until(Duration::from_secs(30), || async {
            apps.remote_state().await.sequence == 1
        })
        .await,
        "delivered once the quorum is back"
    );
    let guid = {
        let file = State::load(&r1_state).expect("state");
        *file
            .routes
            .values()
            .next()
            .expect("route")
            .packets
            .keys()
            .next()
            .expect("packet")
    };
    assert!(wait_recorded(&r1_state, guid).await);
    assert!(wait_recorded(&r2_state, guid).await);
    let s1 = stop(r1, stop1).await;
    let s2 = stop(r2, stop2).await;
    assert_eq!((s1.verified, s1.committed, s1.delivered), (1, 1, 1));
    assert_eq!((s2.verified, s2.committed, s2.delivered), (1, 0, 0));
    assert_mirrored(&apps, 1).await;
    assert_eq!(
        apps.states_received().await,
        vec![1],
        "delivered exactly once"
    );
    assert_eq!(net.b.nonce(V2).await, 1);
    assert_eq!(net.b.nonce(EXECUTOR).await, 2, "commit + deliver");

    // Both verifiers and the executor together again: nothing more to do.
    let s = once(&net.config(&r1_state, &[V1, V2], true, false)).await;
    assert_eq!(s.delivered, 0);
    assert_eq!(apps.states_received().await, vec![1]);
    assert_eq!(net.b.relayer_txs().await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relayer_dropped_mid_delivery_mints_a_bridge_transfer_once() {
    if standin() {
        return;
    }
    let apps = Apps::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("s.json");
    let config = apps.net.config(&state, &[V1, V2], true, false);
    let b = &apps.net.b;
    apps.deposit(USER, ether(5)).await;
    apps.bridge_out(USER, addr(USER), ether(5)).await;

    // Automine off on B: the relayer's transactions wait until mined by hand. Its task is
    // dropped while its fourth (the delivery) waits; the delivery is then mined.
    b.set_automine(false);
    let (task, _trigger) = spawn(config.clone()).await;
    let mut killed = false;
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        let mined = b.relayer_txs().await;
        let pending =
            b.pending_nonce(V1).await + b.pending_nonce(V2).await + b.pending_nonce(EXECUTOR).await;
        if pending > mined {
            if pending == 4 {
                task.abort();
                assert!(task.await.expect_err("aborted").is_cancelled());
                killed = true;
                b.mine();
                break;
            }
            b.mine();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(killed, "the delivery was seen pending");
    b.set_automine(true);
    assert_eq!(
        apps.remote_lrt_balance(addr(USER)).await,
        ether(5),
        "minted"
    );

    // Restarted, the relayer finds the packet delivered and sends nothing more.
    let s = once(&config).await;
    assert_eq!((s.pending, s.delivered, s.delivery_failures), (0, 0, 0));
    assert_eq!(
        b.relayer_txs().await,
        4,
        "no repeated or reverted transaction"
    );
    assert_eq!(
        apps.remote_lrt_balance(addr(USER)).await,
        ether(5),
        "minted once"
    );
    assert_eq!(apps.remote_lrt_supply().await, ether(5));
    assert_eq!(apps.bridge_receipts_remote().await, 1);
}
