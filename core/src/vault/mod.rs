//! The vault: credentials kept in one SQLite file, each secret sealed with AES-256-GCM under a
//! random data key that a [`KeyStore`] wraps.
//!
//! Owns opening (key check before anything is read or written), migrations, and every change
//! to the entries, each one transaction. Secrets are unsealed once at open into zeroizing
//! generators, so a screen refresh touches neither SQLite nor AES. It does not parse URIs or
//! format codes for display: that is [`crate::otp`].
//!
//! Never loses a secret: a vault that fails to open, decrypt or migrate is reported and left
//! exactly as it was.

mod error;
pub mod keystore;
pub mod schema;
mod seal;

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Row, params};

pub use error::{Result, VaultError};
pub use keystore::{KdfParams, KeyStore, KeyStoreError, PassphraseKeyStore};
pub use seal::Sealing;

use crate::clock::Clock;
use crate::otp::display::{self, CodeView};
use crate::otp::{Algorithm, Credential, Generator, InvalidParam, Kind, Params, validate_names};
use crate::secret::SecretBytes;
use seal::{DataKey, entry_ad, legacy_entry_ad, state_ad};

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
    generator: Generator,
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
        let version = schema::version(&conn).map_err(damaged)?;
        if version > schema::CURRENT_VERSION {
            return Err(VaultError::TooNew { found: version, supported: schema::CURRENT_VERSION });
        }
        if version == 0 {
            return Err(VaultError::Damaged("not a Twostep vault (no schema version)".into()));
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

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// All entries in the user's order, without secrets.
    pub fn list(&self) -> Vec<Entry> {
        self.slots.iter().map(|s| s.entry.clone()).collect()
    }

    pub fn get(&self, id: &str) -> Result<&Entry> {
        Ok(&self.slot(id)?.entry)
    }

    /// Adds one credential at the end of the list.
    pub fn add(&mut self, credential: &Credential) -> Result<Entry> {
        Ok(self.add_all(std::slice::from_ref(credential))?.remove(0))
    }

    /// Adds many credentials in one transaction: all of them are stored, or none.
    pub fn add_all(&mut self, credentials: &[Credential]) -> Result<Vec<Entry>> {
        let now = self.clock.now_unix_seconds();
        let mut prepared = Vec::with_capacity(credentials.len());
        for c in credentials {
            c.validate()?;
            let generator = c.generator()?;
            let id = new_id();
            let sealed = self.key.seal(c.secret.expose(), &entry_ad(&id, &c.issuer, &c.account, &c.params));
            prepared.push((id, c, generator, sealed));
        }
        let first_position = self.slots.last().map_or(0, |s| s.entry.position + 1);
        let mut added = Vec::with_capacity(prepared.len());
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO entries (id, issuer, account, kind, algorithm, digits, period, counter, \
                 sealed_secret, created_at, position, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10)",
            )?;
            for (i, (id, c, generator, sealed)) in prepared.into_iter().enumerate() {
                let p = c.params;
                let counter = match p.kind {
                    Kind::Hotp { counter } => Some(to_sql_counter(counter)?),
                    _ => None,
                };
                let position = first_position + i as u32;
                insert.execute(params![
                    id,
                    c.issuer,
                    c.account,
                    p.kind.name(),
                    p.algorithm.as_str(),
                    p.digits,
                    p.kind.period(),
                    counter,
                    sealed,
                    now as i64,
                    position,
                ])?;
                let entry = Entry {
                    id,
                    issuer: c.issuer.clone(),
                    account: c.account.clone(),
                    params: p,
                    position,
                    created_at: now,
                    updated_at: now,
                };
                added.push(Slot { entry, generator });
            }
        }
        tx.commit()?;
        let entries = added.iter().map(|s| s.entry.clone()).collect();
        self.slots.extend(added);
        self.reindex();
        Ok(entries)
    }

    pub fn rename(&mut self, id: &str, issuer: &str, account: &str) -> Result<Entry> {
        validate_names(issuer, account)?;
        let index = self.index_of(id)?;
        let now = self.clock.now_unix_seconds();
        let params = self.slots[index].entry.params;
        let sealed = self.resealed(index, issuer, account, &params)?;
        self.conn.execute(
            "UPDATE entries SET issuer = ?1, account = ?2, sealed_secret = ?3, updated_at = ?4 WHERE id = ?5",
            params![issuer, account, sealed, now as i64, id],
        )?;
        let entry = &mut self.slots[index].entry;
        entry.issuer = issuer.to_owned();
        entry.account = account.to_owned();
        entry.updated_at = now;
        Ok(entry.clone())
    }

    /// Puts the entries in the given order; `ids` must name every entry exactly once.
    pub fn reorder(&mut self, ids: &[String]) -> Result<()> {
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        for id in ids {
            self.index_of(id)?;
            if !seen.insert(id.as_str()) {
                return Err(InvalidParam::new("order", format!("entry {id} appears twice")).into());
            }
        }
        if ids.len() != self.slots.len() {
            return Err(InvalidParam::new(
                "order",
                format!("names {} of the {} entries; every entry must be placed", ids.len(), self.slots.len()),
            )
            .into());
        }
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare_cached("UPDATE entries SET position = ?1 WHERE id = ?2")?;
            for (position, id) in ids.iter().enumerate() {
                update.execute(params![position as u32, id])?;
            }
        }
        tx.commit()?;
        let mut old: HashMap<String, Slot> = self.slots.drain(..).map(|s| (s.entry.id.clone(), s)).collect();
        for (position, id) in ids.iter().enumerate() {
            let mut slot = old.remove(id).expect("checked above");
            slot.entry.position = position as u32;
            self.slots.push(slot);
        }
        self.reindex();
        Ok(())
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

    pub fn remove(&mut self, id: &str) -> Result<Entry> {
        let index = self.index_of(id)?;
        self.conn.execute("DELETE FROM entries WHERE id = ?1", params![id])?;
        let slot = self.slots.remove(index);
        self.reindex();
        Ok(slot.entry)
    }

    /// The code of one entry at `unix_seconds`. For an HOTP entry the counter is advanced and
    /// saved first, so a code once shown is never shown again, even if the app is killed.
    pub fn code(&mut self, id: &str, unix_seconds: u64) -> Result<String> {
        let index = self.index_of(id)?;
        match self.slots[index].entry.params.kind {
            Kind::Hotp { counter } => {
                let code = self.slots[index].generator.hotp(counter);
                self.advance_counter(index, counter)?;
                Ok(code)
            }
            _ => Ok(self.slots[index].generator.code_at(unix_seconds)),
        }
    }

    /// Like [`Vault::code`], with what a screen shows around it (grouping, time left, next code).
    pub fn view(&mut self, id: &str, unix_seconds: u64) -> Result<CodeView> {
        let index = self.index_of(id)?;
        let view = display::view(&self.slots[index].generator, unix_seconds);
        if let Kind::Hotp { counter } = self.slots[index].entry.params.kind {
            self.advance_counter(index, counter)?;
        }
        Ok(view)
    }

    /// Resynchronises an HOTP entry from two consecutive codes of the other side (see
    /// [`crate::otp::resync`]): searches counters `from_counter ..= from_counter + look_ahead`
    /// (by default from the entry's own counter, [`DEFAULT_LOOK_AHEAD`] ahead) and, on a
    /// match, saves the counter after the second code in one statement. `None`, and nothing
    /// changed, when no counter in the window makes both codes. A time-based entry is refused
    /// by its kind.
    ///
    /// [`DEFAULT_LOOK_AHEAD`]: crate::otp::resync::DEFAULT_LOOK_AHEAD
    pub fn resync_hotp(
        &mut self,
        id: &str,
        codes: (&str, &str),
        from_counter: Option<u64>,
        look_ahead: Option<u64>,
    ) -> Result<Option<Entry>> {
        let index = self.index_of(id)?;
        let own = match self.slots[index].entry.params.kind {
            Kind::Hotp { counter } => counter,
            // resync refuses a time-based entry by its kind; the start is then irrelevant.
            Kind::Totp { .. } | Kind::Steam { .. } => 0,
        };
        let from = from_counter.unwrap_or(own);
        let look_ahead = look_ahead.unwrap_or(crate::otp::resync::DEFAULT_LOOK_AHEAD);
        let found = crate::otp::resync::resync(&self.slots[index].generator, codes.0, codes.1, from, look_ahead)?;
        let Some(next) = found else { return Ok(None) };
        // advance_counter stores `used + 1`: the counter after code2 is `next`.
        self.advance_counter(index, next - 1)?;
        Ok(Some(self.slots[index].entry.clone()))
    }

    /// Every entry with its secret, unsealed from the file, in the user's order: for backups
    /// and exports only. The secrets live as long as the caller keeps the credentials.
    pub fn credentials(&self) -> Result<Vec<(Entry, Credential)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, sealed_secret FROM entries")?;
        let mut sealed: HashMap<String, Vec<u8>> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        self.slots
            .iter()
            .map(|slot| {
                let e = &slot.entry;
                let blob =
                    sealed.remove(&e.id).ok_or_else(|| VaultError::Damaged(format!("entry {} vanished", e.id)))?;
                let secret = self
                    .key
                    .open(&blob, &entry_ad(&e.id, &e.issuer, &e.account, &e.params))
                    .map_err(|_| VaultError::Damaged(format!("entry {}: the secret does not decrypt", e.id)))?;
                let credential =
                    Credential { issuer: e.issuer.clone(), account: e.account.clone(), params: e.params, secret };
                Ok((e.clone(), credential))
            })
            .collect()
    }

    /// For each candidate, the id of an entry that already holds the same credential: the same
    /// secret, kind, algorithm, digits and period. Names and HOTP counters may differ (a
    /// renamed entry is still the same second factor).
    pub fn find_duplicates(&self, candidates: &[Credential]) -> Result<Vec<Option<String>>> {
        if candidates.is_empty() || self.slots.is_empty() {
            return Ok(vec![None; candidates.len()]);
        }
        let known: HashMap<[u8; 32], String> =
            self.credentials()?.into_iter().map(|(e, c)| (fingerprint(&c), e.id)).collect();
        Ok(candidates.iter().map(|c| known.get(&fingerprint(c)).cloned()).collect())
    }

    /// Every entry's code at one instant, in the user's order: one call per screen refresh.
    pub fn codes(&self, unix_seconds: u64) -> Vec<EntryCode> {
        self.slots
            .iter()
            .map(|s| EntryCode {
                id: s.entry.id.clone(),
                code: match s.entry.params.kind {
                    Kind::Hotp { .. } => None,
                    _ => Some(display::view(&s.generator, unix_seconds)),
                },
            })
            .collect()
    }

    /// Stores a sealed device-state record (push key, trust token…), replacing any old value.
    pub fn put_state(&mut self, key: &str, value: &SecretBytes) -> Result<()> {
        let sealed = self.key.seal(value.expose(), &state_ad(key));
        self.conn.execute(
            "INSERT INTO device_state (key, sealed, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (key) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at",
            params![key, sealed, self.clock.now_unix_seconds() as i64],
        )?;
        Ok(())
    }

    /// A device-state record, unsealed.
    pub fn state(&self, key: &str) -> Result<Option<SecretBytes>> {
        let sealed: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT sealed FROM device_state WHERE key = ?1", params![key], |r| r.get(0))
            .optional()?;
        sealed
            .map(|s| self.key.open(&s, &state_ad(key)))
            .transpose()
            .map_err(|_| VaultError::Damaged(format!("device state {key} does not decrypt")))
    }

    /// Deletes a device-state record; true when there was one.
    pub fn delete_state(&mut self, key: &str) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM device_state WHERE key = ?1", params![key])? > 0)
    }

    /// The current time according to the vault's clock.
    pub fn now(&self) -> u64 {
        self.clock.now_unix_seconds()
    }

    fn advance_counter(&mut self, index: usize, used: u64) -> Result<()> {
        let next = used.checked_add(1).ok_or_else(|| InvalidParam::new("counter", "the HOTP counter is exhausted"))?;
        let now = self.clock.now_unix_seconds();
        let entry = &self.slots[index].entry;
        let params = Params { kind: Kind::Hotp { counter: next }, ..entry.params };
        let sealed = self.resealed(index, &entry.issuer.clone(), &entry.account.clone(), &params)?;
        let slot = &mut self.slots[index];
        self.conn.execute(
            "UPDATE entries SET counter = ?1, sealed_secret = ?2, updated_at = ?3 WHERE id = ?4",
            params![to_sql_counter(next)?, sealed, now as i64, slot.entry.id],
        )?;
        slot.entry.params.kind = Kind::Hotp { counter: next };
        slot.entry.updated_at = now;
        slot.generator.set_counter(next);
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

    fn slot(&self, id: &str) -> Result<&Slot> {
        Ok(&self.slots[self.index_of(id)?])
    }

    fn index_of(&self, id: &str) -> Result<usize> {
        self.by_id.get(id).copied().ok_or_else(|| VaultError::EntryNotFound(id.to_owned()))
    }

    fn reindex(&mut self) {
        self.by_id = self.slots.iter().enumerate().map(|(i, s)| (s.entry.id.clone(), i)).collect();
    }
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
    while let Some(row) = rows.next().map_err(damaged)? {
        match read_slot(row, key, sealing) {
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

fn read_slot(row: &Row<'_>, key: &DataKey, sealing: Sealing) -> Result<Slot> {
    let id: String = row.get(0)?;
    let bad = |what: &str| VaultError::Damaged(format!("entry {id}: {what}"));
    let kind: String = row.get(3)?;
    let algorithm: String = row.get(4)?;
    let period: Option<u32> = row.get(6)?;
    let counter: Option<i64> = row.get(7)?;
    let kind = match (kind.as_str(), period, counter) {
        ("totp", Some(period), _) => Kind::Totp { period },
        ("steam", Some(period), _) => Kind::Steam { period },
        ("hotp", _, Some(counter)) => Kind::Hotp { counter: counter as u64 },
        _ => return Err(bad("kind, period and counter do not agree")),
    };
    let params = Params {
        kind,
        algorithm: Algorithm::parse(&algorithm).ok_or_else(|| bad("unknown algorithm"))?,
        digits: row.get(5)?,
    };
    let sealed: Vec<u8> = row.get(8)?;
    let (issuer, account): (String, String) = (row.get(1)?, row.get(2)?);
    let ad = match sealing {
        Sealing::EntryFields => entry_ad(&id, &issuer, &account, &params),
        Sealing::IdOnly => legacy_entry_ad(&id),
    };
    let secret = key.open(&sealed, &ad).map_err(|_| bad("the secret or a field was altered or damaged"))?;
    let generator = Generator::new(params, &secret).map_err(|e| bad(&e.to_string()))?;
    Ok(Slot {
        entry: Entry {
            issuer,
            account,
            params,
            position: row.get(9)?,
            created_at: row.get::<_, i64>(10)? as u64,
            updated_at: row.get::<_, i64>(11)? as u64,
            id,
        },
        generator,
    })
}

/// The id index's hash. Ids are our own 128 random bits in hex, so SipHash's defence against
/// chosen keys buys nothing here, and it was a sixth of the cost of one code. A multiply-rotate
/// over every byte (as in rustc's FxHash) keeps lookups of any text, old ids included, spread.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

/// What makes two credentials the same second factor, hashed so the comparison table holds
/// no secret in the clear. Memory only; never stored.
fn fingerprint(c: &Credential) -> [u8; 32] {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let kind = match c.params.kind {
        Kind::Hotp { .. } => "hotp".to_owned(),
        other => format!("{}/{}", other.name(), other.period().unwrap_or(0)),
    };
    ctx.update(format!("{kind}/{}/{}/", c.params.algorithm.as_str(), c.params.digits).as_bytes());
    ctx.update(c.secret.expose());
    ctx.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// SQLite integers are signed; counters past i64::MAX are not a thing any service issues.
fn to_sql_counter(counter: u64) -> Result<i64, InvalidParam> {
    i64::try_from(counter).map_err(|_| InvalidParam::new("counter", "is larger than 2^63 - 1"))
}

fn new_id() -> String {
    let mut bytes = [0u8; 16];
    seal::fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
