#!/usr/bin/env bash
# cargo-stylus 0.10.x against the local chain: `cargo stylus check` and
# `cargo stylus deploy --no-verify` of the test rate provider (a contract with a constructor).
# Installs cargo-stylus into target/tools when missing (~4 minutes on 2 cores).
# Env: RPC_URL, DEPLOYER_KEY.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version=0.10.10
tools="${CARGO_TARGET_DIR:-$root/target}/tools"
bin="$tools/bin/cargo-stylus"
if ! "$bin" --version 2>/dev/null | grep -q "$version"; then
  echo "installing cargo-stylus $version into $tools..."
  cargo install --quiet --locked --root "$tools" cargo-stylus --version "$version"
fi
export PATH="$tools/bin:$PATH"
cd "$root/contracts/test-rate-provider"
echo "cargo stylus check"
cargo stylus check --endpoint "$RPC_URL"
echo "cargo stylus deploy --no-verify"
out="$(cargo stylus deploy --no-verify --endpoint "$RPC_URL" --private-key "$DEPLOYER_KEY" \
  --constructor-args 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 1000000000000000000 2>&1)"
echo "$out"
address="$(echo "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -oiE 'deployed code at address: *0x[0-9a-f]{40}' | grep -oiE '0x[0-9a-f]{40}' | head -1)"
[ -n "$address" ] || { echo "cargo-stylus test FAILED: no deployed address in its output"; exit 1; }
rate="$("$root/node_modules/.bin/cast" call --rpc-url "$RPC_URL" "$address" 'getRate()(uint256)' | awk '{print $1}')"
[ "$rate" = "1000000000000000000" ] || { echo "cargo-stylus test FAILED: getRate() = $rate at $address"; exit 1; }
echo "deployed by cargo-stylus at $address, getRate() = $rate"
echo "cargo-stylus: ok"
