//! Attacks with codes: flooding a phone with SMS, and piling up valid codes to guess any one.

use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::{ErrorCode, Role};

use crate::support::*;

fn change_with(code: String) -> ChangeMethods {
    use twostep_core::methods::{MethodChoice, PhoneChoice};
    ChangeMethods {
        proof_role: Role::Backup,
        proof_code: code.into(),
        primary: MethodChoice::AuthenticatorApp,
        backup: MethodChoice::Voice(PhoneChoice::landline(VOICE_NUMBER)),
    }
}

#[tokio::test]
async fn attack_proof_codes_cannot_be_flooded_then_guessed() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let send = || h.post("/v1/methods/send", &SendCode { to: Role::Backup }, Some(&account.session));
    // A handful of sends, then `rate_limited` with the wait.
    for _ in 0..5 {
        send().await.ok::<CodeSent>();
    }
    let e = send().await.refused(ErrorCode::RateLimited);
    assert!(e.retry_after.is_some_and(|s| s > 0 && s <= 600), "{e:?}");
    // Only the newest code is valid: the pile of older ones cannot be guessed at.
    let codes: Vec<String> =
        h.outbox("ada@example.com").iter().rev().take(2).map(|m| m.code.expose().to_owned()).collect();
    let (newest, older) = (codes[0].clone(), codes[1].clone());
    if older != newest {
        h.post("/v1/methods/change", &change_with(older), Some(&account.session)).await.refused(ErrorCode::WrongCode);
    }
    h.post("/v1/methods/change", &change_with(newest), Some(&account.session)).await.ok::<EnrollmentStarted>();
}

#[tokio::test]
async fn attack_wrong_proof_codes_are_throttled_like_any_code() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    h.post("/v1/methods/send", &SendCode { to: Role::Backup }, Some(&account.session)).await.ok::<CodeSent>();
    let right = h.last_code("ada@example.com");
    let wrong = if right == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        h.post("/v1/methods/change", &change_with(wrong.into()), Some(&account.session))
            .await
            .refused(ErrorCode::WrongCode);
    }
    // Throttled now, even with the right code.
    let e =
        h.post("/v1/methods/change", &change_with(right), Some(&account.session)).await.refused(ErrorCode::Throttled);
    assert_eq!(e.retry_after, Some(30));
}

#[tokio::test]
async fn attack_starting_new_sign_ins_does_not_buy_more_sms() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    // Each attempt may send five codes; new attempts do not reset the login's hourly limit.
    let mut sent = h.outbox("ada@example.com").len();
    let mut refused = None;
    'attempts: for _ in 0..10 {
        let c = h.code_required("ada@example.com", laptop(), None).await;
        for _ in 0..5 {
            let res = h.post(&format!("/v1/signin/{}/send", c.attempt_id), &SendCode { to: Role::Backup }, None).await;
            if res.status == 429 {
                refused = Some(res.refused(ErrorCode::RateLimited));
                break 'attempts;
            }
            res.ok::<CodeSent>();
            sent += 1;
        }
    }
    let e = refused.expect("the login's hourly limit refuses more codes");
    assert_eq!(sent, 20, "twenty codes an hour per login, enrollment's included");
    assert!(e.retry_after.is_some_and(|s| s > 0 && s <= 3600), "{e:?}");
}

/// Chooses methods again and again with the victim's number as the SMS backup; returns how
/// many codes went out before `rate_limited`, and the refusal.
async fn re_enroll_until_refused(
    h: &Harness,
    session: &str,
    number: &str,
) -> (usize, twostep_core::protocol::ApiError) {
    use twostep_core::methods::{MethodChoice, PhoneChoice};
    let choice =
        Enroll { primary: MethodChoice::AuthenticatorApp, backup: MethodChoice::Sms(PhoneChoice::mobile(number)) };
    for sent in 0..100 {
        let res = h.post("/v1/enrollment", &choice, Some(session)).await;
        if res.status == 429 {
            return (sent, res.refused(ErrorCode::RateLimited));
        }
        res.ok::<EnrollmentStarted>();
    }
    panic!("a hundred codes went out to one number");
}

async fn enrollment_session(h: &Harness, email: &str) -> String {
    h.create_login(email).await;
    match h.sign_in_as(email, laptop(), None).await.ok() {
        SignInResponse::EnrollmentRequired { session, .. } => session.expose().to_owned(),
        other => panic!("expected enrollment_required, got {other:?}"),
    }
}

#[tokio::test]
async fn attack_choosing_new_methods_again_and_again_does_not_buy_more_sms() {
    let h = Harness::start();
    let session = enrollment_session(&h, "mallory@example.com").await;
    // Each choice is a new pending method; the login's hourly limit still holds.
    let (sent, e) = re_enroll_until_refused(&h, &session, "+1 206 555 0142").await;
    assert_eq!(sent, 20);
    assert!(e.retry_after.is_some_and(|s| s > 0 && s <= 3600), "{e:?}");
}
