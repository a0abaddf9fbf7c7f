//! The client's one error type, [`ClientError`]: every way a call to the backend, a push
//! request or the device state behind them can fail, one variant per thing the app would do
//! differently (retry later, show "wrong number", register again, fix a field…).
//!
//! Owns the single place where the server's [`ApiError`] codes of push approval become typed
//! variants ([`From<ApiError>`]), so a shell never matches on strings. Does not own the FFI's
//! small public enum: `twostep-ffi` maps this one to it.
//!
//! No message here ever carries a secret: tokens, passwords, codes and seeds travel in bodies
//! and headers that errors never quote, JSON errors are reported by position only (a serde
//! message can quote the offending value), and transport errors are stripped of their URL.

use crate::protocol::{ApiError, ErrorCode, SignatureError};
use crate::vault::VaultError;

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// What kind of network trouble: the app words "no connection" and "the server is slow"
/// differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NetworkErrorKind {
    /// No connection could be made (offline, refused, DNS, TLS handshake).
    Connect,
    /// The server did not answer in time.
    Timeout,
    /// The connection broke while talking.
    Other,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached or the exchange broke; nothing was decided.
    #[error("network error ({kind:?}): {message}")]
    Network { kind: NetworkErrorKind, message: String },
    /// The server answered with an error body; its code says what to do
    /// (`wrong_code`, `throttled` with `retry_after`, `rule_violation` with `rule`…).
    #[error("the server refused: {0}")]
    Server(ApiError),
    /// The server answered something the protocol does not describe.
    #[error("unexpected response (HTTP {status}): {reason}")]
    UnexpectedResponse { status: u16, reason: String },
    /// A signed message failed verification against the pinned server key.
    #[error("a signed message from the server did not verify: {0}")]
    BadSignature(SignatureError),
    /// A registration answered with a server signing key other than the one pinned at the
    /// first registration: refused until the user re-enrols on purpose.
    #[error("the server's signing key is not the one this device pinned")]
    ServerKeyChanged,
    /// The server's answer was larger than any answer of the protocol.
    #[error("the server's answer is too large ({limit} bytes at most)")]
    ResponseTooLarge { limit: usize },
    /// The push request (or this answer to it) is past its expiry.
    #[error("this request has expired")]
    Expired,
    /// Someone (maybe this device) already answered this push request.
    #[error("this request was already answered")]
    AlreadyAnswered,
    /// The number typed is not the one on the sign-in screen; the sign-in attempt failed.
    #[error("the number does not match the one on the sign-in screen")]
    WrongNumber,
    /// This device is not registered for push approvals, or the server no longer knows it:
    /// register again.
    #[error("this device is not registered for push approvals")]
    UnknownDevice,
    /// No verified pending request has this id on this device (fetch requests first).
    #[error("no pending request with id {0}")]
    UnknownChallenge(String),
    /// The call needs a signed-in session and there is none.
    #[error("not signed in")]
    NotSignedIn,
    /// The platform or software device key failed.
    #[error("the device key failed: {0}")]
    DeviceKey(String),
    #[error("device storage failed: {0}")]
    Vault(#[from] VaultError),
    /// A value given to the client is unusable; `field` names it.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },
    /// A bug or an exhausted resource (the runtime could not start, a task panicked).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ClientError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        ClientError::InvalidInput { field, reason: reason.into() }
    }

    /// The server's error code behind this error, when the server decided it.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Server(e) => Some(e.code),
            ClientError::Expired => Some(ErrorCode::ChallengeExpired),
            ClientError::AlreadyAnswered => Some(ErrorCode::ChallengeAnswered),
            ClientError::WrongNumber => Some(ErrorCode::WrongNumber),
            ClientError::UnknownDevice => Some(ErrorCode::UnknownDevice),
            _ => None,
        }
    }

    /// True when the request may not have reached the server, so trying again later can
    /// succeed without anything changing (used to keep a logout queued).
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Network { .. } => true,
            ClientError::Server(e) => {
                matches!(e.code, ErrorCode::Internal | ErrorCode::Throttled | ErrorCode::RateLimited)
            }
            ClientError::UnexpectedResponse { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// The one mapping from the server's codes to typed outcomes of push approval; every other
/// code stays a [`ClientError::Server`] with the body intact.
impl From<ApiError> for ClientError {
    fn from(e: ApiError) -> Self {
        match e.code {
            ErrorCode::ChallengeExpired | ErrorCode::AnswerExpired => ClientError::Expired,
            ErrorCode::ChallengeAnswered => ClientError::AlreadyAnswered,
            ErrorCode::WrongNumber => ClientError::WrongNumber,
            ErrorCode::UnknownDevice => ClientError::UnknownDevice,
            _ => ClientError::Server(e),
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            NetworkErrorKind::Timeout
        } else if e.is_connect() {
            NetworkErrorKind::Connect
        } else {
            NetworkErrorKind::Other
        };
        // The URL holds ids only, but dropping it keeps every message short and safe to log;
        // the source chain says what actually went wrong ("connection refused").
        let e = e.without_url();
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        ClientError::Network { kind, message }
    }
}

/// A JSON error described by its position and category only: serde's message can quote the
/// value it choked on, and a response body can hold a token.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    let category = match e.classify() {
        serde_json::error::Category::Io => "I/O",
        serde_json::error::Category::Syntax => "syntax",
        serde_json::error::Category::Data => "unexpected content",
        serde_json::error::Category::Eof => "truncated",
    };
    format!("invalid JSON ({category}) at line {} column {}", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_error_codes_become_typed_variants() {
        let typed = |code| ClientError::from(ApiError::new(code, "x"));
        assert!(matches!(typed(ErrorCode::ChallengeExpired), ClientError::Expired));
        assert!(matches!(typed(ErrorCode::AnswerExpired), ClientError::Expired));
        assert!(matches!(typed(ErrorCode::ChallengeAnswered), ClientError::AlreadyAnswered));
        assert!(matches!(typed(ErrorCode::WrongNumber), ClientError::WrongNumber));
        assert!(matches!(typed(ErrorCode::UnknownDevice), ClientError::UnknownDevice));
        let other = typed(ErrorCode::WrongCode);
        assert_eq!(other.code(), Some(ErrorCode::WrongCode));
        assert!(matches!(other, ClientError::Server(_)));
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        assert!(ClientError::Network { kind: NetworkErrorKind::Connect, message: String::new() }.is_retryable());
        assert!(ClientError::from(ApiError::new(ErrorCode::Internal, "x")).is_retryable());
        assert!(!ClientError::from(ApiError::new(ErrorCode::Unauthorized, "x")).is_retryable());
        assert!(!ClientError::WrongNumber.is_retryable());
    }

    #[test]
    fn json_errors_never_quote_the_input() {
        let err = serde_json::from_str::<u32>("\"session-token-abc\"").unwrap_err();
        let shown = json_error(&err);
        assert!(!shown.contains("session-token-abc"), "{shown}");
        assert!(shown.contains("line 1"), "{shown}");
    }
}
