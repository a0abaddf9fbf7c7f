//! Push approval: registering phones, "Is this you signing in?" challenges, and the phone's
//! signed answers (the wire rules are core's [`twostep_core::protocol::signed`]).
//!
//! Owns `POST /v1/devices`, `POST /v1/signin/{attempt}/push`,
//! `POST /v1/devices/{device}/challenges` and `POST /v1/challenges/{id}/answer`.
//!
//! - A push creates one challenge per registered device, all with the same id, nonce and
//!   number, each signed by the server for its device. The number (10–99) goes only to the
//!   sign-in side; the phone's user must type it (number matching against push fatigue).
//!   A newer push of the same attempt supersedes the older one (the screen shows one number).
//!   Limits: 3 pushes per sign-in attempt, 5 per login per 10 minutes (`rate_limited`).
//! - A phone fetches pending challenges with a signed [`DeviceProof`] (fresh, nonce single
//!   use), so nobody else can list them.
//! - An answer is checked in this order: device known (`unknown_device`), signature with
//!   that device's key (`bad_signature`), challenge exists for that device (`not_found`),
//!   nonce echoed (`invalid_request`), answer not expired and not dated more than 60 s ahead
//!   (`answer_expired`), challenge not expired (`challenge_expired`), challenge not answered
//!   and answer id never seen (`challenge_answered`). Approving needs the number: a wrong
//!   number fails the sign-in (`wrong_number`, and the sign-in side sees `denied`).
//!
//! - A login registers at most [`crate::devices::MAX_DEVICES`] phones: the next is refused
//!   with `too_many_devices` (nothing is evicted silently; settings list and remove them).
//! - Signed messages from a device must carry the protocol version this server speaks
//!   (`v`, [`PROTOCOL_VERSION`]); another is refused with `unsupported_version`.
//! - The challenges of a push are signed outside the database lock: the checks and the
//!   push's rows are written in one short transaction after the signing.
//!
//! Platform push delivery itself is out of scope: a push is logged ("pending for N devices")
//! and phones fetch; that is also what the apps' "Check for requests" does.

use std::net::IpAddr;

use data_encoding::BASE64URL_NOPAD;
use rusqlite::{OptionalExtension, Transaction, params};
use twostep_core::protocol::endpoints::{
    AnswerAccepted, AnswerOutcome, DeviceRegistered, PendingChallenges, PushStarted, RegisterDevice, StartPush,
};
use twostep_core::protocol::signed::{self, PROTOCOL_VERSION};
use twostep_core::protocol::{
    Answer, ApiError, Challenge, ChallengeContext, Decision, DeviceProof, ErrorCode, MATCH_NUMBER_MAX,
    MATCH_NUMBER_MIN, SignatureError, SignedEnvelope,
};

use crate::app::App;
use crate::attempts::{self, State};
use crate::db::Cached;
use crate::error::{Error, Result};
use crate::sessions::Session;
use crate::{crypto, devices};

pub const MAX_PUSHES_PER_ATTEMPT: u32 = 3;
pub const MAX_PUSHES_PER_WINDOW: u32 = 5;
pub const PUSH_WINDOW_SECS: u64 = 10 * 60;
/// Longest life a device-signed proof or answer may claim.
pub const MAX_SIGNED_LIFETIME_SECS: u64 = 5 * 60;
/// How far ahead of the server's clock a device-signed message may be dated.
pub const MAX_FUTURE_SECS: u64 = 60;
/// What the challenge names as the app being signed in to.
pub const APP_NAME: &str = "Seller Central";

struct Device {
    public_key: String,
}

fn load_device(tx: &Transaction<'_>, id: &str) -> Result<Device> {
    tx.row("SELECT public_key FROM devices WHERE id = ?1", [id], |r| Ok(Device { public_key: r.get(0)? }))
        .optional()?
        .ok_or_else(|| Error::api(ErrorCode::UnknownDevice, "This device is not registered."))
}

fn signature_error(e: SignatureError) -> Error {
    match e {
        SignatureError::Malformed(_) => Error::invalid("payload", "is not a valid signed message"),
        SignatureError::BadSignature | SignatureError::BadKey => {
            Error::api(ErrorCode::BadSignature, "The signature does not verify with this device's key.")
        }
    }
}

/// Checks the validity window a device put in a signed message.
fn check_window(issued_at: u64, expires_at: u64, now: u64, what: &str) -> Result<()> {
    if expires_at < issued_at || expires_at - issued_at > MAX_SIGNED_LIFETIME_SECS {
        return Err(Error::invalid(
            "expires_at",
            format!("a {what} may live at most {MAX_SIGNED_LIFETIME_SECS} seconds"),
        ));
    }
    if issued_at > now.saturating_add(MAX_FUTURE_SECS) {
        return Err(Error::api(
            ErrorCode::AnswerExpired,
            format!("This {what} is dated in the future; check the phone's clock."),
        ));
    }
    if now >= expires_at {
        return Err(Error::api(ErrorCode::AnswerExpired, format!("This {what} expired; send a fresh one.")));
    }
    Ok(())
}

/// Records a single-use value; false when it was seen before.
fn first_use(tx: &Transaction<'_>, kind: &str, value: &str, expires_at: u64, now: u64) -> Result<bool> {
    // Values past their message's expiry cannot be replayed anyway (the window check refuses
    // them), so they need not be kept.
    tx.exec("DELETE FROM seen_ids WHERE expires_at < ?1", [now.saturating_sub(MAX_FUTURE_SECS) as i64])?;
    let n = tx.exec(
        "INSERT OR IGNORE INTO seen_ids (kind, value, expires_at) VALUES (?1, ?2, ?3)",
        params![kind, value, expires_at as i64],
    )?;
    Ok(n == 1)
}

fn check_version(v: u32, what: &str) -> Result<()> {
    if v != PROTOCOL_VERSION {
        return Err(Error::Api(ApiError {
            field: Some("v".into()),
            ..ApiError::new(
                ErrorCode::UnsupportedVersion,
                format!(
                    "This {what} is protocol version {v}; this server speaks version {PROTOCOL_VERSION}. Update the app."
                ),
            )
        }));
    }
    Ok(())
}

/// The phone was heard from: settings show it as "last seen".
fn seen(tx: &Transaction<'_>, device_id: &str, now: u64) -> Result<()> {
    tx.exec("UPDATE devices SET last_seen_at = ?2 WHERE id = ?1", params![device_id, now as i64])?;
    Ok(())
}

fn check_text(field: &str, value: &str, max: usize, required: bool) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.len() > max {
        return Err(Error::invalid(field, format!("must be at most {max} bytes")));
    }
    Ok(())
}

/// `POST /v1/devices`.
pub fn register(app: &App, session: &Session, req: RegisterDevice) -> Result<DeviceRegistered> {
    session.require_full()?;
    signed::check_public_key(&req.public_key)
        .map_err(|_| Error::invalid("public_key", "must be an uncompressed P-256 point, base64url"))?;
    check_text("platform", &req.platform, 64, true)?;
    check_text("push_token", req.push_token.expose(), 4096, false)?;
    check_text("app_version", &req.app_version, 256, true)?;
    app.db.write(|tx| {
        devices::check_room(tx, &session.login_id)?;
        let id = crypto::new_id();
        tx.exec(
            "INSERT INTO devices (id, login_id, public_key, platform, push_token, app_version, created_at,
                                  client_device_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                session.login_id,
                req.public_key,
                req.platform,
                req.push_token.expose(),
                req.app_version,
                app.now() as i64,
                session.device_id
            ],
        )?;
        Ok(DeviceRegistered { device_id: id, server_public_key: app.key.public_key_b64() })
    })
}

/// "Loopback (local test network)" or "Unknown": the reference backend has no geolocation.
fn location(ip: &str) -> String {
    let loopback = ip.parse::<IpAddr>().is_ok_and(|ip| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(v6.is_loopback(), |v4| v4.is_loopback()),
        IpAddr::V4(v4) => v4.is_loopback(),
    });
    if loopback { "Loopback (local test network)" } else { "Unknown" }.to_owned()
}

/// The limits of a new push, checked in the transaction that writes it.
fn check_push_limits(tx: &Transaction<'_>, attempt: &attempts::Attempt, now: u64) -> Result<()> {
    let for_attempt: u32 = tx.row("SELECT COUNT(*) FROM pushes WHERE attempt_id = ?1", [&attempt.id], |r| r.get(0))?;
    if for_attempt >= MAX_PUSHES_PER_ATTEMPT {
        return Err(Error::rate_limited(
            attempt.expires_at.saturating_sub(now),
            "Enough requests were sent for this sign-in. Approve one, or enter a code.",
        ));
    }
    let since = now.saturating_sub(PUSH_WINDOW_SECS) as i64;
    let (recent, oldest): (u32, Option<i64>) = tx.row(
        "SELECT COUNT(*), MIN(issued_at) FROM pushes WHERE login_id = ?1 AND issued_at > ?2",
        params![attempt.login_id, since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if recent >= MAX_PUSHES_PER_WINDOW {
        let wait = (oldest.unwrap_or(since) as u64 + PUSH_WINDOW_SECS).saturating_sub(now);
        return Err(Error::rate_limited(
            wait,
            "Too many sign-in requests for this login lately. Enter a code, or wait.",
        ));
    }
    Ok(())
}

/// `POST /v1/signin/{attempt}/push`.
pub fn start(app: &App, attempt_id: &str, req: StartPush) -> Result<PushStarted> {
    // 1. Read what the push needs, and refuse early (nothing written).
    let now = app.now();
    let (attempt, devices) = app.db.read(|tx| {
        let attempt = attempts::load(tx, attempt_id)?;
        attempt.require_open(now)?;
        let devices: Vec<String> = {
            let mut stmt = tx.prepare_cached("SELECT id FROM devices WHERE login_id = ?1 ORDER BY created_at, id")?;
            stmt.query_map([&attempt.login_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        if devices.is_empty() {
            return Err(Error::api(ErrorCode::WrongState, "No phone is registered for push approval; enter a code."));
        }
        check_push_limits(tx, &attempt, now)?;
        Ok((attempt, devices))
    })?;

    // 2. Sign one challenge per device, without holding the database.
    let id = crypto::new_id();
    let nonce = crypto::new_token().to_string();
    let number = crypto::number_between(MATCH_NUMBER_MIN, MATCH_NUMBER_MAX);
    let expires_at = now.saturating_add(app.config.lifetimes.challenge);
    let context = ChallengeContext {
        ip: attempt.peer_ip.clone(),
        location: location(&attempt.peer_ip),
        browser: if attempt.user_agent.trim().is_empty() {
            "Unknown browser".into()
        } else {
            attempt.user_agent.clone()
        },
        app: APP_NAME.to_owned(),
        time: attempt.created_at,
    };
    let signed: Vec<(String, SignedEnvelope)> = devices
        .into_iter()
        .map(|device_id| {
            let challenge = Challenge {
                v: PROTOCOL_VERSION,
                id: id.clone(),
                login: attempt.login_id.clone(),
                device_id: device_id.clone(),
                issued_at: now,
                expires_at,
                nonce: nonce.clone(),
                context: context.clone(),
            };
            let env = app.key.sign(&challenge);
            (device_id, env)
        })
        .collect();

    // 3. Check again and write, in one short transaction: a push started meanwhile counts,
    // and a device removed meanwhile gets nothing.
    let count = app.db.write(|tx| {
        let attempt = attempts::load_by_key(tx, &attempt.id)?;
        attempt.require_open(now)?;
        check_push_limits(tx, &attempt, now)?;
        tx.exec("UPDATE pushes SET state = 'superseded' WHERE attempt_id = ?1 AND state = 'pending'", [&attempt.id])?;
        tx.exec(
            "INSERT INTO pushes (id, attempt_id, login_id, number, nonce, issued_at, expires_at, remember_device, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
            params![id, attempt.id, attempt.login_id, number, nonce, now as i64, expires_at as i64, req.remember_device],
        )?;
        let mut count = 0;
        for (device_id, env) in &signed {
            count += tx.exec(
                "INSERT INTO push_targets (push_id, device_id, payload, signature)
                 SELECT ?1, id, ?3, ?4 FROM devices WHERE id = ?2 AND login_id = ?5",
                params![id, device_id, env.payload, env.signature, attempt.login_id],
            )?;
        }
        Ok(count)
    })?;
    crate::log::line(format_args!("push: a sign-in request is pending for {count} device(s)"));
    Ok(PushStarted { challenge_id: id, number, expires_at })
}

/// `POST /v1/devices/{device}/challenges`.
pub fn pending(app: &App, device_id: &str, envelope: SignedEnvelope) -> Result<PendingChallenges> {
    app.db.write(|tx| {
        let now = app.now();
        let device = load_device(tx, device_id)?;
        let proof: DeviceProof = signed::verify(&device.public_key, &envelope).map_err(signature_error)?;
        check_version(proof.v, "proof")?;
        if proof.device_id != device_id {
            return Err(Error::invalid("device_id", "the proof is for another device"));
        }
        check_window(proof.issued_at, proof.expires_at, now, "proof")?;
        if !first_use(tx, "proof", &format!("{device_id}:{}", proof.nonce), proof.expires_at, now)? {
            return Err(Error::api(ErrorCode::BadSignature, "This proof was already used; sign a fresh one."));
        }
        seen(tx, device_id, now)?;
        let mut stmt = tx.prepare_cached(
            // CROSS JOIN keeps SQLite's planner on this order: the few pending pushes first
            // (index `pushes_by_state`), then this device's target of each, never the device's
            // whole history of targets.
            "SELECT t.payload, t.signature FROM pushes p
             CROSS JOIN push_targets t ON t.push_id = p.id AND t.device_id = ?1
             JOIN attempts a ON a.id = p.attempt_id
             WHERE p.state = 'pending' AND p.expires_at > ?2
               AND a.state = 'pending' AND a.expires_at > ?2
             ORDER BY p.issued_at, p.id",
        )?;
        let challenges = stmt
            .query_map(params![device_id, now as i64], |r| {
                Ok(SignedEnvelope { payload: r.get(0)?, signature: r.get(1)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(PendingChallenges { challenges })
    })
}

struct Push {
    attempt_id: String,
    number: u32,
    nonce: String,
    expires_at: u64,
    remember_device: bool,
    state: String,
}

/// `POST /v1/challenges/{id}/answer`.
pub fn answer(app: &App, challenge_id: &str, envelope: SignedEnvelope) -> Result<AnswerAccepted> {
    // The device id is read from the still unverified payload only to pick the key that must
    // have signed it (like a JWT's `kid`); nothing else is used before the signature checks.
    let claimed: Answer = BASE64URL_NOPAD
        .decode(envelope.payload.as_bytes())
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| Error::invalid("payload", "is not a signed answer"))?;

    let (accepted, reported) = app.db.write(|tx| {
        let now = app.now();
        let device = load_device(tx, &claimed.device_id)?;
        let answer: Answer = signed::verify(&device.public_key, &envelope).map_err(signature_error)?;
        check_version(answer.v, "answer")?;
        if answer.challenge_id != challenge_id {
            return Err(Error::invalid("challenge_id", "does not match the challenge in the path"));
        }
        let push: Push = tx
            .row(
                "SELECT p.attempt_id, p.number, p.nonce, p.expires_at, p.remember_device, p.state
                 FROM pushes p JOIN push_targets t ON t.push_id = p.id
                 WHERE p.id = ?1 AND t.device_id = ?2",
                params![challenge_id, answer.device_id],
                |r| {
                    Ok(Push {
                        attempt_id: r.get(0)?,
                        number: r.get(1)?,
                        nonce: r.get(2)?,
                        expires_at: r.get::<_, i64>(3)? as u64,
                        remember_device: r.get(4)?,
                        state: r.get(5)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::not_found("challenge for this device"))?;
        if !twostep_core::secret::ct_eq(answer.nonce.as_bytes(), push.nonce.as_bytes()) {
            return Err(Error::invalid("nonce", "does not match the challenge's nonce"));
        }
        check_window(answer.issued_at, answer.expires_at, now, "answer")?;
        if now >= push.expires_at {
            return Err(Error::api(ErrorCode::ChallengeExpired, "This sign-in request expired."));
        }
        if push.state == "superseded" {
            return Err(Error::api(ErrorCode::ChallengeExpired, "A newer sign-in request replaced this one."));
        }
        if push.state != "pending" || !first_use(tx, "answer", &answer.id, answer.expires_at, now)? {
            return Err(Error::api(ErrorCode::ChallengeAnswered, "This sign-in request was already answered."));
        }
        seen(tx, &answer.device_id, now)?;
        let attempt = attempts::load_by_key(tx, &push.attempt_id)?;
        if attempt.require_open(now).is_err() {
            return Err(Error::api(ErrorCode::ChallengeExpired, "This sign-in is already over."));
        }

        let close = |state: &str| {
            tx.exec(
                "UPDATE pushes SET state = ?2, answered_at = ?3, answered_by = ?4 WHERE id = ?1",
                params![challenge_id, state, now as i64, answer.device_id],
            )
        };
        let outcome = match answer.decision {
            Decision::Approve => {
                let Some(number) = answer.number else {
                    return Err(Error::invalid("number", "approving needs the number shown on the sign-in screen"));
                };
                if number != push.number {
                    close("denied")?;
                    attempts::set_state(tx, &attempt.id, State::Denied, false)?;
                    return Ok(Err(Error::api(
                        ErrorCode::WrongNumber,
                        "That is not the number on the sign-in screen, so this sign-in was refused.",
                    )));
                }
                close("approved")?;
                attempts::set_state(tx, &attempt.id, State::Approved, push.remember_device)?;
                AnswerOutcome::Approved
            }
            Decision::Deny => {
                close("denied")?;
                attempts::set_state(tx, &attempt.id, State::Denied, false)?;
                AnswerOutcome::Denied
            }
            Decision::NotMe => {
                close("reported")?;
                attempts::set_state(tx, &attempt.id, State::Denied, false)?;
                AnswerOutcome::Reported
            }
        };
        Ok(Ok((AnswerAccepted { challenge_id: challenge_id.to_owned(), outcome }, outcome == AnswerOutcome::Reported)))
    })??;
    if reported {
        crate::log::line(format_args!("push: a sign-in was reported as \"this wasn't me\""));
    }
    Ok(accepted)
}
