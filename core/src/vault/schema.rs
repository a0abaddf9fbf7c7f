//! The vault's schema and its migrations.
//!
//! The schema is the sum of the `.sql` steps in `migrations/`, applied in order; the version
//! is SQLite's `user_version`. A fresh vault and an upgraded one run the very same steps, and
//! a test upgrades a real version-1 file to prove it. A vault from a newer build is refused,
//! never downgraded.

use rusqlite::{Connection, Transaction};

/// Each step moves the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_order_and_updates.sql"),
    include_str!("migrations/003_device_state.sql"),
];

/// The version this build writes and reads.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies every step after `from`, inside the caller's transaction: all of them or none.
pub fn upgrade(tx: &Transaction<'_>, from: u32) -> rusqlite::Result<()> {
    for (i, step) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
    }
    Ok(())
}

/// Applies only the first `to` steps: for building old-version fixtures in tests.
#[doc(hidden)]
pub fn create_at_version(conn: &mut Connection, to: u32) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    for (i, step) in MIGRATIONS.iter().enumerate().take(to as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
    }
    tx.commit()
}

/// The schema as SQLite reports it, for comparing an upgraded vault with a fresh one.
#[doc(hidden)]
pub fn describe(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "{} {} {}",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?.unwrap_or_default()
        ))
    })?;
    rows.collect()
}
