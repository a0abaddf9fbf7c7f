//! Imports: turning another app's export into credentials, previewing what an import would do
//! to a vault, and applying it in one transaction.
//!
//! Owns reading the formats people arrive with, each in its own file, and nothing else stores
//! anything: [`read`] gives numbered items (a credential, or the reason that entry was
//! refused), [`preview`] sorts them into what would be added, what duplicates an entry already
//! in the vault or an earlier item of the same file, and what was refused, and [`apply`] adds
//! the "to add" part with one [`Vault::add_all`](crate::vault::Vault::add_all): all of it, or
//! nothing. Does not own QR codes, exports or backups.
//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | [`Format`], [`read`], [`ImportedItem`] and [`Place`]: the entry point and what it returns |
//! | `error.rs` | [`ImportError`] (the whole file) and [`EntryError`] (one entry) |
//! | `preview.rs` | [`preview`], [`apply`], [`ImportPreview`] |
//! | `google.rs` | Google Authenticator's `otpauth-migration://` export (protobuf, batches) |
//! | `aegis.rs` | Aegis vault JSON, plain and encrypted (scrypt password slots, AES-GCM) |
//! | `twofas.rs` | 2FAS backups, plain and encrypted (PBKDF2, AES-GCM), schema 1 to 4 |
//! | `bitwarden.rs` | Bitwarden's unencrypted JSON export (`items[].login.totp`) |
//! | `ente.rs` | Ente Auth's plain export (otpauth URIs with `codeDisplay`) |
//! | `uri_list.rs` | plain lists of otpauth URIs |
//! | `json.rs`, `crypto.rs` | what the JSON and encrypted formats share |
//!
//! Rules every importer keeps:
//!
//! - **Where, never what.** An error names the line, the entry and the field at fault and never
//!   quotes the input: an export holds secrets. Errors from the JSON and protobuf libraries are
//!   reduced to their position for the same reason.
//! - **No panic**, whatever the bytes (fuzzed in `fuzz/`, property-tested in
//!   `core/tests/import_properties.rs`).
//! - **Every parameter exactly**: kind, algorithm, digits, period, the HOTP counter; a value a
//!   credential cannot hold (MD5, 10 digits, a counter past 2^63 − 1) refuses that entry rather
//!   than being rounded to something that would make wrong codes.
//! - **Hostile files stay cheap**: at most [`MAX_FILE_BYTES`] are read, and key-derivation
//!   parameters taken from a file are bounded before any work (see `aegis.rs`).
//! - **A whole-file problem is an [`ImportError`]** (not this format, wrong password, a Google
//!   export with a batch missing); **a problem in one entry refuses that entry**, which the
//!   preview lists by number so the user sees every problem at once.

mod aegis;
mod bitwarden;
mod crypto;
mod ente;
mod error;
pub mod google;
mod json;
mod preview;
mod twofas;
pub mod uri_list;

use std::fmt;

pub use error::{EntryError, ImportError};
pub use preview::{
    Duplicate, DuplicateOf, ImportPreview, OnRefused, Refused, Summary, ToAdd, apply, preview, preview_for_new_vault,
};
pub use uri_list::{LineError, parse_uri_list, parse_uris};

use crate::otp::{Credential, Kind};

/// The largest export read, in bytes. Ten thousand entries of the most verbose format (Aegis
/// JSON, about 400 bytes each) take 4 MB; anything near this size is not an authenticator export.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The app whose export is read. The caller names it; [`Format::detect`] can guess it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "ImportFormat"))]
pub enum Format {
    /// Google Authenticator's "Transfer accounts" export: `otpauth-migration://offline?data=…`
    /// links, one per line (one per QR code).
    Google,
    /// An Aegis vault export (`.json`), plain or encrypted with a password.
    Aegis,
    /// A 2FAS backup (`.2fas`), plain or encrypted with a password.
    TwoFas,
    /// Bitwarden's unencrypted JSON export; the TOTP of each login.
    Bitwarden,
    /// Ente Auth's plain text export: otpauth URIs with Ente's `codeDisplay` parameter.
    Ente,
    /// A plain list of otpauth URIs, one per line; blank lines and `#` comments skipped.
    Uris,
}

impl Format {
    pub const ALL: [Format; 6] =
        [Format::Google, Format::Aegis, Format::TwoFas, Format::Bitwarden, Format::Ente, Format::Uris];

    /// The short name a user types (`--from google`): `google`, `aegis`, `2fas`, `bitwarden`,
    /// `ente` or `uris`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Google => "google",
            Format::Aegis => "aegis",
            Format::TwoFas => "2fas",
            Format::Bitwarden => "bitwarden",
            Format::Ente => "ente",
            Format::Uris => "uris",
        }
    }

    /// The app's name, for messages: "Google Authenticator", "Aegis", "2FAS"…
    pub fn app(self) -> &'static str {
        match self {
            Format::Google => "Google Authenticator",
            Format::Aegis => "Aegis",
            Format::TwoFas => "2FAS",
            Format::Bitwarden => "Bitwarden",
            Format::Ente => "Ente Auth",
            Format::Uris => "otpauth URI list",
        }
    }

    /// The format named `name` (as [`Format::name`] spells it, ignoring case).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Guesses the format from the content: the JSON formats by their top-level keys, the line
    /// formats by their first link. `None` when nothing fits; never reads past the first
    /// [`MAX_FILE_BYTES`].
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        let bytes = &bytes[..bytes.len().min(MAX_FILE_BYTES)];
        let text = std::str::from_utf8(strip_bom(bytes)).ok()?.trim_start();
        if text.starts_with('{') {
            let value: serde_json::Value = serde_json::from_str(text).ok()?;
            let doc = json::Scrubbed::new(value);
            let object = doc.value().as_object()?;
            let has = |key: &str| object.contains_key(key);
            return if has("db") && has("header") {
                Some(Format::Aegis)
            } else if has("schemaVersion") && (has("services") || has("servicesEncrypted")) {
                Some(Format::TwoFas)
            } else if has("items") {
                Some(Format::Bitwarden)
            } else {
                None
            };
        }
        let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
        if starts_with_ignore_case(first, "otpauth-migration:") {
            Some(Format::Google)
        } else if starts_with_ignore_case(first, "otpauth:") {
            let ente = text.lines().any(|l| l.contains("codeDisplay="));
            Some(if ente { Format::Ente } else { Format::Uris })
        } else {
            None
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where an item is in the file, in the words a user would look for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// A line of a text file (1-based).
    Line(usize),
    /// An entry of a JSON file's list (1-based, in the file's order, counting every entry of
    /// the list, also those that hold no code).
    Entry(usize),
    /// An account inside one link of a Google export: the line, and the account's position in
    /// that link (both 1-based).
    Batch { line: usize, entry: usize },
}

impl Place {
    /// The place [`Display`](fmt::Display) wrote, read back.
    pub fn parse(text: &str) -> Option<Place> {
        let number = |s: &str| s.parse::<usize>().ok();
        if let Some((line, account)) = text.strip_prefix("line ").and_then(|r| r.split_once(", account ")) {
            return Some(Place::Batch { line: number(line)?, entry: number(account)? });
        }
        if let Some(line) = text.strip_prefix("line ") {
            return Some(Place::Line(number(line)?));
        }
        Some(Place::Entry(number(text.strip_prefix("entry ")?)?))
    }
}

// The apps see a place in its words: `"entry 3"`, `"line 2"`, `"line 1, account 4"`.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(Place, String, {
    lower: |place| place.to_string(),
    try_lift: |text| Place::parse(&text).ok_or_else(|| uniffi::deps::anyhow::anyhow!("not a place in a file")),
});

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Place::Line(line) => write!(f, "line {line}"),
            Place::Entry(entry) => write!(f, "entry {entry}"),
            Place::Batch { line, entry } => write!(f, "line {line}, account {entry}"),
        }
    }
}

/// One entry of an export: a credential ready for the vault, or why it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedItem {
    /// 1-based and consecutive over the whole import, in the file's order: the number the
    /// preview shows.
    pub number: usize,
    pub place: Place,
    pub outcome: Result<Credential, EntryError>,
}

/// Reads an export of `format`. `password` opens an encrypted Aegis or 2FAS file and is
/// ignored by every other format.
///
/// Returns every entry of the file, numbered, each a credential or the reason it was refused
/// (see [`preview`]); a problem with the file as a whole is an [`ImportError`]. Nothing is
/// stored.
pub fn read(format: Format, bytes: &[u8], password: Option<&str>) -> Result<Vec<ImportedItem>, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { max: MAX_FILE_BYTES });
    }
    let bytes = strip_bom(bytes);
    let items = match format {
        Format::Google => google::read(text_of(bytes)?),
        Format::Aegis => aegis::read(bytes, password),
        Format::TwoFas => twofas::read(bytes, password),
        Format::Bitwarden => bitwarden::read(bytes),
        Format::Ente => ente::read(text_of(bytes)?),
        Format::Uris => Ok(uri_list::read(text_of(bytes)?)),
    }?;
    Ok(number(items))
}

/// [`read`] with the format guessed by [`Format::detect`].
pub fn read_detected(bytes: &[u8], password: Option<&str>) -> Result<(Format, Vec<ImportedItem>), ImportError> {
    let format = Format::detect(bytes).ok_or(ImportError::Unrecognised)?;
    Ok((format, read(format, bytes, password)?))
}

/// What an importer produces before numbering: where, and what.
pub(crate) type Raw = (Place, Result<Credential, EntryError>);

fn number(raw: Vec<Raw>) -> Vec<ImportedItem> {
    raw.into_iter().enumerate().map(|(i, (place, outcome))| ImportedItem { number: i + 1, place, outcome }).collect()
}

/// The checks every importer ends with: what the vault would refuse, refused here, per entry.
pub(crate) fn finish(credential: Credential) -> Result<Credential, EntryError> {
    credential.validate()?;
    if let Kind::Hotp { counter } = credential.params.kind {
        if i64::try_from(counter).is_err() {
            return Err(EntryError::new("counter", "is larger than 2^63 - 1, which the vault cannot store"));
        }
    }
    Ok(credential)
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The bytes as text, or the line where they stop being UTF-8.
fn text_of(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        ImportError::Malformed { at: format!("line {line}"), reason: "is not UTF-8 text".into() }
    })
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The apps get a place as its words and may hand it back: the words read back to it.
    #[test]
    fn a_place_reads_back_from_its_words() {
        for place in [Place::Line(2), Place::Entry(13), Place::Batch { line: 1, entry: 4 }] {
            assert_eq!(Place::parse(&place.to_string()), Some(place), "{place}");
        }
        assert_eq!(Place::parse("entry"), None);
        assert_eq!(Place::parse("row 3"), None);
    }

    #[test]
    fn every_format_is_found_by_its_name_and_only_by_it() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
            assert_eq!(Format::from_name(&f.name().to_uppercase()), Some(f));
        }
        assert_eq!(Format::from_name("twofas"), None);
    }

    #[test]
    fn detection_reads_the_shape_not_the_file_name() {
        assert_eq!(Format::detect(b"\n# x\notpauth-migration://offline?data=CgA"), Some(Format::Google));
        assert_eq!(Format::detect(b"otpauth://totp/a?secret=A"), Some(Format::Uris));
        assert_eq!(Format::detect(b"otpauth://totp/a?secret=A&codeDisplay=%7B%7D"), Some(Format::Ente));
        assert_eq!(Format::detect(br#"{"version":1,"header":{},"db":{}}"#), Some(Format::Aegis));
        assert_eq!(Format::detect(br#"{"schemaVersion":4,"services":[]}"#), Some(Format::TwoFas));
        assert_eq!(Format::detect(br#"{"encrypted":false,"items":[]}"#), Some(Format::Bitwarden));
        assert_eq!(Format::detect(b"\xEF\xBB\xBF{\"items\":[]}"), Some(Format::Bitwarden));
        assert_eq!(Format::detect(br#"{"other":1}"#), None);
        assert_eq!(Format::detect(b"hello"), None);
        assert_eq!(Format::detect(b"\xFF\xFE"), None);
    }

    #[test]
    fn non_utf8_text_is_named_by_its_line() {
        let e = read(Format::Uris, b"# ok\n\xFF\n", None).unwrap_err();
        assert!(matches!(e, ImportError::Malformed { ref at, .. } if at == "line 2"), "{e:?}");
    }

    #[test]
    fn items_are_numbered_in_order_from_one() {
        let text = "otpauth://totp/A:a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\nnot a uri\n";
        let items = read(Format::Uris, text.as_bytes(), None).unwrap();
        let numbers: Vec<(usize, Place)> = items.iter().map(|i| (i.number, i.place)).collect();
        assert_eq!(numbers, [(1, Place::Line(1)), (2, Place::Line(3))]);
        assert!(items[0].outcome.is_ok() && items[1].outcome.is_err());
    }

    #[test]
    fn a_file_past_the_limit_is_refused_before_it_is_read() {
        let big = vec![b' '; MAX_FILE_BYTES + 1];
        assert!(matches!(read(Format::Uris, &big, None), Err(ImportError::TooLarge { .. })));
    }
}
