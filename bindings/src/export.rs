//! Plain exports for people moving to another authenticator, and QR codes to show them:
//! `Vault.export_unencrypted_uris`, `Vault.export_google_migration`, [`qr_png`].
//!
//! Every export here writes every secret in the clear, so each takes the required
//! `UnencryptedExport` argument (core's [`Unencrypted`]): the call reads as the user's choice
//! and cannot be reached by accident. The records (`GoogleMigrationExport`, `SkippedEntry`) are
//! core's own; which entries Google's format carries, batching and the URI format are core's
//! (`twostep_core::export`, `twostep_core::qr`).
//!
//! The strings returned hold secrets. Rust's copies are zeroized; the app's are the app's to
//! drop as soon as they are shown or written.

use twostep_core::export::{self as core, GoogleExport, Unencrypted};
use twostep_core::qr;
use twostep_core::secret::SecretString;
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::vault::Vault;

#[uniffi::export]
impl Vault {
    /// Every entry as an `otpauth://` URI, in the user's order, HOTP counters as they are.
    /// Unencrypted: `choice` says the user knows.
    pub fn export_unencrypted_uris(&self, choice: Unencrypted) -> Result<Vec<SecretString>, TwostepError> {
        Ok(core::otpauth_uris(&*self.lock()?, choice)?)
    }

    /// Every entry Google Authenticator can carry, as its migration links (at most ten
    /// entries per QR code); the others are listed with the reason. Unencrypted: `choice`
    /// says the user knows.
    pub fn export_google_migration(&self, choice: Unencrypted) -> Result<GoogleExport, TwostepError> {
        Ok(core::google_migration(&*self.lock()?, choice)?)
    }
}

/// `text` (an `otpauth://` URI, a migration link) as a QR code in a greyscale PNG,
/// `module_px` pixels per module, with the standard quiet zone. Text too long for one QR code
/// is `InvalidInput` (field `"text"`).
#[uniffi::export]
pub fn qr_png(text: String, module_px: u32) -> Result<Vec<u8>, TwostepError> {
    let text = Zeroizing::new(text);
    Ok(qr::to_png(&qr::encode(&text)?, module_px))
}
