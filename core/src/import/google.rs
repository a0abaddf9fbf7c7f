//! Google Authenticator's "Transfer accounts" export: `otpauth-migration://offline?data=…`
//! links, one per QR code, one per line of the file.
//!
//! Owns decoding a link (the `data` parameter, percent-decoded, base64 in the standard or the
//! URL-safe alphabet, padded or not, then the protobuf [`proto::MigrationPayload`] decoded by
//! prost), checking that the links form one whole export, and mapping each account to a
//! [`Credential`]. Does not own scanning the QR codes, or writing an export.
//!
//! **Batches.** An export too large for one QR code is split in several; each payload says
//! `batch_size`, its own `batch_index` (from 0) and a `batch_id` shared by the export. The
//! links must all carry the same `batch_id` and `batch_size`, each index exactly once, or the
//! import is refused ([`ImportError::MixedExports`], [`ImportError::RepeatedBatch`],
//! [`ImportError::IncompleteExport`] naming the missing QR codes): a partial export would lose
//! accounts silently. Accounts are numbered in batch order, whatever the order of the lines.
//! Payloads without batch information (`batch_size` 0, written by some other tools) are read
//! one after the other in the file's order.
//!
//! **Mapping** (the enums as Google Authenticator writes them): algorithm SHA1/SHA256/SHA512
//! (unspecified means SHA1; MD5 is refused); digits SIX → 6, EIGHT → 8 (unspecified → 6);
//! type HOTP keeps its `counter` exactly, TOTP (and unspecified, as Aegis reads it) has the
//! 30-second period the format implies. Names: `issuer` as it is; when it is empty and `name`
//! is `Issuer:account`, the prefix is the issuer; a `name` that repeats the issuer as a prefix
//! loses that prefix. An unknown enum value refuses that account and names the field.

use prost::Message as _;
use zeroize::Zeroizing;

use super::uri_list::uri_lines;
use super::{EntryError, ImportError, Place, Raw, finish, starts_with_ignore_case};
use crate::otp::{Algorithm, Credential, Params};
use crate::secret::SecretBytes;

/// The most QR codes one export may claim. Google Authenticator puts about ten accounts in one
/// code; a thousand codes would be ten thousand accounts.
pub const MAX_BATCHES: u32 = 1000;

/// The protobuf messages of the migration payload, derived by hand (no build script, no
/// protoc). Field numbers and enum values are the wire format: never renumber them.
///
/// ```text
/// message MigrationPayload {
///   repeated OtpParameters otp_parameters = 1;
///   int32 version = 2; int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5;
/// }
/// message OtpParameters {
///   bytes secret = 1; string name = 2; string issuer = 3;
///   Algorithm algorithm = 4; DigitCount digits = 5; OtpType type = 6; int64 counter = 7;
/// }
/// ```
pub mod proto {
    use std::fmt;

    use zeroize::Zeroize;

    /// One QR code's worth of an export.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MigrationPayload {
        #[prost(message, repeated, tag = "1")]
        pub otp_parameters: Vec<OtpParameters>,
        /// 1 in every export seen.
        #[prost(int32, tag = "2")]
        pub version: i32,
        /// How many QR codes the export has (0: not said).
        #[prost(int32, tag = "3")]
        pub batch_size: i32,
        /// Which of them this is, from 0.
        #[prost(int32, tag = "4")]
        pub batch_index: i32,
        /// Shared by every QR code of one export.
        #[prost(int32, tag = "5")]
        pub batch_id: i32,
    }

    /// One account. `Debug` never shows the secret, which is zeroized on drop.
    #[derive(Clone, PartialEq, prost::Message)]
    #[prost(skip_debug)]
    pub struct OtpParameters {
        /// The raw key bytes (not base32).
        #[prost(bytes = "vec", tag = "1")]
        pub secret: Vec<u8>,
        #[prost(string, tag = "2")]
        pub name: String,
        #[prost(string, tag = "3")]
        pub issuer: String,
        #[prost(enumeration = "Algorithm", tag = "4")]
        pub algorithm: i32,
        #[prost(enumeration = "DigitCount", tag = "5")]
        pub digits: i32,
        #[prost(enumeration = "OtpType", tag = "6")]
        pub r#type: i32,
        #[prost(int64, tag = "7")]
        pub counter: i64,
    }

    impl fmt::Debug for OtpParameters {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("OtpParameters")
                .field("secret", &format_args!("<redacted {} bytes>", self.secret.len()))
                .field("name", &self.name)
                .field("issuer", &self.issuer)
                .field("algorithm", &self.algorithm)
                .field("digits", &self.digits)
                .field("type", &self.r#type)
                .field("counter", &self.counter)
                .finish()
        }
    }

    impl Drop for OtpParameters {
        fn drop(&mut self) {
            self.secret.zeroize();
        }
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum Algorithm {
        Unspecified = 0,
        Sha1 = 1,
        Sha256 = 2,
        Sha512 = 3,
        Md5 = 4,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum DigitCount {
        Unspecified = 0,
        Six = 1,
        Eight = 2,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum OtpType {
        Unspecified = 0,
        Hotp = 1,
        Totp = 2,
    }
}

use proto::{MigrationPayload, OtpParameters};

/// Every account of the export in `text` (one link per line; blank lines and `#` comments
/// skipped), once the links are checked to form one whole export.
pub(crate) fn read(text: &str) -> Result<Vec<Raw>, ImportError> {
    let mut links = Vec::new();
    for (line, link) in uri_lines(text) {
        let payload =
            decode_link(link).map_err(|reason| ImportError::Malformed { at: format!("line {line}"), reason })?;
        links.push((line, payload));
    }
    let mut raw = Vec::new();
    for (line, payload) in assemble(links)? {
        for (i, mut account) in payload.otp_parameters.into_iter().enumerate() {
            raw.push((Place::Batch { line, entry: i + 1 }, credential(&mut account).and_then(finish)));
        }
    }
    Ok(raw)
}

/// One `otpauth-migration://offline?data=…` link to its payload; the error is a reason that
/// quotes nothing.
fn decode_link(link: &str) -> Result<MigrationPayload, String> {
    let Some((scheme, rest)) = link.split_once("://") else {
        return Err("is not an otpauth-migration:// link".into());
    };
    if !scheme.eq_ignore_ascii_case("otpauth-migration") {
        return Err(if starts_with_ignore_case(scheme, "otpauth") {
            "is an otpauth:// URI, not a Google Authenticator export link (import such lines as uris)".into()
        } else {
            "is not an otpauth-migration:// link".into()
        });
    }
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !host.trim_end_matches('/').eq_ignore_ascii_case("offline") {
        return Err("is not an otpauth-migration://offline link".into());
    }
    let mut data = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key == "data" {
            if data.is_some() {
                return Err("has the data parameter twice".into());
            }
            data = Some(value);
        }
    }
    let data = data.ok_or("has no data parameter")?;
    // `+` stays a plus here: it is a base64 symbol, and a space never is.
    let text = percent_decode(data).ok_or("has a '%' in its data that does not start a %XX escape")?;
    let text = std::str::from_utf8(&text).map_err(|_| "has data that is not base64")?;
    let bytes = super::crypto::base64(text).ok_or("has data that is not base64")?;
    MigrationPayload::decode(bytes.as_slice()).map_err(|e| format!("holds no valid migration payload ({e})"))
}

fn percent_decode(raw: &str) -> Option<Zeroizing<Vec<u8>>> {
    let bytes = raw.as_bytes();
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
            let (hi, lo) = (hex(bytes.get(i + 1))?, hex(bytes.get(i + 2))?);
            out.push((hi << 4 | lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Checks that the payloads form one whole export and puts them in batch order.
fn assemble(links: Vec<(usize, MigrationPayload)>) -> Result<Vec<(usize, MigrationPayload)>, ImportError> {
    let Some((first_line, first)) = links.first() else { return Ok(links) };
    let (first_line, id, size) = (*first_line, first.batch_id, first.batch_size);
    for (line, payload) in &links {
        if payload.batch_id != id || payload.batch_size != size {
            return Err(ImportError::MixedExports { line: *line, first_line });
        }
    }
    let malformed = |line: usize, reason: String| ImportError::Malformed { at: format!("line {line}"), reason };
    if size == 0 {
        return Ok(links);
    }
    let size =
        u32::try_from(size).map_err(|_| malformed(first_line, "says it has a negative number of batches".into()))?;
    if size > MAX_BATCHES {
        return Err(malformed(
            first_line,
            format!("says the export has {size} QR codes; at most {MAX_BATCHES} are read"),
        ));
    }
    let mut slots: Vec<Option<(usize, MigrationPayload)>> = (0..size).map(|_| None).collect();
    for (line, payload) in links {
        let index = u32::try_from(payload.batch_index).ok().filter(|&i| i < size).ok_or_else(|| {
            malformed(line, format!("says it is batch {} of {size}", i64::from(payload.batch_index) + 1))
        })?;
        let slot = &mut slots[index as usize];
        if let Some((first_line, _)) = slot {
            return Err(ImportError::RepeatedBatch { batch: index + 1, first_line: *first_line, line });
        }
        *slot = Some((line, payload));
    }
    let missing: Vec<u32> = (1..=size).filter(|&batch| slots[batch as usize - 1].is_none()).collect();
    if !missing.is_empty() {
        return Err(ImportError::IncompleteExport { size, missing });
    }
    Ok(slots.into_iter().flatten().collect())
}

/// One account as a credential; the secret is moved out of the message, not copied.
fn credential(p: &mut OtpParameters) -> Result<Credential, EntryError> {
    use proto::{Algorithm as A, DigitCount as D, OtpType as T};
    let algorithm = match A::try_from(p.algorithm) {
        Ok(A::Unspecified | A::Sha1) => Algorithm::Sha1,
        Ok(A::Sha256) => Algorithm::Sha256,
        Ok(A::Sha512) => Algorithm::Sha512,
        Ok(A::Md5) => return Err(EntryError::new("algorithm", "MD5 is not supported")),
        Err(_) => return Err(EntryError::new("algorithm", format!("has the unknown value {}", p.algorithm))),
    };
    let digits = match D::try_from(p.digits) {
        Ok(D::Unspecified | D::Six) => 6,
        Ok(D::Eight) => 8,
        Err(_) => return Err(EntryError::new("digits", format!("has the unknown value {}", p.digits))),
    };
    let params = match T::try_from(p.r#type) {
        Ok(T::Unspecified | T::Totp) => Params::totp(algorithm, digits, crate::otp::STANDARD_PERIOD),
        Ok(T::Hotp) => {
            let counter = u64::try_from(p.counter).map_err(|_| EntryError::new("counter", "is negative"))?;
            Params::hotp(algorithm, digits, counter)
        }
        Err(_) => return Err(EntryError::new("type", format!("has the unknown value {}", p.r#type))),
    };
    if p.secret.is_empty() {
        return Err(EntryError::new("secret", "is empty"));
    }
    let (issuer, account) = names(&p.issuer, &p.name);
    Ok(Credential { issuer, account, params, secret: SecretBytes::new(std::mem::take(&mut p.secret)) })
}

/// Issuer and account from the payload's `issuer` and `name` (see the module docs).
fn names(issuer: &str, name: &str) -> (String, String) {
    if issuer.is_empty() {
        return match name.split_once(':') {
            Some((issuer, account)) => (issuer.to_owned(), account.trim_start().to_owned()),
            None => (String::new(), name.to_owned()),
        };
    }
    let account = name.strip_prefix(issuer).and_then(|rest| rest.strip_prefix(':')).map_or(name, str::trim_start);
    (issuer.to_owned(), account.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Kind;

    fn link(payload: &MigrationPayload) -> String {
        let data = data_encoding::BASE64.encode(&payload.encode_to_vec());
        format!("otpauth-migration://offline?data={}", data.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"))
    }

    fn account(name: &str, issuer: &str) -> OtpParameters {
        OtpParameters {
            secret: b"12345678901234567890".to_vec(),
            name: name.into(),
            issuer: issuer.into(),
            algorithm: proto::Algorithm::Sha1 as i32,
            digits: proto::DigitCount::Six as i32,
            r#type: proto::OtpType::Totp as i32,
            counter: 0,
        }
    }

    fn batch(index: i32, size: i32, accounts: Vec<OtpParameters>) -> MigrationPayload {
        MigrationPayload { otp_parameters: accounts, version: 1, batch_size: size, batch_index: index, batch_id: 42 }
    }

    #[test]
    fn names_split_an_issuer_prefix_only_when_it_says_nothing_else() {
        assert_eq!(names("", "GitHub:ada"), ("GitHub".into(), "ada".into()));
        assert_eq!(names("", "GitHub: ada"), ("GitHub".into(), "ada".into()));
        assert_eq!(names("GitHub", "GitHub:ada"), ("GitHub".into(), "ada".into()));
        assert_eq!(names("GitHub", "ada"), ("GitHub".into(), "ada".into()));
        assert_eq!(names("Other", "GitHub:ada"), ("Other".into(), "GitHub:ada".into()));
        assert_eq!(names("", "ada"), ("".into(), "ada".into()));
    }

    #[test]
    fn the_secret_never_shows_in_debug() {
        let a = account("ada", "X");
        let shown = format!("{a:?}");
        let base32 = data_encoding::BASE32_NOPAD.encode(&a.secret);
        assert!(!shown.contains("49, 50") && !shown.contains(&base32), "{shown}");
        assert!(shown.contains("redacted 20 bytes"), "{shown}");
    }

    #[test]
    fn batches_are_read_in_their_order_whatever_the_lines() {
        let text =
            [link(&batch(1, 2, vec![account("b", "B")])), link(&batch(0, 2, vec![account("a", "A")]))].join("\n");
        let raw = read(&text).unwrap();
        let got: Vec<(Place, String)> = raw.iter().map(|(p, c)| (*p, c.as_ref().unwrap().issuer.clone())).collect();
        assert_eq!(
            got,
            [(Place::Batch { line: 2, entry: 1 }, "A".into()), (Place::Batch { line: 1, entry: 1 }, "B".into())]
        );
    }

    #[test]
    fn an_incomplete_or_mixed_or_repeated_export_is_refused() {
        let a = || vec![account("a", "A")];
        let text = [link(&batch(0, 3, a())), link(&batch(2, 3, a()))].join("\n");
        assert!(matches!(read(&text), Err(ImportError::IncompleteExport { size: 3, ref missing }) if missing == &[2]));

        let mut other = batch(1, 2, a());
        other.batch_id = 7;
        let text = [link(&batch(0, 2, a())), link(&other)].join("\n");
        assert!(matches!(read(&text), Err(ImportError::MixedExports { line: 2, first_line: 1 })));

        let text = [link(&batch(0, 2, a())), link(&batch(0, 2, a()))].join("\n");
        assert!(matches!(read(&text), Err(ImportError::RepeatedBatch { batch: 1, first_line: 1, line: 2 })));

        let text = link(&batch(5, 2, a()));
        assert_eq!(read(&text).unwrap_err().to_string(), "line 1: says it is batch 6 of 2");
        let text = link(&batch(0, -1, a()));
        assert!(matches!(read(&text), Err(ImportError::Malformed { .. })));
        let text = link(&batch(0, i32::MAX, a()));
        assert!(read(&text).unwrap_err().to_string().contains("at most 1000"));
    }

    #[test]
    fn payloads_without_batch_information_are_read_in_file_order() {
        let text =
            [link(&batch(0, 0, vec![account("a", "A")])), link(&batch(0, 0, vec![account("b", "B")]))].join("\n");
        assert_eq!(read(&text).unwrap().len(), 2);
    }

    #[test]
    fn every_enum_value_maps_exactly_and_unknown_ones_name_their_field() {
        let mut hotp = account("h", "H");
        hotp.r#type = proto::OtpType::Hotp as i32;
        hotp.counter = 10_300;
        hotp.algorithm = proto::Algorithm::Sha512 as i32;
        hotp.digits = proto::DigitCount::Eight as i32;
        let c = credential(&mut hotp).unwrap();
        assert_eq!(c.params, Params::hotp(Algorithm::Sha512, 8, 10_300));
        assert!(hotp.secret.is_empty(), "the secret was moved, not copied");

        let mut unspecified = account("u", "U");
        unspecified.algorithm = 0;
        unspecified.digits = 0;
        unspecified.r#type = 0;
        assert_eq!(credential(&mut unspecified).unwrap().params.kind, Kind::Totp { period: 30 });

        for (field, set) in [
            ("algorithm", (|p: &mut OtpParameters| p.algorithm = 4) as fn(&mut OtpParameters)),
            ("algorithm", |p| p.algorithm = 9),
            ("digits", |p| p.digits = 3),
            ("type", |p| p.r#type = 7),
            ("counter", |p| {
                p.r#type = 1;
                p.counter = -1
            }),
            ("secret", |p| p.secret.clear()),
        ] {
            let mut p = account("x", "X");
            set(&mut p);
            assert_eq!(credential(&mut p).unwrap_err().field(), field);
        }
    }

    #[test]
    fn links_are_checked_before_their_data() {
        for (text, why) in [
            ("otpauth://totp/a?secret=A", "otpauth:// URI"),
            ("https://example.com", "not an otpauth-migration"),
            ("otpauth-migration://online?data=CgA", "offline"),
            ("otpauth-migration://offline?foo=1", "no data"),
            ("otpauth-migration://offline?data=a&data=b", "twice"),
            ("otpauth-migration://offline?data=%zz", "%XX"),
            ("otpauth-migration://offline?data=a", "not base64"),
            ("otpauth-migration://offline?data=_____w", "no valid migration payload"),
        ] {
            let e = read(text).unwrap_err().to_string();
            assert!(e.starts_with("line 1: ") && e.contains(why), "{text}: {e}");
        }
    }
}
