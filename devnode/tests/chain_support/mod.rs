//! Shared helpers for the `chain_*` tests: a fresh chain, dev-account transactions, Stylus
//! deployment (plain CREATE + activation, or the StylusDeployer), the contract WASM built by
//! `cargo xtask wasm`, and Solidity compiled with the repository's solcjs.
#![allow(dead_code)]

use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{Address, Bytes, TxKind, B256, U256};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol;
use alloy::sol_types::SolCall;
use devnode::chain::STYLUS_DEPLOYER;
use devnode::precompiles::ARB_WASM;
use devnode::{Chain, ChainConfig, ChainError};
use std::path::{Path, PathBuf};
use std::process::Command;

sol! {
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function programVersion(address program) external view returns (uint16 version);
        function inkPrice() external view returns (uint32 price);
        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramUpToDate();
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }
    interface IStylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
        error ContractInitializationError(address newContract, bytes data);
    }
}

/// One ether in wei.
pub const ETHER: u128 = 1_000_000_000_000_000_000;

/// The latest block.
pub fn latest() -> BlockId {
    BlockId::Number(BlockNumberOrTag::Latest)
}

/// A fresh chain with the default configuration.
pub fn chain() -> Chain {
    Chain::new(ChainConfig::default())
}

/// Address of dev account `i`.
pub fn dev(chain: &Chain, i: usize) -> Address {
    chain.dev_accounts()[i].0
}

/// A call request.
pub fn req(from: Address, to: Address, data: impl Into<Bytes>) -> TransactionRequest {
    TransactionRequest {
        from: Some(from),
        to: Some(TxKind::Call(to)),
        input: data.into().into(),
        ..TransactionRequest::default()
    }
}

/// Sends `req` from a dev account and returns the receipt (the transaction is mined).
pub fn send(chain: &mut Chain, req: TransactionRequest) -> Result<TransactionReceipt, ChainError> {
    let hash = chain.send_transaction(req)?;
    Ok(chain
        .receipt(hash)
        .expect("mined transaction has a receipt"))
}

/// Sends `req` with an explicit gas limit (no estimation, so reverting transactions are mined).
pub fn send_with_gas(
    chain: &mut Chain,
    mut req: TransactionRequest,
    gas: u64,
) -> TransactionReceipt {
    req.gas = Some(gas);
    send(chain, req).expect("transaction accepted")
}

/// Calls `to` with `data` at the latest block.
pub fn call(
    chain: &mut Chain,
    from: Address,
    to: Address,
    data: impl Into<Bytes>,
) -> Result<Bytes, ChainError> {
    chain.call(&req(from, to, data), latest(), None)
}

/// EVM init code that returns `code` (what `cargo stylus deploy` sends).
pub fn init_code(code: &[u8]) -> Vec<u8> {
    let mut out = vec![0x7f];
    out.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    out.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    out.extend_from_slice(code);
    out
}

/// Deploys raw contract code with a CREATE transaction and returns its address.
pub fn create(chain: &mut Chain, from: Address, init: Vec<u8>) -> Address {
    let r = send(
        chain,
        TransactionRequest {
            from: Some(from),
            to: Some(TxKind::Create),
            input: Bytes::from(init).into(),
            ..TransactionRequest::default()
        },
    )
    .expect("create accepted");
    assert!(r.status(), "create failed: {r:?}");
    r.contract_address.expect("contract address")
}

/// Activates the program at `program` through ArbWasm, paying `value`.
pub fn activate(
    chain: &mut Chain,
    from: Address,
    program: Address,
    value: U256,
) -> Result<TransactionReceipt, ChainError> {
    let mut r = req(
        from,
        ARB_WASM,
        IArbWasm::activateProgramCall { program }.abi_encode(),
    );
    r.value = Some(value);
    send(chain, r)
}

/// Deploys Stylus `wasm` with CREATE, then activates it (two transactions, like
/// `cargo stylus deploy`).
/// Activation is skipped when the same code is already active (ArbWasm would answer
/// `ProgramUpToDate`).
pub fn deploy_wasm(chain: &mut Chain, from: Address, wasm: &[u8]) -> Address {
    let code = stylus_runtime::code::encode(wasm);
    let addr = create(chain, from, init_code(&code));
    let active = call(
        chain,
        from,
        ARB_WASM,
        IArbWasm::programVersionCall { program: addr }.abi_encode(),
    );
    if active.is_err() {
        let r = activate(chain, from, addr, U256::from(ETHER)).expect("activation accepted");
        assert!(r.status(), "activation failed");
    }
    addr
}

/// Deploys Stylus `wasm` through the StylusDeployer with `init_data` (e.g. a constructor call).
pub fn deploy_via_deployer(
    chain: &mut Chain,
    from: Address,
    wasm: &[u8],
    init_data: Vec<u8>,
    salt: B256,
) -> Result<(Address, TransactionReceipt), ChainError> {
    let code = stylus_runtime::code::encode(wasm);
    let data = IStylusDeployer::deployCall {
        bytecode: init_code(&code).into(),
        initData: init_data.into(),
        initValue: U256::ZERO,
        salt,
    }
    .abi_encode();
    let mut r = req(from, STYLUS_DEPLOYER, data);
    r.value = Some(U256::from(ETHER));
    let receipt = send(chain, r)?;
    let log = receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<IStylusDeployer::ContractDeployed>().ok())
        .ok_or_else(|| ChainError::Internal(format!("no ContractDeployed event: {receipt:?}")))?;
    Ok((log.inner.data.deployedContract, receipt))
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root exists")
}

/// The WASM of contract crate `name` from `cargo xtask wasm` (`<target dir>/stylus/<name>.wasm`).
///
/// # Panics
/// When the module is missing, with the command that builds it.
pub fn contract_wasm(name: &str) -> Vec<u8> {
    let root = repo_root();
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("DEVNODE_WASM_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        dirs.push(
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
            .join("stylus"),
        );
    }
    dirs.push(root.join("target/stylus"));
    for dir in &dirs {
        let path = dir.join(format!("{name}.wasm"));
        if let Ok(bytes) = std::fs::read(&path) {
            return bytes;
        }
    }
    panic!(
        "{name}.wasm not found in {dirs:?}: run `cargo xtask wasm` first (it builds every contract to <target>/stylus/)"
    );
}

/// Compiles Solidity `sources` (file name, content) with the repository's solcjs and returns
/// the creation bytecode of `contract` (`evm.bytecode`) and its runtime code.
///
/// # Panics
/// When node or the npm packages are missing (run `npm ci`), or compilation fails.
pub fn solc(sources: &[(&str, &str)], contract: &str) -> (Vec<u8>, Vec<u8>) {
    let root = repo_root();
    let mut srcs = serde_json::Map::new();
    for (name, content) in sources {
        srcs.insert((*name).into(), serde_json::json!({ "content": content }));
    }
    let input = serde_json::json!({
        "language": "Solidity",
        "sources": srcs,
        "settings": {
            "optimizer": { "enabled": true, "runs": 200 },
            "evmVersion": "cancun",
            "metadata": { "bytecodeHash": "none", "appendCBOR": false },
            "outputSelection": { "*": { "*": ["evm.bytecode.object", "evm.deployedBytecode.object"] } }
        }
    });
    let mut child = Command::new("node")
        .arg(root.join("tools/solc/solc.js"))
        .arg("--standard-json")
        .current_dir(&root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (install Node.js and run `npm ci` at the repository root)");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(input.to_string().as_bytes())
            .expect("write solc input");
    }
    let out = child.wait_with_output().expect("solc finishes");
    assert!(
        out.status.success(),
        "solc failed (run `npm ci`?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("solc JSON");
    if let Some(errors) = json["errors"].as_array() {
        let fatal: Vec<_> = errors.iter().filter(|e| e["severity"] == "error").collect();
        assert!(fatal.is_empty(), "solc errors: {fatal:?}");
    }
    let found = json["contracts"]
        .as_object()
        .and_then(|files| files.values().find_map(|f| f.get(contract)))
        .unwrap_or_else(|| panic!("contract {contract} not in solc output"));
    let hex =
        |v: &serde_json::Value| alloy::hex::decode(v.as_str().expect("hex string")).expect("hex");
    (
        hex(&found["evm"]["bytecode"]["object"]),
        hex(&found["evm"]["deployedBytecode"]["object"]),
    )
}

/// Reads a test Solidity file from `devnode/tests/sol/`.
pub fn sol_source(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sol")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Parses WAT into WASM.
pub fn wat(src: &str) -> Vec<u8> {
    wat::parse_str(src).expect("valid WAT")
}
