//! `cargo xtask abi`: write (or, with `--check`, verify) `abi/<Contract>.sol` and
//! `abi/<Contract>.json` for every contract.
//!
//! # Where each part of the ABI comes from
//!
//! - **Functions and errors**: the Stylus SDK's own export. Each contract crate has a
//!   `src/main.rs` that calls `<crate>::print_from_args()` under the `export-abi` feature;
//!   this tool runs it on the host (`cargo run -p <crate> --features export-abi -- abi`, and
//!   `-- constructor` for the constructor). The SDK prints errors without parameter names and
//!   repeats in a derived interface the errors its base interfaces declare (which solc rejects);
//!   errors are therefore dropped where a base interface declares them, and their parameter
//!   names (and `///` docs) are taken from the `sol!` declaration with the same signature.
//! - **Events**: the SDK does not export them. Candidates are the `event` declarations of every
//!   `sol!` block in the contract crate and in the workspace crates it depends on by path
//!   (test files skipped). A candidate belongs to the contract's ABI when its first topic,
//!   `keccak256(signature)`, is a constant of the contract's compiled release WASM
//!   ([`crate::program`]): a program can only emit an event whose topic it holds, and link-time
//!   optimisation drops the topics of events no reachable code emits. So the ABI lists exactly
//!   the events the deployed code can emit, whichever crate declares them, with no list to keep
//!   by hand. Two candidates with one signature but different text (say, `indexed` on
//!   different parameters) are an error, as are anonymous events (they have no topic to find).
//! - **Constructor**: a comment in the `.sol` file (Stylus runs it once, through the
//!   StylusDeployer), and a `constructor` entry in the JSON, so deployment tools can encode its
//!   arguments.
//! - **JSON ABI**: the `.sol` file compiled by the pinned solc ([`crate::solc`]), the ABI of the
//!   contract's interface (inherited members included), the constructor entry first.
//!
//! Everything is generated in memory; `--check` compares it byte for byte with the committed
//! files and fails with a diff summary, so the committed ABI cannot drift from the code.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

use crate::diff;
use crate::program::Constants;
use crate::solc::Solc;
use crate::solidity::{self, Declaration, Interface, Kind, Member};
use crate::wasm;
use crate::workspace::{cargo, Package, Workspace};

/// Directory (relative to the workspace root) of the committed ABI files.
pub const ABI_DIR: &str = "abi";
/// Pragma of the generated files (the SDK's own).
pub const PRAGMA: &str = "pragma solidity ^0.8.23;";
/// Licence of the generated files (the workspace's).
pub const LICENSE: &str = "MIT OR Apache-2.0";

/// An event or error declaration and where it was found.
#[derive(Clone, Debug)]
pub struct Found {
    /// The declaration.
    pub declaration: Declaration,
    /// Source file, relative to the workspace root.
    pub origin: String,
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// File name inside `abi/`.
    pub name: String,
    /// Full text.
    pub text: String,
}

/// The ABI of one contract, ready to render.
#[derive(Clone, Debug)]
pub struct Contract {
    /// Contract name (`LrtToken`): the SDK's interface name without its `I`.
    pub name: String,
    /// Package it comes from.
    pub package: String,
    /// The contract's interface name (`ILrtToken`).
    pub entry: String,
    /// Interfaces, bases before the interfaces that inherit them.
    pub interfaces: Vec<Interface>,
    /// The constructor signature the SDK printed, if any.
    pub constructor: Option<String>,
}

/// Every `.rs` file under `<dir>/src`, sorted, test files (`tests.rs`, `test.rs`, anything under
/// a `tests` directory) skipped.
fn rust_sources(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.join("src")];
    while let Some(d) = pending.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("listing {}", d.display())),
        };
        for entry in entries {
            let path = entry
                .with_context(|| format!("listing {}", d.display()))?
                .path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if name != "tests" {
                    pending.push(path);
                }
            } else if name.ends_with(".rs") && name != "tests.rs" && name != "test.rs" {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The event and error declarations of the `sol!` blocks of `packages`' sources.
///
/// # Errors
/// When a file cannot be read or holds a declaration [`solidity`] cannot parse.
pub fn source_declarations(ws: &Workspace, packages: &[&Package]) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    for package in packages {
        for file in rust_sources(&package.dir)? {
            let text =
                fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let origin = ws.display(&file).to_string();
            for block in solidity::sol_blocks(&text) {
                for declaration in solidity::declarations(block)
                    .with_context(|| format!("in a `sol!` block of {origin}"))?
                {
                    found.push(Found {
                        declaration,
                        origin: origin.clone(),
                    });
                }
            }
        }
    }
    Ok(found)
}

/// The candidate events whose topic the program holds, one per signature, in source order.
///
/// # Errors
/// On an anonymous candidate, or two candidates with one signature and different text.
pub fn emitted_events(found: &[Found], program: &Constants) -> Result<Vec<Declaration>> {
    let mut events: Vec<&Found> = Vec::new();
    for candidate in found.iter().filter(|f| f.declaration.kind == Kind::Event) {
        let d = &candidate.declaration;
        ensure!(
            !d.anonymous,
            "{}: anonymous event `{}` has no topic; the ABI export cannot tell whether the \
             contract emits it",
            candidate.origin,
            d.name
        );
        if !program.contains(&d.hash()) {
            continue;
        }
        match events
            .iter()
            .find(|e| e.declaration.signature() == d.signature())
        {
            None => events.push(candidate),
            Some(seen) if seen.declaration.same_as(d) => {}
            Some(seen) => bail!(
                "event `{}` is declared differently in {} (`{}`) and {} (`{}`); the ABI export \
                 cannot tell which one the contract emits",
                d.signature(),
                seen.origin,
                seen.declaration,
                candidate.origin,
                d
            ),
        }
    }
    Ok(events.into_iter().map(|f| f.declaration.clone()).collect())
}

/// The source declaration to print for an error the SDK exported (names and docs added), or the
/// SDK's own when the sources do not have exactly one matching text.
fn named_error(exported: &Declaration, found: &[Found]) -> Declaration {
    let mut matches: Vec<&Declaration> = Vec::new();
    for f in found {
        let d = &f.declaration;
        if d.kind == Kind::Error
            && d.signature() == exported.signature()
            && !matches.iter().any(|m| m.same_as(d))
        {
            matches.push(d);
        }
    }
    match matches.as_slice() {
        [only] => (*only).clone(),
        _ => exported.clone(),
    }
}

/// Assembles a contract's ABI from the SDK's export, the emitted events and the source
/// declarations (for error names).
///
/// # Errors
/// When the export's interfaces do not form a hierarchy rooted at its first interface.
pub fn compose(
    package: &str,
    exported: Vec<Interface>,
    constructor: Option<String>,
    events: Vec<Declaration>,
    found: &[Found],
) -> Result<Contract> {
    let entry = exported
        .first()
        .context("the export has no interface")?
        .name
        .clone();
    ensure!(
        !exported.iter().any(|i| i.bases.contains(&entry)),
        "the first exported interface `{entry}` is inherited by another"
    );
    let by_name: BTreeMap<&str, &Interface> =
        exported.iter().map(|i| (i.name.as_str(), i)).collect();

    // Signatures of the errors declared by each interface's ancestors.
    let ancestors_errors = |iface: &Interface| -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut stack: Vec<&str> = iface.bases.iter().map(String::as_str).collect();
        let mut seen: Vec<&str> = Vec::new();
        while let Some(name) = stack.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let base = by_name.get(name).with_context(|| {
                format!("`{}` inherits `{name}`, which was not exported", iface.name)
            })?;
            for m in &base.members {
                if let Member::Declaration(d) = m {
                    if d.kind == Kind::Error {
                        out.push(d.signature());
                    }
                }
            }
            stack.extend(base.bases.iter().map(String::as_str));
        }
        Ok(out)
    };

    let mut cleaned = Vec::new();
    for iface in &exported {
        let inherited = ancestors_errors(iface)?;
        let mut members = Vec::new();
        if iface.name == entry {
            members.extend(events.iter().cloned().map(Member::Declaration));
        }
        for m in &iface.members {
            match m {
                Member::Declaration(d) if d.kind == Kind::Error => {
                    if !inherited.contains(&d.signature()) {
                        members.push(Member::Declaration(named_error(d, found)));
                    }
                }
                other => members.push(other.clone()),
            }
        }
        cleaned.push(Interface {
            name: iface.name.clone(),
            bases: iface.bases.clone(),
            members,
        });
    }

    // Bases first (solc requires a base to be defined before the contracts inheriting it).
    let mut ordered: Vec<Interface> = Vec::new();
    fn visit(
        name: &str,
        all: &[Interface],
        ordered: &mut Vec<Interface>,
        path: &mut Vec<String>,
    ) -> Result<()> {
        if ordered.iter().any(|i| i.name == name) {
            return Ok(());
        }
        ensure!(
            !path.iter().any(|p| p == name),
            "interface `{name}` inherits itself"
        );
        let iface = all
            .iter()
            .find(|i| i.name == name)
            .with_context(|| format!("interface `{name}` was not exported"))?;
        path.push(name.to_string());
        for base in &iface.bases {
            visit(base, all, ordered, path)?;
        }
        path.pop();
        ordered.push(iface.clone());
        Ok(())
    }
    for iface in &cleaned {
        visit(&iface.name, &cleaned, &mut ordered, &mut Vec::new())?;
    }

    let name = entry
        .strip_prefix('I')
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(&entry)
        .to_string();
    Ok(Contract {
        name,
        package: package.to_string(),
        entry,
        interfaces: ordered,
        constructor: constructor.filter(|c| !c.trim().is_empty()),
    })
}

impl Contract {
    /// The `.sol` file.
    pub fn render(&self) -> String {
        let mut out = format!(
            "// SPDX-License-Identifier: {LICENSE}\n\
             // Generated by `cargo xtask abi` from the Rust crate `{package}`; do not edit.\n\
             // Functions and errors: the Stylus SDK's export-abi. Events: the `sol!` events whose\n\
             // topic the compiled contract holds. Error parameter names: the `sol!` declarations.\n",
            package = self.package
        );
        if let Some(ctor) = &self.constructor {
            out.push_str(
                "//\n// Deployment runs the Stylus constructor once, through the StylusDeployer:\n",
            );
            out.push_str(&format!("//     {}\n", ctor.trim()));
        }
        out.push_str(PRAGMA);
        out.push('\n');
        for iface in &self.interfaces {
            out.push('\n');
            out.push_str(&format!("interface {}", iface.name));
            if !iface.bases.is_empty() {
                out.push_str(&format!(" is {}", iface.bases.join(", ")));
            }
            out.push_str(" {\n");
            for (i, member) in iface.members.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                match member {
                    Member::Declaration(d) => {
                        for line in &d.docs {
                            if line.is_empty() {
                                out.push_str("    ///\n");
                            } else {
                                out.push_str(&format!("    /// {line}\n"));
                            }
                        }
                        out.push_str(&format!("    {d}\n"));
                    }
                    Member::Verbatim(text) => {
                        let mut depth = 1usize;
                        for line in text.lines() {
                            if line.starts_with('}') {
                                depth = depth.saturating_sub(1);
                            }
                            out.push_str(&format!("{}{line}\n", "    ".repeat(depth)));
                            if line.ends_with('{') {
                                depth += 1;
                            }
                        }
                    }
                }
            }
            out.push_str("}\n");
        }
        out
    }

    /// The in-memory Solidity source whose only purpose is to give solc the constructor, so its
    /// JSON entry comes from the compiler too.
    fn constructor_source(&self) -> Option<String> {
        let ctor = self.constructor.as_deref()?.trim();
        let params = ctor.strip_prefix("constructor(")?;
        let (params, rest) = params.rsplit_once(')')?;
        let params = params.replace(" calldata ", " memory ");
        Some(format!(
            "// SPDX-License-Identifier: {LICENSE}\n{PRAGMA}\n\
             contract {}Deployment {{ constructor({params}){rest} {{}} }}\n",
            self.name,
            rest = if rest.trim() == "payable" {
                " payable"
            } else {
                ""
            },
        ))
    }

    /// The `.json` file: the contract's JSON ABI from solc, constructor first.
    ///
    /// # Errors
    /// When solc rejects the generated source or does not return the interface.
    pub fn json(&self, sol: &str, solc: &Solc) -> Result<String> {
        let file = format!("{}.sol", self.name);
        let ctor_source = self.constructor_source();
        if self.constructor.is_some() && ctor_source.is_none() {
            bail!(
                "cannot read the constructor signature `{:?}`",
                self.constructor
            );
        }
        let mut sources = vec![(file.as_str(), sol)];
        if let Some(src) = &ctor_source {
            sources.push(("Deployment.sol", src.as_str()));
        }
        let abis = solc.abis(&sources)?;
        let mut entries: Vec<Value> = Vec::new();
        if ctor_source.is_some() {
            let deployment = abis
                .get(&format!("{}Deployment", self.name))
                .and_then(Value::as_array)
                .context("solc returned no ABI for the constructor")?;
            entries.extend(
                deployment
                    .iter()
                    .filter(|e| e["type"] == "constructor")
                    .cloned(),
            );
        }
        let abi = abis
            .get(&self.entry)
            .and_then(Value::as_array)
            .with_context(|| format!("solc returned no ABI for `{}`", self.entry))?;
        entries.extend(abi.iter().cloned());
        let mut text = serde_json::to_string_pretty(&Value::Array(entries))?;
        text.push('\n');
        Ok(text)
    }
}

/// Runs the contract's export binary with `args` and returns what it printed.
fn run_export(ws: &Workspace, package: &Package, args: &[&str]) -> Result<String> {
    let out = cargo()
        .current_dir(&ws.root)
        .args([
            "run",
            "-q",
            "-p",
            &package.name,
            "--features",
            "export-abi",
            "--",
        ])
        .args(args)
        .output()
        .context("running cargo run")?;
    if !out.status.success() {
        bail!(
            "`cargo run -p {} --features export-abi -- {}` failed:\n{}",
            package.name,
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8(out.stdout).context("export-abi printed non-UTF-8 text")
}

/// Generates the ABI files of one contract.
///
/// # Errors
/// When building, exporting, parsing or compiling fails.
pub fn generate(ws: &Workspace, package: &Package, solc: &Solc) -> Result<(Contract, Vec<File>)> {
    ensure!(
        package.has_bin && package.export_abi_feature,
        "cannot export the ABI: the crate needs an `export-abi` feature and a `src/main.rs` \
         calling `{lib}::print_from_args()` under that feature (see contracts/lrt-token)",
        lib = package.lib_name.as_deref().unwrap_or("<crate>")
    );
    let artifact = wasm::build(ws, package)?;
    let program = Constants::of(&fs::read(&artifact).context("reading the built module")?)?;

    eprintln!(
        "==> {}: cargo run --features export-abi (host)",
        package.name
    );
    let exported = solidity::parse_exported(&run_export(ws, package, &["abi"])?)
        .with_context(|| format!("reading the interface {} exported", package.name))?;
    let constructor = run_export(ws, package, &["constructor"])?;

    let found = source_declarations(ws, &ws.with_path_deps(package))?;
    let events = emitted_events(&found, &program)?;
    let own_dir = ws.display(&package.dir).to_string();
    for f in &found {
        let d = &f.declaration;
        if d.kind == Kind::Event
            && f.origin.starts_with(&own_dir)
            && !events.iter().any(|e| e.signature() == d.signature())
        {
            eprintln!(
                "warning: {}: event `{}` is declared in {} but the contract never emits it",
                package.name,
                d.signature(),
                f.origin
            );
        }
    }

    let contract = compose(&package.name, exported, Some(constructor), events, &found)?;
    let sol = contract.render();
    let json = contract
        .json(&sol, solc)
        .with_context(|| format!("compiling the ABI of {}", package.name))?;
    let files = vec![
        File {
            name: format!("{}.sol", contract.name),
            text: sol,
        },
        File {
            name: format!("{}.json", contract.name),
            text: json,
        },
    ];
    Ok((contract, files))
}

/// `cargo xtask abi [--check]` over the named contracts (all when `only` is empty).
///
/// # Errors
/// When generation fails, or with `check`, when a committed file differs, is missing, or is
/// stale (no contract produces it; checked only when all contracts are selected).
pub fn run(ws: &Workspace, only: &[String], check: bool) -> Result<()> {
    let contracts = wasm::select(ws, only)?;
    let solc = Solc::locate(&ws.root)?;
    eprintln!("==> solc: {}", solc.version()?.replace('\n', " "));
    let dir = ws.root.join(ABI_DIR);
    let mut generated: Vec<File> = Vec::new();
    // A contract whose ABI cannot be generated is reported; the others are still checked.
    let mut broken = Vec::new();
    for package in contracts {
        let (contract, files) = match generate(ws, package, &solc) {
            Ok(done) => done,
            Err(e) => {
                eprintln!("error: {}: {e:#}", package.name);
                broken.push(package.name.as_str());
                continue;
            }
        };
        for f in &files {
            ensure!(
                !generated.iter().any(|g| g.name == f.name),
                "two contracts produce abi/{} (contract name `{}`)",
                f.name,
                contract.name
            );
        }
        generated.extend(files);
    }

    // Files of a contract that failed are neither stale nor checked.
    let stale: Vec<String> = if only.is_empty() && broken.is_empty() {
        committed_files(&dir)?
            .into_iter()
            .filter(|name| !generated.iter().any(|g| &g.name == name))
            .collect()
    } else {
        Vec::new()
    };

    if check {
        let mut problems = Vec::new();
        for file in &generated {
            let path = dir.join(&file.name);
            match fs::read_to_string(&path) {
                Ok(committed) if committed == file.text => {
                    eprintln!("    {ABI_DIR}/{}: up to date", file.name)
                }
                Ok(committed) => problems.push(format!(
                    "{ABI_DIR}/{} differs from the code (- committed, + generated):\n{}",
                    file.name,
                    diff::summary(&committed, &file.text, 40)
                )),
                Err(_) => problems.push(format!("{ABI_DIR}/{} is missing", file.name)),
            }
        }
        for name in &stale {
            problems.push(format!("{ABI_DIR}/{name} is not produced by any contract"));
        }
        for p in &problems {
            eprintln!("error: {p}");
        }
        if !broken.is_empty() {
            bail!("could not generate the ABI of: {}", broken.join(", "));
        }
        if !problems.is_empty() {
            bail!(
                "{} ABI file(s) out of date: run `cargo xtask abi` and commit {ABI_DIR}/",
                problems.len()
            );
        }
        eprintln!("==> ABI files match the code");
    } else {
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        for file in &generated {
            let path = dir.join(&file.name);
            let unchanged = fs::read_to_string(&path).is_ok_and(|t| t == file.text);
            if unchanged {
                eprintln!("    {ABI_DIR}/{}: unchanged", file.name);
            } else {
                fs::write(&path, &file.text)
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("    {ABI_DIR}/{}: written", file.name);
            }
        }
        for name in &stale {
            eprintln!("warning: {ABI_DIR}/{name} is not produced by any contract; delete it");
        }
        if !broken.is_empty() {
            bail!("could not generate the ABI of: {}", broken.join(", "));
        }
    }
    Ok(())
}

/// `.sol` and `.json` files in `dir` (none if it does not exist).
fn committed_files(dir: &Path) -> Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
    };
    let mut names = Vec::new();
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".sol") || name.ends_with(".json") {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, origin: &str) -> Found {
        let mut declaration = Declaration::parse(text).unwrap();
        declaration.docs = vec![format!("From {origin}.")];
        Found {
            declaration,
            origin: origin.into(),
        }
    }

    /// A program holding exactly the given 32-byte words in its data.
    fn program(words: &[[u8; 32]]) -> Constants {
        let data: String = words
            .iter()
            .flatten()
            .map(|b| format!("\\{b:02x}"))
            .collect();
        let wat = format!(r#"(module (memory 1) (data (i32.const 0) "{data}"))"#);
        Constants::of(&wat::parse_str(wat).unwrap()).unwrap()
    }

    const EXPORTED: &str = "
interface IToken is IAdmin {
    function move(address to, uint256 value) external returns (bool);

    error Short(address, uint256);

    error Denied(address);
}
interface IAdmin {
    function admin() external view returns (address);

    error Denied(address);
}
";

    #[test]
    fn source_files_skip_tests() {
        let dir = std::env::temp_dir().join(format!("xtask-sources-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for file in [
            "src/lib.rs",
            "src/a/b.rs",
            "src/tests.rs",
            "src/tests/x.rs",
            "src/c/test.rs",
            "src/d.txt",
        ] {
            let path = dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        let found: Vec<String> = rust_sources(&dir)
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(found, ["src/a/b.rs", "src/lib.rs"]);
    }

    #[test]
    fn keeps_only_the_events_the_program_holds() {
        let moved = found("event Moved(address indexed to, uint256 value)", "a.rs");
        let paused = found("event Paused(address indexed by)", "shared.rs");
        let unused = found("event Unused()", "a.rs");
        let all = [moved.clone(), paused.clone(), unused];
        let events = emitted_events(
            &all,
            &program(&[paused.declaration.hash(), moved.declaration.hash()]),
        )
        .unwrap();
        let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Moved", "Paused"], "source order, unused dropped");
    }

    #[test]
    fn rejects_conflicting_or_anonymous_events() {
        let a = found("event T(address indexed a, uint256 b)", "a.rs");
        let b = found("event T(address a, uint256 indexed b)", "b.rs");
        let same = found("event T(address indexed a, uint256 b)", "c.rs");
        let prog = program(&[a.declaration.hash()]);
        assert!(emitted_events(&[a.clone(), same], &prog).is_ok());
        let err = emitted_events(&[a, b], &prog).unwrap_err().to_string();
        assert!(err.contains("a.rs") && err.contains("b.rs"), "{err}");
        assert!(emitted_events(&[found("event A() anonymous", "x.rs")], &prog).is_err());
    }

    #[test]
    fn composes_bases_first_with_events_and_named_errors() {
        let sources = [
            found("error Short(address who, uint256 missing)", "a.rs"),
            found("error Denied(address account)", "shared.rs"),
        ];
        let events =
            vec![Declaration::parse("event Moved(address indexed to, uint256 value)").unwrap()];
        let contract = compose(
            "token",
            solidity::parse_exported(EXPORTED).unwrap(),
            Some("constructor(string calldata name, address admin)\n".into()),
            events,
            &sources,
        )
        .unwrap();
        assert_eq!(contract.name, "Token");
        let sol = contract.render();
        let admin = sol.find("interface IAdmin {").unwrap();
        let token = sol.find("interface IToken is IAdmin {").unwrap();
        assert!(admin < token, "{sol}");
        // `Denied` only in the base, with its name; `Short` named; the event in the entry.
        assert_eq!(sol.matches("error Denied(").count(), 1, "{sol}");
        assert!(sol[admin..token].contains("    error Denied(address account);"));
        assert!(sol.contains("    /// From a.rs.\n    error Short(address who, uint256 missing);"));
        assert!(sol[token..].contains("    event Moved(address indexed to, uint256 value);"));
        assert!(sol.contains("//     constructor(string calldata name, address admin)\n"));
        assert_eq!(
            contract
                .constructor_source()
                .unwrap()
                .lines()
                .last()
                .unwrap(),
            "contract TokenDeployment { constructor(string memory name, address admin) {} }"
        );
    }

    #[test]
    fn keeps_the_sdk_error_when_sources_disagree() {
        let sources = [
            found("error Short(address who, uint256 missing)", "a.rs"),
            found("error Short(address holder, uint256 needed)", "b.rs"),
        ];
        let contract = compose(
            "token",
            solidity::parse_exported(EXPORTED).unwrap(),
            None,
            vec![],
            &sources,
        )
        .unwrap();
        assert!(contract
            .render()
            .contains("    error Short(address, uint256);"));
        assert!(contract.constructor_source().is_none());
    }

    #[test]
    fn rejects_an_unknown_base() {
        let exported = solidity::parse_exported("interface IA is IB {\n}\n").unwrap();
        assert!(compose("a", exported, None, vec![], &[]).is_err());
    }
}
