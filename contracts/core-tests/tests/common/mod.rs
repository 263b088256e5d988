//! Shared test support: the world, the ABI of the core contracts, and a deployed core.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::too_many_arguments,
    missing_docs
)]

pub mod host;
pub mod world;

use std::{cell::RefCell, rc::Rc};

use alloy_primitives::{address, Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use restake_shared::NATIVE_ETH;
use stylus_sdk::{abi::router_entrypoint, host::VM, testing::TestVM, ArbResult};

use host::CoreHost;
pub use world::*;

use allocation_manager::AllocationManager;
use delegation_manager::DelegationManager;
use operator_registry::OperatorRegistry;
use rewards_coordinator::RewardsCoordinator;
use slashing_manager::SlashingManager;

pub const ADMIN: Address = address!("00000000000000000000000000000000000000ad");
pub const PAUSER: Address = address!("00000000000000000000000000000000000000a5");
pub const REG: Address = address!("1000000000000000000000000000000000000001");
pub const DM: Address = address!("1000000000000000000000000000000000000002");
pub const AM: Address = address!("1000000000000000000000000000000000000003");
pub const SM: Address = address!("1000000000000000000000000000000000000004");
pub const RC: Address = address!("1000000000000000000000000000000000000005");
pub const DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
pub const T0: u64 = 1_700_000_000;
pub const DAY: u64 = 86_400;
pub const FEE_DELAY: u64 = 7 * DAY;
pub const DEALLOC_DELAY: u64 = 14 * DAY;
pub const MIN_REWARD: u64 = DAY;
pub const ETH: Address = NATIVE_ETH;
pub const BURN: Address = address!("000000000000000000000000000000000000dEaD");

/// `n` ETH in wei.
pub fn eth(n: u64) -> U256 {
    U256::from(n) * WAD
}

/// A numbered test account.
pub fn acct(prefix: u8, n: u8) -> Address {
    let mut b = [0u8; 20];
    b[0] = prefix;
    b[19] = n;
    Address::from(b)
}

pub fn operator(n: u8) -> Address {
    acct(0x0a, n)
}
pub fn service(n: u8) -> Address {
    acct(0x5e, n)
}
pub fn vault(n: u8) -> Address {
    acct(0x7a, n)
}
pub fn manager(n: u8) -> Address {
    acct(0x3a, n)
}
pub fn slasher(n: u8) -> Address {
    acct(0x51, n)
}
pub fn resolver(n: u8) -> Address {
    acct(0x52, n)
}
pub fn payout(n: u8) -> Address {
    acct(0x53, n)
}
pub fn token(n: u8) -> Address {
    acct(0x70, n)
}
pub fn rate_provider(n: u8) -> Address {
    acct(0x72, n)
}
pub fn staker(n: u8) -> Address {
    acct(0x99, n)
}

sol! {
    interface IAdmin {
        function admin() external view returns (address);
        function hasRole(bytes32 role, address account) external view returns (bool);
        function grantRole(bytes32 role, address account) external;
        function pause(uint8 group) external;
        function unpause(uint8 group) external;
        function paused(uint8 group) external view returns (bool);
    }
    interface IRegistry {
        function registerOperator(uint16 feeBps) external;
        function setMetadataUri(string metadataURI) external;
        function scheduleFeeChange(uint16 feeBps) external;
        function deregisterOperator() external;
        function operatorInfo(address operator) external view returns (bool, uint16, uint16, uint64, uint32);
        function registerService() external;
        function configureSet(uint64 setId, address slasher, address resolver, address payout, uint16 maxSlashBps, uint64 vetoWindow, bool autoAccept) external returns (uint64);
        function applySetConfig(uint64 setId) external;
        function setInfo(uint64 setId) external view returns (address, bool, uint64, uint64);
        function setConfig(uint64 setId, bool scheduled) external view returns (address, address, address, uint16, uint64);
        function join(uint64 setId, address operator) external;
        function leave(uint64 setId, address operator) external;
        function membership(uint64 setId, address operator) external view returns (uint8);
        function setAllocationManager(address manager) external;
        function allocationManager() external view returns (address);
        function feeDelay() external view returns (uint64);
    }
    interface IDelegation {
        function setPeers(address allocationManager, address slashingManager) external;
        function peers() external view returns (address, address, address);
        function registerVault(address vault, address manager) external;
        function setDelegationCap(address vault, address operator, uint256 cap) external;
        function setDelegation(address vault, address operator, uint256 amount) external;
        function vaultCount() external view returns (uint64);
        function vaultAt(uint64 index) external view returns (address, address, uint256);
        function delegation(address vault, address operator) external view returns (uint256, uint256, uint64, uint256);
        function vaultStake(address vault, address operator, uint64 at) external view returns (uint256);
        function operatorStake(address operator, uint64 at) external view returns (uint256);
        function slash(address operator, uint64 magnitude, uint64 maxMagnitude, uint256 wad) external returns (address[], uint256[]);
    }
    interface IAllocation {
        function setSlashingManager(address manager) external;
        function peers() external view returns (address, address, address);
        function setDeallocationDelay(uint64 delay) external;
        function applyDeallocationDelay() external;
        function deallocationDelay() external view returns (uint64);
        function scheduledDeallocationDelay() external view returns (uint64, uint64);
        function setAllocationDelay(uint64 delay) external;
        function applyAllocationDelay(address operator) external;
        function allocationDelay(address operator) external view returns (uint64);
        function allocate(uint64 setId, uint64 magnitude) external;
        function settleAllocation(address operator, uint64 setId) external;
        function allocation(address operator, uint64 setId) external view returns (uint64, uint64, uint64);
        function magnitudes(address operator) external view returns (uint64, uint64);
        function encumberedMagnitude(address operator) external view returns (uint64);
        function slashableMagnitude(address operator, uint64 setId, uint64 at) external view returns (uint64, uint64);
        function slashableStake(address operator, uint64 setId, uint64 at) external view returns (uint256);
        function applySlash(address operator, uint64 setId, uint256 wad) external returns (uint64, uint64);
    }
    interface ISlashing {
        function peers() external view returns (address, address, address);
        function requestSlash(address operator, uint64 setId, uint256 wad, bytes32 evidence) external returns (uint64);
        function vetoSlash(uint64 requestId) external;
        function executeSlash(uint64 requestId) external returns (uint256);
        function slashRequest(uint64 requestId) external view returns (address, uint64, uint256, uint64, uint8);
        function requestCount() external view returns (uint64);
    }
    interface IRewards {
        function minDuration() external view returns (uint64);
        function isRewardToken(address token) external view returns (bool);
        function setRewardToken(address token, bool listed) external;
        function submitReward(uint64 setId, address operator, address asset, uint256 amount, uint64 duration) external payable;
    }
}

fn run<C>(input: Vec<u8>, vm: VM) -> ArbResult
where
    C: stylus_sdk::abi::Router<C>
        + stylus_sdk::storage::StorageType
        + stylus_sdk::stylus_core::storage::TopLevelStorage
        + std::borrow::BorrowMut<<C as stylus_sdk::abi::Router<C>>::Storage>
        + stylus_sdk::stylus_core::ValueDenier,
{
    router_entrypoint::<C, C>(input, vm)
}

/// The world handle used by tests.
#[derive(Clone)]
pub struct World {
    pub w: WorldRef,
}

/// The revert data's 4-byte selector, or empty.
pub fn selector_of(revert: &[u8]) -> [u8; 4] {
    revert
        .get(..4)
        .and_then(|s| s.try_into().ok())
        .unwrap_or_default()
}

impl World {
    /// An empty world at time [`T0`].
    pub fn empty() -> Self {
        let w = Rc::new(RefCell::new(WorldState {
            now: T0,
            ..Default::default()
        }));
        World { w }
    }

    /// Adds a real contract at `at`, run by `runner`.
    pub fn add_contract(&self, at: Address, runner: Runner) -> TestVM {
        let vm = TestVM::new();
        vm.set_contract_address(at);
        let host = CoreHost {
            vm: vm.clone(),
            world: self.w.clone(),
            ret: Rc::new(RefCell::new(Vec::new())),
        };
        self.w
            .borrow_mut()
            .contracts
            .insert(at, Entry { host, run: runner });
        vm
    }

    /// The TestVM of the contract at `at` (storage, logs).
    pub fn vm(&self, at: Address) -> TestVM {
        self.w.borrow().contracts[&at].host.vm.clone()
    }

    /// A raw call (a transaction from `from`).
    pub fn raw(&self, from: Address, to: Address, data: Vec<u8>, value: U256) -> ArbResult {
        world_call(&self.w, from, to, data, value)
    }

    /// A typed call; `Ok` with the decoded return, or `Err` with the revert data.
    pub fn call<C: SolCall>(&self, from: Address, to: Address, c: C) -> Result<C::Return, Vec<u8>> {
        self.call_value(from, to, c, U256::ZERO)
    }

    /// A typed call sending `value` wei.
    pub fn call_value<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        c: C,
        value: U256,
    ) -> Result<C::Return, Vec<u8>> {
        let out = self.raw(from, to, c.abi_encode(), value)?;
        Ok(C::abi_decode_returns(&out)
            .unwrap_or_else(|e| panic!("{}: bad return {e}", C::SIGNATURE)))
    }

    /// A typed call that must succeed.
    pub fn ok<C: SolCall>(&self, from: Address, to: Address, c: C) -> C::Return {
        let sig = C::SIGNATURE;
        self.call(from, to, c)
            .unwrap_or_else(|e| panic!("{sig} reverted: {}", describe(&e)))
    }

    /// A typed call sending `value` wei that must succeed.
    pub fn ok_value<C: SolCall>(&self, from: Address, to: Address, c: C, value: U256) -> C::Return {
        let sig = C::SIGNATURE;
        self.call_value(from, to, c, value)
            .unwrap_or_else(|e| panic!("{sig} reverted: {}", describe(&e)))
    }

    /// A typed call that must fail with error `E`; returns the decoded error.
    pub fn err<E: SolError, C: SolCall>(&self, from: Address, to: Address, c: C) -> E {
        self.err_value::<E, C>(from, to, c, U256::ZERO)
    }

    /// As [`Self::err`] with value.
    pub fn err_value<E: SolError, C: SolCall>(
        &self,
        from: Address,
        to: Address,
        c: C,
        value: U256,
    ) -> E {
        let sig = C::SIGNATURE;
        match self.call_value(from, to, c, value) {
            Ok(_) => panic!("{sig} succeeded, expected {}", E::SIGNATURE),
            Err(data) => E::abi_decode(&data).unwrap_or_else(|_| {
                panic!("{sig}: expected {}, got {}", E::SIGNATURE, describe(&data))
            }),
        }
    }

    /// A typed view (static call from the zero address).
    pub fn view<C: SolCall>(&self, to: Address, c: C) -> C::Return {
        self.ok(Address::ZERO, to, c)
    }

    pub fn now(&self) -> u64 {
        self.w.borrow().now
    }

    pub fn warp(&self, dt: u64) {
        self.w.borrow_mut().now += dt;
    }

    pub fn set_eth(&self, a: Address, v: U256) {
        self.w.borrow_mut().eth.insert(a, v);
    }

    pub fn eth_of(&self, a: Address) -> U256 {
        self.w.borrow().eth_of(a)
    }

    /// Logs of the contract at `at` decoded as `E`.
    pub fn events<E: SolEvent>(&self, at: Address) -> Vec<E> {
        self.vm(at)
            .get_emitted_logs()
            .into_iter()
            .filter(|(t, _)| t.first() == Some(&E::SIGNATURE_HASH))
            .filter_map(|(t, d)| E::decode_raw_log(t, &d).ok())
            .collect()
    }

    /// Storage of every real contract (to check that a failed call changed nothing).
    pub fn storage_dump(&self) -> Vec<(Address, Vec<(U256, B256)>)> {
        let w = self.w.borrow();
        let mut out: Vec<_> = w
            .contracts
            .iter()
            .map(|(a, e)| {
                let mut s: Vec<_> = e
                    .host
                    .vm
                    .snapshot()
                    .storage
                    .into_iter()
                    .filter(|(_, v)| !v.is_zero())
                    .collect();
                s.sort();
                (*a, s)
            })
            .collect();
        out.sort_by_key(|(a, _)| *a);
        out
    }

    // ----------------------------------------------------------------- fakes

    pub fn add_vault(&self, v: Address, min_reward_duration: u64) {
        let mut fv = FakeVault {
            min_reward_duration,
            ..Default::default()
        };
        fv.stake_managers.insert(SM);
        fv.stake_managers.insert(RC);
        self.w.borrow_mut().vaults.insert(v, fv);
    }

    /// Deposits `amount` ETH of `who` into fake vault `v`; returns shares minted.
    pub fn deposit(&self, v: Address, who: Address, amount: U256) -> U256 {
        let ta = self.total_assets(v);
        let mut w = self.w.borrow_mut();
        let fv = w.vaults.get_mut(&v).unwrap();
        // Virtual offset of one share and one wei: shares rounded down.
        let shares = amount * (fv.total_shares + U256::from(1)) / (ta + U256::from(1));
        fv.total_shares += shares;
        *fv.shares.entry(who).or_default() += shares;
        *fv.balances.entry(ETH).or_default() += amount;
        *w.eth.entry(v).or_default() += amount;
        shares
    }

    /// Adds `units` of a listed token to fake vault `v` (a token deposit).
    pub fn deposit_token(&self, v: Address, t: Address, units: U256) {
        let mut w = self.w.borrow_mut();
        *w.tokens.get_mut(&t).unwrap().balances.entry(v).or_default() += units;
        *w.vaults.get_mut(&v).unwrap().balances.entry(t).or_default() += units;
    }

    pub fn add_token(&self, t: Address) {
        self.w.borrow_mut().tokens.insert(t, FakeToken::default());
    }

    pub fn mint_token(&self, t: Address, to: Address, units: U256) {
        *self
            .w
            .borrow_mut()
            .tokens
            .get_mut(&t)
            .unwrap()
            .balances
            .entry(to)
            .or_default() += units;
    }

    pub fn token_balance(&self, t: Address, who: Address) -> U256 {
        self.w.borrow().tokens[&t]
            .balances
            .get(&who)
            .copied()
            .unwrap_or_default()
    }

    pub fn approve_token(&self, t: Address, owner: Address, spender: Address, units: U256) {
        self.w
            .borrow_mut()
            .tokens
            .get_mut(&t)
            .unwrap()
            .allowances
            .insert((owner, spender), units);
    }

    pub fn list_token(&self, v: Address, t: Address, provider: Address, rate: U256) {
        let mut w = self.w.borrow_mut();
        w.rates.insert(provider, FakeRate { rate, fail: false });
        let fv = w.vaults.get_mut(&v).unwrap();
        fv.tokens.push(t);
        fv.providers.insert(t, provider);
    }

    pub fn total_assets(&self, v: Address) -> U256 {
        self.w.borrow().total_assets(v)
    }

    /// Queues a withdrawal of `shares` of `who` in fake vault `v`; returns its index.
    pub fn request_withdrawal(&self, v: Address, who: Address, shares: U256) -> usize {
        let ta = self.total_assets(v);
        let mut w = self.w.borrow_mut();
        let fv = w.vaults.get_mut(&v).unwrap();
        let assets = shares * (ta + U256::from(1)) / (fv.total_shares + U256::from(1));
        *fv.shares.get_mut(&who).unwrap() -= shares;
        fv.withdrawals.push(Withdrawal {
            owner: who,
            shares,
            assets_at_request: assets,
            claimed: false,
        });
        fv.withdrawals.len() - 1
    }

    /// Claims withdrawal `i`: pays min(value at request, value now) in ETH; returns it.
    pub fn claim_withdrawal(&self, v: Address, i: usize) -> U256 {
        let ta = self.total_assets(v);
        let mut w = self.w.borrow_mut();
        let fv = w.vaults.get_mut(&v).unwrap();
        let wd = fv.withdrawals[i].clone();
        assert!(!wd.claimed);
        let now_value = wd.shares * (ta + U256::from(1)) / (fv.total_shares + U256::from(1));
        let paid = now_value.min(wd.assets_at_request);
        fv.withdrawals[i].claimed = true;
        fv.total_shares -= wd.shares;
        *fv.balances.get_mut(&ETH).unwrap() -= paid;
        *w.eth.get_mut(&v).unwrap() -= paid;
        *w.eth.entry(wd.owner).or_default() += paid;
        paid
    }

    /// Value of `who`'s shares in fake vault `v` now.
    pub fn value_of(&self, v: Address, who: Address) -> U256 {
        let ta = self.total_assets(v);
        let w = self.w.borrow();
        let fv = &w.vaults[&v];
        let s = fv.shares.get(&who).copied().unwrap_or_default();
        s * (ta + U256::from(1)) / (fv.total_shares + U256::from(1))
    }
}

/// Human-readable revert data (selector of a known error, or the bytes).
pub fn describe(data: &[u8]) -> String {
    if data.is_empty() {
        return "empty revert".into();
    }
    format!("revert 0x{}", alloy_primitives::hex::encode(data))
}

/// A deployed core: registry, delegation, allocation, slashing and rewards, wired together,
/// with [`PAUSER`] holding the pauser role everywhere.
pub fn deploy() -> World {
    let world = World::empty();
    world.add_contract(REG, run::<OperatorRegistry>);
    world.add_contract(DM, run::<DelegationManager>);
    world.add_contract(AM, run::<AllocationManager>);
    world.add_contract(SM, run::<SlashingManager>);
    world.add_contract(RC, run::<RewardsCoordinator>);
    construct(&world, REG, (ADMIN, FEE_DELAY).abi_encode_params()).unwrap();
    construct(&world, DM, (ADMIN, REG).abi_encode_params()).unwrap();
    construct(
        &world,
        AM,
        (ADMIN, REG, DM, DEALLOC_DELAY).abi_encode_params(),
    )
    .unwrap();
    construct(&world, SM, (ADMIN, REG, AM, DM).abi_encode_params()).unwrap();
    construct(
        &world,
        RC,
        (ADMIN, REG, AM, DM, MIN_REWARD).abi_encode_params(),
    )
    .unwrap();
    world.ok(
        ADMIN,
        REG,
        IRegistry::setAllocationManagerCall { manager: AM },
    );
    world.ok(
        ADMIN,
        DM,
        IDelegation::setPeersCall {
            allocationManager: AM,
            slashingManager: SM,
        },
    );
    world.ok(
        ADMIN,
        AM,
        IAllocation::setSlashingManagerCall { manager: SM },
    );
    for c in [REG, DM, AM, SM, RC] {
        world.ok(
            ADMIN,
            c,
            IAdmin::grantRoleCall {
                role: restake_shared::access::PAUSER_ROLE,
                account: PAUSER,
            },
        );
    }
    world
}

/// Runs a constructor with ABI-encoded `args` as the StylusDeployer would.
pub fn construct(world: &World, at: Address, args: Vec<u8>) -> ArbResult {
    let mut data = stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes().to_vec();
    data.extend(args);
    world.raw(DEPLOYER, at, data, U256::ZERO)
}

/// A service `n` with one operator set (id returned): slasher(n), resolver(n), payout(n),
/// the given cap and veto window, auto-accept on.
pub fn service_with_set(world: &World, n: u8, max_slash_bps: u16, veto_window: u64) -> u64 {
    let s = service(n);
    // Registering twice fails harmlessly.
    let _ = world.call(s, REG, IRegistry::registerServiceCall {});
    world.ok(
        s,
        REG,
        IRegistry::configureSetCall {
            setId: 0,
            slasher: slasher(n),
            resolver: resolver(n),
            payout: payout(n),
            maxSlashBps: max_slash_bps,
            vetoWindow: veto_window,
            autoAccept: true,
        },
    )
}

/// Registers operator `n` with `fee_bps`.
pub fn register_operator(world: &World, n: u8, fee_bps: u16) {
    world.ok(
        operator(n),
        REG,
        IRegistry::registerOperatorCall { feeBps: fee_bps },
    );
}

/// Registers fake vault `n` (manager(n)) with the delegation manager.
pub fn register_vault(world: &World, n: u8) {
    world.add_vault(vault(n), DAY);
    world.ok(
        ADMIN,
        DM,
        IDelegation::registerVaultCall {
            vault: vault(n),
            manager: manager(n),
        },
    );
}

/// Caps and delegates `amount` of vault `v` to operator `o`.
pub fn delegate(world: &World, v: u8, o: u8, amount: U256) {
    world.ok(
        ADMIN,
        DM,
        IDelegation::setDelegationCapCall {
            vault: vault(v),
            operator: operator(o),
            cap: U256::MAX,
        },
    );
    world.ok(
        manager(v),
        DM,
        IDelegation::setDelegationCall {
            vault: vault(v),
            operator: operator(o),
            amount,
        },
    );
}

/// Operator `o` joins `set` and allocates `magnitude`, then the allocation delay passes.
pub fn allocate(world: &World, o: u8, set: u64, magnitude: u64) {
    if world.view(
        REG,
        IRegistry::membershipCall {
            setId: set,
            operator: operator(o),
        },
    ) != 2
    {
        world.ok(
            operator(o),
            REG,
            IRegistry::joinCall {
                setId: set,
                operator: operator(o),
            },
        );
    }
    world.ok(
        operator(o),
        AM,
        IAllocation::allocateCall {
            setId: set,
            magnitude,
        },
    );
    world.warp(DAY);
}

/// The standard scenario: one service/set (cap 100%, veto 1 day), operator 1 (fee 10%), vault 1
/// with `assets` ETH from staker 1, all delegated to operator 1, magnitude `magnitude`.
pub fn scenario(assets: u64, magnitude: u64) -> (World, u64) {
    let world = deploy();
    let set = service_with_set(&world, 1, 10_000, DAY);
    register_operator(&world, 1, 1_000);
    register_vault(&world, 1);
    world.deposit(vault(1), staker(1), eth(assets));
    delegate(&world, 1, 1, eth(assets));
    allocate(&world, 1, set, magnitude);
    (world, set)
}

/// Requests a slash of `wad` of operator `o` in `set` by slasher `n`, waits out the veto window
/// `window` and executes it; returns the value taken.
pub fn slash(world: &World, n: u8, o: u8, set: u64, wad: U256, window: u64) -> U256 {
    let id = world.ok(
        slasher(n),
        SM,
        ISlashing::requestSlashCall {
            operator: operator(o),
            setId: set,
            wad,
            evidence: FixedBytes::ZERO,
        },
    );
    world.warp(window);
    world.ok(
        acct(0xee, 1),
        SM,
        ISlashing::executeSlashCall { requestId: id },
    )
}

pub use alloy_primitives;
pub const MAG: u64 = 1_000_000_000_000_000_000;
pub fn mag_pct(p: u64) -> u64 {
    MAG / 100 * p
}
pub fn wad_pct(p: u64) -> U256 {
    WAD / U256::from(100) * U256::from(p)
}
pub use alloy_sol_types;
