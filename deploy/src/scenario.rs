//! The demonstration `restake up` runs on the local chain: every user path of the vault and
//! token, with the gas each operation used (figures printed, not asserted).
use alloy::network::EthereumWallet;
use alloy::primitives::{utils::format_ether, utils::parse_ether, Address, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::TransactionReceipt;
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::Signer;
use alloy::sol_types::{eip712_domain, SolStruct};
use anyhow::{bail, Context, Result};

use crate::bindings::{IRedeemQueue, LrtToken, Permit, RestakeVault, TestLst};
use crate::manifest::Manifest;

/// Gas used by each user operation, in order.
#[derive(Debug, Clone, Default)]
pub struct GasReport {
    /// (operation, gas used).
    pub ops: Vec<(String, u64)>,
}

impl GasReport {
    /// Records `receipt`'s gas as `op`.
    ///
    /// # Errors
    /// When the transaction reverted.
    pub fn record(&mut self, op: &str, receipt: &TransactionReceipt) -> Result<()> {
        if !receipt.status() {
            bail!("{op} reverted in {}", receipt.transaction_hash);
        }
        self.ops.push((op.to_owned(), receipt.gas_used));
        Ok(())
    }

    /// Gas of the operation named `op`.
    pub fn gas(&self, op: &str) -> Option<u64> {
        self.ops.iter().find(|(o, _)| o == op).map(|(_, g)| *g)
    }
}

/// A provider that signs with `key`.
///
/// # Errors
/// When the URL is malformed.
pub fn signing_provider(url: &str, key: &PrivateKeySigner) -> Result<DynProvider> {
    let url = url.parse().with_context(|| format!("bad RPC URL {url}"))?;
    Ok(ProviderBuilder::new()
        .wallet(EthereumWallet::from(key.clone()))
        .connect_http(url)
        .erased())
}

/// Moves the local chain's clock forward by `seconds` and mines a block (`evm_increaseTime`,
/// `evm_mine`).
///
/// # Errors
/// When the endpoint refuses (not a development chain).
pub async fn advance_time(provider: &DynProvider, seconds: u64) -> Result<()> {
    let _: serde_json::Value = provider
        .raw_request("evm_increaseTime".into(), (seconds,))
        .await
        .context("evm_increaseTime")?;
    let _: serde_json::Value = provider
        .raw_request("evm_mine".into(), ())
        .await
        .context("evm_mine")?;
    Ok(())
}

/// Runs the scenario as `user` (a funded key), with `spender` receiving a permit and a transfer.
/// Time is moved forward with `evm_increaseTime` past the withdrawal delay.
///
/// # Errors
/// The first operation that fails, named.
pub async fn run(
    url: &str,
    manifest: &Manifest,
    user: &PrivateKeySigner,
    spender: Address,
    delay: u64,
) -> Result<GasReport> {
    let provider = signing_provider(url, user)?;
    let me = user.address();
    let need = |name: &str| {
        manifest
            .address(name)
            .with_context(|| format!("{name} missing from the manifest"))
    };
    let vault = RestakeVault::new(need("vault")?, &provider);
    let queue = IRedeemQueue::new(need("redeemQueue")?, &provider);
    let token = LrtToken::new(need("lrtToken")?, &provider);
    let lst = TestLst::new(need("testLst")?, &provider);
    let mut gas = GasReport::default();

    println!("scenario as {me}:");
    // 1. Deposit ETH.
    let r = vault
        .deposit(me)
        .value(parse_ether("10")?)
        .send()
        .await
        .context("deposit")?
        .get_receipt()
        .await?;
    gas.record("deposit ETH", &r)?;
    let shares = token.balanceOf(me).call().await?;
    println!(
        "  deposited 10 ETH, received {} rsETH",
        format_ether(shares)
    );

    // 2. Deposit the test LST.
    let amount = parse_ether("20")?;
    lst.mint(me, amount)
        .send()
        .await
        .context("testLst.mint")?
        .get_receipt()
        .await?;
    lst.approve(*vault.address(), amount)
        .send()
        .await
        .context("testLst.approve")?
        .get_receipt()
        .await?;
    let r = vault
        .depositToken(*lst.address(), amount, me)
        .send()
        .await
        .context("depositToken")?
        .get_receipt()
        .await?;
    gas.record("depositToken", &r)?;
    let shares = token.balanceOf(me).call().await?;
    println!("  deposited 20 tstETH, now {} rsETH", format_ether(shares));

    // 3. Transfer and permit.
    let r = token
        .transfer(spender, parse_ether("1")?)
        .send()
        .await
        .context("transfer")?
        .get_receipt()
        .await?;
    gas.record("transfer", &r)?;
    let chain_id = provider.get_chain_id().await?;
    let name = token.name().call().await?;
    let nonce = token.nonces(me).call().await?;
    let deadline = U256::from(u64::MAX);
    let value = parse_ether("2")?;
    let domain = eip712_domain! {
        name: name,
        version: "1",
        chain_id: chain_id,
        verifying_contract: *token.address(),
    };
    let permit = Permit {
        owner: me,
        spender,
        value,
        nonce,
        deadline,
    };
    let sig = user
        .sign_hash(&permit.eip712_signing_hash(&domain))
        .await
        .context("signing the permit")?;
    let v = if sig.v() { 28u8 } else { 27u8 };
    let r = token
        .permit(
            me,
            spender,
            value,
            deadline,
            v,
            sig.r().into(),
            sig.s().into(),
        )
        .send()
        .await
        .context("permit")?
        .get_receipt()
        .await?;
    gas.record("permit", &r)?;
    println!(
        "  permit: {spender} may spend {} rsETH",
        format_ether(token.allowance(me, spender).call().await?)
    );

    // 4. Request a withdrawal, wait out the delay, claim.
    // 5 rsETH: paid in ETH, of which the vault holds 10 (the rest of its assets is tstETH).
    let shares = parse_ether("5")?;
    let request = queue.requestRedeem(shares, me, me);
    let id = request.call().await.context("requestRedeem (simulated)")?;
    let r = request
        .send()
        .await
        .context("requestRedeem")?
        .get_receipt()
        .await?;
    gas.record("requestRedeem", &r)?;
    println!(
        "  requested redemption #{id} of {} rsETH",
        format_ether(shares)
    );
    advance_time(&provider, delay + 1).await?;
    let before = provider.get_balance(me).await?;
    let claim = queue.claim(id, me);
    let assets = claim.call().await.context("claim (simulated)")?;
    let r = claim.send().await.context("claim")?.get_receipt().await?;
    gas.record("claim", &r)?;
    let after = provider.get_balance(me).await?;
    println!(
        "  claimed #{id} after {delay}s: {} ETH paid (balance +{} ETH net of gas)",
        format_ether(assets),
        format_ether(after.saturating_sub(before))
    );
    println!(
        "  vault: total assets {} ETH, exchange rate {} ETH per rsETH",
        format_ether(vault.totalAssets().call().await?),
        format_ether(vault.exchangeRate().call().await?)
    );
    Ok(gas)
}
