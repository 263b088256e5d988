//! The steps of a deployment, in order. Each step knows how to tell whether it is already done
//! on chain, so re-running a deployment changes nothing and a killed one resumes.
//!
//! Contracts are deployed through the StylusDeployer with their constructor arguments; the
//! wiring between them (roles, peers, registrations) is a list of [`Wire`] calls, each with the
//! view call and expected answer that prove it done.
use alloy::primitives::{keccak256, utils::parse_ether, Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolValue};
use anyhow::{Context, Result};

use crate::bindings::{
    AllocationManager, DelegationManager, LrtToken, OperatorRegistry, RestakeVault,
};
use crate::manifest::Manifest;

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
}

impl ContractKind {
    /// Every kind, in deployment order.
    pub const ALL: [Self; 10] = [
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
        }
        .into())
    }
}

/// A configuration call between deployed contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// The LRT token grants the minter role to the vault.
    GrantMinterToVault,
    /// The vault grants the redeem-queue role to the queue.
    GrantQueueRole,
    /// The registry learns the allocation manager (which checks memberships through it).
    RegistryAllocationManager,
    /// The delegation manager learns the allocation and slashing managers.
    DelegationPeers,
    /// The allocation manager learns the slashing manager.
    AllocationSlashingManager,
    /// The vault lets the slashing manager take slashed assets out.
    GrantStakeManagerToSlashing,
    /// The vault lets the rewards coordinator stream rewards in.
    GrantStakeManagerToRewards,
    /// The delegation manager registers the vault with its operator manager.
    RegisterVault,
    /// The vault lists the test LST with its rate provider and cap.
    ListTestLst,
}

/// Reads a view call's answer: whether it shows the wiring in place.
pub type Verdict = Box<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// A view call and how to read its answer: the proof that a [`Wire`] is done.
pub struct Check {
    /// The contract asked.
    pub to: Address,
    /// The view call.
    pub input: Vec<u8>,
    /// Whether the answer shows the wiring in place.
    pub done: Verdict,
}

impl Wire {
    /// The contracts the call involves: the target first.
    pub fn involves(self) -> &'static [ContractKind] {
        use ContractKind as K;
        match self {
            Self::GrantMinterToVault => &[K::LrtToken, K::Vault],
            Self::GrantQueueRole => &[K::Vault, K::RedeemQueue],
            Self::RegistryAllocationManager => &[K::OperatorRegistry, K::AllocationManager],
            Self::DelegationPeers => &[
                K::DelegationManager,
                K::AllocationManager,
                K::SlashingManager,
            ],
            Self::AllocationSlashingManager => &[K::AllocationManager, K::SlashingManager],
            Self::GrantStakeManagerToSlashing => &[K::Vault, K::SlashingManager],
            Self::GrantStakeManagerToRewards => &[K::Vault, K::RewardsCoordinator],
            Self::RegisterVault => &[K::DelegationManager, K::Vault],
            Self::ListTestLst => &[K::Vault, K::TestLst, K::TestRateProvider],
        }
    }

    /// Short name used in step ids.
    fn key(self) -> &'static str {
        match self {
            Self::GrantMinterToVault => "grantMinter",
            Self::GrantQueueRole => "grantQueue",
            Self::RegistryAllocationManager => "registryAllocationManager",
            Self::DelegationPeers => "delegationPeers",
            Self::AllocationSlashingManager => "allocationSlashingManager",
            Self::GrantStakeManagerToSlashing => "grantStakeManager:slashing",
            Self::GrantStakeManagerToRewards => "grantStakeManager:rewards",
            Self::RegisterVault => "registerVault",
            Self::ListTestLst => "listToken",
        }
    }

    /// Human-readable description for progress output.
    pub fn describe(self) -> &'static str {
        match self {
            Self::GrantMinterToVault => "lrtToken.grantRole(MINTER_ROLE, vault)",
            Self::GrantQueueRole => "vault.grantRole(REDEEM_QUEUE_ROLE, redeemQueue)",
            Self::RegistryAllocationManager => {
                "operatorRegistry.setAllocationManager(allocationManager)"
            }
            Self::DelegationPeers => {
                "delegationManager.setPeers(allocationManager, slashingManager)"
            }
            Self::AllocationSlashingManager => {
                "allocationManager.setSlashingManager(slashingManager)"
            }
            Self::GrantStakeManagerToSlashing => {
                "vault.grantRole(STAKE_MANAGER_ROLE, slashingManager)"
            }
            Self::GrantStakeManagerToRewards => {
                "vault.grantRole(STAKE_MANAGER_ROLE, rewardsCoordinator)"
            }
            Self::RegisterVault => "delegationManager.registerVault(vault, manager)",
            Self::ListTestLst => "vault.listToken(testLst, testRateProvider, cap)",
        }
    }

    /// The addresses of the involved contracts, target first.
    fn addresses(self, manifest: &Manifest) -> Result<Vec<Address>> {
        self.involves()
            .iter()
            .map(|k| {
                manifest
                    .address(k.name())
                    .with_context(|| format!("{} is not deployed", k.name()))
            })
            .collect()
    }

    /// The call that does the wiring: (target, calldata).
    ///
    /// # Errors
    /// When a contract involved is not deployed yet.
    pub fn call(self, params: &Params, manifest: &Manifest) -> Result<(Address, Vec<u8>)> {
        let a = self.addresses(manifest)?;
        let grant = |account, role| LrtToken::grantRoleCall { role, account }.abi_encode();
        let input = match self {
            Self::GrantMinterToVault => grant(a[1], minter_role()),
            Self::GrantQueueRole => grant(a[1], redeem_queue_role()),
            Self::GrantStakeManagerToSlashing | Self::GrantStakeManagerToRewards => {
                grant(a[1], stake_manager_role())
            }
            Self::RegistryAllocationManager => {
                OperatorRegistry::setAllocationManagerCall { manager: a[1] }.abi_encode()
            }
            Self::DelegationPeers => DelegationManager::setPeersCall {
                allocation_manager: a[1],
                slashing_manager: a[2],
            }
            .abi_encode(),
            Self::AllocationSlashingManager => {
                AllocationManager::setSlashingManagerCall { manager: a[1] }.abi_encode()
            }
            Self::RegisterVault => DelegationManager::registerVaultCall {
                vault: a[1],
                manager: params.vault_manager,
            }
            .abi_encode(),
            Self::ListTestLst => RestakeVault::listTokenCall {
                token: a[1],
                rate_provider: a[2],
                cap: params.test_lst_cap,
            }
            .abi_encode(),
        };
        Ok((a[0], input))
    }

    /// The view call proving the wiring in place, or `None` while a contract involved is not
    /// deployed (then it cannot be done).
    pub fn check(self, params: &Params, manifest: &Manifest) -> Option<Check> {
        let a = self.addresses(manifest).ok()?;
        let has_role = |role| Check {
            to: a[0],
            input: LrtToken::hasRoleCall {
                role,
                account: a[1],
            }
            .abi_encode(),
            done: Box::new(|ret| LrtToken::hasRoleCall::abi_decode_returns(ret).unwrap_or(false)),
        };
        Some(match self {
            Self::GrantMinterToVault => has_role(minter_role()),
            Self::GrantQueueRole => has_role(redeem_queue_role()),
            Self::GrantStakeManagerToSlashing | Self::GrantStakeManagerToRewards => {
                has_role(stake_manager_role())
            }
            Self::RegistryAllocationManager => {
                let want = a[1];
                Check {
                    to: a[0],
                    input: OperatorRegistry::allocationManagerCall {}.abi_encode(),
                    done: Box::new(move |ret| {
                        OperatorRegistry::allocationManagerCall::abi_decode_returns(ret)
                            .is_ok_and(|got| got == want)
                    }),
                }
            }
            Self::DelegationPeers => {
                let (am, sm) = (a[1], a[2]);
                Check {
                    to: a[0],
                    input: DelegationManager::peersCall {}.abi_encode(),
                    done: Box::new(move |ret| {
                        DelegationManager::peersCall::abi_decode_returns(ret)
                            .is_ok_and(|p| p._1 == am && p._2 == sm)
                    }),
                }
            }
            Self::AllocationSlashingManager => {
                let sm = a[1];
                Check {
                    to: a[0],
                    input: AllocationManager::peersCall {}.abi_encode(),
                    done: Box::new(move |ret| {
                        AllocationManager::peersCall::abi_decode_returns(ret)
                            .is_ok_and(|p| p._2 == sm)
                    }),
                }
            }
            // The LRT vault is the first vault the delegation manager registers.
            Self::RegisterVault => {
                let (vault, manager) = (a[1], params.vault_manager);
                Check {
                    to: a[0],
                    input: DelegationManager::vaultAtCall { index: 0 }.abi_encode(),
                    done: Box::new(move |ret| {
                        DelegationManager::vaultAtCall::abi_decode_returns(ret)
                            .is_ok_and(|v| v._0 == vault && v._1 == manager)
                    }),
                }
            }
            Self::ListTestLst => {
                let provider = a[2];
                Check {
                    to: a[0],
                    input: RestakeVault::tokenInfoCall { token: a[1] }.abi_encode(),
                    // (listed, rate provider, cap, balance)
                    done: Box::new(move |ret| {
                        RestakeVault::tokenInfoCall::abi_decode_returns(ret)
                            .is_ok_and(|i| i._0 && i._1 == provider)
                    }),
                }
            }
        })
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
            Self::Wire(w) => w.describe().into(),
        }
    }

    /// Id recorded in the manifest once done. Configuration steps include the addresses they
    /// involve, so redeploying a contract makes its wiring steps run again.
    pub fn id(&self, manifest: &Manifest) -> String {
        match self {
            Self::Deploy(kind) => format!("deploy:{}", kind.name()),
            Self::Wire(w) => {
                let mut id = w.key().to_owned();
                for k in w.involves() {
                    id.push(':');
                    if let Some(a) = manifest.address(k.name()) {
                        id.push_str(&a.to_string());
                    }
                }
                id
            }
        }
    }
}

/// The whole plan for `params`, in dependency order: the LRT, vault and queue; the restaking
/// core; the wiring; then the test-only contracts on local chains.
pub fn plan(params: &Params) -> Vec<Step> {
    use ContractKind as K;
    let mut steps: Vec<Step> = [
        K::LrtToken,
        K::Vault,
        K::RedeemQueue,
        K::OperatorRegistry,
        K::DelegationManager,
        K::AllocationManager,
        K::SlashingManager,
        K::RewardsCoordinator,
    ]
    .into_iter()
    .map(Step::Deploy)
    .collect();
    steps.extend(
        [
            Wire::GrantMinterToVault,
            Wire::GrantQueueRole,
            Wire::RegistryAllocationManager,
            Wire::DelegationPeers,
            Wire::AllocationSlashingManager,
            Wire::GrantStakeManagerToSlashing,
            Wire::GrantStakeManagerToRewards,
            Wire::RegisterVault,
        ]
        .map(Step::Wire),
    );
    if params.with_test_contracts {
        steps.extend([
            Step::Deploy(K::TestLst),
            Step::Deploy(K::TestRateProvider),
            Step::Wire(Wire::ListTestLst),
        ]);
    }
    steps
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
    use crate::manifest::ContractRecord;

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

    #[test]
    fn every_step_comes_after_what_it_needs() {
        let params = Params::defaults(Address::repeat_byte(1), true);
        let steps = plan(&params);
        let mut manifest = Manifest::default();
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
                    assert!(w.check(&params, &manifest).is_some());
                }
            }
        }
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
        let a = Step::Wire(Wire::GrantMinterToVault).id(&manifest);
        let mut other = manifest.clone();
        other
            .contracts
            .insert("vault".into(), record("restake-vault", 5));
        assert_ne!(a, Step::Wire(Wire::GrantMinterToVault).id(&other));
        assert_eq!(
            Step::Wire(Wire::DelegationPeers).id(&other),
            Step::Wire(Wire::DelegationPeers).id(&manifest)
        );
    }
}
