//! Running a program: [`execute`].

use crate::{api::CallContext, api::EvmApi, config::Config, program::Program};

/// How a program run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// `user_entrypoint` returned 0 (or `exit_early(0)`); storage was flushed.
    Success,
    /// A non-zero status; cached storage writes were discarded, the output is revert data.
    Revert,
    /// The program ran out of ink; all gas is consumed.
    OutOfInk,
    /// The program trapped or a host operation failed; all gas is consumed.
    Failure(String),
}

/// The result of [`execute`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How the run ended.
    pub status: Status,
    /// Return data (success) or revert data (revert); empty otherwise.
    pub output: Vec<u8>,
    /// EVM gas left of the `gas` passed in (0 on [`Status::OutOfInk`] and [`Status::Failure`]).
    pub gas_left: u64,
}

/// Runs `program` with `calldata` in the environment `ctx`, with `gas` EVM gas.
///
/// The host has already charged the program's init gas (see
/// [`crate::ActivationInfo::init_gas`]); this function charges the memory footprint through
/// [`EvmApi::add_pages`], every executed WASM instruction and every hostio.
pub fn execute(
    program: &Program,
    calldata: &[u8],
    ctx: &CallContext,
    api: &mut dyn EvmApi,
    gas: u64,
    config: &Config,
) -> Outcome {
    let _ = (program, calldata, ctx, api, config);
    Outcome {
        status: Status::Failure("not implemented yet".into()),
        output: Vec::new(),
        gas_left: gas,
    }
}
