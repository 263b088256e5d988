//! The [`RedeemQueue`] contract: storage layout, ABI and the operations behind it.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;
use restake_shared::{
    access::AccessControl, admin::Administered, impl_administered, math::add, pausable::Pausable,
    reentrancy::ReentrancyGuard, NATIVE_ETH,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageU64},
};

use crate::requests::{Request, Requests};
use crate::vault;
use crate::word::{
    addr, boolean, emit, load_addr, load_u64, store_addr, store_u64, u64_word, uint,
};
use crate::*;

/// Settings.
#[storage]
pub struct Settings {
    /// The vault this queue redeems from. Set once by the constructor; never zero after.
    vault: StorageAddress,
    /// Seconds a new request waits before it can be claimed. Within
    /// [`MIN_WITHDRAWAL_DELAY`]..=[`MAX_WITHDRAWAL_DELAY`] once constructed.
    withdrawal_delay: StorageU64,
}

/// The redeem queue.
#[entrypoint]
#[storage]
pub struct RedeemQueue {
    /// Vault address and withdrawal delay.
    settings: Settings,
    /// Requests, per-controller queues and operators.
    requests: Requests,
    /// Held while a function that calls out runs.
    guard: ReentrancyGuard,
    /// Admin and pausers.
    access: AccessControl,
    /// Paused function groups.
    pausable: Pausable,
}

/// `Ok` unless `a` is zero.
fn nonzero(a: Address) -> Result<(), QueueError> {
    if a.is_zero() {
        return Err(QueueError::ZeroAddress(RedeemQueueZeroAddress {}));
    }
    Ok(())
}

#[public]
#[implements(Administered)]
impl RedeemQueue {
    /// Sets the vault, the admin and the withdrawal delay. `admin` is explicit because inside a
    /// constructor the caller is the StylusDeployer contract. The vault's admin must grant this
    /// queue `REDEEM_QUEUE_ROLE` before the first request.
    ///
    /// # Errors
    /// `RedeemQueueZeroAddress` (zero vault), `AccessControlInvalidAccount` (zero admin),
    /// `RedeemQueueInvalidDelay`.
    ///
    /// # Events
    /// `AdminTransferred`, `WithdrawalDelaySet`.
    #[constructor]
    pub fn constructor(
        &mut self,
        vault: Address,
        admin: Address,
        withdrawal_delay: u64,
    ) -> Result<(), QueueError> {
        nonzero(vault)?;
        self.access.init(admin)?;
        store_addr(&mut self.settings.vault, vault);
        self._set_withdrawal_delay(withdrawal_delay)
    }

    /// The vault this queue redeems from.
    pub fn vault(&self) -> Address {
        load_addr(&self.settings.vault)
    }

    /// Seconds a new request waits.
    pub fn withdrawal_delay(&self) -> u64 {
        load_u64(&self.settings.withdrawal_delay)
    }

    /// Escrows `shares` LRT of `owner` in the vault and queues a request paid in ETH. A caller
    /// other than `owner` or its operator spends `owner`'s LRT allowance. Returns the id.
    ///
    /// # Errors
    /// `PausableEnforcedPause`, `RedeemQueueZeroAddress` (controller or owner),
    /// `RedeemQueueZeroAmount` (zero shares, or shares worth nothing), the vault's or the
    /// LRT's errors (passed through; balance or allowance too low), `MathOverflow`,
    /// `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `RedeemRequest`.
    pub fn request_redeem(
        &mut self,
        shares: U256,
        controller: Address,
        owner: Address,
    ) -> Result<U256, QueueError> {
        self.pausable.when_not_paused(GROUP_REQUEST)?;
        self.guarded(|q| q._request(shares, controller, owner, NATIVE_ETH))
    }

    /// As `requestRedeem`, paid in `token` (listed by the vault now or before) at the token's
    /// rate when claimed.
    ///
    /// # Errors
    /// As `requestRedeem`, and `RedeemQueueTokenNotListed`.
    ///
    /// # Events
    /// `RedeemRequest`.
    pub fn request_redeem_token(
        &mut self,
        shares: U256,
        controller: Address,
        owner: Address,
        token: Address,
    ) -> Result<U256, QueueError> {
        self.pausable.when_not_paused(GROUP_REQUEST)?;
        if token == NATIVE_ETH || !vault::token_known(self.vm(), self.vault(), token)? {
            return Err(QueueError::TokenNotListed(RedeemQueueTokenNotListed {
                token,
            }));
        }
        self.guarded(|q| q._request(shares, controller, owner, token))
    }

    /// Shares of request `request_id` still waiting for the delay (zero unless `controller`
    /// controls it and it is unpaid and not yet claimable).
    pub fn pending_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        self.request_shares(request_id, controller, false)
    }

    /// Shares of request `request_id` claimable now (zero unless `controller` controls it and
    /// it is unpaid and past its delay).
    pub fn claimable_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        self.request_shares(request_id, controller, true)
    }

    /// Request `request_id`: (controller, payout asset, shares, value at request in wei,
    /// claimable from, paid). All zero for an unknown id.
    pub fn request_info(&self, request_id: U256) -> (Address, Address, U256, U256, u64, bool) {
        match self.requests.get(request_id) {
            Some(r) => (
                r.controller,
                r.asset,
                r.shares,
                r.assets,
                r.claimable_at,
                r.claimed,
            ),
            None => Default::default(),
        }
    }

    /// ERC-7540: approves or revokes `operator` to request and claim for the caller.
    ///
    /// # Errors
    /// `RedeemQueueZeroAddress` (zero operator).
    ///
    /// # Events
    /// `OperatorSet`.
    pub fn set_operator(&mut self, operator: Address, approved: bool) -> Result<bool, QueueError> {
        nonzero(operator)?;
        let controller = self.vm().msg_sender();
        self.requests.set_operator(controller, operator, approved);
        emit(
            self.vm(),
            &[
                OperatorSet::SIGNATURE_HASH,
                addr(controller),
                addr(operator),
            ],
            &[boolean(approved)],
        );
        Ok(true)
    }

    /// Whether `operator` may act for `controller`.
    pub fn is_operator(&self, controller: Address, operator: Address) -> bool {
        self.requests.is_operator(controller, operator)
    }

    /// Pays request `request_id` to `receiver` through the vault: the smaller of its value at
    /// request time and its shares' value now, in its payout asset; the vault burns the
    /// escrowed LRT. Only the controller or its operator, after the delay, once.
    ///
    /// # Errors
    /// `PausableEnforcedPause`, `RedeemQueueZeroAddress`, `RedeemQueueUnknownRequest`,
    /// `RedeemQueueNotOperator`, `RedeemQueueAlreadyClaimed`, `RedeemQueueNotClaimable`, the
    /// vault's errors (passed through: `VaultInsufficientLiquidity` leaves the request
    /// claimable, `VaultRateUnavailable`, `VaultTransferFailed`), `ReentrancyGuardReentrantCall`.
    ///
    /// # Events
    /// `Withdraw`.
    pub fn claim(&mut self, request_id: U256, receiver: Address) -> Result<U256, QueueError> {
        self.pausable.when_not_paused(GROUP_CLAIM)?;
        self.guarded(|q| q._claim(request_id, receiver))
    }

    /// ERC-7540 `redeem`: claims `controller`'s claimable ETH requests in id order, whole, until
    /// they add up to exactly `shares`; each is paid to `receiver`. The walk skips paid requests
    /// and requests paid in a token (claim those by id) and stops at the first ETH request
    /// still waiting. Only the controller or its operator.
    ///
    /// # Errors
    /// `RedeemQueueZeroAmount`, `RedeemQueueRedeemMismatch` when whole claimable requests do
    /// not add up to `shares`; otherwise as `claim`.
    ///
    /// # Events
    /// One `Withdraw` for the total.
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, QueueError> {
        self.pausable.when_not_paused(GROUP_CLAIM)?;
        self.guarded(|q| q._redeem(shares, receiver, controller))
    }

    /// Admin only: sets the delay of future requests.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `RedeemQueueInvalidDelay`.
    ///
    /// # Events
    /// `WithdrawalDelaySet`.
    pub fn set_withdrawal_delay(&mut self, delay: u64) -> Result<(), QueueError> {
        self.access.only_admin(self.vm().msg_sender())?;
        self._set_withdrawal_delay(delay)
    }
}

impl_administered!(RedeemQueue);

/// State the ABI does not expose, for Rust callers (tests); not part of the program's ABI.
impl RedeemQueue {
    /// Index in `controller`'s request list of its first possibly unpaid request.
    pub fn queue_head(&self, controller: Address) -> usize {
        self.requests.head(controller)
    }
}

// Internal operations: each public function checks access and pausing, then calls one of these.
impl RedeemQueue {
    /// Runs `op` under the reentrancy guard.
    fn guarded<T>(
        &mut self,
        op: impl FnOnce(&mut Self) -> Result<T, QueueError>,
    ) -> Result<T, QueueError> {
        self.guard.enter()?;
        let r = op(self);
        self.guard.exit();
        r
    }

    /// `Ok` when the caller is `account` or its operator.
    fn only_controller(&self, account: Address) -> Result<(), QueueError> {
        let caller = self.vm().msg_sender();
        if caller != account && !self.requests.is_operator(account, caller) {
            return Err(QueueError::NotOperator(RedeemQueueNotOperator {
                caller,
                account,
            }));
        }
        Ok(())
    }

    /// The shares of `id` if `controller` controls it, it is unpaid, and its claimability is
    /// `claimable`.
    fn request_shares(&self, id: U256, controller: Address, claimable: bool) -> U256 {
        match self.requests.get(id) {
            Some(r)
                if r.controller == controller
                    && !r.claimed
                    && (self.vm().block_timestamp() >= r.claimable_at) == claimable =>
            {
                r.shares
            }
            _ => U256::ZERO,
        }
    }

    fn _request(
        &mut self,
        shares: U256,
        controller: Address,
        owner: Address,
        asset: Address,
    ) -> Result<U256, QueueError> {
        nonzero(controller)?;
        nonzero(owner)?;
        if shares.is_zero() {
            return Err(QueueError::ZeroAmount(RedeemQueueZeroAmount {}));
        }
        let sender = self.vm().msg_sender();
        // The owner or its operator moves the owner's LRT without an allowance; anyone else
        // spends the allowance the owner gave it.
        let spender = if sender == owner || self.requests.is_operator(owner, sender) {
            owner
        } else {
            sender
        };
        let vault = self.vault();
        // Rounded down by the vault: a request is worth no more than its shares.
        let assets = vault::convert_to_assets(self.vm(), vault, shares)?;
        if assets.is_zero() {
            return Err(QueueError::ZeroAmount(RedeemQueueZeroAmount {}));
        }
        let claimable_at = self
            .vm()
            .block_timestamp()
            .saturating_add(self.withdrawal_delay());
        let request_id = self.requests.push(&Request {
            controller,
            claimed: false,
            claimable_at,
            asset,
            shares,
            assets,
        })?;
        let ctx = Call::new_mutating(self);
        vault::escrow(self.vm(), ctx, vault, spender, owner, shares)?;
        emit(
            self.vm(),
            &[
                RedeemRequest::SIGNATURE_HASH,
                addr(controller),
                addr(owner),
                uint(request_id),
            ],
            &[addr(sender), uint(shares)],
        );
        Ok(request_id)
    }

    /// Checks that request `id` can be paid now and marks it paid.
    fn check_and_mark(&mut self, id: U256, r: &Request) -> Result<(), QueueError> {
        if r.claimed {
            return Err(QueueError::AlreadyClaimed(RedeemQueueAlreadyClaimed {
                requestId: id,
            }));
        }
        if self.vm().block_timestamp() < r.claimable_at {
            return Err(QueueError::NotClaimable(RedeemQueueNotClaimable {
                requestId: id,
                claimableAt: r.claimable_at,
            }));
        }
        self.requests.mark_claimed(id);
        Ok(())
    }

    /// Has the vault pay `r` to `receiver`; returns the amount paid.
    fn settle(&mut self, r: &Request, receiver: Address) -> Result<U256, QueueError> {
        let vault = self.vault();
        let ctx = Call::new_mutating(self);
        vault::settle(self.vm(), ctx, vault, r.asset, r.assets, r.shares, receiver)
    }

    /// Emits `Withdraw`.
    fn log_withdraw(&self, receiver: Address, controller: Address, assets: U256, shares: U256) {
        let sender = self.vm().msg_sender();
        emit(
            self.vm(),
            &[
                Withdraw::SIGNATURE_HASH,
                addr(sender),
                addr(receiver),
                addr(controller),
            ],
            &[uint(assets), uint(shares)],
        );
    }

    fn _claim(&mut self, id: U256, receiver: Address) -> Result<U256, QueueError> {
        nonzero(receiver)?;
        let r =
            self.requests
                .get(id)
                .ok_or(QueueError::UnknownRequest(RedeemQueueUnknownRequest {
                    requestId: id,
                }))?;
        self.only_controller(r.controller)?;
        self.check_and_mark(id, &r)?;
        let amount = self.settle(&r, receiver)?;
        self.log_withdraw(receiver, r.controller, amount, r.shares);
        Ok(amount)
    }

    fn _redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, QueueError> {
        nonzero(receiver)?;
        if shares.is_zero() {
            return Err(QueueError::ZeroAmount(RedeemQueueZeroAmount {}));
        }
        self.only_controller(controller)?;
        let now = self.vm().block_timestamp();
        let len = self.requests.queue_len(controller);
        let start = self.requests.head(controller);
        // Pass 1 (no state change): pick whole claimable ETH requests in order.
        let mut picked = Vec::new();
        let mut head = start;
        let mut taken = U256::ZERO;
        let mut i = start;
        while i < len && taken < shares {
            let id = self.requests.queue_at(controller, i);
            let Some(r) = self.requests.get(id) else {
                break;
            };
            if !r.claimed {
                if r.asset != NATIVE_ETH {
                    i += 1;
                    continue;
                }
                if now < r.claimable_at {
                    break;
                }
                let next = add(taken, r.shares)?;
                if next > shares {
                    break;
                }
                taken = next;
                picked.push((id, r));
            }
            if head == i {
                head += 1;
            }
            i += 1;
        }
        if taken != shares {
            return Err(QueueError::RedeemMismatch(RedeemQueueRedeemMismatch {
                requested: shares,
                claimable: taken,
            }));
        }
        // Effects: every picked request is marked paid and the head moves before any call.
        for (id, r) in &picked {
            self.check_and_mark(*id, r)?;
        }
        if head != start {
            self.requests.set_head(controller, head);
        }
        // Interactions: the vault pays each request.
        let mut paid = U256::ZERO;
        for (_, r) in &picked {
            paid = add(paid, self.settle(r, receiver)?)?;
        }
        self.log_withdraw(receiver, controller, paid, shares);
        Ok(paid)
    }

    fn _set_withdrawal_delay(&mut self, delay: u64) -> Result<(), QueueError> {
        if !(MIN_WITHDRAWAL_DELAY..=MAX_WITHDRAWAL_DELAY).contains(&delay) {
            return Err(QueueError::InvalidDelay(RedeemQueueInvalidDelay { delay }));
        }
        store_u64(&mut self.settings.withdrawal_delay, delay);
        emit(
            self.vm(),
            &[WithdrawalDelaySet::SIGNATURE_HASH],
            &[u64_word(delay)],
        );
        Ok(())
    }
}
