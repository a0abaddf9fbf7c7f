//! The vault's error: every way opening, reading or writing a vault can fail.
//!
//! Messages name what is wrong and what was done about it ("left as it is"); none carries a
//! secret. The FFI maps these to its small public enum in one place.

use std::path::PathBuf;

use crate::otp::InvalidParam;

use super::keystore::KeyStoreError;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the passphrase or key does not open this vault; the vault was left as it is")]
    WrongKey,
    #[error("there is no vault at {0}")]
    NoVault(PathBuf),
    #[error("a file already exists at {0}; refusing to overwrite it")]
    AlreadyExists(PathBuf),
    #[error("no entry with id {0}")]
    EntryNotFound(String),
    #[error("invalid {0}")]
    Invalid(#[from] InvalidParam),
    #[error("the vault file is damaged ({0}); it was left as it is")]
    Damaged(String),
    #[error(
        "the vault was written by a newer Twostep (schema version {found}, this build reads up to {supported}); it was left as it is"
    )]
    TooNew { found: u32, supported: u32 },
    #[error("the key store failed: {0}")]
    KeyStore(KeyStoreError),
    #[error("storage failed: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("could not read or write the vault file: {0}")]
    Io(#[from] std::io::Error),
}

impl From<KeyStoreError> for VaultError {
    fn from(e: KeyStoreError) -> Self {
        match e {
            KeyStoreError::WrongKey => VaultError::WrongKey,
            other => VaultError::KeyStore(other),
        }
    }
}

pub type Result<T, E = VaultError> = std::result::Result<T, E>;
