//! The key store the app provides: a foreign trait implemented in Kotlin (Android Keystore)
//! or Swift (Keychain / Secure Enclave), and its adapter to core's key store.
//!
//! Owns the trait's shape, its error ([`KeyStoreFailure`]) and the conversion both ways.
//! What a wrapped key looks like is the platform's business; checking that an unwrapped key
//! is the right one is the vault's (core's canary).

use std::sync::Arc;

use twostep_core::secret::SecretBytes;
use twostep_core::vault::{KeyStore as CoreKeyStore, KeyStoreError};

/// Wraps and unwraps the vault's 256-bit data key with a key the platform keeps.
///
/// `wrap_key` receives the raw data key once, when a vault is created; `unwrap_key` returns
/// it at every open. Implementations must not log, persist or keep either: the vault stores
/// only the wrapped bytes.
#[uniffi::export(foreign)]
pub trait KeyStore: Send + Sync {
    /// Encrypts `key` with the platform's key and returns the opaque wrapped form.
    fn wrap_key(&self, key: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Decrypts what `wrap_key` returned. Throw `WrongKey` when the bytes were wrapped by
    /// another key (authentication fails), `Invalidated` when the platform destroyed its key
    /// for good, `Unavailable` when the platform cannot try now.
    fn unwrap_key(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure>;
}

/// Why a platform key store could not wrap or unwrap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KeyStoreFailure {
    /// The wrapped key was not made by this key store's key.
    #[error("the key does not match")]
    WrongKey,
    /// The key store cannot work now (device locked, hardware busy); a retry can work.
    #[error("the key store is unavailable: {reason}")]
    Unavailable { reason: String },
    /// The platform destroyed its key for good (Android's `KeyPermanentlyInvalidatedException`
    /// after the lock screen was removed or biometrics re-enrolled; a Keychain item gone with
    /// its access control): no retry opens the vault.
    #[error("the key store's key was invalidated: {reason}")]
    Invalidated { reason: String },
}

/// An exception the implementation did not declare (a bug or an unexpected platform error)
/// is treated as "unavailable": the vault is left untouched and the app can retry. Only the
/// first line is kept (Kotlin sends a whole stack trace), so the reason reads as one message.
impl From<uniffi::UnexpectedUniFFICallbackError> for KeyStoreFailure {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        let reason = e.reason.lines().next().unwrap_or_default().trim().to_owned();
        KeyStoreFailure::Unavailable { reason }
    }
}

impl From<KeyStoreFailure> for KeyStoreError {
    fn from(e: KeyStoreFailure) -> Self {
        match e {
            KeyStoreFailure::WrongKey => KeyStoreError::WrongKey,
            KeyStoreFailure::Unavailable { reason } => KeyStoreError::Unavailable(reason),
            KeyStoreFailure::Invalidated { reason } => KeyStoreError::Invalidated(reason),
        }
    }
}

/// Core's view of a foreign key store.
pub(crate) struct ForeignKeyStore(pub(crate) Arc<dyn KeyStore>);

impl CoreKeyStore for ForeignKeyStore {
    fn wrap_key(&self, key: &SecretBytes) -> Result<Vec<u8>, KeyStoreError> {
        // The platform has to see the raw key to wrap it; this copy is handed over and freed
        // by the generated code.
        Ok(self.0.wrap_key(key.expose().to_vec())?)
    }

    fn unwrap_key(&self, wrapped: &[u8]) -> Result<SecretBytes, KeyStoreError> {
        // Into the zeroizing type at once, without another copy.
        Ok(SecretBytes::new(self.0.unwrap_key(wrapped.to_vec())?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_wrong_key_is_core_wrong_key() {
        assert_eq!(KeyStoreError::from(KeyStoreFailure::WrongKey), KeyStoreError::WrongKey);
    }

    #[test]
    fn an_undeclared_foreign_exception_is_unavailable_not_wrong_key() {
        let trace = "java.lang.IllegalStateException: no key\n\tat Store.unwrapKey(Store.kt:3)\n";
        let f = KeyStoreFailure::from(uniffi::UnexpectedUniFFICallbackError::new(trace));
        assert_eq!(f, KeyStoreFailure::Unavailable { reason: "java.lang.IllegalStateException: no key".into() });
    }
}
