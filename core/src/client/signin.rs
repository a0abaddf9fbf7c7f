//! Signing in as the app (or browser) sees it: password, then — unless this device is
//! trusted — a code from the primary method, "Didn't receive the code?" to the backup, or a
//! push approved on a registered phone while this screen polls.
//!
//! Owns the calls of the sign-in endpoints, remembering which email an attempt belongs to,
//! storing the session (sealed) and, when the user chose "Don't ask for codes on this
//! device", the trust token. What happens to trust on each answer is [`super::trust`]'s rule.
//! Also here: `create_login` (demos and tests) and the dev outbox (the SMS/voice messages a
//! reference server in dev mode "sent").

use super::error::{ClientError, Result};
use super::state::{self, SessionRecord};
use super::trust::reason_after_sign_in;
use super::{Client, Inner};
use crate::protocol::endpoints::{
    AttemptStatus, CodeRequired, CodeSent, CreateLogin, LoginCreated, Outbox, PushStarted, SendCode, SignIn,
    SignInResponse, SignedIn, StartPush, VerifyCode,
};
use crate::protocol::paths;
use crate::protocol::{MethodSummary, Role, TrustLoss};
use crate::secret::SecretString;

/// Longest code accepted from the user, in characters.
pub const MAX_CODE_LEN: usize = 10;

/// What the password step led to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SignInOutcome {
    /// This device is trusted: no code asked.
    SignedIn(#[cfg_attr(feature = "uniffi", uniffi(name = "info"))] SignedInInfo),
    /// Two-step verification is not on yet; the session may only enroll.
    EnrollmentRequired { login_id: String },
    /// A second step is needed.
    CodeRequired(#[cfg_attr(feature = "uniffi", uniffi(name = "challenge"))] CodeChallenge),
}

/// A signed-in session as the app shows it (the session token itself stays inside).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SignedInInfo {
    pub login_id: String,
    pub email: String,
    /// True when no code was asked (a trusted device).
    pub without_code: bool,
    /// True when this device is trusted now ("Don't ask for codes" was granted or held).
    pub trusted: bool,
    pub trust_expires_at: Option<u64>,
}

/// The second step: where codes go and why the device is asked at all.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CodeChallenge {
    pub attempt_id: String,
    pub primary: MethodSummary,
    /// Where "Didn't receive the code?" sends it.
    pub backup: MethodSummary,
    /// A registered phone can approve instead.
    pub push_available: bool,
    /// Why this device is asked for a code although it had trust.
    pub trust_lost: Option<TrustLoss>,
    /// The words for `trust_lost` ([`TrustLoss::message`]), shown as is.
    pub trust_lost_message: Option<String>,
    /// Unix seconds.
    pub expires_at: u64,
}

impl CodeChallenge {
    /// The words for [`CodeChallenge::trust_lost`], shown as is.
    pub fn trust_lost_message(&self) -> Option<&'static str> {
        self.trust_lost.map(TrustLoss::message)
    }
}

/// A sign-in attempt seen from the screen that waits for a push.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AttemptOutcome {
    Pending,
    SignedIn(#[cfg_attr(feature = "uniffi", uniffi(name = "info"))] SignedInInfo),
    /// The phone denied it (or reported "this wasn't me", or a wrong number was typed).
    Denied,
    Expired,
}

/// The session as the app may know it: who is signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionInfo {
    pub login_id: String,
    pub email: String,
    /// Two-step verification must be enabled before anything else.
    pub enrollment_only: bool,
}

impl Client {
    /// Creates a login with a password (reference server; demos and tests).
    pub async fn create_login(&self, email: &str, password: &str) -> Result<String> {
        check_email(email)?;
        check_password(password)?;
        let (email, password) = (email.to_owned(), SecretString::from(password));
        self.call(move |i| async move {
            let body = CreateLogin { email, password };
            let created: LoginCreated = i.http.post(paths::LOGINS, None, &body).await?;
            Ok(created.login_id)
        })
        .await
    }

    /// The password step. Presents this device's trust token when it holds one for `email`.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignInOutcome> {
        check_email(email)?;
        check_password(password)?;
        let (email, password) = (email.trim().to_owned(), SecretString::from(password));
        self.call(move |i| async move { i.sign_in(email, password).await }).await
    }

    /// Sends a code to `to`; `Role::Backup` is "Didn't receive the code?".
    pub async fn send_code(&self, attempt_id: &str, to: Role) -> Result<CodeSent> {
        let path = paths::fill(paths::ATTEMPT_SEND, attempt_id);
        self.call(move |i| async move { i.http.post(&path, None, &SendCode { to }).await }).await
    }

    /// The code step; `remember_device` is "Don't ask for codes on this device".
    pub async fn verify_code(&self, attempt_id: &str, code: &str, remember_device: bool) -> Result<SignedInInfo> {
        let code = check_code(code)?;
        let attempt_id = attempt_id.to_owned();
        self.call(move |i| async move {
            let path = paths::fill(paths::ATTEMPT_VERIFY, &attempt_id);
            let body = VerifyCode { code, remember_device };
            let signed: SignedIn = i.http.post(&path, None, &body).await?;
            i.finish_sign_in(&attempt_id, signed)
        })
        .await
    }

    /// Asks the registered phone to approve; returns the number to show on this screen.
    pub async fn start_push(&self, attempt_id: &str, remember_device: bool) -> Result<PushStarted> {
        let path = paths::fill(paths::ATTEMPT_PUSH, attempt_id);
        self.call(move |i| async move { i.http.post(&path, None, &StartPush { remember_device }).await }).await
    }

    /// Where a push-approved attempt stands; on approval the session is stored.
    pub async fn poll_attempt(&self, attempt_id: &str) -> Result<AttemptOutcome> {
        let attempt_id = attempt_id.to_owned();
        self.call(move |i| async move {
            let status: AttemptStatus = i.http.get(&paths::fill(paths::ATTEMPT, &attempt_id), None).await?;
            Ok(match status {
                AttemptStatus::Pending => AttemptOutcome::Pending,
                AttemptStatus::SignedIn(s) => AttemptOutcome::SignedIn(i.finish_sign_in(&attempt_id, s)?),
                AttemptStatus::Denied => AttemptOutcome::Denied,
                AttemptStatus::Expired => AttemptOutcome::Expired,
            })
        })
        .await
    }

    /// Who is signed in on this device, if anyone. Offline.
    pub fn session(&self) -> Result<Option<SessionInfo>> {
        let record: Option<SessionRecord> = state::load(&self.inner.vault(), state::SESSION)?;
        Ok(record.map(|r| SessionInfo { login_id: r.login_id, email: r.email, enrollment_only: r.enrollment_only }))
    }

    /// The SMS and voice messages a dev-mode reference server "sent" to `email`'s numbers.
    pub async fn dev_outbox(&self, email: &str) -> Result<Outbox> {
        let path = paths::dev_outbox(email);
        self.call(move |i| async move { i.http.get(&path, None).await }).await
    }
}

impl Inner {
    async fn sign_in(&self, email: String, password: SecretString) -> Result<SignInOutcome> {
        let (token, local) = self.trust_for_sign_in(&email)?;
        let presented = token.is_some();
        let body =
            SignIn { email: email.clone(), password, client: self.identity.info(&self.device_id), trust_token: token };
        let response: SignInResponse = self.http.post(paths::SIGN_IN, None, &body).await?;
        match response {
            SignInResponse::SignedIn(signed) => Ok(SignInOutcome::SignedIn(self.store_session(&email, signed, true)?)),
            SignInResponse::EnrollmentRequired { session, login_id } => {
                let record = SessionRecord { login_id: login_id.clone(), email, session, enrollment_only: true };
                state::save(&mut self.vault(), state::SESSION, &record)?;
                Ok(SignInOutcome::EnrollmentRequired { login_id })
            }
            SignInResponse::CodeRequired(required) => {
                let CodeRequired { attempt_id, primary, backup, push_available, trust_lost, expires_at } = required;
                let reason = reason_after_sign_in(presented, trust_lost, local);
                if presented {
                    // The server did not take the token: it is dead whatever the reason.
                    self.lose_trust(reason.unwrap_or(TrustLoss::InvalidToken))?;
                }
                self.attempts().insert(attempt_id.clone(), email);
                Ok(SignInOutcome::CodeRequired(CodeChallenge {
                    attempt_id,
                    primary,
                    backup,
                    push_available,
                    trust_lost: reason,
                    trust_lost_message: reason.map(|r| r.message().to_owned()),
                    expires_at,
                }))
            }
        }
    }

    /// A sign-in completed by a code or a push: the email is the one its attempt started with.
    fn finish_sign_in(&self, attempt_id: &str, signed: SignedIn) -> Result<SignedInInfo> {
        let email = self.attempts().remove(attempt_id).unwrap_or_default();
        self.store_session(&email, signed, false)
    }

    /// Keeps the session (sealed) and any trust token of a completed sign-in.
    fn store_session(&self, email: &str, signed: SignedIn, without_code: bool) -> Result<SignedInInfo> {
        self.keep_trust(email, &signed)?;
        let record = SessionRecord {
            login_id: signed.login_id.clone(),
            email: email.to_owned(),
            session: signed.session,
            enrollment_only: false,
        };
        state::save(&mut self.vault(), state::SESSION, &record)?;
        let trust = self.trust_status()?;
        Ok(SignedInInfo {
            login_id: signed.login_id,
            email: email.to_owned(),
            without_code,
            trusted: trust.trusted,
            trust_expires_at: trust.expires_at,
        })
    }

    /// The stored session, or [`ClientError::NotSignedIn`].
    pub(crate) fn session(&self) -> Result<SessionRecord> {
        state::load(&self.vault(), state::SESSION)?.ok_or(ClientError::NotSignedIn)
    }

    fn attempts(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, String>> {
        self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn check_email(email: &str) -> Result<()> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') || email.len() > 254 || email.chars().any(char::is_control) {
        return Err(ClientError::invalid("email", "is not an email address"));
    }
    Ok(())
}

fn check_password(password: &str) -> Result<()> {
    if password.is_empty() {
        return Err(ClientError::invalid("password", "must not be empty"));
    }
    Ok(())
}

/// A code as typed: spaces (from grouped display, "123 456") removed; digits only.
pub fn check_code(code: &str) -> Result<SecretString> {
    let code = crate::otp::display::ungroup(code);
    let digits = code.expose();
    if digits.is_empty() || digits.len() > MAX_CODE_LEN || !digits.bytes().all(|b| b.is_ascii_digit()) {
        // The code itself is never quoted.
        return Err(ClientError::invalid("code", format!("must be 1 to {MAX_CODE_LEN} digits")));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grouped_code_is_accepted_as_typed() {
        assert_eq!(check_code("123 456").unwrap().expose(), "123456");
        assert_eq!(check_code(" 12345678 ").unwrap().expose(), "12345678");
    }

    #[test]
    fn a_code_with_letters_is_refused_without_being_quoted() {
        let err = check_code("12a456").unwrap_err();
        assert!(matches!(err, ClientError::InvalidInput { field: "code", .. }));
        assert!(!err.to_string().contains("12a456"));
        assert!(check_code("").is_err());
        assert!(check_code("12345678901").is_err());
    }

    #[test]
    fn an_email_needs_an_at_sign() {
        assert!(check_email("ada@example.com").is_ok());
        assert!(matches!(check_email("ada"), Err(ClientError::InvalidInput { field: "email", .. })));
    }
}
