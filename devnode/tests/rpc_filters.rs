//! Batches and polling filters over RPC.

mod rpc_support;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, Log, TransactionRequest};
use devnode::rpc::ServeOptions;
use rpc_support::*;
use serde_json::{json, Value};
use std::time::Duration;

fn word(n: u64) -> B256 {
    B256::from(U256::from(n))
}

async fn emit(p: &alloy::providers::DynProvider, contract: Address, topic: u64) -> B256 {
    let tx = TransactionRequest::default()
        .from(dev(0))
        .to(contract)
        .input(word(topic).to_vec().into());
    let receipt = p
        .send_transaction(tx)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status());
    receipt.transaction_hash
}

#[tokio::test]
async fn batch_in_array_out() {
    let server = start().await;
    let body = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"},
        {"jsonrpc": "2.0", "id": "two", "method": "eth_blockNumber", "params": []},
        {"jsonrpc": "2.0", "id": 3, "method": "no_such_method"},
        {"jsonrpc": "2.0", "method": "eth_chainId"},
        {"jsonrpc": "2.0", "id": 4, "method": "eth_getBalance", "params": [dev(0), "latest"]}
    ]);
    let (status, text) = raw_post(&server, &body.to_string()).await;
    assert_eq!(status, 200);
    let resp: Vec<Value> = serde_json::from_str(&text).expect("array response");
    assert_eq!(resp.len(), 4, "the notification gets no answer");
    let by_id = |id: Value| {
        resp.iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no response for {id}"))
    };
    assert_eq!(by_id(json!(1))["result"], json!("0x64aba"));
    assert_eq!(by_id(json!("two"))["result"], json!("0x0"));
    assert_eq!(error_code(&by_id(json!(3))), -32601);
    assert!(by_id(json!(4))["result"].is_string());

    // Only notifications: nothing to answer.
    let (status, text) = raw_post(&server, r#"[{"jsonrpc":"2.0","method":"eth_chainId"}]"#).await;
    assert!(
        status == 204 || (status == 200 && text.is_empty()),
        "{status} {text}"
    );

    // alloy's batch client.
    let client = alloy::rpc::client::RpcClient::new_http(server.url().parse().expect("url"));
    let mut batch = client.new_batch();
    let chain_id = batch
        .add_call::<_, alloy::primitives::U64>("eth_chainId", &())
        .expect("add call");
    let accounts = batch
        .add_call::<_, Vec<Address>>("eth_accounts", &())
        .expect("add call");
    batch.send().await.expect("send batch");
    assert_eq!(chain_id.await.expect("chain id").to::<u64>(), CHAIN_ID);
    assert_eq!(accounts.await.expect("accounts").len(), 10);
}

#[tokio::test]
async fn log_filter_reports_new_logs_once() {
    let server = start().await;
    let p = dev_provider(&server);
    let emitter = deploy(&p, STORE_AND_LOG).await;
    let before = emit(&p, emitter, 1).await;

    let filter = Filter::new().address(emitter);
    let id = p.new_filter(&filter).await.expect("newFilter");
    let nothing: Vec<Log> = p.get_filter_changes(id).await.expect("changes");
    assert!(
        nothing.is_empty(),
        "logs mined before the filter are not changes"
    );

    let a = emit(&p, emitter, 2).await;
    let b = emit(&p, emitter, 3).await;
    let changes: Vec<Log> = p.get_filter_changes(id).await.expect("changes");
    let hashes: Vec<_> = changes.iter().filter_map(|l| l.transaction_hash).collect();
    assert_eq!(hashes, vec![a, b]);
    let again: Vec<Log> = p.get_filter_changes(id).await.expect("changes");
    assert!(again.is_empty(), "changes are reported once");

    // Topic filtering.
    let only3 = p
        .new_filter(&Filter::new().address(emitter).event_signature(word(3)))
        .await
        .expect("newFilter");
    emit(&p, emitter, 4).await;
    emit(&p, emitter, 3).await;
    let changes: Vec<Log> = p.get_filter_changes(only3).await.expect("changes");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].topics(), &[word(3)]);

    // eth_getFilterLogs: the whole range of the filter's criteria.
    let all = p
        .new_filter(&Filter::new().address(emitter).from_block(0u64))
        .await
        .expect("newFilter");
    let logs = p.get_filter_logs(all).await.expect("filter logs");
    assert_eq!(logs.len(), 5);
    assert_eq!(logs[0].transaction_hash, Some(before));

    assert!(p.uninstall_filter(id).await.expect("uninstall"));
    assert!(!p.uninstall_filter(id).await.expect("uninstall twice"));
    let resp = rpc(&server, "eth_getFilterChanges", json!([id])).await;
    assert_eq!(error_code(&resp), -32000);
    assert!(error_message(&resp).contains("filter not found"));
}

#[tokio::test]
async fn block_filter_reports_block_hashes() {
    let server = start().await;
    let p = dev_provider(&server);
    let id = p.new_block_filter().await.expect("newBlockFilter");
    let raw = signed_transfer(0, 0, Address::repeat_byte(9), U256::from(1u64), CHAIN_ID);
    let receipt = p
        .send_raw_transaction(&raw)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    let mined = rpc(&server, "evm_mine", json!([])).await;
    assert_eq!(mined["result"], json!("0x0"));
    let hashes: Vec<B256> = p.get_filter_changes(id).await.expect("changes");
    assert_eq!(hashes.len(), 2);
    assert_eq!(Some(hashes[0]), receipt.block_hash);
    let latest = p
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(hashes[1], latest.header.hash);
    let none: Vec<B256> = p.get_filter_changes(id).await.expect("changes");
    assert!(none.is_empty());
}

#[tokio::test]
async fn filters_expire_when_not_polled() {
    let server = start_with(ServeOptions {
        filter_ttl: Duration::from_millis(1_000),
        ..ServeOptions::default()
    })
    .await;
    let p = dev_provider(&server);
    let polled = p.new_block_filter().await.expect("filter");
    let idle = p.new_block_filter().await.expect("filter");
    // Polls 200 ms apart for 1.6 s: the idle filter outlives its 1 s TTL while the polled one
    // stays alive even if a loaded machine delays a poll by most of a second.
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let _: Vec<B256> = p
            .get_filter_changes(polled)
            .await
            .expect("kept alive by polling");
    }
    let resp = rpc(&server, "eth_getFilterChanges", json!([idle])).await;
    assert_eq!(error_code(&resp), -32000, "idle filter expired: {resp}");
}
