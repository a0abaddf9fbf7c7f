//! `twostep serve`: runs the reference backend (twostep-server) on this machine until the
//! process is stopped (Ctrl-C). Everything it serves and stores is the server crate's; this
//! module only turns the command line into a `ServerConfig`.
//!
//! Prints `listening on http://IP:PORT` on standard output once the port is bound (with
//! `--addr 127.0.0.1:0` the port is chosen by the system), so scripts can wait for that line.
//! Stopping it mid-request loses nothing committed: every request is one SQLite transaction.
//!
//! The address is bound before the database is touched, so a busy port leaves no new file
//! behind; the database and its key file (`FILE.key`, which seals TOTP seeds and the signing
//! key) are created readable by their owner only: keep them together. A host name such as
//! `localhost` is resolved, IPv4 first.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};

use clap::Args;
use twostep_server::{Server, ServerConfig};

use crate::error::CliError;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on, e.g. 127.0.0.1:8080 or localhost:8080; port 0 picks a free
    /// port (printed once listening)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
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
    let wanted = resolve(&args.addr)?;
    if args.db.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is a folder; --db takes a database file, e.g. {}",
            args.db.display(),
            args.db.join("server.db").display()
        )));
    }
    // Bound first: a port in use must not leave a fresh database behind.
    let probe = TcpListener::bind(wanted).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => "the port is in use (another server?); choose another with --addr".into(),
            std::io::ErrorKind::AddrNotAvailable => "that address is not one of this machine's".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied (ports below 1024 need privileges)".into(),
            _ => crate::error::io_words(&e).to_owned(),
        };
        CliError::Failed(format!("cannot listen on {wanted}: {why}; no database was created"))
    })?;
    let addr = probe.local_addr().unwrap_or(wanted);
    let created = create_private(&args.db)?;
    drop(probe);
    let mut config = ServerConfig::new(addr, &args.db);
    config.dev_outbox = args.dev;
    config.dev_clock = args.dev;
    let server = Server::start(config).map_err(|e| {
        if created {
            // Ours since a moment ago, and the server did not start: nothing to keep.
            for suffix in ["", "-wal", "-shm", ".key"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", args.db.display()));
            }
        }
        CliError::Failed(e.to_string())
    })?;
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

/// `HOST:PORT` to one address: an IP as it is, a name (`localhost`) resolved, IPv4 first.
fn resolve(text: &str) -> Result<SocketAddr, CliError> {
    let bad = |why: &str| CliError::Usage(format!("--addr {text}: {why}; write it as HOST:PORT, e.g. 127.0.0.1:8080"));
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if text.rsplit_once(':').is_none_or(|(_, port)| port.parse::<u16>().is_err()) {
        return Err(bad("no port number"));
    }
    let all: Vec<SocketAddr> = text.to_socket_addrs().map_err(|_| bad("the host name is not known"))?.collect();
    all.iter().find(|a| a.is_ipv4()).or_else(|| all.first()).copied().ok_or_else(|| bad("the host name has no address"))
}

/// Creates the database file, owner-only, when there is none; true when it was created here.
fn create_private(path: &Path) -> Result<bool, CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(CliError::Failed(format!(
            "cannot create the database {}: {}",
            path.display(),
            crate::error::io_words(&e)
        ))),
    }
}
