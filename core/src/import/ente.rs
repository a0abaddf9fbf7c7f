//! Ente Auth's plain text export: one otpauth URI per line, each with Ente's own
//! `codeDisplay` parameter (a JSON object: pinned, trashed, tags…).
//!
//! The URIs go through the strict parser like any list ([`super::uri_list`]), which already
//! ignores unknown parameters and a `period` on an HOTP URI, as Ente writes them. What Ente adds:
//! an entry whose `codeDisplay` says `"trashed": true` is in Ente's trash, so it is refused
//! with that reason (the user deleted it; `--skip-invalid` imports the others). Ente's
//! encrypted export (a JSON file) is refused as such: export again as plain text.

use super::json::{self, Fields};
use super::uri_list::uri_lines;
use super::{EntryError, Format, ImportError, Place, Raw, finish};
use crate::otp::uri;

pub(crate) fn read(text: &str) -> Result<Vec<Raw>, ImportError> {
    if text.trim_start().starts_with('{') {
        return Err(ImportError::Unsupported {
            format: Format::Ente,
            what: "an encrypted export; export again as plain text".into(),
        });
    }
    Ok(uri_lines(text)
        .map(|(line, item)| {
            let outcome = uri::parse(item).map_err(EntryError::from).and_then(finish).and_then(|c| {
                if trashed(item)? {
                    Err(EntryError::new("codeDisplay", "the entry is in Ente Auth's trash"))
                } else {
                    Ok(c)
                }
            });
            (Place::Line(line), outcome)
        })
        .collect())
}

/// True when the URI's `codeDisplay` says the entry is trashed. A `codeDisplay` that is not
/// JSON is ignored, as any unknown parameter would be.
fn trashed(uri: &str) -> Result<bool, EntryError> {
    let Some((_, query)) = uri.split_once('?') else { return Ok(false) };
    let Some(raw) = query.split('&').find_map(|pair| pair.strip_prefix("codeDisplay=")) else { return Ok(false) };
    let Some(decoded) = form_decode(raw) else { return Ok(false) };
    let Ok(doc) = json::parse(Format::Ente, decoded.as_bytes()) else { return Ok(false) };
    let Ok(fields) = Fields::of(doc.value(), "codeDisplay") else { return Ok(false) };
    Ok(fields.bool("trashed").ok().flatten() == Some(true))
}

fn form_decode(raw: &str) -> Option<String> {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced).decode_utf8().ok().map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "otpauth://totp/A:a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=A";

    #[test]
    fn a_trashed_entry_is_refused_and_the_others_kept() {
        let trashed = "%7B%22pinned%22%3Afalse%2C%22trashed%22%3Atrue%7D";
        let kept = "%7B%22pinned%22%3Afalse%2C%22trashed%22%3Afalse%7D";
        let text =
            format!("{URI}&codeDisplay={kept}\n{URI}&codeDisplay={trashed}\n{URI}&codeDisplay=%7Bnot json\n{URI}\n");
        let raw = read(&text).unwrap();
        assert!(raw[0].1.is_ok() && raw[2].1.is_ok() && raw[3].1.is_ok());
        assert_eq!(raw[1].1.as_ref().unwrap_err().field(), "codeDisplay");
        assert_eq!(raw[1].0, Place::Line(2));
    }

    #[test]
    fn an_encrypted_export_is_refused_as_such() {
        let e = read(r#"{"version":1,"kdfParams":{},"encryptedData":"x"}"#).unwrap_err();
        assert!(matches!(e, ImportError::Unsupported { format: Format::Ente, .. }));
    }
}
