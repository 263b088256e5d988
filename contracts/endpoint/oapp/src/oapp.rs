//! The component an application of the endpoint (an "OApp") embeds.
//!
//! An OApp trusts exactly one peer contract per remote endpoint id. Its `lzReceive` must be
//! callable by the destination endpoint (`EndpointReceive`) only and accept messages only from
//! that peer ([`OApp::authenticate`]); it sends through the source endpoint (`Endpoint`) with
//! [`OApp::quote`] and [`send`], paying the endpoint's fee and sending any excess back to the
//! user. Its constructor names its admin as delegate on `EndpointConfig` ([`set_delegate`]), so
//! the admin configures its verifiers and recovers its paths.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    storage::{StorageAddress, StorageFixedBytes, StorageMap},
    stylus_core::{
        calls::{errors::Error as CallError, Call},
        Host,
    },
};

use crate::packet::{address_to_bytes32, bytes32_to_address};

sol! {
    /// The endpoint functions an OApp calls.
    interface IEndpoint {
        /// The fee of sending `message` to `receiver` on `dstEid`.
        function quote(uint32 dstEid, address receiver, bytes message) external view returns (uint256 fee);
        /// Sends `message`; excess fee goes to `refundTo`.
        function send(uint32 dstEid, address receiver, bytes message, address refundTo) external payable returns (bytes32 guid, uint64 nonce);
    }

    /// The `EndpointConfig` function an OApp calls.
    interface IEndpointConfigDelegate {
        /// Names the account that may configure and recover the caller's paths.
        function setDelegate(address delegate) external;
    }

    /// The function the endpoint calls on a receiver.
    interface IOAppReceiver {
        /// Delivers a verified message.
        function lzReceive(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes message) external;
    }

    /// The trusted peer for `eid` is now `peer` (zero removes it).
    #[derive(Debug)]
    event PeerSet(uint32 indexed eid, bytes32 peer);

    /// `lzReceive` was called by `caller`, not the endpoint.
    #[derive(Debug)]
    error OAppNotEndpoint(address caller);
    /// The message came from `sender` on `srcEid`, which is not the trusted peer there.
    #[derive(Debug)]
    error OAppUntrustedPeer(uint32 srcEid, bytes32 sender);
    /// No peer is configured for `eid` (or it is not an address).
    #[derive(Debug)]
    error OAppNoPeer(uint32 eid);
    /// The endpoint refused a call; `reason` is its revert data.
    #[derive(Debug)]
    error OAppEndpointCallFailed(bytes reason);
    /// The message could not be decoded.
    #[derive(Debug)]
    error OAppInvalidMessage();
}

/// Errors of the OApp component, absorbed by each OApp's error enum.
#[derive(SolidityError, Debug)]
pub enum OAppError {
    /// Caller is not the endpoint.
    NotEndpoint(OAppNotEndpoint),
    /// Message from an untrusted sender.
    UntrustedPeer(OAppUntrustedPeer),
    /// No peer for the destination.
    NoPeer(OAppNoPeer),
    /// The endpoint reverted.
    EndpointCallFailed(OAppEndpointCallFailed),
    /// Malformed message.
    InvalidMessage(OAppInvalidMessage),
}

fn endpoint_failed(e: CallError) -> OAppError {
    let reason = match e {
        CallError::Revert(data) => data,
        _ => Vec::new(),
    };
    OAppError::EndpointCallFailed(OAppEndpointCallFailed {
        reason: reason.into(),
    })
}

/// The OApp state: its endpoints and its peers.
#[storage]
pub struct OApp {
    /// The source endpoint (`Endpoint`, for `quote` and `send`). Invariant: non-zero once the
    /// owning contract's constructor has run; never changes.
    endpoint: StorageAddress,
    /// The destination endpoint (`EndpointReceive`), the only caller of `lzReceive`.
    /// Invariant: non-zero once the owning contract's constructor has run; never changes.
    receive_endpoint: StorageAddress,
    /// Remote endpoint id => trusted peer (an address, left-padded); zero = none. Changed only
    /// by the owning contract's admin.
    peers: StorageMap<u32, StorageFixedBytes<32>>,
}

impl OApp {
    /// Sets the endpoints. Call once, from the owning contract's constructor (which rejects
    /// zero addresses first).
    pub fn init(&mut self, endpoint: Address, receive_endpoint: Address) {
        self.endpoint.set(endpoint);
        self.receive_endpoint.set(receive_endpoint);
    }

    /// The source endpoint.
    pub fn endpoint(&self) -> Address {
        self.endpoint.get()
    }

    /// The destination endpoint.
    pub fn receive_endpoint(&self) -> Address {
        self.receive_endpoint.get()
    }

    /// The trusted peer on `eid` (zero when none).
    pub fn peer(&self, eid: u32) -> B256 {
        self.peers.get(eid)
    }

    /// The trusted peer on `eid` as an address.
    ///
    /// # Errors
    /// [`OAppError::NoPeer`] when none is set.
    pub fn peer_address(&self, eid: u32) -> Result<Address, OAppError> {
        match bytes32_to_address(self.peer(eid)) {
            Some(a) if !a.is_zero() => Ok(a),
            _ => Err(OAppError::NoPeer(OAppNoPeer { eid })),
        }
    }

    /// Sets the trusted peer on `eid` (callers check the admin first). Zero removes it.
    ///
    /// # Events
    /// [`PeerSet`].
    pub fn _set_peer(&mut self, eid: u32, peer: Address) {
        let peer = address_to_bytes32(peer);
        self.peers.setter(eid).set(peer);
        self.vm().log(PeerSet { eid, peer });
    }

    /// Checks an `lzReceive` call: `caller` must be the destination endpoint and `sender` the
    /// trusted peer on `src_eid`.
    ///
    /// # Errors
    /// [`OAppError::NotEndpoint`], [`OAppError::UntrustedPeer`].
    pub fn authenticate(
        &self,
        caller: Address,
        src_eid: u32,
        sender: B256,
    ) -> Result<(), OAppError> {
        if caller != self.receive_endpoint.get() {
            return Err(OAppError::NotEndpoint(OAppNotEndpoint { caller }));
        }
        let peer = self.peer(src_eid);
        if peer.is_zero() || peer != sender {
            return Err(OAppError::UntrustedPeer(OAppUntrustedPeer {
                srcEid: src_eid,
                sender,
            }));
        }
        Ok(())
    }

    /// The endpoint's fee for sending `message` to the peer on `dst_eid`.
    ///
    /// # Errors
    /// [`OAppError::NoPeer`], [`OAppError::EndpointCallFailed`].
    pub fn quote(&self, dst_eid: u32, message: &[u8]) -> Result<U256, OAppError> {
        let receiver = self.peer_address(dst_eid)?;
        let data = IEndpoint::quoteCall {
            dstEid: dst_eid,
            receiver,
            message: message.to_vec().into(),
        }
        .abi_encode();
        let out = static_call(self.vm(), Call::new(), self.endpoint.get(), &data)
            .map_err(endpoint_failed)?;
        out.get(..32)
            .map(U256::from_be_slice)
            .ok_or(OAppError::EndpointCallFailed(OAppEndpointCallFailed {
                reason: Vec::new().into(),
            }))
    }
}

/// Sends `message` to the peer on `dst_eid` through `endpoint`, paying `fee` (the excess comes
/// back to `refund_to`). A free function because the call context borrows the whole contract:
/// `send(self.vm(), Call::new_payable(self, fee), ...)`.
///
/// # Errors
/// [`OAppError::EndpointCallFailed`] with the endpoint's revert data.
pub fn send<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, true>,
    endpoint: Address,
    dst_eid: u32,
    receiver: Address,
    message: Vec<u8>,
    refund_to: Address,
) -> Result<(B256, u64), OAppError> {
    let data = IEndpoint::sendCall {
        dstEid: dst_eid,
        receiver,
        message: message.into(),
        refundTo: refund_to,
    }
    .abi_encode();
    let out = call(host, ctx, endpoint, &data).map_err(endpoint_failed)?;
    let r = IEndpoint::sendCall::abi_decode_returns(&out).map_err(|_| {
        OAppError::EndpointCallFailed(OAppEndpointCallFailed {
            reason: out.clone().into(),
        })
    })?;
    Ok((r.guid, r.nonce))
}

/// Asks `config` (the `EndpointConfig`) to let `delegate` configure and recover the caller's
/// paths (an OApp calls it from its constructor with its admin).
///
/// # Errors
/// [`OAppError::EndpointCallFailed`].
pub fn set_delegate<H: Host + ?Sized>(
    host: &H,
    ctx: Call<true, false>,
    config: Address,
    delegate: Address,
) -> Result<(), OAppError> {
    let data = IEndpointConfigDelegate::setDelegateCall { delegate }.abi_encode();
    call(host, ctx, config, &data).map_err(endpoint_failed)?;
    Ok(())
}
