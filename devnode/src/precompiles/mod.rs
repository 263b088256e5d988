//! Precompiles: Ethereum's, plus Arbitrum's ArbSys (`0x..64`) and ArbWasm (`0x..71`).
//!
//! Arbitrum precompile accounts hold the code `0xFE` (placed at genesis) so that they exist
//! as accounts and keep their storage; ArbWasm keeps its activation records in its own storage
//! (see [`arbwasm`]), which makes activation journaled, revertible and part of saved state.

pub mod arbsys;
pub mod arbwasm;

use crate::evm::DevContext;
use crate::stylus::StylusState;
use revm::handler::{EthPrecompiles, PrecompileProvider};
use revm::interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use revm::primitives::{address, Address, AddressSet, Bytes};

/// ArbSys precompile address.
pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");
/// ArbWasm precompile address.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");

/// Ethereum's precompiles plus ArbSys and ArbWasm, and the Stylus program cache the frame
/// loop shares with ArbWasm.
#[derive(Debug)]
pub struct DevPrecompiles {
    eth: EthPrecompiles,
    warm: AddressSet,
    /// Stylus configuration and compiled programs.
    pub stylus: StylusState,
}

impl DevPrecompiles {
    /// Precompiles for the chain's spec.
    pub fn new(stylus: StylusState) -> Self {
        let eth = EthPrecompiles::new(crate::evm::SPEC);
        let warm = Self::warm_set(&eth);
        Self { eth, warm, stylus }
    }

    fn warm_set(eth: &EthPrecompiles) -> AddressSet {
        let mut warm = eth.warm_addresses().clone();
        warm.insert(ARB_SYS);
        warm.insert(ARB_WASM);
        warm
    }
}

/// A precompile's answer before it becomes an [`InterpreterResult`].
pub(crate) enum Answer {
    /// Success with ABI-encoded output.
    Ok(Vec<u8>),
    /// Revert with data (an ABI-encoded custom error).
    Revert(Vec<u8>),
}

/// Builds the frame result: `cost` gas charged out of `gas_limit` (all of it, as an out-of-gas
/// halt, when the cost exceeds the limit).
pub(crate) fn finish(answer: Answer, cost: u64, gas_limit: u64) -> InterpreterResult {
    let mut gas = Gas::new(gas_limit);
    if !gas.record_regular_cost(cost) {
        gas.spend_all();
        return InterpreterResult::new(InstructionResult::PrecompileOOG, Bytes::new(), gas);
    }
    match answer {
        Answer::Ok(out) => InterpreterResult::new(InstructionResult::Return, out.into(), gas),
        Answer::Revert(out) => InterpreterResult::new(InstructionResult::Revert, out.into(), gas),
    }
}

impl PrecompileProvider<DevContext> for DevPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: revm::primitives::hardfork::SpecId) -> bool {
        let changed =
            <EthPrecompiles as PrecompileProvider<DevContext>>::set_spec(&mut self.eth, spec);
        if changed {
            self.warm = Self::warm_set(&self.eth);
        }
        changed
    }

    fn run(
        &mut self,
        context: &mut DevContext,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        if inputs.bytecode_address == ARB_WASM {
            return arbwasm::run(&mut self.stylus, context, inputs).map(Some);
        }
        if inputs.bytecode_address == ARB_SYS {
            return Ok(Some(arbsys::run(context, inputs)));
        }
        self.eth.run(context, inputs)
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.warm
    }

    fn contains(&self, address: &Address) -> bool {
        self.warm.contains(address)
    }
}
