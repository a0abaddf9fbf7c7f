//! Errors: the one internal error type of the backend, and the one place it becomes an HTTP
//! response (`{"error": {...}}` with the status [`ErrorCode::http_status`] gives, and a
//! `Retry-After` header whenever the body has `retry_after`).
//!
//! A refusal the client acts on is [`Error::Api`] and is sent as it is. Storage and other
//! internal failures are logged (to stderr, never with a secret: rusqlite errors carry SQL,
//! not bound values) and answered with a bare `internal`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use twostep_core::protocol::{ApiError, ErrorBody, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A refusal with its stable code, sent to the client.
    #[error("{0}")]
    Api(ApiError),
    #[error("storage: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("internal: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn api(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::Api(ApiError::new(code, message))
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Api(ApiError::invalid(field, message))
    }

    pub fn throttled(retry_after: u64, message: impl Into<String>) -> Self {
        Error::Api(ApiError { retry_after: Some(retry_after.max(1)), ..ApiError::new(ErrorCode::Throttled, message) })
    }

    pub fn rate_limited(retry_after: u64, message: impl Into<String>) -> Self {
        Error::Api(ApiError { retry_after: Some(retry_after.max(1)), ..ApiError::new(ErrorCode::RateLimited, message) })
    }

    pub fn unauthorized() -> Self {
        Error::api(ErrorCode::Unauthorized, "Sign in again: the session is missing, unknown, expired or revoked.")
    }

    pub fn not_found(what: &str) -> Self {
        Error::api(ErrorCode::NotFound, format!("No such {what}."))
    }

    /// The code, for tests and logs.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Api(e) => e.code,
            Error::Db(_) | Error::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let body = match self {
            Error::Api(e) => e,
            other => {
                crate::log::line(format_args!("internal error: {other}"));
                ApiError::new(ErrorCode::Internal, "Something went wrong on the server; try again.")
            }
        };
        let status = StatusCode::from_u16(body.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = body.retry_after;
        let mut res = (status, axum::Json(ErrorBody { error: body })).into_response();
        if let Some(secs) = retry_after {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        res
    }
}
