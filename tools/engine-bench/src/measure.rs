//! Timing: medians over rounds of both wall-clock time and process CPU time.
//!
//! On a machine shared with other jobs, wall-clock time includes time spent waiting for a
//! core; process CPU time (user + system, all threads of this process) does not, so it is the
//! steadier figure. Both are reported.

use anyhow::Result;
use std::time::Instant;

/// A duration measured twice, in nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// CPU time of this process (all threads).
    pub cpu: u128,
    /// Wall-clock time.
    pub wall: u128,
}

impl Cost {
    /// Both figures divided by `n`.
    pub fn per(self, n: u128) -> Cost {
        let n = n.max(1);
        Cost {
            cpu: self.cpu / n,
            wall: self.wall / n,
        }
    }
}

/// CPU time consumed by this process so far, in nanoseconds.
#[allow(unsafe_code)]
fn process_cpu_ns() -> u128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_PROCESS_CPUTIME_ID exists on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    u128::try_from(ts.tv_sec).unwrap_or(0) * 1_000_000_000 + u128::try_from(ts.tv_nsec).unwrap_or(0)
}

/// Measures `op` once.
///
/// # Errors
/// The error `op` returns.
pub fn once(op: impl FnOnce() -> Result<()>) -> Result<Cost> {
    let (cpu, wall) = (process_cpu_ns(), Instant::now());
    op()?;
    Ok(Cost {
        cpu: process_cpu_ns().saturating_sub(cpu),
        wall: wall.elapsed().as_nanos(),
    })
}

/// Runs `op` once to warm up, then `rounds` rounds of `per_round` runs; returns the medians
/// over rounds of the mean time per run (CPU and wall medians taken separately).
///
/// # Errors
/// The first error `op` returns.
pub fn median_per_op(
    rounds: u32,
    per_round: u32,
    mut op: impl FnMut() -> Result<()>,
) -> Result<Cost> {
    op()?;
    let per_round = per_round.max(1);
    let mut samples = Vec::with_capacity(rounds as usize);
    for _ in 0..rounds.max(1) {
        let cost = once(|| {
            for _ in 0..per_round {
                op()?;
            }
            Ok(())
        })?;
        samples.push(cost.per(u128::from(per_round)));
    }
    Ok(median(&samples))
}

/// The median CPU and the median wall time of `samples` (taken separately).
pub fn median(samples: &[Cost]) -> Cost {
    let mut cpu: Vec<u128> = samples.iter().map(|s| s.cpu).collect();
    let mut wall: Vec<u128> = samples.iter().map(|s| s.wall).collect();
    cpu.sort_unstable();
    wall.sort_unstable();
    Cost {
        cpu: cpu.get(cpu.len() / 2).copied().unwrap_or(0),
        wall: wall.get(wall.len() / 2).copied().unwrap_or(0),
    }
}

/// Nanoseconds as microseconds with one decimal.
pub fn us(ns: u128) -> String {
    format!("{}.{}", ns / 1_000, ns % 1_000 / 100)
}

/// A cost as "cpu / wall" microseconds.
pub fn us_pair(c: Cost) -> String {
    format!("{} / {}", us(c.cpu), us(c.wall))
}

/// Tenths of nanoseconds as nanoseconds with one decimal.
pub fn ns_tenths(tenths: u128) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_microseconds() {
        assert_eq!(us(1_234_567), "1234.5");
        assert_eq!(us(999), "0.9");
        assert_eq!(ns_tenths(2253), "225.3");
    }

    #[test]
    fn median_is_per_figure() {
        let s = [
            Cost { cpu: 1, wall: 30 },
            Cost { cpu: 3, wall: 10 },
            Cost { cpu: 2, wall: 20 },
        ];
        assert_eq!(median(&s), Cost { cpu: 2, wall: 20 });
    }

    #[test]
    fn cpu_time_advances_with_work() {
        let c = once(|| {
            let mut x = 0u64;
            for i in 0..5_000_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
            Ok(())
        })
        .expect("no error");
        assert!(c.cpu > 0 && c.wall > 0);
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
