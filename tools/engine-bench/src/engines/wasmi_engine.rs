//! wasmi 2.0.0, configured as `stylus-runtime` configures it.

use super::{Engine, EngineMetering, Host, Program, FUEL, INK, READ_ARGS};
use crate::instrument::INK_EXPORT;
use anyhow::{anyhow, bail, Result};
use std::collections::HashSet;
use wasmi::{CompilationMode, Extern, ExternType, Linker, Module, Store, Val, ValType};

/// wasmi with the runtime's settings (no floats, multi-value, reference types, tail calls or
/// extended const; recursion depth 1,024) and the given compilation mode.
pub struct Wasmi {
    label: String,
    engine: wasmi::Engine,
    fuel: bool,
}

impl Wasmi {
    /// `mode`: wasmi's default is lazy translation (validate eagerly, translate a function
    /// when it is first called), which the runtime uses. `metering`: `Fuel` turns on wasmi's
    /// fuel metering; `Epoch` is not a wasmi feature.
    ///
    /// # Errors
    /// For [`EngineMetering::Epoch`].
    pub fn new(mode: CompilationMode, metering: EngineMetering) -> Result<Self> {
        let mut c = wasmi::Config::default();
        c.floats(false)
            .wasm_multi_value(false)
            .wasm_reference_types(false)
            .wasm_tail_call(false)
            .wasm_extended_const(false)
            .set_max_recursion_depth(1_024)
            .compilation_mode(mode)
            .consume_fuel(metering == EngineMetering::Fuel);
        if metering == EngineMetering::Epoch {
            bail!("wasmi has no epoch interruption");
        }
        let mode = match mode {
            CompilationMode::Eager => "eager",
            CompilationMode::LazyTranslation => "lazy-translation",
            CompilationMode::Lazy => "lazy",
        };
        let fuel = if metering == EngineMetering::Fuel {
            ", fuel"
        } else {
            ""
        };
        Ok(Self {
            label: format!("wasmi 2.0.0 ({mode}{fuel})"),
            engine: wasmi::Engine::new(&c),
            fuel: metering == EngineMetering::Fuel,
        })
    }
}

struct WasmiProgram {
    engine: wasmi::Engine,
    module: Module,
    linker: Linker<Host>,
    fuel: bool,
}

impl Engine for Wasmi {
    fn label(&self) -> &str {
        &self.label
    }

    fn compile(&self, wasm: &[u8]) -> Result<Box<dyn Program>> {
        let module = Module::new(&self.engine, wasm)?;
        let mut linker = Linker::<Host>::new(&self.engine);
        let mut seen = HashSet::new();
        for import in module.imports() {
            let ExternType::Func(ty) = import.ty().clone() else {
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
                        return Err(wasmi::Error::new("read_args takes a pointer"));
                    };
                    let memory = caller
                        .get_export("memory")
                        .and_then(Extern::into_memory)
                        .ok_or_else(|| wasmi::Error::new("no memory export"))?;
                    let (mem, host) = memory.data_and_store_mut(&mut caller);
                    let start = *ptr as u32 as usize;
                    let end = start + host.calldata.len();
                    let dest = mem
                        .get_mut(start..end)
                        .ok_or_else(|| wasmi::Error::new("read_args out of bounds"))?;
                    dest.copy_from_slice(&host.calldata);
                    Ok(())
                })?;
            } else {
                let results: Vec<ValType> = ty.results().to_vec();
                linker.func_new(import.module(), import.name(), ty, move |_, _, out| {
                    for (slot, ty) in out.iter_mut().zip(&results) {
                        *slot = match ty {
                            ValType::I64 => Val::I64(0),
                            _ => Val::I32(0),
                        };
                    }
                    Ok(())
                })?;
            }
        }
        Ok(Box::new(WasmiProgram {
            engine: self.engine.clone(),
            module,
            linker,
            fuel: self.fuel,
        }))
    }
}

impl WasmiProgram {
    fn store(&self, calldata: &[u8]) -> Result<Store<Host>> {
        let mut store = Store::new(
            &self.engine,
            Host {
                calldata: calldata.to_vec(),
            },
        );
        if self.fuel {
            store.set_fuel(FUEL)?;
        }
        Ok(store)
    }
}

impl Program for WasmiProgram {
    fn instantiate(&self) -> Result<()> {
        let mut store = self.store(&[])?;
        self.linker
            .instantiate_and_start(&mut store, &self.module)?;
        Ok(())
    }

    fn call(&self, calldata: &[u8], arg: i32) -> Result<i32> {
        let mut store = self.store(calldata)?;
        let instance = self
            .linker
            .instantiate_and_start(&mut store, &self.module)?;
        if let Some(ink) = instance.get_global(&store, INK_EXPORT) {
            ink.set(&mut store, Val::I64(INK))?;
        }
        let entry = instance.get_typed_func::<i32, i32>(&store, "user_entrypoint")?;
        entry
            .call(&mut store, arg)
            .map_err(|e| anyhow!("wasmi trap: {e}"))
    }
}
