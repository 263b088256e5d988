//! The steps of a deployment, in order. Each step knows how to tell whether it is already done
//! on chain, so re-running a deployment changes nothing and a killed one resumes.
use alloy::primitives::{keccak256, utils::parse_ether, Address, Bytes, B256, U256};
use alloy::sol_types::SolValue;
use anyhow::{Context, Result};

use crate::manifest::Manifest;

/// `keccak256("MINTER_ROLE")` on the LRT token.
pub fn minter_role() -> B256 {
    keccak256(b"MINTER_ROLE")
}

/// `keccak256("REDEEM_QUEUE_ROLE")` on the vault.
pub fn redeem_queue_role() -> B256 {
    keccak256(b"REDEEM_QUEUE_ROLE")
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
    /// Vault withdrawal delay in seconds.
    pub withdrawal_delay: u64,
    /// Deploy the test-only LST and rate provider and list the LST (local chains only).
    pub with_test_contracts: bool,
    /// Deposit cap of the test LST, in token units.
    pub test_lst_cap: U256,
    /// Initial rate of the test LST, ETH per 1e18 units.
    pub test_lst_rate: U256,
}

impl Params {
    /// Defaults for `admin`: "Restaked ETH" / "rsETH", a 7-day delay on public networks and
    /// 1 hour (the vault's minimum) on local chains, the test LST at 1.05 ETH with a 1M cap.
    pub fn defaults(admin: Address, local: bool) -> Self {
        Self {
            admin,
            token_name: "Restaked ETH".into(),
            token_symbol: "rsETH".into(),
            withdrawal_delay: if local { 3_600 } else { 7 * 24 * 3_600 },
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
    /// TEST ONLY liquid staking token.
    TestLst,
    /// TEST ONLY rate provider of the test LST.
    TestRateProvider,
}

impl ContractKind {
    /// Name in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Self::LrtToken => "lrtToken",
            Self::Vault => "vault",
            Self::RedeemQueue => "redeemQueue",
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
        Ok(match self {
            Self::LrtToken => (
                params.token_name.clone(),
                params.token_symbol.clone(),
                params.admin,
            )
                .abi_encode_params()
                .into(),
            Self::Vault => (need(Self::LrtToken)?, params.admin)
                .abi_encode_params()
                .into(),
            Self::RedeemQueue => (need(Self::Vault)?, params.admin, params.withdrawal_delay)
                .abi_encode_params()
                .into(),
            Self::TestLst => ("Test Staked ETH".to_owned(), "tstETH".to_owned())
                .abi_encode_params()
                .into(),
            Self::TestRateProvider => (params.admin, params.test_lst_rate)
                .abi_encode_params()
                .into(),
        })
    }
}

/// One step of a deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Deploy (and activate, and construct) a contract.
    Deploy(ContractKind),
    /// The LRT token grants the minter role to the vault.
    GrantMinterToVault,
    /// The vault grants the redeem-queue role to the queue.
    GrantQueueRole,
    /// The vault lists the test LST with its rate provider and cap.
    ListTestLst,
}

impl Step {
    /// Human-readable description for progress output.
    pub fn describe(&self) -> String {
        match self {
            Self::Deploy(kind) => {
                let tag = if kind.test_only() { " (test only)" } else { "" };
                format!("deploy {} [{}]{tag}", kind.name(), kind.package())
            }
            Self::GrantMinterToVault => "lrtToken.grantRole(MINTER_ROLE, vault)".into(),
            Self::GrantQueueRole => "vault.grantRole(REDEEM_QUEUE_ROLE, redeemQueue)".into(),
            Self::ListTestLst => "vault.listToken(testLst, testRateProvider, cap)".into(),
        }
    }

    /// Id recorded in the manifest once done. Configuration steps include the addresses they
    /// involve, so redeploying a contract makes its wiring steps run again.
    pub fn id(&self, manifest: &Manifest) -> String {
        let addr = |name: &str| {
            manifest
                .address(name)
                .map(|a| a.to_string())
                .unwrap_or_default()
        };
        match self {
            Self::Deploy(kind) => format!("deploy:{}", kind.name()),
            Self::GrantMinterToVault => {
                format!("grantMinter:{}:{}", addr("lrtToken"), addr("vault"))
            }
            Self::GrantQueueRole => {
                format!("grantQueue:{}:{}", addr("vault"), addr("redeemQueue"))
            }
            Self::ListTestLst => {
                format!(
                    "listToken:{}:{}:{}",
                    addr("vault"),
                    addr("testLst"),
                    addr("testRateProvider")
                )
            }
        }
    }
}

/// The whole plan for `params`, in dependency order.
pub fn plan(params: &Params) -> Vec<Step> {
    let mut steps = vec![
        Step::Deploy(ContractKind::LrtToken),
        Step::Deploy(ContractKind::Vault),
        Step::Deploy(ContractKind::RedeemQueue),
        Step::GrantMinterToVault,
        Step::GrantQueueRole,
    ];
    if params.with_test_contracts {
        steps.extend([
            Step::Deploy(ContractKind::TestLst),
            Step::Deploy(ContractKind::TestRateProvider),
            Step::ListTestLst,
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
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_networks_get_no_test_contracts() {
        let public = plan(&Params::defaults(Address::repeat_byte(1), false));
        assert!(public
            .iter()
            .all(|s| !matches!(s, Step::Deploy(k) if k.test_only())));
        assert!(!public.contains(&Step::ListTestLst));
        let local = plan(&Params::defaults(Address::repeat_byte(1), true));
        assert_eq!(
            packages(&local),
            [
                "lrt-token",
                "restake-vault",
                "restake-redeem-queue",
                "test-lst",
                "test-rate-provider"
            ]
        );
    }

    #[test]
    fn vault_constructor_needs_the_token() {
        let params = Params::defaults(Address::repeat_byte(1), true);
        let mut manifest = Manifest::default();
        assert!(ContractKind::Vault
            .constructor_args(&params, &manifest)
            .is_err());
        manifest.contracts.insert(
            "lrtToken".into(),
            crate::manifest::ContractRecord {
                package: "lrt-token".into(),
                address: Address::repeat_byte(9),
                tx_hash: B256::ZERO,
                code_hash: B256::ZERO,
                args_hash: B256::ZERO,
                abi: String::new(),
                test_only: false,
                gas_used: 0,
                data_fee: "0".into(),
            },
        );
        let args = ContractKind::Vault
            .constructor_args(&params, &manifest)
            .unwrap();
        let (lrt, admin) = <(Address, Address)>::abi_decode_params(&args).unwrap();
        assert_eq!(
            (lrt, admin),
            (Address::repeat_byte(9), Address::repeat_byte(1))
        );
    }

    #[test]
    fn wiring_ids_follow_addresses() {
        let manifest = Manifest::default();
        let a = Step::GrantMinterToVault.id(&manifest);
        let mut other = Manifest::default();
        other.contracts.insert(
            "vault".into(),
            crate::manifest::ContractRecord {
                package: "restake-vault".into(),
                address: Address::repeat_byte(5),
                tx_hash: B256::ZERO,
                code_hash: B256::ZERO,
                args_hash: B256::ZERO,
                abi: String::new(),
                test_only: false,
                gas_used: 0,
                data_fee: "0".into(),
            },
        );
        assert_ne!(a, Step::GrantMinterToVault.id(&other));
    }
}
