//! The seller's words for what went wrong, so no shell words an error of its own.
//!
//! Owns turning a [`ClientError`] into one sentence that says what happened and what to do.
//! The server's own messages are already written for sellers and are passed on as they are;
//! only what the server did not word (the network, this phone's storage, a typed value) is
//! worded here. Nothing here ever quotes a secret: errors carry none.

use super::text::duration;
use crate::client::{ClientError, NetworkErrorKind};
use crate::protocol::ErrorCode;

/// One sentence for the seller about `error`.
pub fn say(error: &ClientError) -> String {
    match error {
        ClientError::Network { kind: NetworkErrorKind::Connect, .. } => {
            "Can't reach the server. Check your internet connection and try again.".into()
        }
        ClientError::Network { kind: NetworkErrorKind::Timeout, .. } => {
            "The server is taking too long to answer. Try again in a moment.".into()
        }
        ClientError::Network { .. } => "The connection broke before the server answered. Try again.".into(),
        ClientError::Server(e) => match (e.code, e.retry_after) {
            (ErrorCode::Throttled | ErrorCode::RateLimited, Some(secs)) => {
                format!("Too many tries. Wait {} and try again.", duration(secs))
            }
            _ => e.message.clone(),
        },
        ClientError::UnexpectedResponse { .. } => {
            "The server answered in a way this app does not understand. Try again later or update the app.".into()
        }
        ClientError::BadSignature(_) => {
            "A request could not be verified as coming from your account's server, so it was ignored.".into()
        }
        ClientError::ServerKeyChanged => {
            "Your account's server presented a different signing key than the one this phone trusts, so \
             sign-in approvals stay off. If your company changed servers, turn approvals off and on again."
                .into()
        }
        ClientError::ResponseTooLarge { .. } => {
            "The server's answer was far larger than expected and was not read. Try again later.".into()
        }
        ClientError::Expired => "This request expired. Sign in again on the other device to get a new one.".into(),
        ClientError::AlreadyAnswered => "This request was already answered.".into(),
        ClientError::WrongNumber => {
            "That number doesn't match the one on the sign-in screen, so that sign-in was stopped.".into()
        }
        ClientError::UnknownDevice => {
            "This phone is no longer set up to approve sign-ins. Turn on sign-in approvals again.".into()
        }
        ClientError::UnknownChallenge(_) => "This request is no longer waiting for an answer.".into(),
        ClientError::NotSignedIn => "You are signed out. Sign in again.".into(),
        ClientError::DeviceKey(_) => {
            "This phone's sign-in key could not be used. Turn on sign-in approvals again.".into()
        }
        ClientError::Vault(_) => {
            "This app's secure storage could not be read or written. Nothing was changed; try again.".into()
        }
        ClientError::InvalidInput { field, reason } => format!("The {} {reason}.", field_name(field)),
        ClientError::Internal(_) => "Something went wrong in the app. Try again.".into(),
    }
}

/// True when the error ends the attempt: the seller must start again, not retype.
pub fn ends_attempt(error: &ClientError) -> bool {
    matches!(error.code(), Some(ErrorCode::ChallengeExpired | ErrorCode::WrongState | ErrorCode::NotFound))
        || matches!(error, ClientError::NotSignedIn)
}

fn field_name(field: &str) -> &str {
    match field {
        "code" => "code",
        "number" => "number",
        "email" => "email address",
        "password" => "password",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::text::{ago, countdown};
    use crate::protocol::ApiError;

    #[test]
    fn durations_round_up_so_the_seller_is_never_early() {
        assert_eq!(duration(1), "1 second");
        assert_eq!(duration(61), "2 minutes");
        assert_eq!(duration(3600), "1 hour");
        assert_eq!(duration(30 * 86_400), "30 days");
    }

    #[test]
    fn a_throttle_says_how_long_to_wait() {
        let mut e = ApiError::new(ErrorCode::Throttled, "Too many wrong codes.");
        e.retry_after = Some(600);
        assert_eq!(say(&ClientError::Server(e)), "Too many tries. Wait 10 minutes and try again.");
    }

    #[test]
    fn a_typed_value_is_named_without_being_quoted() {
        let e = ClientError::invalid("code", "must be 1 to 10 digits");
        assert_eq!(say(&e), "The code must be 1 to 10 digits.");
    }

    #[test]
    fn countdowns_read_like_a_clock() {
        assert_eq!(countdown(65), "1:05");
        assert_eq!(countdown(9), "0:09");
        assert_eq!(ago(30), "just now");
        assert_eq!(ago(125), "2 minutes ago");
    }
}
