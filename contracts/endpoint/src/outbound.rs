//! Source side: fees per destination, outbound nonces, `send` and fee withdrawal.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Uint, B256, U256};
use restake_oapp::packet::{address_to_bytes32, encode_packet, path_key, Header};
use restake_shared::{access::invalid_account, math};
use stylus_sdk::{
    call::transfer::transfer_eth,
    prelude::*,
    storage::{StorageAddress, StorageArray, StorageMap, StorageU256, StorageU64, StorageU8},
};

use crate::contract::Endpoint;
use crate::{
    DstConfigSet, EndpointError, EndpointInsufficientFee, EndpointMessageTooLarge,
    EndpointTooManyVerifiers, EndpointTransferFailed, EndpointUnsupportedEid, FeesWithdrawn,
    PacketSent, VerifierFeeSet, MAX_MESSAGE_LEN, MAX_VERIFIERS,
};

/// What sending to one destination costs and whom it pays.
#[storage]
pub struct DstConfig {
    /// The verifiers paid per message, at indices `0..count`. Invariant: no zero address, no
    /// duplicate, each with a non-zero fee in `fees`; entries at `count` and above are stale.
    verifiers: StorageArray<StorageAddress, MAX_VERIFIERS>,
    /// Number of paid verifiers (at most [`MAX_VERIFIERS`]).
    count: StorageU8,
    /// Verifier => fee (wei); non-zero exactly for the listed verifiers.
    fees: StorageMap<Address, StorageU256>,
    /// The executor paid per message; zero = destination not supported.
    executor: StorageAddress,
    /// The executor's fee (wei). Zero when there is no executor.
    executor_fee: StorageU256,
}

impl DstConfig {
    fn count(&self) -> usize {
        usize::from(self.count.get().to::<u8>())
    }

    fn verifier(&self, i: usize) -> Address {
        self.verifiers.get(i).unwrap_or_default()
    }
}

/// Source-side state.
#[storage]
pub struct Outbound {
    /// `path_key(sender, dstEid, receiver)` => last nonce sent (0 before the first message).
    /// Invariant: goes up by exactly one per `send` on the path, never down.
    nonces: StorageMap<B256, StorageU64>,
    /// Destination endpoint id => fee configuration. Changed only by the admin.
    dst: StorageMap<u32, DstConfig>,
    /// Fee recipient => fees accrued and not withdrawn. Invariant: the endpoint's balance is at
    /// least the sum of these.
    accrued: StorageMap<Address, StorageU256>,
}

impl Outbound {
    /// Last nonce sent on the path `key`.
    pub fn nonce(&self, key: B256) -> u64 {
        self.nonces.get(key).to()
    }

    /// Fees accrued to `account`.
    pub fn accrued(&self, account: Address) -> U256 {
        self.accrued.get(account)
    }

    /// The fee of one message to `dst_eid`.
    ///
    /// # Errors
    /// `EndpointUnsupportedEid` (no executor), `MathOverflow`.
    pub fn fee(&self, dst_eid: u32) -> Result<U256, EndpointError> {
        let cfg = self.dst.getter(dst_eid);
        if cfg.executor.get().is_zero() {
            return Err(EndpointError::UnsupportedEid(EndpointUnsupportedEid {
                dstEid: dst_eid,
            }));
        }
        let mut total = cfg.executor_fee.get();
        for i in 0..cfg.count() {
            total = math::add(total, cfg.fees.get(cfg.verifier(i)))?;
        }
        Ok(total)
    }

    /// Credits every fee of `dst_eid` to its recipient.
    ///
    /// # Errors
    /// `MathOverflow`.
    fn accrue(&mut self, dst_eid: u32) -> Result<(), EndpointError> {
        let cfg = self.dst.getter(dst_eid);
        let mut pay: Vec<(Address, U256)> = (0..cfg.count())
            .map(|i| {
                let v = cfg.verifier(i);
                (v, cfg.fees.get(v))
            })
            .collect();
        pay.push((cfg.executor.get(), cfg.executor_fee.get()));
        for (to, amount) in pay {
            if !amount.is_zero() {
                let next = math::add(self.accrued.get(to), amount)?;
                self.accrued.setter(to).set(next);
            }
        }
        Ok(())
    }
}

impl Endpoint {
    /// Checks a message length.
    pub(crate) fn check_len(len: usize) -> Result<(), EndpointError> {
        if len > MAX_MESSAGE_LEN {
            return Err(EndpointError::MessageTooLarge(EndpointMessageTooLarge {
                length: U256::from(len),
            }));
        }
        Ok(())
    }

    /// Sets the executor of `dst_eid` and its fee (caller checked).
    pub(crate) fn _set_dst_config(
        &mut self,
        dst_eid: u32,
        executor: Address,
        executor_fee: U256,
    ) -> Result<(), EndpointError> {
        if executor.is_zero() && !executor_fee.is_zero() {
            return Err(invalid_account(executor).into());
        }
        let mut cfg = self.outbound.dst.setter(dst_eid);
        cfg.executor.set(executor);
        cfg.executor_fee.set(executor_fee);
        self.vm().log(DstConfigSet {
            dstEid: dst_eid,
            executor,
            executorFee: executor_fee,
        });
        Ok(())
    }

    /// Adds `verifier` to the paid verifiers of `dst_eid`, changes its fee, or removes it
    /// (zero fee) (caller checked).
    pub(crate) fn _set_verifier_fee(
        &mut self,
        dst_eid: u32,
        verifier: Address,
        fee: U256,
    ) -> Result<(), EndpointError> {
        if verifier.is_zero() {
            return Err(invalid_account(verifier).into());
        }
        let mut cfg = self.outbound.dst.setter(dst_eid);
        let n = cfg.count();
        let listed = (0..n).position(|i| cfg.verifier(i) == verifier);
        match (listed, fee.is_zero()) {
            (None, false) => {
                if n >= MAX_VERIFIERS {
                    return Err(EndpointError::TooManyVerifiers(EndpointTooManyVerifiers {}));
                }
                if let Some(mut slot) = cfg.verifiers.setter(n) {
                    slot.set(verifier);
                }
                // n < MAX_VERIFIERS (16), so n + 1 fits a byte.
                cfg.count.set(Uint::from(n as u8 + 1));
            }
            (Some(i), true) => {
                // Swap-remove: the last verifier takes the removed one's index.
                let last = cfg.verifier(n - 1);
                if let Some(mut slot) = cfg.verifiers.setter(i) {
                    slot.set(last);
                }
                cfg.count.set(Uint::from(n as u8 - 1));
            }
            _ => {}
        }
        cfg.fees.setter(verifier).set(fee);
        self.vm().log(VerifierFeeSet {
            dstEid: dst_eid,
            verifier,
            fee,
        });
        Ok(())
    }

    /// `send` after the pause and reentrancy checks: effects first, then the refund.
    pub(crate) fn _send(
        &mut self,
        dst_eid: u32,
        receiver: Address,
        message: Vec<u8>,
        refund_to: Address,
    ) -> Result<(B256, u64), EndpointError> {
        Self::check_len(message.len())?;
        if receiver.is_zero() {
            return Err(invalid_account(receiver).into());
        }
        let sender = self.vm().msg_sender();
        let receiver32 = address_to_bytes32(receiver);
        let key = path_key(self.vm(), sender, dst_eid, receiver32);
        self.check_path(key, sender, dst_eid, receiver32)?;
        let fee = self.outbound.fee(dst_eid)?;
        let paid = self.vm().msg_value();
        let excess = paid.checked_sub(fee).ok_or(EndpointError::InsufficientFee(
            EndpointInsufficientFee {
                required: fee,
                provided: paid,
            },
        ))?;
        if !excess.is_zero() && refund_to.is_zero() {
            return Err(invalid_account(refund_to).into());
        }
        let nonce = self
            .outbound
            .nonce(key)
            .checked_add(1)
            .ok_or(EndpointError::Overflow(
                restake_shared::math::MathOverflow {},
            ))?;
        self.outbound
            .nonces
            .setter(key)
            .set(alloy_primitives::U64::from(nonce));
        self.outbound.accrue(dst_eid)?;
        let header = Header {
            nonce,
            src_eid: self.eid.get().to(),
            sender: address_to_bytes32(sender),
            dst_eid,
            receiver: receiver32,
        };
        let guid = header.guid(self.vm());
        self.vm().log(PacketSent {
            encodedPacket: encode_packet(&header.encode(), guid, &message).into(),
            sender,
            dstEid: dst_eid,
            guid,
        });
        if !excess.is_zero() {
            transfer_eth(self.vm(), refund_to, excess).map_err(|_| {
                EndpointError::TransferFailed(EndpointTransferFailed { to: refund_to })
            })?;
        }
        Ok((guid, nonce))
    }

    /// Pays the caller's accrued fees to `to`.
    pub(crate) fn _withdraw_fees(&mut self, to: Address) -> Result<U256, EndpointError> {
        if to.is_zero() {
            return Err(invalid_account(to).into());
        }
        let account = self.vm().msg_sender();
        let amount = self.outbound.accrued(account);
        self.outbound.accrued.setter(account).set(U256::ZERO);
        self.vm().log(FeesWithdrawn {
            account,
            to,
            amount,
        });
        if !amount.is_zero() {
            transfer_eth(self.vm(), to, amount)
                .map_err(|_| EndpointError::TransferFailed(EndpointTransferFailed { to }))?;
        }
        Ok(amount)
    }
}
