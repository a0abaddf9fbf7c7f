//! Request and response bodies, one pair per endpoint of the reference backend.
//!
//! | method & path | auth | request → response |
//! |---|---|---|
//! | `POST /v1/logins` | – | [`CreateLogin`] → [`LoginCreated`] |
//! | `POST /v1/signin` | – | [`SignIn`] → [`SignInResponse`] |
//! | `GET  /v1/signin/{attempt}` | – | → [`AttemptStatus`] (poll while a push is pending) |
//! | `POST /v1/signin/{attempt}/send` | – | [`SendCode`] → [`CodeSent`] ("Didn't receive the code?" = backup) |
//! | `POST /v1/signin/{attempt}/verify` | – | [`VerifyCode`] → [`SignedIn`] |
//! | `POST /v1/signin/{attempt}/push` | – | [`StartPush`] → [`PushStarted`] (the number for the sign-in screen) |
//! | `POST /v1/enrollment` | session | [`Enroll`] → [`EnrollmentStarted`] |
//! | `POST /v1/enrollment/verify` | session | [`VerifyMethod`] → [`EnrollmentStatus`] |
//! | `POST /v1/methods/change` | session | [`ChangeMethods`] → [`EnrollmentStarted`] |
//! | `POST /v1/methods/send` | session | [`SendCode`] → [`CodeSent`] (a code to a current SMS/voice method, the proof for a change) |
//! | `POST /v1/devices` | session | [`RegisterDevice`] → [`DeviceRegistered`] |
//! | `GET  /v1/devices` | full session | → [`Devices`] (the phones that approve sign-ins) |
//! | `DELETE /v1/devices/{device}` | full session | → [`DeviceRemoved`] (a lost phone stops approving) |
//! | `POST /v1/devices/{device}/challenges` | device signature | [`SignedEnvelope`] of [`DeviceProof`] → [`PendingChallenges`] |
//! | `POST /v1/challenges/{id}/answer` | device signature | [`SignedEnvelope`] of [`Answer`] → [`AnswerAccepted`] |
//! | `GET  /v1/methods` | session | → [`CurrentMethods`] (the login's primary and backup, masked) |
//! | `GET  /v1/trust` | session | → [`TrustSummary`] |
//! | `POST /v1/trust/require-codes` | session | → [`TrustSummary`] ("Require codes on all devices") |
//! | `GET  /v1/trust/devices` | full session | → [`TrustedDevices`] (what, where, last used) |
//! | `DELETE /v1/trust/devices/{trust}` | full session | → [`TrustRevoked`] (codes again on that one device) |
//! | `POST /v1/logout` | session | [`Logout`] → [`LoggedOut`] |
//! | `GET  /v1/time` | – | → [`ServerTime`] (for correcting a clock before any sign-in) |
//! | `GET  /v1/dev/outbox?email=` | dev mode only | → [`Outbox`] (the SMS/voice messages sent) |
//! | `POST /v1/dev/clock` | dev mode only | [`AdvanceClock`] → [`ServerTime`] (moves the server's clock forward) |
//!
//! "session" means `Authorization: Bearer <session token>`. Every response carries a `Date`
//! header, which clients use to correct their clock. Errors: [`super::ErrorBody`].
//!
//! [`SignedEnvelope`]: super::SignedEnvelope
//! [`DeviceProof`]: super::DeviceProof
//! [`Answer`]: super::Answer

use serde::{Deserialize, Serialize};

use super::{ClientInfo, ClientKind, MethodChoice, MethodKind, MethodSummary, Role, SignedEnvelope, TrustLoss};
use crate::secret::SecretString;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateLogin {
    pub email: String,
    pub password: SecretString,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginCreated {
    pub login_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: SecretString,
    pub client: ClientInfo,
    /// The token of "Don't ask for codes on this device", when this device holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_token: Option<SecretString>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignInResponse {
    /// Trusted device, correct password: no code asked.
    SignedIn(SignedIn),
    /// Two-step verification is not enabled yet: the session may only enroll.
    EnrollmentRequired { session: SecretString, login_id: String },
    /// A second step is needed.
    CodeRequired(CodeRequired),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRequired {
    pub attempt_id: String,
    pub primary: MethodSummary,
    pub backup: MethodSummary,
    /// A registered device can approve instead of typing a code.
    pub push_available: bool,
    /// Why a trust token presented with this sign-in no longer counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_lost: Option<TrustLoss>,
    pub expires_at: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub login_id: String,
    pub session: SecretString,
    /// Present when the user chose "Don't ask for codes on this device".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_token: Option<SecretString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_expires_at: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendCode {
    pub to: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CodeSent {
    pub to: Role,
    pub method: MethodSummary,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyCode {
    pub code: SecretString,
    /// "Don't ask for codes on this device".
    #[serde(default)]
    pub remember_device: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartPush {
    #[serde(default)]
    pub remember_device: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PushStarted {
    pub challenge_id: String,
    /// Shown on the sign-in screen; the user types it on the phone.
    pub number: u32,
    pub expires_at: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AttemptStatus {
    Pending,
    SignedIn(SignedIn),
    Denied,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enroll {
    pub primary: MethodChoice,
    pub backup: MethodChoice,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentStarted {
    /// The otpauth URI for the authenticator app, when one of the methods is an app. It holds
    /// the seed: the app adds it to its vault and never shows or logs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_uri: Option<SecretString>,
    /// Methods that still need a code before two-step verification is on.
    pub pending: Vec<Role>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyMethod {
    pub role: Role,
    pub code: SecretString,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EnrollmentStatus {
    pub pending: Vec<Role>,
    /// True once both methods are verified.
    pub enabled: bool,
}

/// Changing methods needs a fresh code from one of the current ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeMethods {
    pub proof_role: Role,
    pub proof_code: SecretString,
    pub primary: MethodChoice,
    pub backup: MethodChoice,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterDevice {
    /// The device's ES256 public key, an uncompressed P-256 point, base64url.
    pub public_key: String,
    pub platform: String,
    pub push_token: SecretString,
    pub app_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRegistered {
    pub device_id: String,
    /// The server's ES256 key; the device pins it and verifies every challenge with it.
    pub server_public_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingChallenges {
    /// Each a signed [`super::Challenge`].
    pub challenges: Vec<SignedEnvelope>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerAccepted {
    pub challenge_id: String,
    pub outcome: AnswerOutcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AnswerOutcome {
    Approved,
    Denied,
    Reported,
}

/// The login's methods as Advanced Security Settings shows them: never a full number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentMethods {
    pub primary: MethodSummary,
    pub backup: MethodSummary,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustSummary {
    pub trusted_devices: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logout {
    /// This device's trust token, revoked with the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_token: Option<SecretString>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedOut {
    pub trust_revoked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub messages: Vec<OutboxMessage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutboxMessage {
    /// E.164 number.
    pub to: String,
    pub channel: MethodKind,
    pub text: SecretString,
    /// The code inside `text`, for tests and the demo.
    pub code: SecretString,
    pub sent_at: u64,
}

/// The server's time. Clients correct their clock from the response's `Date` header, as
/// with every response; the body says the same for readers without headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerTime {
    pub now: u64,
}

/// One phone registered for push approval, as security settings list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSummary {
    pub device_id: String,
    /// As the phone registered it, e.g. "android" or "ios".
    pub platform: String,
    pub app_version: String,
    pub added_at: u64,
    /// The last time the phone fetched or answered a sign-in request; `None` if never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen_at: Option<u64>,
    /// Registered from the device this session belongs to.
    pub this_device: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Devices {
    /// Oldest first.
    pub devices: Vec<DeviceSummary>,
    /// How many the login may register.
    pub max_devices: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRemoved {
    pub device_id: String,
}

/// One device or browser whose "Don't ask for codes on this device" still counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedDevice {
    /// Names this trust for revoking it; not the token.
    pub trust_id: String,
    pub kind: ClientKind,
    /// What: the browser or app as it described itself, e.g. "Firefox 128 on Linux".
    pub user_agent: String,
    pub app_version: String,
    /// Where: the network the trust is bound to (an IPv4 /24 or an IPv6 /64).
    pub network: String,
    pub added_at: u64,
    /// The last sign-in that skipped codes thanks to it; `None` if none yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<u64>,
    pub expires_at: u64,
    /// The device this session belongs to.
    pub this_device: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedDevices {
    /// Newest first.
    pub devices: Vec<TrustedDevice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustRevoked {
    pub trust_id: String,
    /// Devices still trusted after this one.
    pub trusted_devices: u32,
}

/// Dev mode only: moves the server's clock forward, so expiry can be tested from outside.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvanceClock {
    pub advance_seconds: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ClientKind;

    fn secret(n: u32) -> SecretString {
        SecretString::new(format!("SECRET-{n}-value"))
    }

    fn client() -> ClientInfo {
        ClientInfo { device_id: "d".into(), kind: ClientKind::App, app_version: "1".into(), user_agent: "ua".into() }
    }

    /// Every body that carries a password, a session, a trust token, a code, a push token or a
    /// seed: its `Debug` (what a log line or a panic shows) holds none of them, and its JSON
    /// still does (the wire form is unchanged).
    #[test]
    fn no_secret_of_any_body_shows_in_its_debug_output() {
        let signed =
            SignedIn { login_id: "l".into(), session: secret(3), trust_token: Some(secret(4)), trust_expires_at: None };
        let bodies: Vec<(String, String)> = vec![
            (
                format!("{:?}", CreateLogin { email: "e".into(), password: secret(1) }),
                serde_json::to_string(&CreateLogin { email: "e".into(), password: secret(1) }).unwrap(),
            ),
            (
                format!(
                    "{:?}",
                    SignIn { email: "e".into(), password: secret(1), client: client(), trust_token: Some(secret(2)) }
                ),
                serde_json::to_string(&SignIn {
                    email: "e".into(),
                    password: secret(1),
                    client: client(),
                    trust_token: Some(secret(2)),
                })
                .unwrap(),
            ),
            (
                format!("{:?}", SignInResponse::SignedIn(signed.clone())),
                serde_json::to_string(&SignInResponse::SignedIn(signed.clone())).unwrap(),
            ),
            (
                format!("{:?}", SignInResponse::EnrollmentRequired { session: secret(5), login_id: "l".into() }),
                serde_json::to_string(&SignInResponse::EnrollmentRequired { session: secret(5), login_id: "l".into() })
                    .unwrap(),
            ),
            (
                format!("{:?}", AttemptStatus::SignedIn(signed.clone())),
                serde_json::to_string(&AttemptStatus::SignedIn(signed)).unwrap(),
            ),
            (
                format!("{:?}", VerifyCode { code: secret(6), remember_device: true }),
                serde_json::to_string(&VerifyCode { code: secret(6), remember_device: true }).unwrap(),
            ),
            (
                format!("{:?}", EnrollmentStarted { authenticator_uri: Some(secret(7)), pending: vec![] }),
                serde_json::to_string(&EnrollmentStarted { authenticator_uri: Some(secret(7)), pending: vec![] })
                    .unwrap(),
            ),
            (
                format!("{:?}", VerifyMethod { role: Role::Primary, code: secret(8) }),
                serde_json::to_string(&VerifyMethod { role: Role::Primary, code: secret(8) }).unwrap(),
            ),
            (
                format!(
                    "{:?}",
                    ChangeMethods {
                        proof_role: Role::Backup,
                        proof_code: secret(9),
                        primary: MethodChoice::AuthenticatorApp,
                        backup: MethodChoice::AuthenticatorApp
                    }
                ),
                serde_json::to_string(&ChangeMethods {
                    proof_role: Role::Backup,
                    proof_code: secret(9),
                    primary: MethodChoice::AuthenticatorApp,
                    backup: MethodChoice::AuthenticatorApp,
                })
                .unwrap(),
            ),
            (
                format!(
                    "{:?}",
                    RegisterDevice {
                        public_key: "k".into(),
                        platform: "p".into(),
                        push_token: secret(10),
                        app_version: "1".into()
                    }
                ),
                serde_json::to_string(&RegisterDevice {
                    public_key: "k".into(),
                    platform: "p".into(),
                    push_token: secret(10),
                    app_version: "1".into(),
                })
                .unwrap(),
            ),
            (
                format!("{:?}", Logout { trust_token: Some(secret(11)) }),
                serde_json::to_string(&Logout { trust_token: Some(secret(11)) }).unwrap(),
            ),
            (
                format!(
                    "{:?}",
                    Outbox {
                        messages: vec![OutboxMessage {
                            to: "+1".into(),
                            channel: MethodKind::Sms,
                            text: secret(12),
                            code: secret(13),
                            sent_at: 0
                        }]
                    }
                ),
                serde_json::to_string(&Outbox {
                    messages: vec![OutboxMessage {
                        to: "+1".into(),
                        channel: MethodKind::Sms,
                        text: secret(12),
                        code: secret(13),
                        sent_at: 0,
                    }],
                })
                .unwrap(),
            ),
        ];
        for (debug, json) in bodies {
            assert!(!debug.contains("SECRET-"), "a secret in {debug}");
            assert!(json.contains("SECRET-"), "the wire form lost its secret: {json}");
        }
    }
}
