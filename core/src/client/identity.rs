//! Who this client is, as the trust rules and the push screen see it: [`ClientIdentity`]
//! (given by the shell: app or browser, version, user agent, platform) plus the device id,
//! random per installation and kept in the vault, so clearing the app's data makes a new
//! installation.
//!
//! Owns validating the identity and creating the device id once. Does not own what the
//! server does with them (binding trust tokens to them).

use ring::rand::{SecureRandom, SystemRandom};

use super::error::{ClientError, Result};
use super::state;
use crate::protocol::{ClientInfo, ClientKind};
use crate::secret::SecretBytes;
use crate::vault::Vault;

/// Longest accepted identity field, in bytes.
pub const MAX_FIELD_BYTES: usize = 256;

/// The app (or browser) this client runs in. The shell fills it from its platform.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClientIdentity {
    pub kind: ClientKind,
    /// The app's or browser's version: trust ends when it changes.
    pub app_version: String,
    /// What a push request shows about this client, e.g. "Seller app 4.2 on Android 15".
    pub user_agent: String,
    /// Registered with push: "android", "ios", "desktop"…
    pub platform: String,
}

impl ClientIdentity {
    pub fn app(app_version: impl Into<String>, user_agent: impl Into<String>, platform: impl Into<String>) -> Self {
        Self {
            kind: ClientKind::App,
            app_version: app_version.into(),
            user_agent: user_agent.into(),
            platform: platform.into(),
        }
    }

    pub fn browser(version: impl Into<String>, user_agent: impl Into<String>) -> Self {
        Self {
            kind: ClientKind::Browser,
            app_version: version.into(),
            user_agent: user_agent.into(),
            platform: "web".into(),
        }
    }

    pub fn validate(&self) -> Result<()> {
        for (field, value) in
            [("app_version", &self.app_version), ("user_agent", &self.user_agent), ("platform", &self.platform)]
        {
            if value.trim().is_empty() {
                return Err(ClientError::invalid(field, "must not be empty"));
            }
            if value.len() > MAX_FIELD_BYTES {
                return Err(ClientError::invalid(field, format!("is longer than {MAX_FIELD_BYTES} bytes")));
            }
            if value.chars().any(char::is_control) {
                return Err(ClientError::invalid(field, "contains control characters"));
            }
        }
        Ok(())
    }

    /// The wire form, with this installation's device id.
    pub fn info(&self, device_id: &str) -> ClientInfo {
        ClientInfo {
            device_id: device_id.to_owned(),
            kind: self.kind,
            app_version: self.app_version.clone(),
            user_agent: self.user_agent.clone(),
        }
    }
}

/// This installation's device id: read from the vault, or made and stored on first use.
/// Returns the id and whether it was just made.
pub(crate) fn device_id(vault: &mut Vault) -> Result<(String, bool)> {
    if let Some(bytes) = vault.state(state::DEVICE_ID)? {
        let id = String::from_utf8(bytes.expose().to_vec())
            .map_err(|_| crate::vault::VaultError::Damaged("device state client.device_id is not text".into()))?;
        return Ok((id, false));
    }
    let id = random_hex(16)?;
    vault.put_state(state::DEVICE_ID, &SecretBytes::from_slice(id.as_bytes()))?;
    Ok((id, true))
}

/// `n` random bytes from the operating system, as lowercase hex.
pub(crate) fn random_hex(n: usize) -> Result<String> {
    Ok(random_bytes(n)?.iter().map(|b| format!("{b:02x}")).collect())
}

pub(crate) fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| ClientError::Internal("the operating system's random source failed".into()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_needs_every_field() {
        assert!(ClientIdentity::app("1.0", "Seller app", "android").validate().is_ok());
        let err = ClientIdentity::app("", "Seller app", "android").validate().unwrap_err();
        assert!(matches!(err, ClientError::InvalidInput { field: "app_version", .. }));
        let err = ClientIdentity::app("1.0", "a\nb", "android").validate().unwrap_err();
        assert!(matches!(err, ClientError::InvalidInput { field: "user_agent", .. }));
    }

    #[test]
    fn random_ids_are_hex_and_differ() {
        let a = random_hex(16).unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, random_hex(16).unwrap());
    }
}
