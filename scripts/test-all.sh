#!/usr/bin/env bash
# Every test and check of the repository, as CI runs it (`.ci/run` calls this script).
#
#   ./scripts/test-all.sh
#
# Works on a clean checkout: installs what the project pins (the Rust wasm target and
# components from rust-toolchain.toml, the npm packages from package-lock.json), then runs
# formatting, lints, the Rust tests, the Stylus size/validity and ABI drift checks, and the
# Foundry build of the generated interfaces. Every step runs even when an earlier one failed;
# the script exits non-zero if any failed and lists them.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
started=$SECONDS

section() {
  printf '\n==== %s ====\n' "$*"
}

# step NAME COMMAND...: runs the command under a section header and records a failure.
step() {
  local name=$1
  shift
  section "$name"
  printf '$ %s\n' "$*"
  local t0=$SECONDS
  if "$@"; then
    printf -- '-- %s: ok (%ss)\n' "$name" $((SECONDS - t0))
  else
    printf -- '-- %s: FAILED (%ss)\n' "$name" $((SECONDS - t0))
    failed+=("$name")
  fi
}

setup() {
  local channel
  channel=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  echo "rust toolchain (rust-toolchain.toml): $channel"
  # rustup adds what rust-toolchain.toml lists only when asked (RUSTUP_AUTO_INSTALL may be off).
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown || return 1
  fi
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      rustup component add "$component" || return 1
    fi
  done
  rustc --version && cargo --version || return 1
  command -v node >/dev/null || { echo "Node.js is required (forge, cast, anvil and solc come from npm)"; return 1; }
  echo "node $(node --version), npm $(npm --version 2>/dev/null)"
  # npm ci when node_modules is missing or older than the lockfile.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund || return 1
  else
    echo "node_modules up to date with package-lock.json"
  fi
}

section "setup: toolchains and pinned packages"
if ! setup; then
  echo "setup failed: nothing else can run"
  exit 1
fi

step "cargo fmt" cargo fmt --all -- --check
# First: builds target/stylus/*.wasm, which the end-to-end tests deploy to the local chain.
step "cargo xtask check (Stylus WASM limits, ABI drift)" cargo xtask check
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
step "cargo test" cargo test --workspace --no-fail-fast
step "client tests (cast, ethers.js, cargo-stylus)" ./test/clients/run.sh
step "forge build (abi/ interfaces)" npx forge build

section "summary"
echo "took $((SECONDS - started))s"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED steps:\n'
  printf '  - %s\n' "${failed[@]}"
  exit 1
fi
echo "every step passed"
