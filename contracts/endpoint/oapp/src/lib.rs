//! Pieces shared by the message endpoint and the applications that use it ("OApps").
//!
//! - [`packet`]: the packet header, GUID and payload hash, byte for byte as the endpoint and
//!   the relayer encode them;
//! - [`oapp`]: the storage component an OApp embeds: its endpoint, a trusted peer per remote
//!   endpoint id, the `lzReceive` authentication, and `quote` / `send` calls to the endpoint;
//! - [`protocol`]: the calls between the two destination-side endpoint contracts;
//! - [`stake_state`]: the stake-state message the stake-sync contracts exchange;
//! - [`bridge`]: the LRT bridges' transfer message, rate limits, events and errors.
#![cfg_attr(not(test), no_std)]
extern crate alloc;

pub mod bridge;
pub mod oapp;
pub mod packet;
pub mod protocol;
pub mod stake_state;
