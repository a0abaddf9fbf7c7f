//! Aegis vault exports (`.json`), plain and encrypted.
//!
//! Owns the file's frame (`version`, `header`, `db`), opening an encrypted one, and mapping
//! each entry of `db.entries` to a [`Credential`]. Does not own Aegis's groups, icons or notes,
//! which have no place in a credential.
//!
//! **Encrypted files.** `header.slots` lists key slots; a password slot (`type` 1) holds the
//! vault's master key sealed with AES-256-GCM (`key`, `key_params.nonce`, `key_params.tag`)
//! under `scrypt(password, salt, n, r, p)` → 32 bytes. The master key opens `db` (base64) with
//! `header.params.nonce` and `tag`. Password slots are tried in order; when none opens, the
//! password is wrong ([`ImportError::WrongPassword`]). A file whose master key then fails to
//! open `db` is damaged, not a wrong password. The password is taken as UTF-8, as Aegis writes
//! it since its "repaired" slots; older slots made by Aegis's old encoding open the same way
//! for any password of 64 bytes or less.
//!
//! **Hostile files.** The scrypt parameters come from the file, so they are checked before any
//! work ([`crypto::check_scrypt`](super::crypto::check_scrypt)): `n` a power of two up to 2^20,
//! at most 256 MiB of memory (`128·n·r`) and 1 GiB of mixing (`128·n·r·p`), at most
//! [`MAX_PASSWORD_SLOTS`] password slots. Aegis itself writes n = 2^15, r = 8, p = 1.
//!
//! **Entries.** `type` totp, hotp or steam (others, such as yandex or motp, refuse that entry),
//! `name` → account, `issuer` → issuer, `info.secret` base32, `info.algo`, `info.digits`, and
//! `info.period` (totp, steam) or `info.counter` (hotp), each carried exactly. The `db`
//! versions 1 to 3 are read.

use super::crypto;
use super::json::{self, Fields};
use super::{EntryError, Format, ImportError, Place, Raw, finish};
use crate::otp::{Algorithm, Credential, Kind, Params};

/// Password slots tried at most: each costs one scrypt derivation.
pub const MAX_PASSWORD_SLOTS: usize = 8;
/// The `db.version` values read.
const DB_VERSIONS: std::ops::RangeInclusive<u64> = 1..=3;

const FORMAT: Format = Format::Aegis;

pub(crate) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Raw>, ImportError> {
    let doc = json::parse(FORMAT, bytes)?;
    let root = Fields::of(doc.value(), "file").map_err(|_| wrong("the file is not a JSON object"))?;
    if !root.has("db") || !root.has("header") {
        return Err(wrong("it has no db and header"));
    }
    let version = root.required_u64("version").map_err(json::at(""))?;
    if version != 1 {
        return Err(ImportError::Unsupported {
            format: FORMAT,
            what: format!("file version {version} (this build reads 1)"),
        });
    }
    let header = root.required_object("header").map_err(json::at(""))?;
    match root.0.get("db") {
        Some(serde_json::Value::String(sealed)) => {
            let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
            let plaintext = decrypt(header, sealed, password)?;
            let db = json::parse(FORMAT, &plaintext)
                .map_err(|_| malformed("db", "decrypts to something that is not the vault's JSON"))?;
            entries(Fields::of(db.value(), "db").map_err(json::at(""))?)
        }
        Some(value) => entries(Fields::of(value, "db").map_err(json::at(""))?),
        None => Err(wrong("it has no db")),
    }
}

fn wrong(reason: &str) -> ImportError {
    ImportError::WrongFormat { format: FORMAT, reason: reason.into() }
}

fn malformed(at: &str, reason: &str) -> ImportError {
    ImportError::Malformed { at: at.into(), reason: reason.into() }
}

/// The plaintext of `db`, opened through the first password slot that `password` opens.
fn decrypt(header: Fields<'_>, sealed_db: &str, password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let slots = header.array("slots").map_err(json::at("header"))?.unwrap_or_default();
    let params = header.required_object("params").map_err(json::at("header"))?;
    let db_nonce = hex_field(params, "nonce", 12).map_err(json::at("header.params"))?;
    let db_tag = hex_field(params, "tag", 16).map_err(json::at("header.params"))?;

    // Check every password slot before deriving any key: a hostile last slot must not be
    // reached only after seconds of work on the others.
    let mut candidates = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let path = format!("header.slots[{i}]");
        let slot = Fields::of(slot, "slot").map_err(json::at(&path))?;
        if slot.required_u64("type").map_err(json::at(&path))? != 1 {
            continue; // raw (0) and biometric (2) slots only open on the phone that made them
        }
        candidates.push(PasswordSlot::read(slot, &path)?);
    }
    if candidates.is_empty() {
        return Err(ImportError::Unsupported {
            format: FORMAT,
            what: "the vault has no password slot (only keys of the phone that made it)".into(),
        });
    }
    if candidates.len() > MAX_PASSWORD_SLOTS {
        return Err(ImportError::UnsafeParameters {
            at: "header.slots".into(),
            reason: format!("{} password slots; at most {MAX_PASSWORD_SLOTS} are tried", candidates.len()),
        });
    }
    let master = candidates
        .iter()
        .find_map(|slot| slot.open(password.as_bytes()))
        .ok_or(ImportError::WrongPassword { format: FORMAT })?;
    let master: &[u8; 32] =
        master.as_slice().try_into().map_err(|_| malformed("header.slots", "the master key is not 32 bytes"))?;

    let mut sealed = crypto::base64(sealed_db).ok_or_else(|| malformed("db", "is not base64"))?;
    sealed.extend_from_slice(&db_tag);
    crypto::open(master, &db_nonce, &sealed)
        .ok_or_else(|| malformed("db", "does not open with the vault's own key (the file is damaged)"))
}

struct PasswordSlot {
    salt: Vec<u8>,
    log_n: u8,
    r: u64,
    p: u64,
    nonce: Vec<u8>,
    /// The sealed master key followed by its tag.
    sealed_key: Vec<u8>,
}

impl PasswordSlot {
    fn read(slot: Fields<'_>, path: &str) -> Result<Self, ImportError> {
        let field = json::at(path);
        let n = slot.required_u64("n").map_err(&field)?;
        let r = slot.required_u64("r").map_err(&field)?;
        let p = slot.required_u64("p").map_err(&field)?;
        let salt = hex_field(slot, "salt", 0).map_err(&field)?;
        let log_n = crypto::check_scrypt(n, r, p, salt.len())
            .map_err(|reason| ImportError::UnsafeParameters { at: path.to_owned(), reason })?;
        let mut sealed_key = hex_field(slot, "key", 32).map_err(&field)?;
        let key_params = slot.required_object("key_params").map_err(&field)?;
        let params_path = format!("{path}.key_params");
        let nonce = hex_field(key_params, "nonce", 12).map_err(json::at(&params_path))?;
        let tag = hex_field(key_params, "tag", 16).map_err(json::at(&params_path))?;
        sealed_key.extend_from_slice(&tag);
        Ok(Self { salt, log_n, r, p, nonce, sealed_key })
    }

    fn open(&self, password: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let key = crypto::scrypt_key(password, &self.salt, self.log_n, self.r, self.p)?;
        crypto::open(&key, &self.nonce, &self.sealed_key)
    }
}

/// A hex field of `len` bytes (any length when 0).
fn hex_field(fields: Fields<'_>, key: &'static str, len: usize) -> Result<Vec<u8>, EntryError> {
    let bytes = crypto::hex(fields.required_str(key)?).ok_or_else(|| EntryError::new(key, "is not hexadecimal"))?;
    if len != 0 && bytes.len() != len {
        return Err(EntryError::new(key, format!("must be {len} bytes")));
    }
    Ok(bytes)
}

fn entries(db: Fields<'_>) -> Result<Vec<Raw>, ImportError> {
    let version = db.required_u64("version").map_err(json::at("db"))?;
    if !DB_VERSIONS.contains(&version) {
        return Err(ImportError::Unsupported {
            format: FORMAT,
            what: format!("db version {version} (this build reads {} to {})", DB_VERSIONS.start(), DB_VERSIONS.end()),
        });
    }
    let list = db.array("entries").map_err(json::at("db"))?.ok_or_else(|| malformed("db.entries", "is missing"))?;
    Ok(list.iter().enumerate().map(|(i, e)| (Place::Entry(i + 1), entry(e).and_then(finish))).collect())
}

fn entry(value: &serde_json::Value) -> Result<Credential, EntryError> {
    let e = Fields::of(value, "entry")?;
    let kind = e.required_str("type")?;
    let info = e.required_object("info")?;
    let algorithm = match info.str("algo")? {
        None => Algorithm::Sha1,
        Some(name) => {
            Algorithm::parse(name).ok_or_else(|| EntryError::new("algo", "must be SHA1, SHA256 or SHA512"))?
        }
    };
    let digits = info.required_u64("digits")?;
    let digits = u8::try_from(digits).map_err(|_| EntryError::new("digits", "is too large"))?;
    let period = |info: Fields<'_>| -> Result<u32, EntryError> {
        let period = info.required_u64("period")?;
        u32::try_from(period).map_err(|_| EntryError::new("period", "is too large"))
    };
    let params = match kind {
        "totp" => Params::totp(algorithm, digits, period(info)?),
        "hotp" => Params::hotp(algorithm, digits, info.required_u64("counter")?),
        "steam" => Params { kind: Kind::Steam { period: period(info)? }, algorithm, digits },
        _ => return Err(EntryError::new("type", "must be totp, hotp or steam (other kinds are not supported)")),
    };
    let secret = crypto::base32_secret(info.required_str("secret")?)?;
    Ok(Credential {
        issuer: e.str("issuer")?.unwrap_or_default().to_owned(),
        account: e.str("name")?.unwrap_or_default().to_owned(),
        params,
        secret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(entries: &str) -> String {
        format!(r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":2,"entries":[{entries}]}}}}"#)
    }

    #[test]
    fn each_entry_kind_carries_its_parameters() {
        let file = plain(
            r#"{"type":"hotp","name":"a","issuer":"I","info":{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","algo":"SHA256","digits":7,"counter":18446744073709551615}},
               {"type":"steam","name":"s","issuer":"Steam","info":{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","algo":"SHA1","digits":5,"period":30}},
               {"type":"yandex","name":"y","issuer":"Y","info":{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","digits":8,"period":30}},
               "nonsense""#,
        );
        let raw = read(file.as_bytes(), None).unwrap();
        assert_eq!(raw[0].1.as_ref().unwrap_err().field(), "counter", "past i64::MAX is refused, not wrapped");
        assert_eq!(raw[1].1.as_ref().unwrap().params, Params::steam());
        assert_eq!(raw[2].1.as_ref().unwrap_err().field(), "type");
        assert_eq!(raw[3].1.as_ref().unwrap_err().field(), "entry");
        assert_eq!(raw.iter().map(|r| r.0).collect::<Vec<_>>(), (1..=4).map(Place::Entry).collect::<Vec<_>>());
    }

    #[test]
    fn the_frame_is_checked_before_the_entries() {
        assert!(matches!(read(b"[]", None), Err(ImportError::WrongFormat { .. })));
        assert!(matches!(read(br#"{"items":[]}"#, None), Err(ImportError::WrongFormat { .. })));
        let v2 = r#"{"version":2,"header":{},"db":{}}"#;
        assert!(matches!(read(v2.as_bytes(), None), Err(ImportError::Unsupported { .. })));
        let db9 = r#"{"version":1,"header":{},"db":{"version":9,"entries":[]}}"#;
        assert!(matches!(read(db9.as_bytes(), None), Err(ImportError::Unsupported { .. })));
    }

    fn encrypted(slot: &str) -> String {
        format!(
            r#"{{"version":1,"header":{{"slots":[{slot}],"params":{{"nonce":"095fd13dee336fa56b4634ff","tag":"5db2470edf2d12f82a89ae7f48ccd50c"}}}},"db":"AAAA"}}"#
        )
    }

    #[test]
    fn hostile_scrypt_parameters_are_refused_before_any_work() {
        let slot = |n: u64, r: u64, p: u64| {
            format!(
                r#"{{"type":1,"key":"{}","key_params":{{"nonce":"{}","tag":"{}"}},"n":{n},"r":{r},"p":{p},"salt":"00"}}"#,
                "00".repeat(32),
                "00".repeat(12),
                "00".repeat(16)
            )
        };
        for (n, r, p) in
            [(1u64 << 30, 8, 1), (1 << 20, 8, 1), (1 << 15, 8, 1 << 20), (1 << 15, 1 << 40, 1), (12345, 8, 1)]
        {
            let start = std::time::Instant::now();
            let e = read(encrypted(&slot(n, r, p)).as_bytes(), Some("x")).unwrap_err();
            assert!(matches!(e, ImportError::UnsafeParameters { ref at, .. } if at == "header.slots[0]"), "{e:?}");
            assert!(start.elapsed().as_secs() < 2);
        }
        let many = vec![slot(2, 1, 1); MAX_PASSWORD_SLOTS + 1].join(",");
        assert!(matches!(read(encrypted(&many).as_bytes(), Some("x")), Err(ImportError::UnsafeParameters { .. })));
    }

    #[test]
    fn an_encrypted_file_needs_a_password_and_a_password_slot() {
        let slot = r#"{"type":2,"key":"00","key_params":{"nonce":"00","tag":"00"}}"#;
        assert!(matches!(read(encrypted(slot).as_bytes(), None), Err(ImportError::PasswordRequired { .. })));
        assert!(matches!(read(encrypted(slot).as_bytes(), Some("x")), Err(ImportError::Unsupported { .. })));
        let bad_hex = r#"{"type":1,"key":"zz","key_params":{"nonce":"00","tag":"00"},"n":2,"r":1,"p":1,"salt":"00"}"#;
        let e = read(encrypted(bad_hex).as_bytes(), Some("x")).unwrap_err();
        assert_eq!(e.to_string(), "header.slots[0].key: is not hexadecimal");
    }
}
