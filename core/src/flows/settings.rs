//! Advanced Security Settings: the login's primary and backup methods (changed through
//! [`super::methods::MethodsFlow::change`]), this device's trust and the reason it was lost,
//! the number of trusted devices, and "Require codes on all devices".
//!
//! Owns what the settings screen says about trust, in the seller's words. The trust rules
//! are the client's ([`crate::client::trust`]) and the server's.

use std::sync::Arc;

use super::text::{REQUIRE_CODES_DONE, REQUIRE_CODES_LABEL, duration, trusted_devices_label};
use super::watch::{Cell, Listener};
use super::words;
use crate::client::Client;
use crate::protocol::MethodSummary;

/// What the settings screen shows now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SecuritySettingsState {
    /// The signed-in login.
    pub email: Option<String>,
    pub primary: Option<MethodSummary>,
    pub backup: Option<MethodSummary>,
    pub this_device_trusted: bool,
    /// "This device doesn't ask for codes (for 29 more days)." or why it asks again.
    pub this_device: String,
    /// Devices whose "Don't ask for codes" still counts, once the server said.
    pub trusted_devices: Option<u32>,
    /// "2 devices don't ask for codes."
    pub trusted_devices_label: Option<String>,
    pub require_codes_label: String,
    /// What the last action did: "Codes are now required on all devices."
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// The settings of the signed-in login.
#[derive(Clone)]
pub struct SecuritySettingsFlow {
    client: Client,
    cell: Arc<Cell<SecuritySettingsState>>,
}

impl SecuritySettingsFlow {
    pub fn new(client: Client) -> Self {
        let flow = Self { client, cell: Cell::new(SecuritySettingsState::default()) };
        flow.cell.set(flow.local(SecuritySettingsState::default()));
        flow
    }

    pub fn state(&self) -> SecuritySettingsState {
        self.cell.get()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn Listener<SecuritySettingsState>>>) {
        self.cell.listen(listener);
    }

    /// Reads the methods and the trusted-device count from the server.
    pub async fn refresh(&self) -> SecuritySettingsState {
        let methods = self.client.current_methods().await;
        let count = self.client.trusted_device_count().await;
        let mut next = self.local(self.cell.get());
        next.error = None;
        match methods {
            Ok(m) => {
                next.primary = Some(m.primary);
                next.backup = Some(m.backup);
            }
            Err(e) => next.error = Some(words::say(&e)),
        }
        match count {
            Ok(n) => set_count(&mut next, n),
            Err(e) => next.error = next.error.or(Some(words::say(&e))),
        }
        self.cell.set(next)
    }

    /// "Require codes on all devices": every device of the login, this one included, asks for
    /// a code at its next sign-in.
    pub async fn require_codes_on_all_devices(&self) -> SecuritySettingsState {
        match self.client.require_codes_on_all_devices().await {
            Ok(n) => {
                let mut next = self.local(self.cell.get());
                set_count(&mut next, n);
                next.error = None;
                next.notice = Some(REQUIRE_CODES_DONE.into());
                self.cell.set(next)
            }
            Err(e) => self.cell.update(|s| s.error = Some(words::say(&e))),
        }
    }

    /// The part known without the network: who is signed in and this device's trust.
    fn local(&self, mut state: SecuritySettingsState) -> SecuritySettingsState {
        state.require_codes_label = REQUIRE_CODES_LABEL.into();
        state.email = self.client.session().ok().flatten().map(|s| s.email);
        match self.client.trust_status() {
            Ok(t) if t.trusted => {
                state.this_device_trusted = true;
                state.this_device = match t.expires_at {
                    Some(until) => format!(
                        "This device doesn't ask for codes (for {} more).",
                        duration(until.saturating_sub(self.client.now()))
                    ),
                    None => "This device doesn't ask for codes.".into(),
                };
            }
            Ok(t) => {
                state.this_device_trusted = false;
                state.this_device = t.lost_message.clone().unwrap_or_else(|| {
                    "This device asks for a code at each sign-in. Choose \"Don't ask for codes on this device\" when \
                     you next sign in to change that."
                        .into()
                });
            }
            Err(e) => state.error = Some(words::say(&e)),
        }
        state
    }
}

fn set_count(state: &mut SecuritySettingsState, n: u32) {
    state.trusted_devices = Some(n);
    state.trusted_devices_label = Some(trusted_devices_label(n));
}
