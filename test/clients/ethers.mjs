// ethers.js v6 against the local chain: the vault through abi/RestakeVault.json, its events, and
// a custom error decoded from the ABI. Env: RPC_URL, MANIFEST, USER_KEY.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { ethers } from "ethers";

const manifest = JSON.parse(readFileSync(process.env.MANIFEST, "utf8"));
const provider = new ethers.JsonRpcProvider(process.env.RPC_URL, undefined, { staticNetwork: true });
const wallet = new ethers.Wallet(process.env.USER_KEY, provider);
const vault = new ethers.Contract(manifest.contracts.vault.address, JSON.parse(readFileSync("abi/RestakeVault.json", "utf8")), wallet);
const lrt = new ethers.Contract(manifest.contracts.lrtToken.address, JSON.parse(readFileSync("abi/LrtToken.json", "utf8")), wallet);

const network = await provider.getNetwork();
assert.equal(network.chainId, BigInt(manifest.chainId));
assert.equal((await vault.asset()).toLowerCase(), "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");

// Deposit and read the ERC-4626 Deposit event back.
const amount = ethers.parseEther("2");
const expected = await vault.previewDeposit(amount);
const balanceBefore = await lrt.balanceOf(wallet.address);
const tx = await vault.deposit(wallet.address, { value: amount });
const receipt = await tx.wait();
assert.equal(receipt.status, 1);
const parsed = receipt.logs.map((l) => vault.interface.parseLog(l)).filter((e) => e && e.name === "Deposit");
assert.equal(parsed.length, 1, "one Deposit event");
assert.equal(parsed[0].args.assets, amount);
assert.equal(parsed[0].args.shares, expected);
assert.equal(await lrt.balanceOf(wallet.address), balanceBefore + expected);
const events = await vault.queryFilter(vault.filters.Deposit(null, wallet.address), receipt.blockNumber, receipt.blockNumber);
assert.equal(events.length, 1, "eth_getLogs finds the Deposit event by indexed owner");
const transfers = await lrt.queryFilter(lrt.filters.Transfer(ethers.ZeroAddress, wallet.address), receipt.blockNumber);
assert.ok(transfers.length >= 1, "the mint's Transfer event is visible");
console.log(`deposit of 2 ETH minted ${ethers.formatEther(expected)} LRT; Deposit and Transfer events read back`);

// A custom error, decoded by ethers from the ABI.
try {
  await vault.deposit.staticCall(wallet.address, { value: 0n });
  assert.fail("a zero deposit succeeded");
} catch (err) {
  assert.ok(err.revert, `ethers decoded no custom error: ${err.shortMessage ?? err}`);
  console.log(`zero deposit: reverted with ${err.revert.name}(${err.revert.args.join(", ")})`);
  assert.equal(err.revert.name, "VaultZeroAmount");
}

// ETH sent to a non-payable function reverts.
await assert.rejects(
  wallet.sendTransaction({ to: await vault.getAddress(), data: vault.interface.encodeFunctionData("totalAssets"), value: 1n }),
  "value sent to a view function must revert",
);
console.log("ethers: ok");
