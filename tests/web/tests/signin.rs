//! Signing in from the browser: a code from the authenticator app, "Didn't receive the
//! code?" to the backup, a push approved on the phone with the number the page shows, and
//! "Don't ask for codes on this device".

use twostep_core::client::ClientError;
use twostep_core::flows::text::PUSH_NOT_APPROVED;
use twostep_core::protocol::{Decision, MATCH_NUMBER_MAX, MATCH_NUMBER_MIN};
use twostep_web_tests::EMAIL;

use crate::support::start;

#[tokio::test]
async fn signs_in_with_a_code_from_the_authenticator_app() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    b.goto(&run.site.signin_url()).await;
    assert_eq!(b.text("h1").await, "Sign in");
    b.screenshot("signin").await;

    run.password_step(&b, None).await;
    assert_eq!(b.text("#instruction").await, "Enter the code from your authenticator app.");
    assert_eq!(b.text("label[for=remember]").await, "Don't ask for codes on this device");
    assert_eq!(b.text("#didnt-receive").await, "Didn't receive the code?");
    b.screenshot("code-prompt").await;

    run.code_step(&b, false).await;
    assert_eq!(b.text("#email").await, EMAIL);
    assert_eq!(b.text("#primary").await, "Authenticator app");
    b.screenshot("settings").await;
}

#[tokio::test]
async fn a_wrong_code_is_refused_on_the_same_prompt() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.password_step(&b, None).await;
    let right = run.site.fresh_code();
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    b.type_into("#code", &wrong).await;
    b.click("#verify").await;
    let error = b.text("#error").await;
    assert!(!error.is_empty(), "{}", b.body().await);
    assert!(b.url().await.ends_with("/signin/code"));
    b.screenshot("code-wrong").await;
    // The prompt is still there, and the right code still works.
    run.code_step(&b, false).await;
}

#[tokio::test]
async fn didnt_receive_the_code_sends_it_to_the_backup() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.password_step(&b, None).await;
    b.click("#didnt-receive").await;
    let instruction = b.wait_for_text("#instruction", "text message").await;
    // Where the code went, masked: never the whole number.
    assert!(instruction.contains("0100"), "{instruction}");
    assert!(!instruction.contains("555"), "{instruction}");
    assert!(b.has("#recovery").await, "the backup's prompt offers account recovery");
    b.screenshot("backup-code").await;

    b.type_into("#code", &run.site.backend.last_code(EMAIL)).await;
    b.click("#verify").await;
    b.wait_for_path("/settings").await;
}

#[tokio::test]
async fn a_push_approved_with_the_number_on_the_page_signs_in() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.password_step(&b, None).await;
    b.click("#push").await;
    let number: u32 = b.text("#number").await.parse().expect("the page shows a number");
    assert!((MATCH_NUMBER_MIN..=MATCH_NUMBER_MAX).contains(&number));
    b.screenshot("push-wait").await;

    let phone = &run.site.phone.client;
    let inbox = phone.check_for_requests().await.expect("the phone fetches its requests");
    assert_eq!(inbox.requests.len(), 1, "{inbox:?}");
    let request = &inbox.requests[0];
    // What the phone shows to judge it by: this browser, from this address.
    assert!(request.context.browser.contains("Chrome/156"), "{:?}", request.context);
    assert_eq!(request.context.ip, "127.0.0.1");
    phone.answer(&request.challenge_id, Decision::Approve, Some(number)).await.expect("approved");

    // The page moves on by itself.
    b.wait_for_path("/settings").await;
    assert_eq!(b.text("#email").await, EMAIL);
}

#[tokio::test]
async fn a_wrong_number_on_the_phone_fails_the_pages_sign_in() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.password_step(&b, None).await;
    b.click("#push").await;
    let number: u32 = b.text("#number").await.parse().expect("the page shows a number");
    let wrong = if number == MATCH_NUMBER_MAX { MATCH_NUMBER_MIN } else { number + 1 };

    let phone = &run.site.phone.client;
    let inbox = phone.check_for_requests().await.expect("the phone fetches its requests");
    let answered = phone.answer(&inbox.requests[0].challenge_id, Decision::Approve, Some(wrong)).await;
    assert!(matches!(answered, Err(ClientError::WrongNumber)), "{answered:?}");

    b.wait_for_text("#status", PUSH_NOT_APPROVED).await;
    assert!(b.url().await.ends_with("/signin/push"), "the page did not sign in");
    b.screenshot("push-wrong-number").await;
    b.goto(&format!("{}/settings", run.site.backend.url())).await;
    b.wait_for_path("/signin").await;
}

#[tokio::test]
async fn dont_ask_for_codes_then_the_next_sign_in_asks_for_none() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.password_step(&b, None).await;
    run.code_step(&b, true).await;
    assert_eq!(b.text("#trusted-count").await, "1 device doesn't ask for codes.");
    run.sign_out(&b).await;
    assert_eq!(b.text("#notice").await, "You signed out.");

    run.password_step(&b, None).await;
    b.wait_for_path("/settings").await;
    assert_eq!(b.text("#email").await, EMAIL);
    b.screenshot("trusted-sign-in").await;
}

/// WebDriver's Tab and Enter keys.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn signing_in_with_the_keyboard_alone() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    b.goto(&run.site.signin_url()).await;
    // Each page puts the focus on its first field; Tab follows the reading order.
    assert_eq!(b.keyboard(&format!("{EMAIL}{TAB}")).await, "email");
    assert_eq!(b.keyboard(&format!("{}{ENTER}", crate::support::PASSWORD)).await, "password");
    b.wait_for_path("/signin").await;
    b.text("#instruction").await;
    b.screenshot("keyboard-code-prompt").await;
    let code = run.site.fresh_code();
    assert_eq!(b.keyboard(&format!("{code}{ENTER}")).await, "code");
    b.wait_for_path("/settings").await;
    assert_eq!(b.text("#email").await, EMAIL);
}
