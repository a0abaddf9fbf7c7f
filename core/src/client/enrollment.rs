//! Turning two-step verification on, and changing methods later, from the app.
//!
//! Owns the enrollment calls and what the app does with their answer: when a method is the
//! authenticator app, the server's `otpauth://` URI is parsed with core's strict parser and
//! added to the vault at once, so the code the user confirms with comes from the very seed
//! that was stored. Also the codes of vault entries at the *corrected* time, which is what
//! the server checks them against.
//!
//! Choosing methods again before confirming (a second tap on "Enable", a change started
//! twice) makes the server replace the pending seed: the entry the first try added can then
//! never make a valid code, so it is removed when the new one is added (the state record
//! `client.enrollment_entry` remembers which entry is the unconfirmed one). Does not own the
//! method rules (primary/backup table,
//! different numbers): the server applies them and reports `rule_violation` with the rule.

use super::error::{ClientError, Result};
use super::signin::check_code;
use super::state::{self, SessionRecord};
use super::{Client, Inner};
use crate::clock::Clock;
use crate::otp::uri;
use crate::protocol::endpoints::{
    ChangeMethods, CodeSent, Enroll, EnrollmentStarted, EnrollmentStatus, SendCode, VerifyMethod,
};
use crate::protocol::paths;
use crate::protocol::{MethodChoice, Role};
use crate::secret::SecretBytes;
use crate::vault::{Entry, VaultError};

/// Where an enrollment (or a change of methods) stands.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Enrollment {
    /// When one of the methods is the authenticator app: the vault entry now holding its seed
    /// (the seed itself stays in the vault). Its code confirms the method.
    pub authenticator_entry: Option<Entry>,
    /// Methods that still need a code.
    pub pending: Vec<Role>,
}

impl Client {
    /// Chooses the primary and backup methods. For an authenticator app the seed is added to
    /// the vault before this returns; SMS and voice codes go out as the server sends them.
    pub async fn enroll(&self, primary: MethodChoice, backup: MethodChoice) -> Result<Enrollment> {
        self.call(move |i| async move {
            let session = i.session()?;
            let started: EnrollmentStarted =
                i.http.post(paths::ENROLLMENT, Some(&session.session), &Enroll { primary, backup }).await?;
            i.store_authenticator(started, &session)
        })
        .await
    }

    /// Confirms one method with a code it received (or, for the app, made).
    pub async fn verify_method(&self, role: Role, code: &str) -> Result<EnrollmentStatus> {
        let code = check_code(code)?;
        self.call(move |i| async move {
            let mut session = i.session()?;
            let body = VerifyMethod { role, code };
            let status: EnrollmentStatus = i.http.post(paths::ENROLLMENT_VERIFY, Some(&session.session), &body).await?;
            if status.enabled {
                let mut v = i.vault();
                // The pair is on: its seed is the one to keep.
                v.delete_state(state::ENROLLMENT_ENTRY)?;
                if session.enrollment_only {
                    session.enrollment_only = false;
                    state::save(&mut v, state::SESSION, &session)?;
                }
            }
            Ok(status)
        })
        .await
    }

    /// Sends a code to one of the current SMS/voice methods: the proof that
    /// [`Client::change_methods`] needs (the authenticator app makes its own code).
    pub async fn send_method_code(&self, to: Role) -> Result<CodeSent> {
        self.call(move |i| async move {
            let session = i.session()?;
            i.http.post(paths::METHODS_SEND, Some(&session.session), &SendCode { to }).await
        })
        .await
    }

    /// Replaces both methods; needs a fresh code from one of the current ones. With neither
    /// at hand the user goes to account recovery (outside this client).
    pub async fn change_methods(
        &self,
        proof_role: Role,
        proof_code: &str,
        primary: MethodChoice,
        backup: MethodChoice,
    ) -> Result<Enrollment> {
        let proof_code = check_code(proof_code)?;
        self.call(move |i| async move {
            let session = i.session()?;
            let body = ChangeMethods { proof_role, proof_code, primary, backup };
            let started: EnrollmentStarted = i.http.post(paths::METHODS_CHANGE, Some(&session.session), &body).await?;
            i.store_authenticator(started, &session)
        })
        .await
    }

    /// The current code of a vault entry at the corrected time (what the server expects,
    /// even when the phone's clock is off). HOTP entries advance their counter.
    pub fn code(&self, entry_id: &str) -> Result<String> {
        let now = self.inner.clock.now_unix_seconds();
        Ok(self.inner.vault().code(entry_id, now)?)
    }
}

impl Inner {
    fn store_authenticator(&self, started: EnrollmentStarted, session: &SessionRecord) -> Result<Enrollment> {
        let EnrollmentStarted { authenticator_uri, pending } = started;
        let authenticator_entry = match authenticator_uri {
            None => None,
            Some(raw) => {
                let mut credential = uri::parse(raw.expose()).map_err(|e| ClientError::UnexpectedResponse {
                    status: 200,
                    // UriError names the field and never quotes the URI.
                    reason: format!("the authenticator URI is not usable: {e}"),
                })?;
                if credential.account.is_empty() {
                    credential.account = session.email.clone();
                }
                let mut v = self.vault();
                if let Some(old) = v.state(state::ENROLLMENT_ENTRY)? {
                    // The server replaced that pending seed; its entry can never make a valid code.
                    let old = String::from_utf8_lossy(old.expose()).into_owned();
                    match v.remove(&old) {
                        Ok(_) | Err(VaultError::EntryNotFound(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                let entry = v.add(&credential)?;
                v.put_state(state::ENROLLMENT_ENTRY, &SecretBytes::from_slice(entry.id.as_bytes()))?;
                Some(entry)
            }
        };
        Ok(Enrollment { authenticator_entry, pending })
    }
}
