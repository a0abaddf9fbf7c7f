//! One-time codes: what a credential is (kind, algorithm, digits, period or counter, secret)
//! and how its codes are generated — TOTP (RFC 6238), HOTP (RFC 4226) and Steam Guard.
//!
//! Generation is one HMAC (RustCrypto's, which uses the CPU's SHA instructions where ring's
//! SHA-1 does not) and RFC 4226's dynamic truncation, a pure function of the
//! secret and the time or counter; totp-rs stays as the independent cross-check in the tests. Parsing and writing `otpauth://` URIs lives in [`uri`]; what a screen shows
//! (grouping, seconds left, next code) lives in [`display`]; finding an HOTP counter again from
//! two codes lives in [`resync`]. Storage is the vault's job.

pub mod display;
pub mod resync;
pub mod uri;

use std::fmt;

use hmac::{Hmac, KeyInit, Mac as Mac_};

use crate::secret::SecretBytes;

/// The hash behind the HMAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "OtpAlgorithm"))]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The spelling used in otpauth URIs and in the vault.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// Case-insensitive, because real exports write `sha512` as often as `SHA512`.
    pub fn parse(s: &str) -> Option<Self> {
        [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512].into_iter().find(|a| a.as_str().eq_ignore_ascii_case(s))
    }
}

/// How the moving factor is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "OtpKind"))]
pub enum Kind {
    /// Time-based: the factor is `unix_time / period`.
    Totp { period: u32 },
    /// Counter-based: the factor is the counter, advanced once per code.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP over SHA-1, 5 characters from Steam's alphabet.
    Steam { period: u32 },
}

impl Kind {
    /// The otpauth type name.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Totp { .. } => "totp",
            Kind::Hotp { .. } => "hotp",
            Kind::Steam { .. } => "steam",
        }
    }

    pub fn period(&self) -> Option<u32> {
        match *self {
            Kind::Totp { period } | Kind::Steam { period } => Some(period),
            Kind::Hotp { .. } => None,
        }
    }
}

pub const MIN_DIGITS: u8 = 6;
pub const MAX_DIGITS: u8 = 8;
pub const STEAM_DIGITS: u8 = 5;
/// Longest period accepted. A day is far beyond anything issued and keeps arithmetic safe.
pub const MAX_PERIOD: u32 = 86_400;

/// RFC 6238's time step, and the one a URI, an import or a service means when it names none:
/// 30 seconds.
pub const STANDARD_PERIOD: u32 = 30;
/// Shortest key accepted at all (80 bits, what many real services issue). RFC 4226 asks for
/// 128; shorter keys are accepted with a warning instead of refused (see [`Credential::is_short_key`]).
pub const MIN_SECRET_BYTES: usize = 10;
pub const RECOMMENDED_SECRET_BYTES: usize = 16;
/// Longest key accepted: a SHA-512 block. Anything longer is hashed by HMAC anyway and is a
/// sign of a malformed input rather than a real seed.
pub const MAX_SECRET_BYTES: usize = 128;

/// Everything about a credential except its secret and its names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "OtpParams"))]
pub struct Params {
    pub kind: Kind,
    pub algorithm: Algorithm,
    /// Code length: 6 to 8, or 5 for Steam.
    pub digits: u8,
}

/// Why a set of parameters cannot make codes. Names the field; never carries the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InvalidParam {
    pub field: &'static str,
    pub reason: String,
}

impl InvalidParam {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }
}

impl Params {
    pub fn totp(algorithm: Algorithm, digits: u8, period: u32) -> Self {
        Self { kind: Kind::Totp { period }, algorithm, digits }
    }

    pub fn hotp(algorithm: Algorithm, digits: u8, counter: u64) -> Self {
        Self { kind: Kind::Hotp { counter }, algorithm, digits }
    }

    pub fn steam() -> Self {
        Self { kind: Kind::Steam { period: STANDARD_PERIOD }, algorithm: Algorithm::Sha1, digits: STEAM_DIGITS }
    }

    /// Checks the parameters a code generator depends on.
    pub fn validate(&self) -> Result<(), InvalidParam> {
        match self.kind {
            Kind::Steam { .. } => {
                if self.digits != STEAM_DIGITS {
                    return Err(InvalidParam::new("digits", "Steam codes have exactly 5 characters"));
                }
                if self.algorithm != Algorithm::Sha1 {
                    return Err(InvalidParam::new("algorithm", "Steam codes use SHA1"));
                }
            }
            _ => {
                if !(MIN_DIGITS..=MAX_DIGITS).contains(&self.digits) {
                    return Err(InvalidParam::new(
                        "digits",
                        format!("must be between {MIN_DIGITS} and {MAX_DIGITS}, got {}", self.digits),
                    ));
                }
            }
        }
        if let Some(period) = self.kind.period() {
            if period == 0 || period > MAX_PERIOD {
                return Err(InvalidParam::new(
                    "period",
                    format!("must be between 1 and {MAX_PERIOD} seconds, got {period}"),
                ));
            }
        }
        Ok(())
    }
}

/// Checks a secret's length. Never mentions its content.
pub fn validate_secret(secret: &[u8]) -> Result<(), InvalidParam> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(InvalidParam::new(
            "secret",
            format!("is {} bits long; at least {} are needed", secret.len() * 8, MIN_SECRET_BYTES * 8),
        ));
    }
    if secret.len() > MAX_SECRET_BYTES {
        return Err(InvalidParam::new(
            "secret",
            format!("is {} bytes long; at most {MAX_SECRET_BYTES} are accepted", secret.len()),
        ));
    }
    Ok(())
}

/// Steam Guard's alphabet: 26 characters, no vowels or look-alikes (0, 1, O, I, ...).
/// One code's characters on the stack (at most [`MAX_DIGITS`], all ASCII).
#[derive(Clone, Copy)]
pub(crate) struct CodeChars {
    buf: [u8; MAX_DIGITS as usize],
    len: u8,
}

impl CodeChars {
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and Steam's ASCII alphabet are ever written.
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).expect("codes are ASCII")
    }
}

const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// A ready-to-use code generator for one credential.
///
/// Holds the HMAC state with the key already absorbed (the inner and outer pads hashed once,
/// RFC 2104's precomputation): a code then costs a copy of that state and two compression
/// calls over the 8-byte factor, which is what a screen refresh over many rows needs. The raw
/// secret is not kept (the caller's [`SecretBytes`] stays the only copy); the keyed states,
/// as good as the secret for making codes, are zeroized on drop (the hashes' `zeroize`).
pub struct Generator {
    mac: Mac,
    params: Params,
}

/// The keyed HMAC state, per hash.
#[derive(Clone)]
enum Mac {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha512(Hmac<sha2::Sha512>),
}

impl fmt::Debug for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator").field("params", &self.params).finish_non_exhaustive()
    }
}

impl Generator {
    pub fn new(params: Params, secret: &SecretBytes) -> Result<Self, InvalidParam> {
        params.validate()?;
        // Our own gate: real services issue 80-bit keys, below RFC 4226's recommendation.
        validate_secret(secret.expose())?;
        let key = secret.expose();
        // HMAC takes a key of any length (longer ones are hashed first): these never fail.
        let mac = match params.algorithm {
            Algorithm::Sha1 => Mac::Sha1(KeyInit::new_from_slice(key).expect("HMAC accepts any key length")),
            Algorithm::Sha256 => Mac::Sha256(KeyInit::new_from_slice(key).expect("HMAC accepts any key length")),
            Algorithm::Sha512 => Mac::Sha512(KeyInit::new_from_slice(key).expect("HMAC accepts any key length")),
        };
        Ok(Self { mac, params })
    }

    pub fn params(&self) -> Params {
        self.params
    }

    /// The code for a TOTP/Steam credential at `unix_seconds`, or for an HOTP credential at its
    /// stored counter.
    pub fn code_at(&self, unix_seconds: u64) -> String {
        self.chars_at(unix_seconds).as_str().to_owned()
    }

    /// The HOTP code for `counter`, whatever the credential's stored counter is.
    pub fn hotp(&self, counter: u64) -> String {
        debug_assert!(matches!(self.params.kind, Kind::Hotp { .. }));
        self.code_for(counter).as_str().to_owned()
    }

    /// Like [`code_at`](Self::code_at), on the stack: a screen refresh makes a code and its
    /// grouping from it without an intermediate `String`.
    pub(crate) fn chars_at(&self, unix_seconds: u64) -> CodeChars {
        match self.params.kind {
            Kind::Hotp { counter } => self.code_for(counter),
            // Validation keeps the period in 1..=MAX_PERIOD.
            Kind::Totp { period } | Kind::Steam { period } => self.code_for(unix_seconds / u64::from(period)),
        }
    }

    /// RFC 4226 §5.3: HMAC over the big-endian factor, 31 bits taken at the offset named by
    /// the last nibble, then decimal digits (or Steam's alphabet).
    fn code_for(&self, factor: u64) -> CodeChars {
        fn tag<M: Mac_ + Clone>(keyed: &M, factor: u64) -> hmac::digest::Output<M> {
            let mut mac = keyed.clone();
            mac.update(&factor.to_be_bytes());
            mac.finalize().into_bytes()
        }
        let (t1, t256, t512);
        let mac: &[u8] = match &self.mac {
            Mac::Sha1(m) => {
                t1 = tag(m, factor);
                &t1
            }
            Mac::Sha256(m) => {
                t256 = tag(m, factor);
                &t256
            }
            Mac::Sha512(m) => {
                t512 = tag(m, factor);
                &t512
            }
        };
        let offset = usize::from(mac[mac.len() - 1] & 0x0f);
        let value = u32::from_be_bytes([mac[offset], mac[offset + 1], mac[offset + 2], mac[offset + 3]]) & 0x7fff_ffff;
        let digits = usize::from(self.params.digits);
        let mut code = CodeChars { buf: [0; MAX_DIGITS as usize], len: digits as u8 };
        match self.params.kind {
            Kind::Steam { .. } => {
                let mut rest = value as usize;
                for c in &mut code.buf[..digits] {
                    *c = STEAM_ALPHABET[rest % STEAM_ALPHABET.len()];
                    rest /= STEAM_ALPHABET.len();
                }
            }
            _ => {
                // Decimal, zero-padded to `digits`, written from the right: the low digits
                // of `value` are the code (RFC 4226 §5.3, value mod 10^digits).
                let mut rest = value;
                for c in code.buf[..digits].iter_mut().rev() {
                    *c = b'0' + (rest % 10) as u8;
                    rest /= 10;
                }
            }
        }
        code
    }

    pub(crate) fn set_counter(&mut self, counter: u64) {
        if let Kind::Hotp { counter: c } = &mut self.params.kind {
            *c = counter;
        }
    }
}

/// A credential as it arrives from outside (a URI, an import) before the vault stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    /// The service, e.g. "GitHub"; empty when the issuer did not say.
    pub issuer: String,
    /// The account at that service, e.g. "ada@example.com".
    pub account: String,
    pub params: Params,
    pub secret: SecretBytes,
}

/// Longest issuer or account name accepted, in bytes: generous for any real name, small
/// enough that a list screen never has to cope with a novel.
pub const MAX_NAME_BYTES: usize = 256;

/// Checks an issuer and account name pair as shown in lists. Names the field at fault.
pub fn validate_names(issuer: &str, account: &str) -> Result<(), InvalidParam> {
    for (field, value) in [("issuer", issuer), ("account", account)] {
        if value.len() > MAX_NAME_BYTES {
            return Err(InvalidParam::new(field, format!("is longer than {MAX_NAME_BYTES} bytes")));
        }
        if value.chars().any(char::is_control) {
            return Err(InvalidParam::new(field, "contains control characters"));
        }
    }
    if issuer.trim().is_empty() && account.trim().is_empty() {
        return Err(InvalidParam::new("account", "an entry needs an issuer or an account name"));
    }
    Ok(())
}

impl Credential {
    /// Everything the vault will check before storing: names, parameters, key length.
    pub fn validate(&self) -> Result<(), InvalidParam> {
        validate_names(&self.issuer, &self.account)?;
        self.params.validate()?;
        validate_secret(self.secret.expose())
    }

    /// Validates and builds the generator for this credential.
    pub fn generator(&self) -> Result<Generator, InvalidParam> {
        Generator::new(self.params, &self.secret)
    }

    /// True when the key is shorter than RFC 4226's 128 bits (accepted, but worth a warning).
    pub fn is_short_key(&self) -> bool {
        self.secret.len() < RECOMMENDED_SECRET_BYTES
    }

    /// Everything but the secret, for a screen.
    pub fn summary(&self) -> Summary {
        Summary {
            issuer: self.issuer.clone(),
            account: self.account.clone(),
            params: self.params,
            short_key: self.is_short_key(),
        }
    }
}

/// What a screen shows of a credential before it is added (an import's preview, a scanned
/// URI's confirmation): everything but the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "CredentialSummary"))]
pub struct Summary {
    /// The service, e.g. "GitHub"; empty when the source did not say.
    pub issuer: String,
    /// The account at that service.
    pub account: String,
    pub params: Params,
    /// The key is shorter than RFC 4226's 128 bits: accepted, worth a warning.
    pub short_key: bool,
}

impl Summary {
    /// "Issuer (account)", or whichever of the two there is.
    pub fn name(&self) -> String {
        match (self.issuer.is_empty(), self.account.is_empty()) {
            (true, _) => self.account.clone(),
            (false, true) => self.issuer.clone(),
            (false, false) => format!("{} ({})", self.issuer, self.account),
        }
    }
}

impl fmt::Display for Summary {
    /// "GitHub (ada), totp SHA1 6 digits every 30 s".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.params;
        write!(f, "{}, ", self.name())?;
        match p.kind {
            Kind::Totp { period } => write!(f, "totp {} {} digits every {period} s", p.algorithm.as_str(), p.digits),
            Kind::Hotp { counter } => write!(f, "hotp {} {} digits counter {counter}", p.algorithm.as_str(), p.digits),
            Kind::Steam { period } => write!(f, "steam every {period} s"),
        }
    }
}
