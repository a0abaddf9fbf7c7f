//! Plain exports, for people moving to another authenticator: a list of otpauth URIs, and
//! Google Authenticator's migration links (`otpauth-migration://offline?data=…`, one per QR
//! code, in batches as Google makes them).
//!
//! Every function here writes every secret in the clear, so each takes an [`Unencrypted`]
//! token: a caller cannot reach a plain export by accident, and a reader of the call sees the
//! choice. For keeping codes safe, the encrypted [`crate::backup`] is the answer.
//!
//! Owns what goes out; reading other apps' files is [`crate::import`]'s. Outputs are
//! zeroizing strings; they hold secrets until the caller drops them.

pub mod google;

pub use google::{GoogleExport, MAX_ENTRIES_PER_BATCH, SkipReason, Skipped};

use crate::otp::{Credential, uri};
use crate::secret::SecretString;
use crate::vault::{Vault, VaultError};

/// The explicit choice a plain export needs: "I understand that the output holds every
/// secret unencrypted, and that anyone who reads it can make my codes".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "UnencryptedExport"))]
pub enum Unencrypted {
    IUnderstand,
}

/// Every entry of `vault` as an otpauth URI, in the user's order (HOTP counters as they are).
pub fn otpauth_uris(vault: &Vault, choice: Unencrypted) -> Result<Vec<SecretString>, VaultError> {
    let credentials: Vec<Credential> = vault.credentials()?.into_iter().map(|(_, c)| c).collect();
    Ok(otpauth_uris_of(&credentials, choice))
}

/// `credentials` as otpauth URIs, through [`uri::format`] (which this crate's parser and
/// other authenticators read back to the same credential).
pub fn otpauth_uris_of(credentials: &[Credential], _: Unencrypted) -> Vec<SecretString> {
    credentials.iter().map(|c| SecretString::new(uri::format(c))).collect()
}

/// Every entry of `vault` as Google Authenticator migration links; entries Google's format
/// cannot carry are skipped and listed (see [`google`]).
pub fn google_migration(vault: &Vault, choice: Unencrypted) -> Result<GoogleExport, VaultError> {
    let credentials: Vec<Credential> = vault.credentials()?.into_iter().map(|(_, c)| c).collect();
    Ok(google::export(&credentials, MAX_ENTRIES_PER_BATCH, choice))
}
