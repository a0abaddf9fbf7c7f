//! The backup's cryptography: Argon2id from the password to 64 bytes, split into the
//! AES-256-GCM key of the body and a password check; sealing and opening the body with the
//! whole header as associated data.
//!
//! Owns the keys in memory (zeroized on drop). Knows nothing of the layout beyond the header
//! bytes it is given.

use argon2::{Algorithm, Argon2, Params, Version};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};

use super::BackupError;
use super::format::{CHECK_LEN, NONCE_LEN, TAG_LEN, check_kdf};
use crate::secret::SecretBytes;
use crate::vault::KdfParams;

const CHECK_DOMAIN: &[u8] = b"twostep/backup/v1/password-check";

/// The keys derived from one password and salt.
pub struct Keys {
    body: LessSafeKey,
    check: [u8; CHECK_LEN],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

impl Keys {
    /// Argon2id(password, salt, cost) → 64 bytes: the first 32 are the body key; the last 32,
    /// hashed with a domain label and cut to 16 bytes, are the password check stored in the
    /// header. The check tells a wrong password from a damaged body before the body is
    /// opened; it lets no one test a password faster than the body's tag already does.
    pub fn derive(password: &str, salt: &[u8], kdf: &KdfParams) -> Result<Keys, BackupError> {
        check_kdf(kdf)?;
        let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(64))
            .map_err(|e| BackupError::KdfRefused(format!("Argon2id parameters: {e}")))?;
        let mut out = SecretBytes::new(vec![0u8; 64]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(password.as_bytes(), salt, out.expose_mut())
            .map_err(|e| BackupError::KdfRefused(format!("Argon2id: {e}")))?;
        let body = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &out.expose()[..32]).expect("32-byte key"));
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(CHECK_DOMAIN);
        ctx.update(&out.expose()[32..]);
        let check = ctx.finish().as_ref()[..CHECK_LEN].try_into().expect("SHA-256 is longer than 16 bytes");
        Ok(Keys { body, check })
    }

    pub fn check(&self) -> [u8; CHECK_LEN] {
        self.check
    }

    /// True when `stored` is this password's check (compared in constant time).
    pub fn matches(&self, stored: &[u8]) -> bool {
        crate::secret::ct_eq(&self.check, stored)
    }

    /// Encrypts `buf[from..]` in place and appends the tag; the header bytes are the
    /// associated data. `buf` must have room for the tag (no reallocation).
    pub fn seal_in_place(&self, nonce: [u8; NONCE_LEN], header: &[u8], buf: &mut Vec<u8>, from: usize) {
        debug_assert!(buf.capacity() - buf.len() >= TAG_LEN);
        let tag = self
            .body
            .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(header), &mut buf[from..])
            .expect("AES-GCM sealing fails only past 64 GiB");
        buf.extend_from_slice(tag.as_ref());
    }

    /// Decrypts a body (ciphertext and tag) into a zeroizing buffer.
    pub fn open(&self, nonce: [u8; NONCE_LEN], header: &[u8], body: &[u8]) -> Result<SecretBytes, BackupError> {
        let mut buf = SecretBytes::from_slice(body);
        let len = self
            .body
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(header), buf.expose_mut())
            .map_err(|_| {
                BackupError::Damaged("the encrypted entries fail authentication (changed after writing)".into())
            })?
            .len();
        // Drop the tag from the plaintext view; the zeroizing buffer keeps its capacity.
        let v = buf.expose_mut();
        for b in &mut v[len..] {
            *b = 0;
        }
        v.truncate(len);
        Ok(buf)
    }
}
