//! Logging out of the seller app: first what it will reset, then doing it.
//!
//! Owns the words. The logout itself (trust and session wiped here at once, the server told
//! now or queued for later) is the client's.

use std::sync::Arc;

use super::watch::{Cell, Listener};
use super::words;
use crate::client::Client;

/// What the logout screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LogoutState {
    /// Before: each thing logging out resets, one per line.
    pub resets: Vec<String>,
    pub done: bool,
    /// After: "Logged out. …"
    pub message: Option<String>,
    pub error: Option<String>,
}

/// The logout of this app installation.
#[derive(Clone)]
pub struct LogoutFlow {
    client: Client,
    cell: Arc<Cell<LogoutState>>,
}

impl LogoutFlow {
    pub fn new(client: Client) -> Self {
        let mut resets = vec!["You will be signed out of this app.".to_owned()];
        if client.is_trusted().unwrap_or(false) {
            resets.push(
                "This device will no longer skip codes: \"Don't ask for codes on this device\" is reset, and your \
                 next sign-in asks for a code."
                    .into(),
            );
        } else {
            resets.push("Your next sign-in on this device asks for a code.".into());
        }
        if matches!(client.device_registration(), Ok(Some(_))) {
            resets.push("Sign-in requests still reach this phone until you turn approvals off.".into());
        }
        let cell = Cell::new(LogoutState { resets, done: false, message: None, error: None });
        Self { client, cell }
    }

    pub fn state(&self) -> LogoutState {
        self.cell.get()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn Listener<LogoutState>>>) {
        self.cell.listen(listener);
    }

    /// Logs out. Never fails for want of a network: the server is told later then.
    pub async fn logout(&self) -> LogoutState {
        match self.client.logout().await {
            Ok(out) => {
                let mut message = String::from("Logged out.");
                if out.trust_reset {
                    message.push_str(" This device will ask for a code at your next sign-in.");
                }
                if !out.delivered {
                    message.push_str(" The server will be told as soon as this phone is back online.");
                }
                self.cell.update(|s| {
                    s.done = true;
                    s.message = Some(message);
                    s.error = None;
                })
            }
            Err(e) => self.cell.update(|s| s.error = Some(words::say(&e))),
        }
    }
}
