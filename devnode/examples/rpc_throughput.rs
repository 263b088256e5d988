//! Node throughput over JSON-RPC (figures printed, not asserted).
//!
//! Starts an in-process node on an ephemeral port and measures, through alloy's HTTP provider:
//! plain ETH transfers per second (pre-signed `eth_sendRawTransaction`, automine: one block
//! per transaction), Stylus read calls per second (`eth_call` of the LRT token's `balanceOf`)
//! and Stylus transactions per second (LRT `transfer`). Each is measured with one client and
//! with several concurrent clients.
//!
//! ```text
//! cargo xtask wasm   # builds target/stylus/lrt-token.wasm
//! cargo run -p devnode --profile host --example rpc_throughput -- [COUNT] [CLIENTS]
//! ```

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::network::TxSignerSync;
use alloy::primitives::{keccak256, Address, Bytes, TxKind, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolCall, SolValue};
use anyhow::{ensure, Context, Result};
use devnode::accounts::DEV_PRIVATE_KEYS;
use devnode::{Chain, ChainConfig};
use std::time::Instant;

sol! {
    function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
    function grantRole(bytes32 role, address account) external;
    function mint(address to, uint256 value) external;
    function transfer(address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

const CHAIN_ID: u64 = devnode::chain::DEFAULT_CHAIN_ID;

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args
        .next()
        .map_or(Ok(2000), |a| a.parse())
        .context("COUNT")?;
    let clients: usize = args
        .next()
        .map_or(Ok(4), |a| a.parse())
        .context("CLIENTS")?;
    ensure!(
        (1..=DEV_PRIVATE_KEYS.len()).contains(&clients),
        "CLIENTS must be 1..=10"
    );
    let server = devnode::rpc::serve(Chain::new(ChainConfig::default()), "127.0.0.1:0".parse()?)
        .await
        .context("start node")?;
    let url: alloy::transports::http::reqwest::Url = server.url().parse()?;
    let provider = || ProviderBuilder::new().connect_http(url.clone()).erased();
    let p = provider();
    let mut nonces = [0u64; 10];
    println!("devnode JSON-RPC throughput ({count} operations per figure, {clients} concurrent clients where noted)");

    // Plain transfers.
    let to = Address::repeat_byte(0x77);
    let one = sign_batch(
        &mut nonces,
        &[0],
        count,
        to,
        U256::from(1u64),
        Bytes::new(),
        21_000,
    );
    report(
        "plain transfers/s, 1 client",
        count,
        send_all(std::slice::from_ref(&p), one).await?,
    );
    let keys: Vec<usize> = (0..clients).collect();
    let many = sign_batch(
        &mut nonces,
        &keys,
        count,
        to,
        U256::from(1u64),
        Bytes::new(),
        21_000,
    );
    let ps: Vec<DynProvider> = (0..clients).map(|_| provider()).collect();
    report(
        &format!("plain transfers/s, {clients} clients"),
        count,
        send_all(&ps, many).await?,
    );

    // The LRT token.
    let token = deploy_lrt(&p).await?;
    let role = keccak256("MINTER_ROLE");
    let admin = signer(0).address();
    send_and_check(
        &p,
        admin,
        token,
        grantRoleCall {
            role,
            account: admin,
        }
        .abi_encode(),
    )
    .await?;
    for k in 0..clients {
        let to = signer(k).address();
        let mint = mintCall {
            to,
            value: U256::from(u64::MAX),
        }
        .abi_encode();
        send_and_check(&p, admin, token, mint).await?;
    }
    nonces[0] = p.get_transaction_count(admin).await?;

    let read = TransactionRequest::default()
        .to(token)
        .input(Bytes::from(balanceOfCall { account: admin }.abi_encode()).into());
    p.call(read.clone()).await?; // warm-up: the first call instantiates the program
    let start = Instant::now();
    for _ in 0..count {
        let out = p.call(read.clone()).await?;
        ensure!(out.len() == 32, "balanceOf returns a word");
    }
    report(
        "Stylus eth_call balanceOf/s, 1 client",
        count,
        start.elapsed().as_secs_f64(),
    );
    let start = Instant::now();
    let per = count / clients as u64;
    let tasks: Vec<_> = ps
        .iter()
        .map(|p| {
            let (p, read) = (p.clone(), read.clone());
            tokio::spawn(async move {
                for _ in 0..per {
                    p.call(read.clone()).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    report(
        &format!("Stylus eth_call balanceOf/s, {clients} clients"),
        per * clients as u64,
        start.elapsed().as_secs_f64(),
    );

    let transfer = Bytes::from(
        transferCall {
            to,
            value: U256::from(1u64),
        }
        .abi_encode(),
    );
    let one = sign_batch(
        &mut nonces,
        &[0],
        count,
        token,
        U256::ZERO,
        transfer.clone(),
        300_000,
    );
    report(
        "Stylus transfer txs/s, 1 client",
        count,
        send_all(std::slice::from_ref(&p), one).await?,
    );
    let many = sign_batch(
        &mut nonces,
        &keys,
        count,
        token,
        U256::ZERO,
        transfer,
        300_000,
    );
    report(
        &format!("Stylus transfer txs/s, {clients} clients"),
        count,
        send_all(&ps, many).await?,
    );
    let last = p.get_block_number().await?;
    let block = p
        .get_block_by_number(last.into())
        .await?
        .context("latest block")?;
    let hash = block
        .transactions
        .hashes()
        .next()
        .context("a transaction")?;
    let receipt = p.get_transaction_receipt(hash).await?.context("receipt")?;
    ensure!(receipt.status(), "the last transfer succeeded");
    println!("  (gas per LRT transfer: {})", receipt.gas_used);
    server.shutdown().await;
    Ok(())
}

fn signer(i: usize) -> PrivateKeySigner {
    // SAFETY: the dev keys are valid scalars (tested in devnode::accounts).
    #[allow(clippy::expect_used)]
    PrivateKeySigner::from_bytes(&DEV_PRIVATE_KEYS[i]).expect("dev key")
}

/// `count` signed transactions spread round-robin over `keys` (one list per key).
fn sign_batch(
    nonces: &mut [u64; 10],
    keys: &[usize],
    count: u64,
    to: Address,
    value: U256,
    input: Bytes,
    gas_limit: u64,
) -> Vec<Vec<Bytes>> {
    let mut out = vec![Vec::new(); keys.len()];
    for i in 0..count {
        let slot = usize::try_from(i).unwrap_or(0) % keys.len();
        let k = keys[slot];
        let mut tx = TxEip1559 {
            chain_id: CHAIN_ID,
            nonce: nonces[k],
            gas_limit,
            max_fee_per_gas: 1_000_000_000,
            max_priority_fee_per_gas: 0,
            to: TxKind::Call(to),
            value,
            input: input.clone(),
            ..TxEip1559::default()
        };
        nonces[k] += 1;
        // SAFETY: signing with a valid key does not fail.
        #[allow(clippy::expect_used)]
        let sig = signer(k).sign_transaction_sync(&mut tx).expect("sign");
        out[slot].push(TxEnvelope::from(tx.into_signed(sig)).encoded_2718().into());
    }
    out
}

/// Sends each list on its own client concurrently; returns the wall time in seconds.
async fn send_all(providers: &[DynProvider], lists: Vec<Vec<Bytes>>) -> Result<f64> {
    let start = Instant::now();
    let tasks: Vec<_> = providers
        .iter()
        .zip(lists)
        .map(|(p, list)| {
            let p = p.clone();
            tokio::spawn(async move {
                for raw in list {
                    let _pending = p.send_raw_transaction(&raw).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    Ok(start.elapsed().as_secs_f64())
}

async fn send_and_check(p: &DynProvider, from: Address, to: Address, data: Vec<u8>) -> Result<()> {
    let tx = TransactionRequest::default()
        .from(from)
        .to(to)
        .input(Bytes::from(data).into());
    let receipt = p.send_transaction(tx).await?.get_receipt().await?;
    ensure!(receipt.status(), "transaction to {to} failed");
    Ok(())
}

async fn deploy_lrt(p: &DynProvider) -> Result<Address> {
    let path = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into())
        .join("stylus/lrt-token.wasm");
    let wasm = std::fs::read(&path)
        .with_context(|| format!("{}: run `cargo xtask wasm` first", path.display()))?;
    let code = stylus_runtime::code::encode(&wasm);
    let [hi, lo] = u16::try_from(code.len())?.to_be_bytes();
    let mut init = vec![0x61, hi, lo, 0x80, 0x60, 12, 0x60, 0, 0x39, 0x60, 0, 0xf3];
    init.extend_from_slice(&code);
    let admin = signer(0).address();
    let mut ctor = keccak256(b"stylus_constructor()")[..4].to_vec();
    ctor.extend(("Restaked ETH".to_owned(), "rsETH".to_owned(), admin).abi_encode_params());
    let data = deployCall {
        bytecode: init.into(),
        initData: ctor.into(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let tx = TransactionRequest::default()
        .from(admin)
        .to(devnode::chain::STYLUS_DEPLOYER)
        .value(U256::from(10u64).pow(U256::from(18u64)))
        .input(Bytes::from(data).into());
    let receipt = p.send_transaction(tx).await?.get_receipt().await?;
    ensure!(receipt.status(), "LRT deployment failed");
    let log = receipt
        .inner
        .logs()
        .last()
        .context("ContractDeployed log")?;
    Ok(Address::from_slice(&log.data().data[12..32]))
}

/// Prints `label: ops/s`.
fn report(label: &str, ops: u64, secs: f64) {
    // Printing a rate needs a division of floats; the figure is only displayed.
    #[allow(clippy::float_arithmetic, clippy::cast_precision_loss)]
    let rate = ops as f64 / secs;
    println!("  {label:<42} {rate:>9.0}   ({ops} in {secs:.2} s)");
}
