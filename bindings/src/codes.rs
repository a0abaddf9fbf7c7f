//! The free functions for codes and `otpauth://` URIs that need no vault.
//!
//! The records they take and give are core's own (`OtpParams` is `twostep_core::otp::Params`,
//! `CodeView`, `CredentialSummary`); generation, parsing, validation and grouping are core's.
//! Nothing is decided here.

use twostep_core::otp::{Generator, Params, Summary, display, uri};
use twostep_core::secret::SecretBytes;
use zeroize::Zeroizing;

use crate::error::TwostepError;

/// The code for `params` and `secret` (raw key bytes) at `unix_seconds`; for HOTP, the code at
/// `params`' counter (the time is not used).
#[uniffi::export]
pub fn code_at(params: Params, secret: Vec<u8>, unix_seconds: u64) -> Result<String, TwostepError> {
    let secret = SecretBytes::new(secret);
    Ok(Generator::new(params, &secret)?.code_at(unix_seconds))
}

/// The code an `otpauth://` URI gives at `unix_seconds` (for HOTP, at the URI's counter).
#[uniffi::export]
pub fn code_from_uri(uri: String, unix_seconds: u64) -> Result<String, TwostepError> {
    let uri = Zeroizing::new(uri);
    let credential = uri::parse(&uri)?;
    Ok(credential.generator()?.code_at(unix_seconds))
}

/// Reads an `otpauth://` URI and returns everything in it but the secret: for a confirmation
/// screen before adding it.
#[uniffi::export]
pub fn parse_uri(uri: String) -> Result<Summary, TwostepError> {
    let uri = Zeroizing::new(uri);
    Ok(uri::parse(&uri)?.summary())
}

/// A code split into groups for reading: `"123456"` → `"123 456"`; Steam's 5 characters
/// stay whole.
#[uniffi::export]
pub fn group_code(code: String) -> String {
    display::group(&code)
}

#[cfg(test)]
mod tests {
    use twostep_core::otp::{Algorithm, Kind};

    use super::*;

    const SHA1_SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_vector_through_the_facade() {
        let params = Params { kind: Kind::Totp { period: 30 }, algorithm: Algorithm::Sha1, digits: 8 };
        assert_eq!(code_at(params, SHA1_SEED.to_vec(), 59).unwrap(), "94287082");
    }

    #[test]
    fn a_uri_summary_has_the_names_and_flags_a_short_key() {
        let info = parse_uri("otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&digits=8".into()).unwrap();
        assert_eq!((info.issuer.as_str(), info.account.as_str()), ("ACME", "ada"));
        assert_eq!(info.params.digits, 8);
        assert!(info.short_key);
    }
}
