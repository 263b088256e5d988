//! The steps of a deployment, in order. Each step knows how to tell whether it is already done
//! on chain, so re-running a deployment changes nothing and a killed one resumes.
//!
//! Contracts are deployed through the StylusDeployer with their constructor arguments; the
//! wiring between them (roles, peers, registrations) is a list of [`Wire`] calls, each with the
//! view call and expected answer that prove it done.
//!
//! A cross-chain deployment has two sides: the home chain (vault, core, endpoint, stake-state
//! publisher, LRT lockbox) and a remote chain (endpoint, stake-state mirror, LRT copy and its
//! bridge). Each side is a plan of its own; the peering steps join the plan once the other
//! side's addresses are known, so deploying home, then remote, then home again wires both.
use std::collections::BTreeMap;

use alloy::primitives::{keccak256, utils::parse_ether, Address, Bytes, B256, U256};
use alloy::sol_types::SolValue;
use anyhow::{Context, Result};

use crate::manifest::Manifest;
pub use crate::wiring::{Check, Verdict, Wire};

/// `keccak256("MINTER_ROLE")` on the LRT token.
pub fn minter_role() -> B256 {
    keccak256(b"MINTER_ROLE")
}

/// `keccak256("REDEEM_QUEUE_ROLE")` on the vault.
pub fn redeem_queue_role() -> B256 {
    keccak256(b"REDEEM_QUEUE_ROLE")
}

/// `keccak256("STAKE_MANAGER_ROLE")` on the vault: may slash assets out and notify rewards.
pub fn stake_manager_role() -> B256 {
    keccak256(b"STAKE_MANAGER_ROLE")
}

/// Settings of a deployment (command-line flags).
#[derive(Debug, Clone)]
pub struct Params {
    /// Admin of every contract (the deployer by default).
    pub admin: Address,
    /// LRT name.
    pub token_name: String,
    /// LRT symbol.
    pub token_symbol: String,
    /// Redeem-queue withdrawal delay in seconds.
    pub withdrawal_delay: u64,
    /// Operator fee-change delay of the registry, in seconds.
    pub fee_delay: u64,
    /// Deallocation delay of the allocation manager (stake stays slashable), in seconds.
    pub deallocation_delay: u64,
    /// Shortest reward stream the rewards coordinator accepts, in seconds.
    pub min_reward_duration: u64,
    /// The vault's operator manager in the delegation manager (sets how much each operator
    /// receives); the admin by default.
    pub vault_manager: Address,
    /// Deploy the test-only LST and rate provider and list the LST (local chains only).
    pub with_test_contracts: bool,
    /// Deposit cap of the test LST, in token units.
    pub test_lst_cap: U256,
    /// Initial rate of the test LST, ETH per 1e18 units.
    pub test_lst_rate: U256,
    /// The cross-chain side of this deployment, if any.
    pub cross_chain: Option<CrossChain>,
}

/// Which side of a cross-chain deployment a chain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The chain with the vault and the restaking core.
    Home,
    /// A chain mirroring the stake state and holding bridged LRT.
    Remote,
}

/// The cross-chain settings of one side.
#[derive(Debug, Clone)]
pub struct CrossChain {
    /// This side.
    pub role: Role,
    /// This chain's endpoint id.
    pub local_eid: u32,
    /// The other chain's endpoint id.
    pub remote_eid: u32,
    /// The verifiers every receiving app requires (at least two distinct).
    pub verifiers: Vec<Address>,
    /// The executor paid to commit and deliver on the other chain.
    pub executor: Address,
    /// The executor's fee per message, in wei.
    pub executor_fee: U256,
    /// Each verifier's fee per message, in wei (zero: no fee steps).
    pub verifier_fee: U256,
    /// Bridge token-bucket capacity per direction, in LRT wei.
    pub rate_capacity: U256,
    /// Bridge token-bucket refill, LRT wei per second.
    pub rate_refill_per_second: u128,
    /// Minimum seconds between two regular stake-state publications (home).
    pub publish_interval: u64,
    /// The other chain's contracts by manifest name, once deployed (peering waits for them).
    pub peers: BTreeMap<String, Address>,
}

impl CrossChain {
    /// Defaults for `role`: fees of 0.0001 ETH (executor) and 0.00005 ETH (each verifier), a
    /// 1,000 LRT bucket refilling at 0.1 LRT/s, publications at most every 5 minutes (a slash
    /// makes one due at once).
    pub fn with_defaults(
        role: Role,
        local_eid: u32,
        remote_eid: u32,
        verifiers: Vec<Address>,
        executor: Address,
    ) -> Self {
        Self {
            role,
            local_eid,
            remote_eid,
            verifiers,
            executor,
            executor_fee: parse_ether("0.0001").unwrap_or_default(),
            verifier_fee: parse_ether("0.00005").unwrap_or_default(),
            rate_capacity: parse_ether("1000").unwrap_or_default(),
            rate_refill_per_second: 100_000_000_000_000_000,
            publish_interval: 300,
            peers: BTreeMap::new(),
        }
    }
}

impl Params {
    /// Defaults for `admin`: "Restaked ETH" / "rsETH"; a 7-day withdrawal delay on public
    /// networks and 1 hour (the queue's minimum) on local chains; the core's delays at their
    /// minimums (1-day fee delay, 5-day deallocation delay, 1-hour minimum reward stream)
    /// on local chains and longer ones (7 days, 14 days, 1 day) on public networks; the
    /// admin as the vault's operator manager; the test LST at 1.05 ETH with a 1M cap.
    pub fn defaults(admin: Address, local: bool) -> Self {
        const DAY: u64 = 86_400;
        Self {
            admin,
            token_name: "Restaked ETH".into(),
            token_symbol: "rsETH".into(),
            withdrawal_delay: if local { 3_600 } else { 7 * DAY },
            fee_delay: if local { DAY } else { 7 * DAY },
            deallocation_delay: if local { 5 * DAY } else { 14 * DAY },
            min_reward_duration: if local { 3_600 } else { DAY },
            vault_manager: admin,
            with_test_contracts: local,
            test_lst_cap: parse_ether("1000000").unwrap_or_default(),
            test_lst_rate: parse_ether("1.05").unwrap_or_default(),
            cross_chain: None,
        }
    }
}

/// A contract the plan deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractKind {
    /// The LRT token.
    LrtToken,
    /// The restaking vault.
    Vault,
    /// The vault's ERC-7540 redeem queue.
    RedeemQueue,
    /// Operators, services and operator sets.
    OperatorRegistry,
    /// Vaults' delegations to operators.
    DelegationManager,
    /// Operators' allocations to operator sets.
    AllocationManager,
    /// Slash requests, vetoes and execution.
    SlashingManager,
    /// Reward submissions.
    RewardsCoordinator,
    /// TEST ONLY liquid staking token.
    TestLst,
    /// TEST ONLY rate provider of the test LST.
    TestRateProvider,
    /// Receive configurations (verifier quorums, delegates, path pauses).
    EndpointConfig,
    /// The receive side of the endpoint (verify, commit, deliver).
    EndpointReceive,
    /// The send side of the endpoint (quote, send, fees).
    Endpoint,
    /// Publishes the stake state to the other chain (home).
    StakeSyncHome,
    /// Mirrors the home stake state (remote).
    StakeSyncRemote,
    /// Locks LRT at home and releases what comes back.
    LrtLockbox,
    /// Mints bridged LRT on the remote chain and burns what goes back.
    LrtBridgeRemote,
}

impl ContractKind {
    /// Every kind, in deployment order.
    pub const ALL: [Self; 17] = [
        Self::LrtToken,
        Self::Vault,
        Self::RedeemQueue,
        Self::OperatorRegistry,
        Self::DelegationManager,
        Self::AllocationManager,
        Self::SlashingManager,
        Self::RewardsCoordinator,
        Self::TestLst,
        Self::TestRateProvider,
        Self::EndpointConfig,
        Self::EndpointReceive,
        Self::Endpoint,
        Self::StakeSyncHome,
        Self::StakeSyncRemote,
        Self::LrtLockbox,
        Self::LrtBridgeRemote,
    ];

    /// Name in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Self::LrtToken => "lrtToken",
            Self::Vault => "vault",
            Self::RedeemQueue => "redeemQueue",
            Self::OperatorRegistry => "operatorRegistry",
            Self::DelegationManager => "delegationManager",
            Self::AllocationManager => "allocationManager",
            Self::SlashingManager => "slashingManager",
            Self::RewardsCoordinator => "rewardsCoordinator",
            Self::TestLst => "testLst",
            Self::TestRateProvider => "testRateProvider",
            Self::EndpointConfig => "endpointConfig",
            Self::EndpointReceive => "endpointReceive",
            Self::Endpoint => "endpoint",
            Self::StakeSyncHome => "stakeSyncHome",
            Self::StakeSyncRemote => "stakeSyncRemote",
            Self::LrtLockbox => "lrtLockbox",
            Self::LrtBridgeRemote => "lrtBridgeRemote",
        }
    }

    /// The contract crate.
    pub fn package(self) -> &'static str {
        match self {
            Self::LrtToken => "lrt-token",
            Self::Vault => "restake-vault",
            Self::RedeemQueue => "restake-redeem-queue",
            Self::OperatorRegistry => "operator-registry",
            Self::DelegationManager => "delegation-manager",
            Self::AllocationManager => "allocation-manager",
            Self::SlashingManager => "slashing-manager",
            Self::RewardsCoordinator => "rewards-coordinator",
            Self::TestLst => "test-lst",
            Self::TestRateProvider => "test-rate-provider",
            Self::EndpointConfig => "restake-endpoint-config",
            Self::EndpointReceive => "restake-endpoint-receive",
            Self::Endpoint => "restake-endpoint",
            Self::StakeSyncHome => "restake-stake-sync",
            Self::StakeSyncRemote => "restake-stake-sync-remote",
            Self::LrtLockbox => "restake-lrt-bridge",
            Self::LrtBridgeRemote => "restake-lrt-bridge-remote",
        }
    }

    /// The committed ABI.
    pub fn abi(self) -> &'static str {
        match self {
            Self::LrtToken => "abi/LrtToken.json",
            Self::Vault => "abi/RestakeVault.json",
            Self::RedeemQueue => "abi/RedeemQueue.json",
            Self::OperatorRegistry => "abi/OperatorRegistry.json",
            Self::DelegationManager => "abi/DelegationManager.json",
            Self::AllocationManager => "abi/AllocationManager.json",
            Self::SlashingManager => "abi/SlashingManager.json",
            Self::RewardsCoordinator => "abi/RewardsCoordinator.json",
            Self::TestLst => "abi/TestLst.json",
            Self::TestRateProvider => "abi/TestRateProvider.json",
            Self::EndpointConfig => "abi/EndpointConfig.json",
            Self::EndpointReceive => "abi/EndpointReceive.json",
            Self::Endpoint => "abi/Endpoint.json",
            Self::StakeSyncHome => "abi/StakeSyncHome.json",
            Self::StakeSyncRemote => "abi/StakeSyncRemote.json",
            Self::LrtLockbox => "abi/LrtLockbox.json",
            Self::LrtBridgeRemote => "abi/LrtBridgeRemote.json",
        }
    }

    /// Whether the contract exists for tests only.
    pub fn test_only(self) -> bool {
        matches!(self, Self::TestLst | Self::TestRateProvider)
    }

    /// The ABI-encoded constructor arguments, given the contracts deployed so far.
    ///
    /// # Errors
    /// When a contract this one needs is not deployed yet.
    pub fn constructor_args(self, params: &Params, manifest: &Manifest) -> Result<Bytes> {
        let need = |kind: ContractKind| {
            manifest
                .address(kind.name())
                .with_context(|| format!("{} needs {} deployed first", self.name(), kind.name()))
        };
        use ContractKind as K;
        let x = || {
            params
                .cross_chain
                .as_ref()
                .with_context(|| format!("{} is deployed only cross-chain", self.name()))
        };
        Ok(match self {
            Self::LrtToken => (
                params.token_name.clone(),
                params.token_symbol.clone(),
                params.admin,
            )
                .abi_encode_params(),
            Self::Vault => (need(K::LrtToken)?, params.admin).abi_encode_params(),
            Self::RedeemQueue => {
                (need(K::Vault)?, params.admin, params.withdrawal_delay).abi_encode_params()
            }
            Self::OperatorRegistry => (params.admin, params.fee_delay).abi_encode_params(),
            Self::DelegationManager => {
                (params.admin, need(K::OperatorRegistry)?).abi_encode_params()
            }
            Self::AllocationManager => (
                params.admin,
                need(K::OperatorRegistry)?,
                need(K::DelegationManager)?,
                params.deallocation_delay,
            )
                .abi_encode_params(),
            Self::SlashingManager => (
                params.admin,
                need(K::OperatorRegistry)?,
                need(K::AllocationManager)?,
                need(K::DelegationManager)?,
            )
                .abi_encode_params(),
            Self::RewardsCoordinator => (
                params.admin,
                need(K::OperatorRegistry)?,
                need(K::AllocationManager)?,
                need(K::DelegationManager)?,
                params.min_reward_duration,
            )
                .abi_encode_params(),
            Self::TestLst => {
                ("Test Staked ETH".to_owned(), "tstETH".to_owned()).abi_encode_params()
            }
            Self::TestRateProvider => (params.admin, params.test_lst_rate).abi_encode_params(),
            Self::EndpointConfig => (params.admin,).abi_encode_params(),
            Self::EndpointReceive => (x()?.local_eid, need(K::EndpointConfig)?).abi_encode_params(),
            Self::Endpoint => (x()?.local_eid, params.admin).abi_encode_params(),
            Self::StakeSyncHome => {
                (params.admin, need(K::Endpoint)?, need(K::Vault)?).abi_encode_params()
            }
            Self::StakeSyncRemote => (
                params.admin,
                need(K::EndpointReceive)?,
                need(K::EndpointConfig)?,
            )
                .abi_encode_params(),
            Self::LrtLockbox => (
                params.admin,
                need(K::LrtToken)?,
                need(K::Endpoint)?,
                need(K::EndpointReceive)?,
                need(K::EndpointConfig)?,
            )
                .abi_encode_params(),
            Self::LrtBridgeRemote => (
                params.admin,
                need(K::LrtToken)?,
                need(K::Endpoint)?,
                need(K::EndpointReceive)?,
                need(K::EndpointConfig)?,
                x()?.remote_eid,
            )
                .abi_encode_params(),
        }
        .into())
    }
}

/// One step of a deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Deploy (and activate, and construct) a contract.
    Deploy(ContractKind),
    /// Wire deployed contracts together.
    Wire(Wire),
}

impl Step {
    /// Human-readable description for progress output.
    pub fn describe(&self) -> String {
        match self {
            Self::Deploy(kind) => {
                let tag = if kind.test_only() { " (test only)" } else { "" };
                format!("deploy {} [{}]{tag}", kind.name(), kind.package())
            }
            Self::Wire(w) => w.describe(),
        }
    }

    /// Id recorded in the manifest once done. Configuration steps include the addresses they
    /// involve, so redeploying a contract makes its wiring steps run again.
    pub fn id(&self, params: &Params, manifest: &Manifest) -> String {
        match self {
            Self::Deploy(kind) => format!("deploy:{}", kind.name()),
            Self::Wire(w) => w.id(params, manifest),
        }
    }
}

/// The whole plan for `params`, in dependency order. Home (or a single-chain deployment): the
/// LRT, vault and queue; the restaking core; their wiring; the test-only contracts on local
/// chains; then, cross-chain, the endpoint, the stake-state publisher and the LRT lockbox.
/// Remote: the endpoint, an LRT copy, the stake-state mirror and the bridge. Peering steps
/// join once the other side's addresses are known.
pub fn plan(params: &Params) -> Vec<Step> {
    use ContractKind as K;
    let x = params.cross_chain.as_ref();
    let endpoint = [K::EndpointConfig, K::EndpointReceive, K::Endpoint];
    let mut steps: Vec<Step> = Vec::new();
    let deploy = |steps: &mut Vec<Step>, kinds: &[K]| {
        steps.extend(kinds.iter().copied().map(Step::Deploy));
    };
    let wire = |steps: &mut Vec<Step>, wires: &[Wire]| {
        steps.extend(wires.iter().copied().map(Step::Wire));
    };
    // The endpoint's fees for the other chain.
    let fees = |steps: &mut Vec<Step>, x: &CrossChain| {
        wire(steps, &[Wire::DstConfig]);
        if !x.verifier_fee.is_zero() {
            let n = u8::try_from(x.verifiers.len()).unwrap_or(u8::MAX);
            wire(steps, &(0..n).map(Wire::VerifierFee).collect::<Vec<_>>());
        }
    };
    let peer = |steps: &mut Vec<Step>, x: &CrossChain, apps: &[K]| {
        for &app in apps {
            if wiring_counterpart_known(x, app) {
                wire(steps, &[Wire::Peer(app)]);
            }
        }
    };
    if let Some(
        x @ CrossChain {
            role: Role::Remote, ..
        },
    ) = x
    {
        deploy(&mut steps, &endpoint);
        deploy(
            &mut steps,
            &[K::LrtToken, K::StakeSyncRemote, K::LrtBridgeRemote],
        );
        fees(&mut steps, x);
        wire(
            &mut steps,
            &[
                Wire::GrantMinterToBridge,
                Wire::ReceiveConfig(K::StakeSyncRemote),
                Wire::ReceiveConfig(K::LrtBridgeRemote),
                Wire::RateLimit(K::LrtBridgeRemote, false),
                Wire::RateLimit(K::LrtBridgeRemote, true),
            ],
        );
        peer(&mut steps, x, &[K::StakeSyncRemote, K::LrtBridgeRemote]);
        return steps;
    }
    deploy(
        &mut steps,
        &[
            K::LrtToken,
            K::Vault,
            K::RedeemQueue,
            K::OperatorRegistry,
            K::DelegationManager,
            K::AllocationManager,
            K::SlashingManager,
            K::RewardsCoordinator,
        ],
    );
    wire(
        &mut steps,
        &[
            Wire::GrantMinterToVault,
            Wire::GrantQueueRole,
            Wire::RegistryAllocationManager,
            Wire::DelegationPeers,
            Wire::AllocationSlashingManager,
            Wire::GrantStakeManagerToSlashing,
            Wire::GrantStakeManagerToRewards,
            Wire::RegisterVault,
        ],
    );
    if params.with_test_contracts {
        deploy(&mut steps, &[K::TestLst, K::TestRateProvider]);
        wire(&mut steps, &[Wire::ListTestLst]);
    }
    if let Some(x) = x {
        deploy(&mut steps, &endpoint);
        deploy(&mut steps, &[K::StakeSyncHome, K::LrtLockbox]);
        fees(&mut steps, x);
        wire(
            &mut steps,
            &[
                Wire::ReceiveConfig(K::LrtLockbox),
                Wire::RateLimit(K::LrtLockbox, false),
                Wire::RateLimit(K::LrtLockbox, true),
                Wire::Publishing,
            ],
        );
        peer(&mut steps, x, &[K::StakeSyncHome, K::LrtLockbox]);
    }
    steps
}

/// Whether the other chain's counterpart of `app` is known.
fn wiring_counterpart_known(x: &CrossChain, app: ContractKind) -> bool {
    crate::wiring::counterpart(app).is_some_and(|name| x.peers.contains_key(name))
}

/// The contract crates a plan needs built.
pub fn packages(steps: &[Step]) -> Vec<&'static str> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Deploy(kind) => Some(kind.package()),
            Step::Wire(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::{DelegationManager, LrtToken};
    use crate::manifest::ContractRecord;
    use alloy::sol_types::SolCall;

    fn record(package: &str, byte: u8) -> ContractRecord {
        ContractRecord {
            package: package.into(),
            address: Address::repeat_byte(byte),
            tx_hash: B256::ZERO,
            code_hash: B256::ZERO,
            args_hash: B256::ZERO,
            abi: String::new(),
            test_only: false,
            gas_used: 0,
            data_fee: "0".into(),
        }
    }

    /// A manifest with every contract deployed, kind i at `repeat_byte(0x10 + i)`.
    fn full_manifest() -> Manifest {
        let mut m = Manifest::default();
        for (i, k) in ContractKind::ALL.iter().enumerate() {
            m.contracts
                .insert(k.name().into(), record(k.package(), 0x10 + i as u8));
        }
        m
    }

    #[test]
    fn public_networks_get_no_test_contracts() {
        let public = plan(&Params::defaults(Address::repeat_byte(1), false));
        assert!(public
            .iter()
            .all(|s| !matches!(s, Step::Deploy(k) if k.test_only())));
        assert!(!public.contains(&Step::Wire(Wire::ListTestLst)));
        let local = plan(&Params::defaults(Address::repeat_byte(1), true));
        assert_eq!(
            packages(&local),
            [
                "lrt-token",
                "restake-vault",
                "restake-redeem-queue",
                "operator-registry",
                "delegation-manager",
                "allocation-manager",
                "slashing-manager",
                "rewards-coordinator",
                "test-lst",
                "test-rate-provider"
            ]
        );
    }

    fn cross(role: Role, peers: bool) -> Params {
        let mut p = Params::defaults(Address::repeat_byte(1), true);
        let (local, remote) = match role {
            Role::Home => (30_001, 30_002),
            Role::Remote => (30_002, 30_001),
        };
        let mut x = CrossChain::with_defaults(
            role,
            local,
            remote,
            vec![Address::repeat_byte(0xa1), Address::repeat_byte(0xa2)],
            Address::repeat_byte(0xe0),
        );
        if peers {
            for (i, k) in ContractKind::ALL.iter().enumerate() {
                x.peers
                    .insert(k.name().into(), Address::repeat_byte(0x80 + i as u8));
            }
        }
        p.cross_chain = Some(x);
        p
    }

    #[test]
    fn every_step_comes_after_what_it_needs() {
        for params in [
            Params::defaults(Address::repeat_byte(1), true),
            Params::defaults(Address::repeat_byte(1), false),
            cross(Role::Home, false),
            cross(Role::Home, true),
            cross(Role::Remote, true),
        ] {
            let steps = plan(&params);
            let mut manifest = Manifest::default();
            let mut ids = std::collections::HashSet::new();
            for step in &steps {
                match step {
                    Step::Deploy(kind) => {
                        kind.constructor_args(&params, &manifest)
                            .unwrap_or_else(|e| panic!("{}: {e:#}", step.describe()));
                        manifest
                            .contracts
                            .insert(kind.name().into(), record(kind.package(), 7));
                    }
                    Step::Wire(w) => {
                        w.call(&params, &manifest)
                            .unwrap_or_else(|e| panic!("{}: {e:#}", step.describe()));
                        assert_eq!(
                            w.check(&params, &manifest).is_some(),
                            w.verifiable(),
                            "{}",
                            step.describe()
                        );
                    }
                }
                assert!(
                    ids.insert(step.id(&params, &manifest)),
                    "two steps share an id: {}",
                    step.describe()
                );
            }
        }
    }

    #[test]
    fn each_side_deploys_its_own_contracts_and_peers_once_the_other_is_known() {
        let count = |steps: &[Step], f: fn(&Step) -> bool| steps.iter().filter(|s| f(s)).count();
        let home = plan(&cross(Role::Home, false));
        assert!(home.contains(&Step::Deploy(ContractKind::StakeSyncHome)));
        assert!(home.contains(&Step::Deploy(ContractKind::LrtLockbox)));
        assert!(!home.contains(&Step::Deploy(ContractKind::LrtBridgeRemote)));
        assert_eq!(count(&home, |s| matches!(s, Step::Wire(Wire::Peer(_)))), 0);
        let home = plan(&cross(Role::Home, true));
        assert_eq!(count(&home, |s| matches!(s, Step::Wire(Wire::Peer(_)))), 2);
        assert_eq!(
            count(&home, |s| matches!(s, Step::Wire(Wire::VerifierFee(_)))),
            2,
            "one fee per verifier"
        );
        let remote = plan(&cross(Role::Remote, true));
        assert_eq!(
            packages(&remote),
            [
                "restake-endpoint-config",
                "restake-endpoint-receive",
                "restake-endpoint",
                "lrt-token",
                "restake-stake-sync-remote",
                "restake-lrt-bridge-remote"
            ],
            "no vault, core or test contracts on a remote chain"
        );
        assert!(remote.contains(&Step::Wire(Wire::GrantMinterToBridge)));
        assert_eq!(
            count(&remote, |s| matches!(s, Step::Wire(Wire::Peer(_)))),
            2
        );

        // The remote bridge names the home eid; peers name the other chain's app.
        let params = cross(Role::Remote, true);
        let mut m = full_manifest();
        m.contracts.remove("vault");
        let args = ContractKind::LrtBridgeRemote
            .constructor_args(&params, &m)
            .unwrap();
        let (.., home_eid) =
            <(Address, Address, Address, Address, Address, u32)>::abi_decode_params(&args).unwrap();
        assert_eq!(home_eid, 30_001);
        let (to, input) = Wire::Peer(ContractKind::LrtBridgeRemote)
            .call(&params, &m)
            .unwrap();
        assert_eq!(to, m.address("lrtBridgeRemote").unwrap());
        let call = crate::bindings::LrtBridgeRemote::setPeerCall::abi_decode(&input).unwrap();
        assert_eq!(
            (call.eid, call.peer),
            (
                30_001,
                params.cross_chain.as_ref().unwrap().peers["lrtLockbox"]
            )
        );
    }

    #[test]
    fn receive_config_check_reads_the_packed_policy() {
        let params = cross(Role::Remote, true);
        let m = full_manifest();
        let check = Wire::ReceiveConfig(ContractKind::StakeSyncRemote)
            .check(&params, &m)
            .unwrap();
        let policy = |verifiers: &[Address]| {
            let mut p = vec![0u8, verifiers.len() as u8, 0];
            p.extend_from_slice(Address::repeat_byte(1).as_slice());
            for v in verifiers {
                p.extend_from_slice(v.as_slice());
            }
            Bytes::from(p).abi_encode()
        };
        let (a1, a2) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xa2));
        assert!((check.done)(&policy(&[a1, a2])));
        assert!(!(check.done)(&policy(&[a1])));
        assert!(!(check.done)(&policy(&[a2, a1])));
        assert!(!(check.done)(&policy(&[])));
    }

    #[test]
    fn constructors_name_the_contracts_they_need() {
        let params = Params::defaults(Address::repeat_byte(1), true);
        let mut manifest = Manifest::default();
        assert!(ContractKind::Vault
            .constructor_args(&params, &manifest)
            .is_err());
        manifest
            .contracts
            .insert("lrtToken".into(), record("lrt-token", 9));
        let args = ContractKind::Vault
            .constructor_args(&params, &manifest)
            .unwrap();
        let (lrt, admin) = <(Address, Address)>::abi_decode_params(&args).unwrap();
        assert_eq!(
            (lrt, admin),
            (Address::repeat_byte(9), Address::repeat_byte(1))
        );

        let m = full_manifest();
        let at = |k: ContractKind| m.address(k.name()).unwrap();
        let args = ContractKind::SlashingManager
            .constructor_args(&params, &m)
            .unwrap();
        assert_eq!(
            <(Address, Address, Address, Address)>::abi_decode_params(&args).unwrap(),
            (
                params.admin,
                at(ContractKind::OperatorRegistry),
                at(ContractKind::AllocationManager),
                at(ContractKind::DelegationManager)
            )
        );
        let args = ContractKind::AllocationManager
            .constructor_args(&params, &m)
            .unwrap();
        let (_, _, _, delay) =
            <(Address, Address, Address, u64)>::abi_decode_params(&args).unwrap();
        assert_eq!(delay, params.deallocation_delay);
    }

    #[test]
    fn wiring_calls_target_the_first_contract_and_checks_read_the_answer() {
        let params = Params::defaults(Address::repeat_byte(1), true);
        let m = full_manifest();
        let at = |k: ContractKind| m.address(k.name()).unwrap();

        let (to, input) = Wire::DelegationPeers.call(&params, &m).unwrap();
        assert_eq!(to, at(ContractKind::DelegationManager));
        let call = DelegationManager::setPeersCall::abi_decode(&input).unwrap();
        assert_eq!(
            (call.allocation_manager, call.slashing_manager),
            (
                at(ContractKind::AllocationManager),
                at(ContractKind::SlashingManager)
            )
        );
        let check = Wire::DelegationPeers.check(&params, &m).unwrap();
        let answer = |a: Address, b: Address, c: Address| (a, b, c).abi_encode_params();
        let reg = at(ContractKind::OperatorRegistry);
        assert!((check.done)(&answer(
            reg,
            at(ContractKind::AllocationManager),
            at(ContractKind::SlashingManager)
        )));
        assert!(!(check.done)(&answer(reg, Address::ZERO, Address::ZERO)));
        assert!(!(check.done)(&[]));

        let (to, input) = Wire::GrantStakeManagerToRewards.call(&params, &m).unwrap();
        assert_eq!(to, at(ContractKind::Vault));
        let call = LrtToken::grantRoleCall::abi_decode(&input).unwrap();
        assert_eq!(
            (call.role, call.account),
            (stake_manager_role(), at(ContractKind::RewardsCoordinator))
        );
        let check = Wire::GrantStakeManagerToRewards.check(&params, &m).unwrap();
        assert!((check.done)(&true.abi_encode()));
        assert!(!(check.done)(&false.abi_encode()));

        assert!(Wire::RegisterVault
            .check(&params, &Manifest::default())
            .is_none());
    }

    #[test]
    fn wiring_ids_follow_addresses() {
        let manifest = full_manifest();
        let p = Params::defaults(Address::repeat_byte(1), true);
        let a = Step::Wire(Wire::GrantMinterToVault).id(&p, &manifest);
        let mut other = manifest.clone();
        other
            .contracts
            .insert("vault".into(), record("restake-vault", 5));
        assert_ne!(a, Step::Wire(Wire::GrantMinterToVault).id(&p, &other));
        assert_eq!(
            Step::Wire(Wire::DelegationPeers).id(&p, &other),
            Step::Wire(Wire::DelegationPeers).id(&p, &manifest)
        );
    }
}
