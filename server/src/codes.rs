//! Checking one-time codes: TOTP from an authenticator app, and the SMS/voice codes this
//! backend sends.
//!
//! TOTP (RFC 6238): SHA-1, 6 digits, 30-second steps, the code of the server's step or one
//! step either side (RFC 6238 §5.2's allowance for clock drift and typing time). Each step is
//! accepted once per method: a code whose step is not after the last accepted one is a replay
//! ([`TotpCheck::Reused`]), even inside the window.
//!
//! SMS/voice codes: 6 random digits, single use, 10 minutes, stored as SHA-256 and bound to
//! the method and purpose (a sign-in attempt, enrollment or a change) they were sent for.
//! Every comparison is constant time.
//!
//! Sending is limited, so codes can neither flood a phone nor pile up to be guessed: a new
//! code replaces the unused ones of the same method and purpose (only the newest is valid);
//! a method gets at most [`MAX_SENDS_PER_PURPOSE`] codes for one purpose per
//! [`SEND_WINDOW_SECS`], and a login at most [`MAX_SENDS_PER_LOGIN_HOUR`] per hour in all,
//! even if it keeps choosing new methods (`rate_limited` with `retry_after`). A limit per
//! phone number across logins is left to the SMS gateway, which sees every sender. Wrong codes count in the throttle (`throttle`).

use rusqlite::{Transaction, params};
use twostep_core::methods::Method;
use twostep_core::otp::display::ungroup;
use twostep_core::otp::{Algorithm, Generator, Params, STANDARD_PERIOD};
use twostep_core::protocol::endpoints::OutboxMessage;
use twostep_core::secret::{SecretBytes, ct_eq};

use crate::app::App;
use crate::crypto;
use crate::db::Cached;
use crate::error::{Error, Result};
use crate::method_store::{self, StoredMethod, StoredPair};
use crate::outbox;

/// Codes one method may be sent for one purpose (an attempt, enrollment, a change's proof)
/// per [`SEND_WINDOW_SECS`].
pub const MAX_SENDS_PER_PURPOSE: u32 = 5;
pub const SEND_WINDOW_SECS: u64 = 10 * 60;
/// Codes one login may be sent per hour, across methods and purposes.
pub const MAX_SENDS_PER_LOGIN_HOUR: u32 = 20;
pub const CODE_DIGITS: u8 = 6;

/// The parameters of every authenticator seed this backend issues.
pub fn totp_params() -> Params {
    Params::totp(Algorithm::Sha1, CODE_DIGITS, STANDARD_PERIOD)
}

/// What a TOTP check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TotpCheck {
    /// The code of `step`, newer than any accepted before: record `step` as used.
    Valid {
        step: u64,
    },
    /// The code of a step already accepted (or older): a replay.
    Reused {
        step: u64,
    },
    Wrong,
}

/// Checks `code` against `seed` at `now`, allowing one step either side, refusing steps up
/// to `last_used_step`. This is the server's one TOTP check (the benchmark runs it too).
pub fn check_totp(seed: &SecretBytes, code: &str, now: u64, last_used_step: Option<u64>) -> TotpCheck {
    let Ok(generator) = Generator::new(totp_params(), seed) else { return TotpCheck::Wrong };
    check_totp_with(&generator, code, now, last_used_step)
}

/// [`check_totp`] with a generator already built.
pub fn check_totp_with(generator: &Generator, code: &str, now: u64, last_used_step: Option<u64>) -> TotpCheck {
    let period = u64::from(STANDARD_PERIOD);
    let current = now / period;
    let mut newest_match = None;
    // All three candidates are computed and compared whatever matches, so the time taken does
    // not tell which step (if any) the code belongs to.
    for step in current.saturating_sub(1)..=current + 1 {
        let candidate = generator.code_at(step * period);
        if ct_eq(candidate.as_bytes(), code.as_bytes()) {
            newest_match = Some(step);
        }
    }
    match (newest_match, last_used_step) {
        (None, _) => TotpCheck::Wrong,
        (Some(step), Some(last)) if step <= last => TotpCheck::Reused { step },
        (Some(step), _) => TotpCheck::Valid { step },
    }
}

/// Reads a typed code: its grouping undone by core's one clean-up ([`ungroup`]); what is left
/// must be exactly six digits.
pub fn normalize(input: &str) -> Result<String> {
    let code = ungroup(input);
    let code = code.expose();
    if code.len() != usize::from(CODE_DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("code", format!("must be {CODE_DIGITS} digits")));
    }
    Ok(code.to_owned())
}

/// What a check of an SMS/voice code found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentCheck {
    Valid,
    Reused,
    Expired,
    Wrong,
}

/// Creates a code for `method` (SMS or voice) and `purpose`, replacing the unused ones sent
/// for the same, and records its message in the outbox; `rate_limited` past the send limits.
/// The caller delivers the returned message once `tx` has committed.
pub fn send(
    app: &App,
    tx: &Transaction<'_>,
    login_id: &str,
    method_id: &str,
    method: &Method,
    purpose: &str,
    now: u64,
) -> Result<OutboxMessage> {
    let window_start = now.saturating_sub(SEND_WINDOW_SECS) as i64;
    let (recent, oldest): (u32, Option<i64>) = tx.row(
        "SELECT COUNT(*), MIN(created_at) FROM codes WHERE method_id = ?1 AND purpose = ?2 AND created_at > ?3",
        params![method_id, purpose, window_start],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if recent >= MAX_SENDS_PER_PURPOSE {
        let wait = (oldest.unwrap_or(window_start) as u64 + SEND_WINDOW_SECS).saturating_sub(now);
        return Err(Error::rate_limited(
            wait,
            "Too many codes were sent to this phone lately. Use the last one, or wait.",
        ));
    }
    // The hourly counts read the outbox, which keeps every message sent whatever happens to
    // the methods: choosing new methods again and again does not reset them.
    let hour_start = now.saturating_sub(3600) as i64;
    let (hourly, oldest): (u32, Option<i64>) = tx.row(
        "SELECT COUNT(*), MIN(sent_at) FROM outbox WHERE login_id = ?1 AND sent_at > ?2",
        params![login_id, hour_start],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if hourly >= MAX_SENDS_PER_LOGIN_HOUR {
        let wait = (oldest.unwrap_or(hour_start) as u64 + 3600).saturating_sub(now);
        return Err(Error::rate_limited(
            wait,
            "Too many codes were sent for this login in the last hour. Wait, or use an authenticator app.",
        ));
    }
    // Rows are kept an hour past their expiry for the counts above, then go.
    tx.exec(
        "DELETE FROM codes WHERE login_id = ?1 AND expires_at < ?2 AND created_at <= ?2",
        params![login_id, hour_start],
    )?;
    // Only the newest code counts: an older one typed later reads as expired.
    tx.exec(
        "UPDATE codes SET expires_at = ?3
         WHERE method_id = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3",
        params![method_id, purpose, now as i64],
    )?;
    let code = crypto::new_code();
    let ttl = app.config.lifetimes.code;
    tx.exec(
        "INSERT INTO codes (login_id, method_id, purpose, code_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![login_id, method_id, purpose, crypto::hash_token(&code), now as i64, now.saturating_add(ttl) as i64],
    )?;
    outbox::record(tx, login_id, method, &code, now, app.config.dev_outbox)
}

/// Checks `code` against the codes sent to `method_id` for `purpose`; a valid one is used up.
pub fn check_sent(tx: &Transaction<'_>, method_id: &str, purpose: &str, code: &str, now: u64) -> Result<SentCheck> {
    let hash = crypto::hash_token(code);
    let mut stmt = tx
        .prepare_cached("SELECT id, code_hash, expires_at, used_at FROM codes WHERE method_id = ?1 AND purpose = ?2")?;
    let rows = stmt.query_map(params![method_id, purpose], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, i64>(2)?, r.get::<_, Option<i64>>(3)?))
    })?;
    let mut found = SentCheck::Wrong;
    let mut valid_id = None;
    for row in rows {
        let (id, stored, expires_at, used_at) = row?;
        if !ct_eq(&stored, &hash) {
            continue;
        }
        let state = if used_at.is_some() {
            SentCheck::Reused
        } else if now >= expires_at as u64 {
            SentCheck::Expired
        } else {
            SentCheck::Valid
        };
        // A valid copy wins over a used or expired one (two sends can draw the same digits).
        if state == SentCheck::Valid {
            valid_id = Some(id);
        }
        if found != SentCheck::Valid {
            found = state;
        }
    }
    drop(stmt);
    if let Some(id) = valid_id {
        tx.exec("UPDATE codes SET used_at = ?2 WHERE id = ?1", params![id, now as i64])?;
    }
    Ok(found)
}

/// What checking a code against one stored method found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Valid,
    Reused,
    Expired,
    Wrong,
}

impl Outcome {
    /// The refusal a client sees for anything but [`Outcome::Valid`].
    pub fn refusal(self) -> Option<Error> {
        use twostep_core::protocol::ErrorCode;
        match self {
            Outcome::Valid => None,
            Outcome::Reused => {
                Some(Error::api(ErrorCode::CodeReused, "That code was already used. Wait for the next one."))
            }
            Outcome::Expired => Some(Error::api(
                ErrorCode::WrongCode,
                "That code expired or a newer one replaced it. Use the newest code, or ask for a new one.",
            )),
            Outcome::Wrong => Some(Error::api(ErrorCode::WrongCode, "That code is not right. Check it and try again.")),
        }
    }
}

/// Checks `code` against one stored method: TOTP for an authenticator app (recording the
/// accepted step), otherwise the codes sent to it for `purpose` (using the code up).
pub fn check_stored(tx: &Transaction<'_>, m: &StoredMethod, purpose: &str, code: &str, now: u64) -> Result<Outcome> {
    match &m.method {
        Method::AuthenticatorApp => {
            let Some(seed) = &m.seed else { return Ok(Outcome::Wrong) };
            Ok(match check_totp(seed, code, now, m.last_totp_step) {
                TotpCheck::Valid { step } => {
                    method_store::record_totp_step(tx, &m.id, step)?;
                    Outcome::Valid
                }
                TotpCheck::Reused { .. } => Outcome::Reused,
                TotpCheck::Wrong => Outcome::Wrong,
            })
        }
        _ => Ok(match check_sent(tx, &m.id, purpose, code, now)? {
            SentCheck::Valid => Outcome::Valid,
            SentCheck::Reused => Outcome::Reused,
            SentCheck::Expired => Outcome::Expired,
            SentCheck::Wrong => Outcome::Wrong,
        }),
    }
}

/// Checks `code` against both methods of a pair: valid if either accepts it; otherwise the
/// most telling refusal (a replay over an expired code over a wrong one).
pub fn check_pair(tx: &Transaction<'_>, pair: &StoredPair, purpose: &str, code: &str, now: u64) -> Result<Outcome> {
    let mut best = Outcome::Wrong;
    for m in pair.both() {
        let outcome = check_stored(tx, m, purpose, code, now)?;
        best = match (outcome, best) {
            (Outcome::Valid, _) => return Ok(Outcome::Valid),
            (Outcome::Reused, _) | (_, Outcome::Reused) => Outcome::Reused,
            (Outcome::Expired, _) | (_, Outcome::Expired) => Outcome::Expired,
            _ => Outcome::Wrong,
        };
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B's SHA-1 seed, truncated to 6 digits.
    fn seed() -> SecretBytes {
        SecretBytes::from_slice(b"12345678901234567890")
    }

    #[test]
    fn the_current_step_and_one_either_side_are_accepted() {
        // RFC 6238: T = 59 → 94287082, so step 1's 6-digit code is 287082.
        assert_eq!(check_totp(&seed(), "287082", 59, None), TotpCheck::Valid { step: 1 });
        assert_eq!(check_totp(&seed(), "287082", 89, None), TotpCheck::Valid { step: 1 });
        assert_eq!(check_totp(&seed(), "287082", 30 * 3, None), TotpCheck::Wrong);
    }

    #[test]
    fn a_step_already_used_is_a_replay() {
        assert_eq!(check_totp(&seed(), "287082", 59, Some(1)), TotpCheck::Reused { step: 1 });
        assert_eq!(check_totp(&seed(), "287082", 59, Some(2)), TotpCheck::Reused { step: 1 });
        assert_eq!(check_totp(&seed(), "287082", 59, Some(0)), TotpCheck::Valid { step: 1 });
    }

    #[test]
    fn typed_codes_may_be_grouped() {
        assert_eq!(normalize(" 287 082 ").unwrap(), "287082");
        assert_eq!(normalize("287-082").unwrap(), "287082");
        assert!(normalize("28708").is_err());
        assert!(normalize("28708a").is_err());
    }
}
