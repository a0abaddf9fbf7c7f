//! Expiry tested from outside: `POST /v1/dev/clock` moves the server's clock forward over
//! HTTP, as a test suite does against `twostep serve --dev`. Every time here is the server's
//! (`GET /v1/time`), never the test's own clock.

use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::signed::verify as verify_signed;
use twostep_core::protocol::{Challenge, Decision, ErrorCode, TrustLoss};

use crate::push::*;
use crate::support::*;

/// Moves the server's clock to `at`.
async fn until(h: &Harness, at: u64) {
    let now = h.server_now().await;
    assert_eq!(h.dev_advance(at - now).await, at);
}

#[tokio::test]
async fn the_dev_clock_is_refused_outside_dev_mode() {
    let h = Harness::start_with(|c| c.dev_clock = false);
    let before = h.server_now().await;
    let e = h.post("/v1/dev/clock", &AdvanceClock { advance_seconds: 3600 }, None).await.refused(ErrorCode::NotFound);
    assert_eq!(e.message, "No such endpoint.");
    assert_eq!(h.server_now().await, before, "the clock did not move");
}

#[tokio::test]
async fn the_dev_clock_moves_every_answer_and_the_date_header() {
    let h = Harness::start();
    let before = h.server_now().await;
    assert_eq!(h.dev_advance(86_400).await, before + 86_400);
    let res = h.get("/v1/time", None).await;
    let date = httpdate::parse_http_date(res.headers["date"].to_str().unwrap()).unwrap();
    assert_eq!(date.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(), before + 86_400);
    let e = h
        .post("/v1/dev/clock", &serde_json::json!({"advance_seconds": -5}), None)
        .await
        .refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("advance_seconds"));
}

#[tokio::test]
async fn over_http_a_push_challenge_expires_after_two_minutes() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let phone = register_phone(&h, &account.session).await;
    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    assert_eq!(push.expires_at, h.server_now().await + 120);
    until(&h, push.expires_at - 1).await;
    let pending: PendingChallenges = fetch_raw(&h, &phone, &proof(&phone, push.expires_at - 1)).await.ok();
    assert_eq!(pending.challenges.len(), 1, "still pending a second before");
    let c: Challenge = verify_signed(&phone.server_key, &pending.challenges[0]).unwrap();

    until(&h, push.expires_at).await;
    let pending: PendingChallenges = fetch_raw(&h, &phone, &proof(&phone, push.expires_at)).await.ok();
    assert!(pending.challenges.is_empty(), "expired at two minutes");
    let env = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), push.expires_at));
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::ChallengeExpired);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
}

#[tokio::test]
async fn over_http_trust_expires_after_thirty_days() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let signed = h.sign_in_with_code(&account, laptop(), true).await;
    let (token, expires_at) = (signed.trust_token.unwrap(), signed.trust_expires_at.unwrap());
    assert_eq!(expires_at, h.server_now().await - 30 + 30 * 86_400);
    until(&h, expires_at - 1).await;
    match h.sign_in_as("ada@example.com", laptop(), Some(token.expose())).await.ok() {
        SignInResponse::SignedIn(_) => {}
        other => panic!("still trusted a second before, got {other:?}"),
    }
    until(&h, expires_at).await;
    let c = h.code_required("ada@example.com", laptop(), Some(token.expose())).await;
    assert_eq!(c.trust_lost, Some(TrustLoss::Expired));
}

#[tokio::test]
async fn over_http_a_session_expires_after_twelve_hours() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let started = h.server_now().await;
    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    let signed: SignedIn = h
        .post(
            &format!("/v1/signin/{}/verify", attempt.attempt_id),
            &VerifyCode { code: account.totp_at(h.now()).into(), remember_device: false },
            None,
        )
        .await
        .ok();
    until(&h, started + 12 * 3600 - 1).await;
    h.get("/v1/trust", Some(signed.session.expose())).await.ok::<TrustSummary>();
    until(&h, started + 12 * 3600).await;
    h.get("/v1/trust", Some(signed.session.expose())).await.refused(ErrorCode::Unauthorized);
}

#[tokio::test]
async fn over_http_a_sign_in_attempt_expires_after_ten_minutes() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    until(&h, attempt.expires_at - 1).await;
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
    until(&h, attempt.expires_at).await;
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Expired);
}
