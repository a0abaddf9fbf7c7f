//! What the client keeps on the phone between runs, and in what form: the records it seals
//! into the vault's device state ([`Vault::put_state`]) and their keys. Bearer secrets (session
//! and trust tokens) travel in core's [`SecretString`].
//!
//! Each record is JSON sealed under the vault key with its key as associated data; field names
//! are stable (a snapshot test below pins them), since a phone updated to a new version must
//! read what the old one wrote. Does not own the rules about the records (trust, logout,
//! push); those modules do.
//!
//! | key | record | written by |
//! |---|---|---|
//! | `client.device_id` | the random id of this installation (UTF-8) | first `Client::new` |
//! | `client.session` | [`SessionRecord`] | sign-in, enrollment |
//! | `client.trust` | [`TrustRecord`] (the token of "Don't ask for codes") | verify with "remember" |
//! | `client.trust_expected` | [`TrustExpected`] (a token should be here) | with `client.trust` |
//! | `client.trust_lost` | [`TrustLost`] (last reason trust ended) | every loss |
//! | `client.pending_logouts` | [`PendingLogout`] list (logouts not yet delivered) | logout |
//! | `client.enrollment_entry` | vault entry id of a seed whose pair is not yet verified | enrollment |
//! | `push.key` | the device's ES256 private key, PKCS#8 | software device key |
//! | `push.registration` | [`PushRegistration`] (server device id, pinned server key) | registration |

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{ClientError, Result};
use crate::protocol::TrustLoss;
use crate::secret::{SecretBytes, SecretString};
use crate::vault::{Vault, VaultError};

pub const DEVICE_ID: &str = "client.device_id";
pub const SESSION: &str = "client.session";
pub const TRUST: &str = "client.trust";
pub const TRUST_EXPECTED: &str = "client.trust_expected";
pub const TRUST_LOST: &str = "client.trust_lost";
pub const PENDING_LOGOUTS: &str = "client.pending_logouts";
pub const ENROLLMENT_ENTRY: &str = "client.enrollment_entry";
pub const PUSH_KEY: &str = "push.key";
pub const PUSH_REGISTRATION: &str = "push.registration";
/// The server's signing key as first seen, base64url: kept across re-registrations, so a
/// server (or someone in its place) cannot swap the key by answering a registration.
pub const PUSH_PINNED_KEY: &str = "push.pinned_server_key";

/// The signed-in session of this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub login_id: String,
    pub email: String,
    pub session: SecretString,
    /// True for the session of a login that must enroll first (it may only enroll).
    #[serde(default)]
    pub enrollment_only: bool,
}

/// "Don't ask for codes on this device": the token and what it was issued to, so the core
/// can tell locally when it no longer applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustRecord {
    pub token: SecretString,
    pub login_id: String,
    pub email: String,
    /// The installation it was issued to ([`DEVICE_ID`]).
    pub device_id: String,
    /// The app version it was issued to: an update ends trust.
    pub app_version: String,
    pub issued_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

/// Written after a [`TrustRecord`] and removed after it: finding this without the token means
/// the token was removed by something other than the core (see `trust`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustExpected {
    pub email: String,
    pub issued_at: u64,
}

/// Why this device last stopped being trusted, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustLost {
    pub reason: TrustLoss,
    pub at: u64,
}

/// A logout the server has not heard of yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLogout {
    pub session: SecretString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_token: Option<SecretString>,
    pub queued_at: u64,
}

/// This device as the server's push service knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRegistration {
    /// The id the server gave at registration (not [`DEVICE_ID`]).
    pub device_id: String,
    /// Pinned: every challenge must verify with this key.
    pub server_public_key: String,
    pub login_id: String,
    pub registered_at: u64,
}

/// Reads and parses one record.
pub(crate) fn load<T: DeserializeOwned>(vault: &Vault, key: &str) -> Result<Option<T>> {
    let Some(bytes) = vault.state(key)? else { return Ok(None) };
    serde_json::from_slice(bytes.expose())
        .map(Some)
        // A record we wrote and cannot read is damage to report, never to paper over.
        .map_err(|e| {
            ClientError::Vault(VaultError::Damaged(format!("device state {key}: {}", super::error::json_error(&e))))
        })
}

/// Seals and stores one record.
pub(crate) fn save<T: Serialize>(vault: &mut Vault, key: &str, value: &T) -> Result<()> {
    let bytes = serde_json::to_vec(value).map_err(|e| ClientError::Internal(super::error::json_error(&e)))?;
    vault.put_state(key, &SecretBytes::new(bytes))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_never_shown() {
        let t = SecretString::new("tok-very-secret");
        assert_eq!(format!("{t:?}"), "SecretString(<redacted>)");
        let r = SessionRecord { login_id: "l".into(), email: "e".into(), session: t, enrollment_only: false };
        assert!(!format!("{r:?}").contains("very-secret"));
    }

    /// The stored forms, pinned: a change here breaks phones that stored the old one.
    #[test]
    fn record_formats_are_stable() {
        let trust = TrustRecord {
            token: SecretString::new("T"),
            login_id: "L".into(),
            email: "ada@example.com".into(),
            device_id: "D".into(),
            app_version: "1.2.0".into(),
            issued_at: 100,
            expires_at: Some(200),
        };
        assert_eq!(
            serde_json::to_string(&trust).unwrap(),
            r#"{"token":"T","login_id":"L","email":"ada@example.com","device_id":"D","app_version":"1.2.0","issued_at":100,"expires_at":200}"#
        );
        let session = SessionRecord {
            login_id: "L".into(),
            email: "e".into(),
            session: SecretString::new("S"),
            enrollment_only: true,
        };
        assert_eq!(
            serde_json::to_string(&session).unwrap(),
            r#"{"login_id":"L","email":"e","session":"S","enrollment_only":true}"#
        );
        let lost = TrustLost { reason: TrustLoss::LoggedOut, at: 5 };
        assert_eq!(serde_json::to_string(&lost).unwrap(), r#"{"reason":"logged_out","at":5}"#);
        let expected = TrustExpected { email: "e".into(), issued_at: 9 };
        assert_eq!(serde_json::to_string(&expected).unwrap(), r#"{"email":"e","issued_at":9}"#);
        let pending = vec![PendingLogout {
            session: SecretString::new("S"),
            trust_token: Some(SecretString::new("T")),
            queued_at: 7,
        }];
        assert_eq!(serde_json::to_string(&pending).unwrap(), r#"[{"session":"S","trust_token":"T","queued_at":7}]"#);
        let reg = PushRegistration {
            device_id: "dev".into(),
            server_public_key: "K".into(),
            login_id: "L".into(),
            registered_at: 3,
        };
        assert_eq!(
            serde_json::to_string(&reg).unwrap(),
            r#"{"device_id":"dev","server_public_key":"K","login_id":"L","registered_at":3}"#
        );
    }
}
