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

/// Runs a request's blocking work (SQLite, Argon2) where the request is, telling the runtime
/// so that other connections move to another worker meanwhile. Handing it to the blocking
/// pool instead costs two thread switches per request: most of a loopback round trip.
/// The server's runtime is multi-threaded (see `server.rs`), which `block_in_place` needs.
pub async fn run<T: Send + 'static>(app: &Shared, f: impl FnOnce(&App) -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::block_in_place(|| f(app))
}
