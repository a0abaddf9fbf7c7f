//! Sign-in attempts: the second step after a correct password.
//!
//! Owns `POST /v1/signin/{attempt}/send` (a code to the primary, or to the backup for
//! "Didn't receive the code?"), `/verify` (a code from either method; success gives the
//! session and, with "Don't ask for codes on this device", a trust token) and
//! `GET /v1/signin/{attempt}` (the state a push approval moves: pending, signed in, denied,
//! expired).
//!
//! An attempt id is 256 random bits: whoever holds it is the one who typed the password. It
//! is a bearer secret, so the database keeps only its SHA-256 (hex), which is the attempt's
//! `key` everywhere inside (codes' purpose, the throttle's scope, pushes).
//! An attempt lives 10 minutes and ends once: the first success completes it, and a push
//! answered "deny" or with a wrong number fails it. An expired attempt answers
//! `challenge_expired` (410): the 2SV challenge is over, sign in again.

use std::net::IpAddr;

use rusqlite::{OptionalExtension, Transaction, params};
use twostep_core::methods::Method;
use twostep_core::protocol::endpoints::{AttemptStatus, CodeSent, SendCode, SignedIn, VerifyCode};
use twostep_core::protocol::{ClientInfo, ClientKind, ErrorCode};
use twostep_core::secret::SecretString;
use zeroize::Zeroizing;

use crate::app::App;
use crate::codes;
use crate::db::Cached;
use crate::error::{Error, Result};
use crate::method_store::{self, Status};
use crate::sessions::{self, Scope};
use crate::{crypto, throttle, trust};

/// Codes one attempt may send: enough for a resend and "Didn't receive the code?", few
/// enough that an attempt cannot be used to flood a phone.
pub const MAX_CODES_PER_ATTEMPT: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Approved,
    Denied,
    Completed,
}

#[derive(Clone, Debug)]
pub struct Attempt {
    /// The SHA-256 (hex) of the id handed out: what the database keeps.
    pub id: String,
    pub login_id: String,
    pub created_at: u64,
    pub expires_at: u64,
    pub device_id: String,
    pub app_version: String,
    pub user_agent: String,
    pub client_kind: String,
    pub peer_ip: String,
    pub state: State,
    pub remember_device: bool,
    pub codes_sent: u32,
}

impl Attempt {
    /// Refuses unless the attempt still waits for its second step.
    pub fn require_open(&self, now: u64) -> Result<()> {
        match self.state {
            State::Pending if now < self.expires_at => Ok(()),
            State::Pending | State::Approved if now >= self.expires_at => Err(expired()),
            State::Denied => Err(Error::api(ErrorCode::WrongState, "This sign-in was denied. Sign in again.")),
            _ => Err(Error::api(ErrorCode::WrongState, "This sign-in attempt is already complete.")),
        }
    }
}

fn expired() -> Error {
    Error::api(ErrorCode::ChallengeExpired, "This sign-in attempt expired. Sign in again.")
}

/// Creates an attempt; returns it and the id to hand out (kept only as its hash).
pub fn create(
    tx: &Transaction<'_>,
    login_id: &str,
    client: &ClientInfo,
    peer: IpAddr,
    now: u64,
    ttl: u64,
) -> Result<(Attempt, Zeroizing<String>)> {
    let handed_out = crypto::new_token();
    let kind = match client.kind {
        ClientKind::App => "app",
        ClientKind::Browser => "browser",
    };
    let attempt = Attempt {
        id: crypto::token_key(&handed_out),
        login_id: login_id.to_owned(),
        created_at: now,
        expires_at: now.saturating_add(ttl),
        device_id: client.device_id.clone(),
        app_version: client.app_version.clone(),
        user_agent: client.user_agent.clone(),
        client_kind: kind.to_owned(),
        peer_ip: peer.to_string(),
        state: State::Pending,
        remember_device: false,
        codes_sent: 0,
    };
    tx.exec(
        "INSERT INTO attempts (id, login_id, created_at, expires_at, device_id, client_kind, app_version, user_agent,
                               peer_ip, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending')",
        params![
            attempt.id,
            attempt.login_id,
            now as i64,
            attempt.expires_at as i64,
            attempt.device_id,
            kind,
            attempt.app_version,
            attempt.user_agent,
            attempt.peer_ip
        ],
    )?;
    Ok((attempt, handed_out))
}

/// The attempt of an id as handed out (and sent back in a path).
pub fn load(tx: &Transaction<'_>, handed_out: &str) -> Result<Attempt> {
    load_by_key(tx, &crypto::token_key(handed_out))
}

/// The attempt of a stored key (as pushes refer to it).
pub fn load_by_key(tx: &Transaction<'_>, key: &str) -> Result<Attempt> {
    tx.row(
        "SELECT id, login_id, created_at, expires_at, device_id, app_version, user_agent, peer_ip, state,
                remember_device, codes_sent, client_kind
         FROM attempts WHERE id = ?1",
        [key],
        |r| {
            let state: String = r.get(8)?;
            Ok(Attempt {
                id: r.get(0)?,
                login_id: r.get(1)?,
                created_at: r.get::<_, i64>(2)? as u64,
                expires_at: r.get::<_, i64>(3)? as u64,
                device_id: r.get(4)?,
                app_version: r.get(5)?,
                user_agent: r.get(6)?,
                peer_ip: r.get(7)?,
                state: match state.as_str() {
                    "approved" => State::Approved,
                    "denied" => State::Denied,
                    "completed" => State::Completed,
                    _ => State::Pending,
                },
                remember_device: r.get(9)?,
                codes_sent: r.get(10)?,
                client_kind: r.get(11)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("sign-in attempt"))
}

pub fn set_state(tx: &Transaction<'_>, id: &str, state: State, remember_device: bool) -> Result<()> {
    let name = match state {
        State::Pending => "pending",
        State::Approved => "approved",
        State::Denied => "denied",
        State::Completed => "completed",
    };
    tx.exec("UPDATE attempts SET state = ?2, remember_device = ?3 WHERE id = ?1", params![id, name, remember_device])?;
    Ok(())
}

/// `POST /v1/signin/{attempt}/send`.
pub fn send_code(app: &App, attempt_id: &str, req: SendCode) -> Result<CodeSent> {
    let (sent, messages) = app.db.write(|tx| {
        let now = app.now();
        let attempt = load(tx, attempt_id)?;
        attempt.require_open(now)?;
        let pair = method_store::load(tx, &app.sealer, &attempt.login_id, Status::Active)?
            .ok_or_else(|| Error::Internal("an attempt's login has no active methods".into()))?;
        let target = pair.get(req.to);
        let mut messages = Vec::new();
        if !matches!(target.method, Method::AuthenticatorApp) {
            if attempt.codes_sent >= MAX_CODES_PER_ATTEMPT {
                return Err(Error::rate_limited(
                    attempt.expires_at.saturating_sub(now),
                    "Too many codes were sent for this sign-in. Use one of them, or sign in again later.",
                ));
            }
            messages.push(codes::send(app, tx, &attempt.login_id, &target.id, &target.method, &attempt.id, now)?);
            tx.exec("UPDATE attempts SET codes_sent = codes_sent + 1 WHERE id = ?1", [&attempt.id])?;
        }
        Ok((CodeSent { to: req.to, method: target.summary() }, messages))
    })?;
    app.deliver(&messages);
    Ok(sent)
}

/// `POST /v1/signin/{attempt}/verify`.
pub fn verify_code(app: &App, attempt_id: &str, req: VerifyCode, peer: IpAddr) -> Result<SignedIn> {
    let code = codes::normalize(req.code.expose())?;
    app.db.write(|tx| {
        let now = app.now();
        let attempt = load(tx, attempt_id)?;
        attempt.require_open(now)?;
        throttle::check_codes(tx, &attempt.login_id, &attempt.id, now)?;
        let pair = method_store::load(tx, &app.sealer, &attempt.login_id, Status::Active)?
            .ok_or_else(|| Error::Internal("an attempt's login has no active methods".into()))?;
        let outcome = codes::check_pair(tx, &pair, &attempt.id, &code, now)?;
        if let Some(refusal) = outcome.refusal() {
            throttle::record_code_failure(tx, &attempt.login_id, &attempt.id, now)?;
            return Ok(Err(refusal));
        }
        throttle::clear_codes(tx, &attempt.login_id, &attempt.id)?;
        complete(app, tx, &attempt, req.remember_device, peer, now).map(Ok)
    })?
}

/// `GET /v1/signin/{attempt}`: a push approval's tokens are handed out here, once.
pub fn status(app: &App, attempt_id: &str, peer: IpAddr) -> Result<AttemptStatus> {
    app.db.write(|tx| {
        let now = app.now();
        let attempt = load(tx, attempt_id)?;
        Ok(match attempt.state {
            State::Pending | State::Approved if now >= attempt.expires_at => AttemptStatus::Expired,
            State::Pending => AttemptStatus::Pending,
            State::Approved => {
                AttemptStatus::SignedIn(complete(app, tx, &attempt, attempt.remember_device, peer, now)?)
            }
            State::Denied => AttemptStatus::Denied,
            State::Completed => {
                return Err(Error::api(
                    ErrorCode::WrongState,
                    "This sign-in is complete and its session was already handed out.",
                ));
            }
        })
    })
}

/// Ends the attempt with a full session and, when asked, a trust token bound to the
/// attempt's device and app version and to the network this request comes from.
fn complete(
    app: &App,
    tx: &Transaction<'_>,
    attempt: &Attempt,
    remember_device: bool,
    peer: IpAddr,
    now: u64,
) -> Result<SignedIn> {
    set_state(tx, &attempt.id, State::Completed, remember_device)?;
    let lifetimes = app.config.lifetimes;
    let session = sessions::create(tx, &attempt.login_id, Scope::Full, &attempt.device_id, now, lifetimes.session)?;
    let (trust_token, trust_expires_at) = if remember_device {
        let network = trust::network_of(peer);
        let presented = trust::Presented {
            login_id: &attempt.login_id,
            device_id: &attempt.device_id,
            app_version: &attempt.app_version,
            network: &network,
        };
        let described = trust::Described { kind: &attempt.client_kind, user_agent: &attempt.user_agent };
        let (token, expires_at) = trust::issue(tx, &presented, described, now, lifetimes.trust)?;
        (Some(SecretString::new(token.to_string())), Some(expires_at))
    } else {
        (None, None)
    };
    Ok(SignedIn {
        login_id: attempt.login_id.clone(),
        session: SecretString::new(session.to_string()),
        trust_token,
        trust_expires_at,
    })
}
