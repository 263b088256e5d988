//! Measures wasmi against wasmtime for the Stylus runtime's use. Figures are printed, never
//! asserted; crates/stylus-runtime/ENGINES.md records a run and the decision.
//!
//! ```text
//! cd tools/engine-bench
//! CARGO_TARGET_DIR=../../target/engine-bench cargo run --release -- --help
//! ```
//!
//! Every call, as in Stylus, creates a fresh store and instance of an already compiled
//! module. Modules are instrumented for ink ([`instrument`]) the way `stylus-runtime` does it,
//! so every engine runs the same metered code; throughput is also measured on the plain
//! module and with the engines' own metering (fuel, epochs) for comparison.

// Without an engine (the build-time baseline) the engine plumbing is unused.
#![cfg_attr(
    not(any(feature = "wasmi", feature = "wasmtime")),
    allow(dead_code, unused_variables)
)]

mod engines;
mod fixtures;
mod instrument;
mod measure;

use anyhow::{Context, Result};
use clap::Parser;
use engines::{Engine, EngineMetering};
use measure::{median, median_per_op, ns_tenths, us_pair, Cost};
use std::path::PathBuf;

/// Compares WASM engines on the LRT token module and a compute loop (figures printed).
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The LRT token's WASM (build it with `cargo xtask wasm`, which writes
    /// target/stylus/lrt-token.wasm, or with the command in ENGINES.md).
    #[arg(long)]
    lrt: PathBuf,
    /// Timed rounds per figure; each figure is the median over the rounds.
    #[arg(long, default_value_t = 15)]
    rounds: u32,
    /// Calls (or instantiations) per timed round for per-call latencies.
    #[arg(long, default_value_t = 200)]
    calls: u32,
    /// Compilations per timed round (compile times are larger, so fewer).
    #[arg(long, default_value_t = 5)]
    compiles: u32,
    /// Loop iterations for the "loop" per-call latency (a small contract call).
    #[arg(long, default_value_t = 1_000)]
    loop_iters: i32,
    /// Loop iterations for the throughput figure (one call per round).
    #[arg(long, default_value_t = 20_000_000)]
    throughput_iters: i32,
    /// Only run engine configurations whose label contains this text (e.g. "wasmi").
    #[arg(long)]
    only: Option<String>,
}

/// The engine configurations compared on the metered (instrumented) modules.
fn engines(metering: EngineMetering) -> Result<Vec<Box<dyn Engine>>> {
    #[allow(unused_mut)]
    let mut list: Vec<Box<dyn Engine>> = Vec::new();
    #[cfg(feature = "wasmi")]
    {
        use engines::wasmi_engine::Wasmi;
        use wasmi::CompilationMode;
        list.push(Box::new(Wasmi::new(
            CompilationMode::LazyTranslation,
            metering,
        )?));
        if metering == EngineMetering::Off {
            list.push(Box::new(Wasmi::new(CompilationMode::Eager, metering)?));
        }
    }
    #[cfg(feature = "wasmtime")]
    {
        use engines::wasmtime_engine::{Backend, Wasmtime};
        if metering == EngineMetering::Off {
            list.push(Box::new(Wasmtime::new(
                Backend::Cranelift,
                false,
                metering,
            )?));
        }
        list.push(Box::new(Wasmtime::new(Backend::Cranelift, true, metering)?));
        if metering == EngineMetering::Off {
            list.push(Box::new(Wasmtime::new(Backend::Winch, true, metering)?));
            list.push(Box::new(Wasmtime::new(Backend::Pulley, true, metering)?));
        }
    }
    Ok(list)
}

fn selected(args: &Args, engine: &dyn Engine) -> bool {
    args.only
        .as_deref()
        .is_none_or(|only| engine.label().contains(only))
}

fn main() -> Result<()> {
    let args = Args::parse();
    let lrt_plain =
        std::fs::read(&args.lrt).with_context(|| format!("reading {}", args.lrt.display()))?;
    let lrt = instrument::instrument(&lrt_plain).context("instrumenting the LRT token")?;
    let loop_plain = fixtures::loop_module();
    let looped = instrument::instrument(&loop_plain).context("instrumenting the loop")?;
    let balance_of = fixtures::balance_of_calldata();

    println!(
        "engine-bench: {} rounds, medians; {} CPUs available",
        args.rounds,
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!(
        "LRT token: {} bytes WASM, {} bytes instrumented",
        lrt_plain.len(),
        lrt.len()
    );

    println!("Cells are CPU time / wall time of this process; medians.");
    println!("\n## LRT token (instrumented), microseconds");
    println!("| engine | compile | instantiate | balanceOf call | cold: compile + first call |");
    println!("|---|---:|---:|---:|---:|");
    for engine in engines(EngineMetering::Off)? {
        if !selected(&args, engine.as_ref()) {
            continue;
        }
        let compile = median_per_op(args.rounds, args.compiles, || {
            engine.compile(&lrt).map(|_| ())
        })?;
        let cold = median_per_op(args.rounds, args.compiles, || {
            let program = engine.compile(&lrt)?;
            expect_success(program.call(&balance_of, len(&balance_of))?)
        })?;
        let program = engine.compile(&lrt)?;
        let instantiate = median_per_op(args.rounds, args.calls, || program.instantiate())?;
        let call = median_per_op(args.rounds, args.calls, || {
            expect_success(program.call(&balance_of, len(&balance_of))?)
        })?;
        println!(
            "| {} | {} | {} | {} | {} |",
            engine.label(),
            us_pair(compile),
            us_pair(instantiate),
            us_pair(call),
            us_pair(cold)
        );
    }

    println!(
        "\n## Compute loop (instrumented), per call with a fresh instance, microseconds; \
         throughput in ns per iteration"
    );
    println!(
        "| engine | compile | empty call | {} iterations | {} iterations: ns/iter |",
        args.loop_iters, args.throughput_iters
    );
    println!("|---|---:|---:|---:|---:|");
    for engine in engines(EngineMetering::Off)? {
        if !selected(&args, engine.as_ref()) {
            continue;
        }
        let compile = median_per_op(args.rounds, args.compiles, || {
            engine.compile(&looped).map(|_| ())
        })?;
        let program = engine.compile(&looped)?;
        let empty = median_per_op(args.rounds, args.calls, || {
            expect_success(program.call(&[], 0)?)
        })?;
        let small = median_per_op(args.rounds, args.calls, || {
            expect_success(program.call(&[], args.loop_iters)?)
        })?;
        let per_iter = throughput(&args, program.as_ref())?;
        println!(
            "| {} | {} | {} | {} | {} |",
            engine.label(),
            us_pair(compile),
            us_pair(empty),
            us_pair(small),
            tenths_pair(per_iter)
        );
    }

    println!("\n## Metering cost: loop throughput, ns per iteration");
    println!("| engine | plain (unmetered) | instrumented (as the runtime) | engine metering |");
    println!("|---|---:|---:|---:|");
    for engine in engines(EngineMetering::Off)? {
        if !selected(&args, engine.as_ref()) {
            continue;
        }
        let plain = throughput(&args, engine.compile(&loop_plain)?.as_ref())?;
        let metered = throughput(&args, engine.compile(&looped)?.as_ref())?;
        println!(
            "| {} | {} | {} | |",
            engine.label(),
            tenths_pair(plain),
            tenths_pair(metered)
        );
    }
    for metering in [EngineMetering::Fuel, EngineMetering::Epoch] {
        for engine in engines(metering).unwrap_or_default() {
            if !selected(&args, engine.as_ref()) {
                continue;
            }
            let own = throughput(&args, engine.compile(&loop_plain)?.as_ref())?;
            println!("| {} | | | {} |", engine.label(), tenths_pair(own));
        }
    }
    Ok(())
}

/// Median time per loop iteration, in tenths of a nanosecond, of one long call per round.
fn throughput(args: &Args, program: &dyn engines::Program) -> Result<Cost> {
    let rounds = args.rounds.clamp(1, 5);
    let iters = u128::try_from(args.throughput_iters.max(1)).unwrap_or(1);
    expect_success(program.call(&[], 1_000)?)?;
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let cost = measure::once(|| expect_success(program.call(&[], args.throughput_iters)?))?;
        samples.push(Cost {
            cpu: cost.cpu * 10 / iters,
            wall: cost.wall * 10 / iters,
        });
    }
    Ok(median(&samples))
}

/// Tenths of nanoseconds as "cpu / wall" nanoseconds.
fn tenths_pair(c: Cost) -> String {
    format!("{} / {}", ns_tenths(c.cpu), ns_tenths(c.wall))
}

fn len(data: &[u8]) -> i32 {
    i32::try_from(data.len()).unwrap_or(i32::MAX)
}

fn expect_success(status: i32) -> Result<()> {
    anyhow::ensure!(status == 0, "user_entrypoint returned status {status}");
    Ok(())
}
