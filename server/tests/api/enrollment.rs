//! Enabling two-step verification with a primary and a backup method by the seed's table,
//! and changing methods later.

use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::otp::uri;
use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::{ErrorCode, MethodKind, Role};

use crate::support::*;

async fn enrollment_session(h: &Harness, email: &str) -> String {
    h.create_login(email).await;
    match h.sign_in_as(email, laptop(), None).await.ok() {
        SignInResponse::EnrollmentRequired { session, .. } => session.expose().to_owned(),
        other => panic!("expected enrollment_required, got {other:?}"),
    }
}

async fn enroll(h: &Harness, session: &str, primary: MethodChoice, backup: MethodChoice) -> Response {
    h.post("/v1/enrollment", &Enroll { primary, backup }, Some(session)).await
}

async fn verify(h: &Harness, session: &str, role: Role, code: String) -> Response {
    h.post("/v1/enrollment/verify", &VerifyMethod { role, code: code.into() }, Some(session)).await
}

#[tokio::test]
async fn an_authenticator_app_gets_a_fresh_seed_in_an_otpauth_uri_for_twostep_seller() {
    let h = Harness::start();
    let session = enrollment_session(&h, "Ada@Example.com").await;
    let started: EnrollmentStarted =
        enroll(&h, &session, MethodChoice::AuthenticatorApp, MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)))
            .await
            .ok();
    assert_eq!(started.pending, vec![Role::Primary, Role::Backup]);
    let credential = uri::parse(started.authenticator_uri.as_ref().unwrap().expose()).unwrap();
    assert_eq!(credential.issuer, "Twostep Seller");
    assert_eq!(credential.account, "ada@example.com");
    assert_eq!(credential.secret.len(), 20, "160 bits");
    assert_eq!(credential.params, twostep_server::codes::totp_params());
    // The SMS backup got its code at once, to the number in E.164.
    let outbox = h.outbox("ada@example.com");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].to, SMS_E164);
    assert_eq!(outbox[0].channel, MethodKind::Sms);
    assert_eq!(outbox[0].code.expose().len(), 6);
}

#[tokio::test]
async fn two_step_is_enabled_only_when_both_methods_are_verified() {
    let h = Harness::start();
    let session = enrollment_session(&h, "ada@example.com").await;
    let started: EnrollmentStarted =
        enroll(&h, &session, MethodChoice::AuthenticatorApp, MethodChoice::Voice(PhoneChoice::landline(VOICE_NUMBER)))
            .await
            .ok();
    let seed = uri::parse(started.authenticator_uri.as_ref().unwrap().expose()).unwrap().secret;
    let voice = h.outbox("ada@example.com").pop().unwrap();
    assert_eq!(voice.channel, MethodKind::Voice);
    assert_eq!(voice.to, "+442079460958");

    let status: EnrollmentStatus = verify(&h, &session, Role::Primary, totp(&seed, h.now())).await.ok();
    assert_eq!(status, EnrollmentStatus { pending: vec![Role::Backup], enabled: false });
    // Still off: signing in asks to enroll.
    assert!(matches!(
        h.sign_in_as("ada@example.com", laptop(), None).await.ok(),
        SignInResponse::EnrollmentRequired { .. }
    ));

    let status: EnrollmentStatus = verify(&h, &session, Role::Backup, voice.code.expose().to_owned()).await.ok();
    assert_eq!(status, EnrollmentStatus { pending: vec![], enabled: true });
    let c = h.code_required("ada@example.com", laptop(), None).await;
    assert_eq!(c.primary.kind, MethodKind::AuthenticatorApp);
    assert_eq!(c.backup.kind, MethodKind::Voice);
    assert_eq!(c.backup.label, "•••• 0958");
    // The enrollment session became a full one.
    h.get("/v1/trust", Some(&session)).await.ok::<TrustSummary>();
}

#[tokio::test]
async fn a_wrong_enrollment_code_does_not_verify_the_method() {
    let h = Harness::start();
    let session = enrollment_session(&h, "ada@example.com").await;
    enroll(&h, &session, MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)), MethodChoice::AuthenticatorApp)
        .await
        .ok::<EnrollmentStarted>();
    let sent = h.last_code("ada@example.com");
    let wrong = if sent == "000000" { "111111" } else { "000000" };
    verify(&h, &session, Role::Primary, wrong.into()).await.refused(ErrorCode::WrongCode);
    let status: EnrollmentStatus = verify(&h, &session, Role::Primary, sent.clone()).await.ok();
    assert_eq!(status.pending, vec![Role::Backup]);
}

#[tokio::test]
async fn an_authenticator_app_cannot_be_both_primary_and_backup() {
    let h = Harness::start();
    let session = enrollment_session(&h, "ada@example.com").await;
    let e = enroll(&h, &session, MethodChoice::AuthenticatorApp, MethodChoice::AuthenticatorApp)
        .await
        .refused(ErrorCode::RuleViolation);
    assert_eq!(e.rule.as_deref(), Some("authenticator_app_as_both"));
    assert_eq!(e.message, "You cannot use an authenticator app as both your primary and backup method.");
    assert!(h.outbox("ada@example.com").is_empty(), "nothing was half-written");
}

#[tokio::test]
async fn the_same_number_cannot_be_primary_and_backup_however_it_is_written() {
    let h = Harness::start();
    let session = enrollment_session(&h, "ada@example.com").await;
    let e = enroll(
        &h,
        &session,
        MethodChoice::Sms(PhoneChoice::mobile("+1 (206) 555-0100")),
        MethodChoice::Voice(PhoneChoice::mobile("+12065550100")),
    )
    .await
    .refused(ErrorCode::RuleViolation);
    assert_eq!(e.rule.as_deref(), Some("same_number_as_both"));
    assert!(h.outbox("ada@example.com").is_empty());
}

#[tokio::test]
async fn a_number_that_is_not_a_number_is_a_rule_violation_naming_its_role() {
    let h = Harness::start();
    let session = enrollment_session(&h, "ada@example.com").await;
    let e =
        enroll(&h, &session, MethodChoice::AuthenticatorApp, MethodChoice::Sms(PhoneChoice::mobile("1-800-FLOWERS")))
            .await
            .refused(ErrorCode::RuleViolation);
    assert_eq!(e.rule.as_deref(), Some("invalid_phone_number"));
    assert_eq!(e.field.as_deref(), Some("backup"));
    assert!(!e.message.contains("FLOWERS"));
}

#[tokio::test]
async fn enrolling_again_once_two_step_is_on_is_refused() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    enroll(
        &h,
        &account.session,
        MethodChoice::AuthenticatorApp,
        MethodChoice::Sms(PhoneChoice::mobile("+12065550199")),
    )
    .await
    .refused(ErrorCode::WrongState);
}

#[tokio::test]
async fn changing_methods_needs_a_fresh_code_from_a_current_method() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let change = |proof_role, proof_code: String| ChangeMethods {
        proof_role,
        proof_code: proof_code.into(),
        primary: MethodChoice::Sms(PhoneChoice::mobile("+12065550111")),
        backup: MethodChoice::Voice(PhoneChoice::landline(VOICE_NUMBER)),
    };
    // Without a current method's code: refused, nothing changes.
    let wrong = if account.totp_at(h.now()) == "123456" { "654321" } else { "123456" };
    h.post("/v1/methods/change", &change(Role::Primary, wrong.into()), Some(&account.session))
        .await
        .refused(ErrorCode::WrongCode);

    let started: EnrollmentStarted = h
        .post("/v1/methods/change", &change(Role::Primary, account.totp_at(h.now())), Some(&account.session))
        .await
        .ok();
    assert_eq!(started.authenticator_uri, None);
    assert_eq!(started.pending, vec![Role::Primary, Role::Backup]);

    // Until the new pair is verified, the old one stays in force.
    h.advance(30);
    let c = h.code_required("ada@example.com", laptop(), None).await;
    assert_eq!(c.primary.kind, MethodKind::AuthenticatorApp);

    let messages = h.outbox("ada@example.com");
    let sms = messages.iter().rev().find(|m| m.to == "+12065550111").unwrap().code.expose().to_owned();
    let voice = messages.iter().rev().find(|m| m.to == "+442079460958").unwrap().code.expose().to_owned();
    verify(&h, &account.session, Role::Primary, sms).await.ok::<EnrollmentStatus>();
    let status: EnrollmentStatus = verify(&h, &account.session, Role::Backup, voice).await.ok();
    assert!(status.enabled);
    let c = h.code_required("ada@example.com", laptop(), None).await;
    assert_eq!((c.primary.kind, c.primary.label.as_str()), (MethodKind::Sms, "•••• 0111"));
    assert_eq!(c.backup.kind, MethodKind::Voice);
}

#[tokio::test]
async fn a_change_can_be_proved_with_an_sms_code_from_the_backup() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let sent: CodeSent = h.post("/v1/methods/send", &SendCode { to: Role::Backup }, Some(&account.session)).await.ok();
    assert_eq!(sent.method.label, "•••• 0100");
    let code = h.last_code("ada@example.com");
    let req = ChangeMethods {
        proof_role: Role::Backup,
        proof_code: code.clone().into(),
        primary: MethodChoice::AuthenticatorApp,
        backup: MethodChoice::Sms(PhoneChoice::mobile("+12065550111")),
    };
    let started: EnrollmentStarted = h.post("/v1/methods/change", &req, Some(&account.session)).await.ok();
    assert!(started.authenticator_uri.is_some(), "a new seed for the re-enrolled app");
    // The proof was used up.
    h.post("/v1/methods/change", &req, Some(&account.session)).await.refused(ErrorCode::CodeReused);
}

#[tokio::test]
async fn a_change_that_breaks_a_rule_is_refused_and_leaves_everything_as_it_was() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let code = account.totp_at(h.now());
    let bad = ChangeMethods {
        proof_role: Role::Primary,
        proof_code: code.clone().into(),
        primary: MethodChoice::Sms(PhoneChoice::mobile("+12065550111")),
        backup: MethodChoice::Sms(PhoneChoice::mobile("+1 206 555 0111")),
    };
    let e = h.post("/v1/methods/change", &bad, Some(&account.session)).await.refused(ErrorCode::RuleViolation);
    assert_eq!(e.rule.as_deref(), Some("same_number_as_both"));
    // The proof code was not used up by the refused change.
    let good = ChangeMethods { backup: MethodChoice::AuthenticatorApp, ..bad };
    h.post("/v1/methods/change", &good, Some(&account.session)).await.ok::<EnrollmentStarted>();
}
