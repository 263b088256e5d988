//! Sending endpoint transactions without wasting reverted ones: each call is simulated with
//! `eth_call` first and only sent when the simulation succeeds.
use std::time::Duration;

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, Bytes};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol_types::SolInterface;
use anyhow::{Context, Result};

use crate::abi::EndpointReceive::EndpointReceiveErrors;

/// A signing account on the destination chain.
#[derive(Clone, Debug)]
pub struct Account {
    /// Its address.
    pub address: Address,
    /// A provider that signs with its key.
    pub provider: DynProvider,
}

/// Why the endpoint refused a call.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The decoded endpoint error, when the revert data is one.
    pub error: Option<EndpointReceiveErrors>,
    /// What to log.
    pub description: String,
}

/// The result of [`send_checked`].
#[derive(Debug)]
pub enum Outcome {
    /// Mined successfully.
    Mined(Box<TransactionReceipt>),
    /// Refused in simulation (nothing sent) or reverted on chain.
    Refused(Refusal),
}

/// Describes revert data: the endpoint error's name and fields, or the raw hex.
pub fn describe_revert(data: &[u8]) -> (Option<EndpointReceiveErrors>, String) {
    match EndpointReceiveErrors::abi_decode(data) {
        Ok(e) => {
            let text = format!("{e:?}");
            (Some(e), text)
        }
        Err(_) if data.is_empty() => (None, "reverted without data".to_owned()),
        Err(_) => (
            None,
            format!("revert data {}", Bytes::copy_from_slice(data)),
        ),
    }
}

/// Simulates `input` sent by `account` to `to` and, if it would succeed, sends it and waits for
/// the receipt (at most `timeout`). With `gas`, that limit is used for both instead of an
/// estimate.
///
/// # Errors
/// Transport failures and timeouts; a revert is an [`Outcome::Refused`], not an error.
pub async fn send_checked(
    account: &Account,
    to: Address,
    input: Bytes,
    gas: Option<u64>,
    timeout: Duration,
) -> Result<Outcome> {
    let mut tx = TransactionRequest::default()
        .with_from(account.address)
        .with_to(to)
        .with_input(input);
    if let Some(gas) = gas {
        tx = tx.with_gas_limit(gas);
    }
    if let Err(err) = account.provider.call(tx.clone()).await {
        if let Some(data) = err.as_error_resp().and_then(|e| e.as_revert_data()) {
            let (error, description) = describe_revert(&data);
            return Ok(Outcome::Refused(Refusal { error, description }));
        }
        if err
            .as_error_resp()
            .is_some_and(|e| e.message.contains("revert"))
        {
            return Ok(Outcome::Refused(Refusal {
                error: None,
                description: err.to_string(),
            }));
        }
        return Err(err).context("simulating the transaction with eth_call");
    }
    let pending = account
        .provider
        .send_transaction(tx)
        .await
        .context("sending the transaction")?;
    let hash = *pending.tx_hash();
    let receipt = pending
        .with_timeout(Some(timeout))
        .get_receipt()
        .await
        .with_context(|| format!("waiting for the receipt of {hash}"))?;
    if !receipt.status() {
        return Ok(Outcome::Refused(Refusal {
            error: None,
            description: format!("transaction {hash} reverted on chain"),
        }));
    }
    Ok(Outcome::Mined(Box::new(receipt)))
}
