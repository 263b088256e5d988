//! The restaking applications on top of [`Net`]: chain A is the home (LRT token, vault,
//! StakeSyncHome, LrtLockbox and a stand-in slashing manager), chain B a remote
//! (StakeSyncRemote, a second LRT token and LrtBridgeRemote). Every contract but the slashing
//! manager is the real Stylus WASM from `cargo xtask wasm`; the bindings come from the ABI files
//! in `abi/`, so a constructor or function signature that drifted fails to compile here.
//!
//! Wiring (as the TestVM tests in `contracts/endpoint/xchain-tests` do it): each receiving app
//! names its admin as delegate on its chain's EndpointConfig in its constructor; the admin then
//! requires verifiers 1 and 2 for the app's source chain (`setReceiveConfigFor`), sets the peers
//! both ways and the bridge's token buckets in both directions.

// The generated LrtBridgeRemote bindings take the constructor's six arguments plus the provider.
#![allow(clippy::too_many_arguments)]

use alloy::primitives::{keccak256, Address, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, TransactionReceipt};
use alloy::sol;
use alloy::sol_types::{SolConstructor, SolEvent};

use super::{
    addr, deploy_sol, deploy_stylus, reader, solc, wallet, Net, Side, DEPLOYER, EID_A, EID_B, V1,
    V2,
};

sol!(
    #[sol(rpc, all_derives)]
    StakeSyncHome,
    "../abi/StakeSyncHome.json"
);
sol!(
    #[sol(rpc, all_derives)]
    StakeSyncRemote,
    "../abi/StakeSyncRemote.json"
);
sol!(
    #[sol(rpc, all_derives)]
    LrtLockbox,
    "../abi/LrtLockbox.json"
);
sol!(
    #[sol(rpc, all_derives)]
    LrtBridgeRemote,
    "../abi/LrtBridgeRemote.json"
);
sol!(
    #[sol(rpc, all_derives)]
    LrtToken,
    "../abi/LrtToken.json"
);
sol!(
    #[sol(rpc, all_derives)]
    RestakeVault,
    "../abi/RestakeVault.json"
);
sol!(
    #[sol(rpc, all_derives)]
    EndpointConfig,
    "../abi/EndpointConfig.json"
);

sol! {
    #[sol(rpc)]
    interface IConfigOf {
        function config() external view returns (address);
    }

    #[sol(rpc)]
    interface IFakeSlashingManager {
        function request() external returns (uint64);
        function setStatus(uint64 requestId, uint8 status) external;
        function requestCount() external view returns (uint64);
    }
}

/// Dev key index of the user who deposits and bridges.
pub const USER: usize = 4;
/// Dev key index holding the vault's `STAKE_MANAGER_ROLE` (executes slashes).
pub const STAKE_MANAGER: usize = 5;
/// Dev key index receiving slashed ETH.
pub const SLASH_RECIPIENT: usize = 6;

/// The vault's marker for native ETH.
pub const NATIVE_ETH: Address =
    alloy::primitives::address!("EeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE");
/// Slashing manager status of a request in its veto window or awaiting execution.
pub const STATUS_REQUESTED: u8 = 1;
/// Slashing manager status of an executed request.
pub const STATUS_EXECUTED: u8 = 3;
/// StakeSyncHome's minimum interval between publications as configured here (its default).
pub const MIN_INTERVAL: u64 = 3_600;
/// Capacity of every bridge token bucket (LRT units).
pub const BUCKET: u128 = 1_000_000_000_000_000_000_000; // 1,000 LRT
/// Refill of every bridge token bucket per second.
pub const REFILL: u128 = 1_000_000_000_000_000_000; // 1 LRT/s

/// `n` ether in wei.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// A stake state as both sides return it: sequence, home timestamp, rate, total assets, LRT
/// supply, slashing epoch, pending slash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct StakeView {
    /// Sequence (0 = none).
    pub sequence: u64,
    /// Home time of the state.
    pub timestamp: u64,
    /// Exchange rate (wei per LRT).
    pub rate: U256,
    /// Total assets (wei).
    pub total_assets: U256,
    /// LRT supply (the vault's shares).
    pub supply: U256,
    /// Slashing epoch.
    pub slash_epoch: u64,
    /// Pending slash.
    pub pending_slash: bool,
}

/// The home chain's applications.
#[derive(Clone, Copy, Debug)]
pub struct Home {
    /// EndpointConfig of chain A.
    pub config: Address,
    /// The LRT.
    pub lrt: Address,
    /// The vault minting it.
    pub vault: Address,
    /// The stake-state publisher.
    pub sync: Address,
    /// The LRT lockbox.
    pub lockbox: Address,
    /// The stand-in slashing manager the publisher watches.
    pub slashing: Address,
}

/// The remote chain's applications.
#[derive(Clone, Copy, Debug)]
pub struct Remote {
    /// EndpointConfig of chain B.
    pub config: Address,
    /// The stake-state mirror.
    pub sync: Address,
    /// The remote LRT (minted by the bridge).
    pub lrt: Address,
    /// The remote bridge.
    pub bridge: Address,
}

/// Two chains with endpoints (from [`Net`]) and the applications on them.
pub struct Apps {
    /// The chains and endpoints.
    pub net: Net,
    /// Chain A's applications.
    pub home: Home,
    /// Chain B's applications.
    pub remote: Remote,
}

/// Waits for `call`'s transaction and asserts it succeeded.
pub async fn mined<P: Provider, D: alloy::contract::CallDecoder>(
    call: alloy::contract::CallBuilder<P, D>,
) -> TransactionReceipt {
    let receipt = call
        .send()
        .await
        .expect("transaction accepted")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status(), "transaction succeeded: {receipt:?}");
    receipt
}

async fn stylus<C: SolConstructor>(p: &DynProvider, name: &str, args: C) -> Address {
    deploy_stylus(p, name, &args.abi_encode()).await
}

async fn config_of(side: &Side) -> Address {
    IConfigOf::new(side.inbox, reader(&side.server))
        .config()
        .call()
        .await
        .expect("config()")
}

async fn lrt_token(p: &DynProvider, symbol: &str) -> Address {
    stylus(
        p,
        "lrt-token",
        LrtToken::constructorCall {
            name: "Restaked Ether".into(),
            symbol: symbol.into(),
            admin: addr(DEPLOYER),
        },
    )
    .await
}

/// Requires verifiers 1 and 2 for `receiver`'s messages from `src_eid` (the deployer is the
/// receiver's delegate).
async fn require_verifiers(p: &DynProvider, config: Address, receiver: Address, src_eid: u32) {
    let c = EndpointConfig::new(config, p);
    mined(c.setReceiveConfigFor(
        receiver,
        src_eid,
        vec![addr(V1), addr(V2)],
        vec![],
        0,
        false,
    ))
    .await;
}

/// Both token buckets of `eid` on the bridge at `at` (`setRateLimit` is the same function on
/// the lockbox and the remote bridge).
async fn buckets(p: &DynProvider, at: Address, eid: u32) {
    let b = LrtLockbox::new(at, p);
    for inbound in [false, true] {
        mined(b.setRateLimit(eid, inbound, U256::from(BUCKET), REFILL)).await;
    }
}

impl Apps {
    /// Starts both chains with their endpoints and deploys and wires every application.
    pub async fn start() -> Self {
        let net = Net::start().await;
        let admin = addr(DEPLOYER);
        let pa = wallet(&net.a.server, DEPLOYER);
        let pb = wallet(&net.b.server, DEPLOYER);
        let config_a = config_of(&net.a).await;
        let config_b = config_of(&net.b).await;

        // Home: LRT, vault (minter of the LRT), publisher, lockbox, slashing manager.
        let lrt = lrt_token(&pa, "rsETH").await;
        let vault = stylus(
            &pa,
            "restake-vault",
            RestakeVault::constructorCall { lrt, admin },
        )
        .await;
        let minter = keccak256("MINTER_ROLE");
        mined(LrtToken::new(lrt, &pa).grantRole(minter, vault)).await;
        mined(
            RestakeVault::new(vault, &pa)
                .grantRole(keccak256("STAKE_MANAGER_ROLE"), addr(STAKE_MANAGER)),
        )
        .await;
        let sync = stylus(
            &pa,
            "restake-stake-sync",
            StakeSyncHome::constructorCall {
                admin,
                endpoint: net.a.endpoint,
                vault,
            },
        )
        .await;
        let lockbox = stylus(
            &pa,
            "restake-lrt-bridge",
            LrtLockbox::constructorCall {
                admin,
                lrt,
                endpoint: net.a.endpoint,
                receive_endpoint: net.a.inbox,
                endpoint_config: config_a,
            },
        )
        .await;
        let slashing = deploy_sol(
            &pa,
            solc("FakeSlashingManager.sol", "FakeSlashingManager"),
            &[],
        )
        .await;

        // Remote: mirror, LRT, bridge (minter of the remote LRT).
        let r_sync = stylus(
            &pb,
            "restake-stake-sync-remote",
            StakeSyncRemote::constructorCall {
                admin,
                receive_endpoint: net.b.inbox,
                endpoint_config: config_b,
            },
        )
        .await;
        let r_lrt = lrt_token(&pb, "rsETH").await;
        let bridge = stylus(
            &pb,
            "restake-lrt-bridge-remote",
            LrtBridgeRemote::constructorCall {
                admin,
                lrt: r_lrt,
                endpoint: net.b.endpoint,
                receive_endpoint: net.b.inbox,
                endpoint_config: config_b,
                home_eid: EID_A,
            },
        )
        .await;
        mined(LrtToken::new(r_lrt, &pb).grantRole(minter, bridge)).await;

        // Peers, verifiers, publishing, buckets.
        let home_sync = StakeSyncHome::new(sync, &pa);
        mined(home_sync.setPeer(EID_B, r_sync)).await;
        mined(home_sync.setPublishing(MIN_INTERVAL, slashing)).await;
        mined(StakeSyncRemote::new(r_sync, &pb).setPeer(EID_A, sync)).await;
        require_verifiers(&pb, config_b, r_sync, EID_A).await;

        mined(LrtLockbox::new(lockbox, &pa).setPeer(EID_B, bridge)).await;
        mined(LrtBridgeRemote::new(bridge, &pb).setPeer(EID_A, lockbox)).await;
        require_verifiers(&pa, config_a, lockbox, EID_B).await;
        require_verifiers(&pb, config_b, bridge, EID_A).await;
        buckets(&pa, lockbox, EID_B).await;
        buckets(&pb, bridge, EID_A).await;

        Self {
            net,
            home: Home {
                config: config_a,
                lrt,
                vault,
                sync,
                lockbox,
                slashing,
            },
            remote: Remote {
                config: config_b,
                sync: r_sync,
                lrt: r_lrt,
                bridge,
            },
        }
    }

    /// Wallet of dev key `i` on the home chain.
    pub fn home_wallet(&self, i: usize) -> DynProvider {
        wallet(&self.net.a.server, i)
    }

    /// Wallet of dev key `i` on the remote chain.
    pub fn remote_wallet(&self, i: usize) -> DynProvider {
        wallet(&self.net.b.server, i)
    }

    /// `who` deposits `wei` in the vault (LRT to `who`); returns the shares minted.
    pub async fn deposit(&self, who: usize, wei: U256) -> U256 {
        let p = self.home_wallet(who);
        let v = RestakeVault::new(self.home.vault, &p);
        let before = self.home_lrt_balance(addr(who)).await;
        mined(v.deposit(addr(who)).value(wei)).await;
        self.home_lrt_balance(addr(who)).await - before
    }

    /// The stake manager slashes `wei` of ETH out of the vault.
    pub async fn slash_vault(&self, wei: U256) -> TransactionReceipt {
        let p = self.home_wallet(STAKE_MANAGER);
        let v = RestakeVault::new(self.home.vault, &p);
        mined(v.slash(NATIVE_ETH, wei, addr(SLASH_RECIPIENT))).await
    }

    /// The home vault's (rate, total assets, total shares) now.
    pub async fn vault_figures(&self) -> (U256, U256, U256) {
        let p = reader(&self.net.a.server);
        let v = RestakeVault::new(self.home.vault, &p);
        (
            v.exchangeRate().call().await.expect("exchangeRate"),
            v.totalAssets().call().await.expect("totalAssets"),
            v.totalShares().call().await.expect("totalShares"),
        )
    }

    /// `who` (dev key) pays the quoted fee and calls `publish` on the home; returns the receipt
    /// and the sequence published (from `StatePublished`).
    pub async fn publish(&self, who: usize) -> (TransactionReceipt, u64) {
        let p = self.home_wallet(who);
        let h = StakeSyncHome::new(self.home.sync, &p);
        let fee = h.quotePublish().call().await.expect("quotePublish");
        let rc = mined(h.publish().value(fee)).await;
        let seq = rc
            .inner
            .logs()
            .iter()
            .find_map(|l| StakeSyncHome::StatePublished::decode_log_data(l.data()).ok())
            .map(|e| e.sequence)
            .expect("StatePublished");
        (rc, seq)
    }

    /// Whether the home would accept `publish` now.
    pub async fn publication_due(&self) -> bool {
        let p = reader(&self.net.a.server);
        StakeSyncHome::new(self.home.sync, &p)
            .publicationDue()
            .call()
            .await
            .expect("publicationDue")
    }

    /// The home's last published state.
    pub async fn home_state(&self) -> StakeView {
        let p = reader(&self.net.a.server);
        let s = StakeSyncHome::new(self.home.sync, &p)
            .latestState()
            .call()
            .await
            .expect("latestState");
        StakeView {
            sequence: s._0,
            timestamp: s._1,
            rate: s._2,
            total_assets: s._3,
            supply: s._4,
            slash_epoch: s._5,
            pending_slash: s._6,
        }
    }

    /// The remote mirror's newest state (unchecked).
    pub async fn remote_state(&self) -> StakeView {
        let p = reader(&self.net.b.server);
        let s = StakeSyncRemote::new(self.remote.sync, &p)
            .latestState()
            .call()
            .await
            .expect("latestState");
        StakeView {
            sequence: s._0,
            timestamp: s._1,
            rate: s._2,
            total_assets: s._3,
            supply: s._4,
            slash_epoch: s._5,
            pending_slash: s._6,
        }
    }

    /// The remote's `exchangeRate()` for dependent contracts: the rate, or its typed refusal.
    pub async fn remote_rate(&self) -> Result<U256, StakeSyncRemote::StakeSyncRemoteErrors> {
        let p = reader(&self.net.b.server);
        match StakeSyncRemote::new(self.remote.sync, &p)
            .exchangeRate()
            .call()
            .await
        {
            Ok(rate) => Ok(rate),
            Err(e) => Err(e
                .as_decoded_interface_error::<StakeSyncRemote::StakeSyncRemoteErrors>()
                .unwrap_or_else(|| panic!("a StakeSyncRemote error, got {e}"))),
        }
    }

    /// `StateReceived` events of the remote mirror so far (sequences, in order).
    pub async fn states_received(&self) -> Vec<u64> {
        let f = Filter::new()
            .address(self.remote.sync)
            .event_signature(StakeSyncRemote::StateReceived::SIGNATURE_HASH)
            .from_block(0);
        reader(&self.net.b.server)
            .get_logs(&f)
            .await
            .expect("logs")
            .iter()
            .map(|l| {
                l.log_decode::<StakeSyncRemote::StateReceived>()
                    .expect("StateReceived")
                    .inner
                    .data
                    .sequence
            })
            .collect()
    }

    /// `BridgeReceived` events (mints) of the remote bridge so far.
    pub async fn bridge_receipts_remote(&self) -> usize {
        let f = Filter::new()
            .address(self.remote.bridge)
            .event_signature(LrtBridgeRemote::BridgeReceived::SIGNATURE_HASH)
            .from_block(0);
        reader(&self.net.b.server)
            .get_logs(&f)
            .await
            .expect("logs")
            .len()
    }

    /// Adds a slash request (status requested) at the slashing manager; returns its id.
    pub async fn request_slash(&self) -> u64 {
        let p = self.home_wallet(DEPLOYER);
        let s = IFakeSlashingManager::new(self.home.slashing, &p);
        mined(s.request()).await;
        s.requestCount().call().await.expect("requestCount")
    }

    /// Sets the status of slash request `id`.
    pub async fn set_slash_status(&self, id: u64, status: u8) {
        let p = self.home_wallet(DEPLOYER);
        mined(IFakeSlashingManager::new(self.home.slashing, &p).setStatus(id, status)).await;
    }

    /// LRT balance of `who` at home.
    pub async fn home_lrt_balance(&self, who: Address) -> U256 {
        let p = reader(&self.net.a.server);
        LrtToken::new(self.home.lrt, &p)
            .balanceOf(who)
            .call()
            .await
            .expect("balanceOf")
    }

    /// LRT balance of `who` on the remote.
    pub async fn remote_lrt_balance(&self, who: Address) -> U256 {
        let p = reader(&self.net.b.server);
        LrtToken::new(self.remote.lrt, &p)
            .balanceOf(who)
            .call()
            .await
            .expect("balanceOf")
    }

    /// Total supply of the remote LRT.
    pub async fn remote_lrt_supply(&self) -> U256 {
        let p = reader(&self.net.b.server);
        LrtToken::new(self.remote.lrt, &p)
            .totalSupply()
            .call()
            .await
            .expect("totalSupply")
    }

    /// The home ledger of LRT outstanding on the remote chain.
    pub async fn outstanding(&self) -> U256 {
        let p = reader(&self.net.a.server);
        LrtLockbox::new(self.home.lockbox, &p)
            .outstanding(EID_B)
            .call()
            .await
            .expect("outstanding")
    }

    /// `who` approves the lockbox and bridges `amount` LRT to `to` on the remote, paying the
    /// quoted fee; returns the `send` receipt and the GUID.
    pub async fn bridge_out(
        &self,
        who: usize,
        to: Address,
        amount: U256,
    ) -> (TransactionReceipt, B256) {
        let p = self.home_wallet(who);
        mined(LrtToken::new(self.home.lrt, &p).approve(self.home.lockbox, amount)).await;
        let b = LrtLockbox::new(self.home.lockbox, &p);
        let fee = b
            .quoteSend(EID_B, to, amount)
            .call()
            .await
            .expect("quoteSend");
        let rc = mined(b.send(EID_B, to, amount).value(fee)).await;
        let guid = sent_guid(&rc);
        (rc, guid)
    }

    /// `who` approves the remote bridge (which burns) and bridges `amount` LRT to `to` at home,
    /// paying the quoted fee; returns the `send` receipt and the GUID.
    pub async fn bridge_back(
        &self,
        who: usize,
        to: Address,
        amount: U256,
    ) -> (TransactionReceipt, B256) {
        let p = self.remote_wallet(who);
        mined(LrtToken::new(self.remote.lrt, &p).approve(self.remote.bridge, amount)).await;
        let b = LrtBridgeRemote::new(self.remote.bridge, &p);
        let fee = b
            .quoteSend(EID_A, to, amount)
            .call()
            .await
            .expect("quoteSend");
        let rc = mined(b.send(EID_A, to, amount).value(fee)).await;
        let guid = sent_guid(&rc);
        (rc, guid)
    }
}

/// The GUID in a bridge `send` receipt (`BridgeSent`).
pub fn sent_guid(rc: &TransactionReceipt) -> B256 {
    rc.inner
        .logs()
        .iter()
        .find_map(|l| LrtLockbox::BridgeSent::decode_log_data(l.data()).ok())
        .map(|e| e.guid)
        .expect("BridgeSent")
}
