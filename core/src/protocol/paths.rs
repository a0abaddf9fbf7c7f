//! The endpoints' paths, written once: the server registers these very strings as its routes
//! (axum's `{name}` captures), and the client fills their one capture with [`fill`].
//!
//! Owns the spelling of every path and how a value goes into one (percent-encoded, so an id
//! cannot add a segment). Which body each path takes and answers is [`super::endpoints`]'.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub const LOGINS: &str = "/v1/logins";
pub const SIGN_IN: &str = "/v1/signin";
/// A sign-in attempt: polled while a push is pending.
pub const ATTEMPT: &str = "/v1/signin/{attempt}";
/// "Didn't receive the code?" and the first code of an attempt.
pub const ATTEMPT_SEND: &str = "/v1/signin/{attempt}/send";
pub const ATTEMPT_VERIFY: &str = "/v1/signin/{attempt}/verify";
pub const ATTEMPT_PUSH: &str = "/v1/signin/{attempt}/push";
pub const ENROLLMENT: &str = "/v1/enrollment";
pub const ENROLLMENT_VERIFY: &str = "/v1/enrollment/verify";
pub const METHODS_CHANGE: &str = "/v1/methods/change";
pub const METHODS_SEND: &str = "/v1/methods/send";
pub const DEVICES: &str = "/v1/devices";
/// One registered phone: removed with `DELETE`.
pub const DEVICE: &str = "/v1/devices/{device}";
pub const DEVICE_CHALLENGES: &str = "/v1/devices/{device}/challenges";
pub const CHALLENGE_ANSWER: &str = "/v1/challenges/{id}/answer";
/// The login's current methods, masked (Advanced Security Settings).
pub const METHODS: &str = "/v1/methods";
pub const TRUST: &str = "/v1/trust";
/// The devices and browsers whose trust still counts; one of them is revoked with `DELETE` on
/// [`TRUST_DEVICE`].
pub const TRUST_DEVICES: &str = "/v1/trust/devices";
pub const TRUST_DEVICE: &str = "/v1/trust/devices/{trust}";
/// "Require codes on all devices".
pub const TRUST_REQUIRE_CODES: &str = "/v1/trust/require-codes";
pub const LOGOUT: &str = "/v1/logout";
pub const TIME: &str = "/v1/time";
/// Dev mode only; the login's email goes in the query (see [`dev_outbox`]).
pub const DEV_OUTBOX: &str = "/v1/dev/outbox";
/// Dev mode only: moves the server's clock forward.
pub const DEV_CLOCK: &str = "/v1/dev/clock";

/// Characters escaped in a path segment or a query value: everything but unreserved ones, so
/// a value can never add a segment or a query.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// `route` with its one `{capture}` replaced by `value`, percent-encoded.
pub fn fill(route: &str, value: &str) -> String {
    let (Some(start), Some(end)) = (route.find('{'), route.find('}')) else { return route.to_owned() };
    format!("{}{}{}", &route[..start], utf8_percent_encode(value, SEGMENT), &route[end + 1..])
}

/// The dev outbox of the login with `email`.
pub fn dev_outbox(email: &str) -> String {
    format!("{DEV_OUTBOX}?email={}", utf8_percent_encode(email, SEGMENT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_fills_the_capture_and_cannot_add_a_segment() {
        assert_eq!(fill(ATTEMPT_VERIFY, "a1"), "/v1/signin/a1/verify");
        assert_eq!(fill(ATTEMPT, "../x?y=z"), "/v1/signin/..%2Fx%3Fy%3Dz");
        assert_eq!(fill(ATTEMPT, "abc-123_x.y~z"), "/v1/signin/abc-123_x.y~z");
        assert_eq!(fill(TRUST, "ignored"), "/v1/trust");
        assert_eq!(dev_outbox("a+b@example.com"), "/v1/dev/outbox?email=a%2Bb%40example.com");
    }
}
