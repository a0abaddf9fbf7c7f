//! Preview, then apply: what an import would do to a vault, shown before anything is stored,
//! then stored in one transaction.
//!
//! [`preview`] sorts the items of [`super::read`] in three lists, each by item number and
//! without any secret:
//! - **to add**: new credentials;
//! - **duplicates**: the same second factor as an entry already in the vault
//!   ([`Vault::find_duplicates`]: same secret, kind, algorithm, digits and period, whatever the
//!   names or HOTP counter) or as an earlier item of the same file. They are never added;
//! - **refused**: entries that cannot become a credential, with the field and the reason.
//!
//! [`apply`] adds the "to add" list with one [`Vault::add_all`]: all of it or nothing. Refused
//! entries block it unless the caller says [`OnRefused::Skip`]: an import that silently drops
//! an account is how people lose a second factor, so skipping is a choice the user makes
//! having seen the list. Duplicates never block: they are already safe. A preview is tied to
//! the vault as it was: if entries were added or removed since, [`apply`] refuses with
//! [`ImportError::StalePreview`] rather than add what may now be duplicates.

use super::{EntryError, ImportError, ImportedItem, Place};
use crate::otp::Credential;
pub use crate::otp::Summary;
use crate::vault::Vault;
use std::collections::HashMap;

/// An item that would be added.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "ImportItem"))]
pub struct ToAdd {
    /// 1-based, consecutive over the whole import, in the file's order.
    pub number: u32,
    /// Where it is in the file; in words (`"entry 3"`, `"line 1, account 4"`) for the apps.
    pub place: Place,
    pub summary: Summary,
}

/// What an item duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DuplicateOf {
    /// The id of the vault entry that already holds this second factor.
    Entry(#[cfg_attr(feature = "uniffi", uniffi(name = "id"))] String),
    /// The number of an earlier item of the same import.
    Item(#[cfg_attr(feature = "uniffi", uniffi(name = "number"))] u32),
}

/// An item that would not be added because the vault or the file already holds the same
/// second factor (same secret, kind, algorithm, digits and period; names and HOTP counters
/// may differ).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "ImportDuplicate"))]
pub struct Duplicate {
    pub number: u32,
    pub place: Place,
    pub summary: Summary,
    pub of: DuplicateOf,
}

/// An item that cannot be imported: the field at fault and why, never its content.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "ImportRefused"))]
pub struct Refused {
    pub number: u32,
    pub place: Place,
    pub reason: EntryError,
}

/// Item numbers: an import is capped far below `u32::MAX` items.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What an import would do; [`apply`] does it. Holds the credentials to add (their secrets are
/// zeroized when the preview is dropped) and never shows them.
#[derive(Debug)]
pub struct ImportPreview {
    pub to_add: Vec<ToAdd>,
    pub duplicates: Vec<Duplicate>,
    pub refused: Vec<Refused>,
    /// The credentials of `to_add`, in the same order.
    pending: Vec<Credential>,
    /// The vault's entry ids when the preview was made, sorted.
    baseline: Vec<String>,
}

impl ImportPreview {
    /// How many items the import had.
    pub fn total(&self) -> usize {
        self.to_add.len() + self.duplicates.len() + self.refused.len()
    }
}

/// What [`apply`] does when the preview refused some items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnRefused {
    /// Import nothing ([`ImportError::Refused`]): the default a user has not overridden.
    Block,
    /// Import the others; the refused items are left out.
    Skip,
}

/// Sorts `items` against what `vault` holds (see the module docs). Reads the vault's secrets
/// to compare them; stores nothing.
pub fn preview(vault: &Vault, items: Vec<ImportedItem>) -> Result<ImportPreview, ImportError> {
    let mut baseline: Vec<String> = vault.list().into_iter().map(|e| e.id).collect();
    baseline.sort_unstable();
    sort(items, baseline, |candidates| Ok(vault.find_duplicates(candidates)?))
}

/// [`preview`] for an import into a vault that does not exist yet (nothing can duplicate).
pub fn preview_for_new_vault(items: Vec<ImportedItem>) -> ImportPreview {
    let none = |candidates: &[Credential]| Ok(vec![None; candidates.len()]);
    sort(items, Vec::new(), none).expect("comparing with no vault cannot fail")
}

/// Adds the preview's "to add" items to `vault` in one transaction and returns how many were
/// added: all of them, or none and an error.
pub fn apply(vault: &mut Vault, preview: &ImportPreview, on_refused: OnRefused) -> Result<usize, ImportError> {
    if let (Some(first), OnRefused::Block) = (preview.refused.first(), on_refused) {
        return Err(ImportError::Refused {
            count: preview.refused.len(),
            first: first.place,
            reason: first.reason.clone(),
        });
    }
    let mut current: Vec<String> = vault.list().into_iter().map(|e| e.id).collect();
    current.sort_unstable();
    if current != preview.baseline {
        return Err(ImportError::StalePreview);
    }
    if preview.pending.is_empty() {
        return Ok(0);
    }
    Ok(vault.add_all(&preview.pending)?.len())
}

fn sort(
    items: Vec<ImportedItem>,
    baseline: Vec<String>,
    in_vault: impl FnOnce(&[Credential]) -> Result<Vec<Option<String>>, ImportError>,
) -> Result<ImportPreview, ImportError> {
    let mut refused = Vec::new();
    let mut places = Vec::new();
    let mut candidates = Vec::new();
    for item in items {
        match item.outcome {
            Ok(credential) => {
                places.push((count(item.number), item.place));
                candidates.push(credential);
            }
            Err(reason) => refused.push(Refused { number: count(item.number), place: item.place, reason }),
        }
    }
    let existing = in_vault(&candidates)?;
    let mut seen: HashMap<[u8; 32], u32> = HashMap::new();
    let (mut to_add, mut duplicates, mut pending) = (Vec::new(), Vec::new(), Vec::new());
    for (((number, place), credential), existing) in places.into_iter().zip(candidates).zip(existing) {
        let summary = credential.summary();
        let earlier = *seen.entry(fingerprint(&credential)).or_insert(number);
        let of = match existing {
            Some(id) => Some(DuplicateOf::Entry(id)),
            None if earlier != number => Some(DuplicateOf::Item(earlier)),
            None => None,
        };
        match of {
            Some(of) => duplicates.push(Duplicate { number, place, summary, of }),
            None => {
                to_add.push(ToAdd { number, place, summary });
                pending.push(credential);
            }
        }
    }
    Ok(ImportPreview { to_add, duplicates, refused, pending, baseline })
}

/// What makes two credentials the same second factor, as [`Vault::find_duplicates`] decides
/// it: kind, period, algorithm, digits and secret, not names or HOTP counters. Hashed, so the
/// table holds no secret in the clear.
fn fingerprint(c: &Credential) -> [u8; 32] {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let period = c.params.kind.period().unwrap_or(0);
    ctx.update(
        format!("{}/{period}/{}/{}/", c.params.kind.name(), c.params.algorithm.as_str(), c.params.digits).as_bytes(),
    );
    ctx.update(c.secret.expose());
    ctx.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Algorithm;
    use crate::otp::Params;
    use crate::secret::SecretBytes;

    fn item(number: usize, secret: &[u8], params: Params) -> ImportedItem {
        let credential = Credential {
            issuer: "I".into(),
            account: format!("a{number}"),
            params,
            secret: SecretBytes::from_slice(secret),
        };
        ImportedItem { number, place: Place::Line(number), outcome: Ok(credential) }
    }

    #[test]
    fn duplicates_within_the_file_point_to_the_first_and_counters_do_not_matter() {
        let key = b"12345678901234567890";
        let items = vec![
            item(1, key, Params::hotp(Algorithm::Sha1, 6, 1)),
            item(2, key, Params::hotp(Algorithm::Sha1, 6, 9)),
            item(3, key, Params::totp(Algorithm::Sha1, 6, 30)),
            item(4, key, Params::totp(Algorithm::Sha1, 6, 60)),
            ImportedItem { number: 5, place: Place::Line(5), outcome: Err(EntryError::new("secret", "is empty")) },
            item(6, key, Params::totp(Algorithm::Sha1, 6, 30)),
        ];
        let p = preview_for_new_vault(items);
        assert_eq!(p.to_add.iter().map(|t| t.number).collect::<Vec<_>>(), [1, 3, 4]);
        let dups: Vec<(u32, DuplicateOf)> = p.duplicates.iter().map(|d| (d.number, d.of.clone())).collect();
        assert_eq!(dups, [(2, DuplicateOf::Item(1)), (6, DuplicateOf::Item(3))]);
        assert_eq!(p.refused.len(), 1);
        assert_eq!(p.total(), 6);
        assert_eq!(p.pending.len(), 3);
    }

    #[test]
    fn summaries_show_parameters_and_never_the_secret() {
        let p = preview_for_new_vault(vec![item(1, b"SECRETSECRETSECRET", Params::hotp(Algorithm::Sha256, 7, 50))]);
        let shown = format!("{} {:?}", p.to_add[0].summary, p);
        assert!(shown.starts_with("I (a1), hotp SHA256 7 digits counter 50"), "{shown}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
