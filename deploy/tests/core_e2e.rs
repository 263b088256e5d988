//! The restaking core end to end on the local chain with the real WASM, deployed by the deploy
//! tool: deposit, delegate, allocate, a vetoed slash, an executed slash (capped per event, paid
//! out, the LRT rate falling in the same transaction), a reward (operator fee at once, the rest
//! streamed), and a queued withdrawal that bears a slash landing before its claim. Then bad
//! input: typed errors decoded by alloy, nothing changed.
//!
//! Needs `target/stylus/*.wasm` (`cargo xtask wasm`; `scripts/test-all.sh` builds it first).
#![allow(clippy::unwrap_used)]
use alloy::primitives::{utils::parse_ether, Address, B256, U256};
use alloy::providers::Provider;
use alloy::signers::local::PrivateKeySigner;
use restake_deploy::bindings::{
    AllocationManager, LrtToken, OperatorRegistry, RestakeVault, SlashingManager,
};
use restake_deploy::embedded::EmbeddedChain;
use restake_deploy::network::LOCAL;
use restake_deploy::plan::Params;
use restake_deploy::restaking::{self, Actors, Settings, WAD};
use restake_deploy::scenario::signing_provider;
use restake_deploy::session::{self, Paths};

fn dev(i: usize) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&devnode::accounts::DEV_PRIVATE_KEYS[i]).unwrap()
}

fn eth(n: &str) -> U256 {
    parse_ether(n).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn deposit_delegate_allocate_veto_slash_reward_withdraw() {
    let chain = EmbeddedChain::start(0, LOCAL.chain_id, None).await.unwrap();
    let url = chain.url();
    let dir = tempfile::tempdir().unwrap();
    let admin = dev(0);
    let (manifest, _) = session::deploy(
        &url,
        &admin,
        "local",
        Params::defaults(admin.address(), true),
        &Paths {
            deployments: dir.path().to_path_buf(),
            artifacts: None,
            build: false,
        },
        false,
    )
    .await
    .unwrap();
    let payout = Address::repeat_byte(0x9a);
    let actors = Actors {
        admin: admin.clone(),
        operator: dev(3),
        service: dev(4),
        slasher: dev(5),
        resolver: dev(6),
        staker: dev(7),
        payout,
    };
    let report = restaking::run(&url, &manifest, &actors, Settings::default())
        .await
        .unwrap();

    // 80 ETH delegated, 50% allocated: 40 ETH slashable once the allocation delay passed.
    assert_eq!(report.slashable_before, eth("40"));
    // The vetoed request cannot be executed, with a typed error.
    assert!(
        report
            .vetoed_execution_error
            .contains("SlashingInvalidStatus"),
        "{}",
        report.vetoed_execution_error
    );
    // A full-fraction request is capped at the set's 50% per event: 20 of the 40 ETH, paid
    // out, and the vault's assets and rate fall in the executing transaction.
    assert_eq!(report.slashed, eth("20"));
    assert_eq!(report.payout_received, eth("20"));
    assert_eq!(report.assets_before_slash, eth("100"));
    assert_eq!(report.assets_after_slash, eth("80"));
    assert!(report.rate_after_slash < report.rate_before_slash);
    assert_eq!(report.slashable_after, eth("20"));
    // Reward: 10% fee to the operator at once; 9 ETH streamed, none counted at submission.
    assert_eq!(report.operator_fee, eth("1"));
    assert_eq!(report.unvested_at_submit, eth("9"));
    assert_eq!(report.assets_at_submit, eth("80"));
    assert_eq!(report.assets_after_vesting, eth("89"));
    // The queued withdrawal bears the second slash (50% of the 20 ETH still slashable).
    assert_eq!(report.second_slash, eth("10"));
    assert!(report.value_at_claim < report.value_at_request);
    assert_eq!(report.paid, report.value_at_claim);

    let provider = signing_provider(&url, &admin).unwrap();
    let at = |name: &str| manifest.contracts[name].address;
    let vault = RestakeVault::new(at("vault"), &provider);
    let lrt = LrtToken::new(at("lrtToken"), &provider);
    assert_eq!(
        vault.totalAssets().call().await.unwrap(),
        eth("79") - report.paid,
        "89 ETH - 10 slashed - the claim"
    );
    assert_eq!(provider.get_balance(payout).await.unwrap(), eth("30"));
    assert_eq!(
        lrt.balanceOf(actors.staker.address()).call().await.unwrap(),
        lrt.totalSupply().call().await.unwrap(),
        "the staker holds every remaining share (the queued ones were burned at the claim)"
    );
    for (op, g) in &report.gas.ops {
        println!("  {op:<18} {g:>9} gas");
    }

    // Bad input: typed errors, and nothing changes.
    let operator = signing_provider(&url, &actors.operator).unwrap();
    let stranger = signing_provider(&url, &dev(8)).unwrap();
    let assets = vault.totalAssets().call().await.unwrap();
    let am = AllocationManager::new(at("allocationManager"), &operator);
    let slashable = am
        .slashableStake(actors.operator.address(), report.set_id, 0)
        .call()
        .await
        .unwrap();
    assert!(slashable > U256::ZERO);
    let sm = SlashingManager::new(at("slashingManager"), &stranger);
    let err = sm
        .requestSlash(
            actors.operator.address(),
            report.set_id,
            U256::from(WAD),
            B256::ZERO,
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_decoded_interface_error::<SlashingManager::SlashingManagerErrors>()
            .is_some(),
        "a stranger's slash request: {err}"
    );
    let slasher = signing_provider(&url, &actors.slasher).unwrap();
    let sm = SlashingManager::new(at("slashingManager"), &slasher);
    let err = sm
        .requestSlash(
            actors.operator.address(),
            report.set_id,
            U256::from(WAD) + U256::from(1),
            B256::ZERO,
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_decoded_interface_error::<SlashingManager::SlashingManagerErrors>(),
            Some(SlashingManager::SlashingManagerErrors::SlashingInvalidFraction(_))
        ),
        "a fraction above 100%: {err}"
    );
    let err = am
        .allocate(report.set_id, WAD + 1)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_decoded_interface_error::<AllocationManager::AllocationManagerErrors>()
            .is_some(),
        "a magnitude above 100%: {err}"
    );
    let registry = OperatorRegistry::new(at("operatorRegistry"), &operator);
    let err = registry.registerOperator(10_001).send().await.unwrap_err();
    assert!(
        err.as_decoded_interface_error::<OperatorRegistry::OperatorRegistryErrors>()
            .is_some(),
        "a fee above 100%: {err}"
    );
    assert_eq!(vault.totalAssets().call().await.unwrap(), assets);
    assert_eq!(
        am.slashableStake(actors.operator.address(), report.set_id, 0)
            .call()
            .await
            .unwrap(),
        slashable
    );
    chain.stop().await.unwrap();
}
