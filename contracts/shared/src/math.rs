//! Checked fixed-point arithmetic on `U256` with an explicit rounding direction.
//!
//! `U256`'s `+ - *` operators wrap silently, so contracts use these helpers (or `checked_*`)
//! everywhere. Every division states whether it rounds down or up; callers pick the direction
//! that favours the protocol and say so in a comment.
use alloy_primitives::{U256, U512};
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

/// 1e18, the fixed-point unit ("WAD") for rates and fractions.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// 10_000 basis points = 100%.
pub const BPS: U256 = U256::from_limbs([10_000, 0, 0, 0]);

sol! {
    /// An arithmetic operation overflowed `uint256`.
    #[derive(Debug)]
    error MathOverflow();
    /// A division by zero was attempted.
    #[derive(Debug)]
    error MathDivisionByZero();
}

/// Errors of the math helpers.
#[derive(SolidityError, Debug)]
pub enum MathError {
    /// An arithmetic operation overflowed `uint256`.
    Overflow(MathOverflow),
    /// A division by zero was attempted.
    DivisionByZero(MathDivisionByZero),
}

/// Which way a division rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Towards zero (floor).
    Down,
    /// Away from zero (ceiling).
    Up,
}

/// `a + b`, or [`MathError::Overflow`].
///
/// # Errors
/// [`MathError::Overflow`] when the sum exceeds `U256::MAX`.
pub fn add(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_add(b).ok_or(MathError::Overflow(MathOverflow {}))
}

/// `a - b`, or [`MathError::Overflow`] on underflow.
///
/// # Errors
/// [`MathError::Overflow`] when `b > a`.
pub fn sub(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_sub(b).ok_or(MathError::Overflow(MathOverflow {}))
}

/// `a * b`, or [`MathError::Overflow`].
///
/// # Errors
/// [`MathError::Overflow`] when the product exceeds `U256::MAX`.
pub fn mul(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_mul(b).ok_or(MathError::Overflow(MathOverflow {}))
}

/// `a * b / denominator` computed with a 512-bit intermediate, rounded as asked.
///
/// The division is a binary long division over the bits of the product (at most 256 steps of
/// shift, compare and subtract), not `ruint`'s division: that pulls about 30 KB of WASM into a
/// contract, this about 1 KB, for a few hundred gas more per call.
///
/// # Errors
/// [`MathError::DivisionByZero`] when `denominator` is zero; [`MathError::Overflow`] when the
/// rounded result does not fit in 256 bits.
pub fn mul_div(a: U256, b: U256, denominator: U256, rounding: Rounding) -> Result<U256, MathError> {
    if denominator.is_zero() {
        return Err(MathError::DivisionByZero(MathDivisionByZero {}));
    }
    let product: U512 = a.widening_mul(b);
    let limbs = product.as_limbs();
    let lo = U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]]);
    let hi = U256::from_limbs([limbs[4], limbs[5], limbs[6], limbs[7]]);
    // The quotient fits in 256 bits exactly when the high half is below the denominator.
    if hi >= denominator {
        return Err(MathError::Overflow(MathOverflow {}));
    }
    // Invariant: `rem < denominator`. Bits of `lo` above its highest set bit are zero and
    // contribute nothing while `hi` is zero, so the loop starts at the highest set bit.
    let mut rem = hi;
    let mut quotient = U256::ZERO;
    let steps = if hi.is_zero() { lo.bit_len() } else { 256 };
    for i in (0..steps).rev() {
        let carry = rem.bit(255);
        rem <<= 1;
        if lo.bit(i) {
            rem.set_bit(0, true);
        }
        // `carry` means the shifted remainder is at least 2^256 > denominator; the wrapping
        // subtraction then yields the true (smaller than denominator) remainder.
        if carry || rem >= denominator {
            rem = rem.wrapping_sub(denominator);
            quotient.set_bit(i, true);
        }
    }
    if rounding == Rounding::Up && !rem.is_zero() {
        return add(quotient, U256::from(1));
    }
    Ok(quotient)
}

/// `amount * bps / 10_000`, rounded as asked.
///
/// # Errors
/// As [`mul_div`].
pub fn bps_of(amount: U256, bps: U256, rounding: Rounding) -> Result<U256, MathError> {
    mul_div(amount, bps, BPS, rounding)
}

/// `amount * fraction / 1e18` for a WAD fraction, rounded as asked.
///
/// # Errors
/// As [`mul_div`].
pub fn wad_mul(amount: U256, fraction: U256, rounding: Rounding) -> Result<U256, MathError> {
    mul_div(amount, fraction, WAD, rounding)
}

/// `amount * 1e18 / denominator`, rounded as asked.
///
/// # Errors
/// As [`mul_div`].
pub fn wad_div(amount: U256, denominator: U256, rounding: Rounding) -> Result<U256, MathError> {
    mul_div(amount, WAD, denominator, rounding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mul_div_rounds_both_ways() {
        let seven = U256::from(7);
        let two = U256::from(2);
        assert_eq!(
            mul_div(seven, U256::from(1), two, Rounding::Down).ok(),
            Some(U256::from(3))
        );
        assert_eq!(
            mul_div(seven, U256::from(1), two, Rounding::Up).ok(),
            Some(U256::from(4))
        );
        assert_eq!(
            mul_div(U256::from(8), U256::from(1), two, Rounding::Up).ok(),
            Some(U256::from(4))
        );
    }

    #[test]
    fn mul_div_handles_512_bit_products() {
        let r = mul_div(U256::MAX, U256::MAX, U256::MAX, Rounding::Down);
        assert_eq!(r.ok(), Some(U256::MAX));
        let r = mul_div(U256::MAX, U256::from(2), U256::from(4), Rounding::Up);
        assert_eq!(r.ok(), Some((U256::MAX >> 1) + U256::from(1)));
    }

    #[test]
    fn mul_div_errors() {
        assert!(matches!(
            mul_div(U256::from(1), U256::from(1), U256::ZERO, Rounding::Down),
            Err(MathError::DivisionByZero(_))
        ));
        assert!(matches!(
            mul_div(U256::MAX, U256::from(2), U256::from(1), Rounding::Down),
            Err(MathError::Overflow(_))
        ));
        // Rounding up can itself overflow.
        assert!(matches!(
            mul_div(
                U256::MAX,
                U256::MAX,
                U256::MAX - U256::from(1),
                Rounding::Up
            ),
            Err(MathError::Overflow(_))
        ));
    }

    #[test]
    fn checked_ops() {
        assert!(add(U256::MAX, U256::from(1)).is_err());
        assert!(sub(U256::ZERO, U256::from(1)).is_err());
        assert!(mul(U256::MAX, U256::from(2)).is_err());
        assert_eq!(
            bps_of(U256::from(10_000), U256::from(250), Rounding::Down).ok(),
            Some(U256::from(250))
        );
        assert_eq!(
            wad_mul(U256::from(3), WAD / U256::from(2), Rounding::Up).ok(),
            Some(U256::from(2))
        );
        assert_eq!(
            wad_div(U256::from(1), U256::from(3), Rounding::Down).ok(),
            Some(U256::from(333_333_333_333_333_333u64))
        );
    }

    proptest! {
        #[test]
        fn mul_div_matches_u128_reference(a in any::<u64>(), b in any::<u128>(), d in 1..=u128::MAX) {
            // Products below 2^192: the loop starts at the product's highest bit.
            let exact = U512::from(a) * U512::from(b);
            let (q, r) = exact.div_rem(U512::from(d));
            let (a, b, d) = (U256::from(a), U256::from(b), U256::from(d));
            prop_assert_eq!(U512::from(mul_div(a, b, d, Rounding::Down).unwrap_or_default()), q);
            let up = if r.is_zero() { q } else { q + U512::from(1u8) };
            prop_assert_eq!(U512::from(mul_div(a, b, d, Rounding::Up).unwrap_or_default()), up);
        }
    }

    proptest! {
        #[test]
        fn mul_div_matches_u512_reference(a in any::<[u64; 4]>(), b in any::<[u64; 4]>(), d in any::<[u64; 4]>()) {
            let (a, b, d) = (U256::from_limbs(a), U256::from_limbs(b), U256::from_limbs(d));
            prop_assume!(!d.is_zero());
            let exact = U512::from(a) * U512::from(b);
            let (q, r) = exact.div_rem(U512::from(d));
            let down = mul_div(a, b, d, Rounding::Down);
            let up = mul_div(a, b, d, Rounding::Up);
            if q <= U512::from(U256::MAX) {
                prop_assert_eq!(U512::from(down.ok().unwrap_or_default()), q);
            } else {
                prop_assert!(down.is_err());
            }
            match up {
                Ok(v) => prop_assert_eq!(U512::from(v), if r.is_zero() { q } else { q + U512::from(1u8) }),
                Err(_) => prop_assert!(q + U512::from(1u8) > U512::from(U256::MAX)),
            }
        }
    }
}
