//! Runs a plan against an RPC endpoint: progress output, idempotence, resumption, dry runs.
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use alloy::primitives::{keccak256, utils::format_ether, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol_types::SolInterface;
use anyhow::{anyhow, bail, Context, Result};

use crate::artifacts::Artifact;
use crate::bindings::{
    AllocationManager, DelegationManager, IArbWasm, LrtToken, OperatorRegistry, RestakeVault,
    RewardsCoordinator, SlashingManager,
};
use crate::manifest::{ContractRecord, Manifest, PendingStep};
use crate::plan::{ContractKind, Params, Step};
use crate::stylus;

/// Gas and fees of one executed step.
#[derive(Debug, Clone)]
pub struct StepCost {
    /// What the step did.
    pub description: String,
    /// Gas used by its transaction.
    pub gas_used: u64,
    /// Wei paid for gas (gas used x effective price).
    pub gas_fee: U256,
    /// Activation data fee in wei (deployments only; the value sent minus the refund).
    pub data_fee: U256,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    /// Steps executed now, with their costs.
    pub executed: Vec<StepCost>,
    /// Steps found already done (kept).
    pub kept: Vec<String>,
}

impl RunReport {
    /// Total gas used by the executed steps.
    pub fn total_gas(&self) -> u64 {
        self.executed.iter().map(|c| c.gas_used).sum()
    }

    /// Total activation data fees paid.
    pub fn total_data_fee(&self) -> U256 {
        self.executed.iter().map(|c| c.data_fee).sum()
    }
}

/// Drives a deployment on one chain.
pub struct Executor {
    provider: DynProvider,
    from: Address,
    manifest_dir: PathBuf,
    /// The manifest, saved after every step.
    pub manifest: Manifest,
    artifacts: HashMap<&'static str, Artifact>,
    params: Params,
    receipt_timeout: Duration,
}

impl Executor {
    /// An executor sending from `from` (a key the provider's wallet holds).
    pub fn new(
        provider: DynProvider,
        from: Address,
        manifest_dir: PathBuf,
        manifest: Manifest,
        artifacts: Vec<Artifact>,
        params: Params,
    ) -> Self {
        let artifacts = artifacts
            .into_iter()
            .filter_map(|a| {
                ContractKind::ALL
                    .into_iter()
                    .find(|k| k.package() == a.package)
                    .map(|k| (k.package(), a))
            })
            .collect();
        Self {
            provider,
            from,
            manifest_dir,
            manifest,
            artifacts,
            params,
            receipt_timeout: Duration::from_secs(300),
        }
    }

    fn artifact(&self, kind: ContractKind) -> Result<&Artifact> {
        self.artifacts
            .get(kind.package())
            .with_context(|| format!("no built module for {}", kind.package()))
    }

    /// Whether `step` is already done on chain (not only in the manifest).
    ///
    /// # Errors
    /// When the endpoint fails.
    pub async fn is_done(&self, step: &Step) -> Result<bool> {
        match step {
            Step::Deploy(kind) => {
                let Some(record) = self.manifest.contracts.get(kind.name()) else {
                    return Ok(false);
                };
                let code = self
                    .provider
                    .get_code_at(record.address)
                    .await
                    .context("eth_getCode")?;
                let artifact = self.artifact(*kind)?;
                let args = kind.constructor_args(&self.params, &self.manifest)?;
                Ok(keccak256(&code) == artifact.code_hash && record.args_hash == keccak256(&args))
            }
            Step::Wire(wire) => {
                if !wire.verifiable() {
                    return Ok(self
                        .manifest
                        .is_done(&step.id(&self.params, &self.manifest)));
                }
                let Some(check) = wire.check(&self.params, &self.manifest) else {
                    return Ok(false);
                };
                match self
                    .provider
                    .call(call_request(check.to, check.input))
                    .await
                {
                    Ok(answer) => Ok((check.done)(&answer)),
                    // A view that reverts (e.g. a quote for a destination not configured
                    // yet) shows the wiring is not in place.
                    Err(e)
                        if e.as_error_resp()
                            .is_some_and(|r| r.as_revert_data().is_some()) =>
                    {
                        Ok(false)
                    }
                    Err(e) => Err(e).with_context(|| format!("checking {}", wire.describe())),
                }
            }
        }
    }

    /// Runs every step not done yet, saving the manifest after each; prints progress.
    ///
    /// # Errors
    /// The first failing step, named, with the decoded revert reason when there is one. The
    /// manifest keeps everything done before it, so a re-run resumes there.
    pub async fn run(&mut self, steps: &[Step]) -> Result<RunReport> {
        let mut report = RunReport::default();
        let total = steps.len();
        for (i, step) in steps.iter().enumerate() {
            let label = format!("[{}/{total}] {}", i + 1, step.describe());
            let started = Instant::now();
            if self
                .is_done(step)
                .await
                .with_context(|| format!("{label}: checking"))?
            {
                println!("{label}: already done, kept");
                self.mark_done(step)?;
                report.kept.push(step.describe());
                continue;
            }
            println!("{label}: sending...");
            let cost = self
                .execute(step)
                .await
                .with_context(|| format!("step {label} failed"))?;
            println!(
                "{label}: done in {:.1}s, gas {}, data fee {} ETH",
                started.elapsed().as_secs_f64(),
                cost.gas_used,
                format_ether(cost.data_fee)
            );
            report.executed.push(cost);
        }
        Ok(report)
    }

    fn mark_done(&mut self, step: &Step) -> Result<()> {
        if !matches!(step, Step::Deploy(_)) {
            let id = step.id(&self.params, &self.manifest);
            if !self.manifest.is_done(&id) {
                self.manifest.steps_done.push(id);
            }
        }
        self.manifest.save(&self.manifest_dir)
    }

    async fn execute(&mut self, step: &Step) -> Result<StepCost> {
        let id = step.id(&self.params, &self.manifest);
        // A transaction sent by an earlier, interrupted run for this very step: wait for it
        // rather than sending a second one.
        let resumed = match self.manifest.pending.clone() {
            Some(p) if p.step == id => {
                let known = self
                    .provider
                    .get_transaction_by_hash(p.tx_hash)
                    .await
                    .context("eth_getTransactionByHash")?
                    .is_some();
                if known {
                    println!(
                        "  resuming: waiting for {} sent by an earlier run",
                        p.tx_hash
                    );
                    match self.wait_receipt(p.tx_hash).await {
                        Ok(r) if r.status() => Some(r),
                        _ => None,
                    }
                } else {
                    println!(
                        "  {} from an earlier run is unknown to this chain: sending again",
                        p.tx_hash
                    );
                    None
                }
            }
            _ => None,
        };
        let (receipt, data_fee, args_hash) = match resumed {
            Some(r) => {
                let args_hash = match step {
                    Step::Deploy(kind) => {
                        keccak256(kind.constructor_args(&self.params, &self.manifest)?)
                    }
                    _ => B256::ZERO,
                };
                (r, U256::ZERO, args_hash)
            }
            None => self.send_step(step, &id).await?,
        };
        let gas_fee = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
        if let Step::Deploy(kind) = step {
            let address = stylus::deployed_address(&receipt)?;
            let artifact = self.artifact(*kind)?;
            self.manifest.contracts.insert(
                kind.name().to_owned(),
                ContractRecord {
                    package: kind.package().to_owned(),
                    address,
                    tx_hash: receipt.transaction_hash,
                    code_hash: artifact.code_hash,
                    args_hash,
                    abi: kind.abi().to_owned(),
                    test_only: kind.test_only(),
                    gas_used: receipt.gas_used,
                    data_fee: data_fee.to_string(),
                },
            );
            println!("  {} at {address}", kind.name());
        } else if !receipt.status() {
            bail!("transaction {} reverted", receipt.transaction_hash);
        }
        self.manifest.pending = None;
        self.mark_done(step)?;
        Ok(StepCost {
            description: step.describe(),
            gas_used: receipt.gas_used,
            gas_fee,
            data_fee,
        })
    }

    /// The transaction a step sends, the activation fee it carries and its constructor hash.
    async fn request(&self, step: &Step) -> Result<(TransactionRequest, U256, B256)> {
        Ok(match step {
            Step::Deploy(kind) => {
                let artifact = self.artifact(*kind)?;
                let args = kind.constructor_args(&self.params, &self.manifest)?;
                let fee =
                    stylus::estimate_data_fee(&self.provider, self.from, &artifact.code).await?;
                let value = stylus::with_margin(fee);
                let tx = stylus::deploy_request(
                    &artifact.code,
                    stylus::constructor_calldata(&args),
                    value,
                );
                (tx, fee, keccak256(&args))
            }
            Step::Wire(wire) => {
                let (to, input) = wire.call(&self.params, &self.manifest)?;
                (call_request(to, input), U256::ZERO, B256::ZERO)
            }
        })
    }

    async fn send_step(
        &mut self,
        step: &Step,
        id: &str,
    ) -> Result<(TransactionReceipt, U256, B256)> {
        let (tx, fee, args_hash) = self.request(step).await?;
        let tx = tx.from(self.from);
        let pending = self.provider.send_transaction(tx).await.map_err(|e| {
            let data = e.as_error_resp().and_then(|r| r.as_revert_data());
            match data {
                Some(data) => anyhow!("reverted: {}", describe_revert(&data)),
                None => anyhow!(e),
            }
        })?;
        let tx_hash = *pending.tx_hash();
        self.manifest.pending = Some(PendingStep {
            step: id.to_owned(),
            tx_hash,
        });
        self.manifest.save(&self.manifest_dir)?;
        let receipt = self.wait_receipt(tx_hash).await?;
        if !receipt.status() {
            bail!(
                "transaction {tx_hash} reverted (gas used {})",
                receipt.gas_used
            );
        }
        Ok((receipt, fee, args_hash))
    }

    async fn wait_receipt(&self, tx_hash: B256) -> Result<TransactionReceipt> {
        let deadline = Instant::now() + self.receipt_timeout;
        loop {
            if let Some(r) = self
                .provider
                .get_transaction_receipt(tx_hash)
                .await
                .context("eth_getTransactionReceipt")?
            {
                return Ok(r);
            }
            if Instant::now() > deadline {
                bail!("no receipt for {tx_hash} after {:?}", self.receipt_timeout);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Prints the plan with each step's state and, for what would be sent, estimated gas and
    /// data fees; sends nothing.
    ///
    /// # Errors
    /// When the endpoint fails.
    pub async fn dry_run(&self, steps: &[Step]) -> Result<()> {
        let gas_price = self
            .provider
            .get_gas_price()
            .await
            .context("eth_gasPrice")?;
        let mut total_gas = 0u64;
        let mut total_fee = U256::ZERO;
        println!(
            "plan for chain {} from {} (gas price {} wei):",
            self.manifest.chain_id, self.from, gas_price
        );
        for (i, step) in steps.iter().enumerate() {
            let label = format!("[{}/{}] {}", i + 1, steps.len(), step.describe());
            if self.is_done(step).await? {
                println!("{label}: already done, would be kept");
                continue;
            }
            match self.estimate(step).await {
                Ok((gas, fee)) => {
                    total_gas += gas;
                    total_fee += fee;
                    println!(
                        "{label}: would send, ~{gas} gas, data fee {} ETH",
                        format_ether(fee)
                    );
                }
                Err(e) => println!("{label}: would send (estimate after earlier steps: {e:#})"),
            }
        }
        let cost = U256::from(total_gas) * U256::from(gas_price) + total_fee;
        println!(
            "estimated total: {total_gas} gas + {} ETH data fees = {} ETH at the current gas price",
            format_ether(total_fee),
            format_ether(cost)
        );
        Ok(())
    }

    async fn estimate(&self, step: &Step) -> Result<(u64, U256)> {
        let (tx, fee, _) = self.request(step).await?;
        let gas = self
            .provider
            .estimate_gas(tx.from(self.from))
            .await
            .map_err(
                |e| match e.as_error_resp().and_then(|r| r.as_revert_data()) {
                    Some(data) => anyhow!("reverts: {}", describe_revert(&data)),
                    None => anyhow!(e),
                },
            )?;
        Ok((gas, fee))
    }
}

/// A plain call to `to` with `input`.
pub fn call_request(to: Address, input: Vec<u8>) -> TransactionRequest {
    TransactionRequest::default().to(to).input(input.into())
}

/// Names a revert: decodes it as one of our contracts' custom errors when it is one.
pub fn describe_revert(data: &Bytes) -> String {
    if let Ok(e) = LrtToken::LrtTokenErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = IArbWasm::IArbWasmErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = RestakeVault::RestakeVaultErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = OperatorRegistry::OperatorRegistryErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = DelegationManager::DelegationManagerErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = AllocationManager::AllocationManagerErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = SlashingManager::SlashingManagerErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = RewardsCoordinator::RewardsCoordinatorErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if data.is_empty() {
        return "empty revert data (e.g. value sent to a non-payable function)".into();
    }
    format!("unknown error 0x{}", alloy::hex::encode(data))
}
