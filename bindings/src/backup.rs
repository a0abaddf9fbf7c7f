//! Encrypted backups as the apps see them: `Vault.backup`, `Vault.restore_backup` and
//! [`backup_info`]. The records they answer with (`BackupInfo`, `KdfCost`, `RestoreReport`,
//! `BackupDuplicate`) are core's own.
//!
//! Owns taking bytes and passwords. The format, its key derivation (Argon2id at
//! [`DEFAULT_KDF`], cost capped on read), the wrong-password check and the restore rule
//! (duplicates skipped and reported, the rest added in one transaction) are core's
//! (`twostep_core::backup`).

use twostep_core::backup::{self as core, BackupInfo, DEFAULT_KDF, RestoreReport};
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::vault::Vault;

/// Reads a backup's header without the password: is it a backup this build reads, undamaged,
/// with an acceptable cost? Cheap: nothing is derived. The same errors as a restore would
/// give for the header (`InvalidInput` naming the part).
#[uniffi::export]
pub fn backup_info(bytes: Vec<u8>) -> Result<BackupInfo, TwostepError> {
    Ok(core::info(&bytes)?)
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
        Ok(core::restore_backup(&mut *self.lock()?, &backup)?)
    }
}
