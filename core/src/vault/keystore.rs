//! Key stores: who wraps the vault's data key.
//!
//! The vault never stores its data key in the clear. A [`KeyStore`] wraps it on creation and
//! unwraps it on open: on phones the platform's (Android Keystore, iOS Keychain / Secure
//! Enclave, through a UniFFI foreign trait), on desktops [`PassphraseKeyStore`] (Argon2id).
//! A wrapped key is an opaque blob to the vault.

use argon2::{Algorithm, Argon2, Params, Version};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use super::seal::{KEY_LEN, fill_random};
use crate::secret::SecretBytes;

/// Why a key store could not wrap or unwrap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    /// The key store is the wrong one: wrong passphrase, another device's key.
    #[error("the key or passphrase is wrong")]
    WrongKey,
    /// The platform key store refused or is not ready (a locked device): trying again later
    /// can work.
    #[error("the key store is unavailable: {0}")]
    Unavailable(String),
    /// The platform destroyed the key for good (the lock screen was removed, biometrics were
    /// re-enrolled): no retry can open this vault; it is kept for a restore from backup.
    #[error("the device's key for this vault was invalidated: {0}")]
    Invalidated(String),
    /// The wrapped key is not in a form this key store reads.
    #[error("the wrapped key is malformed: {0}")]
    Malformed(String),
}

/// Wraps and unwraps the vault's data key.
pub trait KeyStore: Send + Sync {
    fn wrap_key(&self, key: &SecretBytes) -> Result<Vec<u8>, KeyStoreError>;
    fn unwrap_key(&self, wrapped: &[u8]) -> Result<SecretBytes, KeyStoreError>;
}

/// Argon2id cost. Stored inside each wrapped key, so it can be raised later without
/// breaking existing vaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "KdfCost"))]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// OWASP's Password Storage Cheat Sheet, first Argon2id configuration: 19 MiB, t=2, p=1.
    pub const OWASP: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

    /// Caps that no file can make us exceed, for the vault's header and backups alike: a
    /// hostile file must not make a phone allocate gigabytes or spin for minutes. Twostep
    /// writes [`KdfParams::OWASP`], well inside them.
    pub const MAX_MEMORY_KIB: u32 = 256 * 1024;
    pub const MAX_ITERATIONS: u32 = 10;
    pub const MAX_PARALLELISM: u32 = 8;

    /// True when the cost is inside the caps and Argon2's own minimums (8 KiB per lane).
    pub fn within_caps(&self) -> bool {
        (1..=Self::MAX_PARALLELISM).contains(&self.parallelism)
            && (1..=Self::MAX_ITERATIONS).contains(&self.iterations)
            && self.memory_kib >= 8 * self.parallelism
            && self.memory_kib <= Self::MAX_MEMORY_KIB
    }

    fn check(&self) -> Result<(), KeyStoreError> {
        if !self.within_caps() {
            return Err(KeyStoreError::Malformed(format!(
                "key derivation cost out of bounds (memory {} KiB, {} iterations, {} lanes)",
                self.memory_kib, self.iterations, self.parallelism
            )));
        }
        Ok(())
    }
}

/// Wraps the data key under a key derived from a passphrase with Argon2id.
///
/// Blob: `1 || m_kib (u32 LE) || t (u32 LE) || p (u32 LE) || salt (16) || nonce (12) ||
/// AES-256-GCM(data key) || tag`, the header up to the salt authenticated as associated data
/// so the cost cannot be lowered by editing the file.
pub struct PassphraseKeyStore {
    passphrase: SecretBytes,
    params: KdfParams,
}

impl std::fmt::Debug for PassphraseKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PassphraseKeyStore").field("params", &self.params).finish_non_exhaustive()
    }
}

const BLOB_VERSION: u8 = 1;
const SALT_LEN: usize = 16;
const HEADER_LEN: usize = 1 + 12 + SALT_LEN;

impl PassphraseKeyStore {
    pub fn new(passphrase: &str) -> Self {
        Self::with_params(passphrase, KdfParams::OWASP)
    }

    /// A chosen cost: for wrapping only; unwrapping always uses the cost stored in the blob.
    pub fn with_params(passphrase: &str, params: KdfParams) -> Self {
        Self { passphrase: SecretBytes::from_slice(passphrase.as_bytes()), params }
    }

    fn derive(&self, params: KdfParams, salt: &[u8]) -> Result<LessSafeKey, KeyStoreError> {
        params.check()?;
        let argon_params = Params::new(params.memory_kib, params.iterations, params.parallelism, Some(KEY_LEN))
            .map_err(|e| KeyStoreError::Malformed(format!("key derivation parameters: {e}")))?;
        let mut kek = SecretBytes::new(vec![0u8; KEY_LEN]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
            .hash_password_into(self.passphrase.expose(), salt, kek.expose_mut())
            .map_err(|e| KeyStoreError::Malformed(format!("key derivation: {e}")))?;
        let unbound = UnboundKey::new(&AES_256_GCM, kek.expose()).expect("32-byte key");
        Ok(LessSafeKey::new(unbound))
    }
}

impl KeyStore for PassphraseKeyStore {
    fn wrap_key(&self, key: &SecretBytes) -> Result<Vec<u8>, KeyStoreError> {
        let mut blob = Vec::with_capacity(HEADER_LEN + NONCE_LEN + KEY_LEN + 16);
        blob.push(BLOB_VERSION);
        blob.extend_from_slice(&self.params.memory_kib.to_le_bytes());
        blob.extend_from_slice(&self.params.iterations.to_le_bytes());
        blob.extend_from_slice(&self.params.parallelism.to_le_bytes());
        let mut salt = [0u8; SALT_LEN];
        fill_random(&mut salt);
        blob.extend_from_slice(&salt);
        let kek = self.derive(self.params, &salt)?;
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        blob.extend_from_slice(&nonce);
        let header = blob[..HEADER_LEN].to_vec();
        let start = blob.len();
        blob.extend_from_slice(key.expose());
        let tag = kek
            .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(&header), &mut blob[start..])
            .expect("sealing 32 bytes cannot fail");
        blob.extend_from_slice(tag.as_ref());
        Ok(blob)
    }

    fn unwrap_key(&self, wrapped: &[u8]) -> Result<SecretBytes, KeyStoreError> {
        if wrapped.len() != HEADER_LEN + NONCE_LEN + KEY_LEN + 16 || wrapped[0] != BLOB_VERSION {
            // Most likely a vault whose key a platform key store wraps, opened with a
            // passphrase: the wrong key, not a damaged file the user should restore.
            return Err(KeyStoreError::WrongKey);
        }
        let word = |i: usize| u32::from_le_bytes(wrapped[i..i + 4].try_into().expect("4 bytes"));
        let params = KdfParams { memory_kib: word(1), iterations: word(5), parallelism: word(9) };
        let salt = &wrapped[13..HEADER_LEN];
        let kek = self.derive(params, salt)?;
        let nonce = Nonce::try_assume_unique_for_key(&wrapped[HEADER_LEN..HEADER_LEN + NONCE_LEN]).expect("12 bytes");
        let mut buf = SecretBytes::from_slice(&wrapped[HEADER_LEN + NONCE_LEN..]);
        let len = kek
            .open_in_place(nonce, Aad::from(&wrapped[..HEADER_LEN]), buf.expose_mut())
            .map_err(|_| KeyStoreError::WrongKey)?
            .len();
        Ok(SecretBytes::from_slice(&buf.expose()[..len]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };

    #[test]
    fn right_passphrase_unwraps_wrong_one_is_refused() {
        let key = SecretBytes::new(vec![7u8; KEY_LEN]);
        let wrapped = PassphraseKeyStore::with_params("correct horse", CHEAP).wrap_key(&key).unwrap();
        let back = PassphraseKeyStore::new("correct horse").unwrap_key(&wrapped).unwrap();
        assert_eq!(back, key);
        assert_eq!(PassphraseKeyStore::new("wrong").unwrap_key(&wrapped), Err(KeyStoreError::WrongKey));
    }

    #[test]
    fn lowering_the_stored_cost_breaks_the_wrap() {
        let key = SecretBytes::new(vec![7u8; KEY_LEN]);
        let mut wrapped =
            PassphraseKeyStore::with_params("pw", KdfParams { memory_kib: 128, ..CHEAP }).wrap_key(&key).unwrap();
        wrapped[1..5].copy_from_slice(&64u32.to_le_bytes());
        assert_eq!(PassphraseKeyStore::new("pw").unwrap_key(&wrapped), Err(KeyStoreError::WrongKey));
    }

    #[test]
    fn absurd_stored_cost_is_refused_before_any_work() {
        let key = SecretBytes::new(vec![7u8; KEY_LEN]);
        let mut wrapped = PassphraseKeyStore::with_params("pw", CHEAP).wrap_key(&key).unwrap();
        wrapped[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(PassphraseKeyStore::new("pw").unwrap_key(&wrapped), Err(KeyStoreError::Malformed(_))));
    }

    #[test]
    fn debug_does_not_show_the_passphrase() {
        let shown = format!("{:?}", PassphraseKeyStore::new("correct horse battery"));
        assert!(!shown.contains("horse"), "{shown}");
    }

    #[test]
    fn a_key_wrapped_by_another_kind_of_key_store_is_the_wrong_key() {
        let platform_wrapped = vec![0xA5u8; 60];
        assert_eq!(PassphraseKeyStore::new("pw").unwrap_key(&platform_wrapped), Err(KeyStoreError::WrongKey));
    }
}
