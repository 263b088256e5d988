//! The persisted progress: per route the last scanned source block and per packet its stage.
//!
//! Saved as JSON with an atomic replace (write a temporary file beside it, flush it to disk,
//! rename over the old one), so a crash at any point leaves either the old or the new file.
//! After a restart the relayer re-reads every pending packet's stage from the destination
//! endpoint before acting, so a stale file costs at most a few view calls, never a second
//! delivery (the endpoint's exactly-once rule is the backstop).
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use alloy::primitives::{Address, Bytes, B256};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::packet::Packet;

/// Version of the file format.
pub const STATE_VERSION: u32 = 1;

/// How many delivered packets each route keeps in the file (oldest dropped first). Dropping
/// them is safe: they all lie at or below the route's scanned block and are never rescanned.
pub const RETAIN_DELIVERED: usize = 1_000;

/// The whole state file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// File format version ([`STATE_VERSION`]).
    pub version: u32,
    /// Route id (see [`route_id`]) => its progress.
    pub routes: BTreeMap<String, RouteState>,
}

/// Progress of one route.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteState {
    /// The last source block whose `PacketSent` logs are all in `packets` (none yet: `None`).
    pub scanned_to: Option<u64>,
    /// GUID => packet. Every packet lies at or below `scanned_to`.
    pub packets: BTreeMap<B256, PacketRecord>,
    /// Packets this route saw delivered since the file was created (including dropped ones).
    pub delivered_total: u64,
}

/// A packet and how far it got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PacketRecord {
    /// Source block of its `PacketSent` log.
    pub block: u64,
    /// Index of that log in the block.
    pub log_index: u64,
    /// The encoded packet (`header | guid | message`).
    pub encoded: Bytes,
    /// This relayer's verifiers that attested it (on chain).
    pub verified_by: BTreeSet<Address>,
    /// Its payload hash is committed on the destination.
    pub committed: bool,
    /// It was consumed on the destination (delivered by us or anyone, or cleared by the
    /// receiver's delegate). Final.
    pub delivered: bool,
    /// Failed attempts since the last progress (delivery failures and refused transactions).
    pub failures: u32,
    /// Unix time in milliseconds before which no new attempt is made (0: none pending).
    pub next_attempt_ms: u64,
    /// The last failure, for operators reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

impl PacketRecord {
    /// A fresh record of `packet`, seen in `block` at `log_index`.
    pub fn new(packet: &Packet, block: u64, log_index: u64) -> Self {
        Self {
            block,
            log_index,
            encoded: packet.encode(),
            verified_by: BTreeSet::new(),
            committed: false,
            delivered: false,
            failures: 0,
            next_attempt_ms: 0,
            last_error: None,
        }
    }

    /// The decoded packet.
    ///
    /// # Errors
    /// When the stored bytes are not a valid packet (a hand-edited file).
    pub fn packet(&self) -> Result<Packet> {
        Packet::decode(&self.encoded).context("decoding a stored packet")
    }
}

/// The id of a route in the state file: `<srcChainId>:<srcEndpoint>-><dstChainId>:<dstEndpoint>`
/// (stable when RPC URLs change).
pub fn route_id(
    src_chain: u64,
    src_endpoint: Address,
    dst_chain: u64,
    dst_endpoint: Address,
) -> String {
    format!("{src_chain}:{src_endpoint}->{dst_chain}:{dst_endpoint}")
}

impl State {
    /// An empty state of the current version.
    pub fn new() -> Self {
        Self {
            version: STATE_VERSION,
            routes: BTreeMap::new(),
        }
    }

    /// Loads `path`, or returns an empty state when it does not exist.
    ///
    /// # Errors
    /// When the file cannot be read or parsed, or has another version.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::new()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let state: Self = serde_json::from_str(&text)
            .with_context(|| format!("parsing the state file {}", path.display()))?;
        if state.version != STATE_VERSION {
            bail!(
                "{} has state version {}, this relayer writes {STATE_VERSION}",
                path.display(),
                state.version
            );
        }
        Ok(state)
    }

    /// Writes the state to `path` atomically (temporary file, fsync, rename, fsync of the
    /// directory where the platform allows it).
    ///
    /// # Errors
    /// When the file cannot be written or renamed.
    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).context("serialising the state")?;
        let tmp = tmp_path(path);
        let mut file =
            fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        file.write_all(&json)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("writing {}", tmp.display()))?;
        drop(file);
        fs::rename(&tmp, path)
            .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename durable; not every platform can open a directory, so best effort.
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }

    /// The route `id`, created empty when missing.
    pub fn route_mut(&mut self, id: &str) -> &mut RouteState {
        self.routes.entry(id.to_owned()).or_default()
    }
}

impl RouteState {
    /// Pending (not yet delivered) packets in source order (block, log index).
    pub fn pending(&self) -> Vec<B256> {
        let mut v: Vec<_> = self
            .packets
            .iter()
            .filter(|(_, p)| !p.delivered)
            .map(|(g, p)| (p.block, p.log_index, *g))
            .collect();
        v.sort_unstable();
        v.into_iter().map(|(_, _, g)| g).collect()
    }

    /// Drops the oldest delivered packets beyond [`RETAIN_DELIVERED`].
    pub fn prune(&mut self) {
        let mut done: Vec<_> = self
            .packets
            .iter()
            .filter(|(_, p)| p.delivered)
            .map(|(g, p)| (p.block, p.log_index, *g))
            .collect();
        if done.len() <= RETAIN_DELIVERED {
            return;
        }
        done.sort_unstable();
        let excess = done.len() - RETAIN_DELIVERED;
        for (_, _, g) in done.into_iter().take(excess) {
            self.packets.remove(&g);
        }
    }
}

/// `<path>.tmp` in the same directory (so the rename stays on one file system).
fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}
