//! The embedded local chain: a [`devnode`] chain served over JSON-RPC in this process.
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use devnode::rpc::ServerHandle;
use devnode::{Chain, ChainConfig};

/// A running embedded chain.
pub struct EmbeddedChain {
    handle: ServerHandle,
    state: Option<PathBuf>,
}

impl EmbeddedChain {
    /// Starts a chain with `chain_id` on `127.0.0.1:port` (0 picks a free port). With `state`,
    /// loads that file when it exists; [`EmbeddedChain::stop`] saves to it.
    ///
    /// # Errors
    /// When the state file cannot be loaded or the port cannot be bound.
    pub async fn start(port: u16, chain_id: u64, state: Option<&Path>) -> Result<Self> {
        Self::start_with(port, chain_id, state, None).await
    }

    /// [`EmbeddedChain::start`] with a code-size limit other than Arbitrum's 24,576 bytes
    /// (devnode's `--code-size-limit`), for contracts still over the limit.
    ///
    /// # Errors
    /// As [`EmbeddedChain::start`].
    pub async fn start_with(
        port: u16,
        chain_id: u64,
        state: Option<&Path>,
        code_size_limit: Option<usize>,
    ) -> Result<Self> {
        let mut config = ChainConfig {
            chain_id,
            ..ChainConfig::default()
        };
        if let Some(limit) = code_size_limit {
            config.stylus.max_code_size = limit;
        }
        let chain = match state {
            Some(path) if path.exists() => Chain::load_state(config, path)
                .with_context(|| format!("loading chain state from {}", path.display()))?,
            _ => Chain::new(config),
        };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let handle = devnode::rpc::serve(chain, addr)
            .await
            .with_context(|| format!("serving JSON-RPC on {addr}"))?;
        Ok(Self {
            handle,
            state: state.map(Path::to_path_buf),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.handle.url()
    }

    /// Stops serving and saves the state file when one was given.
    ///
    /// # Errors
    /// When the state cannot be saved.
    pub async fn stop(self) -> Result<()> {
        let chain = self.handle.shutdown().await;
        if let Some(path) = &self.state {
            let chain = chain
                .lock()
                .map_err(|_| anyhow::anyhow!("chain lock poisoned"))?;
            chain
                .save_state(path)
                .with_context(|| format!("saving chain state to {}", path.display()))?;
            println!("chain state saved to {}", path.display());
        }
        Ok(())
    }
}
