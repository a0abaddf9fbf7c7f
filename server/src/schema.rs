//! The backend's schema and its migrations, the same way core's vault keeps its own.
//!
//! The schema is the sum of the `.sql` steps in `migrations/`, applied in order inside one
//! transaction; the version is SQLite's `user_version`. A database from a newer build is
//! refused, never downgraded.

use rusqlite::Transaction;

/// Each step moves the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_hardening.sql"),
    include_str!("migrations/003_push_indexes.sql"),
];

/// The version this build writes and reads.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

/// Applies every step after `from`, inside the caller's transaction: all of them or none.
pub fn upgrade(tx: &Transaction<'_>, from: u32) -> rusqlite::Result<()> {
    for (i, step) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
    }
    Ok(())
}
