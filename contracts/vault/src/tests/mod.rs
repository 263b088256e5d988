//! Tests of the vault and its redeem queue on a small test chain (see [`host`]): the real LRT,
//! vault and queue run through their ABI routers; tokens and rate providers are fakes.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod dispatch;
mod env;
mod host;
mod props;
mod queue_unit;
mod vault_unit;
