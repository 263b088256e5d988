//! Stylus deployment: init code, constructor calldata, data-fee estimation, StylusDeployer.
use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::state::{AccountOverride, StateOverride};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol_types::{SolCall, SolEvent, SolInterface};
use anyhow::{anyhow, bail, Context, Result};

use crate::bindings::{IArbWasm, IStylusDeployer};

/// The StylusDeployer contract, at the same address on every Arbitrum chain.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// The ArbWasm precompile.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// Margin added to the estimated data fee, in percent (the deployer refunds the excess), so a
/// price move between estimate and inclusion does not fail the activation.
pub const DATA_FEE_MARGIN_PERCENT: u64 = 20;

/// An address with no code on any chain, used to ask ArbWasm for a data fee through a state
/// override (`keccak256("restake-deploy data fee probe")[12..]`).
fn probe_address() -> Address {
    Address::from_slice(&keccak256(b"restake-deploy data fee probe")[12..])
}

/// EVM init code that returns `code`: `PUSH32 len; DUP1; PUSH1 0x2b; PUSH1 0; CODECOPY;
/// PUSH1 0; RETURN; STOP` (43 bytes) followed by the code.
pub fn init_code(code: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(43 + code.len());
    out.push(0x7f);
    out.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    out.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    out.extend_from_slice(code);
    Bytes::from(out)
}

/// Calldata that runs a Stylus constructor: the selector of `stylus_constructor()` followed by
/// the ABI-encoded arguments (the stylus-sdk router dispatches on that selector).
pub fn constructor_calldata(encoded_args: &[u8]) -> Bytes {
    let mut out = keccak256(b"stylus_constructor()")[..4].to_vec();
    out.extend_from_slice(encoded_args);
    Bytes::from(out)
}

/// What activation of `code` would cost: asks ArbWasm with `eth_call`, placing the code at an
/// unused address through a state override (as `cargo stylus check` does). Zero when a program
/// with the same code hash is already activated.
///
/// # Errors
/// When the endpoint fails or ArbWasm refuses the program (the error says why).
pub async fn estimate_data_fee(
    provider: &DynProvider,
    from: Address,
    code: &Bytes,
) -> Result<U256> {
    let probe = probe_address();
    let mut overrides = StateOverride::default();
    overrides.insert(
        probe,
        AccountOverride {
            code: Some(code.clone()),
            ..Default::default()
        },
    );
    // Enough value for any realistic fee; the caller's balance is overridden to cover it.
    let value = U256::from(10u64).pow(U256::from(18));
    overrides.insert(
        from,
        AccountOverride {
            balance: Some(value * U256::from(2)),
            ..Default::default()
        },
    );
    let call = IArbWasm::activateProgramCall { program: probe };
    let tx = TransactionRequest::default()
        .from(from)
        .to(ARB_WASM)
        .value(value)
        .input(call.abi_encode().into());
    match provider.call(tx).overrides(overrides).await {
        Ok(out) => {
            let ret = IArbWasm::activateProgramCall::abi_decode_returns(&out)
                .context("decoding activateProgram's answer")?;
            Ok(ret.dataFee)
        }
        Err(err) => {
            let data = err.as_error_resp().and_then(|e| e.as_revert_data());
            if let Some(data) = data {
                if let Ok(IArbWasm::IArbWasmErrors::ProgramUpToDate(_)) =
                    IArbWasm::IArbWasmErrors::abi_decode(&data)
                {
                    return Ok(U256::ZERO);
                }
                bail!(
                    "ArbWasm refuses the program: {}",
                    crate::executor::describe_revert(&data)
                );
            }
            Err(anyhow!(err).context("asking ArbWasm for the activation data fee"))
        }
    }
}

/// The data fee plus [`DATA_FEE_MARGIN_PERCENT`].
pub fn with_margin(fee: U256) -> U256 {
    fee + fee * U256::from(DATA_FEE_MARGIN_PERCENT) / U256::from(100)
}

/// The transaction that deploys `code` through the StylusDeployer, running its constructor
/// with `init_data` and paying `value` (data fee + margin; the excess is refunded).
pub fn deploy_request(code: &Bytes, init_data: Bytes, value: U256) -> TransactionRequest {
    let call = IStylusDeployer::deployCall {
        bytecode: init_code(code),
        initData: init_data,
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    TransactionRequest::default()
        .to(STYLUS_DEPLOYER)
        .value(value)
        .input(call.abi_encode().into())
}

/// The contract address from a StylusDeployer receipt's `ContractDeployed` event.
///
/// # Errors
/// When the transaction failed or the event is missing.
pub fn deployed_address(receipt: &TransactionReceipt) -> Result<Address> {
    if !receipt.status() {
        bail!(
            "the deployment transaction {} reverted",
            receipt.transaction_hash
        );
    }
    receipt
        .inner
        .logs()
        .iter()
        .filter(|log| log.address() == STYLUS_DEPLOYER)
        .find_map(|log| IStylusDeployer::ContractDeployed::decode_log_data(log.data()).ok())
        .map(|event| event.deployedContract)
        .ok_or_else(|| anyhow!("no ContractDeployed event in {}", receipt.transaction_hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_code_returns_the_code() {
        let code = [0xEF, 0xF0, 0x00, 0x00, 1, 2, 3];
        let init = init_code(&code);
        assert_eq!(init.len(), 43 + code.len());
        assert_eq!(init[0], 0x7f);
        assert_eq!(U256::from_be_slice(&init[1..33]), U256::from(code.len()));
        // CODECOPY starts at 0x2b = 43, right after the prelude.
        assert_eq!(&init[43..], &code);
    }

    #[test]
    fn constructor_selector_is_stylus_constructor() {
        let data = constructor_calldata(&[0xAA]);
        assert_eq!(&data[..4], &keccak256(b"stylus_constructor()")[..4]);
        assert_eq!(data[4], 0xAA);
    }

    #[test]
    fn margin_adds_a_fifth() {
        assert_eq!(with_margin(U256::from(100)), U256::from(120));
        assert_eq!(with_margin(U256::ZERO), U256::ZERO);
    }
}
