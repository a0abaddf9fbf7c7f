//! The [`Vault`] object: core's encrypted vault behind a lock, for the apps. The lock is
//! shared with the [`TwostepClient`](crate::client::TwostepClient)s made from it.
//!
//! Owns taking foreign arguments (paths, URIs) and the lock; the records (`Entry`,
//! `EntryCode`, `CodeView`) are core's own, and every rule (validation, transactions, the
//! HOTP counter and its resync window, the key check) is core's.
//! The vault's clock is core's `SystemClock`; methods that show codes also take the time so
//! a screen and a test can choose the instant.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use twostep_core::clock::SystemClock;
use twostep_core::import::{parse_uri_list, parse_uris};
use twostep_core::otp::display::CodeView;
use twostep_core::otp::uri;
use twostep_core::vault::{self as core_vault, Entry, EntryCode, PassphraseKeyStore};
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::keystore::{ForeignKeyStore, KeyStore};

/// An open vault. Closing it (Kotlin `close()`/`use {}`, Swift releasing it) closes the file
/// and wipes the unsealed secrets from memory, once every [`TwostepClient`] made with it is
/// closed too: a client seals its device state in the same vault and shares it.
///
/// [`TwostepClient`]: crate::client::TwostepClient
#[derive(uniffi::Object)]
pub struct Vault {
    /// Shared with the clients made from this vault (core's client takes the same lock).
    inner: Arc<Mutex<core_vault::Vault>>,
}

#[uniffi::export]
impl Vault {
    /// Creates a new, empty vault at `path`, its key wrapped by `key_store`. Refuses an
    /// existing file (`AlreadyExists`).
    /// What an app does at every start: opens the vault at `path`, or creates it when no file
    /// is there. A file that fails to open (wrong key, damage, newer) is reported and kept,
    /// never replaced. `clock` is the vault's "now" (the system clock when left out).
    #[uniffi::constructor(default(clock = None))]
    pub fn open_or_create(
        path: String,
        key_store: Arc<dyn KeyStore>,
        clock: Option<Arc<dyn crate::clock::Clock>>,
    ) -> Result<Arc<Self>, TwostepError> {
        let clock = crate::clock::or_system(clock);
        Ok(Self::wrap(core_vault::Vault::open_or_create(Path::new(&path), &ForeignKeyStore(key_store), clock)?))
    }

    #[uniffi::constructor]
    pub fn create(path: String, key_store: Arc<dyn KeyStore>) -> Result<Arc<Self>, TwostepError> {
        let vault = core_vault::Vault::create(Path::new(&path), &ForeignKeyStore(key_store), Arc::new(SystemClock))?;
        Ok(Self::wrap(vault))
    }

    /// Opens the vault at `path`, its key unwrapped by `key_store`. A wrong key (`WrongKey`),
    /// a damaged or newer file leave the file exactly as it was.
    #[uniffi::constructor]
    pub fn open(path: String, key_store: Arc<dyn KeyStore>) -> Result<Arc<Self>, TwostepError> {
        let vault = core_vault::Vault::open(Path::new(&path), &ForeignKeyStore(key_store), Arc::new(SystemClock))?;
        Ok(Self::wrap(vault))
    }

    /// Creates a new vault whose key is derived from `passphrase` (Argon2id at OWASP's cost):
    /// for desktops and tests, where no platform key store exists.
    #[uniffi::constructor]
    pub fn create_with_passphrase(path: String, passphrase: String) -> Result<Arc<Self>, TwostepError> {
        let passphrase = Zeroizing::new(passphrase);
        let key_store = PassphraseKeyStore::new(&passphrase);
        Ok(Self::wrap(core_vault::Vault::create(Path::new(&path), &key_store, Arc::new(SystemClock))?))
    }

    /// Opens a vault created with [`Vault::create_with_passphrase`].
    #[uniffi::constructor]
    pub fn open_with_passphrase(path: String, passphrase: String) -> Result<Arc<Self>, TwostepError> {
        let passphrase = Zeroizing::new(passphrase);
        let key_store = PassphraseKeyStore::new(&passphrase);
        Ok(Self::wrap(core_vault::Vault::open(Path::new(&path), &key_store, Arc::new(SystemClock))?))
    }

    /// Every entry in the user's order, without secrets.
    pub fn list(&self) -> Result<Vec<Entry>, TwostepError> {
        Ok(self.lock()?.list())
    }

    /// The number of entries.
    pub fn len(&self) -> Result<u32, TwostepError> {
        // Positions are u32 in core, so the count fits.
        Ok(self.lock()?.len() as u32)
    }

    /// True when the vault holds no entry: the app's empty state.
    pub fn is_empty(&self) -> Result<bool, TwostepError> {
        Ok(self.lock()?.is_empty())
    }

    /// Adds the credential an `otpauth://` URI describes, at the end of the list.
    pub fn add_uri(&self, uri: String) -> Result<Entry, TwostepError> {
        let uri = Zeroizing::new(uri);
        let credential = uri::parse(&uri)?;
        Ok(self.lock()?.add(&credential)?)
    }

    /// Adds many URIs in one transaction: all are added, or none. Every URI is read and
    /// checked before anything is stored; a refused one is reported as `InvalidInput` whose
    /// field names its place in the list, counting from 1 (`"line 3: secret"`).
    pub fn add_uris(&self, uris: Vec<String>) -> Result<Vec<Entry>, TwostepError> {
        let uris = Zeroizing::new(uris);
        let credentials = parse_uris(uris.iter().map(String::as_str))?;
        Ok(self.lock()?.add_all(&credentials)?)
    }

    /// Imports a text file of `otpauth://` URIs, one per line (blank lines and `#` comments
    /// skipped), in one transaction: all are added, or none. A refused line is reported as
    /// `InvalidInput` whose field names it (`"line 3: secret"`).
    pub fn import_uri_list(&self, text: String) -> Result<Vec<Entry>, TwostepError> {
        let text = Zeroizing::new(text);
        let credentials: Vec<_> = parse_uri_list(&text)?.into_iter().map(|(_, c)| c).collect();
        Ok(self.lock()?.add_all(&credentials)?)
    }

    /// Changes an entry's names.
    pub fn rename(&self, id: String, issuer: String, account: String) -> Result<Entry, TwostepError> {
        Ok(self.lock()?.rename(&id, &issuer, &account)?)
    }

    /// Puts the entries in the order of `ids`, which must name every entry once.
    pub fn reorder(&self, ids: Vec<String>) -> Result<(), TwostepError> {
        Ok(self.lock()?.reorder(&ids)?)
    }

    /// Deletes an entry and its secret; returns what was removed.
    pub fn remove(&self, id: String) -> Result<Entry, TwostepError> {
        Ok(self.lock()?.remove(&id)?)
    }

    /// The code of one entry at `unix_seconds`. For HOTP the counter is advanced and saved
    /// first, so a code once shown is never shown again.
    pub fn code(&self, id: String, unix_seconds: u64) -> Result<String, TwostepError> {
        Ok(self.lock()?.code(&id, unix_seconds)?)
    }

    /// Like [`Vault::code`], with the grouping, the countdown and the next code.
    pub fn view(&self, id: String, unix_seconds: u64) -> Result<CodeView, TwostepError> {
        Ok(self.lock()?.view(&id, unix_seconds)?)
    }

    /// Every entry's code at `unix_seconds`, in the user's order: one call per screen refresh.
    pub fn codes(&self, unix_seconds: u64) -> Result<Vec<EntryCode>, TwostepError> {
        Ok(self.lock()?.codes(unix_seconds))
    }

    /// Puts an HOTP entry's counter back in step from two consecutive codes of the other side
    /// (a hardware token, the service's resync page): searches counters `from_counter`
    /// (default: the entry's counter) to `from_counter + look_ahead` (default 100, at most
    /// 10,000) and saves the counter after `code2`. Returns the updated entry, or `None` and
    /// nothing changed when no counter in the window makes both codes. A time-based entry or
    /// a code of the wrong length is `InvalidInput` naming the field.
    #[uniffi::method(default(from_counter = None, look_ahead = None))]
    pub fn resync_hotp(
        &self,
        id: String,
        code1: String,
        code2: String,
        from_counter: Option<u64>,
        look_ahead: Option<u64>,
    ) -> Result<Option<Entry>, TwostepError> {
        Ok(self.lock()?.resync_hotp(&id, (&code1, &code2), from_counter, look_ahead)?)
    }

    /// [`Vault::codes`] at the system clock's current time.
    pub fn codes_now(&self) -> Result<Vec<EntryCode>, TwostepError> {
        let vault = self.lock()?;
        let now = vault.now();
        Ok(vault.codes(now))
    }
}

impl Vault {
    fn wrap(vault: core_vault::Vault) -> Arc<Self> {
        Arc::new(Vault { inner: Arc::new(Mutex::new(vault)) })
    }

    /// The core vault itself, for a client that keeps its device state in it.
    pub(crate) fn shared(&self) -> Arc<Mutex<core_vault::Vault>> {
        self.inner.clone()
    }

    /// The vault's lock, shared with the client. As in core's client, a panic while it was held
    /// cannot have left the file half-written (every write is one transaction, and the list in
    /// memory changes only after a commit), so a poisoned lock is taken over rather than
    /// refused: both users of the lock decide the same way.
    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, core_vault::Vault>, TwostepError> {
        Ok(self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// See [`crate::self_test_time_codes`]: each round takes the lock and makes every code,
    /// as [`Vault::codes`] does.
    #[cfg(feature = "testing")]
    pub(crate) fn time_codes(&self, unix_seconds: u64, rounds: u32) -> u64 {
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            let vault = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            std::hint::black_box(vault.codes(std::hint::black_box(unix_seconds)));
        }
        u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}
