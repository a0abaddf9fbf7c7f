//! The device's ES256 key pair, which signs push answers and device proofs, behind a small
//! trait so the platform can hold it instead (Secure Enclave, Android Keystore: the private
//! key never leaves the chip).
//!
//! [`DeviceKeyStore`] works on bytes and strings only, so a UniFFI foreign trait can
//! implement it as is. [`SoftwareDeviceKey`] is the default: a key made with
//! [`SigningKey::generate`], its PKCS#8 sealed in the vault's device state (`push.key`),
//! unsealed once and kept in memory for the life of the client.

use std::sync::{Arc, Mutex, PoisonError};

use super::error::ClientError;
use super::state;
use crate::protocol::signed::SigningKey;
use crate::secret::SecretBytes;
use crate::vault::Vault;

#[derive(Debug, thiserror::Error)]
pub enum DeviceKeyError {
    /// No key yet (or it was deleted): the device must register again.
    #[error("there is no device key")]
    Missing,
    #[error("the device key store failed: {0}")]
    Failed(String),
}

impl From<DeviceKeyError> for ClientError {
    fn from(e: DeviceKeyError) -> Self {
        match e {
            DeviceKeyError::Missing => ClientError::UnknownDevice,
            DeviceKeyError::Failed(m) => ClientError::DeviceKey(m),
        }
    }
}

/// Where the device's private key lives. Implementations must be quick: `sign` runs on the
/// core runtime while the user waits on "Approve" (no prompts inside it).
pub trait DeviceKeyStore: Send + Sync {
    /// Makes a new P-256 key pair, replacing any old one; returns its public key as an
    /// uncompressed point (65 bytes), base64url without padding.
    fn generate(&self) -> Result<String, DeviceKeyError>;
    /// The current public key, in the same form, if there is a key.
    fn public_key(&self) -> Result<Option<String>, DeviceKeyError>;
    /// The ES256 signature of `message` (SHA-256, ECDSA P-256) in the fixed r ‖ s form.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, DeviceKeyError>;
    fn delete(&self) -> Result<(), DeviceKeyError>;
}

/// The device key in software, sealed in the vault.
pub struct SoftwareDeviceKey {
    vault: Arc<Mutex<Vault>>,
    cached: Mutex<Option<Arc<SigningKey>>>,
}

impl std::fmt::Debug for SoftwareDeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoftwareDeviceKey").finish_non_exhaustive()
    }
}

impl SoftwareDeviceKey {
    pub fn new(vault: Arc<Mutex<Vault>>) -> Self {
        Self { vault, cached: Mutex::new(None) }
    }

    fn key(&self) -> Result<Arc<SigningKey>, DeviceKeyError> {
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = cached.as_ref() {
            return Ok(key.clone());
        }
        let pkcs8 = self
            .vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .state(state::PUSH_KEY)
            .map_err(|e| DeviceKeyError::Failed(e.to_string()))?
            .ok_or(DeviceKeyError::Missing)?;
        let key = Arc::new(SigningKey::from_pkcs8(&pkcs8).map_err(|e| DeviceKeyError::Failed(e.to_string()))?);
        *cached = Some(key.clone());
        Ok(key)
    }
}

impl DeviceKeyStore for SoftwareDeviceKey {
    fn generate(&self) -> Result<String, DeviceKeyError> {
        let key = SigningKey::generate();
        self.vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .put_state(state::PUSH_KEY, &SecretBytes::from_slice(key.pkcs8().expose()))
            .map_err(|e| DeviceKeyError::Failed(e.to_string()))?;
        let public = key.public_key_b64();
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(key));
        Ok(public)
    }

    fn public_key(&self) -> Result<Option<String>, DeviceKeyError> {
        match self.key() {
            Ok(key) => Ok(Some(key.public_key_b64())),
            Err(DeviceKeyError::Missing) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, DeviceKeyError> {
        Ok(self.key()?.sign_bytes(message))
    }

    fn delete(&self) -> Result<(), DeviceKeyError> {
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .delete_state(state::PUSH_KEY)
            .map_err(|e| DeviceKeyError::Failed(e.to_string()))?;
        Ok(())
    }
}
