//! The app's flows as objects the shells hold: sign-in, enabling or changing methods,
//! approvals, codes, security settings and logout. Each wraps core's flow
//! (`twostep_core::flows`), whose state records are exported as they are; a listener the
//! shell implements hears every change, including those that happen on their own (a push
//! answered on the phone, a request expiring).
//!
//! Owns only the object wrappers and the listener traits. Every step, word and rule is core's.

use std::sync::Arc;

use twostep_core::flows::{self as core, Listener};
use twostep_core::methods::MethodChoice;
use twostep_core::protocol::{MethodKind, MethodSummary, Role};
use zeroize::Zeroizing;

use crate::client::TwostepClient;

/// A listener trait per flow (UniFFI's foreign traits are not generic), and the adapter that
/// lets core call it.
macro_rules! listener {
    ($(#[$doc:meta])* $trait:ident, $adapter:ident, $state:ty) => {
        $(#[$doc])*
        #[uniffi::export(with_foreign)]
        pub trait $trait: Send + Sync {
            fn on_state(&self, state: $state);
        }

        struct $adapter(Arc<dyn $trait>);

        impl Listener<$state> for $adapter {
            fn changed(&self, state: $state) {
                self.0.on_state(state);
            }
        }
    };
}

listener!(
    /// Hears each new sign-in state, from an action or on its own (the phone answered).
    SignInListener,
    SignInAdapter,
    core::SignInState
);
listener!(
    /// Hears each new state of enabling or changing methods.
    MethodsListener,
    MethodsAdapter,
    core::MethodsState
);
listener!(
    /// Hears each new approvals state: new requests, countdowns, expiries.
    ApprovalsListener,
    ApprovalsAdapter,
    core::ApprovalsState
);
listener!(
    /// Hears each new security settings state.
    SecuritySettingsListener,
    SecuritySettingsAdapter,
    core::SecuritySettingsState
);

/// Signing in: password, then a code, the backup, or a push approved on the phone.
#[derive(uniffi::Object)]
pub struct SignInFlow(core::SignInFlow);

#[uniffi::export]
impl SignInFlow {
    #[uniffi::constructor]
    pub fn new(client: Arc<TwostepClient>) -> Arc<Self> {
        Arc::new(Self(core::SignInFlow::new(client.core().clone(), Default::default())))
    }

    pub fn state(&self) -> core::SignInState {
        self.0.state()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn SignInListener>>) {
        self.0.set_listener(listener.map(|l| Arc::new(SignInAdapter(l)) as Arc<dyn Listener<_>>));
    }

    pub async fn submit_password(&self, email: String, password: String) -> core::SignInState {
        let password = Zeroizing::new(password);
        self.0.submit_password(&email, &password).await
    }

    /// `remember_device` is "Don't ask for codes on this device".
    pub async fn submit_code(&self, code: String, remember_device: bool) -> core::SignInState {
        let code = Zeroizing::new(code);
        self.0.submit_code(&code, remember_device).await
    }

    pub async fn didnt_receive_code(&self) -> core::SignInState {
        self.0.didnt_receive_code().await
    }

    pub async fn approve_on_phone(&self, remember_device: bool) -> core::SignInState {
        self.0.approve_on_phone(remember_device).await
    }

    pub fn use_code_instead(&self) -> core::SignInState {
        self.0.use_code_instead()
    }

    pub fn start_over(&self) -> core::SignInState {
        self.0.start_over()
    }
}

/// Enabling two-step verification, or changing methods.
#[derive(uniffi::Object)]
pub struct MethodsFlow(core::MethodsFlow);

#[uniffi::export]
impl MethodsFlow {
    /// Enabling two-step verification after a sign-in that requires it.
    #[uniffi::constructor]
    pub fn enable(client: Arc<TwostepClient>) -> Arc<Self> {
        Arc::new(Self(core::MethodsFlow::enable(client.core().clone())))
    }

    /// Changing methods: the current ones come from the security settings.
    #[uniffi::constructor]
    pub fn change(client: Arc<TwostepClient>, primary: MethodSummary, backup: MethodSummary) -> Arc<Self> {
        Arc::new(Self(core::MethodsFlow::change(client.core().clone(), primary, backup)))
    }

    pub fn state(&self) -> core::MethodsState {
        self.0.state()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn MethodsListener>>) {
        self.0.set_listener(listener.map(|l| Arc::new(MethodsAdapter(l)) as Arc<dyn Listener<_>>));
    }

    pub fn backup_options(&self, primary: MethodKind) -> Vec<twostep_core::methods::BackupOption> {
        self.0.backup_options(primary)
    }

    pub async fn prove_with(&self, role: Role) -> core::MethodsState {
        self.0.prove_with(role).await
    }

    pub fn submit_proof(&self, code: String) -> core::MethodsState {
        let code = Zeroizing::new(code);
        self.0.submit_proof(&code)
    }

    pub async fn choose(&self, primary: MethodChoice, backup: MethodChoice) -> core::MethodsState {
        self.0.choose(primary, backup).await
    }

    pub async fn confirm(&self, code: String) -> core::MethodsState {
        let code = Zeroizing::new(code);
        self.0.confirm(&code).await
    }

    pub fn choose_again(&self) -> core::MethodsState {
        self.0.choose_again()
    }
}

/// "Is this you signing in?" requests on this phone.
#[derive(uniffi::Object)]
pub struct ApprovalsFlow(core::ApprovalsFlow);

#[uniffi::export]
impl ApprovalsFlow {
    #[uniffi::constructor]
    pub fn new(client: Arc<TwostepClient>) -> Arc<Self> {
        Arc::new(Self(core::ApprovalsFlow::new(client.core().clone(), Default::default())))
    }

    pub fn state(&self) -> core::ApprovalsState {
        self.0.state()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn ApprovalsListener>>) {
        self.0.set_listener(listener.map(|l| Arc::new(ApprovalsAdapter(l)) as Arc<dyn Listener<_>>));
    }

    /// Registers this phone with the platform's push token (FCM, APNs).
    pub async fn register(&self, push_token: String) -> core::ApprovalsState {
        let push_token = Zeroizing::new(push_token);
        self.0.register(&push_token).await
    }

    /// "Check for requests"; also what a push notification triggers.
    pub async fn check_for_requests(&self) -> core::ApprovalsState {
        self.0.check_for_requests().await
    }

    pub async fn approve(&self, challenge_id: String, typed_number: String) -> core::ApprovalsState {
        self.0.approve(&challenge_id, &typed_number).await
    }

    pub async fn deny(&self, challenge_id: String) -> core::ApprovalsState {
        self.0.deny(&challenge_id).await
    }

    /// "This wasn't me".
    pub async fn not_me(&self, challenge_id: String) -> core::ApprovalsState {
        self.0.not_me(&challenge_id).await
    }

    /// The countdown and a periodic fetch, heard through the listener, until stopped.
    pub fn start_watching(&self) {
        self.0.start_watching();
    }

    pub fn stop_watching(&self) {
        self.0.stop_watching();
    }
}

/// The authenticator's codes: one call per tick.
#[derive(uniffi::Object)]
pub struct CodesFlow(core::CodesFlow);

#[uniffi::export]
impl CodesFlow {
    /// Codes on the client's server-corrected clock.
    #[uniffi::constructor]
    pub fn new(client: Arc<TwostepClient>) -> Arc<Self> {
        Arc::new(Self(core::CodesFlow::with_client(client.core().clone())))
    }

    pub fn codes_now(&self) -> core::CodesState {
        self.0.codes_now()
    }

    /// Adds an account by its `otpauth://` link; `Err` says in the seller's words what is
    /// wrong with it.
    pub fn add_link(&self, link: String) -> Result<core::CodesState, crate::error::TwostepError> {
        let link = Zeroizing::new(link);
        self.0
            .add_link(&link)
            .map_err(|reason| crate::error::TwostepError::InvalidInput { field: "link".into(), reason })
    }

    /// Deletes an entry that can no longer make codes (listed in `CodesState.damaged`).
    pub fn remove_damaged(&self, entry_id: String) -> Result<core::CodesState, crate::error::TwostepError> {
        self.0
            .remove_damaged(&entry_id)
            .map_err(|reason| crate::error::TwostepError::InvalidInput { field: "entry_id".into(), reason })
    }

    /// A fresh HOTP code (uses up one counter value), grouped.
    pub fn hotp_code(&self, entry_id: String) -> Result<String, crate::error::TwostepError> {
        self.0
            .hotp_code(&entry_id)
            .map_err(|reason| crate::error::TwostepError::InvalidInput { field: "entry_id".into(), reason })
    }
}

/// Advanced Security Settings.
#[derive(uniffi::Object)]
pub struct SecuritySettingsFlow(core::SecuritySettingsFlow);

#[uniffi::export]
impl SecuritySettingsFlow {
    #[uniffi::constructor]
    pub fn new(client: Arc<TwostepClient>) -> Arc<Self> {
        Arc::new(Self(core::SecuritySettingsFlow::new(client.core().clone())))
    }

    pub fn state(&self) -> core::SecuritySettingsState {
        self.0.state()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn SecuritySettingsListener>>) {
        self.0.set_listener(listener.map(|l| Arc::new(SecuritySettingsAdapter(l)) as Arc<dyn Listener<_>>));
    }

    pub async fn refresh(&self) -> core::SecuritySettingsState {
        self.0.refresh().await
    }

    pub async fn require_codes_on_all_devices(&self) -> core::SecuritySettingsState {
        self.0.require_codes_on_all_devices().await
    }

    /// Removes one phone from approving sign-ins (a lost phone).
    pub async fn remove_phone(&self, device_id: String) -> core::SecuritySettingsState {
        self.0.remove_phone(&device_id).await
    }

    /// Ends one device's or browser's trust.
    pub async fn revoke_trust(&self, trust_id: String) -> core::SecuritySettingsState {
        self.0.revoke_trust(&trust_id).await
    }
}

/// Logging out: what it resets, then doing it.
#[derive(uniffi::Object)]
pub struct LogoutFlow(core::LogoutFlow);

#[uniffi::export]
impl LogoutFlow {
    #[uniffi::constructor]
    pub fn new(client: Arc<TwostepClient>) -> Arc<Self> {
        Arc::new(Self(core::LogoutFlow::new(client.core().clone())))
    }

    pub fn state(&self) -> core::LogoutState {
        self.0.state()
    }

    pub async fn logout(&self) -> core::LogoutState {
        self.0.logout().await
    }
}
