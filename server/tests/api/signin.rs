//! The second step of sign-in: codes from the authenticator app, SMS to the primary or the
//! backup ("Didn't receive the code?"), replays, the ±1 step window, throttling, expiry.

use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::{ErrorCode, MethodKind, MethodSummary, Role};

use crate::support::*;

async fn verify(h: &Harness, attempt: &str, code: String) -> Response {
    h.post(&format!("/v1/signin/{attempt}/verify"), &VerifyCode { code: code.into(), remember_device: false }, None)
        .await
}

fn other_than(code: &str) -> String {
    // A code that is certainly wrong: the right one with its first digit changed.
    let first = (code.as_bytes()[0] - b'0' + 1) % 10;
    format!("{first}{}", &code[1..])
}

#[tokio::test]
async fn a_sign_in_asks_for_a_code_showing_masked_methods_for_ten_minutes() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    assert_eq!(c.primary, MethodSummary { kind: MethodKind::AuthenticatorApp, label: "Authenticator app".into() });
    assert_eq!(c.backup, MethodSummary { kind: MethodKind::Sms, label: "•••• 0100".into() });
    assert!(!c.push_available);
    assert_eq!(c.trust_lost, None);
    assert_eq!(c.expires_at, h.now() + 600);
    assert!(c.attempt_id.len() >= 43, "an attempt id is a 256-bit secret");
}

#[tokio::test]
async fn the_authenticator_code_signs_in_with_a_working_session() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let signed: SignedIn = verify(&h, &c.attempt_id, account.totp_at(h.now())).await.ok();
    assert_eq!(signed.login_id, account.login_id);
    assert_eq!(signed.trust_token, None);
    let summary: TrustSummary = h.get("/v1/trust", Some(signed.session.expose())).await.ok();
    assert_eq!(summary.trusted_devices, 0);
    // An attempt ends once.
    h.advance(30);
    verify(&h, &c.attempt_id, account.totp_at(h.now())).await.refused(ErrorCode::WrongState);
}

#[tokio::test]
async fn the_sms_primary_gets_its_code_when_asked() {
    let h = Harness::start();
    let session = {
        h.create_login("ada@example.com").await;
        match h.sign_in_as("ada@example.com", laptop(), None).await.ok() {
            SignInResponse::EnrollmentRequired { session, .. } => session.expose().to_owned(),
            other => panic!("{other:?}"),
        }
    };
    let started: EnrollmentStarted = h
        .post(
            "/v1/enrollment",
            &Enroll {
                primary: MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)),
                backup: MethodChoice::Voice(PhoneChoice::landline(VOICE_NUMBER)),
            },
            Some(&session),
        )
        .await
        .ok();
    assert_eq!(started.authenticator_uri, None);
    for m in h.outbox("ada@example.com") {
        let role = if m.channel == MethodKind::Sms { Role::Primary } else { Role::Backup };
        h.post("/v1/enrollment/verify", &VerifyMethod { role, code: m.code }, Some(&session))
            .await
            .ok::<EnrollmentStatus>();
    }
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let before = h.outbox("ada@example.com").len();
    let sent: CodeSent =
        h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Primary }, None).await.ok();
    assert_eq!(sent.method.kind, MethodKind::Sms);
    let messages = h.outbox("ada@example.com");
    assert_eq!(messages.len(), before + 1);
    assert_eq!(messages.last().unwrap().to, SMS_E164);
    verify(&h, &c.attempt_id, messages.last().unwrap().code.expose().to_owned()).await.ok::<SignedIn>();
}

#[tokio::test]
async fn didnt_receive_the_code_sends_it_to_the_backup() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let before = h.outbox("ada@example.com").len();
    // The primary is the authenticator app: nothing to send, but the answer says so.
    let sent: CodeSent =
        h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Primary }, None).await.ok();
    assert_eq!(sent.method.kind, MethodKind::AuthenticatorApp);
    assert_eq!(h.outbox("ada@example.com").len(), before);

    let sent: CodeSent =
        h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Backup }, None).await.ok();
    assert_eq!(sent, CodeSent { to: Role::Backup, method: c.backup.clone() });
    let message = h.outbox("ada@example.com").pop().unwrap();
    assert_eq!(message.to, SMS_E164);
    assert_eq!(message.sent_at, h.now());
    verify(&h, &c.attempt_id, message.code.expose().to_owned()).await.ok::<SignedIn>();
}

#[tokio::test]
async fn an_sms_code_is_single_use_and_lasts_ten_minutes() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Backup }, None).await.ok::<CodeSent>();
    let code = h.last_code("ada@example.com");
    // Codes of another attempt do not count here, and a code ages out.
    let late = h.code_required("ada@example.com", laptop(), None).await;
    verify(&h, &late.attempt_id, code.clone()).await.refused(ErrorCode::WrongCode);
    h.advance(599);
    verify(&h, &c.attempt_id, code.clone()).await.ok::<SignedIn>();

    let next = h.code_required("ada@example.com", laptop(), None).await;
    h.post(&format!("/v1/signin/{}/send", next.attempt_id), &SendCode { to: Role::Backup }, None)
        .await
        .ok::<CodeSent>();
    let code = h.last_code("ada@example.com");
    h.advance(600);
    let e = verify(&h, &next.attempt_id, code).await.err();
    assert!(matches!(e.code, ErrorCode::WrongCode | ErrorCode::ChallengeExpired), "{e:?}");
}

#[tokio::test]
async fn attack_a_replayed_authenticator_code_is_refused() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let code = account.totp_at(h.now());
    let first = h.code_required("ada@example.com", laptop(), None).await;
    verify(&h, &first.attempt_id, code.clone()).await.ok::<SignedIn>();
    // The same code, seconds later, from a second sign-in (someone looking over a shoulder).
    h.advance(5);
    let second = h.code_required("ada@example.com", laptop(), None).await;
    let e = verify(&h, &second.attempt_id, code).await.refused(ErrorCode::CodeReused);
    assert!(!e.message.is_empty());
    // An older step inside the window is a replay too; the next step is fine.
    let previous = account.totp_at(h.now() - 30);
    verify(&h, &second.attempt_id, previous).await.refused(ErrorCode::CodeReused);
    h.advance(30);
    verify(&h, &second.attempt_id, account.totp_at(h.now())).await.ok::<SignedIn>();
}

#[tokio::test]
async fn attack_a_code_outside_one_step_either_side_is_refused() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let now = h.now();
    let c = h.code_required("ada@example.com", laptop(), None).await;
    verify(&h, &c.attempt_id, account.totp_at(now - 60)).await.refused(ErrorCode::WrongCode);
    verify(&h, &c.attempt_id, account.totp_at(now + 60)).await.refused(ErrorCode::WrongCode);
    // One step ahead (a phone clock a little fast) is accepted.
    verify(&h, &c.attempt_id, account.totp_at(now + 30)).await.ok::<SignedIn>();
    // One step behind (typed slowly) is accepted too, once that step is newer than any used.
    h.advance(90);
    let c = h.code_required("ada@example.com", laptop(), None).await;
    verify(&h, &c.attempt_id, account.totp_at(h.now() - 30)).await.ok::<SignedIn>();
}

#[tokio::test]
async fn attack_brute_force_is_throttled_with_a_growing_wait_even_for_the_right_code() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let right = account.totp_at(h.now());
    for _ in 0..5 {
        verify(&h, &c.attempt_id, other_than(&right)).await.refused(ErrorCode::WrongCode);
    }
    let e = verify(&h, &c.attempt_id, right.clone()).await.refused(ErrorCode::Throttled);
    assert_eq!(e.retry_after, Some(30));
    h.advance(29);
    verify(&h, &c.attempt_id, right.clone()).await.refused(ErrorCode::Throttled);
    h.advance(1);
    let right = account.totp_at(h.now());
    verify(&h, &c.attempt_id, other_than(&right)).await.refused(ErrorCode::WrongCode);
    let e = verify(&h, &c.attempt_id, right.clone()).await.refused(ErrorCode::Throttled);
    assert_eq!(e.retry_after, Some(60), "the wait doubles");
    h.advance(60);
    verify(&h, &c.attempt_id, account.totp_at(h.now())).await.ok::<SignedIn>();
}

#[tokio::test]
async fn attack_new_attempts_do_not_buy_more_than_100_guesses_an_hour() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    for _ in 0..20 {
        let c = h.code_required("ada@example.com", laptop(), None).await;
        for _ in 0..5 {
            verify(&h, &c.attempt_id, other_than(&account.totp_at(h.now()))).await.refused(ErrorCode::WrongCode);
        }
    }
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let e = verify(&h, &c.attempt_id, account.totp_at(h.now())).await.refused(ErrorCode::Throttled);
    assert_eq!(e.retry_after, Some(3600));
    h.advance(3600);
    let c = h.code_required("ada@example.com", laptop(), None).await;
    verify(&h, &c.attempt_id, account.totp_at(h.now())).await.ok::<SignedIn>();
}

#[tokio::test]
async fn an_attempt_expires_after_ten_minutes() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    h.advance(600);
    verify(&h, &c.attempt_id, account.totp_at(h.now())).await.refused(ErrorCode::ChallengeExpired);
    h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Backup }, None)
        .await
        .refused(ErrorCode::ChallengeExpired);
    let status: AttemptStatus = h.get(&format!("/v1/signin/{}", c.attempt_id), None).await.ok();
    assert_eq!(status, AttemptStatus::Expired);
    verify(&h, "no-such-attempt", account.totp_at(h.now())).await.refused(ErrorCode::NotFound);
}

#[tokio::test]
async fn an_attempt_sends_at_most_five_codes() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    for _ in 0..5 {
        h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Backup }, None)
            .await
            .ok::<CodeSent>();
    }
    let e = h
        .post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Backup }, None)
        .await
        .refused(ErrorCode::RateLimited);
    assert_eq!(e.retry_after, Some(600));
}

#[tokio::test]
async fn a_code_may_be_typed_in_groups() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let code = account.totp_at(h.now());
    let grouped = format!("{} {}", &code[..3], &code[3..]);
    verify(&h, &c.attempt_id, grouped).await.ok::<SignedIn>();
    let c = h.code_required("ada@example.com", laptop(), None).await;
    let e = verify(&h, &c.attempt_id, "12345x".into()).await.refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("code"));
}
