//! The `devnode` binary: banner, listening line, state file round trip across a SIGINT
//! restart, clean shutdown on SIGTERM.

mod rpc_support;

use alloy::primitives::{Address, U256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use rpc_support::{signed_transfer, CHAIN_ID};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `devnode` process and what it printed before listening.
struct Node {
    child: Child,
    banner: String,
    url: String,
}

impl Node {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_devnode"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn devnode");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut banner = String::new();
        let url = loop {
            let line = lines
                .next()
                .expect("devnode exited before listening")
                .expect("read stdout");
            if let Some(addr) = line.strip_prefix("Listening on ") {
                break format!("http://{}", addr.trim());
            }
            banner.push_str(&line);
            banner.push('\n');
        };
        // Keep draining stdout so the node never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { child, banner, url }
    }

    fn provider(&self) -> DynProvider {
        ProviderBuilder::new()
            .connect_http(self.url.parse().expect("url"))
            .erased()
    }

    /// Sends `signal` and waits (at most 30 s) for a successful exit.
    fn stop(mut self, signal: &str) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {signal} {pid}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "devnode exited with {status}");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "devnode did not exit after {signal}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // Only reached with a live child when a test failed midway.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn temp_state(tag: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("devnode-rpc-{tag}-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

#[tokio::test]
async fn banner_lists_anvil_accounts_and_sigterm_exits_cleanly() {
    let node = Node::start(&["--chain-id", "31337"]);
    assert!(node
        .banner
        .contains("(0) 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 (10000.000000000000000000 ETH)"));
    assert!(node
        .banner
        .contains("(0) 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
    assert!(node
        .banner
        .contains("(9) 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"));
    assert!(node.banner.contains("31337"));
    let chain_id = node.provider().get_chain_id().await.expect("chain id");
    assert_eq!(chain_id, 31337);
    node.stop("-TERM");
}

#[tokio::test]
async fn state_file_survives_a_sigint_restart() {
    let state = temp_state("state");
    let to = Address::repeat_byte(0x31);
    let rich = Address::repeat_byte(0x32);

    let node = Node::start(&["--silent", "--state", arg(&state)]);
    assert!(node.banner.is_empty(), "--silent prints no banner");
    let p = node.provider();
    for nonce in 0..2 {
        let raw = signed_transfer(0, nonce, to, U256::from(1000u64), CHAIN_ID);
        let receipt = p
            .send_raw_transaction(&raw)
            .await
            .expect("send")
            .get_receipt()
            .await
            .expect("receipt");
        assert!(receipt.status());
    }
    p.anvil_set_balance(rich, U256::from(77u64))
        .await
        .expect("setBalance");
    let head = p.get_block_number().await.expect("block number");
    let head_hash = p
        .get_block_by_number(head.into())
        .await
        .expect("block")
        .expect("exists")
        .header
        .hash;
    node.stop("-INT");
    assert!(state.exists(), "state written at exit");

    let node = Node::start(&["--silent", "--state", arg(&state)]);
    let p = node.provider();
    assert_eq!(
        p.get_balance(to).await.expect("balance"),
        U256::from(2000u64)
    );
    assert_eq!(
        p.get_balance(rich).await.expect("balance"),
        U256::from(77u64)
    );
    assert_eq!(
        p.get_transaction_count(rpc_support::dev(0))
            .await
            .expect("nonce"),
        2
    );
    assert_eq!(p.get_block_number().await.expect("block number"), head);
    let same = p
        .get_block_by_number(head.into())
        .await
        .expect("block")
        .expect("exists");
    assert_eq!(same.header.hash, head_hash, "head block kept");
    // The chain continues from the loaded state.
    let raw = signed_transfer(0, 2, to, U256::from(1u64), CHAIN_ID);
    let receipt = p
        .send_raw_transaction(&raw)
        .await
        .expect("send after reload")
        .get_receipt()
        .await
        .expect("receipt");
    assert_eq!(receipt.block_number, Some(head + 1));
    node.stop("-INT");
    let _ = std::fs::remove_file(&state);
}

#[test]
fn help_explains_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_devnode"))
        .arg("--help")
        .output()
        .expect("run --help");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--host",
        "--chain-id",
        "--block-time",
        "--state",
        "--silent",
    ] {
        assert!(text.contains(flag), "--help mentions {flag}");
    }
}
