//! The state every request shares: the database, the clock, the configuration, the server
//! keys, and how a request's work is run.
//!
//! Database work runs where the request is ([`run`]). Password hashing runs on tokio's
//! blocking pool through [`run_hashing`], behind a gate: at most `hashing.running` hashes at
//! once and `hashing.waiting` requests waiting for a turn; anything past that is answered
//! `503 busy` with `Retry-After` straight away, without hashing or queueing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::sync::Semaphore;
use twostep_core::protocol::endpoints::OutboxMessage;
use twostep_core::protocol::signed::SigningKey;
use twostep_core::protocol::{ApiError, ErrorCode};

use crate::config::ServerConfig;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::password;
use crate::seal::Sealer;

/// Seconds a `busy` answer asks the client to wait.
pub const BUSY_RETRY_AFTER_SECS: u64 = 1;
/// How often expired rows are purged, at most.
const PURGE_EVERY_SECS: u64 = 60;

pub struct App {
    pub db: Db,
    pub config: ServerConfig,
    pub key: SigningKey,
    pub sealer: Sealer,
    /// Verified against when the email is unknown, so that costs as much as a wrong password.
    pub dummy_hash: String,
    hashing: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    /// Seconds `POST /v1/dev/clock` moved the clock forward (dev mode only).
    clock_offset: AtomicU64,
    last_purge: AtomicU64,
}

pub type Shared = Arc<App>;

impl App {
    pub fn new(config: ServerConfig, db: Db, key: SigningKey, sealer: Sealer) -> Result<Self> {
        let dummy_hash = password::hash("not a password of anyone", config.password_cost)?;
        let running = config.hashing.running.max(1);
        Ok(Self {
            db,
            key,
            sealer,
            dummy_hash,
            hashing: Arc::new(Semaphore::new(running)),
            admitted: Arc::new(AtomicUsize::new(0)),
            clock_offset: AtomicU64::new(0),
            last_purge: AtomicU64::new(0),
            config,
        })
    }

    pub fn now(&self) -> u64 {
        self.config.clock.now_unix_seconds().saturating_add(self.clock_offset.load(Ordering::Relaxed))
    }

    /// Moves the clock forward (dev mode only; the route checks).
    pub fn advance_clock(&self, secs: u64) -> u64 {
        self.clock_offset.fetch_add(secs, Ordering::Relaxed);
        self.now()
    }

    /// True at most once per [`PURGE_EVERY_SECS`] of server time: the caller purges.
    pub fn purge_due(&self, now: u64) -> bool {
        let last = self.last_purge.load(Ordering::Relaxed);
        now >= last.saturating_add(PURGE_EVERY_SECS)
            && self.last_purge.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
    }

    /// Hands committed messages to the sender. A failed delivery is logged, not an error:
    /// the code is valid and the user can ask for another.
    pub fn deliver(&self, messages: &[OutboxMessage]) {
        for m in messages {
            if let Err(e) = self.config.sender.deliver(m) {
                crate::log::line(format_args!("delivery failed: {e}"));
            }
        }
    }
}

/// Runs a request's database work where the request is. It holds the connection for a few
/// hundred microseconds at most; handing it to another thread (the blocking pool, or
/// `block_in_place`'s replacement worker) costs more than the work itself on a loopback
/// round trip.
pub async fn run<T: Send + 'static>(app: &Shared, f: impl FnOnce(&App) -> Result<T> + Send + 'static) -> Result<T> {
    f(app)
}

/// A place at the hashing gate, given back on drop: when the hash is done, or when the client
/// goes away while waiting.
struct Admitted(Arc<AtomicUsize>);

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn busy() -> Error {
    Error::Api(ApiError {
        retry_after: Some(BUSY_RETRY_AFTER_SECS),
        ..ApiError::new(ErrorCode::Busy, "The server is busy checking passwords. Try again in a moment.")
    })
}

/// Runs work that hashes a password (tens of milliseconds and 19 MiB of Argon2) on the
/// blocking pool, once the gate lets it in; `busy` when the gate is full.
pub async fn run_hashing<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&App) -> Result<T> + Send + 'static,
) -> Result<T> {
    let limit = app.config.hashing.running.max(1) + app.config.hashing.waiting;
    if app.admitted.fetch_add(1, Ordering::AcqRel) >= limit {
        app.admitted.fetch_sub(1, Ordering::AcqRel);
        return Err(busy());
    }
    let admitted = Admitted(Arc::clone(&app.admitted));
    let permit = Arc::clone(&app.hashing).acquire_owned().await.map_err(|_| busy())?;
    let app = Arc::clone(app);
    // The permit and the place go with the work, so a hash still running after its client
    // left keeps counting against the bound.
    tokio::task::spawn_blocking(move || {
        let _held = (permit, admitted);
        f(&app)
    })
    .await
    .map_err(|e| Error::Internal(format!("a request's task failed: {e}")))?
}
