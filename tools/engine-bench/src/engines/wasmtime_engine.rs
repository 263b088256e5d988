//! wasmtime 48.0.8 with each of its execution strategies.

use super::{Engine, EngineMetering, Host, Program, FUEL, INK, READ_ARGS};
use crate::instrument::INK_EXPORT;
use anyhow::{anyhow, bail, Result};
use std::collections::HashSet;
use wasmtime::{
    Config, Extern, ExternType, InstanceAllocationStrategy, InstancePre, Linker, Module,
    PoolingAllocationConfig, Store, Strategy, Val, ValType,
};

/// How wasmtime turns WASM into something it runs.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    /// Cranelift, the optimising compiler (wasmtime's default).
    Cranelift,
    /// Winch, the single-pass baseline compiler (x86-64 and aarch64).
    Winch,
    /// Cranelift compiling to Pulley bytecode, run by wasmtime's portable interpreter.
    Pulley,
}

/// Instance allocation: `pooling` preallocates slots (memories, tables, instances) and
/// reuses them; otherwise every instance maps its own memory on demand.
pub struct Wasmtime {
    label: String,
    engine: wasmtime::Engine,
    metering: EngineMetering,
}

impl Wasmtime {
    /// A wasmtime engine with WASM features left at their defaults (a Stylus host validates
    /// modules itself before they reach the engine).
    ///
    /// # Errors
    /// When wasmtime refuses the configuration.
    pub fn new(backend: Backend, pooling: bool, metering: EngineMetering) -> Result<Self> {
        let mut c = Config::new();
        match backend {
            Backend::Cranelift => {
                c.strategy(Strategy::Cranelift);
            }
            Backend::Winch => {
                c.strategy(Strategy::Winch);
            }
            Backend::Pulley => {
                c.target("pulley64")?;
            }
        }
        if pooling {
            let mut pool = PoolingAllocationConfig::default();
            pool.total_core_instances(64)
                .total_memories(64)
                .total_tables(64)
                .max_memory_size(16 << 20);
            c.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        match metering {
            EngineMetering::Off => {}
            EngineMetering::Fuel => {
                c.consume_fuel(true);
            }
            EngineMetering::Epoch => {
                c.epoch_interruption(true);
            }
        }
        let backend = match backend {
            Backend::Cranelift => "cranelift",
            Backend::Winch => "winch",
            Backend::Pulley => "pulley",
        };
        let alloc = if pooling { "pooling" } else { "on-demand" };
        let metered = match metering {
            EngineMetering::Off => "",
            EngineMetering::Fuel => ", fuel",
            EngineMetering::Epoch => ", epoch",
        };
        Ok(Self {
            label: format!("wasmtime 48.0.8 ({backend}, {alloc}{metered})"),
            engine: wasmtime::Engine::new(&c)?,
            metering,
        })
    }
}

struct WasmtimeProgram {
    engine: wasmtime::Engine,
    pre: InstancePre<Host>,
    metering: EngineMetering,
}

impl Engine for Wasmtime {
    fn label(&self) -> &str {
        &self.label
    }

    fn compile(&self, wasm: &[u8]) -> Result<Box<dyn Program>> {
        let module = Module::new(&self.engine, wasm)?;
        let mut linker = Linker::<Host>::new(&self.engine);
        let mut seen = HashSet::new();
        for import in module.imports() {
            let ExternType::Func(ty) = import.ty() else {
                bail!(
                    "import {}::{} is not a function",
                    import.module(),
                    import.name()
                );
            };
            if !seen.insert((import.module().to_string(), import.name().to_string())) {
                continue;
            }
            if import.name() == READ_ARGS {
                linker.func_new(import.module(), import.name(), ty, |mut caller, args, _| {
                    let Some(Val::I32(ptr)) = args.first() else {
                        wasmtime::bail!("read_args takes a pointer");
                    };
                    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
                        wasmtime::bail!("no memory export");
                    };
                    let (mem, host) = memory.data_and_store_mut(&mut caller);
                    let start = *ptr as u32 as usize;
                    let end = start + host.calldata.len();
                    let Some(dest) = mem.get_mut(start..end) else {
                        wasmtime::bail!("read_args out of bounds");
                    };
                    dest.copy_from_slice(&host.calldata);
                    Ok(())
                })?;
            } else {
                let results: Vec<bool> = ty.results().map(|t| matches!(t, ValType::I64)).collect();
                linker.func_new(import.module(), import.name(), ty, move |_, _, out| {
                    for (slot, is_i64) in out.iter_mut().zip(&results) {
                        *slot = if *is_i64 { Val::I64(0) } else { Val::I32(0) };
                    }
                    Ok(())
                })?;
            }
        }
        let pre = linker.instantiate_pre(&module)?;
        Ok(Box::new(WasmtimeProgram {
            engine: self.engine.clone(),
            pre,
            metering: self.metering,
        }))
    }
}

impl WasmtimeProgram {
    fn store(&self, calldata: &[u8]) -> Result<Store<Host>> {
        let mut store = Store::new(
            &self.engine,
            Host {
                calldata: calldata.to_vec(),
            },
        );
        match self.metering {
            EngineMetering::Off => {}
            EngineMetering::Fuel => store.set_fuel(FUEL)?,
            // Nothing advances the epoch here: this measures the cost of the checks.
            EngineMetering::Epoch => store.set_epoch_deadline(u64::MAX / 2),
        }
        Ok(store)
    }
}

impl Program for WasmtimeProgram {
    fn instantiate(&self) -> Result<()> {
        let mut store = self.store(&[])?;
        self.pre.instantiate(&mut store)?;
        Ok(())
    }

    fn call(&self, calldata: &[u8], arg: i32) -> Result<i32> {
        let mut store = self.store(calldata)?;
        let instance = self.pre.instantiate(&mut store)?;
        if let Some(ink) = instance.get_global(&mut store, INK_EXPORT) {
            ink.set(&mut store, Val::I64(INK))?;
        }
        let entry = instance.get_typed_func::<i32, i32>(&mut store, "user_entrypoint")?;
        entry
            .call(&mut store, arg)
            .map_err(|e| anyhow!("wasmtime trap: {e}"))
    }
}
