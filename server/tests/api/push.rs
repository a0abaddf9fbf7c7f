//! Push approval: registered phones, signed challenges, number matching, and every way an
//! answer is refused.

use std::sync::atomic::{AtomicU64, Ordering};

use data_encoding::BASE64URL_NOPAD;
use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::signed::{SigningKey, verify as verify_signed};
use twostep_core::protocol::{Answer, Challenge, Decision, DeviceProof, ErrorCode, SignedEnvelope};

use crate::support::*;

pub struct Phone {
    pub key: SigningKey,
    pub device_id: String,
    pub server_key: String,
}

pub fn fresh_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("id-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub async fn register_phone(h: &Harness, session: &str) -> Phone {
    let key = SigningKey::generate();
    let req = RegisterDevice {
        public_key: key.public_key_b64(),
        platform: "android".into(),
        push_token: "fcm-token".into(),
        app_version: "3.2.0".into(),
    };
    let registered: DeviceRegistered = h.post("/v1/devices", &req, Some(session)).await.ok();
    assert_eq!(registered.server_public_key, h.server.server_public_key());
    Phone { key, device_id: registered.device_id, server_key: registered.server_public_key }
}

pub fn proof(phone: &Phone, now: u64) -> SignedEnvelope {
    phone.key.sign(&DeviceProof {
        v: 1,
        device_id: phone.device_id.clone(),
        nonce: fresh_id(),
        issued_at: now,
        expires_at: now + 60,
    })
}

pub async fn fetch_raw(h: &Harness, phone: &Phone, env: &SignedEnvelope) -> Response {
    h.post(&format!("/v1/devices/{}/challenges", phone.device_id), env, None).await
}

/// The phone's pending challenges, each checked against the pinned server key.
pub async fn fetch(h: &Harness, phone: &Phone) -> Vec<Challenge> {
    let pending: PendingChallenges = fetch_raw(h, phone, &proof(phone, h.now())).await.ok();
    pending
        .challenges
        .iter()
        .map(|env| verify_signed::<Challenge>(&phone.server_key, env).expect("signed by the server"))
        .collect()
}

pub fn answer_of(phone: &Phone, c: &Challenge, decision: Decision, number: Option<u32>, now: u64) -> Answer {
    Answer {
        v: 1,
        id: fresh_id(),
        challenge_id: c.id.clone(),
        device_id: phone.device_id.clone(),
        decision,
        number,
        nonce: c.nonce.clone(),
        issued_at: now,
        expires_at: now + 60,
    }
}

pub async fn send_answer(h: &Harness, challenge_id: &str, env: &SignedEnvelope) -> Response {
    h.post(&format!("/v1/challenges/{challenge_id}/answer"), env, None).await
}

struct Setup {
    h: Harness,
    account: Account,
    phone: Phone,
    attempt: CodeRequired,
}

/// An enrolled login with a registered phone, and a password sign-in waiting for its second step.
async fn setup() -> Setup {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let phone = register_phone(&h, &account.session).await;
    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    assert!(attempt.push_available);
    Setup { h, account, phone, attempt }
}

pub async fn start_push(h: &Harness, attempt: &str, remember_device: bool) -> Response {
    h.post(&format!("/v1/signin/{attempt}/push"), &StartPush { remember_device }, None).await
}

pub async fn status(h: &Harness, attempt: &str) -> AttemptStatus {
    h.get(&format!("/v1/signin/{attempt}"), None).await.ok()
}

#[tokio::test]
async fn approving_with_the_right_number_signs_in_and_can_trust_the_device() {
    let Setup { h, account, phone, attempt } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, true).await.ok();
    assert!((10..=99).contains(&push.number));
    assert_eq!(push.expires_at, h.now() + 120);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);

    let challenges = fetch(&h, &phone).await;
    assert_eq!(challenges.len(), 1);
    let c = &challenges[0];
    assert_eq!(c.id, push.challenge_id);
    assert_eq!((c.login.as_str(), c.device_id.as_str()), (account.login_id.as_str(), phone.device_id.as_str()));
    assert_eq!((c.issued_at, c.expires_at), (h.now(), h.now() + 120));
    assert_eq!(c.context.ip, "127.0.0.1");
    assert_eq!(c.context.location, "Loopback (local test network)");
    assert_eq!(c.context.browser, "Firefox 128 on Linux");
    assert_eq!(c.context.app, "Seller Central");
    assert_eq!(c.context.time, h.now());
    // The number is on the sign-in screen only, never in what the phone receives.
    let payload =
        String::from_utf8(BASE64URL_NOPAD.decode(fetch_raw_payload(&h, &phone).await.as_bytes()).unwrap()).unwrap();
    assert!(!payload.contains("number"), "{payload}");

    let env = phone.key.sign(&answer_of(&phone, c, Decision::Approve, Some(push.number), h.now()));
    let accepted: AnswerAccepted = send_answer(&h, &c.id, &env).await.ok();
    assert_eq!(accepted, AnswerAccepted { challenge_id: c.id.clone(), outcome: AnswerOutcome::Approved });
    assert!(fetch(&h, &phone).await.is_empty(), "nothing pending once answered");

    let AttemptStatus::SignedIn(signed) = status(&h, &attempt.attempt_id).await else { panic!("expected signed_in") };
    assert_eq!(signed.login_id, account.login_id);
    let token = signed.trust_token.expect("remember_device asked for a trust token").expose().to_owned();
    h.get("/v1/trust", Some(signed.session.expose())).await.ok::<TrustSummary>();
    // The tokens are handed out once.
    h.get(&format!("/v1/signin/{}", attempt.attempt_id), None).await.refused(ErrorCode::WrongState);
    // And the device is now trusted.
    match h.sign_in_as("ada@example.com", laptop(), Some(&token)).await.ok() {
        SignInResponse::SignedIn(_) => {}
        other => panic!("expected signed_in, got {other:?}"),
    }
}

async fn fetch_raw_payload(h: &Harness, phone: &Phone) -> String {
    let pending: PendingChallenges = fetch_raw(h, phone, &proof(phone, h.now())).await.ok();
    pending.challenges[0].payload.clone()
}

#[tokio::test]
async fn denying_fails_the_sign_in_and_this_wasnt_me_reports_it() {
    for (decision, outcome) in [(Decision::Deny, AnswerOutcome::Denied), (Decision::NotMe, AnswerOutcome::Reported)] {
        let Setup { h, account, phone, attempt } = setup().await;
        start_push(&h, &attempt.attempt_id, false).await.ok::<PushStarted>();
        let c = fetch(&h, &phone).await.remove(0);
        let env = phone.key.sign(&answer_of(&phone, &c, decision, None, h.now()));
        let accepted: AnswerAccepted = send_answer(&h, &c.id, &env).await.ok();
        assert_eq!(accepted.outcome, outcome);
        assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Denied);
        // A denied sign-in cannot be finished with a code either.
        let verify = VerifyCode { code: account.totp_at(h.now()).into(), remember_device: false };
        h.post(&format!("/v1/signin/{}/verify", attempt.attempt_id), &verify, None)
            .await
            .refused(ErrorCode::WrongState);
    }
}

#[tokio::test]
async fn attack_a_wrong_number_fails_the_sign_in() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    let wrong = if push.number == 99 { 10 } else { push.number + 1 };
    let env = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(wrong), h.now()));
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::WrongNumber);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Denied);
    // No second guess at the number.
    let env = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now()));
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::ChallengeAnswered);
    start_push(&h, &attempt.attempt_id, false).await.refused(ErrorCode::WrongState);
}

#[tokio::test]
async fn approving_needs_the_number() {
    let Setup { h, phone, attempt, .. } = setup().await;
    start_push(&h, &attempt.attempt_id, false).await.ok::<PushStarted>();
    let c = fetch(&h, &phone).await.remove(0);
    let env = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, None, h.now()));
    let e = send_answer(&h, &c.id, &env).await.refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("number"));
}

#[tokio::test]
async fn attack_an_expired_challenge_cannot_be_answered() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    h.advance(120);
    assert!(fetch(&h, &phone).await.is_empty(), "an expired challenge is no longer pending");
    let env = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now()));
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::ChallengeExpired);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
}

#[tokio::test]
async fn attack_an_answered_challenge_cannot_be_answered_again() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    let env = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now()));
    send_answer(&h, &c.id, &env).await.ok::<AnswerAccepted>();
    // The very same answer replayed, and a fresh answer to the same challenge.
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::ChallengeAnswered);
    let again = phone.key.sign(&answer_of(&phone, &c, Decision::Deny, None, h.now()));
    send_answer(&h, &c.id, &again).await.refused(ErrorCode::ChallengeAnswered);
    assert!(matches!(status(&h, &attempt.attempt_id).await, AttemptStatus::SignedIn(_)));
}

#[tokio::test]
async fn attack_an_answer_signed_by_another_key_is_refused() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    let attacker = SigningKey::generate();
    let forged = attacker.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now()));
    send_answer(&h, &c.id, &forged).await.refused(ErrorCode::BadSignature);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
}

#[tokio::test]
async fn attack_an_edited_answer_is_refused() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    // Signed as "deny", edited to "approve" with the signature kept.
    let mut env = phone.key.sign(&answer_of(&phone, &c, Decision::Deny, None, h.now()));
    let mut edited = answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now());
    edited.id = "edited".into();
    env.payload = BASE64URL_NOPAD.encode(&serde_json::to_vec(&edited).unwrap());
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::BadSignature);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
}

#[tokio::test]
async fn attack_an_unknown_device_is_refused() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    let stranger =
        Phone { key: SigningKey::generate(), device_id: "not-registered".into(), server_key: phone.server_key.clone() };
    fetch_raw(&h, &stranger, &proof(&stranger, h.now())).await.refused(ErrorCode::UnknownDevice);
    let env = stranger.key.sign(&answer_of(&stranger, &c, Decision::Approve, Some(push.number), h.now()));
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::UnknownDevice);
    // Another login's registered phone is known, but the challenge is not for it.
    let other = h.enrolled("bob@example.com").await;
    let bobs = register_phone(&h, &other.session).await;
    let env = bobs.key.sign(&answer_of(&bobs, &c, Decision::Approve, Some(push.number), h.now()));
    send_answer(&h, &c.id, &env).await.refused(ErrorCode::NotFound);
    assert!(fetch(&h, &bobs).await.is_empty());
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
}

#[tokio::test]
async fn a_stale_or_future_dated_answer_is_refused() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    let stale = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now() - 61));
    send_answer(&h, &c.id, &stale).await.refused(ErrorCode::AnswerExpired);
    let future = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now() + 61));
    send_answer(&h, &c.id, &future).await.refused(ErrorCode::AnswerExpired);
    let mut wrong_nonce = answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now());
    wrong_nonce.nonce = "another challenge's nonce".into();
    let e = send_answer(&h, &c.id, &phone.key.sign(&wrong_nonce)).await.refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("nonce"));
    // A phone clock 30 s fast is fine.
    let ahead = phone.key.sign(&answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now() + 30));
    send_answer(&h, &c.id, &ahead).await.ok::<AnswerAccepted>();
}

#[tokio::test]
async fn attack_a_fetch_proof_cannot_be_replayed_or_forged() {
    let Setup { h, phone, attempt, .. } = setup().await;
    start_push(&h, &attempt.attempt_id, false).await.ok::<PushStarted>();
    let env = proof(&phone, h.now());
    fetch_raw(&h, &phone, &env).await.ok::<PendingChallenges>();
    fetch_raw(&h, &phone, &env).await.refused(ErrorCode::BadSignature);
    let forged = SigningKey::generate().sign(&DeviceProof {
        v: 1,
        device_id: phone.device_id.clone(),
        nonce: fresh_id(),
        issued_at: h.now(),
        expires_at: h.now() + 60,
    });
    fetch_raw(&h, &phone, &forged).await.refused(ErrorCode::BadSignature);
    let old = proof(&phone, h.now());
    h.advance(60);
    fetch_raw(&h, &phone, &old).await.refused(ErrorCode::AnswerExpired);
}

#[tokio::test]
async fn push_requests_are_limited_per_attempt_and_per_login() {
    let Setup { h, phone, attempt, .. } = setup().await;
    let first: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let second: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    // The newer request replaces the older one: the phone sees one, the old one is void.
    let pending = fetch(&h, &phone).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, second.challenge_id);
    let old = Challenge { id: first.challenge_id.clone(), ..pending[0].clone() };
    let env = phone.key.sign(&answer_of(&phone, &old, Decision::Approve, Some(first.number), h.now()));
    let e = send_answer(&h, &first.challenge_id, &env).await.err();
    assert!(matches!(e.code, ErrorCode::ChallengeExpired | ErrorCode::InvalidRequest), "{e:?}");

    start_push(&h, &attempt.attempt_id, false).await.ok::<PushStarted>();
    let e = start_push(&h, &attempt.attempt_id, false).await.refused(ErrorCode::RateLimited);
    assert_eq!(e.retry_after, Some(600));

    // Three from this attempt and two from another make five in ten minutes.
    let other = h.code_required("ada@example.com", laptop(), None).await;
    start_push(&h, &other.attempt_id, false).await.ok::<PushStarted>();
    start_push(&h, &other.attempt_id, false).await.ok::<PushStarted>();
    let third = h.code_required("ada@example.com", laptop(), None).await;
    let e = start_push(&h, &third.attempt_id, false).await.refused(ErrorCode::RateLimited);
    assert_eq!(e.retry_after, Some(600));
    h.advance(601);
    let fourth = h.code_required("ada@example.com", laptop(), None).await;
    start_push(&h, &fourth.attempt_id, false).await.ok::<PushStarted>();
}

#[tokio::test]
async fn without_a_registered_phone_there_is_no_push() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    assert!(!attempt.push_available);
    start_push(&h, &attempt.attempt_id, false).await.refused(ErrorCode::WrongState);
}

#[tokio::test]
async fn every_registered_phone_gets_the_challenge() {
    let Setup { h, account, phone, .. } = setup().await;
    let second = register_phone(&h, &account.session).await;
    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let on_first = fetch(&h, &phone).await.remove(0);
    let on_second = fetch(&h, &second).await.remove(0);
    assert_eq!(on_first.id, push.challenge_id);
    assert_eq!(on_second.id, push.challenge_id);
    assert_eq!(on_second.device_id, second.device_id);
    let env = second.key.sign(&answer_of(&second, &on_second, Decision::Approve, Some(push.number), h.now()));
    send_answer(&h, &push.challenge_id, &env).await.ok::<AnswerAccepted>();
    let env = phone.key.sign(&answer_of(&phone, &on_first, Decision::Deny, None, h.now()));
    send_answer(&h, &push.challenge_id, &env).await.refused(ErrorCode::ChallengeAnswered);
}

#[tokio::test]
async fn a_bad_public_key_is_refused_at_registration() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let req = RegisterDevice {
        public_key: "AAAA".into(),
        platform: "ios".into(),
        push_token: "apns".into(),
        app_version: "1".into(),
    };
    let e = h.post("/v1/devices", &req, Some(&account.session)).await.refused(ErrorCode::InvalidRequest);
    assert_eq!(e.field.as_deref(), Some("public_key"));
}
