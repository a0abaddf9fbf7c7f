//! The vault: credentials kept in one SQLite file, each secret sealed with AES-256-GCM under a
//! random data key that a [`KeyStore`] wraps.
//!
//! Owns opening (key check before anything is read or written), migrations, and every change
//! to the entries, each one transaction. Secrets are unsealed (and so every row's seal checked)
//! once at open and kept in zeroizing memory; each entry's generator (its HMAC key schedule)
//! is built at its first code, so opening a large vault does no work a screen may never ask
//! for, and a refresh touches neither SQLite nor AES. It does not parse URIs or format codes
//! for display: that is [`crate::otp`].
//!
//! | module | its job |
//! |---|---|
//! | this file | the types, creating and opening (key check, migration, unsealing) |
//! | `entries` | listing and changing entries, their codes, HOTP resync |
//! | `device_state` | the client's sealed device-state records |
//! | `duplicates` | which credentials the vault already holds |
//! | `id_hasher` | the hasher of the id index |
//! | [`keystore`], [`schema`], `seal` | key wrapping, migrations, AES-256-GCM sealing |
//!
//! Never loses a secret: a vault that fails to open, decrypt or migrate is reported and left
//! exactly as it was.

mod device_state;
mod duplicates;
mod entries;
mod error;
mod id_hasher;
pub mod keystore;
pub mod schema;
mod seal;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fs::OpenOptions;
use std::hash::BuildHasherDefault;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::types::{FromSqlResult, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Row, params};

pub use error::{Result, VaultError};
pub use keystore::{KdfParams, KeyStore, KeyStoreError, PassphraseKeyStore};
pub use seal::Sealing;

use crate::clock::Clock;
use crate::otp::display::CodeView;
use crate::otp::{Algorithm, Generator, Kind, Params, validate_secret};
use crate::secret::SecretBytes;
use id_hasher::IdHasher;
use seal::{DataKey, entry_ad, entry_ad_into, legacy_entry_ad};

/// One credential as listed: everything but the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Entry {
    /// Random, stable, and bound into the sealed secret.
    pub id: String,
    pub issuer: String,
    pub account: String,
    pub params: Params,
    /// Place in the user's order, 0 first.
    pub position: u32,
    pub created_at: u64,
    pub updated_at: u64,
}

/// The code an entry shows at a refresh; HOTP entries show none until asked, because
/// asking advances their counter.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryCode {
    pub id: String,
    pub code: Option<CodeView>,
}

/// An entry whose row does not open (its secret or a field was altered or damaged): listed
/// apart, with what the file says of it, so the rest of the vault stays usable and the seller
/// can see which one is gone and remove it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DamagedEntry {
    pub id: String,
    /// As the file says; not authenticated, since the row did not open.
    pub issuer: String,
    pub account: String,
    /// What failed, e.g. "the secret does not decrypt".
    pub reason: String,
}

struct Slot {
    entry: Entry,
    /// Unsealed at open, its params and length validated then.
    secret: SecretBytes,
    /// Built from `secret` at the entry's first code. Boxed: a slot stays small to sort and
    /// move, whatever the hash.
    generator: OnceCell<Box<Generator>>,
}

impl Slot {
    fn new(entry: Entry, secret: SecretBytes) -> Self {
        Self { entry, secret, generator: OnceCell::new() }
    }

    fn generator(&self) -> &Generator {
        self.generator.get_or_init(|| {
            Box::new(
                Generator::new(self.entry.params, &self.secret)
                    .expect("params and secret were validated when the entry was read or added"),
            )
        })
    }
}

/// An open vault. Dropping it closes the file and zeroizes the unsealed secrets.
pub struct Vault {
    conn: Connection,
    key: DataKey,
    clock: Arc<dyn Clock>,
    /// In the user's order.
    slots: Vec<Slot>,
    by_id: HashMap<String, usize, BuildHasherDefault<IdHasher>>,
    path: PathBuf,
    /// Rows that did not open, kept out of `slots`.
    damaged: Vec<DamagedEntry>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("path", &self.path).field("entries", &self.slots.len()).finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a new, empty vault at `path`; refuses to touch an existing file.
    pub fn create(path: &Path, key_store: &dyn KeyStore, clock: Arc<dyn Clock>) -> Result<Vault> {
        // create_new is atomic: two racing creators cannot both think the file is theirs.
        let file = owner_only(OpenOptions::new().write(true).create_new(true)).open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                VaultError::AlreadyExists(path.to_owned())
            } else {
                VaultError::Io(e)
            }
        })?;
        drop(file);
        match Self::initialise(path, key_store, clock) {
            Ok(vault) => Ok(vault),
            Err(e) => {
                // The file is ours and holds no secret yet; leave nothing half-made behind.
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                Err(e)
            }
        }
    }

    fn initialise(path: &Path, key_store: &dyn KeyStore, clock: Arc<dyn Clock>) -> Result<Vault> {
        let mut conn = Connection::open_with_flags(path, open_flags())?;
        distrust_the_file(&conn)?;
        configure(&conn)?;
        let (key, raw) = DataKey::generate();
        let wrapped = key_store.wrap_key(&raw)?;
        let tx = conn.transaction()?;
        schema::upgrade(&tx, 0)?;
        tx.execute(
            "INSERT INTO vault_key (id, wrapped_key, canary, created_at) VALUES (1, ?1, ?2, ?3)",
            params![wrapped, key.seal_canary(), clock.now_unix_seconds() as i64],
        )?;
        tx.commit()?;
        Ok(Vault {
            conn,
            key,
            clock,
            slots: Vec::new(),
            damaged: Vec::new(),
            by_id: HashMap::default(),
            path: path.to_owned(),
        })
    }

    /// Opens an existing vault. The key is checked before anything is written, so a wrong key,
    /// a damaged file or a newer schema leaves the file byte-for-byte as it was.
    pub fn open(path: &Path, key_store: &dyn KeyStore, clock: Arc<dyn Clock>) -> Result<Vault> {
        if !path.is_file() {
            return Err(VaultError::NoVault(path.to_owned()));
        }
        let mut conn = Connection::open_with_flags(path, open_flags()).map_err(damaged)?;
        distrust_the_file(&conn).map_err(damaged)?;
        let version = schema::version(&conn).map_err(damaged)?;
        if version > schema::CURRENT_VERSION {
            return Err(VaultError::TooNew { found: version, supported: schema::CURRENT_VERSION });
        }
        if version == 0 {
            return Err(VaultError::Damaged("not a Twostep vault (no schema version)".into()));
        }
        if schema::has_code(&conn).map_err(damaged)? {
            return Err(VaultError::Damaged(
                "the file holds triggers or views, which no Twostep vault has (it was altered)".into(),
            ));
        }
        let (wrapped, canary): (Vec<u8>, Vec<u8>) = conn
            .query_row("SELECT wrapped_key, canary FROM vault_key WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(damaged)?
            .ok_or_else(|| VaultError::Damaged("the vault key is missing".into()))?;
        let raw = key_store.unwrap_key(&wrapped)?;
        let key = DataKey::from_raw(&raw).map_err(|_| VaultError::WrongKey)?;
        let sealing = key.opens_canary(&canary).ok_or(VaultError::WrongKey)?;

        // From here on the key is known good: writing is allowed.
        configure(&conn).map_err(damaged)?;
        if version < schema::CURRENT_VERSION {
            let tx = conn.transaction()?;
            schema::upgrade(&tx, version)
                .map_err(|e| VaultError::Damaged(format!("upgrade from version {version} failed: {e}")))?;
            tx.commit()?;
        }
        let (slots, damaged) = load_slots(&conn, &key, sealing)?;
        let mut vault = Vault { conn, key, clock, slots, damaged, by_id: HashMap::default(), path: path.to_owned() };
        vault.reindex();
        if sealing == Sealing::IdOnly {
            vault.seal_every_field()?;
        }
        Ok(vault)
    }

    /// What an app does at every start: opens the vault at `path`, or creates it when no
    /// file is there yet. Only a missing file means "new": a file that fails to open (wrong
    /// key, damage, a newer schema) is reported and kept, never replaced by an empty vault.
    pub fn open_or_create(path: &Path, key_store: &dyn KeyStore, clock: Arc<dyn Clock>) -> Result<Vault> {
        match std::fs::symlink_metadata(path) {
            Ok(_) => Self::open(path, key_store, clock),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create(path, key_store, clock),
            Err(e) => Err(VaultError::Io(e)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rows that did not open, in no particular order: shown apart, never silently dropped.
    pub fn damaged(&self) -> &[DamagedEntry] {
        &self.damaged
    }

    /// Deletes a damaged row (it can make no code): the one way to be rid of it.
    pub fn remove_damaged(&mut self, id: &str) -> Result<DamagedEntry> {
        let index =
            self.damaged.iter().position(|d| d.id == id).ok_or_else(|| VaultError::EntryNotFound(id.to_owned()))?;
        self.conn.execute("DELETE FROM entries WHERE id = ?1", params![id])?;
        Ok(self.damaged.remove(index))
    }

    /// Wraps the data key with `new` in place of `current` (a passphrase change). `current`
    /// must open this vault, checked with the canary before anything is written; the new
    /// wrapping is unwrapped once before it is stored. The entries are not re-sealed (the data
    /// key stays), so the change is one UPDATE in one transaction: a crash at any point leaves
    /// the old wrapping or the new one, never neither.
    pub fn rewrap_key(&mut self, current: &dyn KeyStore, new: &dyn KeyStore) -> Result<()> {
        let (wrapped, canary): (Vec<u8>, Vec<u8>) = self
            .conn
            .query_row("SELECT wrapped_key, canary FROM vault_key WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(damaged)?;
        let raw = current.unwrap_key(&wrapped)?;
        let key = DataKey::from_raw(&raw).map_err(|_| VaultError::WrongKey)?;
        if key.opens_canary(&canary).is_none() {
            return Err(VaultError::WrongKey);
        }
        let rewrapped = new.wrap_key(&raw)?;
        if new.unwrap_key(&rewrapped)? != raw {
            return Err(VaultError::KeyStore(KeyStoreError::Malformed("the new wrapping does not open".into())));
        }
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE vault_key SET wrapped_key = ?1 WHERE id = 1", params![rewrapped])?;
        tx.commit()?;
        Ok(())
    }

    /// The entry's secret sealed again for new field values: every field is bound into the
    /// seal, so a change of name or counter writes a new one in the same statement.
    fn resealed(&self, index: usize, issuer: &str, account: &str, params: &Params) -> Result<Vec<u8>> {
        let e = &self.slots[index].entry;
        let blob: Vec<u8> =
            self.conn.query_row("SELECT sealed_secret FROM entries WHERE id = ?1", params![e.id], |r| r.get(0))?;
        let secret = self
            .key
            .open(&blob, &entry_ad(&e.id, &e.issuer, &e.account, &e.params))
            .map_err(|_| VaultError::Damaged(format!("entry {}: the secret does not decrypt", e.id)))?;
        Ok(self.key.seal(secret.expose(), &entry_ad(&e.id, issuer, account, params)))
    }

    /// Upgrades a vault whose entries bound only their id: every sound entry is sealed again
    /// with all its fields, and the canary says so, in one transaction.
    fn seal_every_field(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut read = tx.prepare("SELECT sealed_secret FROM entries WHERE id = ?1")?;
            let mut write = tx.prepare("UPDATE entries SET sealed_secret = ?1 WHERE id = ?2")?;
            for slot in &self.slots {
                let e = &slot.entry;
                let blob: Vec<u8> = read.query_row(params![e.id], |r| r.get(0))?;
                let secret = self
                    .key
                    .open(&blob, &legacy_entry_ad(&e.id))
                    .map_err(|_| VaultError::Damaged(format!("entry {}: the secret does not decrypt", e.id)))?;
                let sealed = self.key.seal(secret.expose(), &entry_ad(&e.id, &e.issuer, &e.account, &e.params));
                write.execute(params![sealed, e.id])?;
            }
        }
        tx.execute("UPDATE vault_key SET canary = ?1 WHERE id = 1", params![self.key.seal_canary()])?;
        tx.commit()?;
        Ok(())
    }

    /// The current time according to the vault's clock.
    pub fn now(&self) -> u64 {
        self.clock.now_unix_seconds()
    }
}

/// A vault file is data, never code: one copied from elsewhere or altered on disk may carry
/// triggers, views or functions in its schema. SQLite is told, before the first read, to run
/// none of them and to refuse writes that could corrupt the schema (defensive mode). The
/// vault itself uses plain tables and indexes.
fn distrust_the_file(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::config::DbConfig;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    Ok(())
}

/// Read-write, never create (creation is `create_new` on the file), no SQLite-level mutex:
/// a `Connection` is used by one thread at a time already, and the locks cost 10% of an open.
fn open_flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    // FULL: a committed write survives power loss, not only a killed process.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// Every row that opens, in the user's order, and apart from them the rows that do not: one
/// damaged entry must not lock the seller out of the others.
fn load_slots(conn: &Connection, key: &DataKey, sealing: Sealing) -> Result<(Vec<Slot>, Vec<DamagedEntry>)> {
    let mut stmt = conn.prepare(
        "SELECT id, issuer, account, kind, algorithm, digits, period, counter, sealed_secret, \
         position, created_at, updated_at FROM entries",
    )?;
    let mut rows = stmt.query([]).map_err(damaged)?;
    let (mut slots, mut broken) = (Vec::new(), Vec::new());
    let mut ad = Vec::new();
    while let Some(row) = rows.next().map_err(damaged)? {
        match read_slot(row, key, sealing, &mut ad) {
            Ok(slot) => slots.push(slot),
            Err(e) => broken.push(DamagedEntry {
                id: row.get::<_, String>(0).unwrap_or_default(),
                issuer: row.get::<_, String>(1).unwrap_or_default(),
                account: row.get::<_, String>(2).unwrap_or_default(),
                reason: match e {
                    VaultError::Damaged(why) => why,
                    other => other.to_string(),
                },
            }),
        }
    }
    // Sorting here beats ORDER BY, which would visit the table in index order, one b-tree
    // lookup per row. Ties (never written by this code) keep insertion order: the sort is stable.
    slots.sort_by_key(|s| s.entry.position);
    Ok((slots, broken))
}

/// One row as a slot: its fields parsed without copies beyond the entry's own strings, its
/// secret unsealed against every field (`ad` is a buffer reused across rows), and its params
/// and secret validated as a generator needs them.
fn read_slot(row: &Row<'_>, key: &DataKey, sealing: Sealing, ad: &mut Vec<u8>) -> Result<Slot> {
    let id: String = row.get(0)?;
    let bad = |what: &str| VaultError::Damaged(format!("entry {id}: {what}"));
    let period: Option<u32> = row.get(6)?;
    let counter: Option<i64> = row.get(7)?;
    let kind = match (borrowed(row, 3, ValueRef::as_str)?, period, counter) {
        ("totp", Some(period), _) => Kind::Totp { period },
        ("steam", Some(period), _) => Kind::Steam { period },
        ("hotp", _, Some(counter)) => Kind::Hotp { counter: counter as u64 },
        _ => return Err(bad("kind, period and counter do not agree")),
    };
    let params = Params {
        kind,
        algorithm: Algorithm::parse(borrowed(row, 4, ValueRef::as_str)?).ok_or_else(|| bad("unknown algorithm"))?,
        digits: row.get(5)?,
    };
    let (issuer, account): (String, String) = (row.get(1)?, row.get(2)?);
    match sealing {
        Sealing::EntryFields => entry_ad_into(ad, &id, &issuer, &account, &params),
        Sealing::IdOnly => *ad = legacy_entry_ad(&id),
    }
    let secret = key
        .open(borrowed(row, 8, ValueRef::as_blob)?, ad)
        .map_err(|_| bad("the secret or a field was altered or damaged"))?;
    params.validate().map_err(|e| bad(&e.to_string()))?;
    validate_secret(secret.expose()).map_err(|e| bad(&e.to_string()))?;
    Ok(Slot::new(
        Entry {
            issuer,
            account,
            params,
            position: row.get(9)?,
            created_at: row.get::<_, i64>(10)? as u64,
            updated_at: row.get::<_, i64>(11)? as u64,
            id,
        },
        secret,
    ))
}

/// Column `i` borrowed from the row (no copy), or rusqlite's error for a value of the wrong type.
fn borrowed<'r, T: ?Sized>(
    row: &'r Row<'_>,
    i: usize,
    as_t: fn(&ValueRef<'r>) -> FromSqlResult<&'r T>,
) -> rusqlite::Result<&'r T> {
    let value = row.get_ref(i)?;
    as_t(&value).map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e)))
}

/// Errors reading a file that should be a vault: corruption is reported as damage.
fn damaged(e: rusqlite::Error) -> VaultError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => VaultError::Damaged(e.to_string()),
        Some(ErrorCode::Unknown) if e.to_string().contains("no such table") => VaultError::Damaged(e.to_string()),
        _ => match &e {
            rusqlite::Error::SqliteFailure(_, Some(msg)) if msg.contains("no such") => VaultError::Damaged(msg.clone()),
            _ => VaultError::Storage(e),
        },
    }
}

#[cfg(unix)]
fn owner_only(options: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600)
}

#[cfg(not(unix))]
fn owner_only(options: &mut OpenOptions) -> &mut OpenOptions {
    options
}

#[cfg(test)]
mod fixtures {
    use super::*;

    /// Writes `tests/fixtures/vault-v{version}.sqlite`, an old-version vault the upgrade test
    /// opens: the key (passphrase "fixture") and one TOTP entry, "Fixture:ada" with the RFC
    /// 6238 seed. Run by hand only when a migration is added, for the version before it:
    /// `cargo test -p twostep-core write_v3_fixture -- --ignored`. A committed file must stay as
    /// its version wrote it; never regenerate one after a schema change.
    fn write_fixture(version: u32) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/vault-v{version}.sqlite"));
        let _ = std::fs::remove_file(&path);
        let mut conn = Connection::open(&path).unwrap();
        schema::create_at_version(&mut conn, version).unwrap();
        let store =
            PassphraseKeyStore::with_params("fixture", KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 });
        let (key, raw) = DataKey::generate();
        conn.execute(
            "INSERT INTO vault_key (id, wrapped_key, canary, created_at) VALUES (1, ?1, ?2, 1700000000)",
            params![store.wrap_key(&raw).unwrap(), key.seal_canary()],
        )
        .unwrap();
        let id = "0123456789abcdef0123456789abcdef";
        conn.execute(
            "INSERT INTO entries (id, issuer, account, kind, algorithm, digits, period, counter, sealed_secret, created_at) \
             VALUES (?1, 'Fixture', 'ada', 'totp', 'SHA1', 6, 30, NULL, ?2, 1700000000)",
            params![id, key.seal(b"12345678901234567890", &legacy_entry_ad(id))],
        )
        .unwrap();
        if version >= 2 {
            // What that version's code wrote with an entry: its place and its update time.
            conn.execute("UPDATE entries SET position = 0, updated_at = created_at", []).unwrap();
        }
        conn.execute_batch("VACUUM").unwrap();
    }

    #[test]
    #[ignore = "writes a committed fixture"]
    fn write_v1_fixture() {
        write_fixture(1);
    }

    #[test]
    #[ignore = "writes a committed fixture"]
    fn write_v2_fixture() {
        write_fixture(2);
    }

    #[test]
    #[ignore = "writes a committed fixture"]
    fn write_v3_fixture() {
        write_fixture(3);
    }
}
