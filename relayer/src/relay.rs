//! The [`Relayer`]: scans each route's source endpoint for packets and walks each packet
//! through verify, commit and deliver on the destination endpoint.
use std::collections::HashSet;
use std::future::Future;
use std::time::{SystemTime, UNIX_EPOCH};

use alloy::network::EthereumWallet;
use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, TransactionReceipt};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::{SolCall, SolEvent};
use anyhow::{bail, Context, Result};
use tracing::{debug, info, warn};

use crate::abi::Endpoint;
use crate::abi::EndpointReceive::{self, EndpointReceiveErrors};
use crate::config::{Config, Route, StartBlock};
use crate::packet::Packet;
use crate::state::{route_id, PacketRecord, State};
use crate::tx::{send_checked, Account, Outcome, Refusal};

/// Counts of what a relayer did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Packets found in `PacketSent` logs.
    pub found: u64,
    /// `verify` transactions mined.
    pub verified: u64,
    /// `commit` transactions mined.
    pub committed: u64,
    /// Packets this relayer delivered (`PacketDelivered` in its own `deliver` transaction).
    pub delivered: u64,
    /// `deliver` transactions whose receiver failed (`DeliveryFailed`).
    pub delivery_failures: u64,
    /// Packets not yet delivered after the last pass.
    pub pending: u64,
}

impl Summary {
    fn add(&mut self, other: &Summary) {
        self.found += other.found;
        self.verified += other.verified;
        self.committed += other.committed;
        self.delivered += other.delivered;
        self.delivery_failures += other.delivery_failures;
        self.pending = other.pending;
    }
}

/// A connected route.
#[derive(Clone, Debug)]
struct Link {
    /// Route id in the state file.
    id: String,
    /// Source chain provider (reads only).
    source: DynProvider,
    /// Source endpoint.
    source_endpoint: Address,
    /// The source endpoint's eid.
    src_eid: u32,
    /// Destination chain provider (reads).
    dest: DynProvider,
    /// Destination endpoint.
    dest_endpoint: Address,
    /// The destination endpoint's eid.
    dst_eid: u32,
    /// Verifier accounts on the destination.
    verifiers: Vec<Account>,
    /// Executor account on the destination.
    executor: Option<Account>,
}

/// What a packet step decided.
enum Step {
    /// Nothing more to do in this pass.
    Wait,
    /// The state changed; save it.
    Changed,
}

/// Runs verifiers and an executor over one or more routes.
pub struct Relayer {
    config: Config,
    state: State,
    links: Vec<Link>,
    /// GUIDs whose "waiting for the quorum" line was logged (logged once per packet).
    waiting: HashSet<B256>,
}

fn url(s: &str) -> Result<alloy::transports::http::reqwest::Url> {
    s.parse().with_context(|| format!("`{s}` is not a URL"))
}

fn account(key: &PrivateKeySigner, rpc: &str) -> Result<Account> {
    // The nonce is read from the node before every transaction (`pending` count) rather than
    // cached: a transaction abandoned at shutdown or refused by the node must not leave a gap,
    // and another instance may share the key.
    let provider = ProviderBuilder::new()
        .disable_recommended_fillers()
        .with_gas_estimation()
        .with_simple_nonce_management()
        .fetch_chain_id()
        .wallet(EthereumWallet::from(key.clone()))
        .connect_http(url(rpc)?)
        .erased();
    Ok(Account {
        address: key.address(),
        provider,
    })
}

async fn eid_of(provider: &DynProvider, endpoint: Address, rpc: &str) -> Result<u32> {
    // Both sides have the same `eid()`.
    Endpoint::new(endpoint, provider)
        .eid()
        .call()
        .await
        .with_context(|| format!("reading eid() of the endpoint {endpoint} at {rpc}"))
}

async fn connect(route: &Route, config: &Config) -> Result<Link> {
    let source = ProviderBuilder::new()
        .connect_http(url(&route.source_rpc)?)
        .erased();
    let dest = ProviderBuilder::new()
        .connect_http(url(&route.dest_rpc)?)
        .erased();
    let src_chain = source
        .get_chain_id()
        .await
        .with_context(|| format!("reading the chain id at {}", route.source_rpc))?;
    let dst_chain = dest
        .get_chain_id()
        .await
        .with_context(|| format!("reading the chain id at {}", route.dest_rpc))?;
    let src_eid = eid_of(&source, route.source_endpoint, &route.source_rpc).await?;
    let dst_eid = eid_of(&dest, route.dest_endpoint, &route.dest_rpc).await?;
    // Both sides answer eid(); a view only the right side has catches swapped addresses.
    Endpoint::new(route.source_endpoint, &source)
        .outboundNonce(Address::ZERO, dst_eid, Address::ZERO)
        .call()
        .await
        .with_context(|| {
            format!(
                "{} at {} is not a source-side Endpoint (no outboundNonce)",
                route.source_endpoint, route.source_rpc
            )
        })?;
    EndpointReceive::new(route.dest_endpoint, &dest)
        .isVerified(Address::ZERO, B256::ZERO, B256::ZERO)
        .call()
        .await
        .with_context(|| {
            format!(
                "{} at {} is not a destination-side EndpointReceive (no isVerified)",
                route.dest_endpoint, route.dest_rpc
            )
        })?;
    let verifiers = config
        .verifier_keys
        .iter()
        .map(|k| account(k, &route.dest_rpc))
        .collect::<Result<Vec<_>>>()?;
    let executor = config
        .executor_key
        .as_ref()
        .map(|k| account(k, &route.dest_rpc))
        .transpose()?;
    Ok(Link {
        id: route_id(
            src_chain,
            route.source_endpoint,
            dst_chain,
            route.dest_endpoint,
        ),
        source,
        source_endpoint: route.source_endpoint,
        src_eid,
        dest,
        dest_endpoint: route.dest_endpoint,
        dst_eid,
        verifiers,
        executor,
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn short(g: &B256) -> String {
    let s = g.to_string();
    s[..10.min(s.len())].to_owned()
}

impl Relayer {
    /// Loads the state file and connects every route (reads chain ids and endpoint ids).
    ///
    /// # Errors
    /// An unreadable state file, an unreachable RPC endpoint, an address without an endpoint,
    /// or the same route given twice.
    pub async fn new(config: Config) -> Result<Self> {
        if config.routes.is_empty() {
            bail!("no route given");
        }
        if config.max_block_range == 0 {
            bail!("the block range per eth_getLogs must be at least 1");
        }
        let state = State::load(&config.state_path)?;
        let mut links: Vec<Link> = Vec::new();
        for route in &config.routes {
            let link = connect(route, &config).await?;
            if links.iter().any(|l| l.id == link.id) {
                bail!("route {} given twice", link.id);
            }
            info!(
                route = %link.id,
                src_eid = link.src_eid,
                dst_eid = link.dst_eid,
                verifiers = link.verifiers.len(),
                executor = link.executor.is_some(),
                "route connected"
            );
            links.push(link);
        }
        Ok(Self {
            config,
            state,
            links,
            waiting: HashSet::new(),
        })
    }

    /// The current in-memory state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The route ids, in the order of the configuration.
    pub fn route_ids(&self) -> Vec<String> {
        self.links.iter().map(|l| l.id.clone()).collect()
    }

    /// Runs passes until `shutdown` completes (or after one pass with `once`), then saves the
    /// state. A step in flight when `shutdown` completes is abandoned: its transaction may or
    /// may not be mined, and the next start reads the outcome from the chain.
    ///
    /// # Errors
    /// With `once`, the first failure of the pass; otherwise only a state file that cannot be
    /// saved (RPC failures are logged and retried on the next pass).
    pub async fn run<F: Future<Output = ()>>(mut self, shutdown: F) -> Result<Summary> {
        tokio::pin!(shutdown);
        let mut total = Summary::default();
        loop {
            let outcome = tokio::select! {
                biased;
                () = &mut shutdown => None,
                r = self.pass() => Some(r),
            };
            match outcome {
                None => {
                    info!("shutdown: in-flight step abandoned, state saved");
                    self.save()?;
                    return Ok(total);
                }
                Some(Ok(s)) => total.add(&s),
                Some(Err(e)) if self.config.once => {
                    self.save()?;
                    return Err(e);
                }
                Some(Err(e)) => warn!("pass failed, retrying: {e:#}"),
            }
            self.save()?;
            if self.config.once {
                info!(
                    delivered = total.delivered,
                    pending = total.pending,
                    "one pass done"
                );
                return Ok(total);
            }
            let slept = tokio::select! {
                biased;
                () = &mut shutdown => false,
                () = tokio::time::sleep(self.config.poll_interval) => true,
            };
            if !slept {
                info!("shutdown: state saved");
                return Ok(total);
            }
        }
    }

    /// One pass over every route: scan new confirmed blocks, then advance each pending packet
    /// as far as it goes. Each route is tried even when an earlier one fails; the first error
    /// is returned.
    ///
    /// # Errors
    /// RPC failures or a state file that cannot be saved.
    pub async fn pass(&mut self) -> Result<Summary> {
        let mut summary = Summary::default();
        let mut first_err = None;
        for i in 0..self.links.len() {
            let link = self.links[i].clone();
            let r = async {
                self.scan(&link, &mut summary).await?;
                self.advance_all(&link, &mut summary).await
            }
            .await;
            if let Err(e) = r {
                let e = e.context(format!("route {}", link.id));
                if first_err.is_none() {
                    first_err = Some(e);
                } else {
                    warn!("{e:#}");
                }
            }
        }
        summary.pending = self
            .state
            .routes
            .values()
            .map(|r| r.packets.values().filter(|p| !p.delivered).count() as u64)
            .sum();
        match first_err {
            Some(e) => Err(e),
            None => Ok(summary),
        }
    }

    fn save(&self) -> Result<()> {
        self.state.save(&self.config.state_path)
    }

    /// Reads the `PacketSent` logs of confirmed blocks not scanned yet.
    async fn scan(&mut self, link: &Link, summary: &mut Summary) -> Result<()> {
        let head = link
            .source
            .get_block_number()
            .await
            .context("reading the source block number")?;
        let Some(safe) = head.checked_sub(self.config.confirmations) else {
            return Ok(());
        };
        let scanned = self.state.route_mut(&link.id).scanned_to;
        let mut from = match (scanned, self.config.start_block) {
            (Some(b), _) => b.saturating_add(1),
            (None, StartBlock::Number(n)) => n,
            (None, StartBlock::Latest) => {
                self.state.route_mut(&link.id).scanned_to = Some(head);
                info!(route = %link.id, block = head, "starting after the current source head");
                return self.save();
            }
        };
        while from <= safe {
            let to = safe.min(from.saturating_add(self.config.max_block_range - 1));
            let filter = Filter::new()
                .address(link.source_endpoint)
                .event_signature(Endpoint::PacketSent::SIGNATURE_HASH)
                .topic2(B256::from(U256::from(link.dst_eid)))
                .from_block(from)
                .to_block(to);
            let logs = link
                .source
                .get_logs(&filter)
                .await
                .with_context(|| format!("eth_getLogs for blocks {from}..={to}"))?;
            let route = self.state.route_mut(&link.id);
            for log in logs {
                let (Some(block), Some(index)) = (log.block_number, log.log_index) else {
                    warn!(route = %link.id, "PacketSent log without a block number or index; skipped");
                    continue;
                };
                let event = match log.log_decode::<Endpoint::PacketSent>() {
                    Ok(e) => e.inner.data,
                    Err(e) => {
                        warn!(route = %link.id, block, "undecodable PacketSent log: {e}");
                        continue;
                    }
                };
                let packet = match Packet::decode(&event.encodedPacket) {
                    Ok(p) => p,
                    Err(e) => {
                        warn!(route = %link.id, block, "invalid packet: {e}");
                        continue;
                    }
                };
                let h = packet.header;
                if h.src_eid != link.src_eid || h.dst_eid != link.dst_eid {
                    warn!(route = %link.id, block, src_eid = h.src_eid, dst_eid = h.dst_eid,
                        "packet for another path; skipped");
                    continue;
                }
                if route.packets.contains_key(&packet.guid) {
                    continue;
                }
                info!(route = %link.id, guid = %short(&packet.guid), nonce = h.nonce, block,
                    stage = "seen", "packet sent on the source chain");
                route
                    .packets
                    .insert(packet.guid, PacketRecord::new(&packet, block, index));
                summary.found += 1;
            }
            route.scanned_to = Some(to);
            self.save()?;
            from = to.saturating_add(1);
        }
        Ok(())
    }

    /// Advances every pending packet of `link` in source order.
    async fn advance_all(&mut self, link: &Link, summary: &mut Summary) -> Result<()> {
        let pending = self.state.route_mut(&link.id).pending();
        for guid in pending {
            let due = self
                .state
                .route_mut(&link.id)
                .packets
                .get(&guid)
                .is_some_and(|p| p.next_attempt_ms <= now_ms());
            if !due {
                continue;
            }
            if let Step::Changed = self.advance(link, guid, summary).await? {
                let route = self.state.route_mut(&link.id);
                route.prune();
                self.save()?;
            }
        }
        Ok(())
    }

    fn record(&mut self, link: &Link, guid: B256) -> Result<&mut PacketRecord> {
        self.state
            .route_mut(&link.id)
            .packets
            .get_mut(&guid)
            .with_context(|| format!("packet {guid} vanished from the state"))
    }

    /// Records a failure with backoff.
    fn fail(&mut self, link: &Link, guid: B256, stage: &str, why: &str) -> Result<Step> {
        let rec = self.record(link, guid)?;
        rec.failures = rec.failures.saturating_add(1);
        let failures = rec.failures;
        let delay = self.config.backoff(failures);
        let rec = self.record(link, guid)?;
        rec.next_attempt_ms =
            now_ms().saturating_add(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
        rec.last_error = Some(format!("{stage}: {why}"));
        warn!(route = %link.id, guid = %short(&guid), stage, failures,
            retry_in_ms = delay.as_millis() as u64, "{why}");
        Ok(Step::Changed)
    }

    fn progress(&mut self, link: &Link, guid: B256) -> Result<&mut PacketRecord> {
        let rec = self.record(link, guid)?;
        rec.failures = 0;
        rec.next_attempt_ms = 0;
        rec.last_error = None;
        Ok(rec)
    }

    fn mark_delivered(&mut self, link: &Link, guid: B256) -> Result<()> {
        self.progress(link, guid)?.delivered = true;
        self.waiting.remove(&guid);
        let route = self.state.route_mut(&link.id);
        route.delivered_total = route.delivered_total.saturating_add(1);
        Ok(())
    }

    /// Moves one packet forward as far as this relayer's keys allow.
    async fn advance(&mut self, link: &Link, guid: B256, summary: &mut Summary) -> Result<Step> {
        let packet = self.record(link, guid)?.packet()?;
        let h = packet.header;
        let Some(receiver) = h.receiver_address() else {
            warn!(route = %link.id, guid = %short(&guid), "receiver is not an address; dropped");
            self.state.route_mut(&link.id).packets.remove(&guid);
            return Ok(Step::Changed);
        };
        let ep = EndpointReceive::new(link.dest_endpoint, &link.dest);
        let consumed = ep
            .isConsumed(receiver, h.src_eid, h.sender, h.nonce)
            .call()
            .await
            .context("reading isConsumed")?;
        if consumed {
            info!(route = %link.id, guid = %short(&guid), nonce = h.nonce, stage = "delivered",
                "consumed on the destination (delivered or cleared elsewhere)");
            self.mark_delivered(link, guid)?;
            return Ok(Step::Changed);
        }
        let payload_hash = packet.payload_hash();
        let stored = ep
            .committedHash(receiver, h.src_eid, h.sender, h.nonce)
            .call()
            .await
            .context("reading committedHash")?;
        let mut changed = false;
        let was_committed = self.record(link, guid)?.committed;
        if was_committed && stored != payload_hash {
            // Delivered between the two reads? Then it is done, not lost.
            let consumed = ep
                .isConsumed(receiver, h.src_eid, h.sender, h.nonce)
                .call()
                .await
                .context("reading isConsumed")?;
            if consumed {
                info!(route = %link.id, guid = %short(&guid), nonce = h.nonce, stage = "delivered",
                    "consumed on the destination (delivered or cleared elsewhere)");
                self.mark_delivered(link, guid)?;
                return Ok(Step::Changed);
            }
        }
        let rec = self.record(link, guid)?;
        if rec.committed && stored != payload_hash {
            warn!(route = %link.id, guid = %short(&guid), nonce = h.nonce,
                "commitment gone without delivery (nilified?); attesting again");
            rec.committed = false;
            rec.verified_by.clear();
            changed = true;
        } else if !rec.committed && stored == payload_hash {
            rec.committed = true;
            changed = true;
        }
        let committed = rec.committed;
        if changed {
            self.save()?;
        }
        if !committed {
            match self.attest_and_commit(link, guid, &packet, summary).await? {
                Step::Wait => {
                    return Ok(if changed { Step::Changed } else { Step::Wait });
                }
                Step::Changed => {
                    if !self.record(link, guid)?.committed {
                        return Ok(Step::Changed);
                    }
                }
            }
        }
        if link.executor.is_none() {
            return Ok(if changed { Step::Changed } else { Step::Wait });
        }
        self.deliver(link, guid, &packet, summary).await
    }

    /// Attests with each verifier that has not yet, then commits (with an executor) once the
    /// simulation says the quorum is met.
    async fn attest_and_commit(
        &mut self,
        link: &Link,
        guid: B256,
        packet: &Packet,
        summary: &mut Summary,
    ) -> Result<Step> {
        let ep = EndpointReceive::new(link.dest_endpoint, &link.dest);
        let header = packet.header_bytes();
        let header_hash = packet.header_hash();
        let payload_hash = packet.payload_hash();
        let nonce = packet.header.nonce;
        let mut step = Step::Wait;
        for v in &link.verifiers {
            if self.record(link, guid)?.verified_by.contains(&v.address) {
                continue;
            }
            let already = ep
                .isVerified(v.address, header_hash, payload_hash)
                .call()
                .await
                .context("reading isVerified")?;
            if already {
                debug!(route = %link.id, guid = %short(&guid), verifier = %v.address,
                    "attestation already on chain");
                self.record(link, guid)?.verified_by.insert(v.address);
                step = Step::Changed;
                continue;
            }
            let input = EndpointReceive::verifyCall {
                header: header.clone(),
                payloadHash: payload_hash,
            }
            .abi_encode();
            match send_checked(
                v,
                link.dest_endpoint,
                input.into(),
                None,
                self.config.tx_timeout,
            )
            .await
            .context("sending verify")?
            {
                Outcome::Mined(_) => {
                    info!(route = %link.id, guid = %short(&guid), nonce, verifier = %v.address,
                        stage = "verified", "attestation mined");
                    self.progress(link, guid)?.verified_by.insert(v.address);
                    summary.verified += 1;
                    self.save()?;
                    step = Step::Changed;
                }
                Outcome::Refused(r) => {
                    return self.fail(link, guid, "verify", &r.description);
                }
            }
        }
        let Some(executor) = &link.executor else {
            return Ok(step);
        };
        let input = EndpointReceive::commitCall {
            header,
            payloadHash: payload_hash,
        }
        .abi_encode();
        match send_checked(
            executor,
            link.dest_endpoint,
            input.into(),
            None,
            self.config.tx_timeout,
        )
        .await
        .context("sending commit")?
        {
            Outcome::Mined(_) => {
                info!(route = %link.id, guid = %short(&guid), nonce, stage = "committed",
                    "payload hash committed");
                self.progress(link, guid)?.committed = true;
                self.waiting.remove(&guid);
                summary.committed += 1;
                self.save()?;
                Ok(Step::Changed)
            }
            Outcome::Refused(Refusal {
                error: Some(EndpointReceiveErrors::EndpointQuorumNotMet(_)),
                ..
            }) => {
                if self.waiting.insert(guid) {
                    info!(route = %link.id, guid = %short(&guid), nonce, stage = "waiting",
                        "verifier quorum not met yet; retrying on later passes");
                }
                Ok(step)
            }
            Outcome::Refused(Refusal {
                error: Some(EndpointReceiveErrors::EndpointNonceConsumed(_)),
                ..
            }) => {
                debug!(route = %link.id, guid = %short(&guid), "nonce consumed meanwhile");
                Ok(step)
            }
            Outcome::Refused(r) => self.fail(link, guid, "commit", &r.description),
        }
    }

    /// Delivers a committed packet and reads the outcome from the receipt.
    async fn deliver(
        &mut self,
        link: &Link,
        guid: B256,
        packet: &Packet,
        summary: &mut Summary,
    ) -> Result<Step> {
        let Some(executor) = &link.executor else {
            return Ok(Step::Wait);
        };
        let nonce = packet.header.nonce;
        let input = EndpointReceive::deliverCall {
            header: packet.header_bytes(),
            guid,
            message: packet.message.clone(),
        }
        .abi_encode();
        let outcome = send_checked(
            executor,
            link.dest_endpoint,
            input.into(),
            Some(self.config.deliver_gas_limit),
            self.config.tx_timeout,
        )
        .await
        .context("sending deliver")?;
        let receipt = match outcome {
            Outcome::Mined(r) => r,
            Outcome::Refused(Refusal {
                error: Some(EndpointReceiveErrors::EndpointOutOfOrder(e)),
                ..
            }) => {
                debug!(route = %link.id, guid = %short(&guid), nonce, expected = e.expected,
                    "ordered path: waiting for an earlier nonce");
                return Ok(Step::Wait);
            }
            Outcome::Refused(Refusal {
                error: Some(EndpointReceiveErrors::EndpointPayloadMismatch(_)),
                ..
            }) => {
                debug!(route = %link.id, guid = %short(&guid), "no longer committed; re-reading next pass");
                return Ok(Step::Wait);
            }
            Outcome::Refused(r) => return self.fail(link, guid, "deliver", &r.description),
        };
        match delivery_result(&receipt, link.dest_endpoint, packet) {
            Some(Ok(())) => {
                info!(route = %link.id, guid = %short(&guid), nonce, stage = "delivered",
                    tx = %receipt.transaction_hash, "receiver ran the message");
                self.mark_delivered(link, guid)?;
                summary.delivered += 1;
                Ok(Step::Changed)
            }
            Some(Err(reason)) => {
                summary.delivery_failures += 1;
                let (_, text) = crate::tx::describe_revert(&reason);
                self.fail(link, guid, "deliver", &format!("receiver failed ({text})"))
            }
            None => self.fail(
                link,
                guid,
                "deliver",
                &format!(
                    "no delivery event in {}; re-reading next pass",
                    receipt.transaction_hash
                ),
            ),
        }
    }
}

/// The delivery outcome for `packet` in `receipt`: `Ok` for `PacketDelivered`, `Err(reason)`
/// for `DeliveryFailed`, `None` when neither event is there.
fn delivery_result(
    receipt: &TransactionReceipt,
    endpoint: Address,
    packet: &Packet,
) -> Option<Result<(), alloy::primitives::Bytes>> {
    let h = packet.header;
    for log in receipt.inner.logs() {
        if log.address() != endpoint {
            continue;
        }
        if let Ok(e) = log.log_decode::<EndpointReceive::PacketDelivered>() {
            let e = e.inner.data;
            if e.nonce == h.nonce
                && e.srcEid == h.src_eid
                && e.sender == h.sender
                && e.guid == packet.guid
            {
                return Some(Ok(()));
            }
        } else if let Ok(e) = log.log_decode::<EndpointReceive::DeliveryFailed>() {
            let e = e.inner.data;
            if e.nonce == h.nonce && e.srcEid == h.src_eid && e.sender == h.sender {
                return Some(Err(e.reason));
            }
        }
    }
    None
}
