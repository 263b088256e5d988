//! The configuration calls between deployed contracts (roles, peers, registrations, fees,
//! rate limits), each with the view call and expected answer that prove it done on chain.
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::sol_types::SolCall;
use anyhow::{Context, Result};

use crate::bindings::{
    AllocationManager, DelegationManager, Endpoint, EndpointConfig, LrtLockbox, LrtToken,
    OperatorRegistry, RestakeVault, StakeSyncHome,
};
use crate::manifest::Manifest;
use crate::plan::{minter_role, redeem_queue_role, stake_manager_role, ContractKind, Params};

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
    /// (Remote chain) the LRT token grants the minter role to the bridge.
    GrantMinterToBridge,
    /// The endpoint serves the other chain: its executor and executor fee.
    DstConfig,
    /// The endpoint charges the fee of verifier `i` for the other chain.
    VerifierFee(u8),
    /// The receiving app's verifier quorum for messages from the other chain, set by its
    /// delegate (the admin) in the endpoint configuration.
    ReceiveConfig(ContractKind),
    /// The app trusts its counterpart on the other chain.
    Peer(ContractKind),
    /// The bridge's token bucket for the other chain (outbound or inbound).
    RateLimit(ContractKind, bool),
    /// The home stake-state publisher's minimum interval and slashing manager.
    Publishing,
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

/// The counterpart of a cross-chain app on the other chain, by manifest name.
pub fn counterpart(kind: ContractKind) -> Option<&'static str> {
    use ContractKind as K;
    match kind {
        K::StakeSyncHome => Some(K::StakeSyncRemote.name()),
        K::StakeSyncRemote => Some(K::StakeSyncHome.name()),
        K::LrtLockbox => Some(K::LrtBridgeRemote.name()),
        K::LrtBridgeRemote => Some(K::LrtLockbox.name()),
        _ => None,
    }
}

impl Wire {
    /// The contracts on this chain the call involves: the target first.
    pub fn involves(self) -> Vec<ContractKind> {
        use ContractKind as K;
        match self {
            Self::GrantMinterToVault => vec![K::LrtToken, K::Vault],
            Self::GrantQueueRole => vec![K::Vault, K::RedeemQueue],
            Self::RegistryAllocationManager => vec![K::OperatorRegistry, K::AllocationManager],
            Self::DelegationPeers => vec![
                K::DelegationManager,
                K::AllocationManager,
                K::SlashingManager,
            ],
            Self::AllocationSlashingManager => vec![K::AllocationManager, K::SlashingManager],
            Self::GrantStakeManagerToSlashing => vec![K::Vault, K::SlashingManager],
            Self::GrantStakeManagerToRewards => vec![K::Vault, K::RewardsCoordinator],
            Self::RegisterVault => vec![K::DelegationManager, K::Vault],
            Self::ListTestLst => vec![K::Vault, K::TestLst, K::TestRateProvider],
            Self::GrantMinterToBridge => vec![K::LrtToken, K::LrtBridgeRemote],
            Self::DstConfig | Self::VerifierFee(_) => vec![K::Endpoint],
            Self::ReceiveConfig(app) => vec![K::EndpointConfig, app],
            Self::Peer(app) | Self::RateLimit(app, _) => vec![app],
            Self::Publishing => vec![K::StakeSyncHome, K::SlashingManager],
        }
    }

    /// Short name used in step ids (the addresses involved follow it).
    pub fn key(self) -> String {
        match self {
            Self::GrantMinterToVault => "grantMinter".into(),
            Self::GrantQueueRole => "grantQueue".into(),
            Self::RegistryAllocationManager => "registryAllocationManager".into(),
            Self::DelegationPeers => "delegationPeers".into(),
            Self::AllocationSlashingManager => "allocationSlashingManager".into(),
            Self::GrantStakeManagerToSlashing => "grantStakeManager:slashing".into(),
            Self::GrantStakeManagerToRewards => "grantStakeManager:rewards".into(),
            Self::RegisterVault => "registerVault".into(),
            Self::ListTestLst => "listToken".into(),
            Self::GrantMinterToBridge => "grantMinter:bridge".into(),
            Self::DstConfig => "dstConfig".into(),
            Self::VerifierFee(i) => format!("verifierFee:{i}"),
            Self::ReceiveConfig(app) => format!("receiveConfig:{}", app.name()),
            Self::Peer(app) => format!("peer:{}", app.name()),
            Self::RateLimit(app, inbound) => format!(
                "rateLimit:{}:{}",
                app.name(),
                if inbound { "in" } else { "out" }
            ),
            Self::Publishing => "publishing".into(),
        }
    }

    /// Human-readable description for progress output.
    pub fn describe(self) -> String {
        match self {
            Self::GrantMinterToVault => "lrtToken.grantRole(MINTER_ROLE, vault)".into(),
            Self::GrantQueueRole => "vault.grantRole(REDEEM_QUEUE_ROLE, redeemQueue)".into(),
            Self::RegistryAllocationManager => {
                "operatorRegistry.setAllocationManager(allocationManager)".into()
            }
            Self::DelegationPeers => {
                "delegationManager.setPeers(allocationManager, slashingManager)".into()
            }
            Self::AllocationSlashingManager => {
                "allocationManager.setSlashingManager(slashingManager)".into()
            }
            Self::GrantStakeManagerToSlashing => {
                "vault.grantRole(STAKE_MANAGER_ROLE, slashingManager)".into()
            }
            Self::GrantStakeManagerToRewards => {
                "vault.grantRole(STAKE_MANAGER_ROLE, rewardsCoordinator)".into()
            }
            Self::RegisterVault => "delegationManager.registerVault(vault, manager)".into(),
            Self::ListTestLst => "vault.listToken(testLst, testRateProvider, cap)".into(),
            Self::GrantMinterToBridge => "lrtToken.grantRole(MINTER_ROLE, lrtBridgeRemote)".into(),
            Self::DstConfig => "endpoint.setDstConfig(remoteEid, executor, executorFee)".into(),
            Self::VerifierFee(i) => {
                format!("endpoint.setVerifierFee(remoteEid, verifier #{i}, fee)")
            }
            Self::ReceiveConfig(app) => format!(
                "endpointConfig.setReceiveConfigFor({}, remoteEid, verifiers)",
                app.name()
            ),
            Self::Peer(app) => format!(
                "{}.setPeer(remoteEid, {})",
                app.name(),
                counterpart(app).unwrap_or("?")
            ),
            Self::RateLimit(app, inbound) => format!(
                "{}.setRateLimit(remoteEid, {}, capacity, refill)",
                app.name(),
                if inbound { "inbound" } else { "outbound" }
            ),
            Self::Publishing => "stakeSyncHome.setPublishing(interval, slashingManager)".into(),
        }
    }

    /// The other chain's contract this call names, if any.
    fn remote_address(self, params: &Params) -> Result<Option<Address>> {
        let Self::Peer(app) = self else {
            return Ok(None);
        };
        let name = counterpart(app).context("not a cross-chain app")?;
        let x = params
            .cross_chain
            .as_ref()
            .context("not a cross-chain deployment")?;
        x.peers
            .get(name)
            .copied()
            .map(Some)
            .with_context(|| format!("the other chain's {name} is not known"))
    }

    /// The step id: the key, then the addresses involved (this chain's, then the other's),
    /// so redeploying a contract makes its wiring run again.
    pub fn id(self, params: &Params, manifest: &Manifest) -> String {
        let mut id = self.key();
        for k in self.involves() {
            id.push(':');
            if let Some(a) = manifest.address(k.name()) {
                id.push_str(&a.to_string());
            }
        }
        if let Ok(Some(remote)) = self.remote_address(params) {
            id.push_str(&format!(":{remote}"));
        }
        id
    }

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
    /// When a contract involved is not deployed yet, or a cross-chain setting is missing.
    pub fn call(self, params: &Params, manifest: &Manifest) -> Result<(Address, Vec<u8>)> {
        let a = self.addresses(manifest)?;
        let grant = |account, role| LrtToken::grantRoleCall { role, account }.abi_encode();
        let x = || {
            params
                .cross_chain
                .as_ref()
                .context("not a cross-chain deployment")
        };
        let input = match self {
            Self::GrantMinterToVault | Self::GrantMinterToBridge => grant(a[1], minter_role()),
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
            Self::DstConfig => Endpoint::setDstConfigCall {
                dst_eid: x()?.remote_eid,
                executor: x()?.executor,
                executor_fee: x()?.executor_fee,
            }
            .abi_encode(),
            Self::VerifierFee(i) => Endpoint::setVerifierFeeCall {
                dst_eid: x()?.remote_eid,
                verifier: *x()?
                    .verifiers
                    .get(usize::from(i))
                    .context("no such verifier")?,
                fee: x()?.verifier_fee,
            }
            .abi_encode(),
            Self::ReceiveConfig(_) => EndpointConfig::setReceiveConfigForCall {
                receiver: a[1],
                src_eid: x()?.remote_eid,
                required: x()?.verifiers.clone(),
                optional: Vec::new(),
                threshold: 0,
                ordered: false,
            }
            .abi_encode(),
            Self::Peer(_) => StakeSyncHome::setPeerCall {
                eid: x()?.remote_eid,
                peer: self
                    .remote_address(params)?
                    .context("the other chain's app is not known")?,
            }
            .abi_encode(),
            Self::RateLimit(_, inbound) => LrtLockbox::setRateLimitCall {
                eid: x()?.remote_eid,
                inbound,
                capacity: x()?.rate_capacity,
                refill_per_second: x()?.rate_refill_per_second,
            }
            .abi_encode(),
            Self::Publishing => StakeSyncHome::setPublishingCall {
                min_interval: x()?.publish_interval,
                slashing_manager: a[1],
            }
            .abi_encode(),
        };
        Ok((a[0], input))
    }

    /// Whether the chain can prove this wiring done (a view shows it). Write-only settings
    /// (the publisher's interval) are trusted to the manifest instead.
    pub fn verifiable(self) -> bool {
        !matches!(self, Self::Publishing)
    }

    /// The view call proving the wiring in place, or `None` while a contract involved is not
    /// deployed or a setting is missing (then it cannot be done).
    pub fn check(self, params: &Params, manifest: &Manifest) -> Option<Check> {
        let a = self.addresses(manifest).ok()?;
        let check = |to, input, done: Verdict| Some(Check { to, input, done });
        let has_role = |role| {
            check(
                a[0],
                LrtToken::hasRoleCall {
                    role,
                    account: a[1],
                }
                .abi_encode(),
                Box::new(|ret| LrtToken::hasRoleCall::abi_decode_returns(ret).unwrap_or(false)),
            )
        };
        let x = params.cross_chain.as_ref();
        match self {
            Self::GrantMinterToVault | Self::GrantMinterToBridge => has_role(minter_role()),
            Self::GrantQueueRole => has_role(redeem_queue_role()),
            Self::GrantStakeManagerToSlashing | Self::GrantStakeManagerToRewards => {
                has_role(stake_manager_role())
            }
            Self::RegistryAllocationManager => {
                let want = a[1];
                check(
                    a[0],
                    OperatorRegistry::allocationManagerCall {}.abi_encode(),
                    Box::new(move |ret| {
                        OperatorRegistry::allocationManagerCall::abi_decode_returns(ret)
                            .is_ok_and(|got| got == want)
                    }),
                )
            }
            Self::DelegationPeers => {
                let (am, sm) = (a[1], a[2]);
                check(
                    a[0],
                    DelegationManager::peersCall {}.abi_encode(),
                    Box::new(move |ret| {
                        DelegationManager::peersCall::abi_decode_returns(ret)
                            .is_ok_and(|p| p._1 == am && p._2 == sm)
                    }),
                )
            }
            Self::AllocationSlashingManager => {
                let sm = a[1];
                check(
                    a[0],
                    AllocationManager::peersCall {}.abi_encode(),
                    Box::new(move |ret| {
                        AllocationManager::peersCall::abi_decode_returns(ret)
                            .is_ok_and(|p| p._2 == sm)
                    }),
                )
            }
            // The LRT vault is the first vault the delegation manager registers.
            Self::RegisterVault => {
                let (vault, manager) = (a[1], params.vault_manager);
                check(
                    a[0],
                    DelegationManager::vaultAtCall { index: 0 }.abi_encode(),
                    Box::new(move |ret| {
                        DelegationManager::vaultAtCall::abi_decode_returns(ret)
                            .is_ok_and(|v| v._0 == vault && v._1 == manager)
                    }),
                )
            }
            Self::ListTestLst => {
                let provider = a[2];
                check(
                    a[0],
                    RestakeVault::tokenInfoCall { token: a[1] }.abi_encode(),
                    // (listed, rate provider, cap, balance)
                    Box::new(move |ret| {
                        RestakeVault::tokenInfoCall::abi_decode_returns(ret)
                            .is_ok_and(|i| i._0 && i._1 == provider)
                    }),
                )
            }
            // The quote is the executor fee plus every configured verifier's fee, and reverts
            // for a destination not configured; verifier fees are set in order.
            Self::DstConfig | Self::VerifierFee(_) => {
                let x = x?;
                let paid_verifiers = match self {
                    Self::VerifierFee(i) => u64::from(i) + 1,
                    _ => 0,
                };
                let want = x
                    .executor_fee
                    .checked_add(x.verifier_fee.checked_mul(U256::from(paid_verifiers))?)?;
                check(
                    a[0],
                    Endpoint::quoteCall {
                        dst_eid: x.remote_eid,
                        receiver: Address::with_last_byte(1),
                        message: Bytes::new(),
                    }
                    .abi_encode(),
                    Box::new(move |ret| {
                        Endpoint::quoteCall::abi_decode_returns(ret).is_ok_and(|fee| fee >= want)
                    }),
                )
            }
            // The packed policy: flags, required count, threshold, delegate (20 bytes), then
            // the verifiers (20 bytes each, required first).
            Self::ReceiveConfig(_) => {
                let verifiers = x?.verifiers.clone();
                check(
                    a[0],
                    EndpointConfig::policyCall {
                        receiver: a[1],
                        src_eid: x?.remote_eid,
                        sender: B256::ZERO,
                    }
                    .abi_encode(),
                    Box::new(move |ret| {
                        EndpointConfig::policyCall::abi_decode_returns(ret).is_ok_and(|p| {
                            p.len() == 23 + 20 * verifiers.len()
                                && usize::from(p[1]) == verifiers.len()
                                && p[23..]
                                    .chunks(20)
                                    .zip(&verifiers)
                                    .all(|(got, want)| got == want.as_slice())
                        })
                    }),
                )
            }
            Self::Peer(_) => {
                let want = self.remote_address(params).ok()??.into_word();
                check(
                    a[0],
                    StakeSyncHome::peerCall { eid: x?.remote_eid }.abi_encode(),
                    Box::new(move |ret| {
                        StakeSyncHome::peerCall::abi_decode_returns(ret).is_ok_and(|p| p == want)
                    }),
                )
            }
            Self::RateLimit(_, inbound) => {
                let (capacity, refill) = (x?.rate_capacity, x?.rate_refill_per_second);
                check(
                    a[0],
                    LrtLockbox::rateLimitCall {
                        eid: x?.remote_eid,
                        inbound,
                    }
                    .abi_encode(),
                    // (capacity, refill per second, available)
                    Box::new(move |ret| {
                        LrtLockbox::rateLimitCall::abi_decode_returns(ret)
                            .is_ok_and(|l| l._0 == capacity && l._1 == refill)
                    }),
                )
            }
            Self::Publishing => None,
        }
    }
}
