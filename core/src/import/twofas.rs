//! 2FAS backups (`.2fas`), plain and encrypted, schema versions 1 to 4.
//!
//! Owns the backup's frame (`schemaVersion`, `services`, `servicesEncrypted`, `reference`),
//! opening an encrypted one, and mapping each service to a [`Credential`]. Does not own 2FAS's
//! groups, icons or order.
//!
//! **Encrypted backups.** `servicesEncrypted` is `base64(ciphertext ‖ tag):base64(salt):
//! base64(iv)`: AES-256-GCM under PBKDF2-HMAC-SHA256(password, salt, 10,000 iterations) → 32
//! bytes, and the plaintext is the JSON list of services. `reference`, in the same form, is a
//! fixed text 2FAS encrypts with the same password: when it is there it is opened first, so a
//! wrong password ([`ImportError::WrongPassword`]) is told apart from damaged services. The
//! iteration count is 2FAS's constant, not read from the file, so a file cannot make it costly.
//!
//! **Services.** `secret` (base32), and in `otp`: `tokenType` TOTP (also when absent), HOTP or
//! STEAM; `algorithm` (SHA1 when absent), `digits` (6 when absent), `period` (30 when absent)
//! for TOTP and Steam, `counter` for HOTP (0 when absent, where 2FAS starts). The issuer is the
//! service's `name` (what 2FAS shows, which the user may have edited), else `otp.issuer`; the
//! account is `otp.account`, else `otp.label` without an `issuer:` prefix.

use std::num::NonZeroU32;

use super::crypto::{self, Key};
use super::json::{self, Fields};
use super::{EntryError, Format, ImportError, Place, Raw, finish};
use crate::otp::{Algorithm, Credential, Kind, Params};

/// 2FAS's PBKDF2 iteration count.
const ITERATIONS: NonZeroU32 = NonZeroU32::new(10_000).expect("not zero");
/// The `schemaVersion` values read.
const SCHEMA_VERSIONS: std::ops::RangeInclusive<u64> = 1..=4;

const FORMAT: Format = Format::TwoFas;

pub(crate) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Raw>, ImportError> {
    let doc = json::parse(FORMAT, bytes)?;
    let root = Fields::of(doc.value(), "file").map_err(|_| wrong("the file is not a JSON object"))?;
    let schema = root.u64("schemaVersion").map_err(json::at(""))?.ok_or_else(|| wrong("it has no schemaVersion"))?;
    if !SCHEMA_VERSIONS.contains(&schema) {
        return Err(ImportError::Unsupported {
            format: FORMAT,
            what: format!(
                "schema version {schema} (this build reads {} to {})",
                SCHEMA_VERSIONS.start(),
                SCHEMA_VERSIONS.end()
            ),
        });
    }
    match root.str("servicesEncrypted").map_err(json::at(""))?.filter(|s| !s.is_empty()) {
        Some(sealed) => {
            let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
            let reference = root.str("reference").map_err(json::at(""))?.filter(|s| !s.is_empty());
            let plaintext = decrypt(sealed, reference, password)?;
            let services = json::parse(FORMAT, &plaintext)
                .map_err(|_| malformed("servicesEncrypted", "decrypts to something that is not a list of services"))?;
            let list = services.value().as_array().ok_or_else(|| {
                malformed("servicesEncrypted", "decrypts to something that is not a list of services")
            })?;
            Ok(convert(list))
        }
        None => {
            let list = root.array("services").map_err(json::at(""))?.ok_or_else(|| wrong("it has no services"))?;
            Ok(convert(list))
        }
    }
}

fn wrong(reason: &str) -> ImportError {
    ImportError::WrongFormat { format: FORMAT, reason: reason.into() }
}

fn malformed(at: &str, reason: &str) -> ImportError {
    ImportError::Malformed { at: at.into(), reason: reason.into() }
}

/// One `ciphertext:salt:iv` field, decoded.
struct Sealed {
    data: zeroize::Zeroizing<Vec<u8>>,
    salt: Vec<u8>,
    iv: Vec<u8>,
}

impl Sealed {
    fn parse(field: &str, text: &str) -> Result<Self, ImportError> {
        let parts: Vec<&str> = text.split(':').collect();
        let [data, salt, iv] = parts[..] else {
            return Err(malformed(field, "must be three base64 parts separated by ':' (data, salt, iv)"));
        };
        let data = crypto::base64(data).ok_or_else(|| malformed(field, "has data that is not base64"))?;
        let salt = crypto::base64(salt).ok_or_else(|| malformed(field, "has a salt that is not base64"))?;
        let iv = crypto::base64(iv).ok_or_else(|| malformed(field, "has an iv that is not base64"))?;
        if iv.len() != 12 {
            return Err(malformed(field, "has an iv that is not 12 bytes"));
        }
        if salt.is_empty() || salt.len() > crypto::MAX_SALT_BYTES {
            return Err(malformed(field, "has a salt of an impossible length"));
        }
        Ok(Self { data, salt: salt.to_vec(), iv: iv.to_vec() })
    }

    fn open(&self, key: &Key) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        crypto::open(key, &self.iv, &self.data)
    }
}

fn decrypt(
    services: &str,
    reference: Option<&str>,
    password: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let services = Sealed::parse("servicesEncrypted", services)?;
    let reference = reference.map(|r| Sealed::parse("reference", r)).transpose()?;
    let key = crypto::pbkdf2_sha256(password.as_bytes(), &services.salt, ITERATIONS);
    let checked = match &reference {
        Some(reference) => {
            let reference_key = if reference.salt == services.salt {
                key.clone()
            } else {
                crypto::pbkdf2_sha256(password.as_bytes(), &reference.salt, ITERATIONS)
            };
            reference.open(&reference_key).ok_or(ImportError::WrongPassword { format: FORMAT })?;
            true
        }
        None => false,
    };
    services.open(&key).ok_or(if checked {
        malformed("servicesEncrypted", "does not open although the password is right (the file is damaged)")
    } else {
        ImportError::WrongPassword { format: FORMAT }
    })
}

fn convert(services: &[serde_json::Value]) -> Vec<Raw> {
    services.iter().enumerate().map(|(i, s)| (Place::Entry(i + 1), service(s).and_then(finish))).collect()
}

fn service(value: &serde_json::Value) -> Result<Credential, EntryError> {
    let s = Fields::of(value, "entry")?;
    let otp = s.required_object("otp")?;
    let algorithm = match otp.str("algorithm")? {
        None => Algorithm::Sha1,
        Some(name) => {
            Algorithm::parse(name).ok_or_else(|| EntryError::new("algorithm", "must be SHA1, SHA256 or SHA512"))?
        }
    };
    let digits = otp.u64("digits")?.unwrap_or(6);
    let digits = u8::try_from(digits).map_err(|_| EntryError::new("digits", "is too large"))?;
    let period = || -> Result<u32, EntryError> {
        let period = otp.u64("period")?.unwrap_or(30);
        u32::try_from(period).map_err(|_| EntryError::new("period", "is too large"))
    };
    let params = match otp.str("tokenType")?.map(str::to_ascii_uppercase).as_deref() {
        None | Some("TOTP") => Params::totp(algorithm, digits, period()?),
        Some("HOTP") => Params::hotp(algorithm, digits, otp.u64("counter")?.unwrap_or(0)),
        Some("STEAM") => Params { kind: Kind::Steam { period: period()? }, algorithm, digits },
        Some(_) => return Err(EntryError::new("tokenType", "must be TOTP, HOTP or STEAM")),
    };
    let secret = crypto::base32_secret(s.required_str("secret")?)?;
    let issuer = match s.str("name")?.filter(|n| !n.is_empty()) {
        Some(name) => name,
        None => otp.str("issuer")?.unwrap_or_default(),
    };
    let account = match otp.str("account")?.filter(|a| !a.is_empty()) {
        Some(account) => account,
        None => {
            let label = otp.str("label")?.unwrap_or_default();
            label.split_once(':').filter(|(prefix, _)| *prefix == issuer).map_or(label, |(_, rest)| rest.trim_start())
        }
    };
    Ok(Credential { issuer: issuer.to_owned(), account: account.to_owned(), params, secret })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn plain(services: &str) -> String {
        format!(r#"{{"services":[{services}],"schemaVersion":4}}"#)
    }

    #[test]
    fn defaults_fill_what_a_service_leaves_out() {
        let file = plain(&format!(
            r#"{{"name":"","secret":"{SECRET}","otp":{{"issuer":"I","label":"I: ada"}}}},
               {{"name":"Shown","secret":"{SECRET}","otp":{{"issuer":"I","account":"bob","tokenType":"hotp"}}}}"#
        ));
        let raw = read(file.as_bytes(), None).unwrap();
        let first = raw[0].1.as_ref().unwrap();
        assert_eq!((first.issuer.as_str(), first.account.as_str()), ("I", "ada"));
        assert_eq!(first.params, Params::totp(Algorithm::Sha1, 6, 30));
        let second = raw[1].1.as_ref().unwrap();
        assert_eq!((second.issuer.as_str(), second.account.as_str()), ("Shown", "bob"));
        assert_eq!(second.params, Params::hotp(Algorithm::Sha1, 6, 0));
    }

    #[test]
    fn a_bad_service_is_refused_by_its_field_and_the_others_are_kept() {
        let file = plain(&format!(
            r#"{{"name":"A","secret":"{SECRET}","otp":{{"account":"a","tokenType":"MOTP"}}}},
               {{"name":"B","secret":"{SECRET}","otp":{{"account":"b","digits":"six"}}}},
               {{"name":"C","otp":{{"account":"c"}}}},
               {{"name":"D","secret":"{SECRET}","otp":{{"account":"d"}}}}"#
        ));
        let raw = read(file.as_bytes(), None).unwrap();
        let fields: Vec<&str> = raw.iter().filter_map(|r| r.1.as_ref().err()).map(EntryError::field).collect();
        assert_eq!(fields, ["tokenType", "digits", "secret"]);
        assert!(raw[3].1.is_ok());
    }

    #[test]
    fn the_frame_is_checked_first() {
        assert!(matches!(read(br#"{"services":[]}"#, None), Err(ImportError::WrongFormat { .. })));
        assert!(matches!(read(br#"{"services":[],"schemaVersion":5}"#, None), Err(ImportError::Unsupported { .. })));
        let sealed = r#"{"services":[],"schemaVersion":4,"servicesEncrypted":"AAAA:AAAA"}"#;
        assert!(matches!(read(sealed.as_bytes(), None), Err(ImportError::PasswordRequired { .. })));
        let e = read(sealed.as_bytes(), Some("x")).unwrap_err();
        assert!(e.to_string().starts_with("servicesEncrypted: must be three"), "{e}");
        let short_iv = r#"{"services":[],"schemaVersion":4,"servicesEncrypted":"AAAA:AAAA:AAAA"}"#;
        assert!(read(short_iv.as_bytes(), Some("x")).unwrap_err().to_string().contains("iv"));
    }
}
