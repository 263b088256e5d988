//! Two in-process devnode chains (different chain ids) with an endpoint on each, a counting
//! receiver on each, and helpers to send messages and drive the relayer.
//!
//! The endpoint is the real Stylus WASM, three contracts per chain: the source side
//! `restake-endpoint.wasm` (`send`, `PacketSent`), the destination side
//! `restake-endpoint-receive.wasm` (`verify`, `commit`, `deliver`) and the receivers'
//! configuration `restake-endpoint-config.wasm` (`setReceiveConfig`), from `cargo xtask wasm`,
//! looked up in `$CARGO_TARGET_DIR/stylus` then `target/stylus`. With
//! `RELAYER_TEST_ENDPOINT=standin` the Solidity stand-in in `tests/sol` (both sides in one
//! contract) is used instead.

#![allow(dead_code)]

pub mod apps;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolCall, SolEvent, SolValue};
use devnode::accounts::DEV_PRIVATE_KEYS;
use devnode::rpc::{serve_with, ServeOptions, ServerHandle};
use devnode::{Chain, ChainConfig};
use relayer::{Config, Route};

sol! {
    interface IStylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
    }

    #[sol(rpc)]
    interface ITestEndpoint {
        function quote(uint32 dstEid, address receiver, bytes message) external view returns (uint256 fee);
        function send(uint32 dstEid, address receiver, bytes message, address refundTo) external payable returns (bytes32 guid, uint64 nonce);
        function setDstConfig(uint32 dstEid, address executor, uint256 executorFee) external;
        function setVerifierFee(uint32 dstEid, address verifier, uint256 fee) external;
        function isVerified(address verifier, bytes32 headerHash, bytes32 payloadHash) external view returns (bool);
        function committedHash(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external view returns (bytes32);
        event PacketSent(bytes encodedPacket, address indexed sender, uint32 indexed dstEid, bytes32 indexed guid);
        event DeliveryFailed(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes reason);
        event PacketDelivered(address indexed receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid);
    }

    #[sol(rpc)]
    interface ICountingReceiver {
        function setFailing(bool f) external;
        function deliveries() external view returns (uint256);
        function timesDelivered(bytes32 guid) external view returns (uint256);
        event Received(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes message);
    }
}

/// Chain id and endpoint id of chain A.
pub const CHAIN_A: u64 = 412_346;
/// Chain id of chain B.
pub const CHAIN_B: u64 = 421_614;
/// Endpoint id on chain A.
pub const EID_A: u32 = 30_101;
/// Endpoint id on chain B.
pub const EID_B: u32 = 30_102;
/// Fee per verifier and for the executor, in wei (the real endpoint charges it on `send`).
pub const FEE: u64 = 1_000_000_000_000;

/// Dev key index of the deployer, admin and message sender.
pub const DEPLOYER: usize = 0;
/// Dev key index of verifier 1.
pub const V1: usize = 1;
/// Dev key index of verifier 2.
pub const V2: usize = 2;
/// Dev key index of the executor.
pub const EXECUTOR: usize = 3;

/// Dev key `i`.
pub fn key(i: usize) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&DEV_PRIVATE_KEYS[i]).expect("dev key")
}

/// Dev key `i` as hex (for the binary's flags).
pub fn key_hex(i: usize) -> String {
    DEV_PRIVATE_KEYS[i].to_string()
}

/// Address of dev key `i`.
pub fn addr(i: usize) -> Address {
    key(i).address()
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether the tests use the Solidity stand-in instead of the real endpoint.
pub fn standin() -> bool {
    std::env::var("RELAYER_TEST_ENDPOINT").is_ok_and(|v| v == "standin")
}

/// The contract module `name` built by `cargo xtask wasm`.
///
/// # Panics
/// When it is missing, naming the command that builds it.
pub fn contract_wasm(name: &str) -> Vec<u8> {
    let root = repo_root();
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        dirs.push(
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
            .join("stylus"),
        );
    }
    dirs.push(root.join("target/stylus"));
    dirs.iter()
        .find_map(|d| std::fs::read(d.join(format!("{name}.wasm"))).ok())
        .unwrap_or_else(|| {
            panic!(
                "{name}.wasm not found in {dirs:?}: run `cargo xtask wasm -p restake-endpoint -p restake-endpoint-receive`"
            )
        })
}

/// Compiles `tests/sol/<file>` with the repository's solcjs (once per test binary); returns
/// `contract`'s creation code.
pub fn solc(file: &str, contract: &str) -> Vec<u8> {
    static CACHE: Mutex<Vec<(String, Vec<u8>)>> = Mutex::new(Vec::new());
    let id = format!("{file}:{contract}");
    if let Some((_, code)) = CACHE.lock().expect("cache").iter().find(|(k, _)| *k == id) {
        return code.clone();
    }
    let code = solc_uncached(file, contract);
    CACHE.lock().expect("cache").push((id, code.clone()));
    code
}

fn solc_uncached(file: &str, contract: &str) -> Vec<u8> {
    let root = repo_root();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sol")
        .join(file);
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let input = serde_json::json!({
        "language": "Solidity",
        "sources": { file: { "content": source } },
        "settings": {
            "optimizer": { "enabled": true, "runs": 200 },
            "evmVersion": "cancun",
            "outputSelection": { "*": { "*": ["evm.bytecode.object"] } }
        }
    });
    let mut child = Command::new("node")
        .arg(root.join("tools/solc/solc.js"))
        .arg("--standard-json")
        .current_dir(&root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (install Node.js and run `npm ci` at the repository root)");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(input.to_string().as_bytes())
            .expect("solc input");
    }
    let out = child.wait_with_output().expect("solc finishes");
    assert!(
        out.status.success(),
        "solc: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("solc JSON");
    if let Some(errors) = json["errors"].as_array() {
        let fatal: Vec<_> = errors.iter().filter(|e| e["severity"] == "error").collect();
        assert!(fatal.is_empty(), "solc errors: {fatal:?}");
    }
    let hex = json["contracts"][file][contract]["evm"]["bytecode"]["object"]
        .as_str()
        .unwrap_or_else(|| panic!("{contract} not in the solc output"));
    alloy::hex::decode(hex).expect("hex bytecode")
}

/// A provider signing with dev key `i`.
pub fn wallet(server: &ServerHandle, i: usize) -> DynProvider {
    ProviderBuilder::new()
        .wallet(EthereumWallet::from(key(i)))
        .connect_http(server.url().parse().expect("url"))
        .erased()
}

/// A read-only provider.
pub fn reader(server: &ServerHandle) -> DynProvider {
    ProviderBuilder::new()
        .connect_http(server.url().parse().expect("url"))
        .erased()
}

/// Sends `tx` and asserts success; returns the receipt.
pub async fn send_ok(
    p: &DynProvider,
    tx: TransactionRequest,
) -> alloy::rpc::types::TransactionReceipt {
    let receipt = p
        .send_transaction(tx)
        .await
        .expect("transaction accepted")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status(), "transaction succeeded: {receipt:?}");
    receipt
}

/// Deploys Solidity creation code plus constructor args from the deployer.
pub async fn deploy_sol(p: &DynProvider, mut code: Vec<u8>, args: &[u8]) -> Address {
    code.extend_from_slice(args);
    let tx = TransactionRequest::default()
        .from(addr(DEPLOYER))
        .into_create()
        .input(Bytes::from(code).into());
    send_ok(p, tx).await.contract_address.expect("created")
}

/// EVM init code returning `runtime`.
fn init_code(runtime: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(43 + runtime.len());
    out.push(0x7f);
    out.extend_from_slice(&U256::from(runtime.len()).to_be_bytes::<32>());
    out.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    out.extend_from_slice(runtime);
    out.into()
}

/// The contracts of an endpoint on one chain.
#[derive(Clone, Copy, Debug)]
pub struct Deployed {
    /// Source side (`send`, `PacketSent`).
    pub endpoint: Address,
    /// Destination side (`verify`, `commit`, `deliver`).
    pub inbox: Address,
    /// Receiver configuration (`setReceiveConfig`).
    pub config: Address,
}

/// Deploys an endpoint with `eid` (admin: the deployer). The stand-in is one contract in all
/// three roles.
pub async fn deploy_endpoint(p: &DynProvider, eid: u32) -> Deployed {
    if standin() {
        let code = solc("EndpointStandIn.sol", "EndpointStandIn");
        let a = deploy_sol(p, code, &eid.abi_encode()).await;
        return Deployed {
            endpoint: a,
            inbox: a,
            config: a,
        };
    }
    let admin = addr(DEPLOYER);
    let endpoint = deploy_stylus(p, "restake-endpoint", &(eid, admin).abi_encode_params()).await;
    let config = deploy_stylus(p, "restake-endpoint-config", &admin.abi_encode()).await;
    let inbox = deploy_stylus(
        p,
        "restake-endpoint-receive",
        &(eid, config).abi_encode_params(),
    )
    .await;
    Deployed {
        endpoint,
        inbox,
        config,
    }
}

/// Deploys the Stylus contract `name` running its constructor with `args` (ABI-encoded).
async fn deploy_stylus(p: &DynProvider, name: &str, args: &[u8]) -> Address {
    let code = stylus_runtime::code::encode(&contract_wasm(name));
    let mut init = keccak256(b"stylus_constructor()")[..4].to_vec();
    init.extend_from_slice(args);
    let call = IStylusDeployer::deployCall {
        bytecode: init_code(&code),
        initData: init.into(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let tx = TransactionRequest::default()
        .from(addr(DEPLOYER))
        .to(devnode::chain::STYLUS_DEPLOYER)
        .value(U256::from(10u64).pow(U256::from(18)))
        .input(call.abi_encode().into());
    let receipt = send_ok(p, tx).await;
    receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| IStylusDeployer::ContractDeployed::decode_log_data(l.data()).ok())
        .map(|e| e.deployedContract)
        .expect("ContractDeployed event")
}

/// One chain with its endpoint and a receiver of messages from the other chain.
pub struct Side {
    /// The node.
    pub server: ServerHandle,
    /// Its endpoint's source side (`send`, `PacketSent`).
    pub endpoint: Address,
    /// Its endpoint's destination side (`verify`, `commit`, `deliver`).
    pub inbox: Address,
    /// Its endpoint id.
    pub eid: u32,
    /// A counting receiver requiring verifiers 1 and 2 for messages from the other chain.
    pub receiver: Address,
}

impl Side {
    /// Deployer's wallet provider.
    pub fn deployer(&self) -> DynProvider {
        wallet(&self.server, DEPLOYER)
    }

    /// The served chain.
    pub fn chain(&self) -> Arc<Mutex<Chain>> {
        self.server.chain()
    }

    /// Turns automine on or off.
    pub fn set_automine(&self, on: bool) {
        self.chain().lock().expect("chain lock").set_automine(on);
    }

    /// Mines a block with whatever is pending.
    pub fn mine(&self) {
        self.chain().lock().expect("chain lock").mine();
    }

    /// The receiver's total deliveries.
    pub async fn deliveries(&self) -> u64 {
        let r = ICountingReceiver::new(self.receiver, reader(&self.server));
        r.deliveries().call().await.expect("deliveries").to::<u64>()
    }

    /// How many times the receiver ran `guid`.
    pub async fn times_delivered(&self, guid: B256) -> u64 {
        let r = ICountingReceiver::new(self.receiver, reader(&self.server));
        r.timesDelivered(guid)
            .call()
            .await
            .expect("timesDelivered")
            .to::<u64>()
    }

    /// Makes the receiver revert (or not).
    pub async fn set_failing(&self, on: bool) {
        let r = ICountingReceiver::new(self.receiver, self.deployer());
        let rc = r
            .setFailing(on)
            .send()
            .await
            .expect("setFailing")
            .get_receipt()
            .await
            .expect("receipt");
        assert!(rc.status());
    }

    /// Latest nonce (mined transactions) of dev key `i` on this chain.
    pub async fn nonce(&self, i: usize) -> u64 {
        reader(&self.server)
            .get_transaction_count(addr(i))
            .latest()
            .await
            .expect("nonce")
    }

    /// Pending nonce of dev key `i` (mined plus waiting transactions).
    pub async fn pending_nonce(&self, i: usize) -> u64 {
        reader(&self.server)
            .get_transaction_count(addr(i))
            .pending()
            .await
            .expect("nonce")
    }

    /// Transactions sent by the relayer's three keys on this chain.
    pub async fn relayer_txs(&self) -> u64 {
        self.nonce(V1).await + self.nonce(V2).await + self.nonce(EXECUTOR).await
    }

    /// `DeliveryFailed` events of this chain's endpoint so far.
    pub async fn delivery_failures(&self) -> usize {
        let f = Filter::new()
            .address(self.inbox)
            .event_signature(ITestEndpoint::DeliveryFailed::SIGNATURE_HASH)
            .from_block(0);
        reader(&self.server).get_logs(&f).await.expect("logs").len()
    }
}

/// Shows the relayer's logs in failing tests (`RUST_LOG` overrides the default `info`).
pub fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("relayer=info")),
        )
        .with_test_writer()
        .try_init();
}

/// Two chains, each with an endpoint and a receiver for messages from the other.
pub struct Net {
    /// Chain A.
    pub a: Side,
    /// Chain B.
    pub b: Side,
}

async fn start_chain(chain_id: u64) -> ServerHandle {
    let chain = Chain::new(ChainConfig {
        chain_id,
        ..ChainConfig::default()
    });
    serve_with(
        Arc::new(Mutex::new(chain)),
        "127.0.0.1:0".parse().expect("addr"),
        ServeOptions::default(),
    )
    .await
    .expect("bind")
}

async fn configure(server: &ServerHandle, endpoint: Address, dst_eid: u32) {
    if standin() {
        return;
    }
    let ep = ITestEndpoint::new(endpoint, wallet(server, DEPLOYER));
    let fee = U256::from(FEE);
    let rc = ep
        .setDstConfig(dst_eid, addr(EXECUTOR), fee)
        .send()
        .await
        .expect("setDstConfig")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(rc.status(), "setDstConfig succeeded");
    for v in [V1, V2] {
        let rc = ep
            .setVerifierFee(dst_eid, addr(v), fee)
            .send()
            .await
            .expect("setVerifierFee")
            .get_receipt()
            .await
            .expect("receipt");
        assert!(rc.status(), "setVerifierFee succeeded");
    }
}

async fn receiver(server: &ServerHandle, d: Deployed, src_eid: u32) -> Address {
    let args = (d.inbox, d.config, src_eid, vec![addr(V1), addr(V2)]).abi_encode_params();
    deploy_sol(
        &wallet(server, DEPLOYER),
        solc("CountingReceiver.sol", "CountingReceiver"),
        &args,
    )
    .await
}

impl Net {
    /// Starts both chains and deploys everything.
    pub async fn start() -> Self {
        init_logs();
        let sa = start_chain(CHAIN_A).await;
        let sb = start_chain(CHAIN_B).await;
        let da = deploy_endpoint(&wallet(&sa, DEPLOYER), EID_A).await;
        let db = deploy_endpoint(&wallet(&sb, DEPLOYER), EID_B).await;
        configure(&sa, da.endpoint, EID_B).await;
        configure(&sb, db.endpoint, EID_A).await;
        let ra = receiver(&sa, da, EID_B).await;
        let rb = receiver(&sb, db, EID_A).await;
        Self {
            a: Side {
                server: sa,
                endpoint: da.endpoint,
                inbox: da.inbox,
                eid: EID_A,
                receiver: ra,
            },
            b: Side {
                server: sb,
                endpoint: db.endpoint,
                inbox: db.inbox,
                eid: EID_B,
                receiver: rb,
            },
        }
    }

    /// Route A → B.
    pub fn route_ab(&self) -> Route {
        Route {
            source_rpc: self.a.server.url(),
            source_endpoint: self.a.endpoint,
            dest_rpc: self.b.server.url(),
            dest_endpoint: self.b.inbox,
        }
    }

    /// Route B → A.
    pub fn route_ba(&self) -> Route {
        Route {
            source_rpc: self.b.server.url(),
            source_endpoint: self.b.endpoint,
            dest_rpc: self.a.server.url(),
            dest_endpoint: self.a.inbox,
        }
    }

    /// A relayer configuration for A → B (and back with `both`) with the given verifier keys
    /// and the executor (or none), fast polling and short backoff.
    pub fn config(&self, state: &Path, verifiers: &[usize], executor: bool, both: bool) -> Config {
        let mut routes = vec![self.route_ab()];
        if both {
            routes.push(self.route_ba());
        }
        let mut c = Config::new(routes, state.to_path_buf());
        c.verifier_keys = verifiers.iter().map(|&i| key(i)).collect();
        c.executor_key = executor.then(|| key(EXECUTOR));
        c.poll_interval = Duration::from_millis(50);
        c.retry_base = Duration::from_millis(200);
        c.retry_max = Duration::from_millis(800);
        c.tx_timeout = Duration::from_secs(60);
        c
    }
}

/// Sends `message` from the deployer on `from` to `to`'s receiver; returns the GUID.
pub async fn send_message(from: &Side, to: &Side, message: &[u8]) -> B256 {
    let ep = ITestEndpoint::new(from.endpoint, from.deployer());
    let fee = ep
        .quote(to.eid, to.receiver, message.to_vec().into())
        .call()
        .await
        .expect("quote");
    let rc = ep
        .send(to.eid, to.receiver, message.to_vec().into(), addr(DEPLOYER))
        .value(fee)
        .send()
        .await
        .expect("send accepted")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(rc.status(), "send succeeded");
    rc.inner
        .logs()
        .iter()
        .find_map(|l| ITestEndpoint::PacketSent::decode_log_data(l.data()).ok())
        .map(|e| e.guid)
        .expect("PacketSent")
}

/// Polls `check` every 20 ms until it is true or `timeout` passes; returns whether it held.
pub async fn wait_until<F, Fut>(timeout: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return true;
        }
        if start.elapsed() > timeout {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A relayer running as a background task.
pub type Task = tokio::task::JoinHandle<anyhow::Result<relayer::Summary>>;

/// One `--once` pass of `config`.
pub async fn once(config: &Config) -> relayer::Summary {
    let mut c = config.clone();
    c.once = true;
    relayer::Relayer::new(c)
        .await
        .expect("relayer connects")
        .run(std::future::pending())
        .await
        .expect("pass succeeded")
}

/// Starts `config` as a background task; returns the task and its shutdown trigger.
pub async fn spawn(config: Config) -> (Task, tokio::sync::oneshot::Sender<()>) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let relayer = relayer::Relayer::new(config)
        .await
        .expect("relayer connects");
    let task = tokio::spawn(relayer.run(async move {
        let _ = rx.await;
    }));
    (task, tx)
}

/// Asks the task to stop and returns its summary.
pub async fn stop(task: Task, trigger: tokio::sync::oneshot::Sender<()>) -> relayer::Summary {
    let _ = trigger.send(());
    tokio::time::timeout(Duration::from_secs(30), task)
        .await
        .expect("stops within 30 s")
        .expect("task not panicked")
        .expect("run succeeded")
}

/// Waits (up to 60 s: a relayer binary starting in debug mode may take a while) until the
/// state file at `path` records `guid` as delivered.
pub async fn wait_recorded(path: &Path, guid: B256) -> bool {
    wait_until(Duration::from_secs(60), || async {
        relayer::state::State::load(path)
            .ok()
            .and_then(|s| {
                s.routes
                    .values()
                    .find_map(|r| r.packets.get(&guid).map(|p| p.delivered))
            })
            .unwrap_or(false)
    })
    .await
}
