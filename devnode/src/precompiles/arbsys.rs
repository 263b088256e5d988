//! ArbSys (`0x..64`): `arbBlockNumber()`, `arbChainID()` and `arbOSVersion()`.
//!
//! On this chain the "L2 block number" is the block number itself (there is no L1).

use super::{finish, Answer};
use crate::evm::DevContext;
use alloy::sol;
use alloy::sol_types::SolInterface;
use revm::interpreter::{CallInputs, InterpreterResult};
use revm::primitives::U256;

/// The ArbOS version this chain claims (Stylus v2 shipped with ArbOS 40).
pub const ARBOS_VERSION: u64 = 40;
/// Gas charged for every ArbSys call (a warm-read-like figure).
const CALL_GAS: u64 = 100;

sol! {
    /// The ArbSys methods the dev chain implements.
    interface IArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
    }
}

/// Answers one ArbSys call.
pub fn run(ctx: &mut DevContext, inputs: &CallInputs) -> InterpreterResult {
    use alloy::sol_types::SolValue;
    let input = inputs.input.bytes(ctx);
    let answer = match IArbSys::IArbSysCalls::abi_decode(&input) {
        Ok(IArbSys::IArbSysCalls::arbBlockNumber(_)) => Answer::Ok(ctx.block.number.abi_encode()),
        Ok(IArbSys::IArbSysCalls::arbChainID(_)) => {
            Answer::Ok(U256::from(ctx.cfg.chain_id).abi_encode())
        }
        // Nitro reports 55 + the ArbOS version.
        Ok(IArbSys::IArbSysCalls::arbOSVersion(_)) => {
            Answer::Ok(U256::from(55 + ARBOS_VERSION).abi_encode())
        }
        Err(_) => Answer::Revert(Vec::new()),
    };
    finish(answer, CALL_GAS, inputs.gas_limit)
}
