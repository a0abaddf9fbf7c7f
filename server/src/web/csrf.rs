//! Cross-site request forgery: every form POST must come from a page of this server.
//!
//! Two checks, both on every POST:
//!
//! 1. **Where it came from.** Browsers say it: `Sec-Fetch-Site` must be `same-origin` when
//!    sent, and `Origin` must name this host (the `Host` the request was sent to) when sent.
//!    A form on another site, or in a sandboxed frame (`Origin: null`), is refused.
//! 2. **A token.** Each form repeats, in a hidden `csrf` field, the value of the csrf cookie
//!    (the double-submit pattern). The cookie is renewed at each sign-in, so the token is per
//!    session, and it is `HttpOnly` and `SameSite=Strict`. A request that brought no cookie at
//!    all has nothing to compare with: that browser blocks cookies, can hold no session, and
//!    only the sign-in steps answer it, on the strength of the first check alone.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use twostep_core::secret::ct_eq;

/// Why a POST was refused, for the log line; the page says one thing for all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    OtherSite,
    OtherOrigin,
    MissingToken,
    WrongToken,
}

/// The first check: the request says it came from this origin (or says nothing).
pub fn check_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if site != "same-origin" {
            return Err(Refusal::OtherSite);
        }
    }
    if let Some(origin) = headers.get(ORIGIN).map(|v| v.to_str().unwrap_or("null")) {
        let host = headers.get(HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
        if host.is_empty() || origin_host != Some(host) {
            return Err(Refusal::OtherOrigin);
        }
    }
    Ok(())
}

/// The second check: the hidden field repeats the cookie.
pub fn check_token(cookie: Option<&str>, field: Option<&str>) -> Result<(), Refusal> {
    match (cookie, field) {
        (Some(cookie), Some(field)) if ct_eq(cookie.as_bytes(), field.as_bytes()) => Ok(()),
        (Some(_), Some(_)) => Err(Refusal::WrongToken),
        _ => Err(Refusal::MissingToken),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_this_origin_may_post() {
        assert_eq!(check_origin(&headers(&[("host", "127.0.0.1:8080")])), Ok(()));
        let same = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(check_origin(&same), Ok(()));
        let other_port = headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:9090")]);
        assert_eq!(check_origin(&other_port), Err(Refusal::OtherOrigin));
        let sandboxed = headers(&[("host", "127.0.0.1:8080"), ("origin", "null")]);
        assert_eq!(check_origin(&sandboxed), Err(Refusal::OtherOrigin));
        let cross = headers(&[("host", "127.0.0.1:8080"), ("sec-fetch-site", "same-site")]);
        assert_eq!(check_origin(&cross), Err(Refusal::OtherSite));
    }

    #[test]
    fn the_field_must_repeat_the_cookie() {
        assert_eq!(check_token(Some("abc"), Some("abc")), Ok(()));
        assert_eq!(check_token(Some("abc"), Some("abd")), Err(Refusal::WrongToken));
        assert_eq!(check_token(Some("abc"), None), Err(Refusal::MissingToken));
        assert_eq!(check_token(None, Some("abc")), Err(Refusal::MissingToken));
    }
}
