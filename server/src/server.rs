//! Starting and stopping the backend: [`Server::start`] binds the listener (port 0 allowed),
//! opens the database and serves on a runtime of its own in a background thread, so the same
//! call works from a plain `main`, a `#[test]` or a `#[tokio::test]`.
//!
//! Connections are accepted and served by [`crate::listen`] (deadlines for slow clients, a cap
//! on open connections); each request carries its peer address, which trust tokens bind
//! their network to.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;
use twostep_core::protocol::endpoints::OutboxMessage;

use crate::app::{App, Shared};
use crate::config::ServerConfig;
use crate::db::{Db, DbError};
use crate::error::Error;
use crate::seal::Sealer;
use crate::{keys, logins, outbox, routes};

/// How often the WAL is checkpointed into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Why a server could not start or stopped badly.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot start the server: {0}")]
    Start(String),
    #[error("the server failed: {0}")]
    Serve(String),
}

/// The reference backend.
pub struct Server;

impl Server {
    /// Opens the database, binds `config.addr` and starts serving. Returns once the listener
    /// is bound: requests to [`RunningServer::addr`] succeed from then on.
    pub fn start(config: ServerConfig) -> Result<RunningServer, ServerError> {
        let db = Db::open(&config.db_path)?;
        let now = config.clock.now_unix_seconds();
        let may_create = !keys::holds_sealed(&db)?;
        let sealer = Sealer::load_or_create(&config.key_path, may_create).map_err(ServerError::Start)?;
        let key = keys::load_or_create(&db, &sealer, now).map_err(|e| ServerError::Start(e.to_string()))?;
        let listener =
            TcpListener::bind(config.addr).map_err(|source| ServerError::Bind { addr: config.addr, source })?;
        let addr = listener.local_addr().map_err(|source| ServerError::Bind { addr: config.addr, source })?;
        listener.set_nonblocking(true).map_err(|source| ServerError::Bind { addr, source })?;
        let app: Shared = Arc::new(App::new(config, db, key, sealer).map_err(|e| ServerError::Start(e.to_string()))?);

        let (stop, stopped) = oneshot::channel::<()>();
        let (ready, started) = std::sync::mpsc::channel::<Result<(), ServerError>>();
        let router = routes::router(Arc::clone(&app));
        let limits = app.config.connections;
        let checkpoints = Arc::clone(&app);
        let thread = std::thread::Builder::new()
            .name("twostep-server".into())
            .spawn(move || -> Result<(), ServerError> {
                // The runtime is built, used and dropped on this thread only, so starting and
                // stopping work the same from async code (where dropping a runtime panics).
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("twostep-server-worker")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready.send(Err(ServerError::Start(e.to_string())));
                        return Ok(());
                    }
                };
                let result = runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready.send(Err(ServerError::Start(e.to_string())));
                            return Ok(());
                        }
                    };
                    let _ = ready.send(Ok(()));
                    // The WAL's checkpoints, once a second beside the requests (see `Db`).
                    tokio::spawn(async move {
                        let mut every = tokio::time::interval(CHECKPOINT_EVERY);
                        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                        loop {
                            every.tick().await;
                            let app = Arc::clone(&checkpoints);
                            if let Ok(Err(e)) = tokio::task::spawn_blocking(move || app.db.checkpoint()).await {
                                crate::log::line(format_args!("database: checkpoint failed: {e}"));
                            }
                        }
                    });
                    crate::listen::serve(listener, router, limits, stopped).await;
                    Ok(())
                });
                // Connections still open after the stop (a client keeping one alive) are cut.
                runtime.shutdown_timeout(Duration::from_secs(1));
                result
            })
            .map_err(|e| ServerError::Start(e.to_string()))?;
        match started.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(ServerError::Start("the server thread ended before serving".into()));
            }
        }
        Ok(RunningServer { addr, app, stop: Some(stop), thread: Some(thread) })
    }
}

/// A started server; stopped by [`RunningServer::shutdown`] or when dropped.
pub struct RunningServer {
    addr: SocketAddr,
    app: Shared,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<Result<(), ServerError>>>,
}

impl std::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningServer").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl RunningServer {
    /// The address it listens on (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base every endpoint path is appended to.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The SMS/voice messages sent to the login with `email`, oldest first (empty for an
    /// unknown email). Read straight from the outbox table, which keeps the text and code
    /// only with `dev_outbox` on; without it they are empty.
    pub fn outbox(&self, email: &str) -> Vec<OutboxMessage> {
        let Ok(email) = logins::normalize_email(email) else { return Vec::new() };
        self.app.db.read(|tx| outbox::list(tx, &email)).ok().flatten().unwrap_or_default()
    }

    /// The newest code sent to `email`'s login, if any: the common case in tests.
    pub fn last_code(&self, email: &str) -> Option<String> {
        self.outbox(email).pop().map(|m| m.code.expose().to_owned())
    }

    /// The server's ES256 public key (uncompressed point, base64url), as devices pin it.
    pub fn server_public_key(&self) -> String {
        self.app.key.public_key_b64()
    }

    /// Blocks until the server stops (it stops only through [`Self::shutdown`] from another
    /// handle, or with the process): for `twostep serve`.
    pub fn wait(mut self) -> Result<(), ServerError> {
        // Holding the stop signal (unsent) keeps the server running while we wait.
        let _stop = self.stop.take();
        self.join()
    }

    /// Stops accepting, lets requests in flight finish (up to a second), and waits.
    pub fn shutdown(mut self) -> Result<(), ServerError> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.join()
    }

    fn join(&mut self) -> Result<(), ServerError> {
        match self.thread.take() {
            Some(t) => t.join().map_err(|_| ServerError::Serve("the server thread panicked".into()))?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

impl From<Error> for ServerError {
    fn from(e: Error) -> Self {
        ServerError::Start(e.to_string())
    }
}
