//! The pages' cookie and CSRF rules as plain HTTP sees them: these run even where Chromium is
//! not installed, so a machine without it still checks what a browser would be sent.

use reqwest::header::{CONTENT_TYPE, COOKIE, ORIGIN, SET_COOKIE};
use twostep_e2e::Backend;

fn http() -> reqwest::Client {
    twostep_web_tests::webdriver::http_client_without_redirects()
}

/// The `Set-Cookie` lines of the sign-in page, by cookie name.
async fn sign_in_page_cookies(backend: &Backend) -> Vec<String> {
    let res = http().get(format!("{}/signin", backend.url())).send().await.unwrap();
    assert!(res.status().is_success());
    res.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

fn value_of<'a>(cookies: &'a [String], name: &str) -> &'a str {
    let line = cookies.iter().find(|c| c.starts_with(&format!("{name}="))).expect(name);
    line.split(';').next().unwrap().split_once('=').unwrap().1
}

#[tokio::test]
async fn a_loopback_browser_gets_http_only_same_site_cookies_without_the_host_prefix() {
    let backend = Backend::start();
    let cookies = sign_in_page_cookies(&backend).await;
    let device = cookies.iter().find(|c| c.starts_with("twostep-device=")).expect("a device cookie");
    assert!(device.contains("HttpOnly") && device.contains("SameSite=Lax") && device.contains("Path=/"), "{device}");
    assert!(!device.contains("Secure"), "plain HTTP on loopback: {device}");
    let csrf = cookies.iter().find(|c| c.starts_with("twostep-csrf=")).expect("a csrf cookie");
    assert!(csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"), "{csrf}");
}

#[tokio::test]
async fn a_form_from_another_origin_or_without_the_token_is_refused() {
    let backend = Backend::start();
    let cookies = sign_in_page_cookies(&backend).await;
    let jar = format!(
        "twostep-device={}; twostep-csrf={}",
        value_of(&cookies, "twostep-device"),
        value_of(&cookies, "twostep-csrf")
    );
    let token = value_of(&cookies, "twostep-csrf").to_owned();
    let url = format!("{}/signin", backend.url());
    // Tokens are base64url: nothing to escape in the form body.
    let form = |csrf: &str| format!("email=seller%40example.com&password=x&csrf={csrf}");
    let post = || http().post(&url).header(CONTENT_TYPE, "application/x-www-form-urlencoded").header(COOKIE, &jar);

    let other_origin = post().header(ORIGIN, "http://127.0.0.1:9").body(form(&token)).send().await.unwrap();
    assert_eq!(other_origin.status(), 403);
    assert!(other_origin.text().await.unwrap().contains("nothing was done"));

    let wrong_token = post().body(form("guessed")).send().await.unwrap();
    assert_eq!(wrong_token.status(), 403);

    // The same form with the token gets past both checks, to the password step.
    let right = post().body(form(&token)).send().await.unwrap();
    assert_eq!(right.status(), 422);
    assert!(right.text().await.unwrap().contains("The email or password is not right."));
}
