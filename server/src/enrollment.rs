//! Turning two-step verification on, and changing methods later, by core's rules.
//!
//! Owns `POST /v1/enrollment`, `POST /v1/enrollment/verify`, `POST /v1/methods/change` and
//! `POST /v1/methods/send`. Which pairs are allowed, and that a change needs a fresh code
//! from a current method, is decided by [`twostep_core::methods`]; a refusal is
//! `rule_violation` with the rule's stable code in `rule` and its words in `message`.
//!
//! A chosen pair is stored as *pending*: an authenticator app gets a fresh 160-bit seed
//! (returned once, inside the otpauth URI), an SMS or voice method gets a code at once. Each
//! method counts only after its code is verified; when both are, the pair becomes *active*
//! and 2SV is on: the session that verified the last code becomes full, and the login's other
//! enrollment sessions (password only) are revoked ([`sessions::complete_enrollment`]). A
//! change keeps the old pair active until the new one is fully verified, so a half-finished
//! change never locks anyone out; verifying a change's pair needs a full session.

use rusqlite::{Transaction, params};
use twostep_core::methods::{
    self, AccessProof, ChangeError, FRESH_CODE_WINDOW_SECS, Method, MethodPair, RuleViolation,
};
use twostep_core::otp::{Credential, uri};
use twostep_core::protocol::endpoints::{
    ChangeMethods, CodeSent, Enroll, EnrollmentStarted, EnrollmentStatus, OutboxMessage, SendCode, VerifyMethod,
};
use twostep_core::protocol::{ApiError, ErrorCode, Role};
use twostep_core::secret::SecretBytes;

use crate::app::App;
use crate::codes::{self, Outcome};
use crate::crypto;
use crate::db::Cached;
use crate::error::{Error, Result};
use crate::method_store::{self, Status};
use crate::sessions::{self, Session};
use crate::throttle;

/// The issuer an authenticator app shows beside the account.
pub const ISSUER: &str = "Twostep Seller";
/// The purpose SMS/voice codes of a pending pair are sent for.
const PENDING_PURPOSE: &str = "methods";
/// The purpose of codes sent to a current method to prove access for a change.
const PROOF_PURPOSE: &str = "change-proof";
/// The throttle scope of enrollment and change codes.
const SCOPE: &str = "methods";

fn rule_violation(v: &RuleViolation) -> Error {
    Error::Api(ApiError {
        rule: Some(v.code().to_owned()),
        field: Some(v.role().as_str().to_owned()),
        ..ApiError::new(ErrorCode::RuleViolation, v.message())
    })
}

fn login_state(tx: &Transaction<'_>, login_id: &str) -> Result<(String, bool)> {
    Ok(tx.row("SELECT email, two_step_enabled FROM logins WHERE id = ?1", [login_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Stores `pair` as pending, with a seed for an app and a code for each phone.
fn start_pair(
    app: &App,
    tx: &Transaction<'_>,
    login_id: &str,
    email: &str,
    pair: &MethodPair,
    now: u64,
) -> Result<(EnrollmentStarted, Vec<OutboxMessage>)> {
    let has_app = [pair.primary(), pair.backup()].iter().any(|m| matches!(m, Method::AuthenticatorApp));
    let seed = has_app.then(crypto::new_seed);
    let (primary_id, backup_id) =
        method_store::store_pending(tx, &app.sealer, login_id, pair, seed.as_deref().map(|s| &s[..]), now)?;
    let mut messages = Vec::new();
    for (id, method) in [(&primary_id, pair.primary()), (&backup_id, pair.backup())] {
        if !matches!(method, Method::AuthenticatorApp) {
            messages.push(codes::send(app, tx, login_id, id, method, PENDING_PURPOSE, now)?);
        }
    }
    let authenticator_uri = seed.map(|s| {
        uri::format(&Credential {
            issuer: ISSUER.to_owned(),
            account: email.to_owned(),
            params: codes::totp_params(),
            secret: SecretBytes::from_slice(&s),
        })
        .into()
    });
    Ok((EnrollmentStarted { authenticator_uri, pending: vec![Role::Primary, Role::Backup] }, messages))
}

/// `POST /v1/enrollment`: the first pair, while 2SV is off.
pub fn enroll(app: &App, session: &Session, req: Enroll) -> Result<EnrollmentStarted> {
    let (started, messages) = app.db.write(|tx| {
        let now = app.now();
        let (email, enabled) = login_state(tx, &session.login_id)?;
        if enabled {
            return Err(Error::api(
                ErrorCode::WrongState,
                "Two-step verification is already on. Change your methods instead.",
            ));
        }
        let pair = methods::validate(Some(&req.primary), Some(&req.backup)).map_err(|v| rule_violation(&v))?;
        start_pair(app, tx, &session.login_id, &email, &pair, now)
    })?;
    app.deliver(&messages);
    Ok(started)
}

/// `POST /v1/enrollment/verify`: a code for one method of the pending pair.
pub fn verify(app: &App, session: &Session, req: VerifyMethod) -> Result<EnrollmentStatus> {
    let code = codes::normalize(req.code.expose())?;
    app.db.write(|tx| {
        let now = app.now();
        let login = &session.login_id;
        let (_, enabled) = login_state(tx, login)?;
        if enabled {
            // Verifying the new pair of a change is for a full session only.
            session.require_full()?;
        }
        let pair = method_store::load(tx, &app.sealer, login, Status::Pending)?.ok_or_else(|| {
            Error::api(ErrorCode::WrongState, "No method is waiting for a code. Choose your methods first.")
        })?;
        let method = pair.get(req.role);
        if method.verified_at.is_none() {
            throttle::check_codes(tx, login, SCOPE, now)?;
            let outcome = codes::check_stored(tx, method, PENDING_PURPOSE, &code, now)?;
            if let Some(refusal) = outcome.refusal() {
                throttle::record_code_failure(tx, login, SCOPE, now)?;
                return Ok(Err(refusal));
            }
            throttle::clear_codes(tx, login, SCOPE)?;
            method_store::mark_verified(tx, &method.id, now)?;
        }
        let pending: Vec<Role> =
            pair.both().iter().filter(|m| m.verified_at.is_none() && m.role != req.role).map(|m| m.role).collect();
        if pending.is_empty() {
            method_store::activate_pending(tx, login)?;
            if !enabled {
                tx.exec("UPDATE logins SET two_step_enabled = 1 WHERE id = ?1", params![login])?;
                sessions::complete_enrollment(tx, session, now)?;
            }
        }
        Ok(Ok(EnrollmentStatus { enabled: pending.is_empty(), pending }))
    })?
}

/// `POST /v1/methods/send`: a code to a current SMS or voice method, to prove access for a
/// change (an authenticator app needs nothing sent). Limited like every send
/// ([`codes::send`]); a wrong proof code counts in the `methods` scope of the throttle and in
/// the login's hourly cap, like any code.
pub fn send_proof_code(app: &App, session: &Session, req: SendCode) -> Result<CodeSent> {
    session.require_full()?;
    let (sent, messages) = app.db.write(|tx| {
        let now = app.now();
        let pair = method_store::load(tx, &app.sealer, &session.login_id, Status::Active)?
            .ok_or_else(|| Error::api(ErrorCode::WrongState, "Two-step verification is not on."))?;
        let target = pair.get(req.to);
        let mut messages = Vec::new();
        if !matches!(target.method, Method::AuthenticatorApp) {
            messages.push(codes::send(app, tx, &session.login_id, &target.id, &target.method, PROOF_PURPOSE, now)?);
        }
        Ok((CodeSent { to: req.to, method: target.summary() }, messages))
    })?;
    app.deliver(&messages);
    Ok(sent)
}

/// `POST /v1/methods/change`: a fresh code from a current method, then the new pair, pending
/// until verified. A refused pair rolls everything back (the proof code stays usable).
pub fn change(app: &App, session: &Session, req: ChangeMethods) -> Result<EnrollmentStarted> {
    session.require_full()?;
    let code =
        codes::normalize(req.proof_code.expose()).map_err(|_| Error::invalid("proof_code", "must be 6 digits"))?;
    let (started, messages) = app.db.write(|tx| {
        let now = app.now();
        let login = &session.login_id;
        let (email, enabled) = login_state(tx, login)?;
        let current = match method_store::load(tx, &app.sealer, login, Status::Active)? {
            Some(pair) if enabled => pair,
            _ => return Err(Error::api(ErrorCode::WrongState, "Two-step verification is not on. Enroll first.")),
        };
        throttle::check_codes(tx, login, SCOPE, now)?;
        let proved = current.get(req.proof_role);
        let outcome = codes::check_stored(tx, proved, PROOF_PURPOSE, &code, now)?;
        if let Some(refusal) = outcome.refusal() {
            throttle::record_code_failure(tx, login, SCOPE, now)?;
            return Ok(Err(refusal));
        }
        debug_assert_eq!(outcome, Outcome::Valid);
        let proofs = [AccessProof { method: proved.method.clone(), verified_at_unix_seconds: now }];
        let pair = methods::change_methods(
            &current.rules_pair()?,
            &proofs,
            now,
            FRESH_CODE_WINDOW_SECS,
            Some(&req.primary),
            Some(&req.backup),
        )
        .map_err(|e| match e {
            ChangeError::RuleViolation { violation } => rule_violation(&violation),
            ChangeError::AccountRecoveryRequired => Error::api(ErrorCode::WrongCode, e.message()),
        })?;
        throttle::clear_codes(tx, login, SCOPE)?;
        start_pair(app, tx, login, &email, &pair, now).map(Ok)
    })??;
    app.deliver(&messages);
    Ok(started)
}
