//! Source side: fees per destination, outbound nonces, `send` and fee withdrawal.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use restake_oapp::packet::{address_to_bytes32, encode_packet, Header};
use restake_shared::{access::invalid_account, math};
use stylus_sdk::{
    call::transfer::transfer_eth,
    prelude::*,
    storage::{Erase, StorageAddress, StorageMap, StorageU256, StorageU64, StorageVec},
};

use crate::contract::{path_key, Endpoint};
use crate::{
    DstConfigSet, EndpointError, EndpointInsufficientFee, EndpointInvalidVerifier,
    EndpointInvalidVerifierList, EndpointMessageTooLarge, EndpointTransferFailed,
    EndpointUnsupportedEid, FeesWithdrawn, PacketSent, MAX_MESSAGE_LEN, MAX_VERIFIERS,
};

/// What sending to one destination costs and whom it pays.
#[storage]
pub struct DstConfig {
    /// Verifiers paid per message. Invariant: same length as `fees`, at most
    /// [`MAX_VERIFIERS`], no zero address.
    verifiers: StorageVec<StorageAddress>,
    /// Fee (wei) of each verifier, by index.
    fees: StorageVec<StorageU256>,
    /// The executor paid per message; zero = destination not supported.
    executor: StorageAddress,
    /// The executor's fee (wei).
    executor_fee: StorageU256,
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
        for i in 0..cfg.fees.len() {
            total = math::add(total, cfg.fees.get(i).unwrap_or_default())?;
        }
        Ok(total)
    }

    /// Verifiers, their fees, the executor and its fee for `dst_eid`.
    pub fn dst_config(&self, dst_eid: u32) -> (Vec<Address>, Vec<U256>, Address, U256) {
        let cfg = self.dst.getter(dst_eid);
        let n = cfg.verifiers.len();
        let verifiers = (0..n).filter_map(|i| cfg.verifiers.get(i)).collect();
        let fees = (0..n).filter_map(|i| cfg.fees.get(i)).collect();
        (verifiers, fees, cfg.executor.get(), cfg.executor_fee.get())
    }

    /// Credits every fee of `dst_eid` to its recipient.
    ///
    /// # Errors
    /// `MathOverflow`.
    fn accrue(&mut self, dst_eid: u32) -> Result<(), EndpointError> {
        let (verifiers, fees, executor, executor_fee) = self.dst_config(dst_eid);
        for (v, f) in verifiers.into_iter().zip(fees) {
            self.credit(v, f)?;
        }
        self.credit(executor, executor_fee)
    }

    fn credit(&mut self, to: Address, amount: U256) -> Result<(), EndpointError> {
        if !amount.is_zero() {
            let next = math::add(self.accrued.get(to), amount)?;
            self.accrued.setter(to).set(next);
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

    /// Replaces the fee configuration of `dst_eid` (caller checked).
    pub(crate) fn _set_dst_config(
        &mut self,
        dst_eid: u32,
        verifiers: Vec<Address>,
        fees: Vec<U256>,
        executor: Address,
        executor_fee: U256,
    ) -> Result<(), EndpointError> {
        if verifiers.len() != fees.len() || verifiers.len() > MAX_VERIFIERS {
            return Err(EndpointError::InvalidVerifierList(
                EndpointInvalidVerifierList {
                    count: U256::from(verifiers.len()),
                },
            ));
        }
        if let Some(v) = verifiers.iter().find(|v| v.is_zero()) {
            return Err(EndpointError::InvalidVerifier(EndpointInvalidVerifier {
                verifier: *v,
            }));
        }
        if executor.is_zero() && !executor_fee.is_zero() {
            return Err(invalid_account(executor).into());
        }
        let mut cfg = self.outbound.dst.setter(dst_eid);
        cfg.verifiers.erase();
        cfg.fees.erase();
        for (v, f) in verifiers.iter().zip(fees.iter()) {
            cfg.verifiers.push(*v);
            cfg.fees.push(*f);
        }
        cfg.executor.set(executor);
        cfg.executor_fee.set(executor_fee);
        self.vm().log(DstConfigSet {
            dstEid: dst_eid,
            verifiers,
            fees,
            executor,
            executorFee: executor_fee,
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
            .ok_or(EndpointError::Overflow(restake_shared::math::MathOverflow {}))?;
        self.outbound.nonces.setter(key).set(alloy_primitives::U64::from(nonce));
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
