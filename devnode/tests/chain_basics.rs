//! The chain without Stylus: transfers, validation errors, blocks and receipts, snapshots, time
//! travel, fee history and state files.

// Helpers outside #[test] functions unwrap too: a panic is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chain_support;

use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{Address, TxKind, B256, U256};
use alloy::rpc::types::TransactionRequest;
use chain_support::*;
use devnode::chain::tx::sign_request;
use devnode::ChainError;

fn transfer(from: Address, to: Address, wei: u128) -> TransactionRequest {
    TransactionRequest {
        from: Some(from),
        to: Some(TxKind::Call(to)),
        value: Some(U256::from(wei)),
        ..TransactionRequest::default()
    }
}

#[test]
fn dev_accounts_are_funded_and_a_transfer_moves_value_and_pays_gas() {
    let mut c = chain();
    assert_eq!(c.dev_accounts().len(), 10);
    let (a, b) = (dev(&c, 0), dev(&c, 1));
    let start = c.balance(a, latest()).unwrap();
    assert_eq!(start, U256::from(10_000u64) * U256::from(ETHER));

    let r = send(&mut c, transfer(a, b, ETHER)).unwrap();
    assert!(r.status());
    assert_eq!(r.gas_used, 21_000);
    assert_eq!(r.block_number, Some(1));
    assert_eq!(c.block_number(), 1);
    let fee = U256::from(21_000u64) * U256::from(r.effective_gas_price);
    assert_eq!(
        c.balance(a, latest()).unwrap(),
        start - U256::from(ETHER) - fee
    );
    assert_eq!(c.balance(b, latest()).unwrap(), start + U256::from(ETHER));
    assert_eq!(c.nonce(a, latest()).unwrap(), 1);
    // The previous block's state is still answerable.
    assert_eq!(c.balance(a, BlockId::number(0)).unwrap(), start);

    let tx = c.transaction_by_hash(r.transaction_hash).unwrap();
    assert_eq!(tx.block_number, Some(1));
    let block = c.block(BlockId::number(1), false).unwrap();
    assert_eq!(block.transactions.hashes().next(), Some(r.transaction_hash));
    assert_eq!(block.header.hash, r.block_hash.unwrap());
    let genesis = c
        .block(BlockId::Number(BlockNumberOrTag::Earliest), true)
        .unwrap();
    assert_eq!(block.header.parent_hash, genesis.header.hash);
}

#[test]
fn validation_errors_change_nothing() {
    let mut c = chain();
    let (a, b) = (dev(&c, 0), dev(&c, 1));
    let key = c.dev_accounts()[0].1;
    let base = c.base_fee();
    let t = transfer(a, b, 1);

    let wrong_chain = sign_request(&t, key, 1, 0, 21_000, base).unwrap();
    assert!(matches!(
        c.send_raw_transaction(&wrong_chain),
        Err(ChainError::InvalidTransaction(m)) if m.contains("chain id")
    ));
    let gap = sign_request(&t, key, c.chain_id(), 5, 21_000, base).unwrap();
    assert_eq!(
        c.send_raw_transaction(&gap),
        Err(ChainError::NonceTooHigh {
            expected: 0,
            got: 5
        })
    );
    let low_gas = sign_request(&t, key, c.chain_id(), 0, 20_000, base).unwrap();
    assert!(matches!(
        c.send_raw_transaction(&low_gas),
        Err(ChainError::InvalidTransaction(m)) if m.contains("intrinsic gas")
    ));
    let mut cheap = t.clone();
    cheap.max_fee_per_gas = Some(base - 1);
    let cheap = sign_request(&cheap, key, c.chain_id(), 0, 21_000, base).unwrap();
    assert!(matches!(
        c.send_raw_transaction(&cheap),
        Err(ChainError::InvalidTransaction(_))
    ));
    let rich = transfer(a, b, 20_000 * ETHER);
    let rich = sign_request(&rich, key, c.chain_id(), 0, 21_000, base).unwrap();
    assert!(matches!(
        c.send_raw_transaction(&rich),
        Err(ChainError::InsufficientFunds(_))
    ));
    let mut garbled = sign_request(&t, key, c.chain_id(), 0, 21_000, base).unwrap();
    let n = garbled.len();
    // A changed signature recovers some other (unfunded) sender.
    garbled[n - 5] ^= 0xff;
    assert!(c.send_raw_transaction(&garbled).is_err());
    assert!(matches!(
        c.send_raw_transaction(&[0x02, 0x01]),
        Err(ChainError::InvalidTransaction(_))
    ));
    let stranger = Address::repeat_byte(0x55);
    assert_eq!(
        c.send_transaction(transfer(stranger, b, 1)),
        Err(ChainError::UnknownAccount(stranger))
    );

    assert_eq!(c.block_number(), 0, "no block was mined");
    assert_eq!(c.nonce(a, latest()).unwrap(), 0);

    let ok = sign_request(&t, key, c.chain_id(), 0, 21_000, base).unwrap();
    c.send_raw_transaction(&ok).unwrap();
    assert_eq!(
        c.send_raw_transaction(&ok),
        Err(ChainError::InvalidTransaction("already known".into()))
    );
    let again = sign_request(&transfer(a, b, 2), key, c.chain_id(), 0, 21_000, base).unwrap();
    assert_eq!(
        c.send_raw_transaction(&again),
        Err(ChainError::NonceTooLow {
            expected: 1,
            got: 0
        })
    );
}

#[test]
fn legacy_and_access_list_transactions_are_accepted() {
    let mut c = chain();
    let (a, b) = (dev(&c, 0), dev(&c, 1));
    let mut legacy = transfer(a, b, 7);
    legacy.gas_price = Some(c.gas_price());
    let r = send(&mut c, legacy).unwrap();
    assert!(r.status());
    assert_eq!(r.inner.tx_type() as u8, 0);
    let mut al = transfer(a, b, 7);
    al.gas_price = Some(c.gas_price());
    al.access_list = Some(Default::default());
    let r = send(&mut c, al).unwrap();
    assert_eq!(r.inner.tx_type() as u8, 1);
    assert_eq!(
        c.balance(b, latest()).unwrap(),
        U256::from(10_000u64) * U256::from(ETHER) + U256::from(14)
    );
}

#[test]
fn manual_mining_batches_pending_transactions() {
    let mut c = chain();
    c.set_automine(false);
    let (a, b) = (dev(&c, 0), dev(&c, 1));
    let h1 = c.send_transaction(transfer(a, b, 1)).unwrap();
    let h2 = c.send_transaction(transfer(a, b, 2)).unwrap();
    assert_eq!(
        c.nonce(a, BlockId::Number(BlockNumberOrTag::Pending))
            .unwrap(),
        2
    );
    assert_eq!(c.nonce(a, latest()).unwrap(), 0);
    assert!(c.receipt(h1).is_none());
    assert_eq!(c.transaction_by_hash(h2).unwrap().block_number, None);
    let block = c.mine();
    assert_eq!(c.block_number(), 1);
    let r1 = c.receipt(h1).unwrap();
    let r2 = c.receipt(h2).unwrap();
    assert_eq!(r1.block_hash, Some(block));
    assert_eq!(r2.transaction_index, Some(1));
    assert_eq!(r2.inner.cumulative_gas_used(), 42_000);
    // An empty block.
    let empty = c.mine();
    assert_ne!(empty, block);
    assert_eq!(
        c.block(BlockId::number(2), false)
            .unwrap()
            .transactions
            .len(),
        0
    );
}

#[test]
fn snapshots_restore_blocks_balances_and_transactions() {
    let mut c = chain();
    let (a, b) = (dev(&c, 0), dev(&c, 1));
    let before = c.balance(b, latest()).unwrap();
    let id = c.snapshot();
    let r = send(&mut c, transfer(a, b, ETHER)).unwrap();
    let inner = c.snapshot();
    send(&mut c, transfer(a, b, ETHER)).unwrap();
    assert_eq!(c.block_number(), 2);
    assert!(c.revert_to(id));
    assert_eq!(c.block_number(), 0);
    assert_eq!(c.balance(b, latest()).unwrap(), before);
    assert!(c.receipt(r.transaction_hash).is_none());
    assert!(!c.revert_to(inner), "later snapshots are dropped");
    assert!(!c.revert_to(id), "a snapshot is used once");
    // The chain goes on from the restored state.
    let r = send(&mut c, transfer(a, b, 3)).unwrap();
    assert_eq!(r.block_number, Some(1));
}

#[test]
fn time_travel_moves_block_timestamps() {
    let mut c = chain();
    let t0 = c.block(latest(), false).unwrap().header.timestamp;
    let offset = c.increase_time(3_600);
    assert!(offset >= 3_600);
    c.mine();
    let t1 = c.block(latest(), false).unwrap().header.timestamp;
    assert!(t1 >= t0 + 3_600, "{t1} vs {t0}");
    let target = t1 + 86_400;
    c.set_next_block_timestamp(target).unwrap();
    c.mine();
    assert_eq!(c.block(latest(), false).unwrap().header.timestamp, target);
    c.mine();
    assert!(c.block(latest(), false).unwrap().header.timestamp >= target);
    assert!(matches!(
        c.set_next_block_timestamp(target),
        Err(ChainError::InvalidTransaction(_))
    ));
}

#[test]
fn set_balance_and_unknown_blocks() {
    let mut c = chain();
    let who = Address::repeat_byte(0x42);
    c.set_balance(who, U256::from(123u64));
    assert_eq!(c.balance(who, latest()).unwrap(), U256::from(123u64));
    assert!(matches!(
        c.balance(who, BlockId::number(9)),
        Err(ChainError::UnknownBlock(_))
    ));
    assert!(matches!(
        c.balance(who, BlockId::hash(B256::repeat_byte(1))),
        Err(ChainError::UnknownBlock(_))
    ));
    assert!(c.block(BlockId::number(9), false).is_none());
}

#[test]
fn fee_history_reports_constant_base_fee_and_tips() {
    let mut c = chain();
    let (a, b) = (dev(&c, 0), dev(&c, 1));
    let mut t = transfer(a, b, 1);
    t.max_priority_fee_per_gas = Some(5);
    send(&mut c, t).unwrap();
    let h = c.fee_history(4, BlockNumberOrTag::Latest, &[50.0]).unwrap();
    assert_eq!(h.oldest_block, 0);
    assert_eq!(h.base_fee_per_gas, vec![c.base_fee(); 3]);
    assert_eq!(h.gas_used_ratio.len(), 2);
    let reward = h.reward.unwrap();
    assert_eq!(reward[0], vec![0]);
    assert_eq!(reward[1], vec![5]);
    assert!(c
        .fee_history(1, BlockNumberOrTag::Latest, &[60.0, 10.0])
        .is_err());
}

#[test]
fn state_file_round_trip() {
    let mut c = chain();
    let (a, b) = (dev(&c, 0), dev(&c, 1));
    send(&mut c, transfer(a, b, ETHER)).unwrap();
    c.increase_time(1_000);
    c.mine();
    let dir = std::env::temp_dir().join(format!("devnode-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    c.save_state(&path).unwrap();

    let mut d = devnode::Chain::load_state(devnode::ChainConfig::default(), &path).unwrap();
    assert_eq!(d.block_number(), c.block_number());
    assert_eq!(
        d.block(latest(), false).unwrap().header.hash,
        c.block(latest(), false).unwrap().header.hash
    );
    for who in [a, b] {
        assert_eq!(
            d.balance(who, latest()).unwrap(),
            c.balance(who, latest()).unwrap()
        );
        assert_eq!(
            d.nonce(who, latest()).unwrap(),
            c.nonce(who, latest()).unwrap()
        );
    }
    assert_eq!(
        d.code(devnode::chain::STYLUS_DEPLOYER, latest()).unwrap(),
        c.code(devnode::chain::STYLUS_DEPLOYER, latest()).unwrap()
    );
    let r = send(&mut d, transfer(a, b, 1)).unwrap();
    assert_eq!(r.block_number, Some(c.block_number() + 1));
    let ts = d.block(latest(), false).unwrap().header.timestamp;
    assert!(ts >= c.block(latest(), false).unwrap().header.timestamp);
    std::fs::remove_dir_all(&dir).unwrap();
}
