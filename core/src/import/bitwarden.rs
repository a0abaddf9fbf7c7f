//! Bitwarden's JSON export (unencrypted): the authenticator key of each login.
//!
//! Owns reading `items[].login.totp` and naming the credential. Does not own anything else of
//! a password manager's export (passwords, notes, URIs are never read into a credential).
//! Items without a TOTP are passed over but keep their place in the count, so an entry number
//! is the item's position in `items`.
//!
//! `login.totp` is one of:
//! - an `otpauth://` URI, read by the strict parser ([`crate::otp::uri::parse`]); when it
//!   names no issuer, the item's `name` becomes the issuer; a URI without a label (which
//!   Bitwarden accepts) takes the login's `username`, else the item's name, as account;
//! - `steam://SECRET`: a Steam Guard key, issuer the item's name (or "Steam");
//! - a bare base32 key: TOTP, SHA1, 6 digits, 30 seconds (Bitwarden's defaults), issuer the
//!   item's name, account the login's username.
//!
//! An encrypted or password-protected export is refused as such ([`ImportError::Unsupported`]):
//! export again as "JSON", not "JSON (Encrypted)".

use super::crypto;
use super::json::{self, Fields};
use super::{EntryError, Format, ImportError, Place, Raw, finish, starts_with_ignore_case};
use crate::otp::uri;
use crate::otp::{Algorithm, Credential, Params};

const FORMAT: Format = Format::Bitwarden;

pub(crate) fn read(bytes: &[u8]) -> Result<Vec<Raw>, ImportError> {
    let doc = json::parse(FORMAT, bytes)?;
    let root = Fields::of(doc.value(), "file").map_err(|_| wrong("the file is not a JSON object"))?;
    if root.bool("encrypted").map_err(json::at(""))? == Some(true)
        || root.bool("passwordProtected").map_err(json::at(""))? == Some(true)
    {
        return Err(ImportError::Unsupported {
            format: FORMAT,
            what: "an encrypted export; export the vault again as plain JSON".into(),
        });
    }
    let items = root.array("items").map_err(json::at(""))?.ok_or_else(|| wrong("it has no items"))?;
    let mut raw = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let place = Place::Entry(i + 1);
        match totp_of(item) {
            Ok(None) => {}
            Ok(Some((totp, item))) => raw.push((place, credential(totp, item).and_then(finish))),
            Err(e) => raw.push((place, Err(e))),
        }
    }
    Ok(raw)
}

fn wrong(reason: &str) -> ImportError {
    ImportError::WrongFormat { format: FORMAT, reason: reason.into() }
}

/// What names a credential in an item.
struct Names<'a> {
    name: &'a str,
    username: &'a str,
}

/// The item's TOTP text and names, or `None` for an item that holds no TOTP.
fn totp_of(value: &serde_json::Value) -> Result<Option<(&str, Names<'_>)>, EntryError> {
    let item = Fields::of(value, "entry")?;
    let Some(login) = item.object("login")? else { return Ok(None) };
    let Some(totp) = login.str("totp")?.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let names = Names {
        name: item.str("name")?.unwrap_or_default().trim(),
        username: login.str("username")?.unwrap_or_default().trim(),
    };
    Ok(Some((totp, names)))
}

fn credential(totp: &str, names: Names<'_>) -> Result<Credential, EntryError> {
    if starts_with_ignore_case(totp, "otpauth://") {
        let mut credential = match uri::parse(totp) {
            Ok(c) => c,
            Err(e) if e.field() == "account" => {
                let account = if names.username.is_empty() { names.name } else { names.username };
                uri::parse(&with_label(totp, account)).map_err(EntryError::from)?
            }
            Err(e) => return Err(e.into()),
        };
        if credential.issuer.is_empty() {
            credential.issuer = names.name.to_owned();
        }
        return Ok(credential);
    }
    if starts_with_ignore_case(totp, "steam://") {
        let secret = crypto::base32_secret(&totp["steam://".len()..])?;
        let issuer = if names.name.is_empty() { "Steam" } else { names.name };
        return Ok(Credential {
            issuer: issuer.to_owned(),
            account: names.username.to_owned(),
            params: Params::steam(),
            secret,
        });
    }
    if totp.contains("://") {
        return Err(EntryError::new("totp", "must be an otpauth:// URI, a steam:// key or a base32 key"));
    }
    Ok(Credential {
        issuer: names.name.to_owned(),
        account: names.username.to_owned(),
        params: Params::totp(Algorithm::Sha1, 6, crate::otp::STANDARD_PERIOD),
        secret: crypto::base32_secret(totp)?,
    })
}

/// `otpauth://TYPE/?…` with `account` (percent-encoded) put in as the label.
fn with_label(totp: &str, account: &str) -> String {
    let encoded: String = percent_encoding::utf8_percent_encode(account, percent_encoding::NON_ALPHANUMERIC).collect();
    let rest = &totp["otpauth://".len()..];
    let (kind, query) = rest.split_once('?').unwrap_or((rest, ""));
    let kind = kind.split('/').next().unwrap_or_default();
    // The label may not start with ':' (the parser would read an empty issuer prefix), which
    // the encoding above already rules out.
    format!("otpauth://{kind}/{encoded}?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Kind;

    const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn export(items: &str) -> String {
        format!(r#"{{"encrypted":false,"folders":[],"items":[{items}]}}"#)
    }

    fn item(name: &str, username: &str, totp: &str) -> String {
        format!(r#"{{"type":1,"name":"{name}","login":{{"username":"{username}","totp":"{totp}"}}}}"#)
    }

    #[test]
    fn each_kind_of_totp_field_is_named_from_the_item() {
        let file = export(
            &[
                item("GitHub", "ada", &format!("otpauth://totp/ada?secret={SECRET}")),
                item("Mail", "bob", SECRET),
                item("My Steam", "", &format!("steam://{SECRET}")),
                item("Blank", "eve", &format!("otpauth://hotp/?secret={SECRET}&counter=5")),
                r#"{"type":2,"name":"a note","login":null}"#.into(),
                item("Nothing", "x", ""),
                item("Bad", "x", "JBSW!"),
                item("Other", "x", "https://example.com"),
            ]
            .join(","),
        );
        let raw = read(file.as_bytes()).unwrap();
        let places: Vec<Place> = raw.iter().map(|r| r.0).collect();
        assert_eq!(places, [1, 2, 3, 4, 7, 8].map(Place::Entry));
        let ok: Vec<(&str, &str, Kind)> = raw
            .iter()
            .filter_map(|r| r.1.as_ref().ok())
            .map(|c| (c.issuer.as_str(), c.account.as_str(), c.params.kind))
            .collect();
        assert_eq!(
            ok,
            [
                ("GitHub", "ada", Kind::Totp { period: 30 }),
                ("Mail", "bob", Kind::Totp { period: 30 }),
                ("My Steam", "", Kind::Steam { period: 30 }),
                ("Blank", "eve", Kind::Hotp { counter: 5 }),
            ]
        );
        assert_eq!(raw[4].1.as_ref().unwrap_err().field(), "secret");
        assert_eq!(raw[5].1.as_ref().unwrap_err().field(), "totp");
    }

    #[test]
    fn an_encrypted_export_is_refused_as_such() {
        for file in [r#"{"encrypted":true,"items":[]}"#, r#"{"passwordProtected":true,"data":"x"}"#] {
            assert!(matches!(read(file.as_bytes()), Err(ImportError::Unsupported { .. })), "{file}");
        }
        assert!(matches!(read(b"{}"), Err(ImportError::WrongFormat { .. })));
    }
}
