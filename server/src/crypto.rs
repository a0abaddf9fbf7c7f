//! Randomness and hashing for the backend: ids, bearer tokens, one-time codes, the number of
//! number matching. All from the operating system's random source through ring.
//!
//! Tokens (sessions, trust, attempt ids) are 256 random bits handed out once and stored only
//! as their SHA-256 (attempt ids as its hex, [`token_key`]): a copy of the database signs
//! nobody in. Hashing without a salt is right for them, unlike passwords: they are uniformly
//! random and long.

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

fn fill(buf: &mut [u8]) {
    // The OS random source failing is not something a request can recover from.
    SystemRandom::new().fill(buf).expect("the operating system's random source failed");
}

/// 128 random bits as hex: ids that are not secrets (logins, methods, devices, pushes).
pub fn new_id() -> String {
    let mut b = [0u8; 16];
    fill(&mut b);
    HEXLOWER.encode(&b)
}

/// 256 random bits, base64url: bearer secrets (sessions, trust tokens, attempt ids, nonces).
pub fn new_token() -> Zeroizing<String> {
    let mut b = Zeroizing::new([0u8; 32]);
    fill(b.as_mut());
    Zeroizing::new(BASE64URL_NOPAD.encode(b.as_ref()))
}

/// What the database keeps of a token.
pub fn hash_token(token: &str) -> Vec<u8> {
    digest(&SHA256, token.as_bytes()).as_ref().to_vec()
}

/// What the database keeps of an attempt id (a bearer secret that is also a row's key):
/// its SHA-256 as hex.
pub fn token_key(token: &str) -> String {
    HEXLOWER.encode(&hash_token(token))
}

/// A uniformly random integer in `0..n` (rejection sampling, no modulo bias).
fn below(n: u32) -> u32 {
    assert!(n > 0);
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let mut b = [0u8; 4];
        fill(&mut b);
        let v = u32::from_le_bytes(b);
        if v < zone {
            return v % n;
        }
    }
}

/// A 6-digit SMS or voice code, leading zeros kept.
pub fn new_code() -> Zeroizing<String> {
    Zeroizing::new(format!("{:06}", below(1_000_000)))
}

/// A random integer in `min..=max`.
pub fn number_between(min: u32, max: u32) -> u32 {
    min + below(max - min + 1)
}

/// 160 random bits: a fresh TOTP seed (RFC 4226 recommends 160).
pub fn new_seed() -> Zeroizing<Vec<u8>> {
    let mut b = Zeroizing::new(vec![0u8; 20]);
    fill(&mut b);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_numbers_stay_in_range() {
        for _ in 0..200 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
            let n = number_between(10, 99);
            assert!((10..=99).contains(&n));
        }
    }

    #[test]
    fn tokens_are_256_bits_and_hash_to_32_bytes() {
        let t = new_token();
        assert_eq!(BASE64URL_NOPAD.decode(t.as_bytes()).unwrap().len(), 32);
        assert_eq!(hash_token(&t).len(), 32);
        assert_ne!(*new_token(), *t);
    }
}
