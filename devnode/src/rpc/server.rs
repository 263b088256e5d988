//! The HTTP transport: accepts connections, hands request bodies to the JSON-RPC layer on a
//! blocking thread, optionally mines on a timer, and shuts down on request.

use super::filters::{Filters, DEFAULT_FILTER_TTL};
use super::jsonrpc::{self, RpcError};
use super::methods::{lock, Node, SharedChain};
use crate::chain::Chain;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS};
use hyper::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

/// Largest accepted request body (a Stylus deployment of a 128 KiB program is ~260 KB hex).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Mine a block every this often instead of on each transaction (automine is turned off).
    pub block_time: Option<Duration>,
    /// Lifetime of a polling filter that is not polled.
    pub filter_ttl: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            block_time: None,
            filter_ttl: DEFAULT_FILTER_TTL,
        }
    }
}

/// A running server. Dropping it stops the server as [`ServerHandle::shutdown`] does, without
/// waiting.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    chain: SharedChain,
    stop: Option<oneshot::Sender<()>>,
    accept_loop: Option<JoinHandle<()>>,
    miner: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// The bound address (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, ready for a provider.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The served chain (lock it to inspect or change state in-process).
    pub fn chain(&self) -> SharedChain {
        Arc::clone(&self.chain)
    }

    /// Stops accepting, closes open connections and the miner, and returns the chain.
    pub async fn shutdown(mut self) -> SharedChain {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.accept_loop.take() {
            // The accept loop only ends by the stop signal; a panic in it is already logged.
            let _ = task.await;
        }
        if let Some(miner) = self.miner.take() {
            miner.abort();
            let _ = miner.await;
        }
        Arc::clone(&self.chain)
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(miner) = self.miner.take() {
            miner.abort();
        }
    }
}

/// Serves `chain` over JSON-RPC on `addr` (port 0 picks a free port) with default options.
///
/// Must be called inside a tokio runtime; the server runs on spawned tasks until the handle
/// is shut down or dropped.
///
/// # Errors
/// When the address cannot be bound.
pub async fn serve(chain: Chain, addr: SocketAddr) -> std::io::Result<ServerHandle> {
    serve_with(Arc::new(Mutex::new(chain)), addr, ServeOptions::default()).await
}

/// Serves a shared chain with explicit options.
///
/// # Errors
/// When the address cannot be bound.
pub async fn serve_with(
    chain: SharedChain,
    addr: SocketAddr,
    options: ServeOptions,
) -> std::io::Result<ServerHandle> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let miner = options.block_time.map(|every| {
        lock(&chain).set_automine(false);
        tokio::spawn(mine_every(Arc::clone(&chain), every))
    });
    let node = Arc::new(Node::new(
        Arc::clone(&chain),
        Filters::new(options.filter_ttl),
        options.block_time.is_some(),
    ));
    let (stop, stopped) = oneshot::channel();
    let accept_loop = tokio::spawn(accept_loop(listener, node, stopped));
    tracing::debug!(%addr, "json-rpc server bound");
    Ok(ServerHandle {
        addr,
        chain,
        stop: Some(stop),
        accept_loop: Some(accept_loop),
        miner,
    })
}

/// Mines a block every `every` (interval mining).
async fn mine_every(chain: SharedChain, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await; // the first tick fires immediately
    loop {
        ticker.tick().await;
        let chain = Arc::clone(&chain);
        let mined = tokio::task::spawn_blocking(move || lock(&chain).mine()).await;
        match mined {
            Ok(hash) => tracing::debug!(%hash, "interval block mined"),
            Err(e) => tracing::error!(error = %e, "interval mining failed"),
        }
    }
}

/// Accepts connections until `stopped` fires (or its sender is dropped).
async fn accept_loop(listener: TcpListener, node: Arc<Node>, mut stopped: oneshot::Receiver<()>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        // E.g. too many open files: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                // Small request/response pairs: do not let Nagle's algorithm delay them.
                if let Err(e) = stream.set_nodelay(true) {
                    tracing::debug!(%peer, error = %e, "cannot set TCP_NODELAY");
                }
                let node = Arc::clone(&node);
                connections.spawn(async move {
                    let service = service_fn(move |req| handle(Arc::clone(&node), req));
                    if let Err(e) = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await
                    {
                        tracing::debug!(%peer, error = %e, "connection closed with error");
                    }
                });
            }
        }
    }
    connections.shutdown().await;
    tracing::debug!("json-rpc server stopped");
}

/// Answers one HTTP request.
async fn handle(
    node: Arc<Node>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    match *req.method() {
        Method::POST => {}
        Method::OPTIONS => return Ok(reply(StatusCode::NO_CONTENT, Bytes::new())),
        _ => {
            return Ok(reply(
                StatusCode::METHOD_NOT_ALLOWED,
                Bytes::from_static(b"devnode: send JSON-RPC requests with POST\n"),
            ))
        }
    }
    let body = match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            let err = RpcError::invalid_request(format!("cannot read body: {e}"));
            return Ok(json_reply(&jsonrpc::error_response(Value::Null, &err)));
        }
    };
    let answer = tokio::task::spawn_blocking(move || {
        jsonrpc::handle_body(&body, |call| {
            let method = call.method.to_owned();
            // A bug in one method must not take the node down: answer -32603 and go on.
            std::panic::catch_unwind(AssertUnwindSafe(|| node.dispatch(call))).unwrap_or_else(
                |_| {
                    tracing::error!(method, "panic while handling request");
                    Err(RpcError::internal(format!("panic while handling {method}")))
                },
            )
        })
    })
    .await;
    Ok(match answer {
        Ok(Some(value)) => json_reply(&value),
        Ok(None) => reply(StatusCode::NO_CONTENT, Bytes::new()),
        Err(e) => json_reply(&jsonrpc::error_response(
            Value::Null,
            &RpcError::internal(e),
        )),
    })
}

fn json_reply(value: &Value) -> Response<Full<Bytes>> {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut resp = reply(StatusCode::OK, Bytes::from(body));
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

fn reply(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    // Browser dapps on another origin may talk to a dev node.
    h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, OPTIONS"),
    );
    h.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    resp
}
