//! A running server on a temporary database, a fixed clock, and two HTTP clients: one from
//! 127.0.0.1 and one from 127.0.0.2 (another network, for the trust rules).

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Once};

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use twostep_core::clock::{Clock, FixedClock};
use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::otp::{Generator, uri};
use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::{ApiError, ClientInfo, ClientKind, ErrorBody, ErrorCode};
use twostep_core::secret::SecretBytes;
use twostep_server::{RunningServer, Server, ServerConfig};

/// A multiple of 30: codes of this instant belong to one TOTP step from its start.
pub const T0: u64 = 1_700_000_010;
pub const PASSWORD: &str = "correct horse battery";
pub const SMS_NUMBER: &str = "+1 206 555 0100";
pub const SMS_E164: &str = "+12065550100";
pub const VOICE_NUMBER: &str = "+44 20 7946 0958";

pub struct Harness {
    pub server: RunningServer,
    pub clock: Arc<FixedClock>,
    pub db_path: std::path::PathBuf,
    /// From 127.0.0.1.
    pub http: reqwest::Client,
    /// From 127.0.0.2: another network as far as trust is concerned.
    pub other_network: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Response {
    /// The body of a success, or a panic showing the error.
    pub fn ok<T: DeserializeOwned>(self) -> T {
        assert!((200..300).contains(&self.status), "expected success, got {}: {}", self.status, self.body);
        serde_json::from_value(self.body).expect("the body has the documented shape")
    }

    /// The error of a refusal, checked to come with the status its code maps to.
    pub fn err(self) -> ApiError {
        let body: ErrorBody = serde_json::from_value(self.body.clone())
            .unwrap_or_else(|_| panic!("expected an error body, got {}: {}", self.status, self.body));
        assert_eq!(self.status, body.error.code.http_status(), "{}", self.body);
        body.error
    }

    /// Asserts a refusal with `code` and returns it.
    pub fn refused(self, code: ErrorCode) -> ApiError {
        let e = self.err();
        assert_eq!(e.code, code, "{e:?}");
        e
    }
}

fn client(local: IpAddr) -> reqwest::Client {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder().no_proxy().local_address(local).build().expect("an HTTP client")
}

/// An enrolled login: authenticator app primary, SMS backup.
pub struct Account {
    pub email: String,
    pub login_id: String,
    /// A full session from enrollment.
    pub session: String,
    pub seed: SecretBytes,
}

impl Account {
    pub fn totp_at(&self, at: u64) -> String {
        totp(&self.seed, at)
    }
}

pub fn totp(seed: &SecretBytes, at: u64) -> String {
    Generator::new(twostep_server::codes::totp_params(), seed).unwrap().code_at(at)
}

pub fn client_info(device_id: &str, app_version: &str) -> ClientInfo {
    ClientInfo {
        device_id: device_id.into(),
        kind: ClientKind::Browser,
        app_version: app_version.into(),
        user_agent: "Firefox 128 on Linux".into(),
    }
}

pub fn laptop() -> ClientInfo {
    client_info("laptop-1", "128.0")
}

impl Harness {
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    pub fn start_with(adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("server.db");
        let clock = Arc::new(FixedClock::at(T0));
        let mut config = ServerConfig::local(&db_path, clock.clone());
        adjust(&mut config);
        let server = Server::start(config).expect("the server starts");
        Self {
            server,
            clock,
            db_path,
            http: client(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))),
            other_network: client(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))),
            _dir: dir,
        }
    }

    pub fn now(&self) -> u64 {
        self.clock.now_unix_seconds()
    }

    pub fn advance(&self, secs: u64) {
        self.clock.advance(secs);
    }

    pub async fn send_via(
        &self,
        http: &reqwest::Client,
        method: Method,
        path: &str,
        body: Option<Value>,
        bearer: Option<&str>,
    ) -> Response {
        let mut req = http.request(method, format!("{}{path}", self.server.url()));
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("the server answers");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Response { status, headers, body }
    }

    pub async fn post<B: Serialize>(&self, path: &str, body: &B, bearer: Option<&str>) -> Response {
        self.send_via(&self.http, Method::POST, path, Some(serde_json::to_value(body).unwrap()), bearer).await
    }

    pub async fn get(&self, path: &str, bearer: Option<&str>) -> Response {
        self.send_via(&self.http, Method::GET, path, None, bearer).await
    }

    pub fn outbox(&self, email: &str) -> Vec<OutboxMessage> {
        self.server.outbox(email)
    }

    pub fn last_code(&self, email: &str) -> String {
        self.server.last_code(email).expect("a code was sent")
    }

    pub async fn create_login(&self, email: &str) -> String {
        let created: LoginCreated =
            self.post("/v1/logins", &CreateLogin { email: email.into(), password: PASSWORD.into() }, None).await.ok();
        created.login_id
    }

    pub async fn sign_in_as(&self, email: &str, client: ClientInfo, trust_token: Option<&str>) -> Response {
        let req =
            SignIn { email: email.into(), password: PASSWORD.into(), client, trust_token: trust_token.map(Into::into) };
        self.post("/v1/signin", &req, None).await
    }

    pub async fn sign_in_via(
        &self,
        http: &reqwest::Client,
        email: &str,
        client: ClientInfo,
        trust_token: Option<&str>,
    ) -> SignInResponse {
        let req =
            SignIn { email: email.into(), password: PASSWORD.into(), client, trust_token: trust_token.map(Into::into) };
        self.send_via(http, Method::POST, "/v1/signin", Some(serde_json::to_value(req).unwrap()), None).await.ok()
    }

    /// A password sign-in that must ask for a code.
    pub async fn code_required(&self, email: &str, client: ClientInfo, trust_token: Option<&str>) -> CodeRequired {
        match self.sign_in_as(email, client, trust_token).await.ok() {
            SignInResponse::CodeRequired(c) => c,
            other => panic!("expected code_required, got {other:?}"),
        }
    }

    /// Creates a login and enrolls an authenticator app (primary) and an SMS phone (backup).
    /// Leaves the clock one step after the enrollment codes, so the next code is fresh.
    pub async fn enrolled(&self, email: &str) -> Account {
        let login_id = self.create_login(email).await;
        let session = match self.sign_in_as(email, laptop(), None).await.ok() {
            SignInResponse::EnrollmentRequired { session, .. } => session.expose().to_owned(),
            other => panic!("expected enrollment_required, got {other:?}"),
        };
        let started: EnrollmentStarted = self
            .post(
                "/v1/enrollment",
                &Enroll {
                    primary: MethodChoice::AuthenticatorApp,
                    backup: MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)),
                },
                Some(&session),
            )
            .await
            .ok();
        let seed = uri::parse(started.authenticator_uri.as_ref().unwrap().expose()).unwrap().secret;
        let code = totp(&seed, self.now());
        let _: EnrollmentStatus = self
            .post(
                "/v1/enrollment/verify",
                &VerifyMethod { role: twostep_core::protocol::Role::Primary, code: code.into() },
                Some(&session),
            )
            .await
            .ok();
        let code = self.last_code(email);
        let status: EnrollmentStatus = self
            .post(
                "/v1/enrollment/verify",
                &VerifyMethod { role: twostep_core::protocol::Role::Backup, code: code.into() },
                Some(&session),
            )
            .await
            .ok();
        assert!(status.enabled);
        self.advance(30);
        Account { email: email.into(), login_id, session, seed }
    }

    /// Signs `account` in on `client` with its authenticator code, optionally trusting the device.
    pub async fn sign_in_with_code(&self, account: &Account, client: ClientInfo, remember: bool) -> SignedIn {
        self.sign_in_with_code_via(&self.http, account, client, remember).await
    }

    pub async fn sign_in_with_code_via(
        &self,
        http: &reqwest::Client,
        account: &Account,
        client: ClientInfo,
        remember: bool,
    ) -> SignedIn {
        let attempt = match self.sign_in_via(http, &account.email, client, None).await {
            SignInResponse::CodeRequired(c) => c.attempt_id,
            other => panic!("expected code_required, got {other:?}"),
        };
        let body = VerifyCode { code: account.totp_at(self.now()).into(), remember_device: remember };
        let signed: SignedIn = self
            .send_via(
                http,
                Method::POST,
                &format!("/v1/signin/{attempt}/verify"),
                Some(serde_json::to_value(body).unwrap()),
                None,
            )
            .await
            .ok();
        // The step is used now; the next sign-in needs the next one.
        self.advance(30);
        signed
    }
}

/// A client from `ip` (any 127.0.0.0/8 address: each is its own network to the server).
pub fn client_from(ip: Ipv4Addr) -> reqwest::Client {
    client(IpAddr::V4(ip))
}

/// Delivers nothing and keeps every message it is handed, code included: what an SMS
/// gateway would receive, for tests of a server that does not keep codes (no dev outbox).
#[derive(Default)]
pub struct Captured(pub std::sync::Mutex<Vec<OutboxMessage>>);

impl twostep_server::CodeSender for Captured {
    fn deliver(&self, message: &OutboxMessage) -> Result<(), String> {
        self.0.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Captured {
    pub fn last_code(&self) -> String {
        self.0.lock().unwrap().last().expect("a code was sent").code.expose().to_owned()
    }
}

impl Harness {
    /// Moves the server's clock forward over HTTP (`POST /v1/dev/clock`); returns its time.
    pub async fn dev_advance(&self, secs: u64) -> u64 {
        let time: ServerTime = self.post("/v1/dev/clock", &AdvanceClock { advance_seconds: secs }, None).await.ok();
        time.now
    }

    /// The server's time (`GET /v1/time`), which the dev clock moves and the fixed clock does not know.
    pub async fn server_now(&self) -> u64 {
        let time: ServerTime = self.get("/v1/time", None).await.ok();
        time.now
    }
}

/// A client from 127.0.0.1, for tests that start their own server.
pub fn local_client() -> reqwest::Client {
    client(IpAddr::V4(Ipv4Addr::LOCALHOST))
}
