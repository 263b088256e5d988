#!/usr/bin/env bash
# The main command: starts the local Stylus chain, deploys every contract, runs a short scenario
# (deposit ETH, deposit a token, transfer, permit, request and claim a withdrawal), prints
# addresses, balances and gas, and serves JSON-RPC on 127.0.0.1:8547 until Ctrl-C.
#
#   ./scripts/up.sh [restake up flags]     e.g. --port 9545, --state chain.json, --exit
#
# Works on a clean checkout: installs the wasm32 target from rust-toolchain.toml, builds the
# contracts (`cargo xtask wasm`) and the host binaries (profile `host`).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
cargo xtask wasm
exec cargo run --profile host -p restake-deploy --bin restake -- up "$@"
