//! Advanced Security Settings: the login's primary and backup methods (changed through
//! [`super::methods::MethodsFlow::change`]), this device's trust and the reason it was lost,
//! the number of trusted devices, and "Require codes on all devices".
//!
//! Owns what the settings screen says about trust, in the seller's words. The trust rules
//! are the client's ([`crate::client::trust`]) and the server's.

use std::sync::Arc;

use super::text::{REQUIRE_CODES_DONE, REQUIRE_CODES_LABEL, ago, duration, trusted_devices_label};
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
    /// The phones that approve this login's sign-ins; each can be removed (a lost phone).
    pub approving_phones: Vec<DeviceRow>,
    /// The devices and browsers that skip codes; each can be revoked on its own.
    pub trusted: Vec<DeviceRow>,
    /// What the last action did: "Codes are now required on all devices."
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// One phone or trusted device as the settings list it, in the seller's words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceRow {
    /// What [`SecuritySettingsFlow::remove_phone`] or [`SecuritySettingsFlow::revoke_trust`] takes.
    pub id: String,
    /// "Android phone, app 4.2.0" or "Firefox 128 on Linux".
    pub title: String,
    /// "Added 3 days ago · last used just now" (and the network, for trust).
    pub detail: String,
    pub this_device: bool,
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
        let lists = self.lists().await;
        let mut next = self.local(self.cell.get());
        next.error = None;
        match lists {
            Ok((phones, trusted)) => {
                next.approving_phones = phones;
                next.trusted = trusted;
            }
            Err(e) => next.error = Some(words::say(&e)),
        }
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
                // The lists change too (no device skips codes now): read them again.
                let state = self.refresh().await;
                self.cell.update(|s| {
                    set_count(s, n);
                    s.error = state.error.clone();
                    s.notice = Some(REQUIRE_CODES_DONE.into());
                })
            }
            Err(e) => self.cell.update(|s| s.error = Some(words::say(&e))),
        }
    }

    /// Removes one phone from approving sign-ins.
    pub async fn remove_phone(&self, device_id: &str) -> SecuritySettingsState {
        match self.client.remove_push_device(device_id).await {
            Ok(_) => {
                let state = self.refresh().await;
                self.cell.update(|s| {
                    s.notice = Some("That phone no longer approves your sign-ins.".into());
                    s.error = state.error.clone();
                })
            }
            Err(e) => self.cell.update(|s| s.error = Some(words::say(&e))),
        }
    }

    /// Ends one device's or browser's trust: its next sign-in asks for a code.
    pub async fn revoke_trust(&self, trust_id: &str) -> SecuritySettingsState {
        match self.client.revoke_trust(trust_id).await {
            Ok(_) => {
                let state = self.refresh().await;
                self.cell.update(|s| {
                    s.notice = Some("That device will ask for a code at its next sign-in.".into());
                    s.error = state.error.clone();
                })
            }
            Err(e) => self.cell.update(|s| s.error = Some(words::say(&e))),
        }
    }

    async fn lists(&self) -> Result<(Vec<DeviceRow>, Vec<DeviceRow>), crate::client::ClientError> {
        let phones = self.client.push_devices().await?;
        let trusted = self.client.trusted_devices().await?;
        let now = self.client.now();
        let used = |at: Option<u64>| match at {
            Some(t) => format!("last used {}", ago(now.saturating_sub(t))),
            None => "not used yet".to_owned(),
        };
        let phones = phones
            .devices
            .into_iter()
            .map(|d| DeviceRow {
                title: format!("{} phone, app {}", platform_name(&d.platform), d.app_version),
                detail: format!("Added {} · {}", ago(now.saturating_sub(d.added_at)), used(d.last_seen_at)),
                id: d.device_id,
                this_device: d.this_device,
            })
            .collect();
        let trusted = trusted
            .devices
            .into_iter()
            .map(|d| DeviceRow {
                title: d.user_agent,
                detail: format!(
                    "Network {} · added {} · {} · for another {}",
                    d.network,
                    ago(now.saturating_sub(d.added_at)),
                    used(d.last_used_at),
                    duration(d.expires_at.saturating_sub(now))
                ),
                id: d.trust_id,
                this_device: d.this_device,
            })
            .collect();
        Ok((phones, trusted))
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
                        "This device doesn't ask for codes (for another {}).",
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

/// A platform as sellers spell it; one the core does not know is shown as the device sent it.
fn platform_name(platform: &str) -> &str {
    match platform {
        "android" => "Android",
        "ios" => "iOS",
        other => other,
    }
}

fn set_count(state: &mut SecuritySettingsState, n: u32) {
    state.trusted_devices = Some(n);
    state.trusted_devices_label = Some(trusted_devices_label(n));
}
