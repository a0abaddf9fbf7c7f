//! The [`TwostepClient`] object: core's client for one app installation talking to one
//! backend — sign-in with two-step verification, enrollment, push approvals, trusted-device
//! state, logout, the clock offset. The records its answers come in are core's own
//! (`twostep_core::client`, `twostep_core::protocol`), exported as they are.
//!
//! Owns taking foreign arguments and nothing else: every flow, rule and word is core's.
//!
//! **Async.** Calls that talk to the backend are `async` here, so Kotlin gets `suspend fun`
//! and Swift `async`. Core runs each one on its own tokio runtime and these futures only await
//! its handle, so they can be polled by UniFFI's foreign executor (no `async_runtime`
//! attribute, and no blocking of the caller's thread). A cancelled coroutine or task stops
//! waiting, but the work already sent runs to its end inside core, so device state is never
//! left half-written. Calls that only read device state are plain functions.

use std::net::IpAddr;
use std::sync::Arc;

use twostep_core::client::{
    self as core, AttemptOutcome, ClientIdentity, DeviceRegistration, DroppedChallenges, Enrollment, FlushOutcome,
    LogoutOutcome, PushInbox, SessionInfo, SignInOutcome, SignedInInfo, TrustStatus,
};
use twostep_core::methods::{MethodChoice, Role};
#[cfg(feature = "testing")]
use twostep_core::protocol::endpoints::OutboxMessage;
use twostep_core::protocol::endpoints::{AnswerOutcome, CodeSent, EnrollmentStatus, PushStarted};
use twostep_core::protocol::{Decision, TrustLoss};
use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::error::TwostepError;
use crate::vault::Vault;

/// The words a shell shows for a loss of trust.
#[uniffi::export]
pub fn trust_loss_message(reason: TrustLoss) -> String {
    reason.message().to_owned()
}

/// One app installation talking to one backend. Its device state (session, trust token,
/// device key, push registration, queued logouts) is sealed in the vault it was made with,
/// which it shares with that `Vault` object.
#[derive(uniffi::Object)]
pub struct TwostepClient {
    inner: core::Client,
}

impl TwostepClient {
    /// Core's client, for the flow objects made from this one.
    pub(crate) fn core(&self) -> &core::Client {
        &self.inner
    }
}

#[uniffi::export]
impl TwostepClient {
    /// A client for the backend at `base_url` (`https://…`; a path prefix is kept), keeping
    /// its state in `vault`. `source_address` binds outgoing connections to a local address:
    /// for tests of "the network changed" on loopback (`"127.0.0.2"`); apps leave it out.
    /// `clock` is "now" for every rule (the system clock when left out; tests fix it).
    #[uniffi::constructor(default(source_address = None, clock = None))]
    pub fn new(
        base_url: String,
        identity: ClientIdentity,
        vault: Arc<Vault>,
        source_address: Option<String>,
        clock: Option<Arc<dyn Clock>>,
    ) -> Result<Arc<Self>, TwostepError> {
        let mut config = core::ClientConfig::new(base_url, identity);
        config.http.local_address = match source_address {
            None => None,
            Some(a) => Some(a.parse::<IpAddr>().map_err(|_| TwostepError::InvalidInput {
                field: "source_address".to_owned(),
                reason: "is not an IP address".to_owned(),
            })?),
        };
        let inner = core::Client::new(config, vault.shared(), crate::clock::or_system(clock))?;
        Ok(Arc::new(Self { inner }))
    }

    /// This installation's random id, sent with every sign-in.
    pub fn device_id(&self) -> String {
        self.inner.device_id().to_owned()
    }

    /// The password step. Presents this device's trust token when it holds one for `email`.
    pub async fn sign_in(&self, email: String, password: String) -> Result<SignInOutcome, TwostepError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.sign_in(&email, &password).await?)
    }

    /// Sends a code to `to`'s method; `Backup` is "Didn't receive the code?".
    pub async fn send_code(&self, attempt_id: String, to: Role) -> Result<CodeSent, TwostepError> {
        Ok(self.inner.send_code(&attempt_id, to).await?)
    }

    /// The code step; `remember_device` is "Don't ask for codes on this device".
    pub async fn verify_code(
        &self,
        attempt_id: String,
        code: String,
        remember_device: bool,
    ) -> Result<SignedInInfo, TwostepError> {
        let code = Zeroizing::new(code);
        Ok(self.inner.verify_code(&attempt_id, &code, remember_device).await?)
    }

    /// Asks the registered phone to approve; the answer has the number to show on this
    /// screen.
    pub async fn start_push(&self, attempt_id: String, remember_device: bool) -> Result<PushStarted, TwostepError> {
        Ok(self.inner.start_push(&attempt_id, remember_device).await?)
    }

    /// Where a push-approved attempt stands; on approval the session is stored.
    pub async fn poll_attempt(&self, attempt_id: String) -> Result<AttemptOutcome, TwostepError> {
        Ok(self.inner.poll_attempt(&attempt_id).await?)
    }

    /// Who is signed in on this device, if anyone.
    pub fn session(&self) -> Result<Option<SessionInfo>, TwostepError> {
        Ok(self.inner.session()?)
    }

    /// Chooses the primary and backup methods (the backend applies the method rules; a broken
    /// one is `RuleViolation`). For an authenticator app the seed is added to the vault before
    /// this returns; SMS and voice codes go out.
    pub async fn enroll(&self, primary: MethodChoice, backup: MethodChoice) -> Result<Enrollment, TwostepError> {
        Ok(self.inner.enroll(primary, backup).await?)
    }

    /// Confirms one method with a code it received (or, for the app, made).
    pub async fn verify_method(&self, role: Role, code: String) -> Result<EnrollmentStatus, TwostepError> {
        let code = Zeroizing::new(code);
        Ok(self.inner.verify_method(role, &code).await?)
    }

    /// Sends a code to one of the current SMS/voice methods: the proof `change_methods` needs.
    pub async fn send_method_code(&self, to: Role) -> Result<CodeSent, TwostepError> {
        Ok(self.inner.send_method_code(to).await?)
    }

    /// Replaces both methods with a fresh code from one of the current ones (`WrongCode`
    /// without it: with neither method at hand, account recovery is the way).
    pub async fn change_methods(
        &self,
        proof_role: Role,
        proof_code: String,
        primary: MethodChoice,
        backup: MethodChoice,
    ) -> Result<Enrollment, TwostepError> {
        let proof_code = Zeroizing::new(proof_code);
        Ok(self.inner.change_methods(proof_role, &proof_code, primary, backup).await?)
    }

    /// The current code of a vault entry at the corrected time (what the backend expects,
    /// even when the phone's clock is off). HOTP entries advance their counter.
    pub fn code(&self, entry_id: String) -> Result<String, TwostepError> {
        Ok(self.inner.code(&entry_id)?)
    }

    /// Registers this device for push approvals of the signed-in login: a new device key,
    /// the backend's key pinned. Registering again replaces the key.
    pub async fn register_device(&self, push_token: String) -> Result<DeviceRegistration, TwostepError> {
        Ok(self.inner.register_device(&push_token).await?)
    }

    /// This device's push registration, if any.
    pub fn device_registration(&self) -> Result<Option<DeviceRegistration>, TwostepError> {
        Ok(self.inner.device_registration()?)
    }

    /// "Check for requests": fetches pending requests, verifies each against the pinned key,
    /// and returns what to show after the fatigue guard.
    pub async fn check_for_requests(&self) -> Result<PushInbox, TwostepError> {
        Ok(self.inner.check_for_requests().await?)
    }

    /// Answers a request from the last check. `number` is what the user typed, needed to
    /// approve; a wrong one is `WrongNumber` and fails that sign-in.
    pub async fn answer(
        &self,
        challenge_id: String,
        decision: Decision,
        number: Option<u32>,
    ) -> Result<AnswerOutcome, TwostepError> {
        Ok(self.inner.answer(&challenge_id, decision, number).await?)
    }

    /// Requests refused since this client started, by reason.
    pub fn dropped_challenges(&self) -> DroppedChallenges {
        self.inner.dropped_challenges()
    }

    /// Until when (Unix seconds) `login`'s requests are hidden after "this wasn't me".
    pub fn muted_until(&self, login: String) -> Option<u64> {
        self.inner.muted_until(&login)
    }

    /// This device's trust with the reason it ended, if it did. Offline.
    pub fn trust_status(&self) -> Result<TrustStatus, TwostepError> {
        Ok(self.inner.trust_status()?)
    }

    /// True when this device holds trust that, as far as the phone can tell, still counts.
    pub fn is_trusted(&self) -> Result<bool, TwostepError> {
        Ok(self.inner.is_trusted()?)
    }

    /// How many devices are trusted for the signed-in login.
    pub async fn trusted_device_count(&self) -> Result<u32, TwostepError> {
        Ok(self.inner.trusted_device_count().await?)
    }

    /// "Require codes on all devices": clears trust for every device of the login, this one
    /// included. Returns the count after (0).
    pub async fn require_codes_on_all_devices(&self) -> Result<u32, TwostepError> {
        Ok(self.inner.require_codes_on_all_devices().await?)
    }

    /// Logs out: trust and session wiped here at once; the backend told now or, when it
    /// cannot be reached, later.
    pub async fn logout(&self) -> Result<LogoutOutcome, TwostepError> {
        Ok(self.inner.logout().await?)
    }

    /// Delivers queued logouts now.
    pub async fn flush_pending(&self) -> Result<FlushOutcome, TwostepError> {
        Ok(self.inner.flush_pending().await?)
    }

    /// Logouts waiting for the backend.
    pub fn pending_logouts(&self) -> Result<u32, TwostepError> {
        Ok(self.inner.pending_logouts()?)
    }

    /// Backend time − phone time in seconds, once a response was seen.
    pub fn clock_offset_seconds(&self) -> Option<i64> {
        self.inner.clock_offset_seconds()
    }

    /// True when the phone's clock is off by more than `period_seconds`: the app can say so
    /// (the client corrects its own codes regardless).
    pub fn clock_is_off(&self, period_seconds: u32) -> bool {
        self.inner.clock_is_off(period_seconds)
    }

    /// Now (Unix seconds) as the backend sees it: for code screens.
    pub fn now(&self) -> u64 {
        self.inner.now()
    }
}

/// Calls of the reference backend's dev mode, for the binding test suites and demos only
/// (feature `testing`): a real backend has its own sign-up and sends real messages.
#[cfg(feature = "testing")]
#[uniffi::export]
impl TwostepClient {
    /// Creates a login with a password. The reference backend only: a real one has its own
    /// sign-up.
    pub async fn create_login(&self, email: String, password: String) -> Result<String, TwostepError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.create_login(&email, &password).await?)
    }

    /// The SMS and voice messages a **reference backend in dev mode** (`twostep serve
    /// --dev-outbox`) "sent" to `email`'s numbers, oldest first: for tests and demos. A real
    /// backend does not serve it (the call fails with `NotFound` or `Server`).
    pub async fn dev_outbox(&self, email: String) -> Result<Vec<OutboxMessage>, TwostepError> {
        Ok(self.inner.dev_outbox(&email).await?.messages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_address_that_is_not_an_ip_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.sqlite").display().to_string();
        let vault = Vault::create_with_passphrase(path, "test passphrase".into()).unwrap();
        let identity = ClientIdentity {
            kind: twostep_core::protocol::ClientKind::App,
            app_version: "1.0".into(),
            user_agent: "Seller app 1.0".into(),
            platform: "android".into(),
        };
        let e = TwostepClient::new("http://127.0.0.1:9".into(), identity, vault, Some("not-an-ip".into()), None).err();
        assert!(matches!(e, Some(TwostepError::InvalidInput { ref field, .. }) if field == "source_address"), "{e:?}");
    }
}
