//! Each way a trusted browser loses "Don't ask for codes on this device", one test each,
//! with the reason the page shows: cookies deleted, cookies blocked, another profile, an
//! anonymous window, a browser update, another network, "Require codes on all devices",
//! and expiry.

use twostep_core::flows::text::REQUIRE_CODES_DONE;
use twostep_core::protocol::TrustLoss;
use twostep_server::Lifetimes;
use twostep_web_tests::{Options, OtherNetwork, USER_AGENT_UPDATED};

use crate::support::start;

/// The server's words for a browser that presents no trust cookie.
const NO_TRUST_COOKIE: &str = "This browser holds no \"Don't ask for codes on this device\" choice";
const COOKIES_BLOCKED: &str = "This browser blocks cookies, so it cannot keep \"Don't ask for codes on this device\"";

#[tokio::test]
async fn deleting_cookies_loses_trust() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.trust_this_browser(&b, None).await;
    b.delete_cookies().await;
    assert!(b.cookie_names().await.is_empty());
    let why = run.asked_again_because(&b, None).await;
    assert!(why.starts_with(NO_TRUST_COOKIE), "{why}");
    b.screenshot("trust-lost-cookies-deleted").await;
}

#[tokio::test]
async fn blocking_cookies_loses_trust_and_says_why() {
    let Some(run) = start().await else { return };
    let profile = run.chromium.new_profile("main");
    let b = run.chromium.open(&profile, Options::default()).await;
    run.trust_this_browser(&b, None).await;
    run.chromium.close(b).await;

    // The same profile, now set to block every cookie.
    let blocked = Options { block_cookies: true, ..Options::default() };
    let b = run.chromium.open(&profile, blocked).await;
    let why = run.asked_again_because(&b, None).await;
    assert!(why.starts_with(COOKIES_BLOCKED), "{why}");
    b.screenshot("trust-lost-cookies-blocked").await;
    // The code still signs in, and the page says the session cannot be kept.
    b.type_into("#code", &run.site.fresh_code()).await;
    b.click("#verify").await;
    b.wait_for_text("#why-asked", "blocks cookies, so it cannot stay signed in").await;
}

#[tokio::test]
async fn another_browser_profile_is_asked_for_a_code() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.trust_this_browser(&b, None).await;
    let other = run.browser("other").await;
    let why = run.asked_again_because(&other, None).await;
    assert!(why.starts_with(NO_TRUST_COOKIE), "{why}");
    other.screenshot("trust-lost-other-profile").await;
    // The first profile is still trusted.
    run.password_step(&b, None).await;
    b.wait_for_path("/settings").await;
}

#[tokio::test]
async fn an_anonymous_window_is_asked_for_a_code() {
    let Some(run) = start().await else { return };
    let profile = run.chromium.new_profile("main");
    let b = run.chromium.open(&profile, Options::default()).await;
    run.trust_this_browser(&b, None).await;
    run.chromium.close(b).await;

    let incognito = Options { incognito: true, ..Options::default() };
    let b = run.chromium.open(&profile, incognito).await;
    let why = run.asked_again_because(&b, None).await;
    assert!(why.starts_with(NO_TRUST_COOKIE), "{why}");
    b.screenshot("trust-lost-anonymous-window").await;
}

#[tokio::test]
async fn a_browser_update_loses_trust() {
    let Some(run) = start().await else { return };
    let profile = run.chromium.new_profile("main");
    let b = run.chromium.open(&profile, Options::default()).await;
    run.trust_this_browser(&b, None).await;
    run.chromium.close(b).await;

    let updated = Options { user_agent: USER_AGENT_UPDATED, ..Options::default() };
    let b = run.chromium.open(&profile, updated).await;
    let why = run.asked_again_because(&b, None).await;
    assert_eq!(why, TrustLoss::AppUpdated.message());
    b.screenshot("trust-lost-browser-updated").await;
}

#[tokio::test]
async fn another_network_loses_trust() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.trust_this_browser(&b, None).await;

    // Same browser, same host (so the same cookies), but the server now sees 127.0.0.2.
    let network = OtherNetwork::start(run.site.backend.server().addr());
    let base = format!("http://{}", network.addr);
    let why = run.asked_again_because(&b, Some(&base)).await;
    assert_eq!(why, TrustLoss::NetworkChanged.message());
    b.screenshot("trust-lost-network-changed").await;
}

#[tokio::test]
async fn require_codes_on_all_devices_loses_trust() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.trust_this_browser(&b, None).await;
    run.password_step(&b, None).await;
    b.wait_for_path("/settings").await;
    assert_eq!(b.text("#trusted-count").await, "1 device doesn't ask for codes.");
    assert_eq!(b.text("#require-codes").await, "Require codes on all devices");
    b.click("#require-codes").await;
    assert_eq!(b.wait_for_text("#notice", "Codes are now required").await, REQUIRE_CODES_DONE);
    assert_eq!(b.text("#trusted-count").await, "No device skips codes: every sign-in asks for one.");
    b.screenshot("settings-require-codes").await;
    run.sign_out(&b).await;

    let why = run.asked_again_because(&b, None).await;
    assert_eq!(why, TrustLoss::RequireCodesOnAllDevices.message());
}

#[tokio::test]
async fn trust_expires() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.trust_this_browser(&b, None).await;
    run.site.backend.advance(Lifetimes::default().trust);
    let why = run.asked_again_because(&b, None).await;
    assert_eq!(why, TrustLoss::Expired.message());
    b.screenshot("trust-lost-expired").await;
}
