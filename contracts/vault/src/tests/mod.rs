//! Tests of the vault.
