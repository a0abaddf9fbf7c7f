//! Attacks through a browser on the web pages and the API: framing a page to trick a click
//! (clickjacking "Approve"), script injected into a page, a response sniffed into another
//! type, attempt ids leaking in a `Referer`. Every response carries the headers that stop
//! them, and a page's policy allows exactly its own inline style and script.

use ring::digest::{SHA256, digest};

use crate::support::Harness;

async fn page(h: &Harness, path: &str) -> (reqwest::header::HeaderMap, String) {
    let res = h.http.get(format!("{}{path}", h.server.url())).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let headers = res.headers().clone();
    (headers, res.text().await.unwrap())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap()
}

/// What `'sha256-…'` a CSP names for an inline element with this text.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", data_encoding::BASE64.encode(digest(&SHA256, text.as_bytes()).as_ref()))
}

fn inline(html: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    html.split(&open).skip(1).map(|rest| rest.split(&close).next().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_page_may_not_be_framed_sniffed_or_run_anything_but_its_own_code() {
    let h = Harness::start();
    let (headers, html) = page(&h, "/signin").await;
    let policy = header(&headers, "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(header(&headers, "x-frame-options"), "DENY");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&headers, "referrer-policy"), "same-origin");

    // The page's own style is allowed by its hash; anything else inline would not be.
    let styles = inline(&html, "style");
    assert_eq!(styles.len(), 1, "{html}");
    assert!(policy.contains(&csp_hash(&styles[0])), "{policy}");
    assert!(!policy.contains(&csp_hash("alert(1)")), "{policy}");
}

#[tokio::test]
async fn the_api_answers_with_no_content_a_browser_would_run() {
    let h = Harness::start();
    let res = h.http.get(format!("{}/v1/time", h.server.url())).send().await.unwrap();
    let policy = header(res.headers(), "content-security-policy");
    assert_eq!(policy, "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(header(res.headers(), "x-content-type-options"), "nosniff");
}
