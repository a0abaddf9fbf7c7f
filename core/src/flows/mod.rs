//! The app's user-facing flows, each an object with a state the screen renders and one method
//! per thing the seller can do, so a Kotlin and a Swift shell present the same story without
//! holding any of its rules.
//!
//! | module | the flow |
//! |---|---|
//! | [`signin`] | email and password, then a code, "Didn't receive the code?", or a push approved on the phone |
//! | [`methods`] | enabling two-step verification (primary and backup by the help page's table), and changing methods |
//! | [`approvals`] | "Is this you signing in?" requests on this phone: number entry, approve, deny, "This wasn't me" |
//! | [`codes`] | the authenticator's rows, one call per tick, on the server-corrected clock |
//! | [`settings`] | Advanced Security Settings: methods, this device's trust, the trusted-device count, "Require codes on all devices" |
//! | [`logout`] | what logging out resets, then doing it |
//! | [`words`] | the seller's words for every error a flow can meet |
//! | [`text`] | the fixed words the flows share with the web sign-in pages (no client needed) |
//! | [`watch`] | the shared state cell, its [`Listener`], and the background work that changes it |
//!
//! Every action returns the flow's new state; a problem the seller can act on is a message in
//! that state (in the seller's words, from [`words`]), never an error the shell must word.
//! What changes on its own (a push answered on the phone, a request expiring, trust lost) is
//! pushed to the [`Listener`] the shell registered. Time comes from the client's clock, which
//! the tests fix.

//!
//! Everything but [`text`] needs the `client` feature.

#[cfg(feature = "client")]
pub mod approvals;
#[cfg(feature = "client")]
pub mod codes;
#[cfg(feature = "client")]
pub mod logout;
#[cfg(feature = "client")]
pub mod methods;
#[cfg(feature = "client")]
pub mod settings;
#[cfg(feature = "client")]
pub mod signin;
pub mod text;
#[cfg(feature = "client")]
pub mod watch;
#[cfg(feature = "client")]
pub mod words;

#[cfg(feature = "client")]
pub use approvals::{ApprovalView, ApprovalsFlow, ApprovalsState};
#[cfg(feature = "client")]
pub use codes::{CodeRow, CodesFlow, CodesState, DamagedRow};
#[cfg(feature = "client")]
pub use logout::{LogoutFlow, LogoutState};
#[cfg(feature = "client")]
pub use methods::{MethodsFlow, MethodsState, MethodsStep};
#[cfg(feature = "client")]
pub use settings::{DeviceRow, SecuritySettingsFlow, SecuritySettingsState};
#[cfg(feature = "client")]
pub use signin::{CodePromptView, PushWaitView, SignInFlow, SignInState, SignInStep, SignedInView};
#[cfg(feature = "client")]
pub use watch::Listener;
