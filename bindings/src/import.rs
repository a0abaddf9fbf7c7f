//! Imports from other authenticators as the apps see them: the [`ImportPreview`] object, and
//! the `Vault` methods that make and apply a preview.
//!
//! Owns taking bytes and a password; core's preview is held as is and its three lists go out
//! as core's own records (`ImportItem`, `ImportDuplicate`, `ImportRefused`), without any secret. Reading the formats, sorting new / duplicate / refused, the
//! all-or-nothing transaction and the stale-preview check are core's
//! (`twostep_core::import`).

use std::sync::Arc;

use twostep_core::import::{self as core, Duplicate, Format, OnRefused, Refused, ToAdd};
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::vault::Vault;

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
    pub fn to_add(&self) -> Vec<ToAdd> {
        self.inner.to_add.clone()
    }

    /// The items already in the vault or earlier in the file; never added.
    pub fn duplicates(&self) -> Vec<Duplicate> {
        self.inner.duplicates.clone()
    }

    /// The items that cannot be imported. They block [`Vault::apply_import`] unless the user,
    /// having seen them, chooses to skip them.
    pub fn refused(&self) -> Vec<Refused> {
        self.inner.refused.clone()
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
