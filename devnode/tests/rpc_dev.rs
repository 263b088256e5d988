//! Dev methods over RPC: snapshots, mining, time travel, balances, interval mining.

mod rpc_support;

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::{Address, U256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider};
use devnode::rpc::ServeOptions;
use rpc_support::*;
use serde_json::json;
use std::time::Duration;

async fn latest_timestamp(p: &DynProvider) -> u64 {
    p.get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .expect("latest block")
        .expect("exists")
        .header
        .timestamp
}

async fn transfer(p: &DynProvider, nonce: u64, to: Address, wei: u64) {
    let raw = signed_transfer(0, nonce, to, U256::from(wei), CHAIN_ID);
    let receipt = p
        .send_raw_transaction(&raw)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status());
}

#[tokio::test]
async fn snapshot_and_revert() {
    let server = start().await;
    let p = dev_provider(&server);
    let to = Address::repeat_byte(0x10);
    transfer(&p, 0, to, 5).await;
    let snap = p.anvil_snapshot().await.expect("evm_snapshot");
    transfer(&p, 1, to, 7).await;
    transfer(&p, 2, to, 11).await;
    assert_eq!(p.get_balance(to).await.expect("balance"), U256::from(23u64));
    assert_eq!(p.get_block_number().await.expect("number"), 3);

    assert!(p.anvil_revert(snap).await.expect("evm_revert"));
    assert_eq!(p.get_balance(to).await.expect("balance"), U256::from(5u64));
    assert_eq!(p.get_block_number().await.expect("number"), 1);
    assert_eq!(p.get_transaction_count(dev(0)).await.expect("nonce"), 1);
    // A snapshot is consumed by reverting to it; unknown ids answer false.
    assert!(!p.anvil_revert(snap).await.expect("evm_revert twice"));
    assert!(!p
        .anvil_revert(U256::from(999u64))
        .await
        .expect("unknown id"));
    // The chain goes on from the restored state.
    transfer(&p, 1, to, 1).await;
    assert_eq!(p.get_balance(to).await.expect("balance"), U256::from(6u64));
}

#[tokio::test]
async fn mining_and_time_travel() {
    let server = start().await;
    let p = dev_provider(&server);
    let t0 = latest_timestamp(&p).await;

    p.evm_mine(None).await.expect("evm_mine");
    assert_eq!(p.get_block_number().await.expect("number"), 1);

    let offset = p.anvil_increase_time(3600).await.expect("evm_increaseTime");
    assert!(offset >= 3600, "total offset {offset}");
    p.evm_mine(None).await.expect("evm_mine");
    let t1 = latest_timestamp(&p).await;
    assert!(
        t1 >= t0 + 3600,
        "time moved forward by an hour: {t0} -> {t1}"
    );

    let target = t1 + 86_400;
    p.anvil_set_next_block_timestamp(target)
        .await
        .expect("setNextBlockTimestamp");
    transfer(&p, 0, Address::repeat_byte(1), 1).await;
    assert_eq!(
        latest_timestamp(&p).await,
        target,
        "next block has the exact timestamp"
    );

    // A timestamp in the past is refused and nothing changes.
    let resp = rpc(&server, "evm_setNextBlockTimestamp", json!([t0])).await;
    assert!(resp["error"].is_object(), "{resp}");

    // evm_mine with a timestamp, and anvil_mine with several blocks.
    let ts = target + 100;
    let resp = rpc(&server, "evm_mine", json!([ts])).await;
    assert_eq!(resp["result"], json!("0x0"));
    assert_eq!(latest_timestamp(&p).await, ts);
    let before = p.get_block_number().await.expect("number");
    p.anvil_mine(Some(5), None).await.expect("anvil_mine");
    assert_eq!(p.get_block_number().await.expect("number"), before + 5);
    let resp = rpc(&server, "evm_mine", json!([{"blocks": 2}])).await;
    assert_eq!(resp["result"], json!("0x0"));
    assert_eq!(p.get_block_number().await.expect("number"), before + 7);

    // Hardhat spells the amount as a JSON number.
    let resp = rpc(&server, "evm_increaseTime", json!([60])).await;
    assert!(
        resp["result"].as_u64().unwrap_or_default() >= 3660,
        "{resp}"
    );
}

#[tokio::test]
async fn set_balance_and_alias() {
    let server = start().await;
    let p = dev_provider(&server);
    let who = Address::repeat_byte(0xab);
    p.anvil_set_balance(who, U256::from(123u64))
        .await
        .expect("anvil_setBalance");
    assert_eq!(
        p.get_balance(who).await.expect("balance"),
        U256::from(123u64)
    );
    let resp = rpc(&server, "hardhat_setBalance", json!([who, "0x10"])).await;
    assert!(resp.get("error").is_none(), "{resp}");
    assert_eq!(
        p.get_balance(who).await.expect("balance"),
        U256::from(16u64)
    );
}

#[tokio::test]
async fn interval_mining_with_block_time() {
    let server = start_with(ServeOptions {
        block_time: Some(Duration::from_secs(3)),
        ..ServeOptions::default()
    })
    .await;
    let p = dev_provider(&server);
    let raw = signed_transfer(0, 0, Address::repeat_byte(5), U256::from(1u64), CHAIN_ID);
    let hash = *p.send_raw_transaction(&raw).await.expect("send").tx_hash();
    // Not mined on arrival (the first tick is three seconds after start)...
    assert!(p
        .get_transaction_receipt(hash)
        .await
        .expect("receipt")
        .is_none());
    // ...but by the timer.
    let mut receipt = None;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        receipt = p.get_transaction_receipt(hash).await.expect("receipt");
        if receipt.is_some() {
            break;
        }
    }
    let receipt = receipt.expect("mined by the interval miner");
    assert!(receipt.status());
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    let n = p.get_block_number().await.expect("number");
    assert!(n >= 2, "empty blocks keep coming: {n}");
    let mining = rpc(&server, "eth_mining", json!([])).await;
    assert_eq!(mining["result"], json!(true));
    server.shutdown().await;
}
