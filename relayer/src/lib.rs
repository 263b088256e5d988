//! The relayer of the cross-chain message endpoint (contracts/endpoint): one or more verifiers
//! and an executor between two chains.
//!
//! For each route (the source chain's `Endpoint` → the destination chain's `EndpointReceive`)
//! a pass
//! 1. reads the `PacketSent` logs of the source endpoint addressed to the destination's eid,
//!    in block ranges of at most `max_block_range`, up to the head minus `confirmations`;
//! 2. for each packet not yet delivered, in source order: reads `isConsumed` and
//!    `committedHash` on the destination (the chain is the truth; the state file only saves
//!    work), lets each configured verifier that has not attested call
//!    `verify(header, payloadHash)` (skipping verifiers whose attestation `isVerified`
//!    already shows), then lets the executor `commit` once a simulation says the quorum is
//!    met, and `deliver` once the hash is committed. A `DeliveryFailed` receipt (the receiver
//!    reverted) is retried with exponential backoff.
//!
//! Every transaction is simulated with `eth_call` first and sent only when it would succeed,
//! so waiting for a quorum or a delivery done by someone else costs no reverted transactions.
//! Progress is saved after every step ([`state`]); a restart, even after `SIGKILL`, re-reads
//! each pending packet's stage from the chain, so nothing is lost and nothing is delivered
//! twice (the endpoint's exactly-once rule is the backstop).
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use relayer::{Config, Relayer, Route};
//! // Endpoint on chain A -> EndpointReceive on chain B, and Endpoint on B -> EndpointReceive on A.
//! let a_to_b: Route = "http://127.0.0.1:8547,0x1111111111111111111111111111111111111111,\
//!                      http://127.0.0.1:8548,0x2222222222222222222222222222222222222222".parse()?;
//! let b_to_a: Route = "http://127.0.0.1:8548,0x3333333333333333333333333333333333333333,\
//!                      http://127.0.0.1:8547,0x4444444444444444444444444444444444444444".parse()?;
//! let mut config = Config::new(vec![a_to_b, b_to_a], "relayer.json".into());
//! config.verifier_keys = vec![/* PrivateKeySigner, ... */];
//! let relayer = Relayer::new(config).await?;
//! relayer.run(async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(()) }
//! ```
//!
//! Modules: [`packet`] (packet layout), [`abi`] (the endpoint interface), [`config`],
//! [`state`] (the progress file), [`tx`] (simulate-then-send), and the [`Relayer`] itself.

pub mod abi;
pub mod config;
pub mod packet;
mod relay;
pub mod state;
pub mod tx;

pub use config::{Config, Route, StartBlock};
pub use relay::{Relayer, Summary};
