//! The W3C WebDriver commands the suite needs, as JSON over HTTP to chromedriver: new
//! session, navigate, find, type, click, read text, delete cookies, screenshot, quit.
//!
//! About a dozen commands, so they are spoken directly with reqwest (already in the
//! workspace) rather than through a WebDriver crate and its own HTTP stack (docs/web.md).
//! Waiting is polling a page condition with a deadline; nothing sleeps for a fixed time to
//! let a page "settle".

use std::path::Path;
use std::sync::Once;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key under which WebDriver returns an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a page condition may take before the test fails (pages answer in milliseconds;
/// this is for a loaded machine).
const PATIENCE: Duration = Duration::from_secs(20);

pub fn http_client() -> reqwest::Client {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder().no_proxy().build().expect("an HTTP client")
}

/// A plain client that shows redirects instead of following them, for the pages' own tests.
pub fn http_client_without_redirects() -> reqwest::Client {
    http_client();
    reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().expect("an HTTP client")
}

/// How a browser window is opened.
#[derive(Clone, Debug)]
pub struct Options {
    pub user_agent: &'static str,
    /// An anonymous ("incognito") window of the profile.
    pub incognito: bool,
    /// The profile blocks every cookie (Chrome's content setting "Don't allow sites to save
    /// data"), as a user would set it.
    pub block_cookies: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { user_agent: crate::USER_AGENT, incognito: false, block_cookies: false }
    }
}

/// One browser window (a WebDriver session).
pub struct Browser {
    http: reqwest::Client,
    base: String,
}

impl Browser {
    pub(crate) async fn open(http: &reqwest::Client, driver: &str, binary: &str, profile: &Path, o: Options) -> Self {
        let mut args = vec![
            "--headless=new".to_owned(),
            // Running as root in a container: Chromium's sandbox needs user namespaces.
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--no-default-browser-check".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--password-store=basic".into(),
            // A phone-sized window: the pages must read well there.
            "--window-size=412,860".into(),
            format!("--user-data-dir={}", profile.display()),
            format!("--user-agent={}", o.user_agent),
        ];
        if o.incognito {
            args.push("--incognito".into());
        }
        let prefs = if o.block_cookies {
            json!({ "profile.default_content_setting_values.cookies": 2 })
        } else {
            json!({ "profile.default_content_setting_values.cookies": 1 })
        };
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": binary, "args": args, "prefs": prefs }
        }}});
        let answer = call(http, reqwest::Method::POST, &format!("{driver}/session"), Some(caps)).await;
        let id = answer["sessionId"].as_str().expect("a session id").to_owned();
        Self { http: http.clone(), base: format!("{driver}/session/{id}") }
    }

    pub fn session_id(&self) -> &str {
        self.base.rsplit('/').next().unwrap_or_default()
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        call(&self.http, method, &format!("{}{path}", self.base), body).await
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    pub async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_owned()
    }

    /// The elements matching a CSS selector, now.
    async fn find_all(&self, css: &str) -> Vec<String> {
        let found =
            self.cmd(reqwest::Method::POST, "/elements", Some(json!({ "using": "css selector", "value": css }))).await;
        found.as_array().into_iter().flatten().filter_map(|e| e[ELEMENT].as_str().map(str::to_owned)).collect()
    }

    /// The first element matching `css`, waiting for it to appear.
    async fn find(&self, css: &str) -> String {
        let until = Instant::now() + PATIENCE;
        loop {
            if let Some(e) = self.find_all(css).await.into_iter().next() {
                return e;
            }
            assert!(
                Instant::now() < until,
                "no element {css} on {} — the page says: {}",
                self.url().await,
                self.body().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn has(&self, css: &str) -> bool {
        !self.find_all(css).await.is_empty()
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/clear"), Some(json!({}))).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/value"), Some(json!({ "text": text }))).await;
    }

    /// Types into whatever has the keyboard focus, as a keyboard would: `\u{E004}` is Tab,
    /// `\u{E007}` Enter (WebDriver's key codes). Returns the focused element's id attribute.
    pub async fn keyboard(&self, keys: &str) -> String {
        let active = self.cmd(reqwest::Method::GET, "/element/active", None).await;
        let e = active[ELEMENT].as_str().expect("an element has the focus").to_owned();
        let id = self.cmd(reqwest::Method::GET, &format!("/element/{e}/attribute/id"), None).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/value"), Some(json!({ "text": keys }))).await;
        id.as_str().unwrap_or_default().to_owned()
    }

    pub async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/click"), Some(json!({}))).await;
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::GET, &format!("/element/{e}/text"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The whole page's visible text, for failure messages.
    pub async fn body(&self) -> String {
        match self.find_all("body").await.into_iter().next() {
            Some(e) => self
                .cmd(reqwest::Method::GET, &format!("/element/{e}/text"), None)
                .await
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            None => String::new(),
        }
    }

    /// Waits until the text of `css` contains `needle`; returns that text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let until = Instant::now() + PATIENCE;
        loop {
            if self.has(css).await {
                let text = self.text(css).await;
                if text.contains(needle) {
                    return text;
                }
            }
            assert!(Instant::now() < until, "{css} never said {needle:?}; the page says: {}", self.body().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the address ends with `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let until = Instant::now() + PATIENCE;
        loop {
            let url = self.url().await;
            if url.ends_with(path) {
                return;
            }
            assert!(Instant::now() < until, "the page stayed on {url}, not {path}; it says: {}", self.body().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Deletes every cookie of the current site, as "Clear browsing data" would.
    pub async fn delete_cookies(&self) {
        self.cmd(reqwest::Method::DELETE, "/cookie", None).await;
    }

    /// Names of the cookies the current page's site holds (values are secrets).
    pub async fn cookie_names(&self) -> Vec<String> {
        let all = self.cmd(reqwest::Method::GET, "/cookie", None).await;
        all.as_array().into_iter().flatten().filter_map(|c| c["name"].as_str().map(str::to_owned)).collect()
    }

    /// Saves the window as `target/screens/web-NAME.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let bytes =
            data_encoding::BASE64.decode(png.as_str().expect("a base64 screenshot").as_bytes()).expect("base64");
        let path = crate::screens_dir().join(format!("web-{name}.png"));
        std::fs::write(&path, bytes).expect("the screenshot is saved");
    }

    pub(crate) async fn quit(self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}

async fn call(http: &reqwest::Client, method: reqwest::Method, url: &str, body: Option<Value>) -> Value {
    let mut req = http.request(method.clone(), url);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("WebDriver {method} {url}: {e}"));
    let status = res.status();
    let value: Value = res.json().await.unwrap_or_else(|e| panic!("WebDriver {method} {url}: not JSON: {e}"));
    assert!(status.is_success(), "WebDriver {method} {url} failed ({status}): {}", value["value"]);
    value.get("value").cloned().unwrap_or(value)
}
