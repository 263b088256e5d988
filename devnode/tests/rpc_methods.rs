//! RPC conformance: each `eth_*`, `net_*`, `web3_*` method through an alloy provider against
//! an in-process node.

mod rpc_support;

use alloy::consensus::{SignableTransaction, TxEip2930, TxEnvelope, TxLegacy};
use alloy::eips::eip2718::Encodable2718;
use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::network::TxSignerSync;
use alloy::primitives::{keccak256, Address, Bytes, TxKind, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::state::{AccountOverride, StateOverride};
use alloy::rpc::types::{Filter, TransactionRequest};
use rpc_support::*;
use serde_json::json;

fn word(n: u64) -> B256 {
    B256::from(U256::from(n))
}

#[tokio::test]
async fn identity_methods() {
    let server = start().await;
    let p = dev_provider(&server);
    assert_eq!(p.get_chain_id().await.expect("chainId"), CHAIN_ID);
    assert_eq!(p.get_net_version().await.expect("net_version"), CHAIN_ID);
    let version = p.get_client_version().await.expect("clientVersion");
    assert!(version.starts_with("devnode/v"), "{version}");
    let accounts = p.get_accounts().await.expect("accounts");
    assert_eq!(accounts.len(), 10);
    assert_eq!(accounts[0], dev(0));
    assert_eq!(accounts[9], dev(9));
    let syncing = rpc(&server, "eth_syncing", json!([])).await;
    assert_eq!(syncing["result"], json!(false));
    let sha = rpc(&server, "web3_sha3", json!(["0x68656c6c6f"])).await;
    assert_eq!(sha["result"], json!(keccak256(b"hello")));
}

#[tokio::test]
async fn balances_nonces_and_fees() {
    let server = start().await;
    let p = dev_provider(&server);
    let ten_thousand_eth = U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18u64));
    assert_eq!(
        p.get_balance(dev(3)).await.expect("balance"),
        ten_thousand_eth
    );
    assert_eq!(
        p.get_balance(Address::repeat_byte(0x99))
            .await
            .expect("balance"),
        U256::ZERO
    );
    assert_eq!(p.get_transaction_count(dev(0)).await.expect("nonce"), 0);
    let pending = p
        .get_transaction_count(dev(0))
        .block_id(BlockId::pending())
        .await
        .expect("pending nonce");
    assert_eq!(pending, 0);
    let gas_price = p.get_gas_price().await.expect("gasPrice");
    assert!(gas_price > 0);
    let tip = p.get_max_priority_fee_per_gas().await.expect("tip");
    assert!(tip <= gas_price);
    let history = p
        .get_fee_history(1, BlockNumberOrTag::Latest, &[50.0])
        .await
        .expect("feeHistory");
    assert!(!history.base_fee_per_gas.is_empty());
    let block = p.get_block_number().await.expect("blockNumber");
    assert_eq!(block, 0, "fresh chain is at genesis");
}

#[tokio::test]
async fn raw_transactions_of_each_type_are_mined() {
    let server = start().await;
    let p = dev_provider(&server);
    let to = Address::repeat_byte(0x42);
    let key = signer(1);
    let price = 1_000_000_000u128;

    let mut legacy = TxLegacy {
        chain_id: Some(CHAIN_ID),
        nonce: 0,
        gas_price: price,
        gas_limit: 21_000,
        to: TxKind::Call(to),
        value: U256::from(1u64),
        input: Bytes::new(),
    };
    let sig = key.sign_transaction_sync(&mut legacy).expect("sign legacy");
    let raw_legacy = TxEnvelope::from(legacy.into_signed(sig)).encoded_2718();

    let mut eip2930 = TxEip2930 {
        chain_id: CHAIN_ID,
        nonce: 1,
        gas_price: price,
        gas_limit: 21_000,
        to: TxKind::Call(to),
        value: U256::from(2u64),
        ..TxEip2930::default()
    };
    let sig = key.sign_transaction_sync(&mut eip2930).expect("sign 2930");
    let raw_2930 = TxEnvelope::from(eip2930.into_signed(sig)).encoded_2718();

    let raw_1559 = signed_transfer(1, 2, to, U256::from(3u64), CHAIN_ID);

    for (raw, ty) in [(raw_legacy, 0u8), (raw_2930, 1), (raw_1559.to_vec(), 2)] {
        let pending = p.send_raw_transaction(&raw).await.expect("send raw");
        assert_eq!(*pending.tx_hash(), tx_hash(&raw));
        let receipt = pending.get_receipt().await.expect("receipt");
        assert!(receipt.status());
        assert_eq!(receipt.gas_used, 21_000);
        assert_eq!(receipt.from, dev(1));
        assert_eq!(receipt.to, Some(to));
        let tx = p
            .get_transaction_by_hash(receipt.transaction_hash)
            .await
            .expect("tx by hash")
            .expect("tx exists");
        assert_eq!(u8::from(tx.inner.tx_type()), ty);
    }
    assert_eq!(p.get_balance(to).await.expect("balance"), U256::from(6u64));
    assert_eq!(p.get_transaction_count(dev(1)).await.expect("nonce"), 3);
    assert_eq!(
        p.get_block_number().await.expect("block number"),
        3,
        "automine: one block per tx"
    );
}

#[tokio::test]
async fn send_transaction_signs_for_dev_accounts_and_wallet_provider_works() {
    let server = start().await;
    let p = dev_provider(&server);
    let to = Address::repeat_byte(0x77);
    let tx = TransactionRequest::default()
        .from(dev(2))
        .to(to)
        .value(U256::from(1000u64));
    let receipt = p
        .send_transaction(tx)
        .await
        .expect("eth_sendTransaction")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status());
    assert_eq!(receipt.from, dev(2));

    // A locally signing provider (fills nonce, fees and chain id over RPC).
    let w = wallet_provider(&server, 4);
    let tx = TransactionRequest::default()
        .to(to)
        .value(U256::from(24u64));
    let receipt = w
        .send_transaction(tx)
        .await
        .expect("signed send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status());
    assert_eq!(
        p.get_balance(to).await.expect("balance"),
        U256::from(1024u64)
    );
}

#[tokio::test]
async fn blocks_by_number_and_hash() {
    let server = start().await;
    let p = dev_provider(&server);
    let raw = signed_transfer(0, 0, Address::repeat_byte(1), U256::from(1u64), CHAIN_ID);
    let receipt = p
        .send_raw_transaction(&raw)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    let number = receipt.block_number.expect("mined");
    let hash = receipt.block_hash.expect("mined");

    let by_number = p
        .get_block_by_number(BlockNumberOrTag::Number(number))
        .await
        .expect("block by number")
        .expect("exists");
    assert_eq!(by_number.header.hash, hash);
    assert_eq!(
        by_number.transactions.hashes().collect::<Vec<_>>(),
        vec![receipt.transaction_hash]
    );
    let full = p
        .get_block_by_hash(hash)
        .full()
        .await
        .expect("block by hash")
        .expect("exists");
    assert_eq!(full.header.number, number);
    let txs = full
        .transactions
        .as_transactions()
        .expect("full transactions");
    assert_eq!(txs.len(), 1);
    assert_eq!(txs[0].inner.tx_hash(), &receipt.transaction_hash);
    assert_eq!(
        p.get_block_transaction_count_by_number(BlockNumberOrTag::Number(number))
            .await
            .expect("count"),
        Some(1)
    );
    assert_eq!(
        p.get_block_transaction_count_by_hash(hash)
            .await
            .expect("count"),
        Some(1)
    );
    let by_index = p
        .get_transaction_by_block_number_and_index(BlockNumberOrTag::Number(number), 0)
        .await
        .expect("tx by index")
        .expect("exists");
    assert_eq!(by_index.inner.tx_hash(), &receipt.transaction_hash);
    let latest = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(latest.header.number, number);
    let genesis = p
        .get_block_by_number(BlockNumberOrTag::Earliest)
        .await
        .expect("earliest")
        .expect("exists");
    assert_eq!(genesis.header.number, 0);
    assert!(p
        .get_block_by_number(BlockNumberOrTag::Number(number + 100))
        .await
        .expect("future block")
        .is_none());
    assert!(p
        .get_block_by_hash(B256::repeat_byte(7))
        .await
        .expect("unknown")
        .is_none());
    assert!(p
        .get_transaction_receipt(B256::repeat_byte(7))
        .await
        .expect("unknown receipt")
        .is_none());
}

/// Runtime that rewrites slot 0 with the block time only when the time changed (the shape of
/// a rate-limit bucket's refill): cheaper within the second of its last write.
const STAMP_TIME: &[u8] = &[
    0x42, 0x60, 0x00, 0x54, 0x14, // EQ(TIMESTAMP, SLOAD(0))
    0x60, 0x0c, 0x57, // JUMPI to the end when equal
    0x42, 0x60, 0x00, 0x55, // SSTORE(0, TIMESTAMP)
    0x5b, 0x00, // JUMPDEST STOP
];

#[tokio::test]
async fn estimate_covers_a_transaction_mined_in_a_later_second() {
    let server = start().await;
    let p = dev_provider(&server);
    let stamp = deploy(&p, STAMP_TIME).await;
    let call = TransactionRequest::default().from(dev(0)).to(stamp);
    let first = p
        .send_transaction(call.clone())
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(first.status());
    let head = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .expect("latest")
        .expect("exists");
    let stamped = p.get_storage_at(stamp, U256::ZERO).await.expect("slot 0");
    assert_eq!(stamped, U256::from(head.header.timestamp));
    // Estimated now, in the head's second (where the call writes nothing)...
    let gas = p.estimate_gas(call.clone()).await.expect("estimate");
    // ...and mined in a later second, where it rewrites the slot: the estimate suffices.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let later = p
        .send_transaction(call.gas_limit(gas))
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(later.status(), "ran out of the estimated {gas} gas");
    // The slot was rewritten: the later transaction took the dearer path.
    let restamped = p.get_storage_at(stamp, U256::ZERO).await.expect("slot 0");
    assert!(restamped > stamped);
}

#[tokio::test]
async fn code_storage_call_estimate_and_logs() {
    let server = start().await;
    let p = dev_provider(&server);
    let store = deploy(&p, STORE_AND_LOG).await;
    assert_eq!(
        p.get_code_at(store).await.expect("code").as_ref(),
        STORE_AND_LOG
    );
    assert!(p.get_code_at(dev(0)).await.expect("no code").is_empty());

    let call = TransactionRequest::default()
        .from(dev(0))
        .to(store)
        .input(word(0xabcd).to_vec().into());
    let gas = p.estimate_gas(call.clone()).await.expect("estimate");
    assert!(
        gas > 21_000 + 20_000,
        "an SSTORE from zero is priced: {gas}"
    );
    let receipt = p
        .send_transaction(call)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status());
    assert!(receipt.gas_used <= gas);
    assert_eq!(
        p.get_storage_at(store, U256::ZERO).await.expect("slot 0"),
        U256::from(0xabcdu64)
    );
    let logs = receipt.inner.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].topics(), &[word(0xabcd)]);

    let filter = Filter::new().address(store).from_block(0u64);
    let found = p.get_logs(&filter).await.expect("getLogs");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].transaction_hash, Some(receipt.transaction_hash));
    let none = p
        .get_logs(
            &Filter::new()
                .address(store)
                .event_signature(word(1))
                .from_block(0u64),
        )
        .await
        .expect("getLogs");
    assert!(none.is_empty());

    // eth_call returns data and changes nothing.
    let echo = deploy(&p, ECHO_RETURN).await;
    let out = p
        .call(
            TransactionRequest::default()
                .to(echo)
                .input(Bytes::from_static(b"ping").into()),
        )
        .await
        .expect("call");
    assert_eq!(out.as_ref(), b"ping");
    let before = p.get_block_number().await.expect("block number");
    p.call(
        TransactionRequest::default()
            .to(store)
            .input(word(5).to_vec().into()),
    )
    .await
    .expect("call");
    assert_eq!(p.get_block_number().await.expect("block number"), before);
    assert_eq!(
        p.get_storage_at(store, U256::ZERO).await.expect("slot 0"),
        U256::from(0xabcdu64),
        "eth_call does not persist"
    );
}

#[tokio::test]
async fn call_with_block_tags_and_state_overrides() {
    let server = start().await;
    let p = dev_provider(&server);
    let echo = deploy(&p, ECHO_RETURN).await;
    let deployed_at = p.get_block_number().await.expect("block number");
    let req = TransactionRequest::default()
        .to(echo)
        .input(Bytes::from_static(b"x").into());

    let at_latest = p
        .call(req.clone())
        .block(BlockId::latest())
        .await
        .expect("latest");
    assert_eq!(at_latest.as_ref(), b"x");
    let at_number = p
        .call(req.clone())
        .block(BlockId::number(deployed_at))
        .await
        .expect("by number");
    assert_eq!(at_number.as_ref(), b"x");
    let at_pending = p
        .call(req.clone())
        .block(BlockId::pending())
        .await
        .expect("pending");
    assert_eq!(at_pending.as_ref(), b"x");

    // Override the code of an empty address with the echo runtime.
    let ghost = Address::repeat_byte(0xee);
    let mut overrides = StateOverride::default();
    overrides.insert(
        ghost,
        AccountOverride::default().with_code(Bytes::from_static(ECHO_RETURN)),
    );
    let req = TransactionRequest::default()
        .to(ghost)
        .input(Bytes::from_static(b"hi").into());
    let out = p
        .call(req.clone())
        .overrides(overrides.clone())
        .await
        .expect("override call");
    assert_eq!(out.as_ref(), b"hi");
    assert!(
        p.call(req.clone()).await.expect("plain call").is_empty(),
        "no code without override"
    );
    let gas = p
        .estimate_gas(req)
        .overrides(overrides)
        .await
        .expect("estimate with overrides");
    assert!(gas > 21_000);
    assert!(
        p.get_code_at(ghost).await.expect("code").is_empty(),
        "overrides do not persist"
    );
}
