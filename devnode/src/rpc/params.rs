//! Typed access to positional JSON-RPC parameters.

use super::jsonrpc::RpcError;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Positional parameters of one call.
#[derive(Debug)]
pub struct Params {
    items: Vec<Value>,
}

impl Params {
    /// Wraps the parameter list.
    pub fn new(items: Vec<Value>) -> Self {
        Self { items }
    }

    /// Rejects calls with more than `n` parameters (geth: "too many arguments").
    ///
    /// # Errors
    /// -32602 when there are more than `n`.
    pub fn at_most(&self, n: usize) -> Result<(), RpcError> {
        if self.items.len() > n {
            return Err(RpcError::invalid_params(format!(
                "too many arguments, want at most {n}"
            )));
        }
        Ok(())
    }

    /// Parameter `i`, which must be present and non-null.
    ///
    /// # Errors
    /// -32602 when missing or not decodable as `T`.
    pub fn required<T: DeserializeOwned>(&self, i: usize, name: &str) -> Result<T, RpcError> {
        self.optional(i, name)?.ok_or_else(|| {
            RpcError::invalid_params(format!("missing value for required argument {i} ({name})"))
        })
    }

    /// Parameter `i`, `None` when absent or null.
    ///
    /// # Errors
    /// -32602 when present but not decodable as `T`.
    pub fn optional<T: DeserializeOwned>(
        &self,
        i: usize,
        name: &str,
    ) -> Result<Option<T>, RpcError> {
        match self.items.get(i) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| RpcError::invalid_params(format!("argument {i} ({name}): {e}"))),
        }
    }

    /// Parameter `i` as an unsigned quantity: a JSON number, a `0x` hex string or a
    /// decimal string (dev tools disagree on which they send).
    ///
    /// # Errors
    /// -32602 when present but not a quantity that fits in 64 bits.
    pub fn quantity(&self, i: usize, name: &str) -> Result<Option<u64>, RpcError> {
        match self.items.get(i) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => parse_quantity(v).map(Some).ok_or_else(|| {
                RpcError::invalid_params(format!(
                    "argument {i} ({name}): expected a quantity (number or hex string), got {v}"
                ))
            }),
        }
    }

    /// The raw parameter `i`.
    pub fn raw(&self, i: usize) -> Option<&Value> {
        self.items.get(i)
    }
}

/// Parses a JSON number, `0x` hex string or decimal string as `u64`.
pub fn parse_quantity(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            Some(hex) if !hex.is_empty() => u64::from_str_radix(hex, 16).ok(),
            Some(_) => None,
            None => s.parse().ok(),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::Address;
    use serde_json::json;

    #[test]
    fn quantities_in_all_spellings() {
        assert_eq!(parse_quantity(&json!(10)), Some(10));
        assert_eq!(parse_quantity(&json!("0xa")), Some(10));
        assert_eq!(parse_quantity(&json!("10")), Some(10));
        assert_eq!(parse_quantity(&json!("0x")), None);
        assert_eq!(parse_quantity(&json!(-1)), None);
        assert_eq!(parse_quantity(&json!("0x1ffffffffffffffff")), None);
    }

    #[test]
    fn required_optional_and_errors() {
        let p = Params::new(vec![
            json!("0x0000000000000000000000000000000000000001"),
            json!(null),
        ]);
        let a: Address = p.required(0, "address").unwrap_or_default();
        assert_eq!(a, Address::with_last_byte(1));
        assert_eq!(p.optional::<bool>(1, "flag").ok(), Some(None));
        assert_eq!(p.optional::<bool>(5, "flag").ok(), Some(None));
        let missing = p.required::<bool>(1, "flag").err().map(|e| e.code);
        assert_eq!(missing, Some(super::super::jsonrpc::INVALID_PARAMS));
        let bad = p.required::<bool>(0, "flag").err().map(|e| e.code);
        assert_eq!(bad, Some(super::super::jsonrpc::INVALID_PARAMS));
        assert!(p.at_most(2).is_ok());
        assert!(p.at_most(1).is_err());
    }
}
