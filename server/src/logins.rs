//! Logins and the password step of sign-in.
//!
//! Owns creating a login (email normalised to lower case, password rules, Argon2id) and
//! `POST /v1/signin`: the password check with its throttle, then one of three answers —
//! `enrollment_required` (2SV not on yet: a session that may only enroll), `signed_in` (2SV on
//! and a trust token that still counts), or `code_required` (a new sign-in attempt, with the
//! reason a presented trust token no longer counts).
//!
//! A wrong password and an unknown email get the same `wrong_password`, after the same
//! Argon2 work. The throttle ([`crate::throttle`]) counts a try before its hash is checked.
//! Also owns the purge of expired rows, run from here at most once a minute.

use std::net::IpAddr;

use rusqlite::OptionalExtension;
use twostep_core::protocol::endpoints::{CodeRequired, CreateLogin, LoginCreated, SignIn, SignInResponse, SignedIn};
use twostep_core::protocol::{ClientInfo, ErrorCode};
use twostep_core::secret::SecretString;

use crate::app::App;
use crate::db::Cached;
use crate::error::{Error, Result};
use crate::method_store::{self, Status};
use crate::sessions::{self, Scope};
use crate::{attempts, crypto, password, throttle, trust};

/// Longest email accepted (RFC 5321's path limit).
const MAX_EMAIL_BYTES: usize = 254;
const MAX_CLIENT_FIELD_BYTES: usize = 256;
const MAX_USER_AGENT_BYTES: usize = 512;

/// Trims and lower-cases an email, and checks it has the shape `local@domain`.
pub fn normalize_email(raw: &str) -> Result<String> {
    let email = raw.trim().to_lowercase();
    let shape_ok = match email.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    };
    if !shape_ok || email.len() > MAX_EMAIL_BYTES || email.chars().any(char::is_whitespace) {
        return Err(Error::invalid("email", "must be an email address such as ada@example.com"));
    }
    Ok(email)
}

fn wrong_password() -> Error {
    Error::api(ErrorCode::WrongPassword, "The email or password is not right.")
}

pub fn check_client(client: &ClientInfo) -> Result<()> {
    let non_empty = |field: &str, value: &str, max: usize| {
        if value.trim().is_empty() {
            return Err(Error::invalid(format!("client.{field}"), "must not be empty"));
        }
        if value.len() > max {
            return Err(Error::invalid(format!("client.{field}"), format!("must be at most {max} bytes")));
        }
        Ok(())
    };
    non_empty("device_id", &client.device_id, MAX_CLIENT_FIELD_BYTES)?;
    non_empty("app_version", &client.app_version, MAX_CLIENT_FIELD_BYTES)?;
    if client.user_agent.len() > MAX_USER_AGENT_BYTES {
        return Err(Error::invalid("client.user_agent", format!("must be at most {MAX_USER_AGENT_BYTES} bytes")));
    }
    Ok(())
}

pub fn create(app: &App, req: CreateLogin) -> Result<LoginCreated> {
    let email = normalize_email(&req.email)?;
    password::check_new(req.password.expose())?;
    let hash = password::hash(req.password.expose(), app.config.password_cost)?;
    app.db.write(|tx| {
        let exists = tx.row("SELECT 1 FROM logins WHERE email = ?1", [&email], |_| Ok(())).optional()?;
        if exists.is_some() {
            return Err(Error::api(ErrorCode::AlreadyExists, "There is already a login with this email."));
        }
        let id = crypto::new_id();
        tx.exec(
            "INSERT INTO logins (id, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![id, email, hash, app.now() as i64],
        )?;
        Ok(LoginCreated { login_id: id })
    })
}

pub fn sign_in(app: &App, req: SignIn, peer: IpAddr) -> Result<SignInResponse> {
    let email = normalize_email(&req.email)?;
    check_client(&req.client)?;
    if req.password.expose().len() > password::MAX_PASSWORD_BYTES {
        return Err(wrong_password());
    }
    let network = trust::network_of(peer);

    // May this try run, and count it: one transaction, before the costly hash (which runs
    // outside the database lock). The reservation commits even though the hash is not
    // checked yet, so simultaneous tries each see the ones before them.
    let reserved = app.db.write(|tx| {
        let now = app.now();
        if app.purge_due(now) {
            purge(tx, now)?;
        }
        let row: Option<(String, String)> = tx
            .row("SELECT id, password_hash FROM logins WHERE email = ?1", [&email], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((id, hash)) = row else {
            let subject = throttle::unknown_email_subject(&email);
            throttle::reserve_password_try(tx, &subject, &throttle::PasswordKey::Network(network.clone()), now)?;
            return Ok(None);
        };
        let presented = trust::Presented {
            login_id: &id,
            device_id: &req.client.device_id,
            app_version: &req.client.app_version,
            network: &network,
        };
        let key = match &req.trust_token {
            Some(token) => {
                trust::live_id(tx, token.expose(), &presented, now)?.map(throttle::PasswordKey::TrustedDevice)
            }
            None => None,
        }
        .unwrap_or_else(|| throttle::PasswordKey::Network(network.clone()));
        let reserved = throttle::reserve_password_try(tx, &id, &key, now)?;
        Ok(Some((id, hash, reserved)))
    })?;
    let Some((login_id, hash, reserved)) = reserved else {
        let _ = password::verify(req.password.expose(), &app.dummy_hash);
        return Err(wrong_password());
    };
    if !password::verify(req.password.expose(), &hash) {
        // Already counted by the reservation.
        return Err(wrong_password());
    }

    app.db.write(|tx| {
        let now = app.now();
        throttle::password_ok(tx, &login_id, &reserved)?;
        let enabled: bool = tx.row("SELECT two_step_enabled FROM logins WHERE id = ?1", [&login_id], |r| r.get(0))?;
        let lifetimes = app.config.lifetimes;
        let device_id = &req.client.device_id;

        if !enabled {
            let session = sessions::create(tx, &login_id, Scope::Enrollment, device_id, now, lifetimes.session)?;
            return Ok(SignInResponse::EnrollmentRequired {
                session: SecretString::new(session.to_string()),
                login_id,
            });
        }

        let presented = trust::Presented {
            login_id: &login_id,
            device_id,
            app_version: &req.client.app_version,
            network: &network,
        };
        let trust_lost = match &req.trust_token {
            None => None,
            Some(token) => match trust::check(tx, token.expose(), &presented, now)? {
                Ok(()) => {
                    let session = sessions::create(tx, &login_id, Scope::Full, device_id, now, lifetimes.session)?;
                    // The device keeps the token it presented; nothing new is issued.
                    return Ok(SignInResponse::SignedIn(SignedIn {
                        login_id,
                        session: SecretString::new(session.to_string()),
                        trust_token: None,
                        trust_expires_at: None,
                    }));
                }
                Err(reason) => Some(reason),
            },
        };

        let pair = method_store::load(tx, &app.sealer, &login_id, Status::Active)?
            .ok_or_else(|| Error::Internal("2SV is on but the login has no active methods".into()))?;
        let (attempt, attempt_id) = attempts::create(tx, &login_id, &req.client, peer, now, lifetimes.attempt)?;
        let push_available: bool =
            tx.row("SELECT EXISTS (SELECT 1 FROM devices WHERE login_id = ?1)", [&login_id], |r| r.get(0))?;
        Ok(SignInResponse::CodeRequired(CodeRequired {
            attempt_id: attempt_id.to_string(),
            primary: pair.primary.summary(),
            backup: pair.backup.summary(),
            push_available,
            trust_lost,
            expires_at: attempt.expires_at,
        }))
    })
}

/// Deletes what has expired for good: codes (an hour after expiry, kept that long for the
/// send limits), sign-in attempts and their pushes (a day after), sessions (a day after),
/// password failures and outbox rows (a day old), trust tokens (90 days after expiry; until then a presented
/// one is still reported as `expired`) and seen ids.
pub fn purge(tx: &rusqlite::Transaction<'_>, now: u64) -> Result<()> {
    let hour = now.saturating_sub(3600) as i64;
    let day = now.saturating_sub(86_400) as i64;
    tx.exec("DELETE FROM codes WHERE expires_at < ?1", [hour])?;
    tx.exec("DELETE FROM attempts WHERE expires_at < ?1", [day])?;
    tx.exec("DELETE FROM sessions WHERE expires_at < ?1", [day])?;
    tx.exec("DELETE FROM password_failures WHERE at < ?1", [day])?;
    tx.exec("DELETE FROM code_failures WHERE at < ?1", [day])?;
    tx.exec("DELETE FROM trust_tokens WHERE expires_at < ?1", [now.saturating_sub(90 * 86_400) as i64])?;
    tx.exec("DELETE FROM seen_ids WHERE expires_at < ?1", [hour])?;
    tx.exec("DELETE FROM outbox WHERE sent_at < ?1", [day])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(normalize_email("  Ada@Example.COM ").unwrap(), "ada@example.com");
        for bad in ["", "ada", "@example.com", "ada@", "a@b@c", "ad a@example.com"] {
            assert_eq!(normalize_email(bad).unwrap_err().code(), ErrorCode::InvalidRequest, "{bad}");
        }
    }
}
