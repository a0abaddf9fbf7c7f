//! Logins, the password step, the error body and the headers every response carries.

use std::time::{Duration, UNIX_EPOCH};

use reqwest::Method;
use serde_json::json;
use twostep_core::protocol::ErrorCode;
use twostep_core::protocol::endpoints::*;

use crate::support::*;

#[tokio::test]
async fn creating_a_login_normalises_the_email_and_refuses_a_duplicate() {
    let h = Harness::start();
    h.create_login("  Ada@Example.COM ").await;
    let again = CreateLogin { email: "ada@example.com".into(), password: PASSWORD.into() };
    h.post("/v1/logins", &again, None).await.refused(ErrorCode::AlreadyExists);
    // Signing in with any capitalisation finds the same login.
    let res: SignInResponse = h.sign_in_as("ADA@example.com", laptop(), None).await.ok();
    assert!(matches!(res, SignInResponse::EnrollmentRequired { .. }));
}

#[tokio::test]
async fn a_password_shorter_than_eight_characters_is_refused() {
    let h = Harness::start();
    let e = h
        .post("/v1/logins", &CreateLogin { email: "ada@example.com".into(), password: "seven77".into() }, None)
        .await
        .refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("password"));
    assert!(!e.message.contains("seven77"));
    h.post("/v1/logins", &CreateLogin { email: "ada@example.com".into(), password: "eight888".into() }, None)
        .await
        .ok::<LoginCreated>();
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_are_refused_alike() {
    let h = Harness::start();
    h.create_login("ada@example.com").await;
    let wrong = SignIn {
        email: "ada@example.com".into(),
        password: "not the password".into(),
        client: laptop(),
        trust_token: None,
    };
    let a = h.post("/v1/signin", &wrong, None).await.refused(ErrorCode::WrongPassword);
    let unknown = SignIn { email: "bob@example.com".into(), ..wrong };
    let b = h.post("/v1/signin", &unknown, None).await.refused(ErrorCode::WrongPassword);
    assert_eq!(a.message, b.message);
}

#[tokio::test]
async fn guessing_passwords_is_throttled_even_when_the_right_one_follows() {
    let h = Harness::start();
    h.create_login("ada@example.com").await;
    let wrong =
        SignIn { email: "ada@example.com".into(), password: "guess guess".into(), client: laptop(), trust_token: None };
    for _ in 0..5 {
        h.post("/v1/signin", &wrong, None).await.refused(ErrorCode::WrongPassword);
    }
    let e = h.sign_in_as("ada@example.com", laptop(), None).await.refused(ErrorCode::Throttled);
    assert_eq!(e.retry_after, Some(30));
    h.advance(30);
    h.sign_in_as("ada@example.com", laptop(), None).await.ok::<SignInResponse>();
    // The right password ended the run of failures.
    for _ in 0..5 {
        h.post("/v1/signin", &wrong, None).await.refused(ErrorCode::WrongPassword);
    }
}

#[tokio::test]
async fn before_enrollment_a_sign_in_gets_a_session_that_may_only_enroll() {
    let h = Harness::start();
    let login_id = h.create_login("ada@example.com").await;
    let SignInResponse::EnrollmentRequired { session, login_id: id } =
        h.sign_in_as("ada@example.com", laptop(), None).await.ok()
    else {
        panic!("expected enrollment_required")
    };
    assert_eq!(id, login_id);
    h.get("/v1/trust", Some(session.expose())).await.refused(ErrorCode::Unauthorized);
    h.post("/v1/trust/require-codes", &json!({}), Some(session.expose())).await.refused(ErrorCode::Unauthorized);
    let key = twostep_core::protocol::signed::SigningKey::generate();
    let device = RegisterDevice {
        public_key: key.public_key_b64(),
        platform: "android".into(),
        push_token: "t".into(),
        app_version: "1.0".into(),
    };
    h.post("/v1/devices", &device, Some(session.expose())).await.refused(ErrorCode::Unauthorized);
    // Without any session, nothing.
    h.get("/v1/trust", None).await.refused(ErrorCode::Unauthorized);
    h.get("/v1/trust", Some("made-up-token")).await.refused(ErrorCode::Unauthorized);
}

#[tokio::test]
async fn every_response_carries_a_date_header_from_the_server_clock() {
    let h = Harness::start();
    h.advance(12_345);
    let ok =
        h.post("/v1/logins", &CreateLogin { email: "ada@example.com".into(), password: PASSWORD.into() }, None).await;
    let refused = h.get("/v1/trust", None).await;
    let missing = h.get("/v1/no/such/endpoint", None).await;
    for res in [ok, refused, missing] {
        assert_eq!(res.headers.get_all("date").iter().count(), 1, "one Date header, the server clock's");
        let date = res.headers.get("date").expect("a Date header").to_str().unwrap().to_owned();
        let at = httpdate::parse_http_date(&date).unwrap();
        assert_eq!(at, UNIX_EPOCH + Duration::from_secs(T0 + 12_345), "{date}");
        assert_eq!(res.headers.get("cache-control").unwrap(), "no-store");
    }
}

#[tokio::test]
async fn malformed_requests_are_refused_with_the_field_named() {
    let h = Harness::start();
    let e = h
        .post("/v1/signin", &json!({"email": "ada@example.com", "password": PASSWORD, "client": {"kind": "app"}}), None)
        .await
        .refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("client.device_id"));
    let e = h
        .post("/v1/logins", &json!({"email": "ada@example.com", "password": 12345678}), None)
        .await
        .refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("password"));
    assert!(!e.message.contains("12345678"), "{}", e.message);
    let e = h
        .post("/v1/logins", &json!({"email": "not an email", "password": PASSWORD}), None)
        .await
        .refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("email"));

    let raw = h.http.post(format!("{}/v1/logins", h.server.url())).body("{oops").send().await.unwrap();
    assert_eq!(raw.status(), 400);
    let body: twostep_core::protocol::ErrorBody = raw.json().await.unwrap();
    assert_eq!(body.error.field.as_deref(), Some("body"));

    h.get("/v1/no/such/endpoint", None).await.refused(ErrorCode::NotFound);
    h.send_via(&h.http, Method::DELETE, "/v1/logins", None, None).await.refused(ErrorCode::NotFound);
}

#[tokio::test]
async fn passwords_and_tokens_are_never_stored_in_clear() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let signed = h.sign_in_with_code(&account, laptop(), true).await;
    let mut stored = std::fs::read(&h.db_path).unwrap();
    if let Ok(wal) = std::fs::read(h.db_path.with_extension("db-wal")) {
        stored.extend(wal);
    }
    let contains = |needle: &str| stored.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(!contains(PASSWORD));
    assert!(!contains(&account.session));
    assert!(!contains(signed.session.expose()));
    assert!(!contains(signed.trust_token.as_ref().unwrap().expose()));
    assert!(contains("$argon2id$v=19$m=8,t=1,p=1$"), "the configured cost is in the hash");
}

#[tokio::test]
async fn the_dev_outbox_is_served_only_in_dev_mode() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let outbox: Outbox = h.get(&format!("/v1/dev/outbox?email={}", account.email), None).await.ok();
    assert_eq!(outbox.messages.len(), 1);
    assert_eq!(outbox.messages[0].to, SMS_E164);
    assert!(outbox.messages[0].text.expose().contains(outbox.messages[0].code.expose()));
    h.get("/v1/dev/outbox?email=nobody@example.com", None).await.refused(ErrorCode::NotFound);

    let production = Harness::start_with(|c| c.dev_outbox = false);
    production.create_login("ada@example.com").await;
    production.get("/v1/dev/outbox?email=ada@example.com", None).await.refused(ErrorCode::NotFound);
}

#[tokio::test]
async fn the_server_key_and_logins_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    let config = |addr: &str| {
        let mut c = twostep_server::ServerConfig::new(addr.parse().unwrap(), &path);
        c.password_cost = twostep_server::PasswordCost::INSECURE_FOR_TESTS;
        c
    };
    let first = twostep_server::Server::start(config("127.0.0.1:0")).unwrap();
    let addr = first.addr();
    let key = first.server_public_key();
    let http = local_client();
    let res = http
        .post(format!("{}/v1/logins", first.url()))
        .json(&CreateLogin { email: "ada@example.com".into(), password: PASSWORD.into() })
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    first.shutdown().unwrap();

    // Served again on the very same address.
    let second = twostep_server::Server::start(config(&addr.to_string())).unwrap();
    assert_eq!(second.addr(), addr);
    assert_eq!(second.server_public_key(), key);
    // A fresh client: the old one's pooled connection died with the first server, and this
    // single-threaded test never let the client notice before reusing it.
    let http = local_client();
    let res = http
        .post(format!("{}/v1/logins", second.url()))
        .json(&CreateLogin { email: "ada@example.com".into(), password: PASSWORD.into() })
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
}

/// The JSON as a phone receives it, key for key, as `docs/api.md` shows it: a change here is
/// a change of the wire format.
#[tokio::test]
async fn wire_shapes_match_the_reference_page() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let res = h.sign_in_as("ada@example.com", laptop(), Some("not-a-token")).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        keys(&res.body),
        ["attempt_id", "backup", "expires_at", "primary", "push_available", "status", "trust_lost"]
    );
    assert_eq!(res.body["status"], "code_required");
    assert_eq!(res.body["trust_lost"], "invalid_token");
    assert_eq!(res.body["primary"], json!({"kind": "authenticator_app", "label": "Authenticator app"}));
    assert_eq!(res.body["backup"], json!({"kind": "sms", "label": "•••• 0100"}));

    let res = h.get("/v1/trust", None).await;
    assert_eq!(res.status, 401);
    assert_eq!(keys(&res.body), ["error"]);
    assert_eq!(keys(&res.body["error"]), ["code", "message"]);
    assert_eq!(res.body["error"]["code"], "unauthorized");
}
