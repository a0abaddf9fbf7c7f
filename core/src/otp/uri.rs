//! `otpauth://` URIs (Google's Key Uri Format): a parser, strict wherever a guess could give
//! wrong codes, and a canonical writer.
//!
//! Owns: reading one URI into a [`Credential`] and writing a [`Credential`] back as a URI that
//! this parser (and other authenticators) read to the same credential. Does not own: QR
//! codes, `otpauth-migration://` batches, whole-file imports (they call [`parse`] per line),
//! or storage.
//!
//! What is accepted, and why (each rule is also a test in `core/tests/otpauth_uri.rs`):
//!
//! - **Scheme** `otpauth` and **type** `totp`, `hotp` or `steam`, both case-insensitive. The
//!   type is honoured: an `hotp` URI never becomes TOTP. `steam` means SHA-1 and 5 characters;
//!   a Steam URI may say `digits=5` and `algorithm=SHA1` or nothing, anything else is refused.
//!   A `totp` URI with `encoder=steam` (KeePassXC's spelling) is Steam too, because ignoring
//!   that parameter would silently produce wrong codes.
//! - **Label** `Issuer:account`. The separator is a literal `:` or `%3A`; when the raw label
//!   holds a literal `:`, the first one separates and every `%3A` is part of a name (that is
//!   how [`format`](format()) keeps a `:` inside a name), otherwise the first `%3A`
//!   separates. Spaces after the separator are dropped (the spec allows them); capitals are
//!   kept. In the label a `+` is a plus sign, as in any URI path; only in the query does `+`
//!   mean a space (real exports write `Air%20Canada` in the label and `issuer=Air+Canada` in
//!   the query). An empty issuer prefix (`:account`) means "no issuer in the label";
//!   [`format`](format()) writes that form for the rare names the plain form cannot carry (an
//!   account that starts with a space, or one that contains `:` without an issuer). The
//!   account must not be empty.
//! - **Issuer** from the `issuer` parameter or the label prefix. When both are present and
//!   differ, the `issuer` parameter wins, as in Google Authenticator and Aegis (the spec
//!   calls it the preferred one), and [`parse_noting`] reports [`Leniency::IssuerDiffers`]:
//!   the names do not change the codes, so refusing would only strand the user.
//! - **Secret**: base32, case-insensitive, `=` padding optional, trailing bits that are not
//!   zero accepted (real secrets are not always canonical). Spaces (common when a secret
//!   shown in groups is pasted) are dropped, as Google Authenticator does for a typed key,
//!   noted as [`Leniency::SpacesInSecret`]; any other character is refused rather than
//!   guessed at. 80 bits and more, per [`validate_secret`].
//! - **Parameters**: `algorithm` (default SHA1, case-insensitive), `digits` (default 6),
//!   `period` (default 30) for TOTP/Steam, `counter` for HOTP: without it the counter starts
//!   at 0, as in Google Authenticator, noted as [`Leniency::HotpCounterMissing`]. A parameter that
//!   does not apply to the type (`counter` on TOTP, `period` on HOTP, as Ente writes) is
//!   ignored; unknown parameters (Ente's `codeDisplay`, `image`) are ignored; a known
//!   parameter given twice is refused; parameter names are matched case-insensitively.
//! - A raw `#` is refused: it would start a fragment and silently cut the URI short.
//! - Whitespace around the whole URI is trimmed (scanners and files leave newlines).
//!
//! Errors ([`UriError`]) name the field and never quote the input: the URI carries the secret.
//! Only what would give wrong codes is refused; what other apps accept and that cannot change
//! a code is accepted and reported as a [`Leniency`] for the caller to show as a warning.
//! `docs/otpauth-uris.md` says which apps this follows.

use std::fmt::Write as _;
use std::sync::LazyLock;

use data_encoding::{BASE32_NOPAD, Encoding, Specification};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use zeroize::Zeroizing;

use super::{Algorithm, Credential, InvalidParam, Kind, Params, STEAM_DIGITS, validate_secret};
use crate::secret::SecretBytes;

/// Why a URI was refused: the field at fault and a reason.
///
/// Neither ever contains the secret or any other piece of the URI, so the error can be shown
/// and logged as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct UriError {
    field: &'static str,
    reason: String,
}

impl UriError {
    fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }

    /// The field at fault: `"scheme"`, `"type"`, `"label"`, `"account"`, `"issuer"`,
    /// `"secret"`, `"algorithm"`, `"digits"`, `"period"`, `"counter"`, `"encoder"` or
    /// `"query"`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Why that field was refused, in words fit for a log (never quoting the input).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl From<InvalidParam> for UriError {
    fn from(e: InvalidParam) -> Self {
        Self { field: e.field, reason: e.reason }
    }
}

/// Something the URI did that other apps accept and that was read their way: the credential
/// is right, but the user may want to know. Never quotes the URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Leniency {
    /// The `issuer` parameter and the label's prefix differ; the parameter was taken.
    IssuerDiffers,
    /// The secret had spaces in it; they were dropped.
    SpacesInSecret,
    /// An `hotp` URI without `counter`; the counter starts at 0.
    HotpCounterMissing,
}

impl std::fmt::Display for Leniency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Leniency::IssuerDiffers => {
                "the issuer parameter differs from the issuer in the label; the issuer parameter was used, \
                 as Google Authenticator and Aegis do (rename the entry if it is wrong)"
            }
            Leniency::SpacesInSecret => "the secret had spaces in it; they were ignored",
            Leniency::HotpCounterMissing => "the hotp URI has no counter; it starts at 0, as in Google Authenticator",
        })
    }
}

/// Parses one `otpauth://` URI into a credential. See the module docs for the exact rules.
pub fn parse(uri: &str) -> Result<Credential, UriError> {
    parse_noting(uri).map(|(credential, _)| credential)
}

/// [`parse`], also saying where the URI was read the lenient way other apps read it.
pub fn parse_noting(uri: &str) -> Result<(Credential, Vec<Leniency>), UriError> {
    let mut notes = Vec::new();
    let uri = uri.trim_matches(|c: char| c.is_ascii_whitespace());

    let (scheme, rest) = uri.split_once("://").ok_or_else(|| UriError::new("scheme", "not an otpauth:// URI"))?;
    if !scheme.eq_ignore_ascii_case("otpauth") {
        return Err(UriError::new("scheme", "not an otpauth:// URI"));
    }

    let (type_and_label, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (type_name, raw_label) = type_and_label
        .split_once('/')
        .ok_or_else(|| UriError::new("label", "is missing (expected otpauth://TYPE/LABEL?...)"))?;
    let kind_name = if type_name.eq_ignore_ascii_case("totp") {
        KindName::Totp
    } else if type_name.eq_ignore_ascii_case("hotp") {
        KindName::Hotp
    } else if type_name.eq_ignore_ascii_case("steam") {
        KindName::Steam
    } else {
        return Err(UriError::new("type", "must be totp, hotp or steam"));
    };

    if raw_label.contains('#') {
        return Err(UriError::new("label", "contains a raw '#'; write it as %23"));
    }
    if query.contains('#') {
        return Err(UriError::new("query", "contains a raw '#'; write it as %23"));
    }

    let label = parse_label(raw_label)?;
    let q = Query::parse(query)?;

    let issuer = match (label.issuer, q.issuer) {
        (Some(from_label), Some(from_query)) => {
            if from_label != from_query {
                notes.push(Leniency::IssuerDiffers);
            }
            from_query
        }
        (Some(issuer), None) | (None, Some(issuer)) => issuer,
        (None, None) => String::new(),
    };

    let secret = decode_secret(q.secret.as_ref(), &mut notes)?;

    let algorithm = match q.algorithm {
        None => Algorithm::Sha1,
        Some(raw) => {
            let text = decode_text("algorithm", raw, true)?;
            Algorithm::parse(&text).ok_or_else(|| UriError::new("algorithm", "must be SHA1, SHA256 or SHA512"))?
        }
    };
    let digits = q.digits.map(|raw| parse_number::<u8>("digits", raw)).transpose()?;

    let steam = match kind_name {
        KindName::Steam => true,
        KindName::Totp => match q.encoder {
            None => false,
            Some(raw) => {
                if decode_text("encoder", raw, true)?.eq_ignore_ascii_case("steam") {
                    true
                } else {
                    // An encoder we do not know would give wrong codes if ignored.
                    return Err(UriError::new("encoder", "only encoder=steam is known"));
                }
            }
        },
        // An encoder only changes how a time-based code is written.
        KindName::Hotp => false,
    };

    let kind = match kind_name {
        KindName::Hotp => {
            let counter = match q.counter {
                Some(raw) => parse_number::<u64>("counter", raw)?,
                None => {
                    notes.push(Leniency::HotpCounterMissing);
                    0
                }
            };
            Kind::Hotp { counter }
        }
        KindName::Totp | KindName::Steam => {
            let period =
                q.period.map(|raw| parse_number::<u32>("period", raw)).transpose()?.unwrap_or(super::STANDARD_PERIOD);
            if steam { Kind::Steam { period } } else { Kind::Totp { period } }
        }
    };
    let digits = digits.unwrap_or(if steam { STEAM_DIGITS } else { 6 });

    let params = Params { kind, algorithm, digits };
    params.validate()?;
    validate_secret(secret.expose())?;

    Ok((Credential { issuer, account: label.account, params, secret }, notes))
}

/// Writes a credential as a canonical `otpauth://` URI:
/// `otpauth://TYPE/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=…&digits=…&period=…` (`counter=…`
/// for HOTP), names percent-encoded (a `:` inside a name as `%3A`), the secret as upper-case
/// base32 without padding, every parameter written even when it is the default.
///
/// For every credential [`parse`] can return, `parse(&format(c)) == Ok(c)`. The result holds
/// the secret: treat it like the secret itself.
pub fn format(c: &Credential) -> String {
    // Sized for the worst case (every name byte escaped, the longest fixed parts) so the buffer
    // never reallocates after the secret is in it and leaves no stray copy in freed memory.
    let mut out = String::with_capacity(128 + 6 * c.issuer.len() + 3 * c.account.len() + 2 * c.secret.len());
    out.push_str("otpauth://");
    out.push_str(c.params.kind.name());
    out.push('/');

    // The plain label `issuer:account` unless the account could not survive it: a leading
    // space would be trimmed after the separator, and a ':' in an account without issuer
    // would be read as the separator. The `:account` form has neither problem.
    let plain = if c.issuer.is_empty() { !c.account.contains(':') } else { !c.account.starts_with(' ') };
    if !plain {
        out.push(':');
    } else if !c.issuer.is_empty() {
        push_encoded(&mut out, &c.issuer);
        out.push(':');
    }
    push_encoded(&mut out, &c.account);

    out.push_str("?secret=");
    BASE32_NOPAD.encode_append(c.secret.expose(), &mut out);
    if !c.issuer.is_empty() {
        out.push_str("&issuer=");
        push_encoded(&mut out, &c.issuer);
    }
    let p = &c.params;
    // Writing to a String cannot fail.
    let _ = write!(out, "&algorithm={}&digits={}", p.algorithm.as_str(), p.digits);
    let _ = match p.kind {
        Kind::Totp { period } | Kind::Steam { period } => write!(out, "&period={period}"),
        Kind::Hotp { counter } => write!(out, "&counter={counter}"),
    };
    out
}

#[derive(Clone, Copy)]
enum KindName {
    Totp,
    Hotp,
    Steam,
}

/// Everything except RFC 3986's unreserved characters is escaped, and `@` is kept for
/// readable e-mail addresses (it is legal in both a path and a query). `:`, `+`, `&`, `=`,
/// `?`, `#`, `/` and `%` are therefore always escaped, so no name can be mistaken for
/// structure by this parser or another one.
const NAME: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'@');

fn push_encoded(out: &mut String, s: &str) {
    out.extend(utf8_percent_encode(s, NAME));
}

struct Label {
    issuer: Option<String>,
    account: String,
}

fn parse_label(raw: &str) -> Result<Label, UriError> {
    if raw.is_empty() {
        return Err(UriError::new("account", "is missing from the label"));
    }
    // A literal ':' wins over "%3A" (see the module docs); both are ASCII, so the split
    // indices are on char boundaries.
    let split = raw.find(':').map(|i| (i, 1)).or_else(|| find_ignore_ascii_case(raw, "%3A").map(|i| (i, 3)));
    let (raw_issuer, raw_account) = match split {
        Some((i, len)) => (Some(&raw[..i]), &raw[i + len..]),
        None => (None, raw),
    };

    let issuer = match raw_issuer {
        Some(r) if !r.is_empty() => Some(decode_text("label", r, false)?),
        _ => None,
    };
    let mut account = decode_text("label", raw_account, false)?;
    if issuer.is_some() {
        // "Issuer: account" — the spec allows spaces after the separator.
        let trimmed = account.len() - account.trim_start_matches(' ').len();
        account.drain(..trimmed);
    }
    if account.is_empty() {
        return Err(UriError::new("account", "is missing from the label"));
    }
    Ok(Label { issuer, account })
}

fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The known parameters, still percent-encoded. Only the ones a credential needs are kept.
#[derive(Default)]
struct Query<'a> {
    secret: Option<&'a str>,
    issuer: Option<String>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
    counter: Option<&'a str>,
    encoder: Option<&'a str>,
}

impl<'a> Query<'a> {
    fn parse(query: &'a str) -> Result<Self, UriError> {
        let mut q = Query::default();
        let mut issuer: Option<&str> = None;
        // Empty pairs (`&&`, a trailing `&`) carry nothing and are skipped.
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match key.to_ascii_lowercase().as_str() {
                "secret" => (&mut q.secret, "secret"),
                "issuer" => (&mut issuer, "issuer"),
                "algorithm" => (&mut q.algorithm, "algorithm"),
                "digits" => (&mut q.digits, "digits"),
                "period" => (&mut q.period, "period"),
                "counter" => (&mut q.counter, "counter"),
                "encoder" => (&mut q.encoder, "encoder"),
                _ => continue,
            };
            let (slot, field) = slot;
            if slot.is_some() {
                // Two values for one field: any choice would be a guess.
                return Err(UriError::new(field, "is given more than once"));
            }
            *slot = Some(value);
        }
        // An empty `issuer=` says nothing; treat it as absent rather than as a disagreement.
        q.issuer = match issuer {
            Some(raw) => Some(decode_text("issuer", raw, true)?).filter(|s| !s.is_empty()),
            None => None,
        };
        Ok(q)
    }
}

/// Percent-decodes strictly: every `%` must start a two-digit hex escape. In a query `+` is a
/// space (form encoding, which real exports use); in the label path it is a plus sign.
/// The output buffer is zeroized on drop because the secret goes through here too; it is
/// sized up front so it never reallocates and leaves no copy behind.
fn percent_decode(field: &'static str, raw: &str, plus_is_space: bool) -> Result<Zeroizing<Vec<u8>>, UriError> {
    let bytes = raw.as_bytes();
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|&b| hex_value(b));
                let lo = bytes.get(i + 2).and_then(|&b| hex_value(b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(UriError::new(field, "has a '%' that does not start a %XX escape")),
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-decodes a name or parameter that must be UTF-8 text.
fn decode_text(field: &'static str, raw: &str, plus_is_space: bool) -> Result<String, UriError> {
    let mut bytes = percent_decode(field, raw, plus_is_space)?;
    String::from_utf8(std::mem::take(&mut *bytes)).map_err(|_| UriError::new(field, "is not valid UTF-8 once decoded"))
}

/// Reads a decimal number made of ASCII digits only (`u8::from_str` would also take `+6`).
fn parse_number<T: std::str::FromStr>(field: &'static str, raw: &str) -> Result<T, UriError> {
    let text = decode_text(field, raw, true)?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UriError::new(field, "must be a whole number"));
    }
    text.parse().map_err(|_| UriError::new(field, "is too large"))
}

/// Base32 (RFC 4648) read the way real secrets are written: upper or lower case, and with
/// the unused trailing bits not necessarily zero. Padding is stripped before decoding.
static BASE32_LENIENT: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.translate.from.push_str("abcdefghijklmnopqrstuvwxyz");
    spec.translate.to.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    spec.check_trailing_bits = false;
    // A constant specification: this cannot fail, and a unit test builds it.
    spec.encoding().expect("the base32 specification is valid")
});

fn decode_secret(raw: Option<&&str>, notes: &mut Vec<Leniency>) -> Result<SecretBytes, UriError> {
    let raw = raw.ok_or_else(|| UriError::new("secret", "is missing"))?;
    spaced_base32(percent_decode("secret", raw, true)?, notes)
}

/// A bare base32 secret as typed or pasted (`twostep code --secret`, like `oathtool`), read by
/// the URI's rules: spaces dropped and noted, either case, padding optional, 80 bits or more.
pub fn secret_from_base32(text: &str) -> Result<(SecretBytes, Vec<Leniency>), UriError> {
    let mut notes = Vec::new();
    let bytes = Zeroizing::new(text.trim().as_bytes().to_vec());
    let secret = spaced_base32(bytes, &mut notes)?;
    validate_secret(secret.expose())?;
    Ok((secret, notes))
}

/// Spaces come from secrets shown in groups of four and pasted (`%20` or `+` in a URI);
/// base32 has no space, so dropping them cannot change which key is meant.
fn spaced_base32(mut text: Zeroizing<Vec<u8>>, notes: &mut Vec<Leniency>) -> Result<SecretBytes, UriError> {
    if text.contains(&b' ') {
        text.retain(|&b| b != b' ');
        notes.push(Leniency::SpacesInSecret);
    }
    base32_secret(&text).map_err(|why| UriError::new("secret", why))
}

/// A base32 secret: either case, `=` padding optional, trailing bits not necessarily zero.
/// The one base32 reader of the crate (URIs and every importer). The error is only the kind
/// of fault: its position says nothing useful to a user and the symbol would be a piece of
/// the secret.
pub(crate) fn base32_secret(text: &[u8]) -> Result<SecretBytes, &'static str> {
    let unpadded = match text.iter().rposition(|&b| b != b'=') {
        Some(last) => &text[..=last],
        None => &text[..0],
    };
    if unpadded.is_empty() {
        return Err("is empty");
    }
    let bytes = BASE32_LENIENT.decode(unpadded).map_err(|e| match e.kind {
        data_encoding::DecodeKind::Length => {
            "is not valid base32: its length cannot be a whole key, so a character is missing or extra"
        }
        _ => "is not valid base32 (only A-Z, 2-7 and trailing '=' are allowed)",
    })?;
    Ok(SecretBytes::new(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_base32_accepts_lower_case_and_non_canonical_trailing_bits() {
        assert_eq!(BASE32_LENIENT.decode(b"MZXW6YQ").unwrap(), b"foob");
        assert_eq!(BASE32_LENIENT.decode(b"mzxw6yq").unwrap(), b"foob");
        // "MZXW6YR" differs from "MZXW6YQ" only in bits beyond the last byte.
        assert_eq!(BASE32_LENIENT.decode(b"MZXW6YR").unwrap(), b"foob");
        assert!(BASE32_LENIENT.decode(b"MZXW6Y1").is_err());
    }

    #[test]
    fn strict_percent_decoding_refuses_broken_escapes() {
        assert_eq!(&*percent_decode("label", "a%20b+c", false).unwrap(), b"a b+c");
        assert_eq!(&*percent_decode("query", "a%20b+c", true).unwrap(), b"a b c");
        assert_eq!(&*percent_decode("query", "%2B", true).unwrap(), b"+");
        for bad in ["%", "%2", "%zz", "a%g0"] {
            assert_eq!(percent_decode("label", bad, false).unwrap_err().field(), "label");
        }
    }

    #[test]
    fn a_literal_colon_separates_before_an_encoded_one() {
        let l = parse_label("a%3Ab:c").unwrap();
        assert_eq!((l.issuer.as_deref(), l.account.as_str()), (Some("a:b"), "c"));
        let l = parse_label("a%3ab%3Ac").unwrap();
        assert_eq!((l.issuer.as_deref(), l.account.as_str()), (Some("a"), "b:c"));
        let l = parse_label(":%20x%3Ay").unwrap();
        assert_eq!((l.issuer.as_deref(), l.account.as_str()), (None, " x:y"));
    }

    #[test]
    fn format_never_reallocates_once_the_secret_is_written() {
        // Worst cases: every name byte escaped, the longest type and numbers.
        for params in [Params::hotp(Algorithm::Sha512, 8, u64::MAX), Params::totp(Algorithm::Sha256, 7, 86_400)] {
            let c = Credential {
                issuer: "é: %".repeat(5),
                account: " ü&=".repeat(5),
                params,
                secret: SecretBytes::new(vec![0xAB; 64]),
            };
            let written = format(&c);
            let reserved = 128 + 6 * c.issuer.len() + 3 * c.account.len() + 2 * c.secret.len();
            assert!(written.len() <= reserved, "{} > {reserved}", written.len());
            assert_eq!(written.capacity(), reserved);
        }
    }

    #[test]
    fn numbers_are_plain_decimal_digits() {
        assert_eq!(parse_number::<u8>("digits", "06").unwrap(), 6);
        assert!(parse_number::<u8>("digits", "+6").is_err());
        assert!(parse_number::<u8>("digits", "-6").is_err());
        assert!(parse_number::<u8>("digits", "").is_err());
        assert_eq!(parse_number::<u8>("digits", "256").unwrap_err().reason(), "is too large");
        assert_eq!(parse_number::<u64>("counter", "18446744073709551615").unwrap(), u64::MAX);
    }
}
