//! The restaking demonstration on a deployed stack: a staker deposits, the vault's manager
//! delegates to an operator, the operator joins a service's operator set and allocates, a slash
//! is vetoed and another executed, the service pays a reward, and a queued withdrawal bears a
//! slash that lands before it is claimed. `restake up` prints it; the end-to-end tests assert
//! on the figures it returns.
use alloy::contract::{CallBuilder, CallDecoder};
use alloy::primitives::{utils::format_ether, utils::parse_ether, Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionReceipt;
use alloy::signers::local::PrivateKeySigner;
use anyhow::{anyhow, Context, Result};

use crate::bindings::{
    AllocationManager, DelegationManager, IRedeemQueue, OperatorRegistry, RestakeVault,
    RewardsCoordinator, SlashingManager,
};
use crate::executor::describe_revert;
use crate::manifest::Manifest;
use crate::scenario::{advance_time, signing_provider, GasReport};

/// The asset address of native ETH (ERC-7535), as the vault and rewards coordinator name it.
pub const NATIVE_ETH: Address =
    alloy::primitives::address!("EeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE");

/// 1e18: a whole magnitude (100% of an operator's stake) and a whole slash fraction.
pub const WAD: u64 = 1_000_000_000_000_000_000;

/// The accounts playing each part (funded keys on the chain).
#[derive(Debug, Clone)]
pub struct Actors {
    /// Admin of every contract and the vault's operator manager in the delegation manager.
    pub admin: PrivateKeySigner,
    /// The operator (fee 10%).
    pub operator: PrivateKeySigner,
    /// The service (AVS) owning the operator set; pays the reward.
    pub service: PrivateKeySigner,
    /// The set's slasher.
    pub slasher: PrivateKeySigner,
    /// The set's resolver (may veto during the window).
    pub resolver: PrivateKeySigner,
    /// The staker depositing into the vault.
    pub staker: PrivateKeySigner,
    /// Where slashed assets go.
    pub payout: Address,
}

/// The settings of the run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// ETH the staker deposits.
    pub deposit: U256,
    /// ETH of the vault delegated to the operator.
    pub delegated: U256,
    /// Magnitude (WAD) the operator allocates to the set.
    pub magnitude: u64,
    /// The set's maximum slash per event, in basis points.
    pub max_slash_bps: u16,
    /// The set's veto window in seconds.
    pub veto_window: u64,
    /// The reward paid by the service, in ETH.
    pub reward: U256,
    /// The reward's streaming duration in seconds.
    pub reward_duration: u64,
}

impl Default for Settings {
    /// 100 ETH deposited, 80 delegated, 50% allocated, a 50% cap per slash, a 2-hour veto
    /// window, a 10 ETH reward streamed over a day.
    fn default() -> Self {
        Self {
            deposit: parse_ether("100").unwrap_or_default(),
            delegated: parse_ether("80").unwrap_or_default(),
            magnitude: WAD / 2,
            max_slash_bps: 5_000,
            veto_window: 2 * 3_600,
            reward: parse_ether("10").unwrap_or_default(),
            reward_duration: 86_400,
        }
    }
}

/// What happened, for printing and for the tests' assertions.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Gas per operation from the receipts.
    pub gas: GasReport,
    /// The operator set created.
    pub set_id: u64,
    /// The operator's slashable stake in the set once the allocation took effect.
    pub slashable_before: U256,
    /// The operator's slashable stake in the set after the executed slash.
    pub slashable_after: U256,
    /// The revert of executing the vetoed request, decoded.
    pub vetoed_execution_error: String,
    /// Taken by the executed slash.
    pub slashed: U256,
    /// Received by the payout address from that slash.
    pub payout_received: U256,
    /// Vault total assets and exchange rate before and after the executed slash.
    pub assets_before_slash: U256,
    /// See `assets_before_slash`.
    pub assets_after_slash: U256,
    /// See `assets_before_slash`.
    pub rate_before_slash: U256,
    /// See `assets_before_slash`.
    pub rate_after_slash: U256,
    /// The operator's fee from the reward.
    pub operator_fee: U256,
    /// The reward's unvested part in the vault just after submission, and total assets then.
    pub unvested_at_submit: U256,
    /// See `unvested_at_submit`.
    pub assets_at_submit: U256,
    /// Total assets once the reward vested.
    pub assets_after_vesting: U256,
    /// LRT shares queued for withdrawal, their value at the request, the value just before
    /// the claim (after a second slash), and what the claim paid.
    pub redeem_shares: U256,
    /// See `redeem_shares`.
    pub value_at_request: U256,
    /// See `redeem_shares`.
    pub value_at_claim: U256,
    /// See `redeem_shares`.
    pub paid: U256,
    /// Taken by the second slash (while the withdrawal was queued).
    pub second_slash: U256,
}

/// Sends `call`, waits for its receipt and records its gas as `op`; a revert (at estimation
/// or in the receipt) is an error naming `op` and the decoded reason.
async fn send<P: Provider, D: CallDecoder>(
    gas: &mut GasReport,
    op: &str,
    call: CallBuilder<P, D>,
) -> Result<TransactionReceipt> {
    let pending = call.send().await.map_err(|e| {
        let reason = e
            .as_revert_data()
            .map(|d| describe_revert(&d))
            .unwrap_or_else(|| e.to_string());
        anyhow!("{op} failed: {reason}")
    })?;
    let receipt = pending
        .get_receipt()
        .await
        .with_context(|| format!("{op}: waiting for the receipt"))?;
    gas.record(op, &receipt)?;
    Ok(receipt)
}

/// Runs the demonstration against the contracts in `manifest` at `url`, printing each step.
///
/// # Errors
/// The first operation that fails, named with its decoded revert reason.
pub async fn run(url: &str, manifest: &Manifest, actors: &Actors, s: Settings) -> Result<Report> {
    let need = |name: &str| {
        manifest
            .address(name)
            .with_context(|| format!("{name} missing from the manifest"))
    };
    let (vault_at, queue_at) = (need("vault")?, need("redeemQueue")?);
    let (registry_at, dm_at) = (need("operatorRegistry")?, need("delegationManager")?);
    let (am_at, sm_at, rc_at) = (
        need("allocationManager")?,
        need("slashingManager")?,
        need("rewardsCoordinator")?,
    );
    let p = |k: &PrivateKeySigner| signing_provider(url, k);
    let (admin, operator, service) = (p(&actors.admin)?, p(&actors.operator)?, p(&actors.service)?);
    let (slasher, resolver, staker) = (
        p(&actors.slasher)?,
        p(&actors.resolver)?,
        p(&actors.staker)?,
    );
    let op = actors.operator.address();
    let mut r = Report::default();
    let gas = &mut r.gas;
    println!("restaking as staker {}:", actors.staker.address());

    // Deposit.
    let vault = RestakeVault::new(vault_at, &staker);
    send(
        gas,
        "deposit ETH",
        vault.deposit(actors.staker.address()).value(s.deposit),
    )
    .await?;
    println!("  staker deposited {} ETH", format_ether(s.deposit));

    // Operator, service and operator set.
    send(
        gas,
        "registerOperator",
        OperatorRegistry::new(registry_at, &operator).registerOperator(1_000),
    )
    .await?;
    let registry = OperatorRegistry::new(registry_at, &service);
    send(gas, "registerService", registry.registerService()).await?;
    let configure = registry.configureSet(
        0,
        actors.slasher.address(),
        actors.resolver.address(),
        actors.payout,
        s.max_slash_bps,
        s.veto_window,
        true,
    );
    r.set_id = configure.call().await.context("configureSet (simulated)")?;
    send(gas, "configureSet", configure).await?;
    send(
        gas,
        "join",
        OperatorRegistry::new(registry_at, &operator).join(r.set_id, op),
    )
    .await?;
    println!(
        "  operator {op} (fee 10%) joined set #{} (slash cap {}%, veto window {}s)",
        r.set_id,
        s.max_slash_bps / 100,
        s.veto_window
    );

    // Delegate and allocate.
    let dm = DelegationManager::new(dm_at, &admin);
    send(
        gas,
        "setDelegationCap",
        dm.setDelegationCap(vault_at, op, s.delegated),
    )
    .await?;
    send(
        gas,
        "setDelegation",
        dm.setDelegation(vault_at, op, s.delegated),
    )
    .await?;
    let am = AllocationManager::new(am_at, &operator);
    send(gas, "allocate", am.allocate(r.set_id, s.magnitude)).await?;
    let delay = am
        .allocationDelay(op)
        .call()
        .await
        .context("allocationDelay")?;
    advance_time(&admin, delay + 1).await?;
    r.slashable_before = am.slashableStake(op, r.set_id, 0).call().await?;
    println!(
        "  vault delegated {} ETH; after the {delay}s allocation delay {} ETH is slashable in the set",
        format_ether(s.delegated),
        format_ether(r.slashable_before)
    );

    // A vetoed slash, then an executed one.
    let sm = SlashingManager::new(sm_at, &slasher);
    let request = sm.requestSlash(op, r.set_id, U256::from(WAD), B256::repeat_byte(0xe1));
    let vetoed = request.call().await.context("requestSlash (simulated)")?;
    send(gas, "requestSlash", request).await?;
    send(
        gas,
        "vetoSlash",
        SlashingManager::new(sm_at, &resolver).vetoSlash(vetoed),
    )
    .await?;
    advance_time(&admin, s.veto_window + 1).await?;
    let anyone = SlashingManager::new(sm_at, &staker);
    r.vetoed_execution_error = match anyone.executeSlash(vetoed).call().await {
        Ok(_) => anyhow::bail!("a vetoed slash could be executed"),
        Err(e) => e
            .as_revert_data()
            .map(|d| describe_revert(&d))
            .unwrap_or_else(|| e.to_string()),
    };
    println!(
        "  slash #{vetoed} vetoed by the resolver; executing it fails: {}",
        r.vetoed_execution_error
    );

    let vault_view = RestakeVault::new(vault_at, &admin);
    r.assets_before_slash = vault_view.totalAssets().call().await?;
    r.rate_before_slash = vault_view.exchangeRate().call().await?;
    let request = sm.requestSlash(op, r.set_id, U256::from(WAD), B256::repeat_byte(0xe2));
    let id = request.call().await.context("requestSlash (simulated)")?;
    send(gas, "requestSlash", request).await?;
    advance_time(&admin, s.veto_window + 1).await?;
    let payout_before = admin.get_balance(actors.payout).await?;
    let execute = anyone.executeSlash(id);
    r.slashed = execute.call().await.context("executeSlash (simulated)")?;
    send(gas, "executeSlash", execute).await?;
    r.payout_received = admin
        .get_balance(actors.payout)
        .await?
        .saturating_sub(payout_before);
    r.assets_after_slash = vault_view.totalAssets().call().await?;
    r.rate_after_slash = vault_view.exchangeRate().call().await?;
    r.slashable_after = am.slashableStake(op, r.set_id, 0).call().await?;
    println!(
        "  slash #{id} executed after the window: {} ETH to the payout; vault {} -> {} ETH, rate {} -> {}",
        format_ether(r.slashed),
        format_ether(r.assets_before_slash),
        format_ether(r.assets_after_slash),
        format_ether(r.rate_before_slash),
        format_ether(r.rate_after_slash)
    );

    // A reward: the fee to the operator at once, the rest streamed into the vault.
    let fee_before = admin.get_balance(op).await?;
    let rc = RewardsCoordinator::new(rc_at, &service);
    send(
        gas,
        "submitReward",
        rc.submitReward(r.set_id, op, NATIVE_ETH, s.reward, s.reward_duration)
            .value(s.reward),
    )
    .await?;
    r.operator_fee = admin.get_balance(op).await?.saturating_sub(fee_before);
    r.unvested_at_submit = vault_view.unvestedReward(NATIVE_ETH).call().await?;
    r.assets_at_submit = vault_view.totalAssets().call().await?;
    advance_time(&admin, s.reward_duration + 1).await?;
    r.assets_after_vesting = vault_view.totalAssets().call().await?;
    println!(
        "  reward of {} ETH: {} ETH fee to the operator, {} ETH streamed into the vault over {}s (total assets now {} ETH)",
        format_ether(s.reward),
        format_ether(r.operator_fee),
        format_ether(r.unvested_at_submit),
        s.reward_duration,
        format_ether(r.assets_after_vesting)
    );

    // A withdrawal queued before a second slash bears it.
    let lrt = crate::bindings::LrtToken::new(need("lrtToken")?, &staker);
    r.redeem_shares = lrt.balanceOf(actors.staker.address()).call().await? / U256::from(2);
    r.value_at_request = vault_view.previewRedeem(r.redeem_shares).call().await?;
    let queue = IRedeemQueue::new(queue_at, &staker);
    let me = actors.staker.address();
    let request = queue.requestRedeem(r.redeem_shares, me, me);
    let withdrawal = request.call().await.context("requestRedeem (simulated)")?;
    send(gas, "requestRedeem", request).await?;
    let request = sm.requestSlash(op, r.set_id, U256::from(WAD), B256::repeat_byte(0xe3));
    let id = request.call().await.context("requestSlash (simulated)")?;
    send(gas, "requestSlash", request).await?;
    let wait = s.veto_window.max(queue.withdrawalDelay().call().await?) + 1;
    advance_time(&admin, wait).await?;
    let execute = anyone.executeSlash(id);
    r.second_slash = execute.call().await.context("executeSlash (simulated)")?;
    send(gas, "executeSlash", execute).await?;
    r.value_at_claim = vault_view.previewRedeem(r.redeem_shares).call().await?;
    let claim = queue.claim(withdrawal, me);
    r.paid = claim.call().await.context("claim (simulated)")?;
    send(gas, "claim", claim).await?;
    println!(
        "  withdrawal #{withdrawal} of {} rsETH worth {} ETH at request; slash #{id} took {} ETH while queued; claim paid {} ETH",
        format_ether(r.redeem_shares),
        format_ether(r.value_at_request),
        format_ether(r.second_slash),
        format_ether(r.paid)
    );
    Ok(r)
}
