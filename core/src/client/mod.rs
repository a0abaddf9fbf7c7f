//! The app's side of the wire protocol: signing in with two-step verification, enrolling
//! methods, approving pushes, and keeping (and losing) "Don't ask for codes on this device".
//!
//! [`Client`] ties it together for one app installation: the shared vault (where device
//! state is sealed), the backend's base URL, the [`ClientIdentity`] and the clock. Its
//! methods are `async` and may be awaited from any executor; the work itself runs on the
//! core's own runtime.
//!
//! | module | its job |
//! |---|---|
//! | [`runtime`] | the one tokio runtime the core owns; `run` and `block_on` |
//! | [`http`] | reqwest with rustls on ring; error bodies decoded; the `Date` header read |
//! | [`time`] | the clock offset to the server and [`CorrectedClock`] |
//! | [`error`] | [`ClientError`], the one error of the client |
//! | [`state`] | the records sealed in the vault's device state |
//! | [`identity`] | [`ClientIdentity`] and the device id of this installation |
//! | [`signin`] | the sign-in flow as the app sees it (codes, backup, push, polling) |
//! | [`enrollment`] | enabling two-step verification, changing methods, codes from the vault |
//! | [`device_key`] | the device's ES256 key behind [`DeviceKeyStore`] (software key by default) |
//! | [`push`] | registration, fetching and verifying challenges, answering them |
//! | [`fatigue`] | the fatigue guard: recent count, duplicates, mute after "this wasn't me" |
//! | [`trust`] | this device's trust: status, reasons it ends, "Require codes on all devices" |
//! | [`logout`] | logout that resets trust at once and reaches the server when it can |
//!
//! Nothing here holds a rule of method enrollment (that is the server's and `methods`'):
//! the client sends what the user chose and reports the server's verdict.

pub mod device_key;
pub mod enrollment;
pub mod error;
pub mod fatigue;
pub mod http;
pub mod identity;
pub mod logout;
pub mod push;
pub mod runtime;
pub mod signin;
pub mod state;
pub mod time;
pub mod trust;

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use device_key::{DeviceKeyError, DeviceKeyStore, SoftwareDeviceKey};
pub use enrollment::Enrollment;
pub use error::{ClientError, NetworkErrorKind, Result};
pub use fatigue::{FatigueConfig, FatigueGuard};
pub use http::{HttpConfig, TlsRoots};
pub use identity::ClientIdentity;
pub use logout::{FlushOutcome, LogoutOutcome};
pub use push::{DeviceRegistration, DroppedChallenges, PushInbox, PushRequest};
pub use signin::{AttemptOutcome, CodeChallenge, SessionInfo, SignInOutcome, SignedInInfo};
pub use time::{ClockOffset, CorrectedClock};
pub use trust::TrustStatus;

use crate::clock::Clock;
use crate::vault::Vault;
use http::Http;

/// How to reach the backend and who is asking.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// e.g. `https://seller.example.com` or `http://127.0.0.1:8080` (a path prefix is kept).
    pub base_url: String,
    pub identity: ClientIdentity,
    pub http: HttpConfig,
    pub fatigue: FatigueConfig,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>, identity: ClientIdentity) -> Self {
        Self { base_url: base_url.into(), identity, http: HttpConfig::default(), fatigue: FatigueConfig::default() }
    }
}

/// One app installation talking to one backend. Cheap to clone (shared state).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.http.base_url())
            .field("identity", &self.inner.identity)
            .field("device_id", &self.inner.device_id)
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    http: Http,
    vault: Arc<Mutex<Vault>>,
    identity: ClientIdentity,
    /// This installation's id (state `client.device_id`).
    device_id: String,
    /// Local clock + server offset: every time the server judges.
    clock: CorrectedClock,
    /// Attempt id → email, for sign-ins started by this process.
    attempts: Mutex<HashMap<String, String>>,
    push: push::PushState,
    /// A logout may be waiting in the vault to be delivered.
    logouts_pending: AtomicBool,
    /// One delivery of queued logouts at a time.
    flush_lock: tokio::sync::Mutex<()>,
}

impl Client {
    /// A client whose device key is the software key sealed in the vault.
    pub fn new(config: ClientConfig, vault: Arc<Mutex<Vault>>, clock: Arc<dyn Clock>) -> Result<Self> {
        let key = Arc::new(SoftwareDeviceKey::new(vault.clone()));
        Self::with_device_key(config, vault, clock, key)
    }

    /// A client whose device key is held elsewhere (Secure Enclave, Android Keystore).
    pub fn with_device_key(
        config: ClientConfig,
        vault: Arc<Mutex<Vault>>,
        clock: Arc<dyn Clock>,
        device_key: Arc<dyn DeviceKeyStore>,
    ) -> Result<Self> {
        config.identity.validate()?;
        let offset = Arc::new(ClockOffset::new());
        let http = Http::new(&config.base_url, &config.http, clock.clone(), offset.clone())?;
        let (device_id, logouts_pending) = {
            let mut v = lock(&vault);
            let (device_id, _) = identity::device_id(&mut v)?;
            (device_id, v.state(state::PENDING_LOGOUTS)?.is_some())
        };
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                vault,
                identity: config.identity,
                device_id,
                clock: CorrectedClock::new(clock, offset),
                attempts: Mutex::new(HashMap::new()),
                push: push::PushState::new(device_key, config.fatigue),
                logouts_pending: AtomicBool::new(logouts_pending),
                flush_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// This installation's random id, as sent with every sign-in.
    pub fn device_id(&self) -> &str {
        &self.inner.device_id
    }

    pub fn identity(&self) -> &ClientIdentity {
        &self.inner.identity
    }

    pub fn base_url(&self) -> &str {
        self.inner.http.base_url()
    }

    /// The vault this client keeps its device state in (shared with the app's code screens).
    pub fn vault(&self) -> &Arc<Mutex<Vault>> {
        &self.inner.vault
    }

    /// Server time − phone time in seconds, once a response was seen.
    pub fn clock_offset_seconds(&self) -> Option<i64> {
        self.inner.clock.offset_seconds()
    }

    /// True when the phone's clock is off by more than `period_seconds` (codes made from it
    /// would fail); the app can say so. The client corrects its own codes regardless.
    pub fn clock_is_off(&self, period_seconds: u32) -> bool {
        time::is_off(self.clock_offset_seconds().unwrap_or(0), period_seconds)
    }

    /// The corrected clock, for code screens that should show what the server expects.
    pub fn clock(&self) -> CorrectedClock {
        self.inner.clock.clone()
    }

    /// Now as the server sees it.
    pub fn now(&self) -> u64 {
        self.inner.clock.now_unix_seconds()
    }

    /// Runs `work` on the core runtime; afterwards, if the server was reached and a logout
    /// is queued, delivers it ("retried on the next successful request").
    async fn call<T, Fut>(&self, work: impl FnOnce(Arc<Inner>) -> Fut) -> Result<T>
    where
        Fut: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let inner = self.inner.clone();
        let work = work(inner.clone());
        runtime::run(async move {
            let out = work.await;
            inner.after_contact().await;
            out
        })
        .await
    }
}

impl Inner {
    fn vault(&self) -> MutexGuard<'_, Vault> {
        lock(&self.vault)
    }

    fn now(&self) -> u64 {
        self.clock.now_unix_seconds()
    }

    async fn after_contact(&self) {
        if self.http.take_reached() && self.logouts_pending.load(Ordering::Acquire) {
            // Best effort: what is not delivered stays queued for the next time.
            let _ = self.flush_pending().await;
        }
    }
}

/// The vault's lock. A panic while it was held cannot have left the database half-written
/// (every vault write is one transaction), so a poisoned lock is taken over, not refused.
fn lock(vault: &Mutex<Vault>) -> MutexGuard<'_, Vault> {
    vault.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UniFFI (and any multi-thread executor) needs the futures of async methods to be
    /// `Send`; this does not run, it only has to compile.
    #[allow(dead_code)]
    fn client_futures_are_send(c: &Client) {
        fn send<T: Send>(_: T) {}
        send(c.sign_in("a@b.c", "p"));
        send(c.verify_code("a", "123456", true));
        send(c.poll_attempt("a"));
        send(c.enroll(crate::methods::MethodChoice::AuthenticatorApp, crate::methods::MethodChoice::AuthenticatorApp));
        send(c.register_device("t"));
        send(c.check_for_requests());
        send(c.answer("c", crate::protocol::Decision::Deny, None));
        send(c.logout());
        send(c.flush_pending());
        send(c.require_codes_on_all_devices());
    }

    #[test]
    fn a_client_is_shareable_across_threads() {
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        shareable::<Client>();
    }
}
