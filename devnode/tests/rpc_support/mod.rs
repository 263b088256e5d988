//! Shared helpers of the RPC integration tests: an in-process node on an ephemeral port,
//! alloy providers, a raw HTTP client for malformed requests, and tiny hand-assembled EVM
//! contracts.

#![allow(dead_code)]

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::network::{EthereumWallet, TransactionBuilder, TxSignerSync};
use alloy::primitives::{Address, Bytes, TxKind, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use devnode::accounts::DEV_PRIVATE_KEYS;
use devnode::rpc::{serve_with, ServeOptions, ServerHandle};
use devnode::{Chain, ChainConfig};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Chain id used by the tests (the default).
pub const CHAIN_ID: u64 = 412_346;

/// A node on 127.0.0.1:0 with default options.
pub async fn start() -> ServerHandle {
    start_with(ServeOptions::default()).await
}

/// A node on 127.0.0.1:0.
pub async fn start_with(options: ServeOptions) -> ServerHandle {
    let chain = Chain::new(ChainConfig::default());
    let addr = "127.0.0.1:0".parse().expect("socket address");
    serve_with(Arc::new(Mutex::new(chain)), addr, options)
        .await
        .expect("bind an ephemeral port")
}

/// A provider without a wallet: transactions go out as `eth_sendTransaction` (dev accounts).
pub fn dev_provider(server: &ServerHandle) -> DynProvider {
    ProviderBuilder::new()
        .connect_http(server.url().parse().expect("url"))
        .erased()
}

/// A provider signing locally with dev key `index`: transactions go out as
/// `eth_sendRawTransaction`.
pub fn wallet_provider(server: &ServerHandle, index: usize) -> DynProvider {
    ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer(index)))
        .connect_http(server.url().parse().expect("url"))
        .erased()
}

/// Dev key `index` as a signer.
pub fn signer(index: usize) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&DEV_PRIVATE_KEYS[index]).expect("dev key")
}

/// Address of dev account `index`.
pub fn dev(index: usize) -> Address {
    signer(index).address()
}

/// POSTs `body` over a fresh HTTP/1.1 connection; returns status and body.
pub async fn raw_post(server: &ServerHandle, body: &str) -> (u16, String) {
    raw_http(server, "POST", body).await
}

/// Sends one HTTP request with method `verb`.
pub async fn raw_http(server: &ServerHandle, verb: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.local_addr())
        .await
        .expect("connect");
    let req = format!(
        "{verb} / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.expect("read");
    let text = String::from_utf8(out).expect("utf-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("http response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    (status, body.to_owned())
}

/// One JSON-RPC call over raw HTTP; returns the whole response object.
pub async fn rpc(server: &ServerHandle, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (status, text) = raw_post(server, &body.to_string()).await;
    assert_eq!(status, 200, "{method}: {text}");
    serde_json::from_str(&text).expect("json response")
}

/// The error code of a response object (panics if it is a success).
pub fn error_code(resp: &Value) -> i64 {
    resp["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("expected an error, got {resp}"))
}

/// The error message of a response object.
pub fn error_message(resp: &Value) -> String {
    resp["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Init code that deploys `runtime` (under 64 KiB): CODECOPY + RETURN.
pub fn deploy_code(runtime: &[u8]) -> Bytes {
    let [hi, lo] = u16::try_from(runtime.len())
        .expect("runtime under 64 KiB")
        .to_be_bytes();
    // PUSH2 len DUP1 PUSH1 12 PUSH1 0 CODECOPY PUSH1 0 RETURN, then the runtime at offset 12.
    let mut code = vec![0x61, hi, lo, 0x80, 0x60, 12, 0x60, 0, 0x39, 0x60, 0, 0xf3];
    code.extend_from_slice(runtime);
    code.into()
}

/// The module of contract crate `name` built by `cargo xtask wasm` (`<target>/stylus/`).
///
/// # Panics
/// When it is missing, naming the command that builds it.
pub fn contract_wasm(name: &str) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("DEVNODE_WASM_DIR") {
        dirs.push(std::path::PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        dirs.push(root.join(dir).join("stylus"));
    }
    dirs.push(root.join("target/stylus"));
    dirs.iter()
        .find_map(|d| std::fs::read(d.join(format!("{name}.wasm"))).ok())
        .unwrap_or_else(|| {
            panic!("{name}.wasm not found in {dirs:?}: run `cargo xtask wasm` first")
        })
}

/// Runtime that reverts with its calldata as revert data (used to produce any custom error).
pub const ECHO_REVERT: &[u8] = &[
    0x36, 0x60, 0x00, 0x60, 0x00, 0x37, // CALLDATACOPY(0, 0, CALLDATASIZE)
    0x36, 0x60, 0x00, 0xfd, // REVERT(0, CALLDATASIZE)
];

/// Runtime that stores calldata word 0 in slot 0 and emits LOG1 with it as the topic.
pub const STORE_AND_LOG: &[u8] = &[
    0x60, 0x00, 0x35, 0x60, 0x00, 0x55, // SSTORE(0, CALLDATALOAD(0))
    0x60, 0x00, 0x35, 0x60, 0x00, 0x60, 0x00, 0xa1, // LOG1(0, 0, CALLDATALOAD(0))
    0x00, // STOP
];

/// Runtime that returns its calldata.
pub const ECHO_RETURN: &[u8] = &[
    0x36, 0x60, 0x00, 0x60, 0x00, 0x37, // CALLDATACOPY(0, 0, CALLDATASIZE)
    0x36, 0x60, 0x00, 0xf3, // RETURN(0, CALLDATASIZE)
];

/// Deploys `runtime` from dev account 0 through `eth_sendTransaction`; returns its address.
pub async fn deploy(provider: &DynProvider, runtime: &[u8]) -> Address {
    let tx = TransactionRequest::default()
        .from(dev(0))
        .with_deploy_code(deploy_code(runtime));
    let receipt = provider
        .send_transaction(tx)
        .await
        .expect("send deployment")
        .get_receipt()
        .await
        .expect("deployment receipt");
    assert!(receipt.status(), "deployment succeeded");
    receipt.contract_address.expect("contract address")
}

/// A signed EIP-1559 transfer from dev key `from`, encoded for `eth_sendRawTransaction`.
pub fn signed_transfer(from: usize, nonce: u64, to: Address, value: U256, chain_id: u64) -> Bytes {
    let mut tx = TxEip1559 {
        chain_id,
        nonce,
        gas_limit: 21_000,
        max_fee_per_gas: 1_000_000_000,
        max_priority_fee_per_gas: 0,
        to: TxKind::Call(to),
        value,
        ..TxEip1559::default()
    };
    let sig = signer(from).sign_transaction_sync(&mut tx).expect("sign");
    TxEnvelope::from(tx.into_signed(sig)).encoded_2718().into()
}

/// Hash of a 2718-encoded transaction.
pub fn tx_hash(raw: &[u8]) -> B256 {
    alloy::primitives::keccak256(raw)
}
