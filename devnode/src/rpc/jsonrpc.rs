//! JSON-RPC 2.0 envelopes: parsing single and batch requests, building responses and errors.
//!
//! This module knows nothing about Ethereum; it turns a request body into calls of a
//! `dispatch(method, params)` function and the results into a response body.

use serde_json::{json, Map, Value};
use std::fmt;

/// Invalid JSON was received.
pub const PARSE_ERROR: i64 = -32700;
/// The JSON sent is not a valid request object (or the batch is empty).
pub const INVALID_REQUEST: i64 = -32600;
/// The method does not exist.
pub const METHOD_NOT_FOUND: i64 = -32601;
/// Invalid method parameters.
pub const INVALID_PARAMS: i64 = -32602;
/// Internal error of the node.
pub const INTERNAL_ERROR: i64 = -32603;
/// Geth's code for transaction and state errors ("nonce too low", "insufficient funds ...").
pub const SERVER_ERROR: i64 = -32000;
/// Geth's code for execution reverted with revert data.
pub const EXECUTION_REVERTED: i64 = 3;

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    /// The error code (see the constants of this module).
    pub code: i64,
    /// Human-readable message.
    pub message: String,
    /// Extra data, e.g. the revert bytes as a hex string.
    pub data: Option<Value>,
}

impl RpcError {
    /// An error without data.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// -32700.
    pub fn parse_error(detail: impl fmt::Display) -> Self {
        Self::new(PARSE_ERROR, format!("parse error: {detail}"))
    }

    /// -32600.
    pub fn invalid_request(detail: impl fmt::Display) -> Self {
        Self::new(INVALID_REQUEST, format!("invalid request: {detail}"))
    }

    /// -32601, naming the method.
    pub fn method_not_found(method: &str) -> Self {
        Self::new(
            METHOD_NOT_FOUND,
            format!("the method {method} does not exist/is not available"),
        )
    }

    /// -32602.
    pub fn invalid_params(detail: impl fmt::Display) -> Self {
        Self::new(INVALID_PARAMS, format!("invalid params: {detail}"))
    }

    /// -32603.
    pub fn internal(detail: impl fmt::Display) -> Self {
        Self::new(INTERNAL_ERROR, format!("internal error: {detail}"))
    }

    /// -32000 with a geth-like message.
    pub fn server(message: impl Into<String>) -> Self {
        Self::new(SERVER_ERROR, message)
    }

    fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("code".into(), json!(self.code));
        obj.insert("message".into(), json!(self.message));
        if let Some(data) = &self.data {
            obj.insert("data".into(), data.clone());
        }
        Value::Object(obj)
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// One call decoded from a request object.
#[derive(Debug)]
pub struct Call<'a> {
    /// The method name.
    pub method: &'a str,
    /// Positional parameters (an absent or null `params` is an empty list).
    pub params: Vec<Value>,
}

/// Handles a request body: a single request or a batch.
///
/// Returns the response body, or `None` when nothing is to be returned (only notifications).
pub fn handle_body<F>(body: &[u8], mut dispatch: F) -> Option<Value>
where
    F: FnMut(Call<'_>) -> Result<Value, RpcError>,
{
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(error_response(Value::Null, &RpcError::parse_error(e))),
    };
    match parsed {
        Value::Array(items) if items.is_empty() => Some(error_response(
            Value::Null,
            &RpcError::invalid_request("empty batch"),
        )),
        Value::Array(items) => {
            let out: Vec<Value> = items
                .into_iter()
                .filter_map(|item| handle_one(item, &mut dispatch))
                .collect();
            (!out.is_empty()).then_some(Value::Array(out))
        }
        other => handle_one(other, &mut dispatch),
    }
}

/// Handles one request object; `None` for a notification (a request without `id`).
fn handle_one<F>(item: Value, dispatch: &mut F) -> Option<Value>
where
    F: FnMut(Call<'_>) -> Result<Value, RpcError>,
{
    let Value::Object(mut obj) = item else {
        return Some(error_response(
            Value::Null,
            &RpcError::invalid_request("a request must be an object"),
        ));
    };
    let id = obj.remove("id");
    let is_notification = id.is_none();
    let id = id.unwrap_or(Value::Null);
    if !matches!(id, Value::Null | Value::Number(_) | Value::String(_)) {
        return Some(error_response(
            Value::Null,
            &RpcError::invalid_request("id must be a number, a string or null"),
        ));
    }
    let result = decode_call(&obj).and_then(&mut *dispatch);
    if is_notification {
        return None;
    }
    Some(match result {
        Ok(value) => json!({ "jsonrpc": "2.0", "id": id, "result": value }),
        Err(e) => error_response(id, &e),
    })
}

/// Checks the envelope fields and extracts method and params.
fn decode_call(obj: &Map<String, Value>) -> Result<Call<'_>, RpcError> {
    match obj.get("jsonrpc") {
        Some(Value::String(v)) if v == "2.0" => {}
        _ => return Err(RpcError::invalid_request("jsonrpc must be \"2.0\"")),
    }
    let method = match obj.get("method") {
        Some(Value::String(m)) => m.as_str(),
        _ => return Err(RpcError::invalid_request("method must be a string")),
    };
    let params = match obj.get("params") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(_)) => {
            return Err(RpcError::invalid_params(
                "named parameters are not supported; pass an array",
            ))
        }
        Some(_) => return Err(RpcError::invalid_request("params must be an array")),
    };
    Ok(Call { method, params })
}

/// A response object carrying an error.
pub fn error_response(id: Value, err: &RpcError) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": err.to_json() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(call: Call<'_>) -> Result<Value, RpcError> {
        match call.method {
            "echo" => Ok(Value::Array(call.params)),
            "fail" => Err(RpcError::server("nope")),
            m => Err(RpcError::method_not_found(m)),
        }
    }

    fn run(body: &str) -> Option<Value> {
        handle_body(body.as_bytes(), echo)
    }

    fn code(v: &Value) -> i64 {
        v["error"]["code"].as_i64().unwrap_or_default()
    }

    #[test]
    fn single_request_echoes_id_and_result() {
        let r = run(r#"{"jsonrpc":"2.0","id":"a","method":"echo","params":[1]}"#);
        assert_eq!(r, Some(json!({"jsonrpc":"2.0","id":"a","result":[1]})));
    }

    #[test]
    fn parse_error_has_null_id() {
        let r = run("{not json").unwrap_or_default();
        assert_eq!(code(&r), PARSE_ERROR);
        assert_eq!(r["id"], Value::Null);
    }

    #[test]
    fn empty_batch_is_invalid_request() {
        let r = run("[]").unwrap_or_default();
        assert_eq!(code(&r), INVALID_REQUEST);
    }

    #[test]
    fn batch_answers_each_and_skips_notifications() {
        let r = run(r#"[{"jsonrpc":"2.0","id":1,"method":"echo"},
                       {"jsonrpc":"2.0","method":"echo"},
                       {"jsonrpc":"2.0","id":2,"method":"fail"},
                       5]"#)
        .unwrap_or_default();
        let arr = r.as_array().cloned().unwrap_or_default();
        assert_eq!(arr.len(), 3);
        assert_eq!(arr[0]["result"], json!([]));
        assert_eq!(code(&arr[1]), SERVER_ERROR);
        assert_eq!(arr[1]["id"], json!(2));
        assert_eq!(code(&arr[2]), INVALID_REQUEST);
    }

    #[test]
    fn only_notifications_return_nothing() {
        assert_eq!(run(r#"{"jsonrpc":"2.0","method":"echo"}"#), None);
    }

    #[test]
    fn envelope_errors() {
        let no_version = run(r#"{"id":1,"method":"echo"}"#).unwrap_or_default();
        assert_eq!(code(&no_version), INVALID_REQUEST);
        let no_method = run(r#"{"jsonrpc":"2.0","id":1}"#).unwrap_or_default();
        assert_eq!(code(&no_method), INVALID_REQUEST);
        let named =
            run(r#"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"a":1}}"#).unwrap_or_default();
        assert_eq!(code(&named), INVALID_PARAMS);
        let bad_id = run(r#"{"jsonrpc":"2.0","id":[1],"method":"echo"}"#).unwrap_or_default();
        assert_eq!(code(&bad_id), INVALID_REQUEST);
        let unknown = run(r#"{"jsonrpc":"2.0","id":1,"method":"nope_x"}"#).unwrap_or_default();
        assert_eq!(code(&unknown), METHOD_NOT_FOUND);
        assert!(unknown["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nope_x"));
    }
}
