//! The cryptography of encrypted exports: scrypt with bounded parameters (Aegis), PBKDF2-HMAC-
//! SHA256 (2FAS), AES-256-GCM opening (both), and the lenient base32 (secrets), base64 and
//! hex the export files use.
//!
//! Every derived key and every plaintext is zeroized on drop. Nothing here knows a format.

use std::num::NonZeroU32;
use std::sync::LazyLock;

use data_encoding::{Encoding, HEXLOWER_PERMISSIVE, Specification};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use zeroize::Zeroizing;

use super::EntryError;
use crate::secret::SecretBytes;

/// Largest scrypt `N` read from a file: 2^20.
pub(crate) const MAX_SCRYPT_LOG_N: u32 = 20;
/// Largest scrypt memory read from a file (`128 · N · r` bytes): 256 MiB. Aegis writes
/// N = 2^15, r = 8: 32 MiB.
pub(crate) const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;
/// Largest scrypt work read from a file (`128 · N · r · p` bytes mixed): 1 GiB, a few seconds.
pub(crate) const MAX_SCRYPT_WORK: u64 = 1024 * 1024 * 1024;
/// Longest salt accepted from a file.
pub(crate) const MAX_SALT_BYTES: usize = 1024;

/// An AES-256 key, zeroized on drop.
pub(crate) type Key = Zeroizing<[u8; 32]>;

/// Checks scrypt parameters read from a file; the reason names the parameter at fault.
/// Returns log2(N).
pub(crate) fn check_scrypt(n: u64, r: u64, p: u64, salt_len: usize) -> Result<u8, String> {
    if n < 2 || !n.is_power_of_two() {
        return Err("n must be a power of two, 2 or more".into());
    }
    let log_n = n.trailing_zeros();
    if log_n > MAX_SCRYPT_LOG_N {
        return Err(format!("n is 2^{log_n}; at most 2^{MAX_SCRYPT_LOG_N} is accepted"));
    }
    if r == 0 || p == 0 {
        return Err("r and p must be 1 or more".into());
    }
    let memory = 128u64.saturating_mul(n).saturating_mul(r);
    if memory > MAX_SCRYPT_MEMORY {
        return Err(format!(
            "n and r ask for {} MiB of memory; at most {} MiB is accepted",
            memory / (1024 * 1024),
            MAX_SCRYPT_MEMORY / (1024 * 1024)
        ));
    }
    if memory.saturating_mul(p) > MAX_SCRYPT_WORK {
        return Err(format!("p is {p}: n, r and p ask for more work than {} GiB of mixing", MAX_SCRYPT_WORK >> 30));
    }
    if salt_len > MAX_SALT_BYTES {
        return Err(format!("the salt is {salt_len} bytes; at most {MAX_SALT_BYTES} are accepted"));
    }
    Ok(log_n as u8)
}

/// scrypt → 32 bytes, with parameters already passed through [`check_scrypt`].
pub(crate) fn scrypt_key(password: &[u8], salt: &[u8], log_n: u8, r: u64, p: u64) -> Option<Key> {
    let params = scrypt::Params::new(log_n, u32::try_from(r).ok()?, u32::try_from(p).ok()?).ok()?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, &mut key[..]).ok()?;
    Some(key)
}

/// PBKDF2-HMAC-SHA256 → 32 bytes.
pub(crate) fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: NonZeroU32) -> Key {
    let mut key = Zeroizing::new([0u8; 32]);
    ring::pbkdf2::derive(ring::pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, password, &mut key[..]);
    key
}

/// AES-256-GCM: `sealed` is the ciphertext followed by the 16-byte tag; no associated data.
/// `None` when the nonce is not 12 bytes or the tag does not verify (wrong key, damaged data).
pub(crate) fn open(key: &[u8; 32], nonce: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).ok()?);
    let mut buffer = Zeroizing::new(sealed.to_vec());
    let len = key.open_in_place(nonce, Aad::empty(), &mut buffer).ok()?.len();
    buffer.truncate(len);
    Some(buffer)
}

/// Base64 as exports write it: the standard or the URL-safe alphabet, `=` padding optional,
/// unused trailing bits not necessarily zero. Whitespace is refused.
pub(crate) fn base64(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let unpadded = text.trim_end_matches('=');
    BASE64_LENIENT.decode(unpadded.as_bytes()).ok().map(Zeroizing::new)
}

static BASE64_LENIENT: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    spec.translate.from.push_str("-_");
    spec.translate.to.push_str("+/");
    spec.check_trailing_bits = false;
    // A constant specification: this cannot fail, and a unit test builds it.
    spec.encoding().expect("the base64 specification is valid")
});

/// A base32 secret as people and apps write it: either case, `=` padding optional, unused
/// trailing bits not necessarily zero, and spaces and dashes (which group the characters for
/// typing) ignored. Errors name the field and never quote it.
pub(crate) fn base32_secret(text: &str) -> Result<SecretBytes, EntryError> {
    let mut clean = Zeroizing::new(Vec::with_capacity(text.len()));
    clean.extend(text.bytes().filter(|c| !matches!(c, b' ' | b'-')));
    crate::otp::uri::base32_secret(&clean).map_err(|why| EntryError::new("secret", why))
}

/// Hexadecimal, either case.
pub(crate) fn hex(text: &str) -> Option<Vec<u8>> {
    HEXLOWER_PERMISSIVE.decode(text.as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_reads_both_alphabets_with_or_without_padding() {
        assert_eq!(&*base64("+/8=").unwrap(), &[0xfb, 0xff]);
        assert_eq!(&*base64("-_8").unwrap(), &[0xfb, 0xff]);
        assert_eq!(&*base64("+_9").unwrap(), &[0xfb, 0xff]);
        assert!(base64("a").is_none());
        assert!(base64("ab c").is_none());
        assert_eq!(&*base64("").unwrap(), b"");
    }

    #[test]
    fn base32_secrets_ignore_case_padding_spaces_and_dashes() {
        assert_eq!(base32_secret("MZXW6YQ").unwrap().expose(), b"foob");
        assert_eq!(base32_secret("mzxw 6yr=").unwrap().expose(), b"foob");
        assert_eq!(base32_secret("MZXW-6YQ").unwrap().expose(), b"foob");
        assert_eq!(base32_secret(" = ").unwrap_err().reason(), "is empty");
        let e = base32_secret("MZXW6Y1").unwrap_err();
        assert!(e.field() == "secret" && !e.to_string().contains("MZXW"), "{e}");
    }

    #[test]
    fn scrypt_parameters_are_bounded() {
        assert_eq!(check_scrypt(32768, 8, 1, 32), Ok(15));
        assert!(check_scrypt(0, 8, 1, 32).is_err());
        assert!(check_scrypt(3, 8, 1, 32).is_err());
        assert!(check_scrypt(1 << 21, 1, 1, 32).unwrap_err().contains("2^21"));
        assert!(check_scrypt(1 << 20, 8, 1, 32).unwrap_err().contains("MiB"));
        assert!(check_scrypt(1 << 15, 8, 64, 32).unwrap_err().starts_with("p is 64"));
        assert!(check_scrypt(1 << 15, 0, 1, 32).is_err());
        assert!(check_scrypt(1 << 15, u64::MAX, u64::MAX, 32).is_err());
        assert!(check_scrypt(1 << 15, 8, 1, 4096).unwrap_err().contains("salt"));
    }

    #[test]
    fn aes_gcm_opens_what_ring_sealed_and_nothing_else() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &key).unwrap());
        let mut data = b"hello".to_vec();
        sealing.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data).unwrap();
        assert_eq!(&*open(&key, &nonce, &data).unwrap(), b"hello");
        assert!(open(&[8u8; 32], &nonce, &data).is_none());
        assert!(open(&key, &nonce[..8], &data).is_none());
        assert!(open(&key, &nonce, &data[..4]).is_none());
    }
}
