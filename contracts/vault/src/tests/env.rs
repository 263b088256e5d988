//! The test environment: the LRT, the vault and its redeem queue deployed on the test chain,
//! two listed tokens with rate providers, funded actors, and call helpers.
use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolEvent};
use lrt_token::{LrtToken, MINTER_ROLE};
use restake_redeem_queue::RedeemQueue;
use restake_shared::{access::PAUSER_ROLE, NATIVE_ETH};

use super::host::{
    self, Chain, ChainState, FakeProvider, FakeToken, Host, Kind, Ledger, Node, ProviderMode,
    TokenMode, World,
};
use crate::{RestakeVault, REDEEM_QUEUE_ROLE, STAKE_MANAGER_ROLE};

pub const LRT: Address = address!("1000000000000000000000000000000000000001");
pub const VAULT: Address = address!("1000000000000000000000000000000000000002");
pub const QUEUE: Address = address!("1000000000000000000000000000000000000003");
pub const TOKEN_A: Address = address!("a000000000000000000000000000000000000001");
pub const PROVIDER_A: Address = address!("a000000000000000000000000000000000000002");
pub const TOKEN_B: Address = address!("b000000000000000000000000000000000000001");
pub const PROVIDER_B: Address = address!("b000000000000000000000000000000000000002");
pub const DEPLOYER: Address = address!("00000000000000000000000000000000000000de");
pub const ADMIN: Address = address!("00000000000000000000000000000000000000ad");
pub const PAUSER: Address = address!("0000000000000000000000000000000000000005");
pub const MANAGER: Address = address!("000000000000000000000000000000000000000a");
pub const ALICE: Address = address!("000000000000000000000000000000000000a11c");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const CAROL: Address = address!("00000000000000000000000000000000000ca201");
pub const ETH: Address = NATIVE_ETH;

/// Start of time in the tests.
pub const T0: u64 = 1_700_000_000;
/// Withdrawal delay of the queue in the tests (1 day).
pub const DELAY: u64 = 86_400;
/// Rate of token A: 1.05 ETH per token.
pub const RATE_A: u128 = 1_050_000_000_000_000_000;
/// Rate of token B: 0.9 ETH per token.
pub const RATE_B: u128 = 900_000_000_000_000_000;
/// Deposit cap of both tokens.
pub const CAP: u128 = 1_000_000 * E18;
/// 1e18.
pub const E18: u128 = 1_000_000_000_000_000_000;

sol! {
    interface IVault {
        function asset() external view returns (address);
        function lrt() external view returns (address);
        function totalAssets() external view returns (uint256);
        function totalShares() external view returns (uint256);
        function exchangeRate() external view returns (uint256);
        function convertToShares(uint256 assets) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function previewDeposit(uint256 assets) external view returns (uint256);
        function previewRedeem(uint256 shares) external view returns (uint256);
        function maxDeposit(address receiver) external view returns (uint256);
        function tokenInfo(address token) external view returns (bool, address, uint256, uint256);
        function tokens() external view returns (address[]);
        function unvestedReward(address asset) external view returns (uint256);
        function minRewardDuration() external view returns (uint64);
        function deposit(address receiver) external payable returns (uint256);
        function depositToken(address token, uint256 amount, address receiver) external returns (uint256);
        function escrowShares(address spender, address owner, uint256 shares) external;
        function settleRedeem(address asset, uint256 maxAssets, uint256 shares, address receiver) external returns (uint256);
        function slash(address asset, uint256 amount, address recipient) external;
        function notifyReward(address asset, uint256 amount, uint64 duration) external payable;
        function listToken(address token, address rateProvider, uint256 cap) external;
        function unlistToken(address token) external;
        function setMinRewardDuration(uint64 duration) external;
    }

    interface IQueue {
        function vault() external view returns (address);
        function withdrawalDelay() external view returns (uint64);
        function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256);
        function requestRedeemToken(uint256 shares, address controller, address owner, address token) external returns (uint256);
        function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256);
        function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256);
        function requestInfo(uint256 requestId) external view returns (address, address, uint256, uint256, uint64, bool);
        function setOperator(address operator, bool approved) external returns (bool);
        function isOperator(address controller, address operator) external view returns (bool);
        function claim(uint256 requestId, address receiver) external returns (uint256);
        function redeem(uint256 shares, address receiver, address controller) external returns (uint256);
        function setWithdrawalDelay(uint64 delay) external;
    }

    interface IAdmin {
        function admin() external view returns (address);
        function pendingAdmin() external view returns (address);
        function hasRole(bytes32 role, address account) external view returns (bool);
        function grantRole(bytes32 role, address account) external;
        function revokeRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role) external;
        function transferAdmin(address newAdmin) external;
        function acceptAdmin() external;
        function paused(uint8 group) external view returns (bool);
        function pausedGroups() external view returns (uint256);
        function pause(uint8 group) external;
        function unpause(uint8 group) external;
    }

    interface ILrt {
        function balanceOf(address account) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
    }
}

/// `n` ETH in wei.
pub fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(E18)
}

/// `n` as a U256.
pub fn u(n: u128) -> U256 {
    U256::from(n)
}

/// Everything a test needs.
pub struct Env {
    /// The chain.
    pub chain: Chain,
}

impl Env {
    /// Deploys the LRT, the vault and the queue; grants the roles (vault minter, queue, pauser,
    /// stake manager); lists tokens A and B; funds Alice, Bob and Carol with 1,000 ETH and 1,000
    /// of each token (approved to the vault).
    pub fn new() -> Self {
        let env = Self::bare();
        let vault_host = env.host(VAULT);
        let vault_vm = vault_host.vm.clone();
        vault_vm.set_sender(DEPLOYER);
        RestakeVault::from(&vault_host)
            .constructor(LRT, ADMIN)
            .expect("vault constructor");
        let queue_host = env.host(QUEUE);
        queue_host.vm.set_sender(DEPLOYER);
        RedeemQueue::from(&queue_host)
            .constructor(VAULT, ADMIN, DELAY)
            .expect("queue constructor");
        env.ok(
            ADMIN,
            LRT,
            IAdmin::grantRoleCall {
                role: MINTER_ROLE,
                account: VAULT,
            },
        );
        for (role, account) in [
            (REDEEM_QUEUE_ROLE, QUEUE),
            (PAUSER_ROLE, PAUSER),
            (STAKE_MANAGER_ROLE, MANAGER),
        ] {
            env.ok(ADMIN, VAULT, IAdmin::grantRoleCall { role, account });
        }
        env.ok(
            ADMIN,
            QUEUE,
            IAdmin::grantRoleCall {
                role: PAUSER_ROLE,
                account: PAUSER,
            },
        );
        env.add_token(TOKEN_A, PROVIDER_A, RATE_A);
        env.add_token(TOKEN_B, PROVIDER_B, RATE_B);
        env.ok(
            ADMIN,
            VAULT,
            IVault::listTokenCall {
                token: TOKEN_A,
                rateProvider: PROVIDER_A,
                cap: u(CAP),
            },
        );
        env.ok(
            ADMIN,
            VAULT,
            IVault::listTokenCall {
                token: TOKEN_B,
                rateProvider: PROVIDER_B,
                cap: u(CAP),
            },
        );
        for who in [ALICE, BOB, CAROL, MANAGER] {
            env.fund(who, eth(1_000));
            env.fund_token(TOKEN_A, who, eth(1_000));
            env.fund_token(TOKEN_B, who, eth(1_000));
        }
        env
    }

    /// The chain with the three contracts placed (their constructors not run) and the LRT
    /// constructed by `ADMIN`.
    pub fn bare() -> Self {
        let mut state = ChainState {
            now: T0,
            ..Default::default()
        };
        for (a, kind) in [(LRT, Kind::Lrt), (VAULT, Kind::Vault), (QUEUE, Kind::Queue)] {
            let vm = stylus_sdk::testing::TestVM::new();
            vm.set_contract_address(a);
            vm.set_block_timestamp(T0);
            state.nodes.insert(a, Node { vm, kind });
        }
        let env = Self {
            chain: std::rc::Rc::new(std::cell::RefCell::new(state)),
        };
        let lrt_host = env.host(LRT);
        lrt_host.vm.set_sender(DEPLOYER);
        LrtToken::from(&lrt_host)
            .constructor("Restaked Ether".into(), "rstETH".into(), ADMIN)
            .expect("LRT constructor");
        env
    }

    /// A host for the contract at `a` (for direct Rust calls and constructors).
    pub fn host(&self, a: Address) -> Host {
        let vm = self.chain.borrow().nodes[&a].vm.clone();
        Host::new(vm, a, self.chain.clone())
    }

    /// Adds a fake token and its provider answering `rate`.
    pub fn add_token(&self, token: Address, provider: Address, rate: u128) {
        let mut c = self.chain.borrow_mut();
        c.world.tokens.insert(
            token,
            FakeToken {
                ledger: Ledger::default(),
                mode: TokenMode::Normal,
            },
        );
        c.world.providers.insert(
            provider,
            FakeProvider {
                rate: u(rate),
                mode: ProviderMode::Answers,
            },
        );
    }

    /// Gives `who` `amount` wei.
    pub fn fund(&self, who: Address, amount: U256) {
        *self.chain.borrow_mut().world.eth.entry(who).or_default() += amount;
    }

    /// Gives `who` `amount` of `token` and approves the vault for all of it.
    pub fn fund_token(&self, token: Address, who: Address, amount: U256) {
        let mut c = self.chain.borrow_mut();
        let t = c.world.token(token);
        t.ledger.mint(who, amount);
        t.ledger.allowances.insert((who, VAULT), U256::MAX);
    }

    /// Runs `f` on the world.
    pub fn world<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        f(&mut self.chain.borrow_mut().world)
    }

    /// Sets the rate answered by `provider`.
    pub fn set_rate(&self, provider: Address, rate: U256) {
        self.world(|w| w.providers.get_mut(&provider).expect("provider").rate = rate);
    }

    /// Sets how `provider` answers.
    pub fn set_provider_mode(&self, provider: Address, mode: ProviderMode) {
        self.world(|w| w.providers.get_mut(&provider).expect("provider").mode = mode);
    }

    /// Moves time forward.
    pub fn warp(&self, secs: u64) {
        self.chain.borrow_mut().now += secs;
    }

    /// The block time.
    pub fn now(&self) -> u64 {
        self.chain.borrow().now
    }

    /// A transaction from `from` to `to` with `value` wei: raw return or revert data.
    pub fn send<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        c: C,
        value: U256,
    ) -> Result<C::Return, Vec<u8>> {
        let out = host::call(&self.chain, from, to, &c.abi_encode(), value, false)?;
        Ok(C::abi_decode_returns(&out).expect("return data decodes"))
    }

    /// A transaction without value.
    pub fn try_call<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        c: C,
    ) -> Result<C::Return, Vec<u8>> {
        self.send(from, to, c, U256::ZERO)
    }

    /// A transaction that must succeed.
    pub fn ok<C: SolCall>(&self, from: Address, to: Address, c: C) -> C::Return {
        match self.try_call(from, to, c) {
            Ok(r) => r,
            Err(e) => panic!(
                "{} reverted: 0x{}",
                C::SIGNATURE,
                alloy_primitives::hex::encode(e)
            ),
        }
    }

    /// A transaction that must revert with exactly `expected`.
    pub fn err<C: SolCall>(&self, from: Address, to: Address, c: C, expected: Vec<u8>) {
        self.err_value(from, to, c, U256::ZERO, expected)
    }

    /// A payable transaction that must revert with exactly `expected`, changing nothing.
    pub fn err_value<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        c: C,
        value: U256,
        expected: Vec<u8>,
    ) {
        let before = self.fingerprint();
        match self.send(from, to, c, value) {
            Ok(_) => panic!("{} succeeded, expected a revert", C::SIGNATURE),
            Err(e) => assert_eq!(
                alloy_primitives::hex::encode(&e),
                alloy_primitives::hex::encode(&expected),
                "{} reverted with other data",
                C::SIGNATURE
            ),
        }
        assert!(
            self.fingerprint() == before,
            "{} changed state on revert",
            C::SIGNATURE
        );
    }

    /// A read through the ABI router (a static call from the zero address).
    pub fn view<C: SolCall>(&self, to: Address, c: C) -> C::Return {
        let out = host::call(
            &self.chain,
            Address::ZERO,
            to,
            &c.abi_encode(),
            U256::ZERO,
            true,
        )
        .unwrap_or_else(|e| {
            panic!(
                "{} reverted: 0x{}",
                C::SIGNATURE,
                alloy_primitives::hex::encode(e)
            )
        });
        C::abi_decode_returns(&out).expect("return data decodes")
    }

    /// Every contract's storage and the world, to compare before and after.
    pub fn fingerprint(&self) -> (Vec<Vec<(U256, B256)>>, World) {
        let c = self.chain.borrow();
        let storages = c
            .nodes
            .values()
            .map(|n| {
                let mut s: Vec<(U256, B256)> =
                    n.vm.snapshot()
                        .storage
                        .into_iter()
                        .filter(|(_, v)| !v.is_zero())
                        .collect();
                s.sort();
                s
            })
            .collect();
        let mut w = c.world.clone();
        w.calls.clear();
        w.reentry_result = None;
        (storages, w)
    }

    /// Number of logs `contract` emitted so far.
    pub fn log_count(&self, contract: Address) -> usize {
        self.chain.borrow().nodes[&contract]
            .vm
            .get_emitted_logs()
            .len()
    }

    /// Logs `contract` emitted since `mark` (a [`Self::log_count`]).
    pub fn logs_since(&self, contract: Address, mark: usize) -> Vec<(Vec<B256>, Vec<u8>)> {
        self.chain.borrow().nodes[&contract].vm.get_emitted_logs()[mark..].to_vec()
    }

    /// The events of type `E` `contract` emitted since `mark`.
    pub fn events<E: SolEvent>(&self, contract: Address, mark: usize) -> Vec<E> {
        self.logs_since(contract, mark)
            .into_iter()
            .filter(|(t, _)| t.first() == Some(&E::SIGNATURE_HASH))
            .map(|(t, d)| E::decode_raw_log(t, &d).expect("event decodes"))
            .collect()
    }

    // ----- Short forms -----

    /// ETH of `who`.
    pub fn eth_of(&self, who: Address) -> U256 {
        self.chain.borrow().world.eth_of(who)
    }

    /// Units of `token` held by `who`.
    pub fn token_of(&self, token: Address, who: Address) -> U256 {
        self.chain.borrow().world.tokens[&token].ledger.balance(who)
    }

    /// LRT of `who`.
    pub fn lrt_of(&self, who: Address) -> U256 {
        self.view(LRT, ILrt::balanceOfCall { account: who })
    }

    /// LRT supply.
    pub fn lrt_supply(&self) -> U256 {
        self.view(LRT, ILrt::totalSupplyCall {})
    }

    /// The vault's total assets.
    pub fn total_assets(&self) -> U256 {
        self.view(VAULT, IVault::totalAssetsCall {})
    }

    /// The vault's share count.
    pub fn total_shares(&self) -> U256 {
        self.view(VAULT, IVault::totalSharesCall {})
    }

    /// Units of `asset` the vault accounts for (ETH or a token).
    pub fn held(&self, asset: Address) -> U256 {
        if asset == ETH {
            let v = self.host(VAULT);
            RestakeVault::from(&v).held_eth()
        } else {
            self.view(VAULT, IVault::tokenInfoCall { token: asset })._3
        }
    }

    /// Deposits `value` wei for `who` (who pays).
    pub fn deposit(&self, who: Address, value: U256) -> Result<U256, Vec<u8>> {
        self.send(who, VAULT, IVault::depositCall { receiver: who }, value)
    }

    /// Deposits `amount` of `token` for `who`.
    pub fn deposit_token(
        &self,
        who: Address,
        token: Address,
        amount: U256,
    ) -> Result<U256, Vec<u8>> {
        self.try_call(
            who,
            VAULT,
            IVault::depositTokenCall {
                token,
                amount,
                receiver: who,
            },
        )
    }

    /// `who` requests to redeem `shares` for itself, paid in ETH.
    pub fn request(&self, who: Address, shares: U256) -> Result<U256, Vec<u8>> {
        self.try_call(
            who,
            QUEUE,
            IQueue::requestRedeemCall {
                shares,
                controller: who,
                owner: who,
            },
        )
    }

    /// `who` requests to redeem `shares` for itself, paid in `token`.
    pub fn request_token(
        &self,
        who: Address,
        shares: U256,
        token: Address,
    ) -> Result<U256, Vec<u8>> {
        self.try_call(
            who,
            QUEUE,
            IQueue::requestRedeemTokenCall {
                shares,
                controller: who,
                owner: who,
                token,
            },
        )
    }

    /// `who` claims request `id` for itself.
    pub fn claim(&self, who: Address, id: U256) -> Result<U256, Vec<u8>> {
        self.try_call(
            who,
            QUEUE,
            IQueue::claimCall {
                requestId: id,
                receiver: who,
            },
        )
    }

    /// Request `id` as the queue reports it.
    pub fn request_info(&self, id: U256) -> IQueue::requestInfoReturn {
        self.view(QUEUE, IQueue::requestInfoCall { requestId: id })
    }
}
