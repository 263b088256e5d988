#!/usr/bin/env bash
# End-to-end tests with real clients nobody here wrote, against the local Stylus chain:
#   1. Foundry `cast` (npm): deposit and read the LRT balance through the signatures in abi/;
#   2. ethers.js v6 (npm): call the vault through abi/*.json, read events, decode a custom error;
#   3. cargo-stylus 0.10.x: `cargo stylus check` and `cargo stylus deploy --no-verify`.
# It builds and starts `devnode` on a free port, deploys with `restake deploy --rpc-url`, runs
# each client and stops the node. Needs `cargo xtask wasm` to have built target/stylus/ (the
# deploy tool builds it when missing). Usage: test/clients/run.sh [cast|ethers|stylus]...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
clients=("$@")
[ ${#clients[@]} -eq 0 ] && clients=(cast ethers stylus)

target_dir="${CARGO_TARGET_DIR:-$root/target}"
echo "building devnode and restake (debug, shared with cargo test)..."
cargo build -q -p devnode -p restake-deploy --bins
devnode_bin="$target_dir/debug/devnode"
restake_bin="$target_dir/debug/restake"

work="$(mktemp -d)"
node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A free port from the kernel.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export RPC_URL="http://127.0.0.1:$port"
"$devnode_bin" --port "$port" --silent >"$work/devnode.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do
  if node -e 'fetch(process.argv[1],{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({jsonrpc:"2.0",id:1,method:"eth_chainId",params:[]})}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$RPC_URL"; then
    break
  fi
  sleep 0.2
done
echo "devnode up at $RPC_URL (pid $node_pid)"

"$restake_bin" deploy --rpc-url "$RPC_URL" --deployments "$work/deployments" --no-build
export MANIFEST="$work/deployments/412346.json"
# Dev accounts 1 (user) and 0 (deployer) of anvil's test mnemonic.
export USER_KEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
export USER_ADDR=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
export DEPLOYER_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80

status=0
for client in "${clients[@]}"; do
  echo "==== client: $client ===="
  case "$client" in
    cast) bash test/clients/cast.sh || status=1 ;;
    ethers) node test/clients/ethers.mjs || status=1 ;;
    stylus) bash test/clients/cargo-stylus.sh || status=1 ;;
    *) echo "unknown client $client"; status=1 ;;
  esac
done
if [ $status -ne 0 ]; then
  echo "devnode log (last 40 lines):"
  tail -40 "$work/devnode.log"
fi
exit $status
