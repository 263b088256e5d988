//! Tests of the restaking core contracts together (no library code).
//!
//! `tests/common` builds a test world on stylus-sdk's `TestVM`: each core contract
//! (`OperatorRegistry`, `DelegationManager`, `AllocationManager`, `SlashingManager`,
//! `RewardsCoordinator`) runs through its ABI router on its own host, calls between contracts
//! are routed by the world (so TestVM's `mock_call` is never used), vaults, ERC-20 tokens and
//! rate providers are in-Rust fakes (or the real `RestakeVault` and `LrtToken`), and a failing
//! call frame rolls back every contract's storage, every fake and every ETH balance.
//!
//! Test files: `registry`, `delegation`, `allocation`, `slashing` (with the named regressions),
//! `rewards` (with the reward sandwich), `flow`, `real_vault` and `model` (property test
//! against a reference model).
