//! The seller's web sign-in: server-rendered pages for a browser, served beside the JSON API
//! by the same server (`/signin`, `/settings`, `/signout`).
//!
//! The browser is a client like the app, and every rule is the server's own, called as the
//! API calls it: the password step is [`crate::logins::sign_in`], the second step
//! [`crate::attempts`], the push [`crate::push::start`] and [`crate::attempts::status`], trust
//! [`crate::trust`] through those, settings and sign-out [`crate::account`]. This module only
//! turns a browser into a [`ClientInfo`] and answers into pages:
//!
//! - its **device id** is a random id in its own cookie ([`cookies`]): another profile, an
//!   anonymous window or deleted cookies present another id or none;
//! - its **version** is its `User-Agent`: a browser update ends trust as `app_updated`;
//! - its **network** is the TCP peer, as for the app.
//!
//! Words come from core: where the code went ([`text::instruction`]), the link labels,
//! [`TrustLoss::message`](twostep_core::protocol::TrustLoss::message), the trusted-device count. The words for what only a browser has
//! (no cookie, cookies blocked) are here. Forms are protected by [`csrf`]; pages are in
//! [`html`]. Owns no table and no rule.

// Guards answer a refused request with the whole page to send (`Result<_, Response>`): a
// cold path, where boxing would only add noise.
#![allow(clippy::result_large_err)]

mod cookies;
mod csrf;
mod html;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::header::{ACCEPT, CONTENT_TYPE, LOCATION, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use twostep_core::flows::text::{
    self, PUSH_EXPIRED, PUSH_NOT_APPROVED, REMEMBER_DEVICE_LABEL, REQUIRE_CODES_DONE, REQUIRE_CODES_LABEL,
    trusted_devices_label,
};
use twostep_core::methods::{MethodChoice, PhoneChoice, PhoneLine, PromptLink};
use twostep_core::protocol::endpoints::{
    AttemptStatus, Enroll, Logout, SendCode, SignIn, SignInResponse, SignedIn, StartPush, VerifyCode, VerifyMethod,
};
use twostep_core::protocol::{ClientInfo, ClientKind, ErrorCode, MethodKind, MethodSummary, Role};
use twostep_core::secret::SecretString;

use self::cookies::{Jar, Kind, LONGEST, Policy};
use crate::app::{self, App, Shared};
use crate::error::{Error, Result};
use crate::method_store::{self, Status};
use crate::sessions::{self, Scope, Session};
use crate::{account, attempts, crypto, enrollment, logins, push};

/// Why a browser without any trust cookie is asked for a code: the server cannot tell these
/// apart, since each presents nothing.
pub const NO_TRUST_COOKIE: &str = "This browser holds no \"Don't ask for codes on this device\" choice: none was made \
                                   here, or its cookies were deleted, or this is another browser or profile or an \
                                   anonymous window. So it asks for a code.";
/// Why a browser that blocks cookies is asked every time.
pub const COOKIES_BLOCKED: &str = "This browser blocks cookies, so it cannot keep \"Don't ask for codes on this \
                                   device\": it will ask for a code at every sign-in. Allow cookies for this site to \
                                   be remembered.";
/// The page after signing in with cookies blocked.
pub const SIGNED_IN_WITHOUT_COOKIES: &str = "Your code was right, but this browser blocks cookies, so it cannot stay \
                                             signed in: allow cookies for this site and sign in again.";
pub const SIGNED_OUT: &str = "You signed out.";

pub use html::content_security_policy;

/// The longest `User-Agent` used whole as the browser's version.
const MAX_VERSION_BYTES: usize = 256;
const MAX_USER_AGENT_BYTES: usize = 512;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(home))
        .route("/signin", get(sign_in_page).post(sign_in))
        .route("/signin/code", post(verify_code))
        .route("/signin/backup", post(use_backup))
        .route("/signin/push", post(start_push))
        .route("/signin/wait", post(wait))
        .route("/settings", get(settings_page))
        .route("/settings/require-codes", post(require_codes))
        .route("/signout", post(sign_out))
        .route("/enroll", get(enroll_page).post(enroll))
        .route("/enroll/verify", post(enroll_verify))
}

/// One request of a browser: who it is and what it brought.
struct Visit {
    peer: IpAddr,
    policy: Policy,
    jar: Jar,
    headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| Error::Internal("the peer address is unknown".into()))?;
        Ok(Self {
            peer,
            policy: Policy::for_peer(peer),
            jar: Jar::from_headers(&parts.headers),
            headers: parts.headers.clone(),
        })
    }
}

type Fields = HashMap<String, String>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}

impl Visit {
    fn cookie(&self, kind: Kind) -> Option<&str> {
        self.jar.get(self.policy, kind)
    }

    /// None of this site's cookies came back. After the sign-in page set some, the browser
    /// blocks cookies.
    fn brought_no_cookie(&self) -> bool {
        [Kind::Device, Kind::Csrf, Kind::Session, Kind::Trust].iter().all(|k| self.cookie(*k).is_none())
    }

    /// Both CSRF checks of [`csrf`]; the refusal page when either fails.
    fn guard(&self, fields: &Fields) -> std::result::Result<(), Response> {
        let checked = csrf::check_origin(&self.headers).and_then(|()| {
            if self.brought_no_cookie() {
                Ok(())
            } else {
                csrf::check_token(self.cookie(Kind::Csrf), fields.get("csrf").map(String::as_str))
            }
        });
        checked.map_err(|why| {
            eprintln!("twostep-server: web: a form was refused ({why:?})");
            page(StatusCode::FORBIDDEN, Vec::new(), html::refused())
        })
    }

    /// The csrf token this page's forms carry, and the cookie to set when there was none.
    fn csrf(&self, cookies: &mut Vec<HeaderValue>) -> String {
        match self.cookie(Kind::Csrf) {
            Some(token) => token.to_owned(),
            None => {
                let token = crypto::new_token().to_string();
                cookies.push(self.policy.set(Kind::Csrf, &token, None));
                token
            }
        }
    }

    /// This browser's device id, and the cookie to set when it had none (or a bad one).
    fn device_id(&self, cookies: &mut Vec<HeaderValue>) -> String {
        match self
            .cookie(Kind::Device)
            .filter(|id| id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        {
            Some(id) => id.to_owned(),
            None => {
                let id = crypto::new_id();
                cookies.push(self.policy.set(Kind::Device, &id, Some(LONGEST)));
                id
            }
        }
    }

    fn client(&self, device_id: String) -> ClientInfo {
        let agent = self.headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").trim();
        // The whole User-Agent is the version: any update of the browser changes it. One
        // longer than the API's limit is stood for by its hash.
        let app_version = if agent.is_empty() {
            "unknown browser".to_owned()
        } else if agent.len() <= MAX_VERSION_BYTES {
            agent.to_owned()
        } else {
            format!("ua-sha256:{}", data_encoding::HEXLOWER.encode(&crypto::hash_token(agent)))
        };
        let mut user_agent = agent.to_owned();
        while user_agent.len() > MAX_USER_AGENT_BYTES {
            user_agent.pop();
        }
        ClientInfo { device_id, kind: ClientKind::Browser, app_version, user_agent }
    }

    fn wants_json(&self) -> bool {
        self.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
    }

    /// The live session of the session cookie.
    fn session(&self, app: &App) -> Option<Session> {
        let token = self.cookie(Kind::Session)?;
        app.db.read(|tx| sessions::authenticate(tx, token, app.now())).ok()
    }
}

fn page(status: StatusCode, cookies: Vec<HeaderValue>, body: String) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    for c in cookies {
        res.headers_mut().append(SET_COOKIE, c);
    }
    res
}

fn redirect(cookies: Vec<HeaderValue>, to: &'static str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    res.headers_mut().insert(LOCATION, HeaderValue::from_static(to));
    for c in cookies {
        res.headers_mut().append(SET_COOKIE, c);
    }
    res
}

fn json(cookies: Vec<HeaderValue>, value: serde_json::Value) -> Response {
    let mut res = (StatusCode::OK, value.to_string()).into_response();
    res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for c in cookies {
        res.headers_mut().append(SET_COOKIE, c);
    }
    res
}

/// The seller's sentence for a refusal: the server's own message, worded for sellers.
fn say(e: &Error) -> String {
    match e {
        Error::Api(api) => api.message.clone(),
        other => {
            eprintln!("twostep-server: web: {other}");
            "Something went wrong on the server; try again.".into()
        }
    }
}

/// A refusal after which this attempt cannot go on.
fn ends_attempt(e: &Error) -> bool {
    matches!(e.code(), ErrorCode::ChallengeExpired | ErrorCode::WrongState | ErrorCode::NotFound)
}

fn role_of(text: &str) -> Role {
    if text == "backup" { Role::Backup } else { Role::Primary }
}

async fn home() -> Response {
    redirect(Vec::new(), "/settings")
}

async fn sign_in_page(visit: Visit, Query(query): Query<Fields>) -> Response {
    let mut cookies = Vec::new();
    visit.device_id(&mut cookies);
    let csrf = visit.csrf(&mut cookies);
    let notice = query.contains_key("signed_out").then_some(SIGNED_OUT);
    page(StatusCode::OK, cookies, html::sign_in("", None, notice, &csrf))
}

async fn sign_in(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let mut cookies = Vec::new();
    let blocked = visit.brought_no_cookie();
    let device_id = visit.device_id(&mut cookies);
    let csrf = visit.csrf(&mut cookies);
    let email = field(&fields, "email").to_owned();
    let trust_token = visit.cookie(Kind::Trust).map(SecretString::from);
    let presented_trust = trust_token.is_some();
    let req = SignIn {
        email: email.clone(),
        password: field(&fields, "password").into(),
        client: visit.client(device_id),
        trust_token,
    };
    let peer = visit.peer;
    let answer = app::run_hashing(&app, move |app| logins::sign_in(app, req, peer)).await;
    match answer {
        Err(e) => page(StatusCode::UNPROCESSABLE_ENTITY, cookies, html::sign_in(&email, Some(&say(&e)), None, &csrf)),
        Ok(SignInResponse::EnrollmentRequired { session, .. }) => {
            if blocked {
                return page(StatusCode::OK, cookies, html::signed_in_without_cookies(SIGNED_IN_WITHOUT_COOKIES));
            }
            sessions_cookies(&app, &visit, &mut cookies, session.expose());
            redirect(cookies, "/enroll")
        }
        Ok(SignInResponse::SignedIn(signed)) => signed_in(&app, &visit, cookies, signed),
        Ok(SignInResponse::CodeRequired(required)) => {
            if presented_trust {
                // The token is revoked with its reason; the cookie has no use left.
                cookies.push(visit.policy.clear(Kind::Trust));
            }
            let why = match required.trust_lost {
                Some(reason) => reason.message(),
                None if blocked => COOKIES_BLOCKED,
                None => NO_TRUST_COOKIE,
            };
            // An SMS or voice primary is sent its code at once; an app makes its own.
            let mut error = None;
            if required.primary.kind != MethodKind::AuthenticatorApp {
                let attempt = required.attempt_id.clone();
                let sent =
                    app::run(&app, move |app| attempts::send_code(app, &attempt, SendCode { to: Role::Primary })).await;
                error = sent.err().map(|e| say(&e));
            }
            let prompt = Prompt {
                attempt: &required.attempt_id,
                role: Role::Primary,
                method: &required.primary,
                push_available: required.push_available,
            };
            page(StatusCode::OK, cookies, prompt.render(Some(why), error.as_deref(), &csrf))
        }
    }
}

/// What a code prompt is about.
struct Prompt<'a> {
    attempt: &'a str,
    role: Role,
    method: &'a MethodSummary,
    push_available: bool,
}

impl Prompt<'_> {
    fn render(&self, why: Option<&str>, error: Option<&str>, csrf: &str) -> String {
        let link = match self.role {
            Role::Primary => PromptLink::DidntReceiveCode,
            Role::Backup => PromptLink::AccountRecovery,
        };
        html::code_prompt(&html::CodePage {
            attempt: self.attempt,
            role: self.role.as_str(),
            method: self.method,
            instruction: &text::instruction(self.method),
            link: link.label(),
            can_use_backup: link == PromptLink::DidntReceiveCode,
            push_available: self.push_available,
            remember_label: REMEMBER_DEVICE_LABEL,
            why_asked: why,
            error,
            csrf,
        })
    }
}

/// The prompt of `role` for an open attempt, read again (after a wrong code, say).
fn prompt_facts(app: &App, attempt_id: &str, role: Role) -> Result<(MethodSummary, bool)> {
    app.db.read(|tx| {
        let attempt = attempts::load(tx, attempt_id)?;
        attempt.require_open(app.now())?;
        let pair = method_store::load(tx, &app.sealer, &attempt.login_id, Status::Active)?
            .ok_or_else(|| Error::Internal("an attempt's login has no active methods".into()))?;
        let push: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM devices WHERE login_id = ?1)", [&attempt.login_id], |r| {
                r.get(0)
            })?;
        Ok((pair.get(role).summary(), push))
    })
}

/// The code prompt again with `error`, or the end of the attempt when it cannot go on.
fn prompt_again(app: &App, visit: &Visit, fields: &Fields, error: &Error) -> Response {
    let mut cookies = Vec::new();
    let csrf = visit.csrf(&mut cookies);
    let attempt = field(fields, "attempt");
    let role = role_of(field(fields, "role"));
    if ends_attempt(error) {
        return page(StatusCode::GONE, cookies, html::stopped(&say(error)));
    }
    match prompt_facts(app, attempt, role) {
        Ok((method, push_available)) => {
            let prompt = Prompt { attempt, role, method: &method, push_available };
            let why = visit.brought_no_cookie().then_some(COOKIES_BLOCKED);
            page(StatusCode::UNPROCESSABLE_ENTITY, cookies, prompt.render(why, Some(&say(error)), &csrf))
        }
        Err(e) => page(StatusCode::GONE, cookies, html::stopped(&say(&e))),
    }
}

fn sessions_cookies(app: &App, visit: &Visit, cookies: &mut Vec<HeaderValue>, session: &str) {
    cookies.push(visit.policy.set(Kind::Session, session, Some(app.config.lifetimes.session)));
    // A new csrf token with each session.
    cookies.push(visit.policy.set(Kind::Csrf, &crypto::new_token(), None));
}

/// The cookies of a finished sign-in, then Advanced Security Settings.
fn signed_in(app: &App, visit: &Visit, mut cookies: Vec<HeaderValue>, signed: SignedIn) -> Response {
    if visit.brought_no_cookie() {
        return page(StatusCode::OK, cookies, html::signed_in_without_cookies(SIGNED_IN_WITHOUT_COOKIES));
    }
    sessions_cookies(app, visit, &mut cookies, signed.session.expose());
    if let Some(token) = &signed.trust_token {
        cookies.push(visit.policy.set(Kind::Trust, token.expose(), Some(LONGEST)));
    }
    redirect(cookies, "/settings")
}

async fn verify_code(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let attempt = field(&fields, "attempt").to_owned();
    let req = VerifyCode { code: field(&fields, "code").into(), remember_device: fields.contains_key("remember") };
    let peer = visit.peer;
    match app::run(&app, move |app| attempts::verify_code(app, &attempt, req, peer)).await {
        Ok(signed) => signed_in(&app, &visit, Vec::new(), signed),
        Err(e) => prompt_again(&app, &visit, &fields, &e),
    }
}

/// "Didn't receive the code?": the code goes to the backup.
async fn use_backup(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let attempt = field(&fields, "attempt").to_owned();
    let id = attempt.clone();
    match app::run(&app, move |app| attempts::send_code(app, &id, SendCode { to: Role::Backup })).await {
        Ok(sent) => {
            let mut cookies = Vec::new();
            let csrf = visit.csrf(&mut cookies);
            let push_available = prompt_facts(&app, &attempt, Role::Backup).map(|(_, p)| p).unwrap_or(false);
            let prompt = Prompt { attempt: &attempt, role: Role::Backup, method: &sent.method, push_available };
            let why = visit.brought_no_cookie().then_some(COOKIES_BLOCKED);
            page(StatusCode::OK, cookies, prompt.render(why, None, &csrf))
        }
        Err(e) => prompt_again(&app, &visit, &fields, &e),
    }
}

async fn start_push(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let attempt = field(&fields, "attempt").to_owned();
    let req = StartPush { remember_device: fields.contains_key("remember") };
    let id = attempt.clone();
    match app::run(&app, move |app| push::start(app, &id, req)).await {
        Ok(started) => {
            let mut cookies = Vec::new();
            let csrf = visit.csrf(&mut cookies);
            page(StatusCode::OK, cookies, html::push_wait(&attempt, started.number, &csrf))
        }
        Err(e) => prompt_again(&app, &visit, &fields, &e),
    }
}

/// The push wait's question: has the phone answered? The script asks for JSON; the page's
/// button (no script) gets a page.
async fn wait(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let attempt = field(&fields, "attempt").to_owned();
    let peer = visit.peer;
    let id = attempt.clone();
    let status = app::run(&app, move |app| attempts::status(app, &id, peer)).await;
    let stop = |message: &str| {
        if visit.wants_json() {
            json(Vec::new(), serde_json::json!({ "message": message }))
        } else {
            page(StatusCode::GONE, Vec::new(), html::stopped(message))
        }
    };
    match status {
        Ok(AttemptStatus::Pending) => {
            if visit.wants_json() {
                json(Vec::new(), serde_json::json!({ "pending": true }))
            } else {
                let number = field(&fields, "number").parse().unwrap_or(0);
                let mut cookies = Vec::new();
                let csrf = visit.csrf(&mut cookies);
                page(StatusCode::OK, cookies, html::push_wait(&attempt, number, &csrf))
            }
        }
        Ok(AttemptStatus::SignedIn(signed)) => {
            let res = signed_in(&app, &visit, Vec::new(), signed);
            if visit.wants_json() && res.status() == StatusCode::SEE_OTHER {
                let cookies = res.headers().get_all(SET_COOKIE).iter().cloned().collect();
                json(cookies, serde_json::json!({ "next": "/settings" }))
            } else if visit.wants_json() {
                json(Vec::new(), serde_json::json!({ "message": SIGNED_IN_WITHOUT_COOKIES }))
            } else {
                res
            }
        }
        Ok(AttemptStatus::Denied) => stop(PUSH_NOT_APPROVED),
        Ok(AttemptStatus::Expired) => stop(PUSH_EXPIRED),
        Err(e) => stop(&say(&e)),
    }
}

/// The full session of this browser, or the way to the sign-in page.
fn full_session(app: &App, visit: &Visit) -> std::result::Result<Session, Response> {
    match visit.session(app) {
        Some(s) if s.scope == Scope::Full => Ok(s),
        Some(_) => Err(redirect(Vec::new(), "/enroll")),
        None => Err(redirect(Vec::new(), "/signin")),
    }
}

fn settings(app: &App, visit: &Visit, session: &Session, notice: Option<&str>) -> Response {
    let mut cookies = Vec::new();
    let csrf = visit.csrf(&mut cookies);
    let facts = account::trust_summary(app, session).and_then(|trust| {
        let (email, pair) = app.db.read(|tx| {
            let email: String =
                tx.query_row("SELECT email FROM logins WHERE id = ?1", [&session.login_id], |r| r.get(0))?;
            Ok((email, method_store::load(tx, &app.sealer, &session.login_id, Status::Active)?))
        })?;
        let pair = pair.ok_or_else(|| Error::Internal("a full session's login has no active methods".into()))?;
        let describe = |role| pair.get(role).method.description();
        Ok((describe(Role::Primary), describe(Role::Backup), trust.trusted_devices, email))
    });
    match facts {
        Ok((primary, backup, count, email)) => page(
            StatusCode::OK,
            cookies,
            html::settings(&html::SettingsPage {
                email: &email,
                primary: &primary,
                backup: &backup,
                trusted_label: &trusted_devices_label(count),
                require_codes_label: REQUIRE_CODES_LABEL,
                notice,
                error: None,
                csrf: &csrf,
            }),
        ),
        Err(e) => page(StatusCode::INTERNAL_SERVER_ERROR, cookies, html::stopped(&say(&e))),
    }
}

async fn settings_page(State(app): State<Shared>, visit: Visit) -> Response {
    match full_session(&app, &visit) {
        Ok(session) => settings(&app, &visit, &session, None),
        Err(to_sign_in) => to_sign_in,
    }
}

/// "Require codes on all devices".
async fn require_codes(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let session = match full_session(&app, &visit) {
        Ok(s) => s,
        Err(to_sign_in) => return to_sign_in,
    };
    match account::require_codes(&app, &session) {
        Ok(_) => settings(&app, &visit, &session, Some(REQUIRE_CODES_DONE)),
        Err(e) => page(StatusCode::INTERNAL_SERVER_ERROR, Vec::new(), html::stopped(&say(&e))),
    }
}

/// Signing out ends the session. It keeps this browser's trust: the help page resets trust
/// at logout for the seller app only.
async fn sign_out(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    if let Some(session) = visit.session(&app) {
        if let Err(e) = account::logout(&app, &session, Logout { trust_token: None }) {
            return page(StatusCode::INTERNAL_SERVER_ERROR, Vec::new(), html::stopped(&say(&e)));
        }
    }
    let mut res = redirect(vec![visit.policy.clear(Kind::Session)], "/signin");
    res.headers_mut().insert(LOCATION, HeaderValue::from_static("/signin?signed_out"));
    res
}

/// The kinds of method a form offers, by the seed's names.
const KINDS: [(&str, MethodKind); 3] =
    [("authenticator_app", MethodKind::AuthenticatorApp), ("sms", MethodKind::Sms), ("voice", MethodKind::Voice)];

/// A session that may enroll: password given, two-step verification not on yet.
fn enrollment_session(app: &App, visit: &Visit) -> std::result::Result<(Session, String), Response> {
    let session = visit.session(app).ok_or_else(|| redirect(Vec::new(), "/signin"))?;
    let (email, enabled): (String, bool) = app
        .db
        .read(|tx| {
            Ok(tx.query_row("SELECT email, two_step_enabled FROM logins WHERE id = ?1", [&session.login_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        })
        .map_err(|e| page(StatusCode::INTERNAL_SERVER_ERROR, Vec::new(), html::stopped(&say(&e))))?;
    if enabled {
        return Err(redirect(Vec::new(), "/settings"));
    }
    Ok((session, email))
}

fn enroll_form(visit: &Visit, email: &str, fields: &Fields, error: Option<&str>, status: StatusCode) -> Response {
    let mut cookies = Vec::new();
    let csrf = visit.csrf(&mut cookies);
    let kinds: Vec<(&str, &str)> = KINDS.iter().map(|(value, kind)| (*value, kind.label())).collect();
    let method = |role: &'static str, default: &'static str| {
        let kind = fields.get(&format!("{role}_kind")).map(String::as_str).unwrap_or(default);
        (role, kind, field(fields, &format!("{role}_number")), fields.contains_key(&format!("{role}_landline")))
    };
    let (pr, pk, pn, pl) = method("primary", "authenticator_app");
    let (br, bk, bn, bl) = method("backup", "sms");
    let primary = html::MethodFields { role: pr, kinds: &kinds, kind: pk, number: pn, landline: pl };
    let backup = html::MethodFields { role: br, kinds: &kinds, kind: bk, number: bn, landline: bl };
    page(status, cookies, html::enroll(email, &primary, &backup, error, &csrf))
}

async fn enroll_page(State(app): State<Shared>, visit: Visit) -> Response {
    match enrollment_session(&app, &visit) {
        Ok((_, email)) => enroll_form(&visit, &email, &Fields::new(), None, StatusCode::OK),
        Err(elsewhere) => elsewhere,
    }
}

/// One method as the form chose it; whether the pair is allowed is core's rules' call, in
/// [`enrollment::enroll`].
fn choice(fields: &Fields, role: &str) -> MethodChoice {
    let phone = || PhoneChoice {
        number: field(fields, &format!("{role}_number")).to_owned(),
        default_calling_code: None,
        line: if fields.contains_key(&format!("{role}_landline")) { PhoneLine::Landline } else { PhoneLine::Mobile },
    };
    match field(fields, &format!("{role}_kind")) {
        "sms" => MethodChoice::Sms(phone()),
        "voice" => MethodChoice::Voice(phone()),
        _ => MethodChoice::AuthenticatorApp,
    }
}

async fn enroll(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let (session, email) = match enrollment_session(&app, &visit) {
        Ok(s) => s,
        Err(elsewhere) => return elsewhere,
    };
    let req = Enroll { primary: choice(&fields, "primary"), backup: choice(&fields, "backup") };
    let started = {
        let session = session.clone();
        app::run(&app, move |app| enrollment::enroll(app, &session, req)).await
    };
    match started {
        Ok(started) => {
            let secret = started.authenticator_uri.as_ref().map(|u| u.expose()).and_then(|uri| {
                let query = uri.split_once('?')?.1;
                query.split('&').find_map(|p| p.strip_prefix("secret=")).map(str::to_owned)
            });
            let key = secret.as_deref().zip(started.authenticator_uri.as_ref().map(|u| u.expose()));
            verify_form(&app, &visit, &session, key, None, StatusCode::OK)
        }
        Err(e) => enroll_form(&visit, &email, &fields, Some(&say(&e)), StatusCode::UNPROCESSABLE_ENTITY),
    }
}

/// The code fields of the methods still to verify.
fn verify_form(
    app: &App,
    visit: &Visit,
    session: &Session,
    key: Option<(&str, &str)>,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let mut cookies = Vec::new();
    let csrf = visit.csrf(&mut cookies);
    let pending = app.db.read(|tx| method_store::load(tx, &app.sealer, &session.login_id, Status::Pending));
    let pending: Vec<(&str, String)> = match pending {
        Ok(Some(pair)) => {
            pair.pending_roles().into_iter().map(|role| (role.as_str(), pair.get(role).method.description())).collect()
        }
        Ok(None) => return redirect(cookies, "/enroll"),
        Err(e) => return page(StatusCode::INTERNAL_SERVER_ERROR, cookies, html::stopped(&say(&e))),
    };
    let body = html::enroll_verify(&html::VerifyPage { authenticator: key, pending: &pending, error, csrf: &csrf });
    page(status, cookies, body)
}

async fn enroll_verify(State(app): State<Shared>, visit: Visit, Form(fields): Form<Fields>) -> Response {
    if let Err(refused) = visit.guard(&fields) {
        return refused;
    }
    let (session, _) = match enrollment_session(&app, &visit) {
        Ok(s) => s,
        Err(elsewhere) => return elsewhere,
    };
    for role in [Role::Primary, Role::Backup] {
        let Some(code) = fields.get(&format!("code_{}", role.as_str())) else { continue };
        let req = VerifyMethod { role, code: code.as_str().into() };
        let verified = {
            let session = session.clone();
            app::run(&app, move |app| enrollment::verify(app, &session, req)).await
        };
        match verified {
            Ok(status) if status.enabled => return redirect(Vec::new(), "/settings"),
            Ok(_) => {}
            Err(e) => {
                return verify_form(&app, &visit, &session, None, Some(&say(&e)), StatusCode::UNPROCESSABLE_ENTITY);
            }
        }
    }
    verify_form(&app, &visit, &session, None, None, StatusCode::OK)
}
