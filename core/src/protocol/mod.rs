//! The wire protocol between the apps and the backend: every request and response body, the
//! signed envelopes of push challenges and answers, trust-loss reasons and error codes.
//!
//! One definition shared by the core's client and the reference server, so the two cannot
//! drift. JSON over HTTP; field names are snake_case and stable (a change is a new version).
//! The endpoint list is in [`endpoints`]; the signing rules in [`signed`]. Nothing here does
//! I/O.

pub mod endpoints;
pub mod error;
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
/// and the app shows [`TrustLoss::message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// Push approval needs a number between these, shown on the sign-in screen and typed on the
/// phone (number matching against push fatigue).
pub const MATCH_NUMBER_MIN: u32 = 10;
pub const MATCH_NUMBER_MAX: u32 = 99;
