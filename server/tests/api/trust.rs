//! "Don't ask for codes on this device" and every way it is lost, each with its reason.

use serde_json::json;
use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::{ErrorCode, TrustLoss};

use crate::support::*;

async fn trusted(h: &Harness, account: &Account) -> String {
    let signed = h.sign_in_with_code(account, laptop(), true).await;
    assert_eq!(signed.trust_expires_at, Some(h.now() - 30 + 30 * 24 * 3600));
    signed.trust_token.expect("a trust token when asked").expose().to_owned()
}

async fn expect_signed_in(
    h: &Harness,
    email: &str,
    client: twostep_core::protocol::ClientInfo,
    token: &str,
) -> SignedIn {
    match h.sign_in_as(email, client, Some(token)).await.ok() {
        SignInResponse::SignedIn(s) => s,
        other => panic!("expected signed_in, got {other:?}"),
    }
}

async fn expect_lost(
    h: &Harness,
    email: &str,
    client: twostep_core::protocol::ClientInfo,
    token: &str,
    reason: TrustLoss,
) {
    let c = h.code_required(email, client, Some(token)).await;
    assert_eq!(c.trust_lost, Some(reason));
}

#[tokio::test]
async fn a_trusted_device_signs_in_without_a_code() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    let signed = expect_signed_in(&h, "ada@example.com", laptop(), &token).await;
    assert_eq!(signed.login_id, account.login_id);
    assert_eq!(signed.trust_token, None, "the device keeps the token it has");
    h.get("/v1/trust", Some(signed.session.expose())).await.ok::<TrustSummary>();
    // The password is still needed.
    let req = SignIn {
        email: "ada@example.com".into(),
        password: "wrong password".into(),
        client: laptop(),
        trust_token: Some(token.into()),
    };
    h.post("/v1/signin", &req, None).await.refused(ErrorCode::WrongPassword);
}

#[tokio::test]
async fn the_number_of_trusted_devices_is_visible() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let summary: TrustSummary = h.get("/v1/trust", Some(&account.session)).await.ok();
    assert_eq!(summary.trusted_devices, 0);
    trusted(&h, &account).await;
    h.sign_in_with_code(&account, client_info("phone-1", "3.2.0"), true).await;
    // Trusting the same device twice is still one device.
    h.sign_in_with_code(&account, laptop(), true).await;
    let summary: TrustSummary = h.get("/v1/trust", Some(&account.session)).await.ok();
    assert_eq!(summary.trusted_devices, 2);
}

#[tokio::test]
async fn require_codes_on_all_devices_clears_every_device_at_once() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let laptop_token = trusted(&h, &account).await;
    let phone = client_info("phone-1", "3.2.0");
    let phone_token = h.sign_in_with_code(&account, phone.clone(), true).await.trust_token.unwrap().expose().to_owned();
    let summary: TrustSummary = h.post("/v1/trust/require-codes", &json!({}), Some(&account.session)).await.ok();
    assert_eq!(summary.trusted_devices, 0);
    expect_lost(&h, "ada@example.com", laptop(), &laptop_token, TrustLoss::RequireCodesOnAllDevices).await;
    expect_lost(&h, "ada@example.com", phone, &phone_token, TrustLoss::RequireCodesOnAllDevices).await;
    // Afterwards a device can be trusted again.
    let again = trusted(&h, &account).await;
    expect_signed_in(&h, "ada@example.com", laptop(), &again).await;
}

#[tokio::test]
async fn logout_resets_trust_on_this_device() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    let session = expect_signed_in(&h, "ada@example.com", laptop(), &token).await.session.expose().to_owned();
    let out: LoggedOut =
        h.post("/v1/logout", &Logout { trust_token: Some(token.clone().into()) }, Some(&session)).await.ok();
    assert!(out.trust_revoked);
    h.get("/v1/trust", Some(&session)).await.refused(ErrorCode::Unauthorized);
    expect_lost(&h, "ada@example.com", laptop(), &token, TrustLoss::LoggedOut).await;
    // Logout wins over any later reason.
    h.post("/v1/trust/require-codes", &json!({}), Some(&account.session)).await.ok::<TrustSummary>();
    expect_lost(&h, "ada@example.com", client_info("laptop-1", "129.0"), &token, TrustLoss::LoggedOut).await;
}

#[tokio::test]
async fn logout_without_a_token_ends_only_the_session() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    let session = expect_signed_in(&h, "ada@example.com", laptop(), &token).await.session.expose().to_owned();
    let raw = h.http.post(format!("{}/v1/logout", h.server.url())).bearer_auth(&session).send().await.unwrap();
    assert_eq!(raw.status(), 200, "an empty body is an empty logout");
    let out: LoggedOut = raw.json().await.unwrap();
    assert!(!out.trust_revoked);
    expect_signed_in(&h, "ada@example.com", laptop(), &token).await;
}

#[tokio::test]
async fn attack_a_tampered_trust_token_is_invalid() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    let mut tampered = token.clone().into_bytes();
    tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    expect_lost(&h, "ada@example.com", laptop(), &tampered, TrustLoss::InvalidToken).await;
    expect_lost(&h, "ada@example.com", laptop(), "not-a-token", TrustLoss::InvalidToken).await;
    // The real token was not harmed by the forgery.
    expect_signed_in(&h, "ada@example.com", laptop(), &token).await;
    // Another login's token is unknown to this one.
    let other = h.enrolled("bob@example.com").await;
    let bob_token = trusted(&h, &other).await;
    expect_lost(&h, "ada@example.com", laptop(), &bob_token, TrustLoss::InvalidToken).await;
}

#[tokio::test]
async fn attack_a_trust_token_from_another_network_asks_for_a_code() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    let req = SignIn {
        email: "ada@example.com".into(),
        password: PASSWORD.into(),
        client: laptop(),
        trust_token: Some(token.clone().into()),
    };
    let res = h
        .send_via(
            &h.other_network,
            reqwest::Method::POST,
            "/v1/signin",
            Some(serde_json::to_value(&req).unwrap()),
            None,
        )
        .await;
    match res.ok::<SignInResponse>() {
        SignInResponse::CodeRequired(c) => assert_eq!(c.trust_lost, Some(TrustLoss::NetworkChanged)),
        other => panic!("expected code_required, got {other:?}"),
    }
    // Lost trust stays lost, even back on the first network.
    expect_lost(&h, "ada@example.com", laptop(), &token, TrustLoss::NetworkChanged).await;
}

#[tokio::test]
async fn a_device_trusted_on_another_network_is_trusted_there_only() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = h
        .sign_in_with_code_via(&h.other_network, &account, laptop(), true)
        .await
        .trust_token
        .unwrap()
        .expose()
        .to_owned();
    match h.sign_in_via(&h.other_network, "ada@example.com", laptop(), Some(&token)).await {
        SignInResponse::SignedIn(_) => {}
        other => panic!("expected signed_in from 127.0.0.2, got {other:?}"),
    }
    expect_lost(&h, "ada@example.com", laptop(), &token, TrustLoss::NetworkChanged).await;
}

#[tokio::test]
async fn attack_a_trust_token_from_another_app_version_asks_for_a_code() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    expect_lost(&h, "ada@example.com", client_info("laptop-1", "129.0"), &token, TrustLoss::AppUpdated).await;
}

#[tokio::test]
async fn a_trust_token_in_another_browser_asks_for_a_code() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    expect_lost(&h, "ada@example.com", client_info("laptop-2", "128.0"), &token, TrustLoss::OtherBrowser).await;
}

#[tokio::test]
async fn trust_expires_after_thirty_days() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = trusted(&h, &account).await;
    h.advance(30 * 24 * 3600 - 31);
    expect_signed_in(&h, "ada@example.com", laptop(), &token).await;
    h.advance(1);
    expect_lost(&h, "ada@example.com", laptop(), &token, TrustLoss::Expired).await;
    let summary: TrustSummary =
        h.get("/v1/trust", Some(h.sign_in_with_code(&account, laptop(), false).await.session.expose())).await.ok();
    assert_eq!(summary.trusted_devices, 0);
}

#[tokio::test]
async fn the_trust_lifetime_is_configurable() {
    let h = Harness::start_with(|c| c.lifetimes.trust = 3600);
    let account = h.enrolled("ada@example.com").await;
    let signed = h.sign_in_with_code(&account, laptop(), true).await;
    assert_eq!(signed.trust_expires_at, Some(h.now() - 30 + 3600));
}
