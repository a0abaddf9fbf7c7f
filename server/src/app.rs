//! The state every request shares: the database, the clock, the configuration, the server
//! key, and how a request's blocking work is run.
//!
//! Handlers stay on the async threads only to read and answer; everything that touches
//! SQLite or hashes a password runs through [`App::run`] on tokio's blocking pool.

use std::sync::Arc;

use twostep_core::protocol::endpoints::OutboxMessage;
use twostep_core::protocol::signed::SigningKey;

use crate::config::ServerConfig;
use crate::db::Db;
use crate::error::Result;
use crate::password;

pub struct App {
    pub db: Db,
    pub config: ServerConfig,
    pub key: SigningKey,
    /// Verified against when the email is unknown, so that costs as much as a wrong password.
    pub dummy_hash: String,
}

pub type Shared = Arc<App>;

impl App {
    pub fn new(config: ServerConfig, db: Db, key: SigningKey) -> Result<Self> {
        let dummy_hash = password::hash("not a password of anyone", config.password_cost)?;
        Ok(Self { db, config, key, dummy_hash })
    }

    pub fn now(&self) -> u64 {
        self.config.clock.now_unix_seconds()
    }

    /// Hands committed messages to the sender. A failed delivery is logged, not an error:
    /// the code is valid and the user can ask for another.
    pub fn deliver(&self, messages: &[OutboxMessage]) {
        for m in messages {
            if let Err(e) = self.config.sender.deliver(m) {
                eprintln!("twostep-server: delivery failed: {e}");
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

/// Runs work that hashes a password (tens of milliseconds of Argon2) on the blocking pool, so
/// it never holds up the requests of other connections.
pub async fn run_blocking<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&App) -> Result<T> + Send + 'static,
) -> Result<T> {
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || f(&app))
        .await
        .map_err(|e| crate::error::Error::Internal(format!("a request's task failed: {e}")))?
}
