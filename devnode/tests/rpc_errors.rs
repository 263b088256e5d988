//! RPC error shapes: envelope errors, parameter errors, transaction validation errors and
//! reverts with custom error data. After each error the node keeps serving and its state is
//! unchanged.

mod rpc_support;

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::primitives::{Address, Bytes, Signature, TxKind, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol;
use alloy::sol_types::SolError;
use rpc_support::*;
use serde_json::{json, Value};

sol! {
    /// The custom error the echo contract is made to revert with.
    #[derive(Debug, PartialEq)]
    error VaultInsufficientShares(address owner, uint256 have, uint256 want);
}

#[tokio::test]
async fn malformed_json_is_parse_error() {
    let server = start().await;
    let (status, body) = raw_post(&server, "{\"jsonrpc\":\"2.0\",\"id\":1,").await;
    assert_eq!(status, 200);
    let resp: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(error_code(&resp), -32700);
    assert_eq!(resp["id"], Value::Null);
    // Still serving.
    let ok = rpc(&server, "eth_chainId", json!([])).await;
    assert_eq!(ok["result"], json!("0x64aba"));
}

#[tokio::test]
async fn envelope_errors() {
    let server = start().await;
    let unknown = rpc(&server, "eth_doesNotExist", json!([])).await;
    assert_eq!(error_code(&unknown), -32601);
    assert!(error_message(&unknown).contains("eth_doesNotExist"));

    let (_, body) = raw_post(&server, r#"{"id":1,"method":"eth_chainId"}"#).await;
    let no_version: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(error_code(&no_version), -32600);

    let (_, body) = raw_post(&server, "[]").await;
    let empty: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(error_code(&empty), -32600);

    let (_, body) = raw_post(&server, "42").await;
    let scalar: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(error_code(&scalar), -32600);

    let (status, _) = raw_http(&server, "GET", "").await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn bad_params() {
    let server = start().await;
    for (method, params) in [
        ("eth_getBalance", json!([])),
        ("eth_getBalance", json!(["0x1234"])),
        ("eth_getBalance", json!([format!("{}", dev(0)), "notatag"])),
        ("eth_getBlockByNumber", json!([true])),
        ("eth_getTransactionByHash", json!(["0x12"])),
        ("eth_chainId", json!([1])),
        ("eth_sendRawTransaction", json!(["zz"])),
        ("evm_increaseTime", json!(["soon"])),
        ("eth_call", json!([{"to": 5}])),
    ] {
        let resp = rpc(&server, method, params.clone()).await;
        assert_eq!(error_code(&resp), -32602, "{method} {params}: {resp}");
    }
}

#[tokio::test]
async fn undecodable_raw_transaction_is_rejected() {
    let server = start().await;
    let resp = rpc(&server, "eth_sendRawTransaction", json!(["0x02c0ffee"])).await;
    let code = error_code(&resp);
    assert!(code == -32000 || code == -32602, "{resp}");
}

#[tokio::test]
async fn bad_signature_is_rejected_without_state_change() {
    let server = start().await;
    let p = dev_provider(&server);
    let tx = TxEip1559 {
        chain_id: CHAIN_ID,
        nonce: 0,
        gas_limit: 21_000,
        max_fee_per_gas: 1_000_000_000,
        to: TxKind::Call(Address::repeat_byte(1)),
        value: U256::from(1u64),
        ..TxEip1559::default()
    };
    let bogus = Signature::new(U256::ZERO, U256::ZERO, false);
    let raw = TxEnvelope::from(tx.into_signed(bogus)).encoded_2718();
    let resp = rpc(&server, "eth_sendRawTransaction", json!([Bytes::from(raw)])).await;
    assert_eq!(error_code(&resp), -32000, "{resp}");
    assert_eq!(p.get_block_number().await.expect("block number"), 0);
}

#[tokio::test]
async fn wrong_chain_id_is_rejected() {
    let server = start().await;
    let raw = signed_transfer(0, 0, Address::repeat_byte(1), U256::from(1u64), 1);
    let resp = rpc(&server, "eth_sendRawTransaction", json!([raw])).await;
    assert_eq!(error_code(&resp), -32000, "{resp}");
}

#[tokio::test]
async fn nonce_gap_and_reuse() {
    let server = start().await;
    let p = dev_provider(&server);
    let to = Address::repeat_byte(2);
    let gap = signed_transfer(0, 5, to, U256::from(1u64), CHAIN_ID);
    let resp = rpc(&server, "eth_sendRawTransaction", json!([gap])).await;
    assert_eq!(error_code(&resp), -32000);
    assert!(error_message(&resp).contains("nonce too high"), "{resp}");
    assert_eq!(p.get_transaction_count(dev(0)).await.expect("nonce"), 0);

    let first = signed_transfer(0, 0, to, U256::from(1u64), CHAIN_ID);
    p.send_raw_transaction(&first)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    let again = signed_transfer(0, 0, to, U256::from(2u64), CHAIN_ID);
    let resp = rpc(&server, "eth_sendRawTransaction", json!([again])).await;
    assert_eq!(error_code(&resp), -32000);
    assert!(error_message(&resp).contains("nonce too low"), "{resp}");
    assert_eq!(p.get_balance(to).await.expect("balance"), U256::from(1u64));
}

#[tokio::test]
async fn insufficient_funds() {
    let server = start().await;
    let p = dev_provider(&server);
    let to = Address::repeat_byte(3);
    let too_much = U256::from(20_000u64) * U256::from(10u64).pow(U256::from(18u64));
    let raw = signed_transfer(0, 0, to, too_much, CHAIN_ID);
    let resp = rpc(&server, "eth_sendRawTransaction", json!([raw])).await;
    assert_eq!(error_code(&resp), -32000);
    assert!(
        error_message(&resp).starts_with("insufficient funds"),
        "{resp}"
    );

    // Same through eth_sendTransaction, and an unknown sender.
    let tx = TransactionRequest::default()
        .from(dev(1))
        .to(to)
        .value(too_much);
    let err = p.send_transaction(tx).await.expect_err("must fail");
    let payload = err.as_error_resp().expect("json-rpc error").clone();
    assert_eq!(payload.code, -32000);
    let stranger = TransactionRequest::default()
        .from(Address::repeat_byte(0x55))
        .to(to)
        .value(U256::from(1u64));
    let err = p
        .send_transaction(stranger)
        .await
        .expect_err("unknown account");
    assert_eq!(err.as_error_resp().map(|e| e.code), Some(-32000));
    assert_eq!(p.get_balance(to).await.expect("balance"), U256::ZERO);
    assert_eq!(p.get_block_number().await.expect("block number"), 0);
}

#[tokio::test]
async fn revert_carries_custom_error_data() {
    let server = start().await;
    let p = dev_provider(&server);
    let reverter = deploy(&p, ECHO_REVERT).await;
    let expected = VaultInsufficientShares {
        owner: dev(3),
        have: U256::from(5u64),
        want: U256::from(9u64),
    };
    let req = TransactionRequest::default()
        .from(dev(0))
        .to(reverter)
        .input(Bytes::from(expected.abi_encode()).into());

    // eth_call: code 3, message "execution reverted", data decodable by alloy.
    let err = p.call(req.clone()).await.expect_err("reverts");
    let payload = err.as_error_resp().expect("json-rpc error");
    assert_eq!(payload.code, 3);
    assert_eq!(payload.message, "execution reverted");
    let decoded = payload
        .as_decoded_error::<VaultInsufficientShares>()
        .expect("custom error decoded");
    assert_eq!(decoded, expected);

    // eth_estimateGas: same shape.
    let err = p.estimate_gas(req.clone()).await.expect_err("reverts");
    let payload = err.as_error_resp().expect("json-rpc error");
    assert_eq!(payload.code, 3);
    assert_eq!(
        payload.as_decoded_error::<VaultInsufficientShares>(),
        Some(expected)
    );

    // A reverting transaction is mined with status 0 (not an RPC error).
    let tx = req.gas_limit(100_000);
    let receipt = p
        .send_transaction(tx)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(!receipt.status());

    // Error(string) reasons are appended to the message, as geth does.
    let reason = alloy::sol_types::Revert::from("not enough").abi_encode();
    let resp = rpc(
        &server,
        "eth_call",
        json!([{"to": reverter, "input": Bytes::from(reason)}]),
    )
    .await;
    assert_eq!(error_code(&resp), 3);
    assert_eq!(error_message(&resp), "execution reverted: not enough");
    assert!(resp["error"]["data"]
        .as_str()
        .unwrap_or_default()
        .starts_with("0x08c379a0"));
}

#[tokio::test]
async fn unknown_block_is_an_error_not_a_crash() {
    let server = start().await;
    let resp = rpc(&server, "eth_getBalance", json!([dev(0), "0xffffff"])).await;
    assert_eq!(error_code(&resp), -32000, "{resp}");
    let ok = rpc(&server, "eth_blockNumber", json!([])).await;
    assert_eq!(ok["result"], json!("0x0"));
}
