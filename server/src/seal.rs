//! Secrets at rest: TOTP seeds and the server's signing key are stored sealed with
//! AES-256-GCM (ring) under a 256-bit server key that is kept outside the database, in a key
//! file beside it (`server.db.key` by default, [`crate::ServerConfig::key_path`]).
//!
//! A copy of `server.db` alone therefore holds no usable seed or signing key (passwords are
//! Argon2id, tokens and attempt ids SHA-256, SMS/voice codes SHA-256). Each sealed value is
//! `nonce (12 bytes) ‖ ciphertext ‖ tag`, with a fresh random nonce, and is bound to its place
//! by the associated data (the method id for a seed, `server_key` for the key): a sealed seed
//! copied to another method does not open.
//!
//! Files are created owner-only (0600): the key file here, the database and its WAL/SHM in
//! [`crate::db`]. The key file is made on the first start; a database that already holds
//! sealed secrets refuses to start without it rather than make a new key that opens nothing.

use std::io::{Read, Write};
use std::path::Path;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use twostep_core::secret::SecretBytes;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Bytes of the server key.
pub const KEY_LEN: usize = 32;

/// The server key, ready to seal and open.
pub struct Sealer {
    key: LessSafeKey,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").finish_non_exhaustive()
    }
}

/// Makes `path` readable and writable by its owner only, when it exists.
pub fn owner_only(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            }
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Creates `path` empty with mode 0600, failing if it exists.
pub fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl Sealer {
    /// Reads the key file at `path`, or creates it (0600) when it is missing and
    /// `may_create` (the database holds nothing sealed yet).
    pub fn load_or_create(path: &Path, may_create: bool) -> std::result::Result<Self, String> {
        let mut bytes = Zeroizing::new(Vec::new());
        match std::fs::File::open(path) {
            Ok(mut f) => {
                f.read_to_end(&mut bytes).map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
                owner_only(path).map_err(|e| format!("cannot make {} owner-only: {e}", path.display()))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !may_create {
                    return Err(format!(
                        "the database holds secrets sealed under the key file {}, which is missing; \
                         restore it (a new key would open nothing)",
                        path.display()
                    ));
                }
                bytes.resize(KEY_LEN, 0);
                SystemRandom::new().fill(&mut bytes).map_err(|_| "the random source failed".to_owned())?;
                let mut f = create_owner_only(path)
                    .map_err(|e| format!("cannot create the key file {}: {e}", path.display()))?;
                f.write_all(&bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| format!("cannot write the key file {}: {e}", path.display()))?;
            }
            Err(e) => return Err(format!("cannot open the key file {}: {e}", path.display())),
        }
        if bytes.len() != KEY_LEN {
            return Err(format!("the key file {} is not a server key ({KEY_LEN} bytes expected)", path.display()));
        }
        let key = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| "the server key is unusable".to_owned())?;
        Ok(Self { key: LessSafeKey::new(key) })
    }

    /// Seals `plain`, bound to `place`.
    pub fn seal(&self, place: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).map_err(|_| Error::Internal("random source failed".into()))?;
        let mut buf = plain.to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(place.as_bytes()), &mut buf)
            .map_err(|_| Error::Internal("sealing failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        buf.iter_mut().for_each(|b| *b = 0);
        Ok(out)
    }

    /// Opens what [`Self::seal`] sealed for `place`.
    pub fn open(&self, place: &str, sealed: &[u8]) -> Result<SecretBytes> {
        if sealed.len() < NONCE_LEN {
            return Err(Error::Internal(format!("a sealed value of {place} is truncated")));
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| Error::Internal("bad nonce".into()))?;
        let mut buf = Zeroizing::new(rest.to_vec());
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(place.as_bytes()), &mut buf)
            .map_err(|_| Error::Internal(format!("a sealed value of {place} does not open with the server key")))?;
        Ok(SecretBytes::from_slice(plain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_in_its_place_and_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let sealer = Sealer::load_or_create(&path, true).unwrap();
        let sealed = sealer.seal("m1", b"seed bytes").unwrap();
        assert!(!sealed.windows(10).any(|w| w == b"seed bytes"));
        assert_eq!(sealer.open("m1", &sealed).unwrap().expose(), b"seed bytes");
        assert!(sealer.open("m2", &sealed).is_err());
        let again = Sealer::load_or_create(&path, false).unwrap();
        assert_eq!(again.open("m1", &sealed).unwrap().expose(), b"seed bytes");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(Sealer::load_or_create(&dir.path().join("missing"), false).is_err());
    }
}
