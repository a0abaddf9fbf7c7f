//! What a server is started with: where it listens, its database, its clock, how costly
//! password hashing is, how long things live, and where codes are sent.
//!
//! Defaults are the production values; tests override the password cost (OWASP's Argon2id
//! costs ~20 ms per hash, which adds up over hundreds of sign-ins) and move the clock.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use twostep_core::clock::{Clock, SystemClock};

use crate::listen::ConnectionLimits;
use crate::outbox::{CodeSender, LogSender};

/// Argon2id cost parameters for password hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl PasswordCost {
    /// OWASP Password Storage Cheat Sheet's Argon2id minimum: 19 MiB, 2 iterations, 1 lane.
    pub const OWASP: PasswordCost = PasswordCost { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

    /// The cheapest cost Argon2 accepts: for tests only, never for real passwords.
    pub const INSECURE_FOR_TESTS: PasswordCost = PasswordCost { memory_kib: 8, iterations: 1, parallelism: 1 };
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self::OWASP
    }
}

/// How long each thing lives, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetimes {
    /// A password sign-in waiting for its second step.
    pub attempt: u64,
    /// An SMS or voice code.
    pub code: u64,
    /// A session token.
    pub session: u64,
    /// A trust token ("Don't ask for codes on this device").
    pub trust: u64,
    /// A push challenge.
    pub challenge: u64,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self { attempt: 10 * 60, code: 10 * 60, session: 12 * 3600, trust: 30 * 24 * 3600, challenge: 2 * 60 }
    }
}

/// How many password hashes (Argon2id, 19 MiB each at the OWASP cost) may run at once, and
/// how many more requests may wait for a turn. Past both, a request is answered `503 busy`
/// with `Retry-After` at once, so a flood of sign-ins cannot exhaust memory or queue forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashingLimit {
    pub running: usize,
    pub waiting: usize,
}

impl Default for HashingLimit {
    /// One hash per core, and four waiting per core.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self { running: cores, waiting: 4 * cores }
    }
}

/// Everything [`crate::Server::start`] needs.
#[derive(Clone)]
pub struct ServerConfig {
    /// Where to listen; port 0 picks a free port (see [`crate::RunningServer::addr`]).
    pub addr: SocketAddr,
    /// The SQLite file; created and migrated when needed, never deleted.
    pub db_path: PathBuf,
    /// The key file that seals TOTP seeds and the signing key (module `seal`); created
    /// (0600) on the first start. Defaults to the database path with `.key` appended.
    pub key_path: PathBuf,
    /// Keep SMS/voice codes in the outbox table and serve them at `GET /v1/dev/outbox`: for
    /// tests and the demo only. Without it the outbox keeps only "a code was sent to …".
    pub dev_outbox: bool,
    /// Serve `POST /v1/dev/clock`, which moves the server's clock forward: for tests only.
    pub dev_clock: bool,
    /// Every "now" of the server, including the `Date` header.
    pub clock: Arc<dyn Clock>,
    pub password_cost: PasswordCost,
    pub hashing: HashingLimit,
    pub lifetimes: Lifetimes,
    /// Delivers SMS/voice messages after they are recorded in the outbox table.
    pub sender: Arc<dyn CodeSender>,
    /// Deadlines for slow clients and the cap on open connections.
    pub connections: ConnectionLimits,
}

impl ServerConfig {
    /// Production defaults: system clock, OWASP password cost, no dev mode, log sender.
    pub fn new(addr: SocketAddr, db_path: impl Into<PathBuf>) -> Self {
        let db_path: PathBuf = db_path.into();
        let mut key_path = db_path.clone().into_os_string();
        key_path.push(".key");
        Self {
            addr,
            db_path,
            key_path: key_path.into(),
            dev_outbox: false,
            dev_clock: false,
            clock: Arc::new(SystemClock),
            password_cost: PasswordCost::OWASP,
            hashing: HashingLimit::default(),
            lifetimes: Lifetimes::default(),
            sender: Arc::new(LogSender),
            connections: ConnectionLimits::default(),
        }
    }

    /// The backend every test and the demo start on this machine, configured in one place: a
    /// loopback port the system picks, `clock` (tests fix it), dev mode (outbox and clock) on and a cheap
    /// password hash. For throwaway databases only, never for real logins.
    pub fn local(db_path: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Self {
        let mut config = Self::new(SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0)), db_path);
        config.clock = clock;
        config.dev_outbox = true;
        config.dev_clock = true;
        config.password_cost = PasswordCost::INSECURE_FOR_TESTS;
        config
    }
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("addr", &self.addr)
            .field("db_path", &self.db_path)
            .field("key_path", &self.key_path)
            .field("dev_outbox", &self.dev_outbox)
            .field("dev_clock", &self.dev_clock)
            .field("hashing", &self.hashing)
            .field("now", &self.clock.now_unix_seconds())
            .field("password_cost", &self.password_cost)
            .field("lifetimes", &self.lifetimes)
            .field("connections", &self.connections)
            .finish_non_exhaustive()
    }
}
