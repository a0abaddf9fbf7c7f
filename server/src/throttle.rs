//! Throttling of guesses: wrong passwords and wrong codes.
//!
//! The rule (a pure function, [`backoff_secs`]): the first [`FREE_FAILURES`] failures in a row
//! cost nothing; from then on each further try waits `30 s × 2^(failures − 5)`, capped at an
//! hour. A code scope (one sign-in attempt, enrollment, a change of methods) keeps its own
//! row of failures, cleared by a success; on top, a login takes at most [`HOURLY_CAP`] wrong
//! codes per hour across all scopes, so starting new attempts does not buy more guesses.
//! With 10⁶ six-digit codes and three accepted per TOTP window, that leaves an attacker with
//! ~0.03 % per hour.
//!
//! While throttled, even a correct guess is refused: otherwise the throttle would not slow
//! down a brute force at all.
//!
//! Wrong passwords follow the same back-off, kept per [`PasswordKey`]: per network (an IPv4
//! /24, an IPv6 /64) for ordinary sign-ins, per trusted device for a sign-in presenting a
//! live trust token. On top, a login takes at most [`PASSWORD_HOURLY_CAP`] wrong passwords
//! per hour from untrusted sign-ins. So a stranger who knows the email slows down only their
//! own networks; with many networks they can exhaust the hourly cap, which still leaves the
//! owner's trusted devices able to sign in. A try is counted *before* Argon2 runs, in the
//! same transaction that checked it may run ([`reserve_password_try`]): simultaneous wrong
//! passwords cannot all slip past the check.

use rusqlite::{Transaction, params};

use crate::db::Cached;
use crate::error::{Error, Result};

/// Failures in a row before any waiting.
pub const FREE_FAILURES: u32 = 5;
/// The first wait, doubled with each further failure.
pub const BASE_WAIT_SECS: u64 = 30;
/// The longest wait.
pub const MAX_WAIT_SECS: u64 = 3600;
/// Wrong codes a login may send per hour, across attempts.
pub const HOURLY_CAP: u32 = 100;

/// How long to wait after `failures` failures in a row.
pub fn backoff_secs(failures: u32) -> u64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    (BASE_WAIT_SECS << doublings).min(MAX_WAIT_SECS)
}

/// Seconds still to wait at `now`, after `failures` failures in a row, the last at `last_at`.
pub fn wait_left(failures: u32, last_at: u64, now: u64) -> Option<u64> {
    let until = last_at.saturating_add(backoff_secs(failures));
    (failures >= FREE_FAILURES && now < until).then(|| until - now)
}

/// Refuses with `throttled` when `scope` of `login_id` must wait, or the login has used up its
/// hourly wrong codes.
pub fn check_codes(tx: &Transaction<'_>, login_id: &str, scope: &str, now: u64) -> Result<()> {
    let (failures, last_at): (u32, Option<i64>) = tx.row(
        "SELECT COUNT(*), MAX(at) FROM code_failures WHERE login_id = ?1 AND scope = ?2 AND cleared = 0",
        params![login_id, scope],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some(wait) = last_at.and_then(|last| wait_left(failures, last as u64, now)) {
        return Err(Error::throttled(wait, format!("Too many wrong codes. Try again in {wait} seconds.")));
    }
    let since = now.saturating_sub(3600) as i64;
    let (count, oldest): (u32, Option<i64>) = tx.row(
        "SELECT COUNT(*), MIN(at) FROM code_failures WHERE login_id = ?1 AND at > ?2",
        params![login_id, since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if count >= HOURLY_CAP {
        let wait = (oldest.unwrap_or(since) as u64 + 3600).saturating_sub(now);
        return Err(Error::throttled(
            wait,
            format!("Too many wrong codes for this login in the last hour. Try again in {wait} seconds."),
        ));
    }
    Ok(())
}

pub fn record_code_failure(tx: &Transaction<'_>, login_id: &str, scope: &str, now: u64) -> Result<()> {
    tx.exec(
        "INSERT INTO code_failures (login_id, scope, at) VALUES (?1, ?2, ?3)",
        params![login_id, scope, now as i64],
    )?;
    // Cleared rows matter only for the hourly cap, and a day-old run of failures belongs to an
    // attempt long expired: keep the table small.
    tx.exec(
        "DELETE FROM code_failures WHERE login_id = ?1 AND ((cleared = 1 AND at <= ?2) OR at <= ?3)",
        params![login_id, now.saturating_sub(3600) as i64, now.saturating_sub(86_400) as i64],
    )?;
    Ok(())
}

/// A success ends the scope's run of failures; they still count towards the hourly cap.
pub fn clear_codes(tx: &Transaction<'_>, login_id: &str, scope: &str) -> Result<()> {
    tx.exec("UPDATE code_failures SET cleared = 1 WHERE login_id = ?1 AND scope = ?2", params![login_id, scope])?;
    Ok(())
}

/// Wrong passwords a login takes per hour from sign-ins that are not on a trusted device
/// (ASVS 2.2.1's 100).
pub const PASSWORD_HOURLY_CAP: u32 = 100;

/// What wrong passwords are counted per: the network a sign-in comes from, or the trusted
/// device (a live trust token) it is made on. A stranger's failures come from the stranger's
/// networks and never hold back the owner's trusted device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordKey {
    Network(String),
    TrustedDevice(String),
}

impl PasswordKey {
    fn as_stored(&self) -> String {
        match self {
            PasswordKey::Network(n) => format!("net:{n}"),
            PasswordKey::TrustedDevice(id) => format!("trust:{id}"),
        }
    }

    fn trusted(&self) -> bool {
        matches!(self, PasswordKey::TrustedDevice(_))
    }
}

/// The throttle's subject for an email that is no login: tries at it are throttled exactly
/// like a login's, so `throttled` does not tell which emails are logins.
pub fn unknown_email_subject(email: &str) -> String {
    format!("email:{}", crate::crypto::token_key(email))
}

/// A password try counted before the hash is checked; [`password_ok`] takes it back.
#[derive(Debug)]
pub struct Reserved {
    row: i64,
    key: String,
}

/// "May I try" and "count this try" in one step, inside the caller's write transaction, for
/// `subject` (a login id, or [`unknown_email_subject`] for an email that is no login):
/// refuses with `throttled` while `key` must wait or the login's hourly cap is used up
/// (trusted devices are outside the cap); otherwise records the try as a failure, so
/// simultaneous tries each see the ones before them.
pub fn reserve_password_try(tx: &Transaction<'_>, subject: &str, key: &PasswordKey, now: u64) -> Result<Reserved> {
    let stored = key.as_stored();
    tx.exec(
        "DELETE FROM password_failures WHERE subject = ?1 AND at <= ?2",
        params![subject, now.saturating_sub(86_400) as i64],
    )?;
    let (failures, last_at): (u32, Option<i64>) = tx.row(
        "SELECT COUNT(*), MAX(at) FROM password_failures WHERE subject = ?1 AND key = ?2 AND cleared = 0",
        params![subject, stored],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some(wait) = last_at.and_then(|last| wait_left(failures, last as u64, now)) {
        return Err(Error::throttled(wait, format!("Too many wrong passwords. Try again in {wait} seconds.")));
    }
    if !key.trusted() {
        let since = now.saturating_sub(3600) as i64;
        let (count, oldest): (u32, Option<i64>) = tx.row(
            "SELECT COUNT(*), MIN(at) FROM password_failures WHERE subject = ?1 AND trusted = 0 AND at > ?2",
            params![subject, since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if count >= PASSWORD_HOURLY_CAP {
            let wait = (oldest.unwrap_or(since) as u64 + 3600).saturating_sub(now);
            return Err(Error::throttled(
                wait,
                format!(
                    "Too many wrong passwords for this login in the last hour. Try again in {wait} seconds, \
                     or sign in on a device you chose not to be asked for codes on."
                ),
            ));
        }
    }
    tx.exec(
        "INSERT INTO password_failures (subject, key, trusted, at) VALUES (?1, ?2, ?3, ?4)",
        params![subject, stored, key.trusted(), now as i64],
    )?;
    Ok(Reserved { row: tx.last_insert_rowid(), key: stored })
}

/// The password was right: the reserved try was no failure, and the key's run of failures
/// ends (they still count towards the login's hourly cap).
pub fn password_ok(tx: &Transaction<'_>, subject: &str, reserved: &Reserved) -> Result<()> {
    tx.exec("DELETE FROM password_failures WHERE id = ?1", [reserved.row])?;
    tx.exec(
        "UPDATE password_failures SET cleared = 1 WHERE subject = ?1 AND key = ?2",
        params![subject, reserved.key],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_five_failures_are_free_then_the_wait_doubles_up_to_an_hour() {
        assert_eq!((0..5).map(backoff_secs).collect::<Vec<_>>(), [0, 0, 0, 0, 0]);
        assert_eq!(backoff_secs(5), 30);
        assert_eq!(backoff_secs(6), 60);
        assert_eq!(backoff_secs(9), 480);
        assert_eq!(backoff_secs(12), 3600);
        assert_eq!(backoff_secs(u32::MAX), 3600);
    }

    #[test]
    fn the_wait_runs_from_the_last_failure() {
        assert_eq!(wait_left(4, 1000, 1000), None);
        assert_eq!(wait_left(5, 1000, 1000), Some(30));
        assert_eq!(wait_left(5, 1000, 1029), Some(1));
        assert_eq!(wait_left(5, 1000, 1030), None);
    }
}
