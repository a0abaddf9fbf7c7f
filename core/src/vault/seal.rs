//! Sealing: AES-256-GCM under the vault's data key, with the owner of each ciphertext bound
//! in as associated data so a ciphertext copied to another row (or used as the canary) fails.
//!
//! Format of a sealed blob: `version (1 byte) || nonce (12) || ciphertext || tag (16)`.
//! Owns the data key in memory; knows nothing of SQLite.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

use crate::otp::{Kind, Params};
use crate::secret::SecretBytes;

const SEAL_VERSION: u8 = 1;
pub const KEY_LEN: usize = 32;
const CANARY_PLAINTEXT: &[u8] = b"twostep vault canary v1";
/// The canary's associated data also says how the vault's entries are sealed: a vault whose
/// canary opens with [`CANARY_AD`] seals every field of each entry into its secret
/// ([`entry_ad`]); one whose canary opens with [`LEGACY_CANARY_AD`] bound only the id, and is
/// upgraded when it is opened. A file cannot claim the newer sealing without the key.
const CANARY_AD: &[u8] = b"twostep/canary/entry-fields";
const LEGACY_CANARY_AD: &[u8] = b"twostep/canary";

/// How a vault's entries are sealed, as its canary tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
    /// Every field of the entry is bound into its secret.
    EntryFields,
    /// Only the entry id (vaults written before every field was authenticated).
    IdOnly,
}

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

    /// How the entries are sealed, when `canary` was sealed by this very key; `None` for
    /// another key (or a damaged canary).
    pub fn opens_canary(&self, canary: &[u8]) -> Option<Sealing> {
        let opens = |ad: &[u8]| self.open(canary, ad).map(|p| p.ct_eq(CANARY_PLAINTEXT)).unwrap_or(false);
        if opens(CANARY_AD) {
            Some(Sealing::EntryFields)
        } else if opens(LEGACY_CANARY_AD) {
            Some(Sealing::IdOnly)
        } else {
            None
        }
    }
}

/// Associated data for an entry's secret: every field that decides its codes or names it —
/// id, issuer, account, kind, algorithm, digits, period and HOTP counter — so an edit of any
/// of them in the file (a rolled-back counter, a changed digit count, rows swapped) makes the
/// secret fail to open. Each field is length-prefixed, so no two entries encode alike. The
/// position and timestamps are left out: they change no code.
pub fn entry_ad(id: &str, issuer: &str, account: &str, params: &Params) -> Vec<u8> {
    let mut ad = Vec::new();
    entry_ad_into(&mut ad, id, issuer, account, params);
    ad
}

/// [`entry_ad`] written into `ad` (cleared first), so opening many rows reuses one buffer.
pub fn entry_ad_into(ad: &mut Vec<u8>, id: &str, issuer: &str, account: &str, params: &Params) {
    const PREFIX: &[u8] = b"twostep/entry/fields/";
    let texts = [id, issuer, account, params.kind.name(), params.algorithm.as_str()];
    ad.clear();
    ad.reserve(PREFIX.len() + texts.iter().map(|t| 8 + t.len()).sum::<usize>() + 3 * 8);
    ad.extend_from_slice(PREFIX);
    for text in texts {
        ad.extend_from_slice(&(text.len() as u64).to_le_bytes());
        ad.extend_from_slice(text.as_bytes());
    }
    let counter = match params.kind {
        Kind::Hotp { counter } => counter,
        _ => 0,
    };
    for n in [u64::from(params.digits), u64::from(params.kind.period().unwrap_or(0)), counter] {
        ad.extend_from_slice(&n.to_le_bytes());
    }
}

/// The associated data of [`Sealing::IdOnly`] vaults: the id alone.
pub fn legacy_entry_ad(id: &str) -> Vec<u8> {
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
    fn sealed_secret_opens_only_with_its_owner_and_fields() {
        let (key, _) = DataKey::generate();
        let totp = Params::totp(crate::otp::Algorithm::Sha1, 6, 30);
        let sealed = key.seal(b"seed", &entry_ad("a", "GitHub", "ada", &totp));
        assert_eq!(key.open(&sealed, &entry_ad("a", "GitHub", "ada", &totp)).unwrap().expose(), b"seed");
        assert_eq!(key.open(&sealed, &entry_ad("b", "GitHub", "ada", &totp)), Err(OpenFailed));
        assert_eq!(key.open(&sealed, &entry_ad("a", "GitLab", "ada", &totp)), Err(OpenFailed));
        let eight = Params::totp(crate::otp::Algorithm::Sha1, 8, 30);
        assert_eq!(key.open(&sealed, &entry_ad("a", "GitHub", "ada", &eight)), Err(OpenFailed));
    }

    #[test]
    fn fields_cannot_shift_between_one_another() {
        let totp = Params::totp(crate::otp::Algorithm::Sha1, 6, 30);
        assert_ne!(entry_ad("a", "bc", "d", &totp), entry_ad("a", "b", "cd", &totp));
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
        assert_eq!(a.opens_canary(&canary), Some(Sealing::EntryFields));
        assert_eq!(b.opens_canary(&canary), None);
    }
}
