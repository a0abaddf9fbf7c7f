//! What can go wrong in an import: [`ImportError`] for the file as a whole, [`EntryError`] for
//! one entry of it.
//!
//! Every message says where (a line, an entry, a field, a path in the JSON) and why, in words
//! of its own: none quotes the input, because an export is made of secrets.

use crate::otp::InvalidParam;
use crate::otp::uri::UriError;
use crate::vault::VaultError;

use super::{Format, Place};

/// Why one entry of an export was refused: the field at fault and why. Never carries any part
/// of the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryError {
    /// The field at fault, as the format calls it or as [`UriError::field`] names it:
    /// `"secret"`, `"digits"`, `"type"`, `"counter"`, `"entry"`…
    field: String,
    /// Why, in words fit for a log.
    reason: String,
}

impl EntryError {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field: field.to_owned(), reason: reason.into() }
    }

    /// The field at fault, as the format calls it or as [`UriError::field`] names it:
    /// `"secret"`, `"digits"`, `"type"`, `"counter"`, `"entry"`…
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Why, in words fit for a log.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl From<UriError> for EntryError {
    fn from(e: UriError) -> Self {
        Self { field: e.field().to_owned(), reason: e.reason().to_owned() }
    }
}

impl From<InvalidParam> for EntryError {
    fn from(e: InvalidParam) -> Self {
        Self { field: e.field.to_owned(), reason: e.reason }
    }
}

/// Why an import could not be read or applied. Nothing was stored in any case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is larger than {max} bytes, far more than any authenticator export")]
    TooLarge { max: usize },
    #[error("the format could not be recognised; name it (google, aegis, 2fas, bitwarden, ente or uris)")]
    Unrecognised,
    /// The file is of another kind altogether (not JSON, not the keys this app writes…).
    #[error("this is not {} export: {reason}", article(*format))]
    WrongFormat { format: Format, reason: String },
    /// The file is of this kind but damaged or inconsistent at `at` (a line, or a path such as
    /// `header.slots[0].salt`).
    #[error("{at}: {reason}")]
    Malformed { at: String, reason: String },
    /// A kind of export this build does not read (a newer schema, an encrypted Bitwarden
    /// export, an Aegis vault with no password slot…).
    #[error("{} export not supported: {what}", article(*format))]
    Unsupported { format: Format, what: String },
    #[error("this {} export is encrypted; its password is needed", format.app())]
    PasswordRequired { format: Format },
    #[error("the password does not open this {} export", format.app())]
    WrongPassword { format: Format },
    /// Key-derivation parameters a hostile file could use to exhaust memory or time.
    #[error("{at}: {reason}; refused so a hostile file cannot exhaust memory or time")]
    UnsafeParameters { at: String, reason: String },
    /// Some QR codes (links) of a Google export are missing: 1-based batch numbers.
    #[error(
        "the Google Authenticator export is incomplete: {} of {size} missing; scan every QR code of the export",
        batches(missing)
    )]
    IncompleteExport { size: u32, missing: Vec<u32> },
    /// A link belongs to another Google export than the first one.
    #[error(
        "line {line} belongs to another Google Authenticator export than line {first_line}; import each export on its own"
    )]
    MixedExports { line: usize, first_line: usize },
    /// The same QR code of a Google export given twice.
    #[error("batch {batch} of the Google Authenticator export appears twice (lines {first_line} and {line})")]
    RepeatedBatch { batch: u32, first_line: usize, line: usize },
    /// Refused entries block the import unless the caller chose [`super::OnRefused::Skip`].
    #[error("{count} {} refused ({first}: {reason}{more}); nothing was imported", if *count == 1 { "entry was" } else { "entries were" }, more = if *count > 1 { ", …" } else { "" })]
    Refused { count: usize, first: Place, reason: EntryError },
    /// The vault changed between [`super::preview`] and [`super::apply`].
    #[error("the vault changed since the import was previewed; preview it again")]
    StalePreview,
    #[error(transparent)]
    Vault(#[from] VaultError),
}

fn article(format: Format) -> String {
    match format {
        Format::Aegis => "an Aegis".into(),
        Format::Uris => "an otpauth URI list".into(),
        other => format!("a {}", other.app()),
    }
}

/// "batch 2", "batches 2 and 5", "batches 2, 3, 4, 5, 6, 7, 8, 9 and 3 more".
fn batches(missing: &[u32]) -> String {
    const SHOWN: usize = 8;
    let mut names: Vec<String> = missing.iter().take(SHOWN).map(u32::to_string).collect();
    if missing.len() > SHOWN {
        names.push(format!("{} more", missing.len() - SHOWN));
    }
    match names.len() {
        0 => "no batch".into(),
        1 => format!("batch {}", names[0]),
        n => format!("batches {} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_batches_are_listed_shortly() {
        assert_eq!(batches(&[2]), "batch 2");
        assert_eq!(batches(&[2, 5]), "batches 2 and 5");
        assert_eq!(batches(&(1..=20).collect::<Vec<_>>()), "batches 1, 2, 3, 4, 5, 6, 7, 8 and 12 more");
    }

    #[test]
    fn messages_name_the_app() {
        assert_eq!(
            ImportError::WrongPassword { format: Format::TwoFas }.to_string(),
            "the password does not open this 2FAS export"
        );
        let e = ImportError::WrongFormat { format: Format::Aegis, reason: "no db".into() };
        assert_eq!(e.to_string(), "this is not an Aegis export: no db");
        let e = ImportError::Refused { count: 2, first: Place::Line(5), reason: EntryError::new("secret", "is empty") };
        assert_eq!(e.to_string(), "2 entries were refused (line 5: secret: is empty, …); nothing was imported");
    }
}
