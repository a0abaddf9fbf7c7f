//! Codes and `otpauth://` URIs as the apps see them: the records ([`OtpParams`], [`CodeView`],
//! [`Timing`], [`UriInfo`]) and the free functions that need no vault.
//!
//! Owns converting between these records and core's `otp` types. Generation, parsing,
//! validation and grouping are core's (`twostep_core::otp`); nothing is decided here.

use twostep_core::otp::{Algorithm, Generator, Kind, Params, display, uri};
use twostep_core::secret::SecretBytes;
use zeroize::Zeroizing;

use crate::error::TwostepError;

/// The hash behind the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum OtpAlgorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// How the moving factor is chosen, with the one number each kind needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum OtpKind {
    /// Time-based (RFC 6238): a new code every `period` seconds.
    Totp { period: u32 },
    /// Counter-based (RFC 4226): the code at `counter`, advanced once per code.
    Hotp { counter: u64 },
    /// Steam Guard: time-based, SHA-1, 5 characters from Steam's alphabet.
    Steam { period: u32 },
}

/// Everything about a credential except its secret and its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Record)]
pub struct OtpParams {
    pub kind: OtpKind,
    pub algorithm: OtpAlgorithm,
    /// Code length: 6 to 8, or 5 for Steam.
    pub digits: u8,
}

/// What one row of a code screen shows at one instant.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CodeView {
    /// The code as typed, e.g. `"123456"`.
    pub code: String,
    /// The code as shown, e.g. `"123 456"`.
    pub grouped: String,
    /// The countdown for TOTP and Steam; absent for HOTP, whose code lasts until used.
    pub timing: Option<Timing>,
}

/// Where the current period stands, and the code that follows it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Timing {
    /// The period in seconds.
    pub period: u32,
    /// Seconds until the code changes, in `1..=period`.
    pub seconds_left: u32,
    /// Share of the period already gone, in `[0, 1)`: for a countdown ring.
    pub fraction_elapsed: f64,
    /// The code of the next period.
    pub next_code: String,
    /// `next_code` grouped like `CodeView.grouped`.
    pub next_grouped: String,
}

/// What an `otpauth://` URI describes, without its secret: for a confirmation screen before
/// adding it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UriInfo {
    /// The service, e.g. "GitHub"; empty when the URI did not say.
    pub issuer: String,
    /// The account at that service.
    pub account: String,
    pub params: OtpParams,
    /// True when the key is shorter than RFC 4226's 128 bits: accepted, worth a warning.
    pub short_key: bool,
}

/// The code for `params` and `secret` (raw key bytes) at `unix_seconds`; for HOTP, the code at
/// `params`' counter (the time is not used).
#[uniffi::export]
pub fn code_at(params: OtpParams, secret: Vec<u8>, unix_seconds: u64) -> Result<String, TwostepError> {
    let secret = SecretBytes::new(secret);
    Ok(Generator::new(params.into(), &secret)?.code_at(unix_seconds))
}

/// The code an `otpauth://` URI gives at `unix_seconds` (for HOTP, at the URI's counter).
#[uniffi::export]
pub fn code_from_uri(uri: String, unix_seconds: u64) -> Result<String, TwostepError> {
    let uri = Zeroizing::new(uri);
    let credential = uri::parse(&uri)?;
    Ok(credential.generator()?.code_at(unix_seconds))
}

/// Reads an `otpauth://` URI and returns everything in it but the secret.
#[uniffi::export]
pub fn parse_uri(uri: String) -> Result<UriInfo, TwostepError> {
    let uri = Zeroizing::new(uri);
    let c = uri::parse(&uri)?;
    Ok(UriInfo { short_key: c.is_short_key(), params: c.params.into(), issuer: c.issuer, account: c.account })
}

/// A code split into groups for reading: `"123456"` → `"123 456"`; Steam's 5 characters
/// stay whole.
#[uniffi::export]
pub fn group_code(code: String) -> String {
    display::group(&code)
}

impl From<Algorithm> for OtpAlgorithm {
    fn from(a: Algorithm) -> Self {
        match a {
            Algorithm::Sha1 => OtpAlgorithm::Sha1,
            Algorithm::Sha256 => OtpAlgorithm::Sha256,
            Algorithm::Sha512 => OtpAlgorithm::Sha512,
        }
    }
}

impl From<OtpAlgorithm> for Algorithm {
    fn from(a: OtpAlgorithm) -> Self {
        match a {
            OtpAlgorithm::Sha1 => Algorithm::Sha1,
            OtpAlgorithm::Sha256 => Algorithm::Sha256,
            OtpAlgorithm::Sha512 => Algorithm::Sha512,
        }
    }
}

impl From<Kind> for OtpKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Totp { period } => OtpKind::Totp { period },
            Kind::Hotp { counter } => OtpKind::Hotp { counter },
            Kind::Steam { period } => OtpKind::Steam { period },
        }
    }
}

impl From<OtpKind> for Kind {
    fn from(k: OtpKind) -> Self {
        match k {
            OtpKind::Totp { period } => Kind::Totp { period },
            OtpKind::Hotp { counter } => Kind::Hotp { counter },
            OtpKind::Steam { period } => Kind::Steam { period },
        }
    }
}

impl From<Params> for OtpParams {
    fn from(p: Params) -> Self {
        OtpParams { kind: p.kind.into(), algorithm: p.algorithm.into(), digits: p.digits }
    }
}

impl From<OtpParams> for Params {
    fn from(p: OtpParams) -> Self {
        Params { kind: p.kind.into(), algorithm: p.algorithm.into(), digits: p.digits }
    }
}

impl From<display::CodeView> for CodeView {
    fn from(v: display::CodeView) -> Self {
        CodeView { code: v.code, grouped: v.grouped, timing: v.timing.map(Timing::from) }
    }
}

impl From<display::Timing> for Timing {
    fn from(t: display::Timing) -> Self {
        Timing {
            period: t.period,
            seconds_left: t.seconds_left,
            fraction_elapsed: t.fraction_elapsed,
            next_code: t.next_code,
            next_grouped: t.next_grouped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA1_SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_vector_through_the_facade() {
        let params = OtpParams { kind: OtpKind::Totp { period: 30 }, algorithm: OtpAlgorithm::Sha1, digits: 8 };
        assert_eq!(code_at(params, SHA1_SEED.to_vec(), 59).unwrap(), "94287082");
    }

    #[test]
    fn params_survive_the_round_trip_through_core() {
        for kind in [OtpKind::Totp { period: 60 }, OtpKind::Hotp { counter: 7 }, OtpKind::Steam { period: 30 }] {
            let p = OtpParams { kind, algorithm: OtpAlgorithm::Sha512, digits: 7 };
            assert_eq!(OtpParams::from(Params::from(p)), p);
        }
    }

    #[test]
    fn uri_info_has_the_names_and_flags_a_short_key() {
        let info = parse_uri("otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&digits=8".into()).unwrap();
        assert_eq!((info.issuer.as_str(), info.account.as_str()), ("ACME", "ada"));
        assert_eq!(info.params.digits, 8);
        assert!(info.short_key);
    }
}
