#!/usr/bin/env bash
# Foundry `cast` against the local chain: deposit ETH into the vault and read the LRT balance,
# through the function signatures in abi/. Env: RPC_URL, MANIFEST, USER_KEY, USER_ADDR.
set -euo pipefail
cast() { "$(dirname "$0")/../../node_modules/.bin/cast" "$@"; }
addr() { node -e "console.log(JSON.parse(require('fs').readFileSync(process.env.MANIFEST)).contracts['$1'].address)"; }
sig() { node "$(dirname "$0")/abi-sig.mjs" "$@"; }
fail() { echo "cast test FAILED: $*"; exit 1; }

vault="$(addr vault)"
lrt="$(addr lrtToken)"
deposit="$(sig abi/RestakeVault.json function deposit)"
preview="$(sig abi/RestakeVault.json function previewDeposit --outputs)"
balance_of="$(sig abi/LrtToken.json function balanceOf --outputs)"
zero_amount="$(sig abi/RestakeVault.json error VaultZeroAmount)"
echo "vault $vault, lrt $lrt; calling $deposit, $preview, $balance_of"

before="$(cast call --rpc-url "$RPC_URL" "$lrt" "$balance_of" "$USER_ADDR" | awk '{print $1}')"
expected="$(cast call --rpc-url "$RPC_URL" "$vault" "$preview" 1000000000000000000 | awk '{print $1}')"
cast send --rpc-url "$RPC_URL" --private-key "$USER_KEY" --value 1ether "$vault" "$deposit" "$USER_ADDR" >/dev/null
after="$(cast call --rpc-url "$RPC_URL" "$lrt" "$balance_of" "$USER_ADDR" | awk '{print $1}')"
gained="$(node -e "console.log((BigInt(process.argv[1]) - BigInt(process.argv[2])).toString())" "$after" "$before")"
echo "deposited 1 ETH: LRT balance $before -> $after (previewDeposit said $expected)"
[ "$gained" = "$expected" ] || fail "minted $gained shares, previewDeposit promised $expected"
[ "$gained" != "0" ] || fail "no shares minted"

# A zero deposit reverts with the vault's typed error, which cast shows as raw data we decode
# with the selector of the error signature in abi/.
if out="$(cast send --rpc-url "$RPC_URL" --private-key "$USER_KEY" --value 0 "$vault" "$deposit" "$USER_ADDR" 2>&1)"; then
  fail "a zero deposit succeeded: $out"
fi
selector="$(cast sig "$zero_amount")"
echo "$out" | grep -qi "${selector#0x}" || fail "zero deposit did not revert with $zero_amount ($selector): $out"
echo "zero deposit reverted with $zero_amount"
echo "cast: ok"
