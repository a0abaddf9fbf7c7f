//! Turning two-step verification on from the browser, by the seed's rules: a primary and a
//! backup method, each confirmed with a code; a pair the rules refuse is explained in the
//! rules' own words.

use twostep_core::methods::{self, MethodChoice};
use twostep_core::otp::uri;
use twostep_e2e::{Device, PASSWORD};
use twostep_web_tests::{Browser, EMAIL, Options};

use crate::support::{Bare, start_bare};

/// A login without two-step verification, and a browser on its enrollment page.
async fn enrollment_page(bare: &Bare) -> Browser {
    let laptop = Device::laptop(&bare.backend);
    laptop.client.create_login(EMAIL, PASSWORD).await.expect("the login is created");
    let profile = bare.chromium.new_profile("main");
    let b = bare.chromium.open(&profile, Options::default()).await;
    b.goto(&format!("{}/signin", bare.backend.url())).await;
    b.type_into("#email", EMAIL).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#sign-in").await;
    b.wait_for_path("/enroll").await;
    b
}

#[tokio::test]
async fn turning_on_two_step_verification_with_an_app_and_a_mobile() {
    let Some(bare) = start_bare().await else { return };
    let b = enrollment_page(&bare).await;
    b.click("#primary-kind option[value=authenticator_app]").await;
    b.click("#backup-kind option[value=sms]").await;
    b.type_into("#backup-number", "+1 206 555 0100").await;
    b.screenshot("enroll").await;
    b.click("#enroll").await;

    // The authenticator app is given its key; the phone is sent a code.
    let credential = uri::parse(&b.text("#otpauth").await).expect("the page gives an otpauth URI");
    let code = credential.generator().expect("a TOTP generator").code_at(bare.backend.now());
    b.type_into("#code-primary", &code).await;
    b.type_into("#code-backup", &bare.backend.last_code(EMAIL)).await;
    b.click("#confirm").await;

    b.wait_for_path("/settings").await;
    assert_eq!(b.text("#primary").await, "Authenticator app");
    assert_eq!(b.text("#backup").await, "Text message to +1 ••• ••• 0100");
}

#[tokio::test]
async fn a_pair_the_rules_refuse_is_explained_in_their_words() {
    let Some(bare) = start_bare().await else { return };
    let b = enrollment_page(&bare).await;
    b.click("#primary-kind option[value=authenticator_app]").await;
    b.click("#backup-kind option[value=authenticator_app]").await;
    b.click("#enroll").await;

    let rule = methods::validate(Some(&MethodChoice::AuthenticatorApp), Some(&MethodChoice::AuthenticatorApp))
        .expect_err("an app cannot be both primary and backup");
    assert_eq!(b.text("#error").await, rule.message());
    b.screenshot("enroll-refused").await;
    // Nothing was turned on: settings still send the seller here.
    b.goto(&format!("{}/settings", bare.backend.url())).await;
    b.wait_for_path("/enroll").await;
}
