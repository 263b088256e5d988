//! The test world: a clock, ETH balances, the real core contracts (run through their ABI
//! routers on their own `TestVM`s) and in-Rust fakes of vaults, ERC-20 tokens and rate
//! providers. Every call is a transaction frame: when it fails, every contract's storage, every
//! fake and every balance is restored, as on chain.
use std::{
    cell::RefCell,
    collections::{HashMap, HashSet},
    rc::Rc,
};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use restake_shared::NATIVE_ETH;
use stylus_sdk::{host::VM, stylus_core::MessageAccess, testing::TestVM, ArbResult};

use super::host::CoreHost;

/// Shared handle to the world.
pub type WorldRef = Rc<RefCell<WorldState>>;

/// 1e18.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

sol! {
    /// The vault ABI the core uses (a subset of the restaking vault's).
    interface IFakeVault {
        function totalAssets() external view returns (uint256);
        function tokenInfo(address token) external view returns (bool, address, uint256, uint256);
        function tokens() external view returns (address[]);
        function unvestedReward(address asset) external view returns (uint256);
        function slash(address asset, uint256 amount, address recipient) external;
        function notifyReward(address asset, uint256 amount, uint64 duration) external payable;
    }
    /// ERC-20 subset.
    interface IFakeToken {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }
    /// Rate provider.
    interface IFakeRate {
        function getRate() external view returns (uint256);
    }
}

/// A linear reward stream in a fake vault.
#[derive(Clone, Debug)]
pub struct Stream {
    /// Asset of the reward.
    pub asset: Address,
    /// Amount streamed.
    pub amount: U256,
    /// Start time.
    pub start: u64,
    /// End time.
    pub end: u64,
}

/// A queued withdrawal in a fake vault.
#[derive(Clone, Debug)]
pub struct Withdrawal {
    /// Who gets paid.
    pub owner: Address,
    /// Escrowed shares.
    pub shares: U256,
    /// Value of the shares when requested.
    pub assets_at_request: U256,
    /// Claimed already.
    pub claimed: bool,
}

/// A fake of the restaking vault with the same accounting rules the core relies on.
#[derive(Clone, Debug, Default)]
pub struct FakeVault {
    /// Accounts allowed to slash and notify rewards.
    pub stake_managers: HashSet<Address>,
    /// Units held per asset (ETH under the ETH marker), unvested rewards included.
    pub balances: HashMap<Address, U256>,
    /// Listed tokens in listing order.
    pub tokens: Vec<Address>,
    /// Token => rate provider.
    pub providers: HashMap<Address, Address>,
    /// Reward streams.
    pub streams: Vec<Stream>,
    /// Shortest vesting period.
    pub min_reward_duration: u64,
    /// Staker shares (escrowed shares are held by the vault itself under the zero address).
    pub shares: HashMap<Address, U256>,
    /// Total shares, escrowed included.
    pub total_shares: U256,
    /// Queued withdrawals.
    pub withdrawals: Vec<Withdrawal>,
    /// Every slash paid: (asset, amount, recipient).
    pub slashed: Vec<(Address, U256, Address)>,
    /// Every reward notified: (asset, amount, duration).
    pub rewards: Vec<(Address, U256, u64)>,
}

impl FakeVault {
    fn unvested(&self, asset: Address, now: u64) -> U256 {
        self.streams
            .iter()
            .filter(|s| s.asset == asset)
            .map(|s| {
                if now >= s.end {
                    U256::ZERO
                } else {
                    let left = U256::from(s.end - now.max(s.start));
                    s.amount * left / U256::from(s.end - s.start)
                }
            })
            .fold(U256::ZERO, |a, b| a + b)
    }

    /// Units of `asset` counted (held minus unvested).
    pub fn counted(&self, asset: Address, now: u64) -> U256 {
        self.balances
            .get(&asset)
            .copied()
            .unwrap_or_default()
            .saturating_sub(self.unvested(asset, now))
    }
}

/// A fake ERC-20.
#[derive(Clone, Debug, Default)]
pub struct FakeToken {
    /// Balances.
    pub balances: HashMap<Address, U256>,
    /// owner => spender => allowance.
    pub allowances: HashMap<(Address, Address), U256>,
}

/// A fake rate provider.
#[derive(Clone, Debug)]
pub struct FakeRate {
    /// Wei per 1e18 units.
    pub rate: U256,
    /// Reverts when true.
    pub fail: bool,
}

/// How a real contract is run.
pub type Runner = fn(Vec<u8>, VM) -> ArbResult;

/// A deployed real contract.
#[derive(Clone)]
pub struct Entry {
    /// Its host.
    pub host: CoreHost,
    /// Its router.
    pub run: Runner,
}

/// Everything in the world.
#[derive(Default)]
pub struct WorldState {
    /// Block timestamp.
    pub now: u64,
    /// ETH balances.
    pub eth: HashMap<Address, U256>,
    /// Real contracts.
    pub contracts: HashMap<Address, Entry>,
    /// Fake vaults.
    pub vaults: HashMap<Address, FakeVault>,
    /// Fake tokens.
    pub tokens: HashMap<Address, FakeToken>,
    /// Fake rate providers.
    pub rates: HashMap<Address, FakeRate>,
}

#[derive(Clone)]
struct Snapshot {
    eth: HashMap<Address, U256>,
    vaults: HashMap<Address, FakeVault>,
    tokens: HashMap<Address, FakeToken>,
    rates: HashMap<Address, FakeRate>,
    storage: Vec<(TestVM, HashMap<U256, B256>)>,
}

impl WorldState {
    /// ETH of `a`.
    pub fn eth_of(&self, a: Address) -> U256 {
        self.eth.get(&a).copied().unwrap_or_default()
    }

    fn move_eth(&mut self, from: Address, to: Address, value: U256) -> bool {
        if value.is_zero() {
            return true;
        }
        let f = self.eth_of(from);
        if f < value {
            return false;
        }
        self.eth.insert(from, f - value);
        let t = self.eth_of(to);
        self.eth.insert(to, t + value);
        true
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            eth: self.eth.clone(),
            vaults: self.vaults.clone(),
            tokens: self.tokens.clone(),
            rates: self.rates.clone(),
            storage: self
                .contracts
                .values()
                .map(|e| (e.host.vm.clone(), e.host.vm.snapshot().storage))
                .collect(),
        }
    }

    fn restore(&mut self, s: Snapshot) {
        self.eth = s.eth;
        self.vaults = s.vaults;
        self.tokens = s.tokens;
        self.rates = s.rates;
        for (vm, storage) in s.storage {
            vm.clear_storage();
            for (k, v) in storage {
                vm.set_storage(k, v);
            }
        }
    }

    /// A vault's rate for `token` (0 when the provider fails).
    pub fn rate_of(&self, vault: &FakeVault, token: Address) -> U256 {
        match vault.providers.get(&token).and_then(|p| self.rates.get(p)) {
            Some(r) if !r.fail => r.rate,
            _ => U256::ZERO,
        }
    }

    /// A fake vault's total assets now (counted ETH plus counted tokens at their rates,
    /// rounded down).
    pub fn total_assets(&self, vault: Address) -> U256 {
        let v = &self.vaults[&vault];
        let mut total = v.counted(NATIVE_ETH, self.now);
        for t in &v.tokens {
            total += v.counted(*t, self.now) * self.rate_of(v, *t) / WAD;
        }
        total
    }

    fn token_move(&mut self, token: Address, from: Address, to: Address, value: U256) -> bool {
        let Some(t) = self.tokens.get_mut(&token) else {
            return false;
        };
        let f = t.balances.get(&from).copied().unwrap_or_default();
        if f < value {
            return false;
        }
        t.balances.insert(from, f - value);
        let b = t.balances.get(&to).copied().unwrap_or_default();
        t.balances.insert(to, b + value);
        true
    }

    fn call_fake(&mut self, from: Address, to: Address, value: U256, data: &[u8]) -> ArbResult {
        let ok_true = || Ok(alloy_sol_types::SolValue::abi_encode(&true));
        let now = self.now;
        if data.len() < 4 {
            // Plain ETH transfer to an account: accepted (value already moved).
            return if self.vaults.contains_key(&to) || self.tokens.contains_key(&to) {
                Err(vec![])
            } else {
                Ok(vec![])
            };
        }
        let sel: [u8; 4] = data[..4].try_into().map_err(|_| vec![])?;
        if let Some(v) = self.vaults.get(&to) {
            match sel {
                IFakeVault::totalAssetsCall::SELECTOR => {
                    return Ok(IFakeVault::totalAssetsCall::abi_encode_returns(
                        &self.total_assets(to),
                    ));
                }
                IFakeVault::tokenInfoCall::SELECTOR => {
                    let c = IFakeVault::tokenInfoCall::abi_decode(data).map_err(|_| vec![])?;
                    let listed = v.tokens.contains(&c.token);
                    let provider = v.providers.get(&c.token).copied().unwrap_or_default();
                    let bal = v.balances.get(&c.token).copied().unwrap_or_default();
                    return Ok(alloy_sol_types::SolValue::abi_encode_params(&(
                        listed,
                        provider,
                        U256::MAX,
                        bal,
                    )));
                }
                IFakeVault::tokensCall::SELECTOR => {
                    return Ok(IFakeVault::tokensCall::abi_encode_returns(
                        &v.tokens.clone(),
                    ));
                }
                IFakeVault::unvestedRewardCall::SELECTOR => {
                    let c = IFakeVault::unvestedRewardCall::abi_decode(data).map_err(|_| vec![])?;
                    return Ok(IFakeVault::unvestedRewardCall::abi_encode_returns(
                        &v.unvested(c.asset, now),
                    ));
                }
                IFakeVault::slashCall::SELECTOR => {
                    let c = IFakeVault::slashCall::abi_decode(data).map_err(|_| vec![])?;
                    if !v.stake_managers.contains(&from)
                        || c.recipient.is_zero()
                        || c.amount.is_zero()
                        || c.amount > v.counted(c.asset, now)
                        || !value.is_zero()
                    {
                        return Err(b"slash refused".to_vec());
                    }
                    let moved = if c.asset == NATIVE_ETH {
                        self.move_eth(to, c.recipient, c.amount)
                    } else {
                        self.token_move(c.asset, to, c.recipient, c.amount)
                    };
                    if !moved {
                        return Err(b"slash transfer".to_vec());
                    }
                    let v = self.vaults.get_mut(&to).ok_or_else(Vec::new)?;
                    let b = v.balances.get(&c.asset).copied().unwrap_or_default();
                    v.balances.insert(c.asset, b - c.amount);
                    v.slashed.push((c.asset, c.amount, c.recipient));
                    return Ok(vec![]);
                }
                IFakeVault::notifyRewardCall::SELECTOR => {
                    let c = IFakeVault::notifyRewardCall::abi_decode(data).map_err(|_| vec![])?;
                    if !v.stake_managers.contains(&from) || c.amount.is_zero() {
                        return Err(b"reward refused".to_vec());
                    }
                    if c.asset == NATIVE_ETH {
                        if value != c.amount {
                            return Err(b"reward value".to_vec());
                        }
                    } else {
                        if !value.is_zero() || !v.tokens.contains(&c.asset) {
                            return Err(b"reward token".to_vec());
                        }
                        let t = self.tokens.get_mut(&c.asset).ok_or_else(Vec::new)?;
                        let allowed = t.allowances.get(&(from, to)).copied().unwrap_or_default();
                        if allowed < c.amount {
                            return Err(b"reward allowance".to_vec());
                        }
                        t.allowances.insert((from, to), allowed - c.amount);
                        if !self.token_move(c.asset, from, to, c.amount) {
                            return Err(b"reward pull".to_vec());
                        }
                    }
                    let v = self.vaults.get_mut(&to).ok_or_else(Vec::new)?;
                    let d = c.duration.max(v.min_reward_duration);
                    let b = v.balances.get(&c.asset).copied().unwrap_or_default();
                    v.balances.insert(c.asset, b + c.amount);
                    v.streams.push(Stream {
                        asset: c.asset,
                        amount: c.amount,
                        start: now,
                        end: now + d.max(1),
                    });
                    v.rewards.push((c.asset, c.amount, c.duration));
                    return Ok(vec![]);
                }
                _ => return Err(vec![]),
            }
        }
        if self.tokens.contains_key(&to) {
            if !value.is_zero() {
                return Err(vec![]);
            }
            match sel {
                IFakeToken::transferCall::SELECTOR => {
                    let c = IFakeToken::transferCall::abi_decode(data).map_err(|_| vec![])?;
                    return if self.token_move(to, from, c.to, c.value) {
                        ok_true()
                    } else {
                        Err(vec![])
                    };
                }
                IFakeToken::transferFromCall::SELECTOR => {
                    let c = IFakeToken::transferFromCall::abi_decode(data).map_err(|_| vec![])?;
                    let t = self.tokens.get_mut(&to).ok_or_else(Vec::new)?;
                    let allowed = t
                        .allowances
                        .get(&(c.from, from))
                        .copied()
                        .unwrap_or_default();
                    if allowed < c.value {
                        return Err(vec![]);
                    }
                    t.allowances.insert((c.from, from), allowed - c.value);
                    return if self.token_move(to, c.from, c.to, c.value) {
                        ok_true()
                    } else {
                        Err(vec![])
                    };
                }
                IFakeToken::approveCall::SELECTOR => {
                    let c = IFakeToken::approveCall::abi_decode(data).map_err(|_| vec![])?;
                    let t = self.tokens.get_mut(&to).ok_or_else(Vec::new)?;
                    t.allowances.insert((from, c.spender), c.value);
                    return ok_true();
                }
                IFakeToken::balanceOfCall::SELECTOR => {
                    let c = IFakeToken::balanceOfCall::abi_decode(data).map_err(|_| vec![])?;
                    let b = self.tokens[&to]
                        .balances
                        .get(&c.account)
                        .copied()
                        .unwrap_or_default();
                    return Ok(IFakeToken::balanceOfCall::abi_encode_returns(&b));
                }
                _ => return Err(vec![]),
            }
        }
        if let Some(r) = self.rates.get(&to) {
            if sel == IFakeRate::getRateCall::SELECTOR && !r.fail {
                return Ok(IFakeRate::getRateCall::abi_encode_returns(&r.rate));
            }
            return Err(vec![]);
        }
        // An account without code: any call succeeds with no data (as on chain).
        Ok(vec![])
    }
}

/// One call frame from `from` to `to`: moves `value`, runs the callee, and undoes everything
/// when it fails.
pub fn world_call(
    world: &WorldRef,
    from: Address,
    to: Address,
    data: Vec<u8>,
    value: U256,
) -> ArbResult {
    let snap = world.borrow().snapshot();
    if !world.borrow_mut().move_eth(from, to, value) {
        return Err(vec![]);
    }
    let entry = world.borrow().contracts.get(&to).cloned();
    let r = match entry {
        Some(e) => {
            let prev = (e.host.vm.msg_sender(), e.host.vm.msg_value());
            e.host.vm.set_sender(from);
            e.host.vm.set_value(value);
            let r = (e.run)(
                data,
                VM {
                    host: Box::new(e.host.clone()),
                },
            );
            e.host.vm.set_sender(prev.0);
            e.host.vm.set_value(prev.1);
            r
        }
        None => world.borrow_mut().call_fake(from, to, value, &data),
    };
    if r.is_err() {
        world.borrow_mut().restore(snap);
    }
    r
}
