//! The wire protocol between the apps and the backend: every request and response body, the
//! signed envelopes of push challenges and answers, trust-loss reasons and error codes.
//!
//! One definition shared by the core's client and the reference server, so the two cannot
//! drift. JSON over HTTP; field names are snake_case and stable (a change is a new version).
//! The endpoint list is in [`endpoints`], their paths in [`paths`]; the signing rules in
//! [`signed`]. Nothing here does
//! I/O.

pub mod endpoints;
pub mod error;
pub mod paths;
pub mod signed;

use serde::{Deserialize, Serialize};

pub use crate::methods::{MethodChoice, MethodKind, Role};
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use signed::{Answer, Challenge, ChallengeContext, Decision, DeviceProof, SignatureError, SignedEnvelope};

/// Who is signing in: the app or browser, as the trust rules see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    /// Stable per installation (app) or per browser profile; lost when app data is cleared.
    pub device_id: String,
    pub kind: ClientKind,
    /// App or browser version; an update ends trust.
    pub app_version: String,
    /// Shown to the user in push requests ("Firefox on Linux").
    pub user_agent: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ClientKind {
    App,
    Browser,
}

/// A verification method as the sign-in screen shows it: never the full number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MethodSummary {
    pub kind: MethodKind,
    /// "Authenticator app" or a masked number such as "•••• 0100".
    pub label: String,
}

/// Why a device that was trusted is asked for a code again. Every loss of trust has one,
/// and the app shows [`TrustLoss::message`]. On the wire and in storage it is its
/// [`code`](TrustLoss::code): serde reads and writes that one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TrustLoss {
    LoggedOut,
    AppDataCleared,
    AppUpdated,
    OtherBrowser,
    NetworkChanged,
    Expired,
    RequireCodesOnAllDevices,
    /// The token was altered or is unknown to the server.
    InvalidToken,
}

impl TrustLoss {
    pub const ALL: [TrustLoss; 8] = [
        TrustLoss::LoggedOut,
        TrustLoss::AppDataCleared,
        TrustLoss::AppUpdated,
        TrustLoss::OtherBrowser,
        TrustLoss::NetworkChanged,
        TrustLoss::Expired,
        TrustLoss::RequireCodesOnAllDevices,
        TrustLoss::InvalidToken,
    ];

    /// The reason a stable code names, as stored or sent.
    pub fn from_code(code: &str) -> Option<TrustLoss> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The stable code, as stored and sent: the one table serde uses too.
    pub fn code(self) -> &'static str {
        match self {
            TrustLoss::LoggedOut => "logged_out",
            TrustLoss::AppDataCleared => "app_data_cleared",
            TrustLoss::AppUpdated => "app_updated",
            TrustLoss::OtherBrowser => "other_browser",
            TrustLoss::NetworkChanged => "network_changed",
            TrustLoss::Expired => "expired",
            TrustLoss::RequireCodesOnAllDevices => "require_codes_on_all_devices",
            TrustLoss::InvalidToken => "invalid_token",
        }
    }

    /// Words a shell shows as is.
    pub fn message(self) -> &'static str {
        match self {
            TrustLoss::LoggedOut => "You logged out of this app, so it asks for a code again.",
            TrustLoss::AppDataCleared => "This app's data was cleared, so it asks for a code again.",
            TrustLoss::AppUpdated => "This app or browser was updated, so it asks for a code again.",
            TrustLoss::OtherBrowser => "This is a different browser or device, so it asks for a code.",
            TrustLoss::NetworkChanged => "Your network or IP address changed, so it asks for a code again.",
            TrustLoss::Expired => "This device's trust expired, so it asks for a code again.",
            TrustLoss::RequireCodesOnAllDevices => {
                "Codes are required on all devices (\"Require codes on all devices\" was chosen)."
            }
            TrustLoss::InvalidToken => "This device's trust could not be verified, so it asks for a code.",
        }
    }
}

impl From<TrustLoss> for &'static str {
    fn from(loss: TrustLoss) -> Self {
        loss.code()
    }
}

impl TryFrom<String> for TrustLoss {
    type Error = String;

    fn try_from(code: String) -> Result<Self, String> {
        TrustLoss::from_code(&code).ok_or_else(|| format!("unknown trust loss reason {code:?}"))
    }
}

/// The name serde gives a unit variant on the wire (`"wrong_state"`), for the places that need
/// it as text: one spelling, serde's.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// What a trust token is bound to, as one side knows it. `None` where that side cannot know:
/// the phone knows neither the login's trust epoch nor its network as the server sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustBinding<'a> {
    pub device_id: &'a str,
    pub app_version: &'a str,
    pub network: Option<&'a str>,
    pub epoch: Option<u64>,
}

/// Why a token bound to `token` (expiring at `expires_at`) no longer counts for `current` at
/// `now`, or `None` while it does: the first broken binding in the one order both sides judge
/// in — the epoch ("Require codes on all devices"), expiry, another browser or device, an
/// update, another network. The server also knows revoked and unknown tokens, which come first.
pub fn trust_verdict(
    token: &TrustBinding<'_>,
    expires_at: Option<u64>,
    current: &TrustBinding<'_>,
    now: u64,
) -> Option<TrustLoss> {
    /// A binding both sides know, and that changed.
    fn differs<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
        matches!((a, b), (Some(a), Some(b)) if a != b)
    }
    if differs(token.epoch, current.epoch) {
        Some(TrustLoss::RequireCodesOnAllDevices)
    } else if expires_at.is_some_and(|at| now >= at) {
        Some(TrustLoss::Expired)
    } else if token.device_id != current.device_id {
        Some(TrustLoss::OtherBrowser)
    } else if token.app_version != current.app_version {
        Some(TrustLoss::AppUpdated)
    } else if differs(token.network, current.network) {
        Some(TrustLoss::NetworkChanged)
    } else {
        None
    }
}

/// Push approval needs a number between these, shown on the sign-in screen and typed on the
/// phone (number matching against push fatigue).
pub const MATCH_NUMBER_MIN: u32 = 10;
pub const MATCH_NUMBER_MAX: u32 = 99;

#[cfg(test)]
mod tests {
    use super::*;

    /// The strings that cross the wire and land in storage: each reason's code is what serde
    /// writes, and reads back to the same reason.
    #[test]
    fn every_trust_loss_crosses_the_wire_as_its_code_and_back() {
        for loss in TrustLoss::ALL {
            let json = serde_json::to_string(&loss).unwrap();
            assert_eq!(json, format!("\"{}\"", loss.code()));
            assert_eq!(serde_json::from_str::<TrustLoss>(&json).unwrap(), loss);
            assert_eq!(TrustLoss::from_code(loss.code()), Some(loss));
        }
        assert!(serde_json::from_str::<TrustLoss>("\"not_a_reason\"").is_err());
    }

    #[test]
    fn the_first_broken_binding_is_the_reason_in_one_order() {
        let token = TrustBinding { device_id: "d", app_version: "1", network: Some("n"), epoch: Some(1) };
        let all_changed = TrustBinding { device_id: "x", app_version: "2", network: Some("m"), epoch: Some(2) };
        let mut now = token;
        assert_eq!(trust_verdict(&token, Some(100), &now, 99), None);
        assert_eq!(trust_verdict(&token, Some(100), &all_changed, 100), Some(TrustLoss::RequireCodesOnAllDevices));
        assert_eq!(
            trust_verdict(&token, Some(100), &TrustBinding { epoch: Some(1), ..all_changed }, 100),
            Some(TrustLoss::Expired)
        );
        now.device_id = "x";
        now.app_version = "2";
        assert_eq!(trust_verdict(&token, Some(100), &now, 99), Some(TrustLoss::OtherBrowser));
        now.device_id = "d";
        assert_eq!(trust_verdict(&token, Some(100), &now, 99), Some(TrustLoss::AppUpdated));
        now.app_version = "1";
        now.network = Some("m");
        assert_eq!(trust_verdict(&token, Some(100), &now, 99), Some(TrustLoss::NetworkChanged));
        // The phone knows no epoch or network: those bindings are the server's to judge.
        let phone = TrustBinding { network: None, epoch: None, ..all_changed };
        assert_eq!(
            trust_verdict(&TrustBinding { network: None, epoch: None, ..token }, None, &phone, 99),
            Some(TrustLoss::OtherBrowser)
        );
    }

    #[test]
    fn an_error_code_is_spelt_as_serde_writes_it_and_reads_back() {
        for code in [ErrorCode::WrongState, ErrorCode::AlreadyExists, ErrorCode::Internal, ErrorCode::AnswerExpired] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        assert_eq!(ErrorCode::WrongState.as_str(), "wrong_state");
    }
}
