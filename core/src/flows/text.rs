//! The seller's fixed words that the app's flows and the web sign-in pages both show: labels
//! of the help page's choices, how a push wait ends, the trusted-device count, where a code
//! went, and durations. Written once here so the two front ends cannot word a rule apart.
//!
//! Needs no client: the reference server's pages use it too.

use crate::protocol::{MethodKind, MethodSummary};

/// The label of the choice the help page names.
pub const REMEMBER_DEVICE_LABEL: &str = "Don't ask for codes on this device";

/// The push wait's end when the phone did not approve.
pub const PUSH_NOT_APPROVED: &str = "This sign-in was not approved on your phone (denied, reported, or the number \
                                     typed did not match). Sign in again to try once more.";
/// The push wait's end when nobody answered in time.
pub const PUSH_EXPIRED: &str = "The request to your phone expired before it was answered. Sign in again.";

/// The button's label, the help page's words.
pub const REQUIRE_CODES_LABEL: &str = "Require codes on all devices";

/// What the settings screen says once "Require codes on all devices" is done.
pub const REQUIRE_CODES_DONE: &str = "Codes are now required on all devices. You can choose \"Don't ask for codes on this device\" again at your next \
     sign-in.";

/// What the prompt says about where the code went; the number is already masked.
pub fn instruction(method: &MethodSummary) -> String {
    match method.kind {
        MethodKind::AuthenticatorApp => "Enter the code from your authenticator app.".into(),
        MethodKind::Sms => format!("We sent a code by text message to {}.", method.label),
        MethodKind::Voice => format!("We are calling {} with a code.", method.label),
    }
}

/// "2 devices don't ask for codes.": the trusted-device count in the seller's words.
pub fn trusted_devices_label(n: u32) -> String {
    match n {
        0 => "No device skips codes: every sign-in asks for one.".into(),
        1 => "1 device doesn't ask for codes.".into(),
        n => format!("{n} devices don't ask for codes."),
    }
}

/// "45 seconds", "1 minute", "3 minutes", "2 hours", "30 days": rounded up, so a seller who
/// waits as long as it says is never early.
pub fn duration(seconds: u64) -> String {
    let (n, unit) = match seconds {
        0..=59 => (seconds.max(1), "second"),
        60..=3599 => (seconds.div_ceil(60), "minute"),
        3600..=86_399 => (seconds.div_ceil(3600), "hour"),
        _ => (seconds.div_ceil(86_400), "day"),
    };
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// "just now", "5 minutes ago", "2 hours ago", "3 days ago" (rounded down: it happened at
/// least that long ago).
pub fn ago(seconds: u64) -> String {
    let (n, unit) = match seconds {
        0..=59 => return "just now".into(),
        60..=3599 => (seconds / 60, "minute"),
        3600..=86_399 => (seconds / 3600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    if n == 1 { format!("1 {unit} ago") } else { format!("{n} {unit}s ago") }
}

/// "1:05", "0:09": a countdown as a clock shows it.
pub fn countdown(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}
