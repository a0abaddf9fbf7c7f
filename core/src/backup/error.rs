//! The backup's error: every way writing, reading or restoring a backup can fail.
//!
//! Each variant says what is wrong in words a user can act on, and names the part of the file
//! at fault; none quotes a password, a secret or a name from inside the encrypted part.

use crate::vault::VaultError;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The bytes do not start with the backup magic: another kind of file.
    #[error("this is not a Twostep backup (it does not start with the backup header)")]
    NotABackup,
    /// A format version this build does not read (a newer Twostep wrote it).
    #[error("the backup was written by a newer Twostep (format version {found}; this build reads up to {supported})")]
    TooNew { found: u16, supported: u16 },
    /// The file ends before a part it announces: a partial copy or download.
    #[error("the backup is cut short: {what} needs {expected} bytes, the file has {found}")]
    Truncated { what: &'static str, expected: u64, found: u64 },
    /// The bytes are there but are not what was written; the text names the part.
    #[error("the backup is damaged: {0}")]
    Damaged(String),
    /// The header asks for a key derivation this build will not run (unknown, or a cost
    /// beyond the caps that keep a hostile file from exhausting memory or time).
    #[error("the backup asks for a key derivation this build refuses: {0}")]
    KdfRefused(String),
    /// The password does not open the backup; nothing was changed.
    #[error("the password does not open this backup; nothing was changed")]
    WrongPassword,
    /// A backup is only written under a non-empty password.
    #[error("a backup needs a non-empty password")]
    EmptyPassword,
    /// More than the format's caps (entries, bytes).
    #[error("the backup is too large: {0}")]
    TooLarge(String),
    /// Reading the vault (for a backup) or writing to it (for a restore) failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
}
