//! Steps the tests share: what the seller does on the pages.

use tokio::sync::MutexGuard;
use twostep_web_tests::{Browser, Chromium, EMAIL, Options, Site, one_at_a_time};

pub const PASSWORD: &str = twostep_e2e::PASSWORD;

/// Everything one test needs, or `None` when Chromium is not installed (the suite says
/// SKIPPED; under CI it fails instead).
pub struct Run {
    pub site: Site,
    pub chromium: Chromium,
    _turn: MutexGuard<'static, ()>,
}

pub async fn start() -> Option<Run> {
    let turn = one_at_a_time().await;
    let chromium = Chromium::start().await?;
    let site = Site::start().await;
    Some(Run { site, chromium, _turn: turn })
}

/// A server with no login yet, and chromedriver: for turning two-step verification on.
pub struct Bare {
    pub backend: twostep_e2e::Backend,
    pub chromium: Chromium,
    _turn: MutexGuard<'static, ()>,
}

pub async fn start_bare() -> Option<Bare> {
    let turn = one_at_a_time().await;
    let chromium = Chromium::start().await?;
    Some(Bare { backend: twostep_e2e::Backend::start(), chromium, _turn: turn })
}

impl Run {
    /// A window of a new profile.
    pub async fn browser(&self, profile: &str) -> Browser {
        let dir = self.chromium.new_profile(profile);
        self.chromium.open(&dir, Options::default()).await
    }

    /// Email and password on the sign-in page at `base` (default: the server on 127.0.0.1).
    pub async fn password_step(&self, b: &Browser, base: Option<&str>) {
        let url = match base {
            Some(base) => format!("{base}/signin"),
            None => self.site.signin_url(),
        };
        b.goto(&url).await;
        b.type_into("#email", EMAIL).await;
        b.type_into("#password", PASSWORD).await;
        b.click("#sign-in").await;
    }

    /// Types a fresh code from the phone's authenticator, with or without "Don't ask for
    /// codes on this device", and lands on the settings page.
    pub async fn code_step(&self, b: &Browser, remember: bool) {
        b.type_into("#code", &self.site.fresh_code()).await;
        if remember {
            b.click("#remember").await;
        }
        b.click("#verify").await;
        b.wait_for_path("/settings").await;
    }

    pub async fn sign_out(&self, b: &Browser) {
        b.click("#sign-out").await;
        b.wait_for_path("/signin?signed_out").await;
    }

    /// Signs in with a code and "Don't ask for codes on this device", checks the next
    /// sign-in asks for none, and signs out: the browser is trusted.
    pub async fn trust_this_browser(&self, b: &Browser, base: Option<&str>) {
        self.password_step(b, base).await;
        self.code_step(b, true).await;
        self.sign_out(b).await;
        self.password_step(b, base).await;
        b.wait_for_path("/settings").await;
        self.sign_out(b).await;
    }

    /// Signs in again after trust was lost: a code is asked, and the page says why.
    pub async fn asked_again_because(&self, b: &Browser, base: Option<&str>) -> String {
        self.password_step(b, base).await;
        let why = b.text("#why-asked").await;
        assert!(b.has("#code").await, "a code is asked: {}", b.body().await);
        why
    }
}
