//! twostep-server: the reference backend of Twostep — the seller-login side of two-step
//! verification, runnable on one machine with real HTTP and a real SQLite file.
//!
//! Password logins; enrollment of a primary and a backup method by core's rules; the second
//! step by authenticator app (TOTP ±1 step, replays refused), SMS or voice (codes to an
//! outbox); throttling of wrong passwords and codes; push approval with signed challenges and
//! number matching; trust tokens ("Don't ask for codes on this device") with every reason
//! trust is lost; logout. The wire format is core's [`twostep_core::protocol`]; the endpoint
//! reference is `docs/api.md`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use twostep_core::clock::FixedClock;
//! use twostep_server::{PasswordCost, Server, ServerConfig};
//!
//! let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), "/tmp/twostep-server.db");
//! config.clock = Arc::new(FixedClock::at(1_700_000_000));
//! config.password_cost = PasswordCost::INSECURE_FOR_TESTS;
//! config.dev_outbox = true;
//! let server = Server::start(config).unwrap();
//! println!("listening on {}", server.url());
//! server.shutdown().unwrap();
//! ```
//!
//! Modules, one job each:
//!
//! - [`server`] — start, stop, the running server's handle (`RunningServer`);
//! - [`listen`] — accepting and serving connections: deadlines for slow clients, the cap on
//!   open connections;
//! - [`config`] — `ServerConfig`, password cost, lifetimes;
//! - `routes` — the endpoint table, the `Date` header; `extract` — JSON bodies and bearer tokens;
//! - `app` — shared state and the blocking pool; `db`, `schema` — SQLite, WAL, migrations;
//! - `error` — the internal error and its one mapping to `{"error": …}`;
//! - `logins` — logins and the password step; `attempts` — the second step;
//! - `enrollment` — enrolling and changing methods; `method_store` — the stored pairs;
//! - [`codes`] — TOTP and SMS/voice code checks; `throttle` — back-off and caps;
//! - [`outbox`] — the outbox table and the `CodeSender` trait;
//! - `trust` — trust tokens and their loss reasons; `account` — trust count, require codes, logout;
//! - `push` — devices, challenges, answers; `devices` — listing and removing them;
//! - `keys` — the server's signing key; `seal` — secrets sealed under the key file;
//! - `sessions` — session tokens; `crypto` — randomness and token hashes; `password` — Argon2id.
//! - `web` — the browser's sign-in pages, cookies and CSRF checks (`docs/web.md`).

#![forbid(unsafe_code)]

mod account;
mod app;
mod attempts;
pub mod codes;
pub mod config;
mod crypto;
mod db;
mod devices;
mod enrollment;
mod error;
mod extract;
mod keys;
pub mod listen;
pub mod log;
mod logins;
mod method_store;
pub mod outbox;
mod password;
mod push;
mod routes;
mod schema;
mod seal;
pub mod server;
mod sessions;
mod throttle;
mod trust;
mod web;

pub use config::{HashingLimit, Lifetimes, PasswordCost, ServerConfig};
pub use db::DbError;
pub use listen::ConnectionLimits;
pub use outbox::{CodeSender, LogSender};
pub use server::{RunningServer, Server, ServerError};
pub use trust::network_of;
