//! Transactions: decoding and checking signed transactions, turning them and call requests
//! into revm's [`TxEnv`], signing for the dev accounts, and mapping revm's validation errors.

use super::ChainError;
use alloy::consensus::transaction::SignerRecoverable;
use alloy::consensus::{
    SignableTransaction, Transaction as _, TxEip1559, TxEip2930, TxEnvelope, TxLegacy, TxType,
};
use alloy::eips::eip2718::{Decodable2718, Encodable2718};
use alloy::primitives::{Address, Bytes, TxKind, B256, U256};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use revm::context::result::{EVMError, InvalidTransaction};
use revm::context::TxEnv;
use std::convert::Infallible;

/// A signed transaction whose sender is known.
#[derive(Debug, Clone)]
pub struct SignedTx {
    /// The transaction as received.
    pub envelope: TxEnvelope,
    /// Recovered sender.
    pub from: Address,
    /// Transaction hash.
    pub hash: B256,
}

/// Decodes an EIP-2718 transaction (legacy, EIP-2930 or EIP-1559) and recovers its sender.
///
/// # Errors
/// [`ChainError::InvalidTransaction`] for undecodable bytes, unsupported types and bad
/// signatures.
pub fn decode_raw(raw: &[u8]) -> Result<SignedTx, ChainError> {
    let mut buf = raw;
    let envelope = TxEnvelope::decode_2718(&mut buf)
        .map_err(|e| ChainError::InvalidTransaction(format!("cannot decode transaction: {e}")))?;
    if !buf.is_empty() {
        return Err(ChainError::InvalidTransaction(
            "trailing bytes after the transaction".into(),
        ));
    }
    match envelope.tx_type() {
        TxType::Legacy | TxType::Eip2930 | TxType::Eip1559 => {}
        other => {
            return Err(ChainError::InvalidTransaction(format!(
                "transaction type {other} is not supported"
            )))
        }
    }
    let from = envelope
        .recover_signer()
        .map_err(|e| ChainError::InvalidTransaction(format!("invalid signature: {e}")))?;
    let hash = *envelope.tx_hash();
    Ok(SignedTx {
        envelope,
        from,
        hash,
    })
}

/// revm's environment for a signed transaction.
pub fn tx_env(tx: &SignedTx) -> TxEnv {
    let e = &tx.envelope;
    TxEnv {
        tx_type: e.tx_type() as u8,
        caller: tx.from,
        gas_limit: e.gas_limit(),
        gas_price: e.max_fee_per_gas(),
        kind: e.kind(),
        value: e.value(),
        data: e.input().clone(),
        nonce: e.nonce(),
        chain_id: e.chain_id(),
        access_list: e.access_list().cloned().unwrap_or_default(),
        gas_priority_fee: e.max_priority_fee_per_gas(),
        ..TxEnv::default()
    }
}

/// revm's environment for `eth_call` / `eth_estimateGas`. Missing fields default as in geth:
/// sender zero, gas `gas_cap`, price zero, nonce `nonce`.
pub fn call_env(req: &TransactionRequest, chain_id: u64, nonce: u64, gas_cap: u64) -> TxEnv {
    let max_fee = req
        .max_fee_per_gas
        .or(req.gas_price)
        .unwrap_or(0)
        .max(req.max_priority_fee_per_gas.unwrap_or(0));
    let tx_type = if req.max_fee_per_gas.is_some() || req.max_priority_fee_per_gas.is_some() {
        2
    } else if req.access_list.is_some() {
        1
    } else {
        0
    };
    TxEnv {
        tx_type,
        caller: req.from.unwrap_or_default(),
        gas_limit: req.gas.unwrap_or(gas_cap).min(gas_cap),
        gas_price: max_fee,
        kind: req.to.unwrap_or(TxKind::Create),
        value: req.value.unwrap_or_default(),
        data: req.input.input().cloned().unwrap_or_default(),
        nonce,
        chain_id: Some(chain_id),
        access_list: req.access_list.clone().unwrap_or_default(),
        gas_priority_fee: if tx_type == 2 {
            Some(req.max_priority_fee_per_gas.unwrap_or(0))
        } else {
            None
        },
        ..TxEnv::default()
    }
}

/// Builds and signs the transaction `req` describes with `key`; `nonce`, `gas` and the
/// fees are already filled in by the caller. Legacy when `gas_price` is set, EIP-2930 when
/// only an access list is, otherwise EIP-1559.
///
/// # Errors
/// [`ChainError::Internal`] if the key is unusable.
pub fn sign_request(
    req: &TransactionRequest,
    key: B256,
    chain_id: u64,
    nonce: u64,
    gas: u64,
    base_fee: u128,
) -> Result<Vec<u8>, ChainError> {
    let signer = PrivateKeySigner::from_bytes(&key)
        .map_err(|e| ChainError::Internal(format!("bad dev key: {e}")))?;
    let to = req.to.unwrap_or(TxKind::Create);
    let value = req.value.unwrap_or_default();
    let input: Bytes = req.input.input().cloned().unwrap_or_default();
    let sign = |hash: B256| {
        signer
            .sign_hash_sync(&hash)
            .map_err(|e| ChainError::Internal(format!("signing failed: {e}")))
    };
    let envelope: TxEnvelope = if let Some(gas_price) = req.gas_price {
        if let Some(access_list) = req.access_list.clone() {
            let tx = TxEip2930 {
                chain_id,
                nonce,
                gas_price,
                gas_limit: gas,
                to,
                value,
                input,
                access_list,
            };
            let sig = sign(tx.signature_hash())?;
            tx.into_signed(sig).into()
        } else {
            let tx = TxLegacy {
                chain_id: Some(chain_id),
                nonce,
                gas_price,
                gas_limit: gas,
                to,
                value,
                input,
            };
            let sig = sign(tx.signature_hash())?;
            tx.into_signed(sig).into()
        }
    } else {
        let priority = req.max_priority_fee_per_gas.unwrap_or(0);
        let max_fee = req
            .max_fee_per_gas
            .unwrap_or_else(|| base_fee.saturating_mul(2).saturating_add(priority));
        let tx = TxEip1559 {
            chain_id,
            nonce,
            gas_limit: gas,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: priority,
            to,
            value,
            access_list: req.access_list.clone().unwrap_or_default(),
            input,
        };
        let sig = sign(tx.signature_hash())?;
        tx.into_signed(sig).into()
    };
    Ok(envelope.encoded_2718())
}

/// Maps revm's validation errors to the chain's.
pub fn map_tx_error(e: EVMError<Infallible, InvalidTransaction>) -> ChainError {
    match e {
        EVMError::Transaction(t) => match t {
            InvalidTransaction::NonceTooHigh { tx, state } => ChainError::NonceTooHigh {
                expected: state,
                got: tx,
            },
            InvalidTransaction::NonceTooLow { tx, state } => ChainError::NonceTooLow {
                expected: state,
                got: tx,
            },
            InvalidTransaction::LackOfFundForMaxFee { fee, balance } => {
                ChainError::InsufficientFunds(format!(
                    "insufficient funds for gas * price + value: have {balance} want {fee}"
                ))
            }
            InvalidTransaction::CallGasCostMoreThanGasLimit {
                initial_gas,
                gas_limit,
            } => ChainError::InvalidTransaction(format!(
                "intrinsic gas too low: have {gas_limit}, want {initial_gas}"
            )),
            InvalidTransaction::GasFloorMoreThanGasLimit {
                gas_floor,
                gas_limit,
            } => ChainError::InvalidTransaction(format!(
                "intrinsic gas too low: have {gas_limit}, want {gas_floor} (calldata floor)"
            )),
            InvalidTransaction::GasPriceLessThanBasefee => {
                ChainError::InvalidTransaction("max fee per gas less than block base fee".into())
            }
            InvalidTransaction::PriorityFeeGreaterThanMaxFee => ChainError::InvalidTransaction(
                "max priority fee per gas higher than max fee per gas".into(),
            ),
            InvalidTransaction::CallerGasLimitMoreThanBlock => {
                ChainError::InvalidTransaction("exceeds block gas limit".into())
            }
            InvalidTransaction::InvalidChainId | InvalidTransaction::MissingChainId => {
                ChainError::InvalidTransaction("invalid chain id".into())
            }
            InvalidTransaction::RejectCallerWithCode => {
                ChainError::InvalidTransaction("sender is not an EOA".into())
            }
            InvalidTransaction::CreateInitCodeSizeLimit => {
                ChainError::InvalidTransaction("max initcode size exceeded".into())
            }
            other => ChainError::InvalidTransaction(other.to_string()),
        },
        EVMError::Header(h) => ChainError::Internal(format!("bad block header: {h}")),
        EVMError::Database(never) => match never {},
        EVMError::Custom(s) => ChainError::Internal(s),
        EVMError::CustomAny(e) => ChainError::Internal(e.to_string()),
    }
}

/// Checks a transaction against the sender's funds: `gas * max fee + value`.
///
/// # Errors
/// [`ChainError::InsufficientFunds`].
pub fn check_funds(tx: &SignedTx, balance: U256) -> Result<(), ChainError> {
    let e = &tx.envelope;
    let want = U256::from(e.gas_limit())
        .saturating_mul(U256::from(e.max_fee_per_gas()))
        .saturating_add(e.value());
    if balance < want {
        return Err(ChainError::InsufficientFunds(format!(
            "insufficient funds for gas * price + value: have {balance} want {want}"
        )));
    }
    Ok(())
}
