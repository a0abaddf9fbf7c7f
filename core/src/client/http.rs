//! HTTP to the backend: one reqwest client, JSON in and out, errors decoded, clock learnt.
//!
//! Owns the transport settings ([`HttpConfig`]: timeouts, an optional source address, the
//! TLS roots), turning an error response into a typed [`ClientError`] (the backend's
//! [`ErrorBody`] when there is one), and reading each response's `Date` header into the
//! shared [`ClockOffset`]. Does not own what is sent or what it means: that is the flows'.
//!
//! TLS is rustls with ring as its only crypto provider, set on the connector itself, so no
//! second crypto library is linked and no process-wide default provider is needed (or
//! touched: an app may install its own). Roots come from the operating system's trust store
//! through rustls-platform-verifier, which reqwest brings anyway; on Android that verifier
//! must be initialised once from the JVM side before the first HTTPS request.
//!
//! Requests carry the session as `Authorization: Bearer`, never in the URL, so a URL is
//! always safe to log.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, DATE};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{ClientError, Result, json_error};
use super::time::ClockOffset;
use crate::clock::Clock;
use crate::protocol::ErrorBody;
use crate::secret::SecretString;

/// Where TLS trust comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TlsRoots {
    /// The operating system's trust store (what the phone's browser trusts).
    #[default]
    Platform,
    /// Only these CA certificates (DER): a private deployment or a test server.
    Only(Vec<Vec<u8>>),
}

/// Transport settings of a [`super::Client`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpConfig {
    /// Whole request, connection to last byte.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Source address of outgoing connections. Tests bind to 127.0.0.2 to sign in "from
    /// another network" on loopback; apps leave it `None`.
    pub local_address: Option<IpAddr>,
    pub tls_roots: TlsRoots,
}

impl Default for HttpConfig {
    fn default() -> Self {
        // Generous for a phone on a bad network, short enough that a spinner does not spin
        // forever: the shell can always offer "try again".
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            local_address: None,
            tls_roots: TlsRoots::Platform,
        }
    }
}

pub(crate) struct Http {
    client: reqwest::Client,
    /// Without a trailing slash; paths start with one.
    base: String,
    local_clock: Arc<dyn Clock>,
    offset: Arc<ClockOffset>,
    /// Set by every response, whatever its status: the server is reachable.
    reached: AtomicBool,
}

/// Whether `url` names this machine: `localhost`, 127.0.0.0/8 or ::1.
fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some(name) if name.eq_ignore_ascii_case("localhost") => true,
        // An IPv6 host comes bracketed: "[::1]".
        Some(host) => {
            host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

impl Http {
    pub(crate) fn new(
        base_url: &str,
        config: &HttpConfig,
        local_clock: Arc<dyn Clock>,
        offset: Arc<ClockOffset>,
    ) -> Result<Self> {
        let parsed = Url::parse(base_url).map_err(|e| ClientError::invalid("base_url", e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ClientError::invalid("base_url", "must be an http:// or https:// URL"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(ClientError::invalid("base_url", "must not have a query or fragment"));
        }
        // The session, device proofs and codes cross this connection: in the clear only where
        // nobody else can listen (a loopback test server, the desktop demo).
        if parsed.scheme() == "http" && !is_loopback(&parsed) {
            return Err(ClientError::invalid(
                "base_url",
                "must be an https:// URL (plain http:// is allowed only to a loopback address such as 127.0.0.1)",
            ));
        }
        // Plain HTTP (loopback tests, the desktop demo) never does TLS: it gets an empty trust
        // store rather than the system's, which may be missing or slow to load.
        let roots = if parsed.scheme() == "http" { &TlsRoots::Only(Vec::new()) } else { &config.tls_roots };
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config(roots)?)
            // An API answers or refuses; a redirect would carry the session elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            // Servers close a kept-alive connection that sits idle (the reference backend after
            // 10 s): let it go first, so a request never races the server's close.
            .pool_idle_timeout(Duration::from_secs(5))
            .local_address(config.local_address)
            // A phone has no proxy variables; a desktop that has them would send the session
            // to a proxy the user may not know is there. Direct, always.
            .no_proxy()
            .user_agent(concat!("twostep-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Internal(format!("the HTTP client could not be built: {e}")))?;
        Ok(Self {
            client,
            base: base_url.trim_end_matches('/').to_owned(),
            local_clock,
            offset,
            reached: AtomicBool::new(false),
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base
    }

    /// True once since the last call if any response arrived: a queued logout may go now.
    pub(crate) fn take_reached(&self) -> bool {
        self.reached.swap(false, Ordering::AcqRel)
    }

    pub(crate) async fn get<R: DeserializeOwned>(&self, path: &str, session: Option<&SecretString>) -> Result<R> {
        self.send::<(), R>(Method::GET, path, session, None).await
    }

    pub(crate) async fn delete<R: DeserializeOwned>(&self, path: &str, session: Option<&SecretString>) -> Result<R> {
        self.send::<(), R>(Method::DELETE, path, session, None).await
    }

    pub(crate) async fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        session: Option<&SecretString>,
        body: &B,
    ) -> Result<R> {
        self.send(Method::POST, path, session, Some(body)).await
    }

    async fn send<B: Serialize, R: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        session: Option<&SecretString>,
        body: Option<&B>,
    ) -> Result<R> {
        debug_assert!(path.starts_with('/'));
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(session) = session {
            request = request.bearer_auth(session.expose());
        }
        if let Some(body) = body {
            // Bodies carry passwords, codes and tokens: once handed to reqwest the buffer is
            // its own and is not zeroized, which is why bodies are built at the last moment
            // and never logged.
            let bytes = serde_json::to_vec(body)
                .map_err(|e| ClientError::Internal(format!("request body: {}", json_error(&e))))?;
            request = request.header(CONTENT_TYPE, "application/json").body(bytes);
        }
        let response = request.send().await?;
        self.reached.store(true, Ordering::Release);
        self.learn_clock(&response);
        let status = response.status();
        let bytes = read_bounded(response).await?;
        decode(status, &bytes)
    }

    fn learn_clock(&self, response: &reqwest::Response) {
        // Read the local clock as close to the response as possible: the offset is the
        // difference of the two at this instant.
        let local = self.local_clock.now_unix_seconds();
        let server = response
            .headers()
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        if let Some(server) = server {
            self.offset.observe(server.as_secs(), local);
        }
    }
}

/// The largest body any answer of the protocol needs (a page of pending challenges is a few
/// KiB): a server that sends more is not read into memory past this.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// Reads the body chunk by chunk, refusing it as soon as it passes [`MAX_RESPONSE_BYTES`]
/// (a `Content-Length` above it is refused before reading anything).
async fn read_bounded(mut response: reqwest::Response) -> Result<Vec<u8>> {
    let too_large = ClientError::ResponseTooLarge { limit: MAX_RESPONSE_BYTES };
    if response.content_length().is_some_and(|n| n > MAX_RESPONSE_BYTES as u64) {
        return Err(too_large);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A response body into `R`, or the error it carries.
pub(crate) fn decode<R: DeserializeOwned>(status: StatusCode, bytes: &[u8]) -> Result<R> {
    if status.is_success() {
        return serde_json::from_slice(bytes)
            .map_err(|e| ClientError::UnexpectedResponse { status: status.as_u16(), reason: json_error(&e) });
    }
    match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(body) => Err(body.error.into()),
        Err(_) => Err(ClientError::UnexpectedResponse {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("no error body").to_owned(),
        }),
    }
}

/// rustls with ring only, and the chosen roots.
fn tls_config(roots: &TlsRoots) -> Result<rustls::ClientConfig> {
    match roots {
        TlsRoots::Platform => platform_tls_config(),
        TlsRoots::Only(certs) => {
            let mut store = rustls::RootCertStore::empty();
            for der in certs {
                store
                    .add(rustls::pki_types::CertificateDer::from(der.clone()))
                    .map_err(|e| ClientError::invalid("tls_roots", e.to_string()))?;
            }
            Ok(tls_builder()?.with_root_certificates(store).with_no_client_auth())
        }
    }
}

/// The platform verifier's config, made once per process: on Linux it parses every system
/// root certificate, which is worth doing once, not per client.
fn platform_tls_config() -> Result<rustls::ClientConfig> {
    static CONFIG: std::sync::OnceLock<std::result::Result<rustls::ClientConfig, String>> = std::sync::OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = ring_provider();
            let verifier = rustls_platform_verifier::Verifier::new(provider)
                .map_err(|e| format!("the platform certificate verifier failed: {e}"))?;
            let builder = tls_builder().map_err(|e| e.to_string())?;
            Ok(builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier)).with_no_client_auth())
        })
        .clone()
        .map_err(ClientError::Internal)
}

fn ring_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_builder() -> Result<rustls::ConfigBuilder<rustls::ClientConfig, rustls::WantsVerifier>> {
    rustls::ClientConfig::builder_with_provider(ring_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Internal(format!("TLS setup: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{ApiError, ErrorCode};

    #[test]
    fn an_error_body_becomes_the_servers_error() {
        let body = serde_json::to_vec(&ErrorBody { error: ApiError::invalid("code", "six digits") }).unwrap();
        match decode::<serde_json::Value>(StatusCode::BAD_REQUEST, &body) {
            Err(ClientError::Server(e)) => {
                assert_eq!(e.code, ErrorCode::InvalidRequest);
                assert_eq!(e.field.as_deref(), Some("code"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_push_error_body_becomes_a_typed_error() {
        let body = serde_json::to_vec(&ErrorBody { error: ApiError::new(ErrorCode::WrongNumber, "no") }).unwrap();
        assert!(matches!(decode::<serde_json::Value>(StatusCode::FORBIDDEN, &body), Err(ClientError::WrongNumber)));
    }

    #[test]
    fn an_error_without_a_body_keeps_its_status() {
        match decode::<serde_json::Value>(StatusCode::BAD_GATEWAY, b"<html>") {
            Err(ClientError::UnexpectedResponse { status: 502, .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tls_is_configured_without_a_process_wide_provider() {
        // The ring provider is set on the connector; nothing was installed globally, so an
        // app embedding the core keeps its own choice.
        tls_config(&TlsRoots::Only(Vec::new())).unwrap();
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    }

    #[test]
    fn bad_custom_roots_are_refused_by_field() {
        let err = tls_config(&TlsRoots::Only(vec![b"not a certificate".to_vec()])).unwrap_err();
        assert!(matches!(err, ClientError::InvalidInput { field: "tls_roots", .. }), "{err:?}");
    }

    #[test]
    fn a_base_url_must_be_http() {
        let offset = Arc::new(ClockOffset::new());
        let clock: Arc<dyn Clock> = Arc::new(crate::clock::SystemClock);
        assert!(Http::new("ftp://x", &HttpConfig::default(), clock.clone(), offset.clone()).is_err());
        assert!(Http::new("not a url", &HttpConfig::default(), clock.clone(), offset.clone()).is_err());
        let http = Http::new("http://127.0.0.1:9/", &HttpConfig::default(), clock.clone(), offset.clone()).unwrap();
        assert_eq!(http.base_url(), "http://127.0.0.1:9");
        // HTTPS with the operating system's roots, ring as the provider.
        Http::new("https://seller.example.com/api", &HttpConfig::default(), clock, offset).unwrap();
    }

    #[test]
    fn plain_http_is_refused_beyond_this_machine() {
        let offset = Arc::new(ClockOffset::new());
        let clock: Arc<dyn Clock> = Arc::new(crate::clock::SystemClock);
        let new = |url: &str| Http::new(url, &HttpConfig::default(), clock.clone(), offset.clone());
        for local in ["http://127.0.0.2:8080", "http://localhost:1", "http://[::1]:1"] {
            assert!(new(local).is_ok(), "{local}");
        }
        for remote in
            ["http://seller.example.com", "http://10.0.0.1", "http://[2001:db8::1]", "http://127.0.0.1.example.com"]
        {
            match new(remote) {
                Err(ClientError::InvalidInput { field: "base_url", reason }) => {
                    assert!(reason.contains("https://"), "{reason}")
                }
                other => panic!("{remote}: {:?}", other.map(|_| ())),
            }
        }
    }
}
