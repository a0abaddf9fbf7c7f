//! The browser's cookies: which ones the pages keep, their names and attributes, and reading
//! them back from a request.
//!
//! Owns the cookie policy of the web pages (docs/web.md says why each attribute is what it
//! is). Four cookies, all `HttpOnly` and `Path=/`:
//!
//! - **device** — a random id standing for this browser profile, the browser's `device_id`
//!   (another profile, an anonymous window or deleted cookies mean another or no id); 400 days,
//!   `SameSite=Lax`.
//! - **trust** — the token of "Don't ask for codes on this device"; 400 days (so an expired
//!   token still reaches the server, which then names the reason), `SameSite=Strict`.
//! - **session** — the session token; as long as the session, `SameSite=Lax`.
//! - **csrf** — the token every form repeats in a hidden field; renewed at each sign-in, so it
//!   is per session; ends with the browser session, `SameSite=Strict`.
//!
//! Names and `Secure`: this server speaks plain HTTP, and browsers refuse `Secure` cookies
//! (and so the `__Host-` prefix, which requires `Secure`) over plain HTTP from hosts other than
//! `localhost`. So a browser on loopback (the peer is 127.0.0.0/8 or ::1: tests, the demo, a
//! developer) gets plain names without `Secure`; any other peer gets `__Host-` names with
//! `Secure`, which means a deployment must put TLS in front of the server.

use std::collections::HashMap;
use std::net::IpAddr;

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};

/// Chrome's cap on a cookie's life (400 days), in seconds.
pub const LONGEST: u64 = 400 * 24 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Device,
    Trust,
    Session,
    Csrf,
}

impl Kind {
    fn base(self) -> &'static str {
        match self {
            Kind::Device => "twostep-device",
            Kind::Trust => "twostep-trust",
            Kind::Session => "twostep-session",
            Kind::Csrf => "twostep-csrf",
        }
    }

    fn same_site(self) -> &'static str {
        match self {
            Kind::Trust | Kind::Csrf => "Strict",
            Kind::Device | Kind::Session => "Lax",
        }
    }
}

/// How cookies are named and flagged for one browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    secure: bool,
}

impl Policy {
    /// `Secure` and `__Host-` unless the browser is on this machine (see the module docs).
    pub fn for_peer(peer: IpAddr) -> Self {
        let loopback = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(v6.is_loopback(), |v4| v4.is_loopback()),
            IpAddr::V4(v4) => v4.is_loopback(),
        };
        Self { secure: !loopback }
    }

    pub fn name(self, kind: Kind) -> String {
        if self.secure { format!("__Host-{}", kind.base()) } else { kind.base().to_owned() }
    }

    /// `Set-Cookie` for `kind` = `value`, living `max_age` seconds (`None`: until the browser
    /// closes).
    pub fn set(self, kind: Kind, value: &str, max_age: Option<u64>) -> HeaderValue {
        let mut c = format!("{}={value}; Path=/; HttpOnly; SameSite={}", self.name(kind), kind.same_site());
        if let Some(secs) = max_age {
            c.push_str(&format!("; Max-Age={secs}"));
        }
        if self.secure {
            c.push_str("; Secure");
        }
        // Values are ids and tokens the server made: base64url or hex, always valid here.
        HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("twostep-invalid=; Max-Age=0"))
    }

    /// `Set-Cookie` that deletes `kind`.
    pub fn clear(self, kind: Kind) -> HeaderValue {
        self.set(kind, "", Some(0))
    }
}

/// The cookies a request came with.
#[derive(Debug, Default)]
pub struct Jar {
    values: HashMap<String, String>,
}

impl Jar {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let mut values = HashMap::new();
        for header in headers.get_all(COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            for pair in text.split(';') {
                if let Some((name, value)) = pair.trim().split_once('=') {
                    values.entry(name.trim().to_owned()).or_insert_with(|| value.trim().to_owned());
                }
            }
        }
        Self { values }
    }

    /// The value of `kind` under `policy`'s name, when present and not empty.
    pub fn get(&self, policy: Policy, kind: Kind) -> Option<&str> {
        self.values.get(&policy.name(kind)).map(String::as_str).filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_gets_plain_names_and_others_host_prefixed_secure_cookies() {
        let local = Policy::for_peer("127.0.0.2".parse().unwrap());
        let trust = local.set(Kind::Trust, "t0k", Some(60));
        assert_eq!(trust.to_str().unwrap(), "twostep-trust=t0k; Path=/; HttpOnly; SameSite=Strict; Max-Age=60");
        let remote = Policy::for_peer("203.0.113.7".parse().unwrap());
        let trust = remote.set(Kind::Trust, "t0k", None);
        assert_eq!(trust.to_str().unwrap(), "__Host-twostep-trust=t0k; Path=/; HttpOnly; SameSite=Strict; Secure");
    }

    #[test]
    fn a_jar_reads_its_policys_names_only() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("twostep-device=abc; __Host-twostep-trust=xyz; other=1"));
        let jar = Jar::from_headers(&headers);
        let local = Policy::for_peer("127.0.0.1".parse().unwrap());
        assert_eq!(jar.get(local, Kind::Device), Some("abc"));
        assert_eq!(jar.get(local, Kind::Trust), None);
        let remote = Policy::for_peer("198.51.100.1".parse().unwrap());
        assert_eq!(jar.get(remote, Kind::Trust), Some("xyz"));
        assert_eq!(Jar::default().get(local, Kind::Device), None);
    }
}
