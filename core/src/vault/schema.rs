//! The vault's schema and its migrations.
//!
//! The schema is the sum of the `.sql` steps in `migrations/`, applied in order; the version
//! is SQLite's `user_version`. What they add up to is committed in `schema.sql` ([`SNAPSHOT`]):
//! tests check a fresh vault and a vault upgraded from each old version's committed fixture
//! against it, so a migration that changes the schema also changes that file, in review. A
//! vault from a newer build is refused, never downgraded.

use rusqlite::{Connection, Transaction};

/// Each step moves the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_order_and_updates.sql"),
    include_str!("migrations/003_device_state.sql"),
];

/// The version this build writes and reads.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema of [`CURRENT_VERSION`] as [`describe`] writes it, committed.
#[doc(hidden)]
pub const SNAPSHOT: &str = include_str!("schema.sql");

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

/// Whether the file holds anything that would run on its own (a trigger) or stand in for a
/// table (a view): no migration makes one.
pub fn has_code(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type IN ('trigger', 'view'))", [], |r| r.get(0))
}

/// The schema as SQLite reports it, one statement per object ordered by kind and name, and
/// the version: the form of [`SNAPSHOT`].
#[doc(hidden)]
pub fn describe(conn: &Connection) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare(
        "SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY type, name",
    )?;
    let statements = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = format!("PRAGMA user_version = {};\n", version(conn)?);
    for s in statements {
        out.push_str(&s);
        out.push_str(";\n");
    }
    Ok(out)
}
