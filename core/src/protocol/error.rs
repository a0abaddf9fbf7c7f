//! The backend's error body: `{"error": {"code": "...", "message": "...", ...}}` with a stable
//! code per action a client takes differently. The HTTP status follows from the code.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Malformed body or field; `field` names it.
    InvalidRequest,
    /// Missing, unknown or revoked session.
    Unauthorized,
    WrongPassword,
    NotFound,
    /// The email is already a login.
    AlreadyExists,
    /// A method rule of the seed's table was broken; `rule` names it.
    RuleViolation,
    /// Two-step verification is not enabled, or is already.
    WrongState,
    WrongCode,
    /// A code that was already used (replay).
    CodeReused,
    /// Too many failures: wait `retry_after` seconds.
    Throttled,
    ChallengeExpired,
    ChallengeAnswered,
    WrongNumber,
    UnknownDevice,
    BadSignature,
    AnswerExpired,
    /// Too many push requests or codes sent for this login right now.
    RateLimited,
    /// The login already has the most push devices allowed; remove one first.
    TooManyDevices,
    /// A signed message carries a protocol version (`v`) this server does not speak.
    UnsupportedVersion,
    Internal,
    /// The server is at its bound of concurrent password checks: retry after `retry_after`.
    Busy,
}

impl ErrorCode {
    /// The code as it is spelt on the wire (`"wrong_state"`): serde's name for it.
    pub fn as_str(self) -> String {
        super::wire_name(&self)
    }

    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest | ErrorCode::RuleViolation | ErrorCode::UnsupportedVersion => 400,
            ErrorCode::Unauthorized | ErrorCode::WrongPassword | ErrorCode::WrongCode | ErrorCode::BadSignature => 401,
            ErrorCode::UnknownDevice | ErrorCode::WrongNumber => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::AlreadyExists
            | ErrorCode::WrongState
            | ErrorCode::CodeReused
            | ErrorCode::ChallengeAnswered
            | ErrorCode::TooManyDevices => 409,
            ErrorCode::ChallengeExpired | ErrorCode::AnswerExpired => 410,
            ErrorCode::Throttled | ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Busy => 503,
        }
    }
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} ({code:?})")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The request field at fault, for `invalid_request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The broken rule's stable code, for `rule_violation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Seconds to wait, for `throttled`, `rate_limited` and `busy` (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: None, rule: None, retry_after: None }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: Some(field.into()), ..Self::new(ErrorCode::InvalidRequest, message) }
    }
}
