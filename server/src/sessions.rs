//! Session tokens: 256 random bits, handed out once, stored as SHA-256, sent back as
//! `Authorization: Bearer <token>`.
//!
//! Two scopes: an `enrollment` session (password only, 2SV not yet enabled) may only enroll
//! and verify methods; a `full` session follows the second step (or a trusted device) and
//! may do everything. When 2SV is enabled, only the session that completed the enrollment
//! becomes `full` (its holder proved the password and a code from each method); every other
//! enrollment session of the login proved only the password, and is revoked.
//!
//! A session remembers the client device id it was made for, so logout can remove the push
//! registration made from that device and lists can mark "this device".

use rusqlite::{OptionalExtension, Transaction, params};
use zeroize::Zeroizing;

use crate::crypto;
use crate::db::Cached;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Enrollment,
    Full,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Enrollment => "enrollment",
            Scope::Full => "full",
        }
    }
}

/// An authenticated session.
#[derive(Clone, Debug)]
pub struct Session {
    pub token_hash: Vec<u8>,
    pub login_id: String,
    pub scope: Scope,
    /// The `client.device_id` of the sign-in that made it (none for older sessions).
    pub device_id: Option<String>,
}

impl Session {
    /// Refuses an enrollment-only session where a full one is needed.
    pub fn require_full(&self) -> Result<()> {
        match self.scope {
            Scope::Full => Ok(()),
            Scope::Enrollment => Err(Error::api(
                twostep_core::protocol::ErrorCode::Unauthorized,
                "Enable two-step verification first: this session may only enroll methods.",
            )),
        }
    }
}

pub fn create(
    tx: &Transaction<'_>,
    login_id: &str,
    scope: Scope,
    device_id: &str,
    now: u64,
    ttl: u64,
) -> Result<Zeroizing<String>> {
    let token = crypto::new_token();
    tx.exec(
        "INSERT INTO sessions (token_hash, login_id, scope, device_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            crypto::hash_token(&token),
            login_id,
            scope.as_str(),
            device_id,
            now as i64,
            now.saturating_add(ttl) as i64
        ],
    )?;
    Ok(token)
}

/// The live session of `token`, or `unauthorized`.
pub fn authenticate(tx: &Transaction<'_>, token: &str, now: u64) -> Result<Session> {
    let hash = crypto::hash_token(token);
    tx.row(
        "SELECT login_id, scope, device_id FROM sessions
             WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2",
        params![hash, now as i64],
        |r| {
            let scope: String = r.get(1)?;
            Ok(Session {
                token_hash: hash.clone(),
                login_id: r.get(0)?,
                scope: if scope == "full" { Scope::Full } else { Scope::Enrollment },
                device_id: r.get(2)?,
            })
        },
    )
    .optional()?
    .ok_or_else(Error::unauthorized)
}

pub fn revoke(tx: &Transaction<'_>, token_hash: &[u8], now: u64) -> Result<()> {
    tx.exec(
        "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
        params![token_hash, now as i64],
    )?;
    Ok(())
}

/// Once 2SV is enabled: the session that completed the enrollment becomes full, and the
/// login's other enrollment sessions (password only) are revoked.
pub fn complete_enrollment(tx: &Transaction<'_>, session: &Session, now: u64) -> Result<()> {
    tx.exec("UPDATE sessions SET scope = 'full' WHERE token_hash = ?1", [&session.token_hash])?;
    tx.exec(
        "UPDATE sessions SET revoked_at = ?2
         WHERE login_id = ?1 AND scope = 'enrollment' AND revoked_at IS NULL",
        params![session.login_id, now as i64],
    )?;
    Ok(())
}
