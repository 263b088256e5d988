//! Shared building blocks for the restaking Stylus contracts.
//!
//! Every deployable contract in this workspace embeds the components below as fields of its
//! entrypoint storage struct:
//!
//! - [`erc20::Erc20`]: ERC-20 balances, allowances and supply with EIP-6093 errors (the LRT
//!   token's core, reused by the test-only liquid staking token);
//! - [`access::AccessControl`]: role-based access control with a two-step admin transfer;
//! - [`pausable::Pausable`]: pausing by function group (a bitmap of up to 256 groups);
//! - [`reentrancy::ReentrancyGuard`]: an explicit guard for functions that call out;
//! - [`math`]: checked fixed-point arithmetic with an explicit rounding direction;
//! - [`word`]: one shared copy of the storage-word, ABI-word and log conversions.
//!
//! The components hold state and enforce rules; they expose no ABI of their own. Each contract
//! exposes the public functions it wants through its own `#[public]` block and maps component
//! errors into its own error enum, so a contract's ABI is explicit in one place.
#![cfg_attr(not(test), no_std)]
extern crate alloc;

pub mod access;
pub mod admin;
pub mod erc20;
pub mod math;
pub mod pausable;
pub mod reentrancy;
pub mod short_string;
pub mod word;

/// The address ERC-7535 uses to denote native ETH as an asset.
pub const NATIVE_ETH: alloy_primitives::Address =
    alloy_primitives::address!("EeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE");

/// Implements `From<$from> for $to` for two error enums whose variants share names, so a
/// contract's flat error enum (one variant per Solidity error, as the ABI exporter needs) can
/// absorb a component's errors with `?`.
///
/// ```ignore
/// restake_shared::absorb_errors!(ControlError => VaultError {
///     Unauthorized, InvalidAccount, EnforcedPause, ExpectedPause
/// });
/// ```
#[macro_export]
macro_rules! absorb_errors {
    ($from:ident => $to:ident { $($variant:ident),+ $(,)? }) => {
        impl From<$from> for $to {
            fn from(e: $from) -> Self {
                match e {
                    $( $from::$variant(inner) => $to::$variant(inner), )+
                }
            }
        }
    };
}
