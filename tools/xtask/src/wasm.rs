//! `cargo xtask wasm`: build every contract for `wasm32-unknown-unknown`, copy the modules to
//! `target/stylus/<crate>.wasm`, and check them against the Stylus limits ([`crate::stylus`]).

use std::fs;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::stylus::{self, Violation, MAX_COMPRESSED_BYTES};
use crate::workspace::{cargo, Package, Workspace};

/// The target contracts are built for.
pub const TARGET: &str = "wasm32-unknown-unknown";

/// Measurements and findings for one contract.
#[derive(Debug)]
pub struct Report {
    /// Package name.
    pub contract: String,
    /// Where the module was copied.
    pub artifact: PathBuf,
    /// Uncompressed size in bytes.
    pub raw: usize,
    /// Brotli-11 size in bytes.
    pub compressed: usize,
    /// Every rule the module breaks.
    pub violations: Vec<Violation>,
}

/// Builds one contract (release, library only) and copies its module to
/// [`Workspace::artifact`]. Returns the copy's path.
///
/// # Errors
/// When cargo fails or the module is not where cargo puts it.
pub fn build(ws: &Workspace, package: &Package) -> Result<PathBuf> {
    eprintln!(
        "==> {}: cargo build --release --lib --target {TARGET}",
        package.name
    );
    let status = cargo()
        .current_dir(&ws.root)
        .args(["build", "--release", "--lib", "--target", TARGET, "-p"])
        .arg(&package.name)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("building {} for {TARGET} failed", package.name);
    }
    let lib = package
        .lib_name
        .as_deref()
        .with_context(|| format!("{} has no library target", package.name))?;
    let built = ws
        .target_dir
        .join(TARGET)
        .join("release")
        .join(format!("{lib}.wasm"));
    let artifact = ws.artifact(package);
    fs::create_dir_all(artifact.parent().context("artifact path has no parent")?)
        .context("creating target/stylus")?;
    fs::copy(&built, &artifact).with_context(|| {
        format!(
            "copying {} to {}",
            ws.display(&built),
            ws.display(&artifact)
        )
    })?;
    Ok(artifact)
}

/// Measures and checks a built module.
///
/// # Errors
/// When the file cannot be read.
pub fn inspect(ws: &Workspace, package: &Package, artifact: PathBuf) -> Result<Report> {
    let wasm = fs::read(&artifact).with_context(|| format!("reading {}", ws.display(&artifact)))?;
    let compressed = stylus::compress(&wasm)?.len();
    let mut violations = stylus::check_module(&wasm);
    violations.extend(stylus::check_sizes(wasm.len(), compressed));
    Ok(Report {
        contract: package.name.clone(),
        artifact,
        raw: wasm.len(),
        compressed,
        violations,
    })
}

/// `1234567` -> `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The size table, as printed and as pasted into the README.
pub fn table(reports: &[Report]) -> String {
    let width = reports
        .iter()
        .map(|r| r.contract.len())
        .chain(["contract".len()])
        .max()
        .unwrap_or(8);
    let mut out = format!(
        "| {:<width$} | {:>9} | {:>15} | {:>15} |\n| {:-<width$} | {:->9} | {:->15} | {:->15} |\n",
        "contract", "raw bytes", "brotli-11 bytes", "share of 24 KiB", "", ":", ":", ":"
    );
    for r in reports {
        // Permille in integers, shown with one decimal.
        let permille = r.compressed * 1000 / MAX_COMPRESSED_BYTES;
        out.push_str(&format!(
            "| {:<width$} | {:>9} | {:>15} | {:>14}% |\n",
            r.contract,
            thousands(r.raw),
            thousands(r.compressed),
            format!("{}.{}", permille / 10, permille % 10),
        ));
    }
    out
}

/// Builds, copies and checks the named contracts (all when `only` is empty); prints the table.
///
/// # Errors
/// When a build fails, a named contract does not exist, or any module breaks a rule.
pub fn run(ws: &Workspace, only: &[String]) -> Result<Vec<Report>> {
    let contracts = select(ws, only)?;
    let mut reports = Vec::new();
    // A contract that does not build is reported, and the others are still measured.
    let mut broken = Vec::new();
    for package in &contracts {
        match build(ws, package).and_then(|artifact| inspect(ws, package, artifact)) {
            Ok(report) => reports.push(report),
            Err(e) => {
                eprintln!("error: {}: {e:#}", package.name);
                broken.push(package.name.as_str());
            }
        }
    }
    println!("\n{}", table(&reports));
    let mut failed = 0;
    for r in &reports {
        for v in &r.violations {
            eprintln!("error: {} ({}) {v}", r.contract, ws.display(&r.artifact));
            failed += 1;
        }
    }
    if !broken.is_empty() {
        bail!("could not build or read: {}", broken.join(", "));
    }
    if failed > 0 {
        bail!("{failed} Stylus rule violation(s)");
    }
    eprintln!(
        "==> {} contract(s) fit Stylus: modules in {}",
        reports.len(),
        ws.display(&ws.target_dir.join("stylus"))
    );
    Ok(reports)
}

/// The contracts named in `only` (all when empty).
///
/// # Errors
/// When a name is not a contract, or there is no contract at all.
pub fn select<'a>(ws: &'a Workspace, only: &[String]) -> Result<Vec<&'a Package>> {
    let all = ws.contracts();
    if all.is_empty() {
        bail!("no contract crates (cdylib crates under contracts/) in the workspace");
    }
    for name in only {
        if !all.iter().any(|p| &p.name == name) {
            let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
            bail!(
                "`{name}` is not a contract crate; contracts: {}",
                names.join(", ")
            );
        }
    }
    Ok(all
        .into_iter()
        .filter(|p| only.is_empty() || only.contains(&p.name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(24576), "24,576");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn table_shows_share_of_the_limit() {
        let report = Report {
            contract: "token".into(),
            artifact: PathBuf::from("x"),
            raw: 100_000,
            compressed: 12_288,
            violations: vec![],
        };
        let table = table(&[report]);
        assert!(
            table.contains("| token    |   100,000 |          12,288 |           50.0% |"),
            "{table}"
        );
    }
}
