//! Attacks on sessions: a password-only session must not gain what the owner's enrollment earns.

use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::otp::uri;
use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::{ErrorCode, Role};

use crate::support::*;

async fn enrollment_session(h: &Harness, http: &reqwest::Client, device: &str) -> String {
    match h.sign_in_via(http, "ada@example.com", client_info(device, "128.0"), None).await {
        SignInResponse::EnrollmentRequired { session, .. } => session.expose().to_owned(),
        other => panic!("expected enrollment_required, got {other:?}"),
    }
}

#[tokio::test]
async fn attack_a_password_only_session_stays_password_only_when_the_owner_enables_2sv() {
    let h = Harness::start();
    h.create_login("ada@example.com").await;
    // Someone who has only the password signs in first, from elsewhere.
    let intruder = enrollment_session(&h, &h.other_network, "intruder").await;
    let owner = enrollment_session(&h, &h.http, "laptop-1").await;

    let started: EnrollmentStarted = h
        .post(
            "/v1/enrollment",
            &Enroll {
                primary: MethodChoice::AuthenticatorApp,
                backup: MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)),
            },
            Some(&owner),
        )
        .await
        .ok();
    let seed = uri::parse(started.authenticator_uri.as_ref().unwrap().expose()).unwrap().secret;
    let _: EnrollmentStatus = h
        .post(
            "/v1/enrollment/verify",
            &VerifyMethod { role: Role::Primary, code: totp(&seed, h.now()).into() },
            Some(&owner),
        )
        .await
        .ok();
    let status: EnrollmentStatus = h
        .post(
            "/v1/enrollment/verify",
            &VerifyMethod { role: Role::Backup, code: h.last_code("ada@example.com").into() },
            Some(&owner),
        )
        .await
        .ok();
    assert!(status.enabled);

    // The owner's session is full now; the intruder's is not, and is gone.
    h.get("/v1/trust", Some(&owner)).await.ok::<TrustSummary>();
    h.get("/v1/trust", Some(&intruder)).await.refused(ErrorCode::Unauthorized);
    h.get("/v1/devices", Some(&intruder)).await.refused(ErrorCode::Unauthorized);
    h.post("/v1/methods/send", &SendCode { to: Role::Backup }, Some(&intruder)).await.refused(ErrorCode::Unauthorized);
}
