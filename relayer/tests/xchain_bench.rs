//! Gas benchmark (prints figures; asserts only that every step succeeded): the transactions of
//! one stake-state message (home → remote) and of a bridge transfer each way (lock and mint,
//! burn and release) through the real Stylus contracts on two devnode chains, relayed by the
//! in-process relayer with two verifiers and an executor. Gas comes from the receipts: the
//! application's sending transaction (which calls the endpoint's `send`), each verifier's
//! `verify`, the executor's `commit` and `deliver`. Beside it: the gas limit the receiver's
//! `lzReceive` alone needs (`eth_estimateGas` of a call from the destination endpoint, made
//! after the commit and before the delivery) and LayerZero's default 80,000-gas `lzReceive`
//! budget.
//!
//! `cargo test -p relayer --test xchain_bench -- --nocapture` (debug build of the test and of
//! devnode; the contracts are the release WASM from `cargo xtask wasm`; gas does not depend on
//! the host build).

mod support;

use alloy::consensus::Transaction as _;
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol;
use alloy::sol_types::{SolCall, SolEvent};
use relayer::abi::EndpointReceive;
use relayer::packet::Packet;
use relayer::Config;
use support::apps::*;
use support::*;

sol! {
    interface IOAppReceiver {
        function lzReceive(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes message) external;
    }
}

/// LayerZero V2's default executor gas for `lzReceive`.
const LZ_RECEIVE_BUDGET: u64 = 80_000;

/// Gas figures of one message.
#[derive(Debug)]
struct Row {
    label: &'static str,
    send: u64,
    verify: Vec<u64>,
    commit: u64,
    deliver: u64,
    /// `eth_estimateGas` of `lzReceive` called directly by the endpoint, and the intrinsic gas of
    /// that call (Err: why the estimate failed).
    lz_receive: Result<(u64, u64), String>,
}

/// The packet the endpoint emitted in `rc`.
fn packet_of(rc: &TransactionReceipt) -> Packet {
    let encoded = rc
        .inner
        .logs()
        .iter()
        .find_map(|l| ITestEndpoint::PacketSent::decode_log_data(l.data()).ok())
        .map(|e| e.encodedPacket)
        .expect("PacketSent");
    Packet::decode(&encoded).expect("packet decodes")
}

/// Relays the packet sent by `sent` from `src` to `dst` in two passes (verifiers, then the
/// executor), estimating the receiver's `lzReceive` in between; returns the figures.
async fn relay(
    label: &'static str,
    dst: &Side,
    verifiers_only: &Config,
    full: &Config,
    sent: &TransactionReceipt,
) -> Row {
    let packet = packet_of(sent);
    let p = reader(&dst.server);
    let from_block = p.get_block_number().await.expect("head") + 1;

    let s = once(verifiers_only).await;
    assert_eq!((s.found, s.verified, s.delivered), (1, 2, 0));

    let receiver: Address = packet.header.receiver_address().expect("receiver address");
    let call = IOAppReceiver::lzReceiveCall {
        srcEid: packet.header.src_eid,
        sender: packet.header.sender,
        nonce: packet.header.nonce,
        guid: packet.guid,
        message: packet.message.clone(),
    };
    let input = call.abi_encode();
    let intrinsic = 21_000
        + input
            .iter()
            .map(|&b| if b == 0 { 4 } else { 16 })
            .sum::<u64>();
    let tx = TransactionRequest::default()
        .from(dst.inbox)
        .to(receiver)
        .input(input.into());
    let lz_receive = p
        .estimate_gas(tx)
        .await
        .map(|g| (g, intrinsic))
        .map_err(|e| e.to_string());

    let s = once(full).await;
    assert_eq!((s.delivered, s.delivery_failures), (1, 0));

    let mut row = Row {
        label,
        send: sent.gas_used,
        verify: Vec::new(),
        commit: 0,
        deliver: 0,
        lz_receive,
    };
    let head = p.get_block_number().await.expect("head");
    for n in from_block..=head {
        let block = p
            .get_block_by_number(n.into())
            .full()
            .await
            .expect("block")
            .expect("exists");
        for tx in block.transactions.txns() {
            let input = tx.inner.input();
            let rc = p
                .get_transaction_receipt(*tx.inner.tx_hash())
                .await
                .expect("receipt")
                .expect("mined");
            assert!(rc.status(), "relayer transaction succeeded");
            match input.get(..4) {
                Some(s) if s == EndpointReceive::verifyCall::SELECTOR => {
                    row.verify.push(rc.gas_used)
                }
                Some(s) if s == EndpointReceive::commitCall::SELECTOR => row.commit = rc.gas_used,
                Some(s) if s == EndpointReceive::deliverCall::SELECTOR => row.deliver = rc.gas_used,
                _ => {}
            }
        }
    }
    assert_eq!(row.verify.len(), 2, "two attestations");
    assert!(
        row.commit > 0 && row.deliver > 0,
        "commit and deliver mined"
    );
    row
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xchain_gas_figures() {
    if standin() {
        return; // the figures are for the real endpoint
    }
    let apps = Apps::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("s.json");
    let verifiers_only = apps.net.config(&state, &[V1, V2], false, true);
    let full = apps.net.config(&state, &[V1, V2], true, true);

    apps.deposit(USER, ether(10)).await;
    let (rc, _) = apps.publish(USER).await;
    let mut rows = vec![
        relay(
            "stake state A->B, 1st",
            &apps.net.b,
            &verifiers_only,
            &full,
            &rc,
        )
        .await,
    ];
    assert_eq!(apps.remote_state().await.sequence, 1);

    // A second publication rewrites the mirror's slots (the steady state).
    apps.deposit(USER, ether(5)).await;
    {
        let chain = apps.net.a.chain();
        chain
            .lock()
            .expect("chain lock")
            .increase_time(MIN_INTERVAL);
    }
    apps.net.a.mine();
    let (rc, _) = apps.publish(USER).await;
    rows.push(
        relay(
            "stake state A->B, 2nd",
            &apps.net.b,
            &verifiers_only,
            &full,
            &rc,
        )
        .await,
    );
    assert_eq!(apps.remote_state().await.sequence, 2);

    let (rc, _) = apps.bridge_out(USER, addr(USER), ether(2)).await;
    rows.push(
        relay(
            "bridge A->B, new holder",
            &apps.net.b,
            &verifiers_only,
            &full,
            &rc,
        )
        .await,
    );
    let (rc, _) = apps.bridge_out(USER, addr(USER), ether(1)).await;
    rows.push(
        relay(
            "bridge A->B, holder",
            &apps.net.b,
            &verifiers_only,
            &full,
            &rc,
        )
        .await,
    );
    assert_eq!(apps.remote_lrt_balance(addr(USER)).await, ether(3));

    let (rc, _) = apps.bridge_back(USER, addr(USER), ether(3)).await;
    rows.push(
        relay(
            "bridge B->A, release",
            &apps.net.a,
            &verifiers_only,
            &full,
            &rc,
        )
        .await,
    );
    assert_eq!(apps.outstanding().await, U256::ZERO);

    println!(
        "cross-chain gas (devnode, debug build of the test and node; Stylus contracts: release WASM from `cargo xtask wasm`; 2 verifiers, 1 executor)"
    );
    println!(
        "{:<24} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>9}",
        "message",
        "send tx",
        "verify 1",
        "verify 2",
        "commit",
        "deliver",
        "deliver%",
        "lzReceive*",
        "exec**",
        "exec%"
    );
    for r in &rows {
        let pct = |g: u64| format!("{:.0}%", g as f64 * 100.0 / LZ_RECEIVE_BUDGET as f64);
        let (lz, exec, exec_pct) = match &r.lz_receive {
            Ok((g, intrinsic)) => {
                let e = g.saturating_sub(*intrinsic);
                (g.to_string(), e.to_string(), pct(e))
            }
            Err(_) => ("n/a".into(), "n/a".into(), "n/a".into()),
        };
        println!(
            "{:<24} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>9}",
            r.label,
            r.send,
            r.verify[0],
            r.verify[1],
            r.commit,
            r.deliver,
            pct(r.deliver),
            lz,
            exec,
            exec_pct
        );
        if let Err(e) = &r.lz_receive {
            println!("  (lzReceive estimate failed: {e})");
        }
    }
    println!("send tx: the application's transaction (publish / lockbox send / remote bridge send), the endpoint's send included.");
    println!("deliver: the executor's whole transaction (21,000 intrinsic, calldata, endpoint checks, the receiver's lzReceive); deliver% = deliver / {LZ_RECEIVE_BUDGET}.");
    println!("lzReceive*: eth_estimateGas (a gas limit, not gas used) of the receiver's lzReceive called directly from the destination endpoint, intrinsic and calldata included.");
    println!("exec**: lzReceive* minus 21,000 and calldata (4/16 gas per zero/non-zero byte): the part LayerZero's default {LZ_RECEIVE_BUDGET}-gas lzReceive budget covers; exec% = exec / {LZ_RECEIVE_BUDGET}.");
}
