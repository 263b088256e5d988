//! One deployment run from start to end: connect, load artifacts and manifest, run the plan.
use std::path::PathBuf;

use alloy::primitives::utils::format_ether;
use alloy::providers::Provider;
use alloy::signers::local::PrivateKeySigner;
use anyhow::{bail, Context, Result};

use crate::artifacts::{self, Artifact};
use crate::executor::{Executor, RunReport};
use crate::manifest::Manifest;
use crate::plan::{self, Params, Step};
use crate::scenario::signing_provider;

/// Where a run finds its inputs and writes its manifest.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Directory of the manifests (`<chain-id>.json`).
    pub deployments: PathBuf,
    /// Directory of the built modules; `None` = `target/stylus` of the workspace.
    pub artifacts: Option<PathBuf>,
    /// Run `cargo xtask wasm` when a module is missing.
    pub build: bool,
}

/// Loads the modules `steps` deploy.
///
/// # Errors
/// When a module is missing (and cannot be built).
pub fn load_artifacts(paths: &Paths, steps: &[Step]) -> Result<Vec<Artifact>> {
    let workspace = artifacts::workspace_root().ok();
    let dir = match (&paths.artifacts, &workspace) {
        (Some(dir), _) => dir.clone(),
        (None, Some(ws)) => artifacts::default_dir(ws),
        (None, None) => bail!("pass --artifacts DIR (not inside the workspace)"),
    };
    let build = if paths.build {
        workspace.as_deref()
    } else {
        None
    };
    artifacts::load_all(&dir, &plan::packages(steps), build)
        .context("the contracts must be built first: run `cargo xtask wasm`")
}

/// Deploys (or finishes deploying) the plan for `params` to `url` as `key`, or only prints it
/// when `dry_run`. Returns the manifest and what was sent.
///
/// # Errors
/// The first failing step, named; the manifest keeps what was done.
pub async fn deploy(
    url: &str,
    key: &PrivateKeySigner,
    network: &str,
    params: Params,
    paths: &Paths,
    dry_run: bool,
) -> Result<(Manifest, RunReport)> {
    let provider = signing_provider(url, key)?;
    let chain_id = provider
        .get_chain_id()
        .await
        .with_context(|| format!("asking {url} for its chain id"))?;
    let steps = plan::plan(&params);
    let artifacts = load_artifacts(paths, &steps)?;
    let manifest = Manifest::load_or_new(&paths.deployments, chain_id, network, key.address())?;
    let mut executor = Executor::new(
        provider,
        key.address(),
        paths.deployments.clone(),
        manifest,
        artifacts,
        params,
    );
    if dry_run {
        executor.dry_run(&steps).await?;
        return Ok((executor.manifest, RunReport::default()));
    }
    let report = executor.run(&steps).await?;
    println!(
        "deployment complete: {} steps sent ({} gas, {} ETH data fees), {} kept; manifest {}",
        report.executed.len(),
        report.total_gas(),
        format_ether(report.total_data_fee()),
        report.kept.len(),
        Manifest::path(&paths.deployments, chain_id).display()
    );
    Ok((executor.manifest, report))
}
