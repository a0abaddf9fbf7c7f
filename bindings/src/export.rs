//! Plain exports for people moving to another authenticator, and QR codes to show them:
//! `Vault.export_unencrypted_uris`, `Vault.export_google_migration`, [`qr_png`].
//!
//! Every export here writes every secret in the clear, so each takes the required
//! `UnencryptedExport` argument (core's [`Unencrypted`]): the call reads as the user's choice and cannot be reached
//! by accident. Owns converting; which entries Google's format carries, batching and the URI
//! format are core's (`twostep_core::export`, `twostep_core::qr`).
//!
//! The strings returned hold secrets. Rust's copies are zeroized; the app's are the app's to
//! drop as soon as they are shown or written.

use twostep_core::export::{self as core, Unencrypted};
use twostep_core::qr;
use twostep_core::secret::SecretString;
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::vault::Vault;

/// An entry left out of a Google Authenticator export, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SkippedEntry {
    /// 1-based place in the vault's order.
    pub number: u32,
    pub issuer: String,
    pub account: String,
    /// Why Google's format cannot carry it, in words a screen shows.
    pub reason: String,
}

/// A Google Authenticator export: the links to show as QR codes, one after the other.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GoogleMigrationExport {
    /// One `otpauth-migration://` link per QR code, in order; empty when nothing could move.
    pub links: Vec<SecretString>,
    /// 1-based numbers (in the vault's order) of the entries in the links.
    pub exported: Vec<u32>,
    /// The entries Google's format cannot carry.
    pub skipped: Vec<SkippedEntry>,
}

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
    pub fn export_google_migration(&self, choice: Unencrypted) -> Result<GoogleMigrationExport, TwostepError> {
        let export = core::google_migration(&*self.lock()?, choice)?;
        Ok(GoogleMigrationExport {
            links: export.links,
            exported: export.exported.iter().map(|&n| number(n)).collect(),
            skipped: export
                .skipped
                .into_iter()
                .map(|s| SkippedEntry {
                    number: number(s.number),
                    issuer: s.issuer,
                    account: s.account,
                    reason: s.reason.to_string(),
                })
                .collect(),
        })
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

fn number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
