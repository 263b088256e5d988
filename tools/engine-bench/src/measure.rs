//! Timing: medians over rounds, printed in microseconds with one decimal.

use anyhow::Result;
use std::time::Instant;

/// Runs `op` once to warm up, then `rounds` rounds of `per_round` runs; returns the median
/// over rounds of the mean time per run, in nanoseconds.
///
/// # Errors
/// The first error `op` returns.
pub fn median_per_op(
    rounds: u32,
    per_round: u32,
    mut op: impl FnMut() -> Result<()>,
) -> Result<u128> {
    op()?;
    let per_round = per_round.max(1);
    let mut samples = Vec::with_capacity(rounds as usize);
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        for _ in 0..per_round {
            op()?;
        }
        samples.push(start.elapsed().as_nanos() / u128::from(per_round));
    }
    samples.sort_unstable();
    Ok(samples[samples.len() / 2])
}

/// Nanoseconds as microseconds with one decimal.
pub fn us(ns: u128) -> String {
    format!("{}.{}", ns / 1_000, ns % 1_000 / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_microseconds() {
        assert_eq!(us(1_234_567), "1234.5");
        assert_eq!(us(999), "0.9");
    }

    #[test]
    fn median_propagates_errors() {
        let mut n = 0;
        let r = median_per_op(3, 2, || {
            n += 1;
            anyhow::ensure!(n < 4, "stop");
            Ok(())
        });
        assert!(r.is_err());
    }
}
