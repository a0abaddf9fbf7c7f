//! Logins and the password step of sign-in.
//!
//! Owns creating a login (email normalised to lower case, password rules, Argon2id) and
//! `POST /v1/signin`: the password check with its throttle, then one of three answers —
//! `enrollment_required` (2SV not on yet: a session that may only enroll), `signed_in` (2SV on
//! and a trust token that still counts), or `code_required` (a new sign-in attempt, with the
//! reason a presented trust token no longer counts).
//!
//! A wrong password and an unknown email get the same `wrong_password`, after the same
//! Argon2 work.

use std::net::IpAddr;

use rusqlite::OptionalExtension;
use twostep_core::protocol::endpoints::{CodeRequired, CreateLogin, LoginCreated, SignIn, SignInResponse, SignedIn};
use twostep_core::protocol::{ClientInfo, ErrorCode};
use twostep_core::secret::SecretString;

use crate::app::App;
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
        let exists = tx.query_row("SELECT 1 FROM logins WHERE email = ?1", [&email], |_| Ok(())).optional()?;
        if exists.is_some() {
            return Err(Error::api(ErrorCode::AlreadyExists, "There is already a login with this email."));
        }
        let id = crypto::new_id();
        tx.execute(
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

    // Throttle first, then the costly hash outside the database lock.
    let found = app.db.read(|tx| {
        let row: Option<(String, String)> = tx
            .query_row("SELECT id, password_hash FROM logins WHERE email = ?1", [&email], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((id, _)) = &row {
            throttle::check_password(tx, id, app.now())?;
        }
        Ok(row)
    })?;
    let Some((login_id, hash)) = found else {
        let _ = password::verify(req.password.expose(), &app.dummy_hash);
        return Err(wrong_password());
    };
    let password_ok = password::verify(req.password.expose(), &hash);

    app.db.write(|tx| {
        let now = app.now();
        if !password_ok {
            throttle::record_password_failure(tx, &login_id, now)?;
            return Ok(Err(wrong_password()));
        }
        throttle::clear_password(tx, &login_id)?;
        let enabled: bool =
            tx.query_row("SELECT two_step_enabled FROM logins WHERE id = ?1", [&login_id], |r| r.get(0))?;
        let lifetimes = app.config.lifetimes;

        if !enabled {
            let session = sessions::create(tx, &login_id, Scope::Enrollment, now, lifetimes.session)?;
            return Ok(Ok(SignInResponse::EnrollmentRequired {
                session: SecretString::new(session.to_string()),
                login_id,
            }));
        }

        let network = trust::network_of(peer);
        let presented = trust::Presented {
            login_id: &login_id,
            device_id: &req.client.device_id,
            app_version: &req.client.app_version,
            network: &network,
        };
        let trust_lost = match &req.trust_token {
            None => None,
            Some(token) => match trust::check(tx, token.expose(), &presented, now)? {
                Ok(()) => {
                    let session = sessions::create(tx, &login_id, Scope::Full, now, lifetimes.session)?;
                    // The device keeps the token it presented; nothing new is issued.
                    return Ok(Ok(SignInResponse::SignedIn(SignedIn {
                        login_id,
                        session: SecretString::new(session.to_string()),
                        trust_token: None,
                        trust_expires_at: None,
                    })));
                }
                Err(reason) => Some(reason),
            },
        };

        let pair = method_store::load(tx, &login_id, Status::Active)?
            .ok_or_else(|| Error::Internal("2SV is on but the login has no active methods".into()))?;
        let attempt = attempts::create(tx, &login_id, &req.client, peer, now, lifetimes.attempt)?;
        let push_available: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM devices WHERE login_id = ?1)", [&login_id], |r| r.get(0))?;
        Ok(Ok(SignInResponse::CodeRequired(CodeRequired {
            attempt_id: attempt.id,
            primary: pair.primary.summary(),
            backup: pair.backup.summary(),
            push_available,
            trust_lost,
            expires_at: attempt.expires_at,
        })))
    })?
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
