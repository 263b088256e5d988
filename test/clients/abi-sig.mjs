// Prints the canonical signature of a function or error from a committed JSON ABI, e.g.
//   node test/clients/abi-sig.mjs abi/RestakeVault.json function deposit   -> deposit(address)
// so shell clients call contracts through the signatures in abi/ rather than hand-typed ones.
import { readFileSync } from "node:fs";

const [file, kind, name, withOutputs] = process.argv.slice(2);
const abi = JSON.parse(readFileSync(file, "utf8"));
const items = abi.filter((e) => e.type === kind && e.name === name);
if (items.length !== 1) {
  console.error(`${file}: expected exactly one ${kind} ${name}, found ${items.length}`);
  process.exit(1);
}
const type = (p) => (p.type.startsWith("tuple") ? `(${p.components.map(type).join(",")})${p.type.slice(5)}` : p.type);
let sig = `${name}(${items[0].inputs.map(type).join(",")})`;
if (withOutputs === "--outputs") sig += `(${(items[0].outputs ?? []).map(type).join(",")})`;
console.log(sig);
