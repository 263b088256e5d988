//! Solidity declarations: the events and errors of `sol!` blocks in Rust sources, and the
//! interfaces printed by the Stylus SDK's `export-abi`.
//!
//! Only what the ABI files need is understood: `event` and `error` declarations with elementary
//! parameter types (`address`, `bool`, `string`, `bytes`, `bytesN`, `uintN`, `intN` and arrays
//! of them), and the SDK's line-per-member interface layout. Anything else is either skipped
//! (other items of a `sol!` block) or rejected with an error naming the file, so nothing is
//! dropped silently.

use std::fmt;

use anyhow::{bail, ensure, Context, Result};
use tiny_keccak::{Hasher, Keccak};

/// Whether a declaration is an event or an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `event Name(...)`.
    Event,
    /// `error Name(...)`.
    Error,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Error => "error",
        }
    }
}

/// One parameter of an event or error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Canonical type (`uint256`, never `uint`).
    pub ty: String,
    /// `indexed` (events only).
    pub indexed: bool,
    /// Parameter name, if given.
    pub name: Option<String>,
}

/// An event or error declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// Event or error.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its parameters.
    pub params: Vec<Param>,
    /// `anonymous` (events only).
    pub anonymous: bool,
    /// Its `///` documentation lines, without the slashes.
    pub docs: Vec<String>,
}

impl Declaration {
    /// The canonical signature, `Name(type1,type2)`.
    pub fn signature(&self) -> String {
        let types: Vec<&str> = self.params.iter().map(|p| p.ty.as_str()).collect();
        format!("{}({})", self.name, types.join(","))
    }

    /// `keccak256` of the signature: an event's first topic, an error's selector (first 4 bytes).
    pub fn hash(&self) -> [u8; 32] {
        keccak256(self.signature().as_bytes())
    }

    /// Whether the two declare the same thing with the same text (docs aside).
    pub fn same_as(&self, other: &Declaration) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && self.params == other.params
            && self.anonymous == other.anonymous
    }

    /// Parses `event Name(type [indexed] [name], ...) [anonymous];` or `error Name(...);`
    /// (the trailing `;` is optional, comments must already be removed).
    ///
    /// # Errors
    /// On any other text, and on parameter types this module does not handle.
    pub fn parse(text: &str) -> Result<Declaration> {
        let text = text.trim().trim_end_matches(';').trim_end();
        let (kind, rest) = if let Some(rest) = text.strip_prefix("event") {
            (Kind::Event, rest)
        } else if let Some(rest) = text.strip_prefix("error") {
            (Kind::Error, rest)
        } else {
            bail!("not an event or error declaration: `{text}`");
        };
        let open = rest
            .find('(')
            .with_context(|| format!("no parameter list in `{text}`"))?;
        let name = rest[..open].trim();
        ensure!(is_identifier(name), "bad name `{name}` in `{text}`");
        let close = rest
            .rfind(')')
            .with_context(|| format!("unclosed parameter list in `{text}`"))?;
        let list = &rest[open + 1..close];
        let anonymous = match rest[close + 1..].trim() {
            "" => false,
            "anonymous" if kind == Kind::Event => true,
            other => bail!("unexpected `{other}` after the parameters of `{text}`"),
        };
        let mut params = Vec::new();
        if !list.trim().is_empty() {
            for param in list.split(',') {
                params.push(parse_param(param, kind).with_context(|| format!("in `{text}`"))?);
            }
        }
        Ok(Declaration {
            kind,
            name: name.to_string(),
            params,
            anonymous,
            docs: Vec::new(),
        })
    }
}

impl fmt::Display for Declaration {
    /// The declaration as one line of Solidity, canonical types, `;` included.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}(", self.kind.keyword(), self.name)?;
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{}", p.ty)?;
            if p.indexed {
                write!(f, " indexed")?;
            }
            if let Some(name) = &p.name {
                write!(f, " {name}")?;
            }
        }
        write!(f, ")")?;
        if self.anonymous {
            write!(f, " anonymous")?;
        }
        write!(f, ";")
    }
}

/// `keccak256(bytes)`.
pub fn keccak256(bytes: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak::v256();
    hasher.update(bytes);
    let mut out = [0u8; 32];
    hasher.finalize(&mut out);
    out
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c == '$' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c == '$' || c.is_ascii_alphanumeric())
}

fn parse_param(text: &str, kind: Kind) -> Result<Param> {
    let mut words = text.split_whitespace();
    let ty = canonical_type(words.next().context("empty parameter")?)?;
    let mut indexed = false;
    let mut name = None;
    for word in words {
        match word {
            "indexed" if kind == Kind::Event && name.is_none() && !indexed => indexed = true,
            // Data locations and `payable` do not change the ABI type.
            "memory" | "calldata" | "storage" | "payable" if name.is_none() => {}
            w if name.is_none() && is_identifier(w) => name = Some(w.to_string()),
            w => bail!("unexpected `{w}` in parameter `{}`", text.trim()),
        }
    }
    Ok(Param { ty, indexed, name })
}

/// `uint` -> `uint256`, `int[2]` -> `int256[2]`; rejects anything but elementary types and
/// arrays of them.
fn canonical_type(ty: &str) -> Result<String> {
    let split = ty.find('[').unwrap_or(ty.len());
    let (base, arrays) = ty.split_at(split);
    let base = match base {
        "uint" => "uint256".to_string(),
        "int" => "int256".to_string(),
        "byte" => "bytes1".to_string(),
        "address" | "bool" | "string" | "bytes" => base.to_string(),
        b => {
            let sized = |prefix: &str, ok: fn(u32) -> bool| {
                b.strip_prefix(prefix)
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|n| ok(n) && !b[prefix.len()..].starts_with('0'))
            };
            let int_bits = |n: u32| n.is_multiple_of(8) && (8..=256).contains(&n);
            if sized("uint", int_bits)
                || sized("int", int_bits)
                || sized("bytes", |n| (1..=32).contains(&n))
            {
                b.to_string()
            } else {
                bail!(
                    "unsupported parameter type `{ty}`: the ABI export handles elementary types and arrays of them"
                );
            }
        }
    };
    let mut rest = arrays;
    while !rest.is_empty() {
        let close = rest
            .find(']')
            .with_context(|| format!("bad array type `{ty}`"))?;
        let len = &rest[1..close];
        ensure!(
            rest.starts_with('[') && (len.is_empty() || len.parse::<u64>().is_ok()),
            "bad array type `{ty}`"
        );
        rest = &rest[close + 1..];
    }
    Ok(format!("{base}{arrays}"))
}

// ---------------------------------------------------------------------------------------------
// Rust sources

/// Where a Rust comment or literal starting at `i` ends (exclusive), or `None` if none starts
/// there. Lifetimes (`'a`) are not literals.
fn skip_comment_or_literal(src: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| src.get(k).copied().unwrap_or(0);
    let ident_before = i > 0 && (at(i - 1).is_ascii_alphanumeric() || at(i - 1) == b'_');
    match at(i) {
        b'/' if at(i + 1) == b'/' => Some(
            src[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(src.len(), |p| i + p),
        ),
        b'/' if at(i + 1) == b'*' => {
            let (mut depth, mut k) = (0usize, i);
            while k < src.len() {
                if at(k) == b'/' && at(k + 1) == b'*' {
                    depth += 1;
                    k += 2;
                } else if at(k) == b'*' && at(k + 1) == b'/' {
                    depth -= 1;
                    k += 2;
                    if depth == 0 {
                        return Some(k);
                    }
                } else {
                    k += 1;
                }
            }
            Some(src.len())
        }
        b'"' => {
            let mut k = i + 1;
            while k < src.len() && at(k) != b'"' {
                k += if at(k) == b'\\' { 2 } else { 1 };
            }
            Some((k + 1).min(src.len()))
        }
        b'r' if !ident_before && (at(i + 1) == b'"' || at(i + 1) == b'#') => {
            let hashes = src[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if at(i + 1 + hashes) != b'"' {
                return None; // `r#ident`
            }
            let mut closing = vec![b'"'];
            closing.extend(std::iter::repeat_n(b'#', hashes));
            let body = i + 2 + hashes;
            Some(
                src[body..]
                    .windows(closing.len())
                    .position(|w| w == closing.as_slice())
                    .map_or(src.len(), |p| body + p + closing.len()),
            )
        }
        b'\'' => {
            if at(i + 1) == b'\\' {
                let end = src[i + 2..].iter().position(|&c| c == b'\'')?;
                return Some(i + 2 + end + 1);
            }
            // A char literal is one (possibly multi-byte) character between quotes.
            let width = match at(i + 1) {
                c if c < 0x80 => 1,
                c if c >= 0xf0 => 4,
                c if c >= 0xe0 => 3,
                _ => 2,
            };
            (at(i + 1 + width) == b'\'').then_some(i + 2 + width)
        }
        _ => None,
    }
}

/// Index of the delimiter closing the one at `open`, skipping comments and literals.
fn matching_delimiter(src: &[u8], open: usize) -> Option<usize> {
    let (o, c) = match src[open] {
        b'{' => (b'{', b'}'),
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut i = open;
    while i < src.len() {
        if let Some(next) = skip_comment_or_literal(src, i) {
            i = next;
            continue;
        }
        if src[i] == o {
            depth += 1;
        } else if src[i] == c {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// The bodies of the `sol! { ... }` invocations in a Rust source (not `sol_interface!`, not in
/// comments or strings).
pub fn sol_blocks(source: &str) -> Vec<&str> {
    let src = source.as_bytes();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < src.len() {
        if let Some(next) = skip_comment_or_literal(src, i) {
            i = next;
            continue;
        }
        let boundary = i == 0 || !(src[i - 1].is_ascii_alphanumeric() || src[i - 1] == b'_');
        if boundary && src[i..].starts_with(b"sol!") {
            let mut open = i + 4;
            while open < src.len() && src[open].is_ascii_whitespace() {
                open += 1;
            }
            if let Some(close) = (open < src.len())
                .then(|| matching_delimiter(src, open))
                .flatten()
            {
                blocks.push(&source[open + 1..close]);
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    blocks
}

/// The event and error declarations of a `sol!` block body, with their `///` docs. Other
/// items (structs, functions, interfaces' other members) are skipped; declarations inside
/// `interface`/`contract` blocks are included.
///
/// # Errors
/// When an event or error declaration cannot be parsed.
pub fn declarations(body: &str) -> Result<Vec<Declaration>> {
    let src = body.as_bytes();
    let mut found = Vec::new();
    let mut docs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        if src[i..].starts_with(b"///") && !src[i..].starts_with(b"////") {
            let end = src[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(src.len(), |p| i + p);
            let line = &body[i + 3..end];
            docs.push(
                line.strip_prefix(' ')
                    .unwrap_or(line)
                    .trim_end()
                    .to_string(),
            );
            i = end;
            continue;
        }
        if let Some(next) = skip_comment_or_literal(src, i) {
            i = next;
            continue;
        }
        if c == b'#' && src.get(i + 1) == Some(&b'[') {
            i = matching_delimiter(src, i + 1).map_or(src.len(), |e| e + 1);
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let end = src[i..]
                .iter()
                .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                .map_or(src.len(), |p| i + p);
            let word = &body[i..end];
            if word == "event" || word == "error" {
                // The declaration runs to the next `;` outside comments.
                let mut text = String::new();
                let mut k = i;
                while k < src.len() && src[k] != b';' {
                    if let Some(next) = skip_comment_or_literal(src, k) {
                        text.push(' ');
                        k = next;
                        continue;
                    }
                    let ch = body[k..].chars().next().unwrap_or(' ');
                    text.push(ch);
                    k += ch.len_utf8();
                }
                let mut declaration = Declaration::parse(&text)?;
                declaration.docs = std::mem::take(&mut docs);
                found.push(declaration);
                i = k + 1;
                continue;
            }
            docs.clear();
            i = end;
            continue;
        }
        if !c.is_ascii_whitespace() {
            docs.clear();
        }
        i += 1;
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------------------
// The SDK's exported interfaces

/// One member of an exported interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Member {
    /// An event or error.
    Declaration(Declaration),
    /// A function or struct, as the SDK printed it (one or more lines, trimmed).
    Verbatim(String),
}

/// One `interface` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// Interface name (`ILrtToken`).
    pub name: String,
    /// Interfaces it inherits (`is A, B`).
    pub bases: Vec<String>,
    /// Members in print order.
    pub members: Vec<Member>,
}

/// Parses what `print_from_args` printed: a comment/licence/pragma preamble, then `interface`
/// blocks with one member per line (structs may span lines).
///
/// # Errors
/// On any line outside that layout, so an SDK change is noticed rather than mangled.
pub fn parse_exported(text: &str) -> Result<Vec<Interface>> {
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut current: Option<Interface> = None;
    let mut pending = String::new();
    let mut depth = 0i32;
    for (number, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let context = || format!("export-abi output line {}: `{raw}`", number + 1);
        let Some(iface) = current.as_mut() else {
            if let Some(header) = line.strip_prefix("interface ") {
                let header = header.strip_suffix('{').with_context(context)?.trim();
                let (name, bases) = match header.split_once(" is ") {
                    Some((name, bases)) => (
                        name.trim(),
                        bases.split(',').map(|b| b.trim().to_string()).collect(),
                    ),
                    None => (header, Vec::new()),
                };
                ensure!(is_identifier(name), "{}", context());
                current = Some(Interface {
                    name: name.to_string(),
                    bases,
                    members: Vec::new(),
                });
            } else {
                ensure!(
                    interfaces.is_empty() || line.is_empty(),
                    "unexpected {}",
                    context()
                );
            }
            continue;
        };
        if pending.is_empty() {
            if line.is_empty() {
                continue;
            }
            if line == "}" {
                interfaces.extend(current.take());
                continue;
            }
        } else {
            pending.push('\n');
        }
        pending.push_str(line);
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        let complete = depth == 0 && (line.ends_with(';') || line.ends_with('}'));
        if !complete {
            continue;
        }
        let statement = std::mem::take(&mut pending);
        let member = if statement.starts_with("event ") || statement.starts_with("error ") {
            Member::Declaration(Declaration::parse(&statement).with_context(context)?)
        } else if statement.starts_with("function ") || statement.starts_with("struct ") {
            Member::Verbatim(statement)
        } else {
            bail!("unexpected member in {}", context());
        };
        iface.members.push(member);
    }
    ensure!(
        current.is_none() && pending.is_empty(),
        "export-abi output ends inside an interface"
    );
    ensure!(!interfaces.is_empty(), "export-abi printed no interface");
    Ok(interfaces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_events_and_errors() {
        let e = Declaration::parse(
            "event Transfer(address indexed from, address  indexed to, uint value);",
        )
        .unwrap();
        assert_eq!(e.signature(), "Transfer(address,address,uint256)");
        assert_eq!(
            e.to_string(),
            "event Transfer(address indexed from, address indexed to, uint256 value);"
        );
        // The well-known ERC-20 Transfer topic.
        assert_eq!(
            e.hash()[..4],
            [0xdd, 0xf2, 0x52, 0xad],
            "keccak256(Transfer(address,address,uint256))"
        );
        let err = Declaration::parse("error E(address, uint8[2][] memory x)").unwrap();
        assert_eq!(err.to_string(), "error E(address, uint8[2][] x);");
        assert!(Declaration::parse("event A() anonymous").unwrap().anonymous);
    }

    #[test]
    fn rejects_what_it_cannot_hash() {
        for bad in [
            "event A(MyStruct s)",
            "event A((uint256,address) t)",
            "error A(uint7)",
            "error A(uint256 indexed x)",
            "error A() anonymous",
            "event A(bytes33)",
            "event A(uint256[x])",
            "function f()",
        ] {
            assert!(Declaration::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn finds_sol_blocks_outside_comments_and_strings() {
        let source = r##"
            // sol! { event InComment(); }
            const S: &str = "sol! { event InString(); }";
            const R: &str = r#"sol! { event InRaw(); }"#;
            fn f<'a>(x: &'a str) -> char { '{' }
            sol_interface! { interface I { function g() external; } }
            alloy_sol_types::sol! {
                /// A `}` in a doc comment.
                event Real(uint256 indexed a);
            }
            sol!(error Second(););
        "##;
        let blocks = sol_blocks(source);
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        let names: Vec<String> = blocks
            .iter()
            .flat_map(|b| declarations(b).unwrap())
            .map(|d| d.name)
            .collect();
        assert_eq!(names, ["Real", "Second"]);
    }

    #[test]
    fn attaches_docs_and_skips_attributes_and_other_items() {
        let body = r#"
            /// Undocumented struct's doc.
            struct S { uint256 a; }
            /// First line.
            ///
            /// Third line.
            #[derive(Debug)]
            event Moved(
                address indexed who, // a comment inside
                uint256 amount
            );
            #[derive(Debug)]
            error Failed(uint8 code);
            interface Other { event Nested(bool b); }
        "#;
        let found = declarations(body).unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].docs, ["First line.", "", "Third line."]);
        assert_eq!(
            found[0].to_string(),
            "event Moved(address indexed who, uint256 amount);"
        );
        assert_eq!(found[1].kind, Kind::Error);
        assert!(found[1].docs.is_empty());
        assert_eq!(found[2].name, "Nested");
        assert!(found[2].docs.is_empty());
    }

    const EXPORTED: &str = "/**
 * This file was automatically generated by Stylus and represents a Rust program.
 */

// SPDX-License-Identifier: MIT-OR-APACHE-2.0
pragma solidity ^0.8.23;

interface IToken is IAdmin {
    function name() external view returns (string memory);

    function move(address to, uint256 value) external returns (bool);

    error Short(address, uint256);

    error Denied(address);

    struct Pair {
        uint256 a;
        uint256 b;
    }
}
interface IAdmin {
    function admin() external view returns (address);

    error Denied(address);
}
";

    #[test]
    fn parses_exported_interfaces() {
        let ifaces = parse_exported(EXPORTED).unwrap();
        assert_eq!(ifaces.len(), 2);
        assert_eq!(ifaces[0].name, "IToken");
        assert_eq!(ifaces[0].bases, ["IAdmin"]);
        assert_eq!(ifaces[0].members.len(), 5);
        assert_eq!(
            ifaces[0].members[4],
            Member::Verbatim("struct Pair {\nuint256 a;\nuint256 b;\n}".into())
        );
        let Member::Declaration(short) = &ifaces[0].members[2] else {
            panic!("expected an error");
        };
        assert_eq!(short.signature(), "Short(address,uint256)");
        assert!(ifaces[1].bases.is_empty());
    }

    #[test]
    fn rejects_unknown_export_layout() {
        let changed = EXPORTED.replace("function admin()", "modifier admin()");
        assert!(parse_exported(&changed).is_err());
        assert!(parse_exported("nothing here").is_err());
        assert!(parse_exported("interface I {\n function f() external;\n").is_err());
    }
}
