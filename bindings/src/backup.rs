//! Encrypted backups as the apps see them: `Vault.backup`, `Vault.restore_backup` and
//! [`backup_info`], with the records they answer with.
//!
//! Owns converting bytes, passwords and reports. The format, its key derivation (Argon2id at
//! [`DEFAULT_KDF`], cost capped on read), the wrong-password check and the restore rule
//! (duplicates skipped and reported, the rest added in one transaction) are core's
//! (`twostep_core::backup`).

use twostep_core::backup::{self as core, DEFAULT_KDF};
use twostep_core::vault::KdfParams;
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::vault::{Entry, Vault};

/// The Argon2id cost a backup was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct KdfCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// What a backup's header says, readable without the password.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupInfo {
    pub format_version: u16,
    /// When it was written (Unix seconds, the writer's clock).
    pub created_at: u64,
    pub kdf: KdfCost,
}

/// An entry of the backup that the vault already held, so it was not added again.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupDuplicate {
    /// 1-based place of the entry in the backup's order.
    pub number: u32,
    pub issuer: String,
    pub account: String,
    /// The vault entry that already holds it.
    pub existing_id: String,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoreReport {
    /// When the backup was written (Unix seconds).
    pub backup_created_at: u64,
    /// The entries added, in the backup's order, after the vault's existing entries.
    pub added: Vec<Entry>,
    /// Entries skipped because the vault already held them.
    pub duplicates: Vec<BackupDuplicate>,
}

/// Reads a backup's header without the password: is it a backup this build reads, undamaged,
/// with an acceptable cost? Cheap: nothing is derived. The same errors as a restore would
/// give for the header (`InvalidInput` naming the part).
#[uniffi::export]
pub fn backup_info(bytes: Vec<u8>) -> Result<BackupInfo, TwostepError> {
    let info = core::info(&bytes)?;
    Ok(BackupInfo { format_version: info.format_version, created_at: info.created_at, kdf: info.kdf.into() })
}

#[uniffi::export]
impl Vault {
    /// An encrypted backup of every entry (HOTP counters as they are), under `password` with
    /// Argon2id at OWASP's cost. An empty password is refused (`InvalidInput`, field
    /// `"password"`).
    pub fn backup(&self, password: String) -> Result<Vec<u8>, TwostepError> {
        let password = Zeroizing::new(password);
        Ok(core::write(&*self.lock()?, &password, DEFAULT_KDF)?)
    }

    /// Restores a backup into this vault, empty or not: entries it already holds are skipped
    /// and reported, the rest added in one transaction. A wrong password
    /// (`WrongFilePassword`) or a damaged file (`InvalidInput` naming the part) changes
    /// nothing.
    pub fn restore_backup(&self, bytes: Vec<u8>, password: String) -> Result<RestoreReport, TwostepError> {
        let password = Zeroizing::new(password);
        // Decrypting (and its key derivation) needs no vault, so the lock is taken only to add.
        let backup = core::read(&bytes, &password)?;
        Ok(core::restore_backup(&mut *self.lock()?, &backup)?.into())
    }
}

impl From<KdfParams> for KdfCost {
    fn from(k: KdfParams) -> Self {
        KdfCost { memory_kib: k.memory_kib, iterations: k.iterations, parallelism: k.parallelism }
    }
}

impl From<core::RestoreReport> for RestoreReport {
    fn from(r: core::RestoreReport) -> Self {
        RestoreReport {
            backup_created_at: r.backup_created_at,
            added: r.added.into_iter().map(Entry::from).collect(),
            duplicates: r
                .duplicates
                .into_iter()
                .map(|d| BackupDuplicate {
                    number: u32::try_from(d.number).unwrap_or(u32::MAX),
                    issuer: d.issuer,
                    account: d.account,
                    existing_id: d.existing_id,
                })
                .collect(),
        }
    }
}
