//! Command-line flags of the `devnode` binary.

use clap::Parser;
use std::net::IpAddr;
use std::path::PathBuf;

/// A local Arbitrum-like dev chain that runs real Stylus WASM, served over JSON-RPC.
///
/// Ten dev accounts from the `test test ... junk` mnemonic (the keys anvil uses) hold
/// 10,000 ETH each. Transactions are mined as they arrive unless --block-time is given.
/// Logs go to stderr and follow RUST_LOG (default `devnode=info`).
#[derive(Debug, Parser)]
#[command(name = "devnode", version)]
pub struct Cli {
    /// Address to listen on. Keep the default (loopback) unless other machines must reach the
    /// node: it has unlocked accounts and no authentication.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Port to listen on; 0 picks a free port (printed in the "Listening on" line).
    #[arg(long, short = 'p', default_value_t = 8547)]
    pub port: u16,

    /// EIP-155 chain id. The default is Arbitrum Nitro's local dev chain id.
    #[arg(long, default_value_t = devnode::chain::DEFAULT_CHAIN_ID)]
    pub chain_id: u64,

    /// Mine a block every SECS seconds (interval mining) instead of one block per
    /// transaction.
    #[arg(long, short = 'b', value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub block_time: Option<u64>,

    /// State file: loaded at start if it exists, written at exit (Ctrl-C or SIGTERM).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Largest deployable code in bytes, for Stylus programs (compressed) and EVM contracts
    /// alike (default: Arbitrum's 24,576). Raising it, like anvil's `--code-size-limit`, lets
    /// contracts still over the limit run locally; Arbitrum itself would refuse them.
    #[arg(long, value_name = "BYTES")]
    pub code_size_limit: Option<usize>,

    /// Print neither the banner nor info logs (warnings and errors still go to stderr). The
    /// "Listening on" line is always printed so scripts can find the port.
    #[arg(long, visible_alias = "quiet", short = 'q')]
    pub silent: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn defaults() {
        let cli = Cli::try_parse_from(["devnode"]).ok();
        let cli = cli.as_ref();
        assert_eq!(cli.map(|c| c.port), Some(8547));
        assert_eq!(cli.map(|c| c.chain_id), Some(412_346));
        assert_eq!(
            cli.map(|c| c.host.to_string()),
            Some("127.0.0.1".to_owned())
        );
        assert_eq!(cli.and_then(|c| c.block_time), None);
        assert_eq!(cli.map(|c| c.silent), Some(false));
    }

    #[test]
    fn flags_parse_and_zero_block_time_is_refused() {
        let cli = Cli::try_parse_from([
            "devnode",
            "--port",
            "0",
            "--chain-id",
            "5",
            "--block-time",
            "2",
            "--state",
            "s.json",
            "--quiet",
        ])
        .ok();
        assert_eq!(cli.as_ref().and_then(|c| c.block_time), Some(2));
        assert_eq!(cli.as_ref().map(|c| c.silent), Some(true));
        assert!(Cli::try_parse_from(["devnode", "--block-time", "0"]).is_err());
    }

    #[test]
    fn help_is_consistent() {
        Cli::command().debug_assert();
    }
}
