//! Sealing: AES-256-GCM under the vault's data key, with the owner of each ciphertext bound
//! in as associated data so a ciphertext copied to another row (or used as the canary) fails.
//!
//! Format of a sealed blob: `version (1 byte) || nonce (12) || ciphertext || tag (16)`.
//! Owns the data key in memory; knows nothing of SQLite.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

use crate::secret::SecretBytes;

const SEAL_VERSION: u8 = 1;
pub const KEY_LEN: usize = 32;
const CANARY_PLAINTEXT: &[u8] = b"twostep vault canary v1";
const CANARY_AD: &[u8] = b"twostep/canary";

/// The sealed blob did not open: wrong key, damaged bytes, or moved to another owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("sealed data failed to open")]
pub struct OpenFailed;

/// The vault's data key, ready to seal and open.
pub struct DataKey {
    key: LessSafeKey,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

impl DataKey {
    /// A fresh random 256-bit key, returned with its raw bytes for wrapping.
    pub fn generate() -> (Self, SecretBytes) {
        let mut raw = vec![0u8; KEY_LEN];
        fill_random(&mut raw);
        let raw = SecretBytes::new(raw);
        let key = Self::from_raw(&raw).expect("a freshly generated key has the right length");
        (key, raw)
    }

    /// Fails only on a key of the wrong length (a key store returned garbage).
    pub fn from_raw(raw: &SecretBytes) -> Result<Self, OpenFailed> {
        let unbound = UnboundKey::new(&AES_256_GCM, raw.expose()).map_err(|_| OpenFailed)?;
        Ok(Self { key: LessSafeKey::new(unbound) })
    }

    pub fn seal(&self, plaintext: &[u8], associated: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + AES_256_GCM.tag_len());
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(associated),
                &mut out[1 + NONCE_LEN..],
            )
            .expect("AES-GCM sealing fails only past 64 GiB");
        out.extend_from_slice(tag.as_ref());
        out
    }

    pub fn open(&self, sealed: &[u8], associated: &[u8]) -> Result<SecretBytes, OpenFailed> {
        if sealed.len() < 1 + NONCE_LEN + AES_256_GCM.tag_len() || sealed[0] != SEAL_VERSION {
            return Err(OpenFailed);
        }
        let nonce = Nonce::try_assume_unique_for_key(&sealed[1..1 + NONCE_LEN]).map_err(|_| OpenFailed)?;
        let mut buf = SecretBytes::new(sealed[1 + NONCE_LEN..].to_vec());
        let len = {
            // Decrypt inside the zeroizing buffer so the plaintext never sits in a plain Vec.
            let bytes = buf.expose_mut();
            let plain = self.key.open_in_place(nonce, Aad::from(associated), bytes).map_err(|_| OpenFailed)?;
            plain.len()
        };
        Ok(truncate(buf, len))
    }

    pub fn seal_canary(&self) -> Vec<u8> {
        self.seal(CANARY_PLAINTEXT, CANARY_AD)
    }

    /// True when `canary` was sealed by this very key.
    pub fn opens_canary(&self, canary: &[u8]) -> bool {
        self.open(canary, CANARY_AD).map(|p| p.ct_eq(CANARY_PLAINTEXT)).unwrap_or(false)
    }
}

/// Associated data for an entry's secret: the entry id, so rows cannot swap ciphertexts.
pub fn entry_ad(id: &str) -> Vec<u8> {
    let mut ad = b"twostep/entry/".to_vec();
    ad.extend_from_slice(id.as_bytes());
    ad
}

/// Associated data for a device-state record: its key, so records cannot swap values.
pub fn state_ad(key: &str) -> Vec<u8> {
    let mut ad = b"twostep/state/".to_vec();
    ad.extend_from_slice(key.as_bytes());
    ad
}

pub fn fill_random(buf: &mut [u8]) {
    SystemRandom::new().fill(buf).expect("the operating system's random source failed");
}

fn truncate(mut s: SecretBytes, len: usize) -> SecretBytes {
    // Vec::truncate leaves the dropped tail in place; overwrite it before it is forgotten.
    let v = s.expose_mut();
    for b in &mut v[len..] {
        *b = 0;
    }
    v.truncate(len);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secret_opens_only_with_its_owner() {
        let (key, _) = DataKey::generate();
        let sealed = key.seal(b"seed", &entry_ad("a"));
        assert_eq!(key.open(&sealed, &entry_ad("a")).unwrap().expose(), b"seed");
        assert_eq!(key.open(&sealed, &entry_ad("b")), Err(OpenFailed));
    }

    #[test]
    fn every_seal_uses_a_fresh_nonce() {
        let (key, _) = DataKey::generate();
        assert_ne!(key.seal(b"seed", b"x"), key.seal(b"seed", b"x"));
    }

    #[test]
    fn a_flipped_bit_is_detected() {
        let (key, _) = DataKey::generate();
        let mut sealed = key.seal(b"seed", b"x");
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert_eq!(key.open(&sealed, b"x"), Err(OpenFailed));
    }

    #[test]
    fn canary_tells_keys_apart() {
        let (a, _) = DataKey::generate();
        let (b, _) = DataKey::generate();
        let canary = a.seal_canary();
        assert!(a.opens_canary(&canary));
        assert!(!b.opens_canary(&canary));
    }
}
