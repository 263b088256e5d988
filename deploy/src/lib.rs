//! Deploys the restaking contracts and runs the local stack.
//!
//! - [`artifacts`]: the built Stylus modules (`target/stylus/<crate>.wasm`), built when missing;
//! - [`stylus`]: Stylus code format, init code, constructor calldata, data-fee estimation and
//!   deployment through the StylusDeployer contract;
//! - [`plan`]: the ordered, idempotent steps of a deployment (contracts, roles, token listing);
//! - [`wiring`]: the configuration calls between contracts (roles, peers, fees, quorums, rate
//!   limits), each with the view that proves it done;
//! - [`manifest`]: `deployments/<chain-id>.json`, written after every step so a re-run resumes;
//! - [`executor`]: runs a plan against an RPC endpoint with progress output, or prints it (dry run);
//! - [`embedded`]: an in-process local chain (the `devnode` crate) served over JSON-RPC;
//! - [`scenario`]: the demonstration run by `restake up` (deposits, a withdrawal, gas figures);
//! - [`restaking`]: the restaking demonstration (delegate, allocate, veto, slash, reward, a
//!   withdrawal bearing a slash);
//! - [`crosschain`]: two chains joined by the endpoint (paired deployment, the relayer's
//!   configuration, stake state and LRT across);
//! - [`session`]: one deployment run end to end (what `restake deploy` does);
//! - [`network`]: named networks (local, Arbitrum Sepolia).
pub mod artifacts;
pub mod bindings;
pub mod crosschain;
pub mod embedded;
pub mod executor;
pub mod manifest;
pub mod network;
pub mod plan;
pub mod restaking;
pub mod scenario;
pub mod session;
pub mod stylus;
pub mod wiring;
