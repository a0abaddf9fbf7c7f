//! The database: one SQLite connection in WAL mode behind a mutex, opened and migrated once.
//!
//! Owns opening, migrating and the transaction discipline: every request's writes happen in
//! one `IMMEDIATE` transaction ([`Db::write`]), committed only when the closure returns `Ok`,
//! so a refused request leaves nothing half-written. Callers run it on a blocking thread.
//! A refusal that must still record something (a failed code counts towards the throttle)
//! returns `Ok(Err(refusal))`: the record commits, the refusal is reported.
//!
//! Files: the database is created owner-only (0600) before SQLite opens it, and SQLite gives
//! its `-wal` and `-shm` files the database's mode; files left wider by an older version are
//! narrowed on open. `secure_delete` overwrites deleted rows, so a purged code or a sealed
//! legacy seed does not linger in free pages.
//!
//! One connection is enough for a reference backend: each request holds it for a few
//! hundred microseconds, and password hashing (the only slow step) happens outside it.
//!
//! Durability: `synchronous = NORMAL` in WAL mode. A commit is in the WAL file before the
//! request is answered, so a killed server loses nothing; a power cut or kernel crash can lose
//! the last commits since the previous checkpoint (the file stays consistent). Checkpoints
//! (where SQLite syncs to disk) run on a second connection once a second ([`Db::checkpoint`]),
//! not inside whichever request happens to fill the WAL: that fsync was the tail of the push
//! round trip.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, Params, Row, Transaction, TransactionBehavior};

use crate::error::Error;
use crate::schema;

/// Why the database could not be opened. It is kept as it is in every case.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Open(#[source] rusqlite::Error),
    #[error("cannot create the database file owner-only: {0}")]
    Permissions(#[source] std::io::Error),
    #[error("the database is version {found}, newer than this build's {supported}; it was left as it is")]
    TooNew { found: u32, supported: u32 },
    #[error("cannot migrate the database (left as it was): {0}")]
    Migrate(#[source] rusqlite::Error),
}

/// More than the server's distinct statements, so the cache never evicts one it needs again.
const STATEMENT_CACHE: usize = 256;

/// Statements through the connection's cache: each SQL text is parsed once per connection, not
/// once per request (parsing and planning was a tenth of a push request's server time). The
/// one way the server runs a statement inside `Db::read` and `Db::write`.
pub trait Cached {
    /// Like `Connection::execute`.
    fn exec<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    /// Like `Connection::query_row`.
    fn row<T, P: Params, F: FnOnce(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row<T, P: Params, F: FnOnce(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

pub struct Db {
    conn: Mutex<Connection>,
    /// Only for [`Db::checkpoint`], so a checkpoint never waits for or holds up a request.
    checkpointer: Mutex<Connection>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").finish_non_exhaustive()
    }
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        match crate::seal::create_owner_only(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(DbError::Permissions(e)),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            crate::seal::owner_only(Path::new(&file)).map_err(DbError::Permissions)?;
        }
        let mut conn = Connection::open(path).map_err(DbError::Open)?;
        // WAL: readers never wait for the writer, and a killed process loses nothing
        // committed. Foreign keys so deleting a login or a replaced method takes its rows along.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(DbError::Open)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(DbError::Open)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(DbError::Open)?;
        conn.pragma_update(None, "secure_delete", "ON").map_err(DbError::Open)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(DbError::Open)?;
        // Room for every statement the server runs (see `Cached`), so none is parsed twice.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Checkpoints are the server's job (`checkpoint`), off the requests' path.
        conn.pragma_update(None, "wal_autocheckpoint", 0).map_err(DbError::Open)?;

        let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(DbError::Open)?;
        if found > schema::CURRENT_VERSION {
            return Err(DbError::TooNew { found, supported: schema::CURRENT_VERSION });
        }
        if found < schema::CURRENT_VERSION {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(DbError::Migrate)?;
            schema::upgrade(&tx, found).map_err(DbError::Migrate)?;
            tx.commit().map_err(DbError::Migrate)?;
        }
        let checkpointer = Connection::open(path).map_err(DbError::Open)?;
        checkpointer.busy_timeout(Duration::from_secs(5)).map_err(DbError::Open)?;
        Ok(Self { conn: Mutex::new(conn), checkpointer: Mutex::new(checkpointer) })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held rolled its transaction back when it unwound, so the
        // connection is still consistent.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` in one write transaction, committed only if `f` returns `Ok`.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, Error>) -> Result<T, Error> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Rewrites the file without free pages and empties the WAL, so nothing deleted (the
    /// plain secrets of an older version) lingers in the database file or its WAL.
    pub fn compact(&self) -> Result<(), Error> {
        let conn = self.lock();
        conn.execute_batch("VACUUM")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Copies what the WAL holds into the database file and syncs it, without blocking
    /// requests (a passive checkpoint on its own connection). The server calls it once a
    /// second; requests never checkpoint.
    pub fn checkpoint(&self) -> Result<(), Error> {
        let conn = self.checkpointer.lock().unwrap_or_else(PoisonError::into_inner);
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Runs `f` in a read transaction (a consistent snapshot).
    pub fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, Error>) -> Result<T, Error> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        f(&tx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_is_created_at_the_current_version_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let db = Db::open(&path).unwrap();
        let (version, mode): (u32, String) = db
            .read(|tx| {
                Ok((
                    tx.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                    tx.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                ))
            })
            .unwrap();
        assert_eq!((version, mode.as_str()), (schema::CURRENT_VERSION, "wal"));
        drop(db);
        // Opening again migrates nothing and keeps everything.
        Db::open(&path).unwrap();
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x INTEGER); PRAGMA user_version = 99;").unwrap();
        }
        assert!(matches!(Db::open(&path), Err(DbError::TooNew { found: 99, .. })));
        let conn = Connection::open(&path).unwrap();
        let tables: u32 =
            conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 'future'", [], |r| r.get(0)).unwrap();
        assert_eq!(tables, 1, "left as it was");
    }

    #[test]
    fn a_refused_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("s.db")).unwrap();
        let result: Result<(), Error> = db.write(|tx| {
            tx.execute("INSERT INTO logins (id, email, password_hash, created_at) VALUES ('l', 'a@b.c', 'h', 0)", [])?;
            Err(Error::invalid("x", "refused"))
        });
        assert!(result.is_err());
        let n: u32 = db.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM logins", [], |r| r.get(0))?)).unwrap();
        assert_eq!(n, 0);
    }

    /// What a power cut leaves is the database file without its WAL: commits reach it at a
    /// checkpoint, which requests no longer run themselves.
    #[test]
    fn commits_reach_the_database_file_at_a_checkpoint_not_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let db = Db::open(&path).unwrap();
        db.checkpoint().unwrap(); // the schema
        db.write(|tx| {
            tx.execute("INSERT INTO logins (id, email, password_hash, created_at) VALUES ('l', 'a@b.c', 'h', 0)", [])?;
            Ok(())
        })
        .unwrap();
        let logins_in_file_alone = || {
            let copy = dir.path().join("copy.db");
            std::fs::copy(&path, &copy).unwrap();
            let n: u32 =
                Connection::open(&copy).unwrap().query_row("SELECT COUNT(*) FROM logins", [], |r| r.get(0)).unwrap();
            std::fs::remove_file(&copy).unwrap();
            n
        };
        assert_eq!(logins_in_file_alone(), 0, "the commit is in the WAL only");
        db.checkpoint().unwrap();
        assert_eq!(logins_in_file_alone(), 1, "the checkpoint copied it into the file");
        let n: u32 = db.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM logins", [], |r| r.get(0))?)).unwrap();
        assert_eq!(n, 1);
    }
}
