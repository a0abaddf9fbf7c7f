//! The [`TwostepClient`] object: core's client for one app installation talking to one
//! backend — sign-in with two-step verification, enrollment, push approvals, trusted-device
//! state, logout, the clock offset — and the records its answers come in.
//!
//! Owns converting arguments and results and nothing else: every flow, rule and word is
//! core's (`twostep_core::client`, `twostep_core::protocol`).
//!
//! **Async.** Calls that talk to the backend are `async` here, so Kotlin gets `suspend fun`
//! and Swift `async`. Core runs each one on its own tokio runtime and these futures only await
//! its handle, so they can be polled by UniFFI's foreign executor (no `async_runtime`
//! attribute, and no blocking of the caller's thread). A cancelled coroutine or task stops
//! waiting, but the work already sent runs to its end inside core, so device state is never
//! left half-written. Calls that only read device state are plain functions.

use std::net::IpAddr;
use std::sync::Arc;

use twostep_core::client as core;
use twostep_core::clock::SystemClock;
use twostep_core::protocol::{self, endpoints};
use zeroize::Zeroizing;

use crate::error::TwostepError;
use crate::methods::{MethodChoice, MethodKind, MethodSummary, Role};
use crate::vault::{Entry, Vault};

/// Whether this client is the seller app or a browser: the trust rules treat them alike,
/// the push request shows which it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ClientKind {
    App,
    Browser,
}

/// The app (or browser) this client runs in, filled by the shell from its platform.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClientIdentity {
    pub kind: ClientKind,
    /// The app's version: trust ends when it changes.
    pub app_version: String,
    /// What a push request shows about this client, e.g. "Seller app 4.2 on Android 15".
    pub user_agent: String,
    /// Registered with push: "android", "ios"…
    pub platform: String,
}

/// A signed-in session as the app shows it; the session token itself stays in core.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignedInInfo {
    pub login_id: String,
    pub email: String,
    /// True when no code was asked (a trusted device).
    pub without_code: bool,
    /// True when this device is trusted now ("Don't ask for codes on this device").
    pub trusted: bool,
    /// Unix seconds.
    pub trust_expires_at: Option<u64>,
}

/// The second step of a sign-in: where codes go and why this device is asked at all.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CodeChallenge {
    pub attempt_id: String,
    pub primary: MethodSummary,
    /// Where "Didn't receive the code?" sends it.
    pub backup: MethodSummary,
    /// A registered phone can approve instead of a code.
    pub push_available: bool,
    /// Why this device is asked for a code although it had trust.
    pub trust_lost: Option<TrustLoss>,
    /// The words for `trust_lost`, shown as is.
    pub trust_lost_message: Option<String>,
    /// Unix seconds.
    pub expires_at: u64,
}

/// What the password step led to.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SignInOutcome {
    /// This device is trusted: no code asked.
    SignedIn { info: SignedInInfo },
    /// Two-step verification is not on yet; the session may only enroll.
    EnrollmentRequired { login_id: String },
    /// A code (or a push approval) is needed.
    CodeRequired { challenge: CodeChallenge },
}

/// A sign-in attempt seen from the screen that waits for a push.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AttemptOutcome {
    Pending,
    SignedIn {
        info: SignedInInfo,
    },
    /// The phone denied it, reported "this wasn't me", or a wrong number was typed.
    Denied,
    Expired,
}

/// Who is signed in on this device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionInfo {
    pub login_id: String,
    pub email: String,
    /// Two-step verification must be enabled before anything else.
    pub enrollment_only: bool,
}

/// Where a code was sent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CodeSent {
    pub to: Role,
    pub method: MethodSummary,
}

/// A push approval started: the number the sign-in screen shows.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushStarted {
    pub challenge_id: String,
    /// Shown on the sign-in screen; the user types it on the phone.
    pub number: u32,
    /// Unix seconds.
    pub expires_at: u64,
}

/// Where an enrollment (or a change of methods) stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Enrollment {
    /// When one of the methods is the authenticator app: the vault entry now holding its seed
    /// (the seed itself never crosses to the app). Its code confirms the method.
    pub authenticator_entry: Option<Entry>,
    /// Methods that still need a code.
    pub pending: Vec<Role>,
}

/// Where confirming the methods stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnrollmentStatus {
    pub pending: Vec<Role>,
    /// True once both methods are confirmed: two-step verification is on.
    pub enabled: bool,
}

/// This device as registered for push approvals.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeviceRegistration {
    /// The backend's id for this device.
    pub device_id: String,
    /// The pinned backend key (base64url P-256 point); public.
    pub server_public_key: String,
}

/// What the user judges a sign-in by.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChallengeContext {
    pub ip: String,
    /// Approximate, e.g. "Seattle, US"; "Unknown" when it cannot be told.
    pub location: String,
    /// e.g. "Firefox 128 on Linux".
    pub browser: String,
    /// e.g. "Seller Central".
    pub app: String,
    /// Unix seconds of the sign-in attempt.
    pub time: u64,
}

/// One "Is this you signing in?" request, verified against the pinned backend key.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushRequest {
    pub challenge_id: String,
    pub login: String,
    /// The login's email when it is the one signed in on this phone.
    pub email: Option<String>,
    pub context: ChallengeContext,
    pub issued_at: u64,
    pub expires_at: u64,
    /// By the corrected clock, when the requests were fetched.
    pub seconds_left: u64,
    /// Older requests from the same context that this one stands for.
    pub collapsed: u32,
}

/// Requests refused before anything of them was shown, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DroppedChallenges {
    /// Not signed by the pinned backend key (forged or altered).
    pub bad_signature: u32,
    pub malformed: u32,
    pub other_device: u32,
    pub expired: u32,
    pub total: u32,
}

/// What "Check for requests" found.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushInbox {
    /// To show, newest first.
    pub requests: Vec<PushRequest>,
    /// Requests that came in the last `window_secs` ("5 requests in the last 10 minutes").
    pub recent: u32,
    pub window_secs: u64,
    /// Pending requests hidden because their login is muted after "this wasn't me".
    pub muted: u32,
    /// Refused in this check.
    pub dropped: DroppedChallenges,
}

/// The user's answer to a push request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Decision {
    Approve,
    Deny,
    /// "This wasn't me": denies, reports, and hides that login's requests for a while.
    NotMe,
}

/// What the backend made of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum AnswerOutcome {
    Approved,
    Denied,
    Reported,
}

/// Why a device that was trusted is asked for a code again; `trust_loss_message` has the
/// words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TrustLoss {
    LoggedOut,
    AppDataCleared,
    AppUpdated,
    OtherBrowser,
    NetworkChanged,
    Expired,
    RequireCodesOnAllDevices,
    /// The token was altered or is unknown to the backend.
    InvalidToken,
}

/// This device's trust, and why it ended if it did. Read offline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustStatus {
    pub trusted: bool,
    /// Why trust ended; absent when it holds or this installation never had it.
    pub lost: Option<TrustLoss>,
    /// The words for `lost`, shown as is.
    pub lost_message: Option<String>,
    /// The login the trust belongs to.
    pub email: Option<String>,
    pub expires_at: Option<u64>,
}

/// What a logout achieved. It never fails for want of a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LogoutOutcome {
    /// This device's trust was wiped (it had some).
    pub trust_reset: bool,
    /// The backend heard of it now; if not, it is queued.
    pub delivered: bool,
    /// The backend confirmed the trust token is revoked.
    pub trust_revoked: bool,
    /// Logouts still waiting for the backend.
    pub queued: u32,
}

/// What a delivery of queued logouts achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct FlushOutcome {
    pub delivered: u32,
    pub remaining: u32,
}

/// One SMS or voice message a dev-mode reference backend "sent".
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutboxMessage {
    /// E.164.
    pub to: String,
    pub channel: MethodKind,
    pub text: String,
    /// The code inside `text`.
    pub code: String,
    pub sent_at: u64,
}

/// The words a shell shows for a loss of trust.
#[uniffi::export]
pub fn trust_loss_message(reason: TrustLoss) -> String {
    protocol::TrustLoss::from(reason).message().to_owned()
}

/// One app installation talking to one backend. Its device state (session, trust token,
/// device key, push registration, queued logouts) is sealed in the vault it was made with,
/// which it shares with that `Vault` object.
#[derive(uniffi::Object)]
pub struct TwostepClient {
    inner: core::Client,
}

#[uniffi::export]
impl TwostepClient {
    /// A client for the backend at `base_url` (`https://…`; a path prefix is kept), keeping
    /// its state in `vault`. `source_address` binds outgoing connections to a local address:
    /// for tests of "the network changed" on loopback (`"127.0.0.2"`); apps leave it out.
    #[uniffi::constructor(default(source_address = None))]
    pub fn new(
        base_url: String,
        identity: ClientIdentity,
        vault: Arc<Vault>,
        source_address: Option<String>,
    ) -> Result<Arc<Self>, TwostepError> {
        let mut config = core::ClientConfig::new(base_url, identity.into());
        config.http.local_address = match source_address {
            None => None,
            Some(a) => Some(a.parse::<IpAddr>().map_err(|_| TwostepError::InvalidInput {
                field: "source_address".to_owned(),
                reason: "is not an IP address".to_owned(),
            })?),
        };
        let inner = core::Client::new(config, vault.shared(), Arc::new(SystemClock))?;
        Ok(Arc::new(Self { inner }))
    }

    /// This installation's random id, sent with every sign-in.
    pub fn device_id(&self) -> String {
        self.inner.device_id().to_owned()
    }

    /// Creates a login with a password. The reference backend only: a real one has its own
    /// sign-up.
    pub async fn create_login(&self, email: String, password: String) -> Result<String, TwostepError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.create_login(&email, &password).await?)
    }

    /// The password step. Presents this device's trust token when it holds one for `email`.
    pub async fn sign_in(&self, email: String, password: String) -> Result<SignInOutcome, TwostepError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.sign_in(&email, &password).await?.into())
    }

    /// Sends a code to `to`'s method; `Backup` is "Didn't receive the code?".
    pub async fn send_code(&self, attempt_id: String, to: Role) -> Result<CodeSent, TwostepError> {
        Ok(self.inner.send_code(&attempt_id, to.into()).await?.into())
    }

    /// The code step; `remember_device` is "Don't ask for codes on this device".
    pub async fn verify_code(
        &self,
        attempt_id: String,
        code: String,
        remember_device: bool,
    ) -> Result<SignedInInfo, TwostepError> {
        let code = Zeroizing::new(code);
        Ok(self.inner.verify_code(&attempt_id, &code, remember_device).await?.into())
    }

    /// Asks the registered phone to approve; the answer has the number to show on this
    /// screen.
    pub async fn start_push(&self, attempt_id: String, remember_device: bool) -> Result<PushStarted, TwostepError> {
        Ok(self.inner.start_push(&attempt_id, remember_device).await?.into())
    }

    /// Where a push-approved attempt stands; on approval the session is stored.
    pub async fn poll_attempt(&self, attempt_id: String) -> Result<AttemptOutcome, TwostepError> {
        Ok(self.inner.poll_attempt(&attempt_id).await?.into())
    }

    /// Who is signed in on this device, if anyone.
    pub fn session(&self) -> Result<Option<SessionInfo>, TwostepError> {
        Ok(self.inner.session()?.map(SessionInfo::from))
    }

    /// Chooses the primary and backup methods (the backend applies the method rules; a broken
    /// one is `RuleViolation`). For an authenticator app the seed is added to the vault before
    /// this returns; SMS and voice codes go out.
    pub async fn enroll(&self, primary: MethodChoice, backup: MethodChoice) -> Result<Enrollment, TwostepError> {
        Ok(self.inner.enroll(primary.into(), backup.into()).await?.into())
    }

    /// Confirms one method with a code it received (or, for the app, made).
    pub async fn verify_method(&self, role: Role, code: String) -> Result<EnrollmentStatus, TwostepError> {
        let code = Zeroizing::new(code);
        Ok(self.inner.verify_method(role.into(), &code).await?.into())
    }

    /// Sends a code to one of the current SMS/voice methods: the proof `change_methods` needs.
    pub async fn send_method_code(&self, to: Role) -> Result<CodeSent, TwostepError> {
        Ok(self.inner.send_method_code(to.into()).await?.into())
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
        Ok(self.inner.change_methods(proof_role.into(), &proof_code, primary.into(), backup.into()).await?.into())
    }

    /// The current code of a vault entry at the corrected time (what the backend expects,
    /// even when the phone's clock is off). HOTP entries advance their counter.
    pub fn code(&self, entry_id: String) -> Result<String, TwostepError> {
        Ok(self.inner.code(&entry_id)?)
    }

    /// Registers this device for push approvals of the signed-in login: a new device key,
    /// the backend's key pinned. Registering again replaces the key.
    pub async fn register_device(&self, push_token: String) -> Result<DeviceRegistration, TwostepError> {
        Ok(self.inner.register_device(&push_token).await?.into())
    }

    /// This device's push registration, if any.
    pub fn device_registration(&self) -> Result<Option<DeviceRegistration>, TwostepError> {
        Ok(self.inner.device_registration()?.map(DeviceRegistration::from))
    }

    /// "Check for requests": fetches pending requests, verifies each against the pinned key,
    /// and returns what to show after the fatigue guard.
    pub async fn check_for_requests(&self) -> Result<PushInbox, TwostepError> {
        Ok(self.inner.check_for_requests().await?.into())
    }

    /// Answers a request from the last check. `number` is what the user typed, needed to
    /// approve; a wrong one is `WrongNumber` and fails that sign-in.
    pub async fn answer(
        &self,
        challenge_id: String,
        decision: Decision,
        number: Option<u32>,
    ) -> Result<AnswerOutcome, TwostepError> {
        Ok(self.inner.answer(&challenge_id, decision.into(), number).await?.into())
    }

    /// Requests refused since this client started, by reason.
    pub fn dropped_challenges(&self) -> DroppedChallenges {
        self.inner.dropped_challenges().into()
    }

    /// Until when (Unix seconds) `login`'s requests are hidden after "this wasn't me".
    pub fn muted_until(&self, login: String) -> Option<u64> {
        self.inner.muted_until(&login)
    }

    /// This device's trust with the reason it ended, if it did. Offline.
    pub fn trust_status(&self) -> Result<TrustStatus, TwostepError> {
        Ok(self.inner.trust_status()?.into())
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
        Ok(self.inner.logout().await?.into())
    }

    /// Delivers queued logouts now.
    pub async fn flush_pending(&self) -> Result<FlushOutcome, TwostepError> {
        Ok(self.inner.flush_pending().await?.into())
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

    /// The SMS and voice messages a **reference backend in dev mode** (`twostep serve
    /// --dev-outbox`) "sent" to `email`'s numbers, oldest first: for tests and demos. A real
    /// backend does not serve it (the call fails with `NotFound` or `Server`).
    pub async fn dev_outbox(&self, email: String) -> Result<Vec<OutboxMessage>, TwostepError> {
        Ok(self.inner.dev_outbox(&email).await?.messages.into_iter().map(OutboxMessage::from).collect())
    }
}

impl From<ClientIdentity> for core::ClientIdentity {
    fn from(i: ClientIdentity) -> Self {
        core::ClientIdentity {
            kind: match i.kind {
                ClientKind::App => protocol::ClientKind::App,
                ClientKind::Browser => protocol::ClientKind::Browser,
            },
            app_version: i.app_version,
            user_agent: i.user_agent,
            platform: i.platform,
        }
    }
}

impl From<core::SignedInInfo> for SignedInInfo {
    fn from(s: core::SignedInInfo) -> Self {
        SignedInInfo {
            login_id: s.login_id,
            email: s.email,
            without_code: s.without_code,
            trusted: s.trusted,
            trust_expires_at: s.trust_expires_at,
        }
    }
}

impl From<core::CodeChallenge> for CodeChallenge {
    fn from(c: core::CodeChallenge) -> Self {
        CodeChallenge {
            trust_lost_message: c.trust_lost_message().map(str::to_owned),
            attempt_id: c.attempt_id,
            primary: c.primary.into(),
            backup: c.backup.into(),
            push_available: c.push_available,
            trust_lost: c.trust_lost.map(TrustLoss::from),
            expires_at: c.expires_at,
        }
    }
}

impl From<core::SignInOutcome> for SignInOutcome {
    fn from(o: core::SignInOutcome) -> Self {
        match o {
            core::SignInOutcome::SignedIn(info) => SignInOutcome::SignedIn { info: info.into() },
            core::SignInOutcome::EnrollmentRequired { login_id } => SignInOutcome::EnrollmentRequired { login_id },
            core::SignInOutcome::CodeRequired(c) => SignInOutcome::CodeRequired { challenge: c.into() },
        }
    }
}

impl From<core::AttemptOutcome> for AttemptOutcome {
    fn from(o: core::AttemptOutcome) -> Self {
        match o {
            core::AttemptOutcome::Pending => AttemptOutcome::Pending,
            core::AttemptOutcome::SignedIn(info) => AttemptOutcome::SignedIn { info: info.into() },
            core::AttemptOutcome::Denied => AttemptOutcome::Denied,
            core::AttemptOutcome::Expired => AttemptOutcome::Expired,
        }
    }
}

impl From<core::SessionInfo> for SessionInfo {
    fn from(s: core::SessionInfo) -> Self {
        SessionInfo { login_id: s.login_id, email: s.email, enrollment_only: s.enrollment_only }
    }
}

impl From<endpoints::CodeSent> for CodeSent {
    fn from(c: endpoints::CodeSent) -> Self {
        CodeSent { to: c.to.into(), method: c.method.into() }
    }
}

impl From<endpoints::PushStarted> for PushStarted {
    fn from(p: endpoints::PushStarted) -> Self {
        PushStarted { challenge_id: p.challenge_id, number: p.number, expires_at: p.expires_at }
    }
}

/// The seed URI stays behind: only the vault entry crosses.
impl From<core::Enrollment> for Enrollment {
    fn from(e: core::Enrollment) -> Self {
        Enrollment {
            authenticator_entry: e.authenticator.map(|a| a.entry.into()),
            pending: e.pending.into_iter().map(Role::from).collect(),
        }
    }
}

impl From<endpoints::EnrollmentStatus> for EnrollmentStatus {
    fn from(s: endpoints::EnrollmentStatus) -> Self {
        EnrollmentStatus { pending: s.pending.into_iter().map(Role::from).collect(), enabled: s.enabled }
    }
}

impl From<core::DeviceRegistration> for DeviceRegistration {
    fn from(r: core::DeviceRegistration) -> Self {
        DeviceRegistration { device_id: r.device_id, server_public_key: r.server_public_key }
    }
}

impl From<protocol::ChallengeContext> for ChallengeContext {
    fn from(c: protocol::ChallengeContext) -> Self {
        ChallengeContext { ip: c.ip, location: c.location, browser: c.browser, app: c.app, time: c.time }
    }
}

impl From<core::PushRequest> for PushRequest {
    fn from(r: core::PushRequest) -> Self {
        PushRequest {
            challenge_id: r.challenge_id,
            login: r.login,
            email: r.email,
            context: r.context.into(),
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            seconds_left: r.seconds_left,
            collapsed: r.collapsed,
        }
    }
}

impl From<core::DroppedChallenges> for DroppedChallenges {
    fn from(d: core::DroppedChallenges) -> Self {
        DroppedChallenges {
            total: d.total(),
            bad_signature: d.bad_signature,
            malformed: d.malformed,
            other_device: d.other_device,
            expired: d.expired,
        }
    }
}

impl From<core::PushInbox> for PushInbox {
    fn from(i: core::PushInbox) -> Self {
        PushInbox {
            requests: i.requests.into_iter().map(PushRequest::from).collect(),
            recent: i.recent,
            window_secs: i.window_secs,
            muted: i.muted,
            dropped: i.dropped.into(),
        }
    }
}

impl From<Decision> for protocol::Decision {
    fn from(d: Decision) -> Self {
        match d {
            Decision::Approve => protocol::Decision::Approve,
            Decision::Deny => protocol::Decision::Deny,
            Decision::NotMe => protocol::Decision::NotMe,
        }
    }
}

impl From<endpoints::AnswerOutcome> for AnswerOutcome {
    fn from(o: endpoints::AnswerOutcome) -> Self {
        match o {
            endpoints::AnswerOutcome::Approved => AnswerOutcome::Approved,
            endpoints::AnswerOutcome::Denied => AnswerOutcome::Denied,
            endpoints::AnswerOutcome::Reported => AnswerOutcome::Reported,
        }
    }
}

impl From<protocol::TrustLoss> for TrustLoss {
    fn from(t: protocol::TrustLoss) -> Self {
        match t {
            protocol::TrustLoss::LoggedOut => TrustLoss::LoggedOut,
            protocol::TrustLoss::AppDataCleared => TrustLoss::AppDataCleared,
            protocol::TrustLoss::AppUpdated => TrustLoss::AppUpdated,
            protocol::TrustLoss::OtherBrowser => TrustLoss::OtherBrowser,
            protocol::TrustLoss::NetworkChanged => TrustLoss::NetworkChanged,
            protocol::TrustLoss::Expired => TrustLoss::Expired,
            protocol::TrustLoss::RequireCodesOnAllDevices => TrustLoss::RequireCodesOnAllDevices,
            protocol::TrustLoss::InvalidToken => TrustLoss::InvalidToken,
        }
    }
}

impl From<TrustLoss> for protocol::TrustLoss {
    fn from(t: TrustLoss) -> Self {
        match t {
            TrustLoss::LoggedOut => protocol::TrustLoss::LoggedOut,
            TrustLoss::AppDataCleared => protocol::TrustLoss::AppDataCleared,
            TrustLoss::AppUpdated => protocol::TrustLoss::AppUpdated,
            TrustLoss::OtherBrowser => protocol::TrustLoss::OtherBrowser,
            TrustLoss::NetworkChanged => protocol::TrustLoss::NetworkChanged,
            TrustLoss::Expired => protocol::TrustLoss::Expired,
            TrustLoss::RequireCodesOnAllDevices => protocol::TrustLoss::RequireCodesOnAllDevices,
            TrustLoss::InvalidToken => protocol::TrustLoss::InvalidToken,
        }
    }
}

impl From<core::TrustStatus> for TrustStatus {
    fn from(s: core::TrustStatus) -> Self {
        TrustStatus {
            lost_message: s.message().map(str::to_owned),
            trusted: s.trusted,
            lost: s.lost.map(TrustLoss::from),
            email: s.email,
            expires_at: s.expires_at,
        }
    }
}

impl From<core::LogoutOutcome> for LogoutOutcome {
    fn from(o: core::LogoutOutcome) -> Self {
        LogoutOutcome {
            trust_reset: o.trust_reset,
            delivered: o.delivered,
            trust_revoked: o.trust_revoked,
            queued: o.queued,
        }
    }
}

impl From<core::FlushOutcome> for FlushOutcome {
    fn from(o: core::FlushOutcome) -> Self {
        FlushOutcome { delivered: o.delivered, remaining: o.remaining }
    }
}

impl From<endpoints::OutboxMessage> for OutboxMessage {
    fn from(m: endpoints::OutboxMessage) -> Self {
        OutboxMessage { to: m.to, channel: m.channel.into(), text: m.text, code: m.code, sent_at: m.sent_at }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trust_loss_survives_the_round_trip_and_keeps_cores_words() {
        for t in protocol::TrustLoss::ALL {
            assert_eq!(protocol::TrustLoss::from(TrustLoss::from(t)), t);
        }
        assert_eq!(trust_loss_message(TrustLoss::LoggedOut), protocol::TrustLoss::LoggedOut.message());
    }

    #[test]
    fn a_source_address_that_is_not_an_ip_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.sqlite").display().to_string();
        let vault = Vault::create_with_passphrase(path, "test passphrase".into()).unwrap();
        let identity = ClientIdentity {
            kind: ClientKind::App,
            app_version: "1.0".into(),
            user_agent: "Seller app 1.0".into(),
            platform: "android".into(),
        };
        let e = TwostepClient::new("http://127.0.0.1:9".into(), identity, vault, Some("not-an-ip".into())).err();
        assert!(matches!(e, Some(TwostepError::InvalidInput { ref field, .. }) if field == "source_address"), "{e:?}");
    }
}
