//! The authenticator's codes screen: one call per tick returns every row (names, the code
//! grouped for reading, seconds left, the next code), on the server-corrected clock when the
//! client knows it; and adding an account by its `otpauth://` link.
//!
//! Owns what a row shows. Generation, grouping and timing are `otp`'s; storage is the
//! vault's; the clock offset is the client's.

use std::sync::{Arc, Mutex, PoisonError};

use zeroize::Zeroizing;

use crate::client::Client;
use crate::clock::Clock;
use crate::otp::uri;
use crate::vault::Vault;

/// Every row at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CodesState {
    pub rows: Vec<CodeRow>,
    /// "This phone's clock is 2 minutes off; codes follow the server's time." when it is.
    pub clock_note: Option<String>,
    /// "No accounts yet. Add one with its otpauth:// link or QR code." when empty.
    pub empty_message: Option<String>,
    /// Entries whose stored data was altered or damaged: they make no code and can only be
    /// removed ([`CodesFlow::remove_damaged`]).
    pub damaged: Vec<DamagedRow>,
}

/// An entry that makes no code because its stored data did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DamagedRow {
    pub entry_id: String,
    /// "GitHub (ada) can't make codes: its stored data was altered or damaged. Remove it and add
    /// the account again."
    pub message: String,
}

/// One account's row.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CodeRow {
    pub entry_id: String,
    pub issuer: String,
    pub account: String,
    /// "123 456"; for an HOTP entry, "Tap for a code" until one is asked for.
    pub grouped: String,
    /// False for HOTP: asking makes a code and uses up a counter value.
    pub time_based: bool,
    pub seconds_left: u32,
    /// Share of the period gone, for a countdown ring.
    pub fraction_elapsed: f64,
    /// The next period's code, grouped, for a seller typing near the change: in the period's
    /// last seconds only (`otp::display::NEXT_CODE_SECONDS`).
    pub next_grouped: Option<String>,
}

/// The codes of one vault.
#[derive(Clone)]
pub struct CodesFlow {
    vault: Arc<Mutex<Vault>>,
    clock: Arc<dyn Clock>,
    offset: Option<Client>,
}

impl CodesFlow {
    /// Codes on the vault's own clock.
    pub fn new(vault: Arc<Mutex<Vault>>, clock: Arc<dyn Clock>) -> Self {
        Self { vault, clock, offset: None }
    }

    /// Codes on `client`'s server-corrected clock (the vault must be the client's).
    pub fn with_client(client: Client) -> Self {
        let clock: Arc<dyn Clock> = Arc::new(client.clock());
        Self { vault: client.vault().clone(), clock, offset: Some(client) }
    }

    /// Every row now: call once per tick.
    pub fn codes_now(&self) -> CodesState {
        let now = self.clock.now_unix_seconds();
        let vault = self.vault.lock().unwrap_or_else(PoisonError::into_inner);
        let entries = vault.list();
        let codes = vault.codes(now);
        let damaged = vault
            .damaged()
            .iter()
            .map(|d| DamagedRow {
                entry_id: d.id.clone(),
                message: format!(
                    "{} can't make codes: its stored data was altered or damaged. Remove it and add the account \
                     again.",
                    if d.account.is_empty() { d.issuer.clone() } else { format!("{} ({})", d.issuer, d.account) }
                ),
            })
            .collect();
        drop(vault);
        let rows: Vec<CodeRow> = entries
            .into_iter()
            .zip(codes)
            .map(|(entry, code)| {
                let (grouped, timing) = match code.code {
                    Some(view) => (view.grouped, view.timing),
                    None => ("Tap for a code".to_owned(), None),
                };
                CodeRow {
                    entry_id: entry.id,
                    issuer: entry.issuer,
                    account: entry.account,
                    grouped,
                    time_based: timing.is_some(),
                    seconds_left: timing.as_ref().map_or(0, |t| t.seconds_left),
                    fraction_elapsed: timing.as_ref().map_or(0.0, |t| t.fraction_elapsed),
                    next_grouped: timing.and_then(|t| t.next_grouped),
                }
            })
            .collect();
        let clock_note =
            self.offset.as_ref().and_then(|c| c.clock_offset_seconds()).filter(|o| o.abs() >= 15).map(|o| {
                format!(
                    "This phone's clock is {} {}; codes follow the server's time.",
                    super::text::duration(o.unsigned_abs()),
                    if o > 0 { "slow" } else { "fast" }
                )
            });
        let empty_message =
            rows.is_empty().then(|| "No accounts yet. Add one with its otpauth:// link or QR code.".to_owned());
        CodesState { rows, clock_note, empty_message, damaged }
    }

    /// Adds an account from its `otpauth://` link. `Err` carries the seller's words naming
    /// what is wrong with the link (never the link itself).
    pub fn add_link(&self, link: &str) -> Result<CodesState, String> {
        let link = Zeroizing::new(link.trim().to_owned());
        let credential = uri::parse(&link).map_err(|e| format!("This link can't be added: {e}."))?;
        self.vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .add(&credential)
            .map_err(|e| format!("The account could not be saved: {e}. Nothing was changed."))?;
        Ok(self.codes_now())
    }

    /// Deletes an entry that cannot make codes any more.
    pub fn remove_damaged(&self, entry_id: &str) -> Result<CodesState, String> {
        self.vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove_damaged(entry_id)
            .map_err(|e| format!("The entry could not be removed: {e}."))?;
        Ok(self.codes_now())
    }

    /// A fresh HOTP code for `entry_id` (uses up one counter value), grouped.
    pub fn hotp_code(&self, entry_id: &str) -> Result<String, String> {
        let now = self.clock.now_unix_seconds();
        let mut vault = self.vault.lock().unwrap_or_else(PoisonError::into_inner);
        vault.view(entry_id, now).map(|v| v.grouped).map_err(|e| format!("No code could be made: {e}."))
    }
}
