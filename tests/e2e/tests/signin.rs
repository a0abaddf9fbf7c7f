//! Signing in with two-step verification, as the app and the browser see it.

use std::sync::Arc;

use twostep_core::client::{ClientError, HttpConfig};
use twostep_core::clock::{Clock, FixedClock};
use twostep_core::protocol::{ErrorCode, MethodKind, Role};
use twostep_e2e::{APP_VERSION, Backend, Device, PASSWORD, STEP, T0, app_identity, code_required, enroll};

#[tokio::test]
async fn enrolling_puts_the_authenticator_seed_in_the_vault() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let account = enroll(&backend, &phone, "ada@example.com").await;

    let entries = phone.vault.lock().unwrap().list();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, account.entry_id);
    assert_eq!(entries[0].account, "ada@example.com");
    let session = phone.client.session().unwrap().expect("signed in");
    assert_eq!(session.login_id, account.login_id);
    assert!(!session.enrollment_only, "enabling two-step verification upgrades the session");
}

#[tokio::test]
async fn a_code_from_the_authenticator_completes_the_sign_in() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let laptop = Device::laptop(&backend);
    let account = enroll(&backend, &phone, "ada@example.com").await;

    let attempt = code_required(laptop.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.primary.kind, MethodKind::AuthenticatorApp);
    assert_eq!(attempt.backup.kind, MethodKind::Sms);
    assert!(!attempt.backup.label.contains("206 555 0100"), "numbers are masked: {}", attempt.backup.label);
    assert!(!attempt.push_available, "no phone is registered for push yet");
    assert_eq!(attempt.trust_lost, None, "a browser that never had trust has no reason to show");

    let code = phone.client.code(&account.entry_id).unwrap();
    let info = laptop.client.verify_code(&attempt.attempt_id, &code, false).await.unwrap();
    assert_eq!(info.login_id, account.login_id);
    assert_eq!(info.email, "ada@example.com");
    assert!(!info.trusted && !info.without_code);
    assert!(laptop.client.session().unwrap().is_some());
}

#[tokio::test]
async fn didnt_receive_the_code_sends_it_to_the_backup() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let laptop = Device::laptop(&backend);
    enroll(&backend, &phone, "ada@example.com").await;

    let attempt = code_required(laptop.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    let sent = laptop.client.send_code(&attempt.attempt_id, Role::Backup).await.unwrap();
    assert_eq!(sent.to, Role::Backup);
    assert_eq!(sent.method.kind, MethodKind::Sms);
    let sms = backend.last_code("ada@example.com");
    laptop.client.verify_code(&attempt.attempt_id, &sms, false).await.unwrap();
}

#[tokio::test]
async fn a_wrong_code_is_refused_with_its_reason() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let laptop = Device::laptop(&backend);
    let account = enroll(&backend, &phone, "ada@example.com").await;

    let attempt = code_required(laptop.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    let right = phone.client.code(&account.entry_id).unwrap();
    let wrong = if right == "123456" { "654321" } else { "123456" };
    let err = laptop.client.verify_code(&attempt.attempt_id, wrong, false).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::WrongCode), "{err:?}");
    assert!(!err.to_string().contains(wrong), "the code typed is never quoted back");
    laptop.client.verify_code(&attempt.attempt_id, &right, false).await.unwrap();
}

#[tokio::test]
async fn a_wrong_password_is_refused_before_any_code() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    enroll(&backend, &phone, "ada@example.com").await;
    let err = phone.client.sign_in("ada@example.com", "not the password").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::WrongPassword));
    assert!(!format!("{err:?}").contains("not the password"));
}

#[tokio::test]
async fn the_servers_date_header_corrects_a_phone_clock_that_is_off() {
    let backend = Backend::start();
    // The phone's own clock is five minutes behind the server's: ten TOTP steps.
    let phone_clock = Arc::new(FixedClock::at(T0 - 300));
    let phone = Device::new(&backend, app_identity(APP_VERSION), HttpConfig::default(), phone_clock.clone());
    assert_eq!(phone.client.clock_offset_seconds(), None, "nothing is known before the first response");

    // Enrolling confirms the app method with a code the phone made: it only works corrected.
    let account = enroll(&backend, &phone, "ada@example.com").await;
    let attempt = code_required(phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    let offset = backend.now() as i64 - phone_clock.now_unix_seconds() as i64;
    assert_eq!(phone.client.clock_offset_seconds(), Some(offset));
    assert!(offset >= 300);
    assert!(phone.client.clock_is_off(30), "more than one period off: the app can say so");
    assert_eq!(phone.client.now(), backend.now());

    let uncorrected = phone.vault.lock().unwrap().code(&account.entry_id, phone_clock.now_unix_seconds()).unwrap();
    let err = phone.client.verify_code(&attempt.attempt_id, &uncorrected, false).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::WrongCode), "the phone's own time makes a code the server refuses");
    let corrected = phone.client.code(&account.entry_id).unwrap();
    phone.client.verify_code(&attempt.attempt_id, &corrected, false).await.unwrap();
    backend.advance(STEP);
}

#[tokio::test]
async fn a_client_refuses_bad_input_before_sending_anything() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let err = phone.client.sign_in("not-an-email", PASSWORD).await.unwrap_err();
    assert!(matches!(err, ClientError::InvalidInput { field: "email", .. }), "{err:?}");
    let err = phone.client.verify_code("attempt", "12ab56", false).await.unwrap_err();
    assert!(matches!(err, ClientError::InvalidInput { field: "code", .. }), "{err:?}");
    assert_eq!(phone.client.clock_offset_seconds(), None, "no request went out");
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    let mut backend = Backend::start();
    let phone = Device::phone(&backend);
    backend.stop();
    let err = phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap_err();
    assert!(matches!(err, ClientError::Network { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn choosing_methods_twice_keeps_only_the_seed_that_counts() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    phone.client.create_login("ada@example.com", PASSWORD).await.unwrap();
    phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap();
    let app = || twostep_core::methods::MethodChoice::AuthenticatorApp;
    let sms = || {
        twostep_core::methods::MethodChoice::Sms(twostep_core::methods::PhoneChoice::mobile(twostep_e2e::SMS_NUMBER))
    };
    // Codes at one fixed instant tell the seeds apart without reading them.
    let code_at = |id: &str| phone.vault.lock().unwrap().code(id, 1_700_000_000).unwrap();
    let first = phone.client.enroll(app(), sms()).await.unwrap().authenticator_entry.unwrap();
    let first_code = code_at(&first.id);
    let second = phone.client.enroll(app(), sms()).await.unwrap().authenticator_entry.unwrap();
    assert_ne!(first_code, code_at(&second.id), "the server issued a new seed");

    let entries = phone.vault.lock().unwrap().list();
    assert_eq!(entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [second.id.as_str()]);
    phone.client.verify_method(Role::Primary, &phone.client.code(&second.id).unwrap()).await.unwrap();
    let status = phone.client.verify_method(Role::Backup, &backend.last_code("ada@example.com")).await.unwrap();
    assert!(status.enabled);
    assert!(!format!("{second:?}").contains("otpauth"), "the seed never leaves the vault");
}

#[tokio::test]
async fn changing_methods_needs_a_code_from_a_current_one() {
    use twostep_core::methods::{MethodChoice, PhoneChoice};
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let account = enroll(&backend, &phone, "ada@example.com").await;

    // The SMS backup proves access; the new pair is two phones.
    let sent = phone.client.send_method_code(Role::Backup).await.unwrap();
    assert_eq!(sent.method.kind, MethodKind::Sms);
    let proof = backend.last_code("ada@example.com");
    let new_sms = MethodChoice::Sms(PhoneChoice::mobile("+1 206 555 0199"));
    let new_voice = MethodChoice::Voice(PhoneChoice::landline("+44 20 7946 0958"));
    let change = phone.client.change_methods(Role::Backup, &proof, new_sms, new_voice).await.unwrap();
    assert!(change.authenticator_entry.is_none());
    assert_eq!(change.pending, [Role::Primary, Role::Backup]);

    let outbox = backend.server().outbox("ada@example.com");
    let code_to =
        |to: &str| outbox.iter().rev().find(|m| m.to == to).expect("a code to that number").code.expose().to_owned();
    phone.client.verify_method(Role::Primary, &code_to("+12065550199")).await.unwrap();
    let status = phone.client.verify_method(Role::Backup, &code_to("+442079460958")).await.unwrap();
    assert!(status.enabled);
    assert_eq!(phone.vault.lock().unwrap().list()[0].id, account.entry_id, "the old seed stays in the vault");
}
