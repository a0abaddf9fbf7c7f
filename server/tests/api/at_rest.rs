//! Someone with a copy of `server.db`: what the file holds, who may read it, and what is
//! purged from it.

use std::sync::Arc;

use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::otp::uri;
use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::signed::SigningKey;
use twostep_core::protocol::{ErrorCode, Role};
use twostep_core::secret::SecretBytes;
use twostep_server::{Server, ServerConfig};

use crate::support::*;

/// Everything SQLite has written for the database: the file, its WAL and its shared memory.
fn database_bytes(h: &Harness) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut path = h.db_path.clone().into_os_string();
        path.push(suffix);
        if let Ok(bytes) = std::fs::read(&path) {
            all.extend(bytes);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A server without dev mode (codes reach only the sender), with a login enrolled with an
/// authenticator app and an SMS phone, and a sign-in waiting for its code.
async fn production_like() -> (Harness, Arc<Captured>, SecretBytes, Vec<String>, String) {
    let sender = Arc::new(Captured::default());
    let h = Harness::start_with(|c| {
        c.dev_outbox = false;
        c.sender = sender.clone();
    });
    h.create_login("ada@example.com").await;
    let SignInResponse::EnrollmentRequired { session, .. } = h.sign_in_as("ada@example.com", laptop(), None).await.ok()
    else {
        panic!("expected enrollment_required")
    };
    let started: EnrollmentStarted = h
        .post(
            "/v1/enrollment",
            &Enroll {
                primary: MethodChoice::AuthenticatorApp,
                backup: MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)),
            },
            Some(session.expose()),
        )
        .await
        .ok();
    let seed = uri::parse(started.authenticator_uri.as_ref().unwrap().expose()).unwrap().secret;
    let mut codes = vec![sender.last_code()];
    h.post(
        "/v1/enrollment/verify",
        &VerifyMethod { role: Role::Primary, code: totp(&seed, h.now()).into() },
        Some(session.expose()),
    )
    .await
    .ok::<EnrollmentStatus>();
    h.post(
        "/v1/enrollment/verify",
        &VerifyMethod { role: Role::Backup, code: codes[0].clone().into() },
        Some(session.expose()),
    )
    .await
    .ok::<EnrollmentStatus>();
    let c = h.code_required("ada@example.com", laptop(), None).await;
    h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Backup }, None).await.ok::<CodeSent>();
    codes.push(sender.last_code());
    (h, sender, seed, codes, c.attempt_id)
}

#[tokio::test]
async fn attack_a_copy_of_the_database_holds_no_code_seed_or_attempt_id_in_clear() {
    let (h, sender, seed, codes, attempt_id) = production_like().await;
    let bytes = database_bytes(&h);
    for code in &codes {
        let text = format!("verification code is {code}");
        assert!(!contains(&bytes, text.as_bytes()), "an SMS text is in the file");
        // (Six digits that happen to be part of the phone number, also in the file, prove nothing.)
        if !SMS_E164.contains(code.as_str()) {
            assert!(!contains(&bytes, code.as_bytes()), "an SMS code is in the file");
        }
    }
    assert!(!contains(&bytes, seed.expose()), "the TOTP seed is in the file");
    assert!(!contains(&bytes, attempt_id.as_bytes()), "the attempt id is in the file");
    // The sender still got the whole message, and the outbox says only that a code was sent.
    assert!(sender.0.lock().unwrap()[0].text.expose().contains(&codes[0]));
    let outbox = h.outbox("ada@example.com");
    assert_eq!(outbox.len(), 2);
    assert!(outbox.iter().all(|m| m.code.is_empty() && m.text.is_empty() && m.to == SMS_E164));
    h.get("/v1/dev/outbox?email=ada@example.com", None).await.refused(ErrorCode::NotFound);
}

#[tokio::test]
async fn attack_the_signing_key_in_the_database_is_sealed() {
    let (h, _, _, _, _) = production_like().await;
    let conn = rusqlite::Connection::open(&h.db_path).unwrap();
    let stored: Vec<u8> = conn.query_row("SELECT sealed_pkcs8 FROM server_key", [], |r| r.get(0)).unwrap();
    assert!(SigningKey::from_pkcs8(&SecretBytes::new(stored)).is_err(), "the stored key is usable as it is");
}

#[cfg(unix)]
#[tokio::test]
async fn attack_the_database_its_wal_and_the_key_file_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (h, _, _, _, _) = production_like().await;
    let mut key = h.db_path.clone().into_os_string();
    key.push(".key");
    let mut files = vec![h.db_path.clone(), key.into()];
    for suffix in ["-wal", "-shm"] {
        let mut path = h.db_path.clone().into_os_string();
        path.push(suffix);
        files.push(path.into());
    }
    for file in files {
        let mode = std::fs::metadata(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())).permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} is {:o}", file.display(), mode & 0o777);
    }
}

#[tokio::test]
async fn without_its_key_file_a_database_with_sealed_secrets_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), &db);
    let key_path = config.key_path.clone();
    Server::start(config.clone()).unwrap().shutdown().unwrap();
    std::fs::rename(&key_path, dir.path().join("elsewhere")).unwrap();
    let e = Server::start(config).unwrap_err().to_string();
    assert!(e.contains("key file") && e.contains("missing"), "{e}");
    assert!(!key_path.exists(), "no new key was made");
}

#[tokio::test]
async fn expired_codes_and_attempts_are_purged() {
    let (h, _, _, _, _) = production_like().await;
    let count = |table: &str| -> u32 {
        let conn = rusqlite::Connection::open(&h.db_path).unwrap();
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    assert!(count("codes") > 0 && count("attempts") > 0);
    // Two days later (over HTTP), the next sign-in purges what expired for good.
    h.dev_advance(2 * 86_400).await;
    h.sign_in_as("ada@example.com", laptop(), None).await.ok::<SignInResponse>();
    assert_eq!(count("codes"), 0);
    assert_eq!(count("attempts"), 1, "only the new sign-in's attempt is left");
}

#[tokio::test]
async fn a_version_1_database_has_its_plain_seed_and_key_sealed_at_the_next_start() {
    use argon2::PasswordHasher;
    use twostep_core::methods::{Method, PhoneNumber};

    let seed = SecretBytes::from_slice(b"12345678901234567890");
    let key = SigningKey::generate();
    let h = Harness::start_with(|c| {
        // What version 1 of the backend left: everything in clear.
        let conn = rusqlite::Connection::open(&c.db_path).unwrap();
        conn.execute_batch(include_str!("../../src/migrations/001_initial.sql")).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let salt = argon2::password_hash::SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let hash = argon2::Argon2::default().hash_password(PASSWORD.as_bytes(), &salt).unwrap().to_string();
        conn.execute(
            "INSERT INTO logins (id, email, password_hash, created_at, two_step_enabled) VALUES ('l1', 'ada@example.com', ?1, 0, 1)",
            [hash],
        )
        .unwrap();
        let app = serde_json::to_string(&Method::AuthenticatorApp).unwrap();
        let sms = serde_json::to_string(&Method::Sms { number: PhoneNumber::from_e164(SMS_E164).unwrap() }).unwrap();
        conn.execute(
            "INSERT INTO methods (id, login_id, status, role, method, seed, verified_at, created_at)
             VALUES ('m1', 'l1', 'active', 'primary', ?1, ?2, 0, 0), ('m2', 'l1', 'active', 'backup', ?3, NULL, 0, 0)",
            rusqlite::params![app, seed.expose(), sms],
        )
        .unwrap();
        conn.execute("INSERT INTO server_key (id, pkcs8, created_at) VALUES (1, ?1, 0)", [key.pkcs8().expose()])
            .unwrap();
    });
    // The same signing key, now sealed; the seed sealed; the plain copies gone.
    assert_eq!(h.server.server_public_key(), key.public_key_b64());
    let bytes = database_bytes(&h);
    assert!(!contains(&bytes, seed.expose()), "the plain seed is still in the file");
    assert!(!contains(&bytes, key.pkcs8().expose()), "the plain signing key is still in the file");
    // And the seed still works: the owner signs in with their authenticator app.
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let code = totp(&seed, h.now());
    h.post(
        &format!("/v1/signin/{}/verify", c.attempt_id),
        &VerifyCode { code: code.into(), remember_device: false },
        None,
    )
    .await
    .ok::<SignedIn>();
}
