//! Benchmark (ignored by default; prints figures, asserts only delivery): relays a batch of
//! messages A → B with two verifiers in one `--once` pass and prints wall time and the gas of
//! each relayer transaction kind on the destination.
//!
//! `cargo test -p relayer --release --test bench -- --ignored --nocapture`

mod support;

use std::collections::BTreeMap;
use std::time::Instant;

use alloy::consensus::Transaction as _;
use alloy::eips::BlockNumberOrTag;
use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use relayer::abi::EndpointReceive;
use relayer::Relayer;
use support::*;

const MESSAGES: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints figures"]
async fn relay_batch_figures() {
    let net = Net::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..MESSAGES {
        send_message(&net.a, &net.b, format!("bench message {i:04}").as_bytes()).await;
    }
    let mut config = net.config(&dir.path().join("s.json"), &[V1, V2], true, false);
    config.once = true;
    let start = Instant::now();
    let summary = Relayer::new(config)
        .await
        .expect("connects")
        .run(std::future::pending())
        .await
        .expect("pass");
    let wall = start.elapsed();
    assert_eq!(summary.delivered, MESSAGES as u64);
    assert_eq!(net.b.deliveries().await, MESSAGES as u64);

    let p = reader(&net.b.server);
    let head = p.get_block_number().await.expect("head");
    let mut gas: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for n in 0..=head {
        let block = p
            .get_block_by_number(BlockNumberOrTag::Number(n))
            .full()
            .await
            .expect("block")
            .expect("exists");
        for tx in block.transactions.txns() {
            let input = tx.inner.input();
            let kind = match input.get(..4) {
                Some(s) if s == EndpointReceive::verifyCall::SELECTOR => "verify",
                Some(s) if s == EndpointReceive::commitCall::SELECTOR => "commit",
                Some(s) if s == EndpointReceive::deliverCall::SELECTOR => "deliver",
                _ => continue,
            };
            let receipt = p
                .get_transaction_receipt(*tx.inner.tx_hash())
                .await
                .expect("receipt")
                .expect("mined");
            gas.entry(kind).or_default().push(receipt.gas_used);
        }
    }
    let endpoint = if standin() {
        "Solidity stand-in"
    } else {
        "Stylus endpoint"
    };
    println!(
        "relayed {MESSAGES} messages A -> B ({endpoint}, 2 verifiers, one pass): {:.2} s wall, {:.1} messages/s, {} transactions",
        wall.as_secs_f64(),
        MESSAGES as f64 / wall.as_secs_f64(),
        gas.values().map(Vec::len).sum::<usize>()
    );
    for (kind, v) in &gas {
        let avg = v.iter().sum::<u64>() / v.len() as u64;
        let min = v.iter().min().copied().unwrap_or(0);
        let max = v.iter().max().copied().unwrap_or(0);
        println!(
            "  {kind:<8} x{:<3} gas used avg {avg:>7}  min {min:>7}  max {max:>7}",
            v.len()
        );
    }
}
