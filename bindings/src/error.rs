//! The one error the apps see, and the one place core errors are mapped to it.
//!
//! Each [`TwostepError`] variant is an action the app takes differently (ask for the key
//! again, show "not found", point at a field, offer a restore, ask for an update…). The rich
//! core errors ([`VaultError`], [`UriError`], [`InvalidParam`], [`LineError`]) are mapped here and nowhere
//! else. Their messages never carry a secret, and neither does anything added here.

use twostep_core::import::LineError;
use twostep_core::otp::InvalidParam;
use twostep_core::otp::uri::UriError;
use twostep_core::vault::{KeyStoreError, VaultError};

/// Why a call into the core failed, one variant per thing the app does about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum TwostepError {
    /// The key store or passphrase does not open this vault. Ask again; the vault is untouched.
    #[error("the passphrase or key does not open this vault; the vault was left as it is")]
    WrongKey,
    /// There is no such thing: a vault file, or an entry id.
    #[error("not found: {what}")]
    NotFound { what: String },
    /// An input was refused. `field` names it (`"secret"`, `"digits"`, `"line 3: secret"`…)
    /// so the app can point at it; `reason` says why in words fit for a log.
    #[error("{field}: {reason}")]
    InvalidInput { field: String, reason: String },
    /// The vault file is damaged. It was left exactly as it was: offer a restore, never delete.
    #[error("the vault is damaged ({reason}); it was left as it is")]
    VaultDamaged { reason: String },
    /// The vault was written by a newer version of the app. It was left as it was.
    #[error("the vault was written by a newer version (schema {found}, this build reads up to {supported})")]
    VaultTooNew { found: u32, supported: u32 },
    /// Creating a vault where a file already exists; nothing was overwritten.
    #[error("a file already exists at {path}; it was not overwritten")]
    AlreadyExists { path: String },
    /// The platform key store refused or is not ready (locked device, invalidated key).
    #[error("the key store is unavailable: {reason}")]
    KeyStoreUnavailable { reason: String },
    /// Reading or writing the file failed (disk full, permissions, I/O).
    #[error("storage failed: {reason}")]
    Storage { reason: String },
}

impl From<VaultError> for TwostepError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::WrongKey => TwostepError::WrongKey,
            VaultError::NoVault(path) => TwostepError::NotFound { what: format!("vault at {}", path.display()) },
            VaultError::AlreadyExists(path) => TwostepError::AlreadyExists { path: path.display().to_string() },
            VaultError::EntryNotFound(id) => TwostepError::NotFound { what: format!("entry {id}") },
            VaultError::Invalid(p) => p.into(),
            VaultError::Damaged(reason) => TwostepError::VaultDamaged { reason },
            VaultError::TooNew { found, supported } => TwostepError::VaultTooNew { found, supported },
            VaultError::KeyStore(KeyStoreError::WrongKey) => TwostepError::WrongKey,
            VaultError::KeyStore(KeyStoreError::Unavailable(reason)) => TwostepError::KeyStoreUnavailable { reason },
            // The stored wrapped key is not something this key store reads: the file's
            // content is at fault, not the device.
            VaultError::KeyStore(KeyStoreError::Malformed(why)) => {
                TwostepError::VaultDamaged { reason: format!("the stored key is unreadable: {why}") }
            }
            e @ (VaultError::Storage(_) | VaultError::Io(_)) => TwostepError::Storage { reason: e.to_string() },
        }
    }
}

impl From<UriError> for TwostepError {
    fn from(e: UriError) -> Self {
        TwostepError::InvalidInput { field: e.field().to_owned(), reason: e.reason().to_owned() }
    }
}

impl From<InvalidParam> for TwostepError {
    fn from(e: InvalidParam) -> Self {
        TwostepError::InvalidInput { field: e.field.to_owned(), reason: e.reason }
    }
}

/// A refused line of an import: the field names the line, `"line 3: secret"`, so the app
/// can point at it.
impl From<LineError> for TwostepError {
    fn from(e: LineError) -> Self {
        TwostepError::InvalidInput {
            field: format!("line {}: {}", e.line, e.error.field()),
            reason: e.error.reason().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_uri_names_the_field_and_never_quotes_the_secret() {
        let uri = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PX!";
        let e = TwostepError::from(twostep_core::otp::uri::parse(uri).unwrap_err());
        let TwostepError::InvalidInput { field, reason } = &e else { panic!("{e:?}") };
        assert_eq!(field, "secret");
        assert!(!reason.contains("JBSWY3DP") && !e.to_string().contains("JBSWY3DP"), "{e}");
    }

    #[test]
    fn a_wrong_key_from_the_key_store_is_a_wrong_key() {
        assert_eq!(TwostepError::from(VaultError::from(KeyStoreError::WrongKey)), TwostepError::WrongKey);
        assert_eq!(TwostepError::from(VaultError::KeyStore(KeyStoreError::WrongKey)), TwostepError::WrongKey);
    }

    #[test]
    fn a_refused_import_line_names_the_line_and_the_field() {
        let text = "# exported\notpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\notpauth://totp/A:b?digits=6\n";
        let e = TwostepError::from(twostep_core::import::parse_uri_list(text).unwrap_err());
        assert_eq!(e, TwostepError::InvalidInput { field: "line 3: secret".into(), reason: "is missing".into() });
    }
}
