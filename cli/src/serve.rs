//! `twostep serve`: runs the reference backend (twostep-server) on this machine until the
//! process is stopped (Ctrl-C). Everything it serves and stores is the server crate's; this
//! module only turns the command line into a `ServerConfig`.
//!
//! Prints `listening on http://IP:PORT` on standard output once the port is bound (with
//! `--addr 127.0.0.1:0` the port is chosen by the system), so scripts can wait for that line.
//! Stopping it mid-request loses nothing committed: every request is one SQLite transaction.
//! The database and its key file (`FILE.key`, which seals TOTP seeds and the signing key)
//! are created owner-only; keep them together.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use twostep_server::{Server, ServerConfig};

use crate::error::CliError;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port (printed once listening)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    pub addr: SocketAddr,
    /// The server's SQLite database; created and migrated when needed, never deleted
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// Dev mode, for tests and demos only, never on a real deployment: keeps the SMS and
    /// voice codes sent and serves them at GET /v1/dev/outbox, and serves POST /v1/dev/clock
    /// to move the server's clock forward so expiry can be tested (--dev-outbox, the older
    /// name, is the same)
    #[arg(long, alias = "dev-outbox")]
    pub dev: bool,
}

pub fn run(args: &ServeArgs) -> Result<(), CliError> {
    let mut config = ServerConfig::new(args.addr, &args.db);
    config.dev_outbox = args.dev;
    config.dev_clock = args.dev;
    let server = Server::start(config).map_err(|e| CliError::Failed(e.to_string()))?;
    if args.dev {
        eprintln!(
            "twostep serve: dev mode: GET /v1/dev/outbox shows every code sent, \
             POST /v1/dev/clock moves the server's clock forward"
        );
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {}", server.url()).and_then(|()| out.flush()).map_err(|_| CliError::OutputClosed)?;
    drop(out);
    server.wait().map_err(|e| CliError::Failed(e.to_string()))
}
