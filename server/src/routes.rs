//! The HTTP surface: the endpoint table of [`twostep_core::protocol::endpoints`] (plus
//! `POST /v1/methods/send`) mapped to the module that does each job, and the headers every
//! response carries.
//!
//! Handlers only extract and answer: database work runs in place through [`app::run`],
//! password hashing on the blocking pool behind its bound through [`app::run_hashing`].
//! The `/v1/dev/` endpoints answer `404 not_found` unless the server runs in dev mode. Every response,
//! errors included, carries a `Date` header written from the server's injected clock (so a
//! test clock and the header agree, and phones correct their drift against it) and
//! `Cache-Control: no-store` (bodies hold tokens).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, UNIX_EPOCH};

use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, DATE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use twostep_core::protocol::endpoints::{
    AdvanceClock, AnswerAccepted, AttemptStatus, ChangeMethods, CodeSent, CreateLogin, CurrentMethods,
    DeviceRegistered, DeviceRemoved, Devices, Enroll, EnrollmentStarted, EnrollmentStatus, LoggedOut, LoginCreated,
    Logout, Outbox, PendingChallenges, PushStarted, RegisterDevice, SendCode, ServerTime, SignIn, SignInResponse,
    SignedIn, StartPush, TrustRevoked, TrustSummary, TrustedDevices, VerifyCode, VerifyMethod,
};
use twostep_core::protocol::{ErrorCode, SignedEnvelope, paths};

use crate::app::{self, App, Shared};
use crate::error::{Error, Result};
use crate::extract::{Bearer, JsonBody};
use crate::sessions::{self, Session};
use crate::{account, attempts, devices, enrollment, logins, outbox, push};

pub fn router(app: Shared) -> Router {
    Router::new()
        .route(paths::LOGINS, post(create_login))
        .route(paths::SIGN_IN, post(sign_in))
        .route(paths::ATTEMPT, get(attempt_status))
        .route(paths::ATTEMPT_SEND, post(send_code))
        .route(paths::ATTEMPT_VERIFY, post(verify_code))
        .route(paths::ATTEMPT_PUSH, post(start_push))
        .route(paths::ENROLLMENT, post(enroll))
        .route(paths::ENROLLMENT_VERIFY, post(verify_method))
        .route(paths::METHODS, get(current_methods))
        .route(paths::METHODS_CHANGE, post(change_methods))
        .route(paths::METHODS_SEND, post(send_proof_code))
        .route(paths::DEVICES, post(register_device).get(list_devices))
        .route(paths::DEVICE, delete(remove_device))
        .route(paths::DEVICE_CHALLENGES, post(pending_challenges))
        .route(paths::CHALLENGE_ANSWER, post(answer))
        .route(paths::TRUST, get(trust_summary))
        .route(paths::TRUST_REQUIRE_CODES, post(require_codes))
        .route(paths::TRUST_DEVICES, get(trusted_devices))
        .route(paths::TRUST_DEVICE, delete(revoke_trust))
        .route(paths::LOGOUT, post(logout))
        .route(paths::TIME, get(server_time))
        .route(paths::DEV_OUTBOX, get(dev_outbox))
        .route(paths::DEV_CLOCK, post(dev_clock))
        // The browser's pages (`/signin`, `/settings`, …), on the same rules.
        .merge(crate::web::router())
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(no_such_endpoint)
        .layer(middleware::from_fn_with_state(app.clone(), common_headers))
        .layer(middleware::from_fn_with_state(app.config.connections.request, crate::listen::request_deadline))
        .with_state(app)
}

async fn common_headers(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let now = UNIX_EPOCH + Duration::from_secs(app.now());
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(now)) {
        // hyper writes its own `Date` (from the system clock) only when none is set.
        res.headers_mut().insert(DATE, date);
    }
    res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // For browsers: nothing is sniffed into another type, no URL (attempt ids) leaks to
    // another site in a Referer, and no page runs anything but its own code or shows inside
    // another site. `same-origin`, not `no-referrer`: with that, browsers send `Origin: null`
    // on the pages' own forms, which the CSRF check rightly refuses.
    let headers = res.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let html = headers.get(CONTENT_TYPE).and_then(|t| t.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    let policy = if html {
        crate::web::content_security_policy()
    } else {
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'")
    };
    headers.insert(CONTENT_SECURITY_POLICY, policy);
    res
}

async fn no_such_endpoint() -> Error {
    Error::api(ErrorCode::NotFound, "No such endpoint.")
}

/// The session of a bearer token.
fn session(app: &App, token: &str) -> Result<Session> {
    app.db.read(|tx| sessions::authenticate(tx, token, app.now()))
}

async fn create_login(State(app): State<Shared>, JsonBody(req): JsonBody<CreateLogin>) -> Result<Json<LoginCreated>> {
    app::run_hashing(&app, move |app| logins::create(app, req)).await.map(Json)
}

async fn sign_in(
    State(app): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(req): JsonBody<SignIn>,
) -> Result<Json<SignInResponse>> {
    app::run_hashing(&app, move |app| logins::sign_in(app, req, peer.ip())).await.map(Json)
}

async fn attempt_status(
    State(app): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(attempt): Path<String>,
) -> Result<Json<AttemptStatus>> {
    app::run(&app, move |app| attempts::status(app, &attempt, peer.ip())).await.map(Json)
}

async fn send_code(
    State(app): State<Shared>,
    Path(attempt): Path<String>,
    JsonBody(req): JsonBody<SendCode>,
) -> Result<Json<CodeSent>> {
    app::run(&app, move |app| attempts::send_code(app, &attempt, req)).await.map(Json)
}

async fn verify_code(
    State(app): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(attempt): Path<String>,
    JsonBody(req): JsonBody<VerifyCode>,
) -> Result<Json<SignedIn>> {
    app::run(&app, move |app| attempts::verify_code(app, &attempt, req, peer.ip())).await.map(Json)
}

async fn start_push(
    State(app): State<Shared>,
    Path(attempt): Path<String>,
    JsonBody(req): JsonBody<StartPush>,
) -> Result<Json<PushStarted>> {
    app::run(&app, move |app| push::start(app, &attempt, req)).await.map(Json)
}

async fn enroll(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    JsonBody(req): JsonBody<Enroll>,
) -> Result<Json<EnrollmentStarted>> {
    app::run(&app, move |app| enrollment::enroll(app, &session(app, &token)?, req)).await.map(Json)
}

async fn verify_method(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    JsonBody(req): JsonBody<VerifyMethod>,
) -> Result<Json<EnrollmentStatus>> {
    app::run(&app, move |app| enrollment::verify(app, &session(app, &token)?, req)).await.map(Json)
}

async fn change_methods(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    JsonBody(req): JsonBody<ChangeMethods>,
) -> Result<Json<EnrollmentStarted>> {
    app::run(&app, move |app| enrollment::change(app, &session(app, &token)?, req)).await.map(Json)
}

async fn send_proof_code(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    JsonBody(req): JsonBody<SendCode>,
) -> Result<Json<CodeSent>> {
    app::run(&app, move |app| enrollment::send_proof_code(app, &session(app, &token)?, req)).await.map(Json)
}

async fn register_device(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    JsonBody(req): JsonBody<RegisterDevice>,
) -> Result<Json<DeviceRegistered>> {
    app::run(&app, move |app| push::register(app, &session(app, &token)?, req)).await.map(Json)
}

async fn list_devices(State(app): State<Shared>, Bearer(token): Bearer) -> Result<Json<Devices>> {
    app::run(&app, move |app| devices::list(app, &session(app, &token)?)).await.map(Json)
}

async fn remove_device(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    Path(device): Path<String>,
) -> Result<Json<DeviceRemoved>> {
    app::run(&app, move |app| devices::remove(app, &session(app, &token)?, &device)).await.map(Json)
}

async fn pending_challenges(
    State(app): State<Shared>,
    Path(device): Path<String>,
    JsonBody(env): JsonBody<SignedEnvelope>,
) -> Result<Json<PendingChallenges>> {
    app::run(&app, move |app| push::pending(app, &device, env)).await.map(Json)
}

async fn answer(
    State(app): State<Shared>,
    Path(id): Path<String>,
    JsonBody(env): JsonBody<SignedEnvelope>,
) -> Result<Json<AnswerAccepted>> {
    app::run(&app, move |app| push::answer(app, &id, env)).await.map(Json)
}

async fn server_time(State(app): State<Shared>) -> Json<ServerTime> {
    Json(ServerTime { now: app.now() })
}

async fn current_methods(State(app): State<Shared>, Bearer(token): Bearer) -> Result<Json<CurrentMethods>> {
    app::run(&app, move |app| account::methods(app, &session(app, &token)?)).await.map(Json)
}

async fn trust_summary(State(app): State<Shared>, Bearer(token): Bearer) -> Result<Json<TrustSummary>> {
    app::run(&app, move |app| account::trust_summary(app, &session(app, &token)?)).await.map(Json)
}

async fn require_codes(State(app): State<Shared>, Bearer(token): Bearer) -> Result<Json<TrustSummary>> {
    app::run(&app, move |app| account::require_codes(app, &session(app, &token)?)).await.map(Json)
}

async fn trusted_devices(State(app): State<Shared>, Bearer(token): Bearer) -> Result<Json<TrustedDevices>> {
    app::run(&app, move |app| account::trusted_devices(app, &session(app, &token)?)).await.map(Json)
}

async fn revoke_trust(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    Path(trust): Path<String>,
) -> Result<Json<TrustRevoked>> {
    app::run(&app, move |app| account::revoke_trust(app, &session(app, &token)?, &trust)).await.map(Json)
}

async fn logout(
    State(app): State<Shared>,
    Bearer(token): Bearer,
    JsonBody(req): JsonBody<Logout>,
) -> Result<Json<LoggedOut>> {
    app::run(&app, move |app| account::logout(app, &session(app, &token)?, req)).await.map(Json)
}

async fn dev_outbox(
    State(app): State<Shared>,
    query: std::result::Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Outbox>> {
    if !app.config.dev_outbox {
        return Err(no_such_endpoint().await);
    }
    let Query(query) = query.map_err(|_| Error::invalid("email", "the query string cannot be read"))?;
    let email = query.get("email").ok_or_else(|| Error::invalid("email", "is missing"))?;
    let email = logins::normalize_email(email)?;
    app::run(&app, move |app| {
        app.db
            .read(|tx| outbox::list(tx, &email))?
            .map(|messages| Outbox { messages })
            .ok_or_else(|| Error::not_found("login"))
    })
    .await
    .map(Json)
}

/// `POST /v1/dev/clock`: moves the server's clock forward by `advance_seconds` (never back),
/// so every expiry can be tested over HTTP. Dev mode (`dev_clock`) only.
async fn dev_clock(State(app): State<Shared>, JsonBody(req): JsonBody<AdvanceClock>) -> Result<Json<ServerTime>> {
    if !app.config.dev_clock {
        return Err(no_such_endpoint().await);
    }
    if req.advance_seconds > 10 * 365 * 86_400 {
        return Err(Error::invalid("advance_seconds", "must be at most ten years"));
    }
    Ok(Json(ServerTime { now: app.advance_clock(req.advance_seconds) }))
}
