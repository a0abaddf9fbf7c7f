//! Imports from other authenticators as the apps see them: the [`ImportPreview`] object, and the `Vault` methods that make and apply a preview.
//!
//! Owns converting: bytes and a password in, core's preview held as is, its three lists out as
//! records without any secret. Reading the formats, sorting new / duplicate / refused, the
//! all-or-nothing transaction and the stale-preview check are core's
//! (`twostep_core::import`).

use std::sync::Arc;

use twostep_core::import::{self as core, Format, OnRefused};
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::vault::Vault;
use twostep_core::otp::Params;

/// An item of an import that would be added.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportItem {
    /// 1-based, consecutive over the whole import, in the file's order.
    pub number: u32,
    /// Where it is in the file, in words: `"entry 3"`, `"line 2"`, `"line 1, account 4"`.
    pub place: String,
    pub issuer: String,
    pub account: String,
    pub params: Params,
    /// The key is shorter than RFC 4226's 128 bits: accepted, worth a warning.
    pub short_key: bool,
}

/// What a duplicate item is already there as.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DuplicateOf {
    /// An entry of the vault (its id).
    Entry { id: String },
    /// An earlier item of the same import (its number).
    Item { number: u32 },
}

/// An item that would not be added because the vault or the file already holds the same
/// second factor (same secret, kind, algorithm, digits and period; names and HOTP counters
/// may differ).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportDuplicate {
    pub number: u32,
    pub place: String,
    pub issuer: String,
    pub account: String,
    pub params: Params,
    pub of: DuplicateOf,
}

/// An item that cannot be imported: the field at fault and why, never its content.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportRefused {
    pub number: u32,
    pub place: String,
    /// `"secret"`, `"digits"`, `"type"`, `"counter"`…
    pub field: String,
    pub reason: String,
}

/// What an import would do to the vault it was made against: shown first, then applied
/// with [`Vault::apply_import`]. Holds the credentials to add (zeroized when the object is
/// released) and never shows them.
#[derive(uniffi::Object)]
pub struct ImportPreview {
    format: Format,
    inner: core::ImportPreview,
}

#[uniffi::export]
impl ImportPreview {
    /// The format that was read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The items that would be added, in the file's order.
    pub fn to_add(&self) -> Vec<ImportItem> {
        self.inner.to_add.iter().map(ImportItem::from).collect()
    }

    /// The items already in the vault or earlier in the file; never added.
    pub fn duplicates(&self) -> Vec<ImportDuplicate> {
        self.inner.duplicates.iter().map(ImportDuplicate::from).collect()
    }

    /// The items that cannot be imported. They block [`Vault::apply_import`] unless the user,
    /// having seen them, chooses to skip them.
    pub fn refused(&self) -> Vec<ImportRefused> {
        self.inner.refused.iter().map(ImportRefused::from).collect()
    }

    /// How many items the file had (to add + duplicates + refused).
    pub fn total(&self) -> u32 {
        count(self.inner.total())
    }
}

/// The format `bytes` look like (by their shape, not a file name); `None` when none fits.
#[uniffi::export]
pub fn detect_import_format(bytes: Vec<u8>) -> Option<Format> {
    Format::detect(&bytes)
}

/// The app's name for messages: "Google Authenticator", "Aegis", "2FAS"…
#[uniffi::export]
pub fn import_format_app(format: Format) -> String {
    format.app().to_owned()
}

#[uniffi::export]
impl Vault {
    /// Reads an export of `format` and previews it against this vault; nothing is stored.
    /// `password` opens an encrypted Aegis or 2FAS file (ignored by the other formats).
    ///
    /// Errors are about the file as a whole: `WrongFilePassword`, or `InvalidInput` whose
    /// field names where (`"password"` when one is needed, a line, a JSON path such as
    /// `"header.slots[0].salt"`, `"file"`). A problem in one entry is not an error: that
    /// entry is in [`ImportPreview::refused`].
    #[uniffi::method(default(password = None))]
    pub fn preview_import(
        &self,
        format: Format,
        bytes: Vec<u8>,
        password: Option<String>,
    ) -> Result<Arc<ImportPreview>, TwostepError> {
        let bytes = Zeroizing::new(bytes);
        let password = password.map(Zeroizing::new);
        // Reading (and its key derivation) needs no vault, so the lock is taken only to sort.
        let items = core::read(format, &bytes, password.as_deref().map(String::as_str))?;
        let inner = core::preview(&*self.lock()?, items)?;
        Ok(Arc::new(ImportPreview { format, inner }))
    }

    /// Adds the preview's "to add" items in one transaction and returns how many were added:
    /// all of them, or none and an error. Refused items block the import (`InvalidInput`
    /// naming the first) unless `skip_refused`; a vault changed since the preview is
    /// `StalePreview` (preview again).
    pub fn apply_import(&self, preview: Arc<ImportPreview>, skip_refused: bool) -> Result<u32, TwostepError> {
        let on_refused = if skip_refused { OnRefused::Skip } else { OnRefused::Block };
        Ok(count(core::apply(&mut *self.lock()?, &preview.inner, on_refused)?))
    }
}

/// Counts and item numbers: an import is capped far below `u32::MAX` items.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<&core::ToAdd> for ImportItem {
    fn from(t: &core::ToAdd) -> Self {
        let s = &t.summary;
        ImportItem {
            number: count(t.number),
            place: t.place.to_string(),
            issuer: s.issuer.clone(),
            account: s.account.clone(),
            params: s.params,
            short_key: s.short_key,
        }
    }
}

impl From<&core::Duplicate> for ImportDuplicate {
    fn from(d: &core::Duplicate) -> Self {
        ImportDuplicate {
            number: count(d.number),
            place: d.place.to_string(),
            issuer: d.summary.issuer.clone(),
            account: d.summary.account.clone(),
            params: d.summary.params,
            of: match &d.of {
                core::DuplicateOf::Entry(id) => DuplicateOf::Entry { id: id.clone() },
                core::DuplicateOf::Item(number) => DuplicateOf::Item { number: count(*number) },
            },
        }
    }
}

impl From<&core::Refused> for ImportRefused {
    fn from(r: &core::Refused) -> Self {
        ImportRefused {
            number: count(r.number),
            place: r.place.to_string(),
            field: r.reason.field().to_owned(),
            reason: r.reason.reason().to_owned(),
        }
    }
}
