//! Shared setup of the cross-chain tests: two chains with the three endpoint contracts each,
//! ABI bindings, a fake receiver and a relay helper playing the relayer.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

use std::{cell::RefCell, rc::Rc};

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use restake_xchain_tests::{Chain, Fake, Log};

sol! {
    interface IEndpoint {
        function eid() external view returns (uint32);
        function quote(uint32 dstEid, address receiver, bytes message) external view returns (uint256 fee);
        function send(uint32 dstEid, address receiver, bytes message, address refundTo) external payable returns (bytes32 guid, uint64 nonce);
        function outboundNonce(address sender, uint32 dstEid, address receiver) external view returns (uint64);
        function setDstConfig(uint32 dstEid, address executor, uint256 executorFee) external;
        function setVerifierFee(uint32 dstEid, address verifier, uint256 fee) external;
        function accruedFees(address account) external view returns (uint256);
        function withdrawFees(address to) external returns (uint256);
        function setPathPaused(address local, uint32 remoteEid, bytes32 remote, bool paused) external;
    }
    interface IEndpointReceive {
        function eid() external view returns (uint32);
        function config() external view returns (address);
        function verify(bytes header, bytes32 payloadHash) external;
        function commit(bytes header, bytes32 payloadHash) external;
        function deliver(bytes header, bytes32 guid, bytes message) external;
        function committedHash(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external view returns (bytes32);
        function inboundNonce(address receiver, uint32 srcEid, bytes32 sender) external view returns (uint64);
        function isConsumed(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external view returns (bool);
        function isVerified(address verifier, bytes32 headerHash, bytes32 payloadHash) external view returns (bool);
        function skip(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) external;
        function clear(bytes header, bytes32 guid, bytes message) external;
        function nilify(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash) external;
        function burn(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 payloadHash) external;
    }
    interface IEndpointConfig {
        function setReceiveConfig(uint32 srcEid, address[] required, address[] optional, uint8 threshold) external;
        function setReceiveConfigFor(address receiver, uint32 srcEid, address[] required, address[] optional, uint8 threshold, bool ordered) external;
        function policy(address receiver, uint32 srcEid, bytes32 sender) external view returns (bytes);
        function setDelegate(address delegate) external;
        function delegates(address oapp) external view returns (address);
        function setPathPaused(address local, uint32 remoteEid, bytes32 remote, bool paused) external;
    }
    interface IAdmin {
        function grantRole(bytes32 role, address account) external;
        function pause(uint8 group) external;
        function unpause(uint8 group) external;
        function admin() external view returns (address);
    }
    interface IOAppReceiver {
        function lzReceive(uint32 srcEid, bytes32 sender, uint64 nonce, bytes32 guid, bytes message) external;
    }
}

pub const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
pub const PAUSER: Address = address!("00000000000000000000000000000000000a0002");
pub const EXECUTOR: Address = address!("00000000000000000000000000000000000e0001");
pub const V1: Address = address!("0000000000000000000000000000000000001001");
pub const V2: Address = address!("0000000000000000000000000000000000001002");
pub const V3: Address = address!("0000000000000000000000000000000000001003");
pub const V4: Address = address!("0000000000000000000000000000000000001004");
pub const ALICE: Address = address!("000000000000000000000000000000000000a11c");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const EVE: Address = address!("0000000000000000000000000000000000000e7e");

pub const ENDPOINT: Address = address!("00000000000000000000000000000000000e0d01");
pub const RECEIVE: Address = address!("00000000000000000000000000000000000e0d02");
pub const CONFIG: Address = address!("00000000000000000000000000000000000e0d03");

pub const EID_A: u32 = 101;
pub const EID_B: u32 = 202;

pub const VERIFIER_FEE: u64 = 1_000;
pub const EXECUTOR_FEE: u64 = 5_000;

/// `keccak256("PAUSER_ROLE")`.
pub fn pauser_role() -> B256 {
    keccak256("PAUSER_ROLE")
}

pub fn b32(a: Address) -> B256 {
    a.into_word()
}

pub fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// Asserts that `r` reverted with error `E`.
#[track_caller]
pub fn assert_err<E: SolError, T>(r: Result<T, Vec<u8>>) {
    match r {
        Ok(_) => panic!("expected {}, got success", E::SIGNATURE),
        Err(data) => assert_eq!(
            data.get(..4),
            Some(E::SELECTOR.as_slice()),
            "expected {}, got revert data {}",
            E::SIGNATURE,
            alloy_primitives::hex::encode(&data)
        ),
    }
}

/// One side of the test: a chain with its endpoint contracts.
#[derive(Clone)]
pub struct Side {
    pub chain: Chain,
    pub eid: u32,
}

impl Side {
    /// Deploys Endpoint, EndpointConfig and EndpointReceive on a fresh chain; the pauser role
    /// is granted on the send endpoint and the config.
    pub fn new(chain_id: u64, eid: u32) -> Self {
        let chain = Chain::new(chain_id);
        chain
            .deploy::<restake_endpoint::Endpoint>(ENDPOINT, ADMIN, (eid, ADMIN).abi_encode_params())
            .unwrap();
        chain
            .deploy::<restake_endpoint_config::EndpointConfig>(
                CONFIG,
                ADMIN,
                (ADMIN,).abi_encode_params(),
            )
            .unwrap();
        chain
            .deploy::<restake_endpoint_receive::EndpointReceive>(
                RECEIVE,
                ADMIN,
                (eid, CONFIG).abi_encode_params(),
            )
            .unwrap();
        for c in [ENDPOINT, CONFIG] {
            chain
                .send(
                    ADMIN,
                    c,
                    &IAdmin::grantRoleCall {
                        role: pauser_role(),
                        account: PAUSER,
                    },
                    U256::ZERO,
                )
                .unwrap();
        }
        Self { chain, eid }
    }

    /// Configures fees for messages to `dst_eid`: V1 and V2 paid, plus the executor.
    pub fn price(&self, dst_eid: u32) {
        let c = &self.chain;
        c.send(
            ADMIN,
            ENDPOINT,
            &IEndpoint::setDstConfigCall {
                dstEid: dst_eid,
                executor: EXECUTOR,
                executorFee: U256::from(EXECUTOR_FEE),
            },
            U256::ZERO,
        )
        .unwrap();
        for v in [V1, V2] {
            c.send(
                ADMIN,
                ENDPOINT,
                &IEndpoint::setVerifierFeeCall {
                    dstEid: dst_eid,
                    verifier: v,
                    fee: U256::from(VERIFIER_FEE),
                },
                U256::ZERO,
            )
            .unwrap();
        }
    }

    /// `receiver` (calling itself) requires V1 and V2 for messages from `src_eid`.
    pub fn require_two(&self, receiver: Address, src_eid: u32) {
        self.chain
            .send(
                receiver,
                CONFIG,
                &IEndpointConfig::setReceiveConfigCall {
                    srcEid: src_eid,
                    required: vec![V1, V2],
                    optional: vec![],
                    threshold: 0,
                },
                U256::ZERO,
            )
            .unwrap();
    }

    /// Sends `message` from `sender` to `receiver` on `dst_eid`, paying the quote exactly.
    pub fn send_msg(
        &self,
        sender: Address,
        dst_eid: u32,
        receiver: Address,
        message: &[u8],
    ) -> (B256, u64) {
        let fee = self
            .chain
            .get(
                ENDPOINT,
                &IEndpoint::quoteCall {
                    dstEid: dst_eid,
                    receiver,
                    message: Bytes::copy_from_slice(message),
                },
            )
            .unwrap();
        self.chain.fund(sender, fee);
        let r = self
            .chain
            .send(
                sender,
                ENDPOINT,
                &IEndpoint::sendCall {
                    dstEid: dst_eid,
                    receiver,
                    message: Bytes::copy_from_slice(message),
                    refundTo: sender,
                },
                fee,
            )
            .unwrap();
        (r.guid, r.nonce)
    }
}

/// A packet read from a `PacketSent` log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    pub header: Vec<u8>,
    pub guid: B256,
    pub message: Vec<u8>,
}

impl Packet {
    pub fn payload_hash(&self) -> B256 {
        keccak256([self.guid.as_slice(), &self.message].concat())
    }
    pub fn header_hash(&self) -> B256 {
        keccak256(&self.header)
    }
    pub fn nonce(&self) -> u64 {
        u64::from_be_bytes(self.header[1..9].try_into().unwrap())
    }
    pub fn src_eid(&self) -> u32 {
        u32::from_be_bytes(self.header[9..13].try_into().unwrap())
    }
    pub fn sender(&self) -> B256 {
        B256::from_slice(&self.header[13..45])
    }
    pub fn receiver(&self) -> Address {
        Address::from_slice(&self.header[61..81])
    }
}

/// Packets in `PacketSent` logs among `logs`.
pub fn packets(logs: &[Log]) -> Vec<Packet> {
    logs.iter()
        .filter(|l| {
            l.address == ENDPOINT
                && l.topics.first() == Some(&restake_endpoint::PacketSent::SIGNATURE_HASH)
        })
        .map(|l| {
            let ev =
                restake_endpoint::PacketSent::decode_raw_log(l.topics.iter().copied(), &l.data)
                    .unwrap();
            let p = ev.encodedPacket.to_vec();
            Packet {
                header: p[..81].to_vec(),
                guid: B256::from_slice(&p[81..113]),
                message: p[113..].to_vec(),
            }
        })
        .collect()
}

/// The last packet sent on `side`.
pub fn last_packet(side: &Side) -> Packet {
    packets(&side.chain.logs()).pop().expect("no packet sent")
}

/// Each of `verifiers` attests `p` on `dst`.
pub fn attest(dst: &Side, p: &Packet, verifiers: &[Address]) {
    for v in verifiers {
        dst.chain
            .send(
                *v,
                RECEIVE,
                &IEndpointReceive::verifyCall {
                    header: p.header.clone().into(),
                    payloadHash: p.payload_hash(),
                },
                U256::ZERO,
            )
            .unwrap();
    }
}

pub fn commit(dst: &Side, p: &Packet) -> Result<(), Vec<u8>> {
    dst.chain
        .send(
            EXECUTOR,
            RECEIVE,
            &IEndpointReceive::commitCall {
                header: p.header.clone().into(),
                payloadHash: p.payload_hash(),
            },
            U256::ZERO,
        )
        .map(drop)
}

pub fn deliver(dst: &Side, p: &Packet) -> Result<(), Vec<u8>> {
    dst.chain
        .send(
            EXECUTOR,
            RECEIVE,
            &IEndpointReceive::deliverCall {
                header: p.header.clone().into(),
                guid: p.guid,
                message: p.message.clone().into(),
            },
            U256::ZERO,
        )
        .map(drop)
}

/// Verify by V1 and V2, commit, deliver.
pub fn relay(dst: &Side, p: &Packet) -> Result<(), Vec<u8>> {
    attest(dst, p, &[V1, V2]);
    commit(dst, p)?;
    deliver(dst, p)
}

/// Whether the last `deliver` emitted `PacketDelivered` (and not `DeliveryFailed`).
pub fn delivered_events(side: &Side, since: usize) -> (usize, usize) {
    let logs = side.chain.logs_since(since);
    let ok = logs
        .iter()
        .filter(|l| {
            l.topics.first() == Some(&restake_endpoint_receive::PacketDelivered::SIGNATURE_HASH)
        })
        .count();
    let failed = logs
        .iter()
        .filter(|l| {
            l.topics.first() == Some(&restake_endpoint_receive::DeliveryFailed::SIGNATURE_HASH)
        })
        .count();
    (ok, failed)
}

/// What a fake receiver does on `lzReceive`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    Accept,
    Revert,
    /// Calls the endpoint with `reenter_data` (a reentrancy attempt), then accepts.
    Reenter,
}

/// A receiver that records what it is given.
pub struct FakeReceiver {
    pub endpoint: Address,
    pub received: Vec<(u32, B256, u64, B256, Vec<u8>)>,
    pub behaviour: Behaviour,
    pub reenter_data: Vec<u8>,
    pub reentry: Option<Result<Vec<u8>, Vec<u8>>>,
}

impl FakeReceiver {
    pub fn install(chain: &Chain, at: Address) -> Rc<RefCell<FakeReceiver>> {
        let f = Rc::new(RefCell::new(FakeReceiver {
            endpoint: RECEIVE,
            received: Vec::new(),
            behaviour: Behaviour::Accept,
            reenter_data: Vec::new(),
            reentry: None,
        }));
        chain.add_fake(at, f.clone());
        f
    }
}

impl Fake for FakeReceiver {
    fn call(
        &mut self,
        chain: &Chain,
        from: Address,
        data: &[u8],
        _value: U256,
        _is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let c = IOAppReceiver::lzReceiveCall::abi_decode(data).map_err(|_| Vec::new())?;
        if from != self.endpoint {
            return Err(b"not endpoint".to_vec());
        }
        match self.behaviour {
            Behaviour::Accept => {}
            Behaviour::Revert => return Err(b"receiver says no".to_vec()),
            Behaviour::Reenter => {
                let r = chain.call(ALICE, RECEIVE, self.reenter_data.clone(), U256::ZERO);
                self.reentry = Some(r);
            }
        }
        self.received
            .push((c.srcEid, c.sender, c.nonce, c.guid, c.message.to_vec()));
        Ok(Vec::new())
    }
}
