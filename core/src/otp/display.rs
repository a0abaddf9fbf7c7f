//! What a code screen shows, computed once here so no shell recomputes it: the code, the code
//! split into groups for reading aloud, and for time-based codes the seconds left, the share
//! of the period gone (for a countdown ring) and, in the period's last seconds, the code that
//! comes next.
//!
//! Owns grouping and timing. Does not own generation (that is [`Generator`]), the clock (the
//! caller passes the time, corrected for drift) or advancing an HOTP counter (the vault's job).

use super::{CodeChars, Generator, Kind};
use crate::secret::SecretString;

/// Everything one row of a code screen needs at one instant.
///
/// Codes are short-lived one-time values, not secrets, so `Debug` shows them.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CodeView {
    /// The code as typed, e.g. `"123456"` or Steam's `"2BX7K"`.
    pub code: String,
    /// The code as shown, e.g. `"123 456"` (see [`group`]).
    pub grouped: String,
    /// The countdown for TOTP and Steam; `None` for HOTP, whose code lasts until it is used.
    pub timing: Option<Timing>,
}

/// Where the current period stands, and the code that follows it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Timing {
    /// The period in seconds.
    pub period: u32,
    /// Seconds until the code changes, in `1..=period`.
    pub seconds_left: u32,
    /// Share of the period already gone, in `[0, 1)`.
    pub fraction_elapsed: f64,
    /// The code of the next period, so a user typing near the change can use it: present in
    /// the last [`NEXT_CODE_SECONDS`] of the period, `None` before (a screen shows it only
    /// then, and a refresh of many rows makes one code per row instead of two).
    pub next_code: Option<String>,
    /// [`next_code`](Self::next_code) grouped like [`CodeView::grouped`].
    pub next_grouped: Option<String>,
}

/// The last seconds of a period in which the next code is shown beside the current one.
pub const NEXT_CODE_SECONDS: u32 = 5;

/// A code as the user typed it, its grouping undone: spaces and dashes dropped (codes are
/// shown in groups, and some apps show them with a dash). The one clean-up the server, the
/// client and HOTP resync apply before checking a typed code.
pub fn ungroup(typed: &str) -> SecretString {
    SecretString::new(typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>())
}

/// Splits a code into two groups separated by a space, the first never longer than the
/// second: `"123456"` → `"123 456"`, `"12345678"` → `"1234 5678"`, `"1234567"` →
/// `"123 4567"` (short group first, the way phone numbers read). Codes of five characters or
/// fewer, such as Steam's, are returned unchanged: they are read in one go.
pub fn group(code: &str) -> String {
    let len = code.chars().count();
    if len <= 5 {
        return code.to_owned();
    }
    let first = len / 2;
    let mut out = String::with_capacity(code.len() + 1);
    for (i, c) in code.chars().enumerate() {
        if i == first {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A generated code and its [`group`]ing, each allocated once at its exact size (codes are
/// ASCII, so a byte is a character).
fn code_and_grouped(chars: CodeChars) -> (String, String) {
    let code = chars.as_str();
    if code.len() <= 5 {
        return (code.to_owned(), code.to_owned());
    }
    let (head, tail) = code.split_at(code.len() / 2);
    let mut grouped = String::with_capacity(code.len() + 1);
    grouped.push_str(head);
    grouped.push(' ');
    grouped.push_str(tail);
    (code.to_owned(), grouped)
}

/// The view of `generator`'s credential at `unix_seconds`.
///
/// For TOTP and Steam: the code of the period containing `unix_seconds`, the seconds until
/// it ends, and in its last [`NEXT_CODE_SECONDS`] the code of the next period. For HOTP: the
/// code at the stored counter and no timing (the time is not used).
pub fn view(generator: &Generator, unix_seconds: u64) -> CodeView {
    let (code, grouped) = code_and_grouped(generator.chars_at(unix_seconds));
    let timing = match generator.params().kind {
        Kind::Hotp { .. } => None,
        Kind::Totp { period } | Kind::Steam { period } => {
            // `Params::validate` (run by `Generator::new`) guarantees period >= 1.
            let p = u64::from(period.max(1));
            let into = unix_seconds % p;
            // into < p <= u32::MAX, so it fits.
            let seconds_left = (p - into) as u32;
            let (next_code, next_grouped) = if seconds_left <= NEXT_CODE_SECONDS {
                // Saturating: at the very end of u64 time there is no next period; showing
                // the last one again beats a panic.
                let (c, g) = code_and_grouped(generator.chars_at((unix_seconds - into).saturating_add(p)));
                (Some(c), Some(g))
            } else {
                (None, None)
            };
            Some(Timing { period, seconds_left, fraction_elapsed: into as f64 / p as f64, next_code, next_grouped })
        }
    };
    CodeView { code, grouped, timing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Params};

    #[test]
    fn a_typed_code_loses_its_grouping_and_nothing_else() {
        for typed in ["123456", "123 456", " 123-456 ", "1 2 3\t4-5-6"] {
            assert_eq!(ungroup(typed).expose(), "123456", "{typed:?}");
        }
        assert_eq!(ungroup("12a 456").expose(), "12a456", "letters are left for the check to refuse");
    }
    use crate::secret::SecretBytes;

    /// RFC 6238's SHA-1 seed, so the codes below are the RFC's own or computed from it.
    fn rfc_totp(digits: u8) -> Generator {
        Generator::new(Params::totp(Algorithm::Sha1, digits, 30), &SecretBytes::from_slice(b"12345678901234567890"))
            .unwrap()
    }

    #[test]
    fn six_digit_codes_are_shown_as_two_groups_of_three() {
        assert_eq!(group("123456"), "123 456");
    }

    #[test]
    fn eight_digit_codes_are_shown_as_two_groups_of_four() {
        assert_eq!(group("12345678"), "1234 5678");
    }

    #[test]
    fn seven_digit_codes_put_the_short_group_first() {
        assert_eq!(group("1234567"), "123 4567");
    }

    #[test]
    fn steam_codes_are_not_split() {
        assert_eq!(group("2BX7K"), "2BX7K");
        assert_eq!(group(""), "");
    }

    #[test]
    fn last_second_of_a_period_shows_one_second_left_and_the_next_code() {
        // RFC 6238 Appendix B: 59 → 94287082; 60 starts the next step (37359152).
        let v = view(&rfc_totp(8), 59);
        assert_eq!(v.code, "94287082");
        assert_eq!(v.grouped, "9428 7082");
        let t = v.timing.unwrap();
        assert_eq!(t.period, 30);
        assert_eq!(t.seconds_left, 1);
        assert!((t.fraction_elapsed - 29.0 / 30.0).abs() < 1e-12);
        assert_eq!(t.next_code.as_deref(), Some("37359152"));
        assert_eq!(t.next_grouped.as_deref(), Some("3735 9152"));
    }

    #[test]
    fn next_code_is_the_code_of_the_next_period() {
        // RFC 6238: 1111111109 → 07081804, and 1111111111 (next period) → 14050471.
        let t = view(&rfc_totp(8), 1_111_111_109).timing.unwrap();
        assert_eq!(t.seconds_left, 1);
        assert_eq!(t.next_code.as_deref(), Some("14050471"));
    }

    #[test]
    fn the_next_code_is_shown_in_the_last_five_seconds_only() {
        // RFC 6238 SHA-1, 8 digits: the period 30..60 ends at 60, whose code is 37359152.
        let g = rfc_totp(8);
        for at in 30..=54 {
            assert_eq!(view(&g, at).timing.unwrap().next_code, None, "at {at}");
        }
        for at in 55..=59 {
            let t = view(&g, at).timing.unwrap();
            assert_eq!(t.seconds_left, 60 - at as u32);
            assert_eq!(t.next_code.as_deref(), Some("37359152"), "at {at}");
        }
    }

    #[test]
    fn first_second_of_a_period_shows_the_whole_period_left() {
        let v = view(&rfc_totp(6), 0);
        assert_eq!(v.code, "755224");
        assert_eq!(v.grouped, "755 224");
        let t = v.timing.unwrap();
        assert_eq!(t.seconds_left, 30);
        assert_eq!(t.fraction_elapsed, 0.0);
        assert_eq!(t.next_code, None, "the next code waits for the period's last seconds");
        assert_eq!(t.next_grouped, None);
    }

    #[test]
    fn codes_and_countdown_work_past_2038() {
        // RFC 6238: 20000000000 → 65353130; 20000000005 % 30 == 25, the same period.
        let v = view(&rfc_totp(8), 20_000_000_005);
        assert_eq!(v.code, "65353130");
        let t = v.timing.unwrap();
        assert_eq!(t.seconds_left, 5);
        assert!((t.fraction_elapsed - 25.0 / 30.0).abs() < 1e-12);
        assert_eq!(t.next_code.as_deref(), Some("02128202"));
        assert_eq!(t.next_grouped.as_deref(), Some("0212 8202"));
    }

    #[test]
    fn the_end_of_time_does_not_panic() {
        let v = view(&rfc_totp(8), u64::MAX);
        assert_eq!(v.code, "28277486");
        assert_eq!(v.timing.unwrap().seconds_left, 30 - (u64::MAX % 30) as u32);
    }

    #[test]
    fn hotp_shows_the_code_at_the_stored_counter_without_countdown() {
        let g = Generator::new(Params::hotp(Algorithm::Sha1, 6, 1), &SecretBytes::from_slice(b"12345678901234567890"))
            .unwrap();
        // RFC 4226 Appendix D: counter 1 → 287082, whatever the time.
        let v = view(&g, 1_700_000_000);
        assert_eq!(v, CodeView { code: "287082".into(), grouped: "287 082".into(), timing: None });
    }

    #[test]
    fn steam_view_has_five_characters_and_a_countdown() {
        let v =
            view(&Generator::new(Params::steam(), &SecretBytes::from_slice(b"superdupersecret")).unwrap(), 3_000_055);
        assert_eq!(v.code, "YRGQJ");
        assert_eq!(v.grouped, "YRGQJ");
        let t = v.timing.unwrap();
        assert_eq!(t.seconds_left, 5);
        assert_eq!(t.next_grouped.as_deref().map(|n| n.chars().count()), Some(5));
    }
}
