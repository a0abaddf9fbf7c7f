//! Google Authenticator's export: credentials as `otpauth-migration://offline?data=…` links,
//! each one QR code, each holding a protobuf [`MigrationPayload`] batch. The messages are the
//! importer's ([`crate::import::google::proto`]): one definition reads and writes the format.
//!
//! Batches: at most [`MAX_ENTRIES_PER_BATCH`] entries and about [`MAX_BATCH_BYTES`] of
//! protobuf each, so every link fits one QR code that a phone camera reads at a glance; all
//! batches of one export share a random `batch_id`, know their `batch_index` (from 0) and the
//! number of batches (`batch_size`), as Google writes them.
//!
//! What Google's format cannot carry is **skipped and reported**, never refused as a whole
//! and never silently bent: a person leaving wants everything that can move to move, and the
//! report names each entry left behind and why (move it by its own QR code, if the other app
//! takes it). The format has no period (every TOTP is 30 s), only 6 or 8 digits, and no Steam.
//! SHA-256 and SHA-512 are written as the format allows; whether the receiving app honours
//! them is up to that app. An entry's account goes in `name`, its issuer in `issuer`.

use data_encoding::BASE64;
use prost::Message;
use zeroize::Zeroizing;

use crate::secret::SecretString;

use super::Unencrypted;
use crate::import::google::proto::{self, MigrationPayload, OtpParameters};
use crate::otp::{Algorithm, Credential, Kind};

/// Most entries in one QR code.
pub const MAX_ENTRIES_PER_BATCH: usize = 10;
/// Most protobuf bytes in one QR code: the link is then about 1,700 characters, inside what
/// a QR code holds at error correction level M (2,331 bytes).
pub const MAX_BATCH_BYTES: usize = 1_200;
const SCHEME: &str = "otpauth-migration://offline?data=";

/// An export to Google Authenticator.
#[derive(Debug, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "GoogleMigrationExport"))]
pub struct GoogleExport {
    /// One `otpauth-migration://` link per QR code, in order; empty when nothing could move.
    pub links: Vec<SecretString>,
    /// 1-based numbers (in the input's order) of the entries in the links.
    pub exported: Vec<u32>,
    /// The entries Google's format cannot carry.
    pub skipped: Vec<Skipped>,
}

/// An entry left out of a Google export, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "SkippedEntry"))]
pub struct Skipped {
    /// 1-based place in the input's order.
    pub number: u32,
    pub issuer: String,
    pub account: String,
    pub reason: SkipReason,
}

/// Why Google's format cannot carry an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("Google Authenticator has no Steam codes")]
    Steam,
    #[error("Google Authenticator's export carries 6 or 8 digits, not {0}")]
    Digits(u8),
    #[error("Google Authenticator's export has no period: only 30-second codes move, not {0}-second ones")]
    Period(u32),
}

impl SkipReason {
    /// The reason whose words [`Display`](std::fmt::Display) wrote, read back.
    pub fn parse(words: &str) -> Option<SkipReason> {
        let between = |prefix: &str, suffix: &str| words.strip_prefix(prefix)?.strip_suffix(suffix).map(str::to_owned);
        if words == SkipReason::Steam.to_string() {
            Some(SkipReason::Steam)
        } else if let Some(d) = between("Google Authenticator's export carries 6 or 8 digits, not ", "") {
            d.parse().ok().map(SkipReason::Digits)
        } else {
            let p = between(
                "Google Authenticator's export has no period: only 30-second codes move, not ",
                "-second ones",
            )?;
            p.parse().ok().map(SkipReason::Period)
        }
    }
}

// The apps show why an entry was left out in these words.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(SkipReason, String, {
    lower: |reason| reason.to_string(),
    try_lift: |words| SkipReason::parse(&words).ok_or_else(|| uniffi::deps::anyhow::anyhow!("not a skip reason")),
});

/// 1-based place `i + 1` (an export holds far fewer than `u32::MAX` entries).
fn number(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

/// `credentials` as migration links, at most `per_batch` (1 to [`MAX_ENTRIES_PER_BATCH`]) in
/// each; entries the format cannot carry are in [`GoogleExport::skipped`].
pub fn export(credentials: &[Credential], per_batch: usize, _: Unencrypted) -> GoogleExport {
    let per_batch = per_batch.clamp(1, MAX_ENTRIES_PER_BATCH);
    let mut out = GoogleExport::default();
    let mut batches: Vec<Vec<OtpParameters>> = Vec::new();
    let mut current: Vec<OtpParameters> = Vec::new();
    let mut current_bytes = 0;
    for (i, c) in credentials.iter().enumerate() {
        let params = match to_proto(c) {
            Ok(p) => p,
            Err(reason) => {
                out.skipped.push(Skipped {
                    number: number(i),
                    issuer: c.issuer.clone(),
                    account: c.account.clone(),
                    reason,
                });
                continue;
            }
        };
        let size = prost::encoding::message::encoded_len(1, &params);
        if !current.is_empty() && (current.len() == per_batch || current_bytes + size > MAX_BATCH_BYTES) {
            batches.push(std::mem::take(&mut current));
            current_bytes = 0;
        }
        current_bytes += size;
        current.push(params);
        out.exported.push(number(i));
    }
    if !current.is_empty() {
        batches.push(current);
    }
    let batch_id = random_batch_id();
    let count = batches.len() as i32;
    out.links = batches
        .into_iter()
        .enumerate()
        .map(|(index, otp_parameters)| {
            link(&MigrationPayload {
                otp_parameters,
                version: 1,
                batch_size: count,
                batch_index: index as i32,
                batch_id,
            })
        })
        .collect();
    out
}

fn to_proto(c: &Credential) -> Result<OtpParameters, SkipReason> {
    let p = c.params;
    let (otp_type, counter) = match p.kind {
        Kind::Steam { .. } => return Err(SkipReason::Steam),
        Kind::Totp { period } if period != crate::otp::STANDARD_PERIOD => return Err(SkipReason::Period(period)),
        Kind::Totp { .. } => (proto::OtpType::Totp, 0),
        // The vault keeps counters below 2^63; anything else could not have been stored.
        Kind::Hotp { counter } => (proto::OtpType::Hotp, i64::try_from(counter).unwrap_or(i64::MAX)),
    };
    let digits = match p.digits {
        6 => proto::DigitCount::Six,
        8 => proto::DigitCount::Eight,
        other => return Err(SkipReason::Digits(other)),
    };
    let algorithm = match p.algorithm {
        Algorithm::Sha1 => proto::Algorithm::Sha1,
        Algorithm::Sha256 => proto::Algorithm::Sha256,
        Algorithm::Sha512 => proto::Algorithm::Sha512,
    };
    Ok(OtpParameters {
        secret: c.secret.expose().to_vec(),
        name: c.account.clone(),
        issuer: c.issuer.clone(),
        algorithm: algorithm as i32,
        digits: digits as i32,
        r#type: otp_type as i32,
        counter,
    })
}

/// `otpauth-migration://offline?data=` and the payload in standard base64, percent-encoded
/// (`+`, `/` and `=` escaped) as Google writes it. Every buffer on the way is zeroizing and
/// sized once.
fn link(payload: &MigrationPayload) -> SecretString {
    let mut bytes = Zeroizing::new(Vec::with_capacity(payload.encoded_len()));
    payload.encode(&mut *bytes).expect("the buffer was sized by encoded_len");
    let mut b64 = Zeroizing::new(vec![0u8; BASE64.encode_len(bytes.len())]);
    BASE64.encode_mut(&bytes, &mut b64);
    let mut out = Zeroizing::new(String::with_capacity(SCHEME.len() + 3 * b64.len()));
    out.push_str(SCHEME);
    for &b in b64.iter() {
        match b {
            b'+' => out.push_str("%2B"),
            b'/' => out.push_str("%2F"),
            b'=' => out.push_str("%3D"),
            b => out.push(char::from(b)),
        }
    }
    // Moved, not copied: the buffer left behind is empty.
    SecretString::new(std::mem::take(&mut *out))
}

/// Positive, as Google's are, and never 0 (which a reader may take for "not set").
fn random_batch_id() -> i32 {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 4];
    SystemRandom::new().fill(&mut bytes).expect("the operating system's random source failed");
    (i32::from_le_bytes(bytes) & i32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The apps get a reason as its words and may hand it back: the words read back to it.
    #[test]
    fn a_skip_reason_reads_back_from_its_words() {
        for reason in [SkipReason::Steam, SkipReason::Digits(7), SkipReason::Period(60)] {
            assert_eq!(SkipReason::parse(&reason.to_string()), Some(reason), "{reason}");
        }
        assert_eq!(SkipReason::parse("because"), None);
    }
}
