//! The `relayer` binary: `--help`, argument errors, SIGKILL while a delivery is in flight
//! followed by a restart (exactly once, no extra transaction), and a clean SIGINT shutdown.
//!
//! Needs what `tests/e2e.rs` needs.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use relayer::state::State;
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_relayer");

const FLAGS: &[&str] = &[
    "--route",
    "--verifier-key",
    "--executor-key",
    "--confirmations",
    "--from-block",
    "--max-block-range",
    "--poll-interval-ms",
    "--retry-base-ms",
    "--retry-max-ms",
    "--deliver-gas-limit",
    "--tx-timeout-secs",
    "--state",
    "--once",
];

#[test]
fn help_explains_every_flag() {
    let out = Command::new(BIN).arg("--help").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    for flag in FLAGS {
        let i = lines
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{flag} ")) || l.trim() == *flag)
            .unwrap_or_else(|| panic!("{flag} missing from --help:\n{text}"));
        // The flag's entry runs until the next line that starts another flag.
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].trim_start().starts_with('-') || lines[j].trim().is_empty())
            .unwrap_or(lines.len());
        let entry = lines[i..end].join(" ");
        let words = entry
            .split_whitespace()
            .filter(|w| !w.starts_with("--") && !w.starts_with('<') && !w.starts_with('['))
            .count();
        assert!(words >= 5, "{flag} has no real explanation: `{entry}`");
    }
    for env in [
        "RELAYER_VERIFIER_KEYS",
        "RELAYER_EXECUTOR_KEY",
        "RUST_LOG",
        "SIGTERM",
    ] {
        assert!(text.contains(env), "--help mentions {env}");
    }
}

#[test]
fn a_missing_route_is_a_usage_error() {
    let out = Command::new(BIN).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--route"));
    let out = Command::new(BIN)
        .args(["--route", "http://x,nope,http://y,0x00"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an address"));
}

fn route_arg(net: &Net) -> String {
    let r = net.route_ab();
    format!(
        "{},{},{},{}",
        r.source_rpc, r.source_endpoint, r.dest_rpc, r.dest_endpoint
    )
}

fn spawn_bin(net: &Net, state: &Path, log: &Path, extra: &[&str]) -> Child {
    let log = std::fs::File::create(log).expect("log file");
    Command::new(BIN)
        .args(["--route", &route_arg(net)])
        .args([
            "--verifier-key",
            &key_hex(V1),
            "--verifier-key",
            &key_hex(V2),
        ])
        .args(["--executor-key", &key_hex(EXECUTOR)])
        .args(["--poll-interval-ms", "50", "--retry-base-ms", "200"])
        .arg("--state")
        .arg(state)
        .args(extra)
        .env("RUST_LOG", "relayer=info")
        .env_remove("RELAYER_VERIFIER_KEYS")
        .env_remove("RELAYER_EXECUTOR_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("relayer starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_delivery_then_restart_delivers_exactly_once() {
    let net = Net::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state.json");
    let guid = send_message(&net.a, &net.b, b"kill -9").await;
    net.b.set_automine(false);
    let mut child = spawn_bin(&net, &state, &dir.path().join("run1.log"), &[]);
    // Mine the relayer's transactions one by one; SIGKILL it while the fourth (deliver) waits.
    let mut killed = false;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(90) {
        let mined = net.b.relayer_txs().await;
        let pending = net.b.pending_nonce(V1).await
            + net.b.pending_nonce(V2).await
            + net.b.pending_nonce(EXECUTOR).await;
        if pending > mined {
            if pending == 4 {
                child.kill().expect("SIGKILL");
                killed = true;
                net.b.mine();
                break;
            }
            net.b.mine();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    if !killed {
        let _ = child.kill();
    }
    child.wait().expect("reaped");
    let log1 = std::fs::read_to_string(dir.path().join("run1.log")).unwrap_or_default();
    assert!(
        killed,
        "the deliver transaction was seen pending; log:\n{log1}"
    );
    net.b.set_automine(true);
    assert_eq!(
        net.b.times_delivered(guid).await,
        1,
        "the in-flight delivery landed"
    );
    let before = State::load(&state).expect("state after SIGKILL");
    let rec = before.routes.values().next().expect("route").packets[&guid].clone();
    assert!(
        rec.committed && !rec.delivered,
        "the file still says not delivered"
    );

    let log2 = dir.path().join("run2.log");
    let status = spawn_bin(&net, &state, &log2, &["--once"])
        .wait()
        .expect("second run");
    let text = std::fs::read_to_string(&log2).unwrap_or_default();
    assert!(status.success(), "--once run failed:\n{text}");
    assert_eq!(
        net.b.times_delivered(guid).await,
        1,
        "delivered exactly once"
    );
    assert_eq!(
        net.b.relayer_txs().await,
        4,
        "the restart sent no transaction"
    );
    let after = State::load(&state).expect("state");
    assert!(after.routes.values().next().expect("route").packets[&guid].delivered);
    assert!(text.contains("consumed on the destination"), "log:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_stops_cleanly_and_saves_state() {
    let net = Net::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state.json");
    let log = dir.path().join("run.log");
    let mut child = spawn_bin(&net, &state, &log, &[]);
    let guid = send_message(&net.a, &net.b, b"then ctrl-c").await;
    assert!(wait_recorded(&state, guid).await, "delivered");
    let pid = child.id().to_string();
    let kill = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("try_wait") {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "exits within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(status.success(), "exit status {status:?}; log:\n{text}");
    assert!(text.contains("shutdown requested"), "log:\n{text}");
    assert!(text.contains("relayer stopped"), "log:\n{text}");
    assert!(
        text.contains("stage=\"delivered\"") || text.contains("stage=delivered"),
        "log:\n{text}"
    );
    let s = State::load(&state).expect("state saved");
    assert_eq!(s.routes.values().next().expect("route").delivered_total, 1);
    assert_eq!(net.b.times_delivered(guid).await, 1);
}
