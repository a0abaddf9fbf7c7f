//! This device's trust ("Don't ask for codes on this device"): whether it holds, and why it
//! ended when it did not.
//!
//! The token is sealed in the vault ([`state::TRUST`]) with what it was issued to. Trust ends,
//! with a [`TrustLoss`] the app shows, in these ways:
//!
//! | reason | told by |
//! |---|---|
//! | `logged_out` | this device (`logout`), at once, even offline |
//! | `app_data_cleared` | this device: the token is gone but the marker that it exists is not |
//! | `app_updated` | this device (version differs from the token's) and the server |
//! | `other_browser` | this device (token issued to another device id) and the server |
//! | `network_changed` | the server (it sees the IP; the phone cannot tell reliably) |
//! | `expired` | this device (corrected clock) and the server |
//! | `require_codes_on_all_devices` | the server (any device may choose it); this device when it chose |
//! | `invalid_token` | the server refused a token without saying why |
//!
//! **How the core tells "app data cleared".** A wiped app leaves nothing behind that could
//! say so: a fresh vault is a new installation with a new device id, and its sign-in simply
//! asks for a code (no reason to show, since this installation never had trust). What the
//! core can tell is a *partial* clear: the token record is gone while the marker written
//! beside it ([`state::TRUST_EXPECTED`]) is still there — the platform or the user removed
//! the token (a restored backup without it, a shell clearing its "cookies"). Every path of
//! the core that drops the token records its reason first ([`state::TRUST_LOST`]) and drops
//! the marker last, so a marker without a token and without a newer reason means someone
//! else removed it. Tests simulate that by deleting the `client.trust` record.
//!
//! A local verdict ([`assess`]) is what `is_trusted()` answers offline; at sign-in the token
//! is still presented when the local check doubts it, so the server (the authority) can
//! revoke it and say its own reason, which wins ([`reason_after_sign_in`]).

use super::error::Result;
use super::state::{self, SessionRecord, TrustExpected, TrustLost, TrustRecord};
use super::{Client, Inner};
use crate::protocol::endpoints::{
    CurrentMethods, DeviceRemoved, Devices, SignedIn, TrustRevoked, TrustSummary, TrustedDevices,
};
use crate::protocol::paths;
use crate::protocol::{TrustBinding, TrustLoss, trust_verdict};
use crate::secret::SecretString;
use crate::vault::Vault;

/// Whether this device is trusted now, and if not, why (when it ever was).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TrustStatus {
    pub trusted: bool,
    /// Why trust ended; `None` when it holds or this installation never had it.
    pub lost: Option<TrustLoss>,
    /// The words for `lost` ([`TrustLoss::message`]), shown as is.
    pub lost_message: Option<String>,
    /// The login the token belongs to.
    pub email: Option<String>,
    pub expires_at: Option<u64>,
}

impl TrustStatus {
    fn new(lost: Option<TrustLoss>, email: Option<String>, expires_at: Option<u64>) -> Self {
        let lost_message = lost.map(|r| r.message().to_owned());
        TrustStatus { trusted: lost.is_none() && email.is_some(), lost, lost_message, email, expires_at }
    }
}

/// The local verdict on this device's trust: a pure function of the stored records, who this
/// installation is now, and the corrected time.
pub fn assess(
    record: Option<&TrustRecord>,
    expected: Option<&TrustExpected>,
    last_loss: Option<TrustLost>,
    device_id: &str,
    app_version: &str,
    now: u64,
) -> TrustStatus {
    let lost = |reason| TrustStatus::new(Some(reason), None, None);
    match (record, expected) {
        (Some(r), _) => {
            // The phone knows no epoch or network: those are the server's to judge.
            let bound =
                TrustBinding { device_id: &r.device_id, app_version: &r.app_version, network: None, epoch: None };
            let current = TrustBinding { device_id, app_version, network: None, epoch: None };
            let reason = trust_verdict(&bound, r.expires_at, &current, now);
            TrustStatus::new(reason, Some(r.email.clone()), r.expires_at)
        }
        (None, Some(e)) => match last_loss {
            // Interrupted while the core itself dropped the token: its reason stands.
            Some(l) if l.at >= e.issued_at => lost(l.reason),
            _ => lost(TrustLoss::AppDataCleared),
        },
        (None, None) => TrustStatus::new(last_loss.map(|l| l.reason), None, None),
    }
}

/// The reason a sign-in that asks for a code shows: the server's if it gave one, else the
/// local one, else — a token was presented and silently refused — `invalid_token`.
pub fn reason_after_sign_in(presented: bool, server: Option<TrustLoss>, local: Option<TrustLoss>) -> Option<TrustLoss> {
    server.or(local).or(presented.then_some(TrustLoss::InvalidToken))
}

impl Client {
    /// True when this device holds trust that, as far as the phone can tell, still counts.
    pub fn is_trusted(&self) -> Result<bool> {
        Ok(self.inner.trust_status()?.trusted)
    }

    /// The trust of this device with the reason it ended, if it did. Offline: no request.
    pub fn trust_status(&self) -> Result<TrustStatus> {
        self.inner.trust_status()
    }

    /// How many devices are trusted for the signed-in login ("Advanced Security Settings").
    pub async fn trusted_device_count(&self) -> Result<u32> {
        self.call(|i| async move { i.trusted_device_count().await }).await
    }

    /// The signed-in login's primary and backup methods, masked ("Advanced Security Settings").
    pub async fn current_methods(&self) -> Result<CurrentMethods> {
        self.call(|i| async move {
            let session = i.session()?;
            i.http.get(paths::METHODS, Some(&session.session)).await
        })
        .await
    }

    /// The phones registered to approve the login's sign-ins (security settings), oldest first.
    pub async fn push_devices(&self) -> Result<Devices> {
        self.call(|i| async move {
            let session = i.session()?;
            i.http.get(paths::DEVICES, Some(&session.session)).await
        })
        .await
    }

    /// Removes one phone from approving sign-ins (a lost phone).
    pub async fn remove_push_device(&self, device_id: &str) -> Result<DeviceRemoved> {
        let path = paths::fill(paths::DEVICE, device_id);
        self.call(move |i| async move {
            let session = i.session()?;
            i.http.delete(&path, Some(&session.session)).await
        })
        .await
    }

    /// The devices and browsers whose "Don't ask for codes" still counts: what, where, last used.
    pub async fn trusted_devices(&self) -> Result<TrustedDevices> {
        self.call(|i| async move {
            let session = i.session()?;
            i.http.get(paths::TRUST_DEVICES, Some(&session.session)).await
        })
        .await
    }

    /// Ends one device's or browser's trust (going past the help page, which only offers
    /// "Require codes on all devices").
    pub async fn revoke_trust(&self, trust_id: &str) -> Result<TrustRevoked> {
        let path = paths::fill(paths::TRUST_DEVICE, trust_id);
        self.call(move |i| async move {
            let session = i.session()?;
            i.http.delete(&path, Some(&session.session)).await
        })
        .await
    }

    /// "Require codes on all devices": clears trust for every device of the login, this one
    /// included. Returns the count after (0).
    pub async fn require_codes_on_all_devices(&self) -> Result<u32> {
        self.call(|i| async move { i.require_codes_on_all_devices().await }).await
    }
}

impl Inner {
    pub(crate) fn trust_status(&self) -> Result<TrustStatus> {
        let now = self.now();
        let v = self.vault();
        let record: Option<TrustRecord> = state::load(&v, state::TRUST)?;
        let expected: Option<TrustExpected> = state::load(&v, state::TRUST_EXPECTED)?;
        let last: Option<TrustLost> = state::load(&v, state::TRUST_LOST)?;
        Ok(assess(record.as_ref(), expected.as_ref(), last, &self.device_id, &self.identity.app_version, now))
    }

    /// The token to present when signing in as `email`, and the local reason trust is lost
    /// for that login, if it is.
    pub(crate) fn trust_for_sign_in(&self, email: &str) -> Result<(Option<SecretString>, Option<TrustLoss>)> {
        let status = self.trust_status()?;
        let record: Option<TrustRecord> = state::load(&self.vault(), state::TRUST)?;
        match record {
            Some(r) if r.email.eq_ignore_ascii_case(email) => Ok((Some(r.token), status.lost)),
            // A token of another login is kept for that login, neither shown to this one nor
            // its state reported as this login's.
            Some(_) => Ok((None, None)),
            None => Ok((None, status.lost)),
        }
    }

    /// Stores the token of a sign-in where the user chose "Don't ask for codes".
    pub(crate) fn keep_trust(&self, email: &str, signed: &SignedIn) -> Result<()> {
        let Some(token) = &signed.trust_token else { return Ok(()) };
        let now = self.now();
        let record = TrustRecord {
            token: token.clone(),
            login_id: signed.login_id.clone(),
            email: email.to_owned(),
            device_id: self.device_id.clone(),
            app_version: self.identity.app_version.clone(),
            issued_at: now,
            expires_at: signed.trust_expires_at,
        };
        let mut v = self.vault();
        // Token first, marker second, old reason last: an interruption anywhere leaves
        // either the old state or a trusted one, never a false "data cleared".
        state::save(&mut v, state::TRUST, &record)?;
        state::save(&mut v, state::TRUST_EXPECTED, &TrustExpected { email: email.to_owned(), issued_at: now })?;
        v.delete_state(state::TRUST_LOST)?;
        Ok(())
    }

    /// Ends this device's trust with `reason`; returns the token that was dropped, if any.
    pub(crate) fn lose_trust(&self, reason: TrustLoss) -> Result<Option<SecretString>> {
        let now = self.now();
        lose_trust_in(&mut self.vault(), reason, now)
    }

    async fn trusted_device_count(&self) -> Result<u32> {
        let session = self.session()?;
        let summary: TrustSummary = self.http.get(paths::TRUST, Some(&session.session)).await?;
        Ok(summary.trusted_devices)
    }

    async fn require_codes_on_all_devices(&self) -> Result<u32> {
        let session: SessionRecord = self.session()?;
        let summary: TrustSummary =
            self.http.post(paths::TRUST_REQUIRE_CODES, Some(&session.session), &serde_json::json!({})).await?;
        self.lose_trust(TrustLoss::RequireCodesOnAllDevices)?;
        Ok(summary.trusted_devices)
    }
}

/// Drops the token (if any) with `reason`, in the order that keeps the reason true across an
/// interruption: reason, token, marker. Nothing is recorded when there was no trust to lose.
pub(crate) fn lose_trust_in(v: &mut Vault, reason: TrustLoss, now: u64) -> Result<Option<SecretString>> {
    let record: Option<TrustRecord> = state::load(v, state::TRUST)?;
    let expected = v.state(state::TRUST_EXPECTED)?.is_some();
    if record.is_none() && !expected {
        return Ok(None);
    }
    state::save(v, state::TRUST_LOST, &TrustLost { reason, at: now })?;
    v.delete_state(state::TRUST)?;
    v.delete_state(state::TRUST_EXPECTED)?;
    Ok(record.map(|r| r.token))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    fn record() -> TrustRecord {
        TrustRecord {
            token: SecretString::new("t"),
            login_id: "L".into(),
            email: "ada@example.com".into(),
            device_id: "dev".into(),
            app_version: "1.0".into(),
            issued_at: NOW - 100,
            expires_at: Some(NOW + 1000),
        }
    }

    fn expected() -> TrustExpected {
        TrustExpected { email: "ada@example.com".into(), issued_at: NOW - 100 }
    }

    fn check(record: Option<&TrustRecord>, exp: Option<&TrustExpected>, last: Option<TrustLost>) -> TrustStatus {
        assess(record, exp, last, "dev", "1.0", NOW)
    }

    #[test]
    fn a_fresh_token_for_this_installation_and_version_is_trusted() {
        let s = check(Some(&record()), Some(&expected()), None);
        assert!(s.trusted);
        assert_eq!(s.lost, None);
        assert_eq!(s.email.as_deref(), Some("ada@example.com"));
    }

    #[test]
    fn an_app_update_ends_trust_locally() {
        let s = assess(Some(&record()), Some(&expected()), None, "dev", "1.1", NOW);
        assert_eq!((s.trusted, s.lost), (false, Some(TrustLoss::AppUpdated)));
    }

    #[test]
    fn a_token_from_another_installation_is_another_browser() {
        let s = assess(Some(&record()), Some(&expected()), None, "other", "1.0", NOW);
        assert_eq!(s.lost, Some(TrustLoss::OtherBrowser));
    }

    #[test]
    fn an_expired_token_is_not_trusted() {
        let mut r = record();
        r.expires_at = Some(NOW);
        assert_eq!(check(Some(&r), Some(&expected()), None).lost, Some(TrustLoss::Expired));
    }

    #[test]
    fn a_token_removed_behind_the_cores_back_is_app_data_cleared() {
        assert_eq!(check(None, Some(&expected()), None).lost, Some(TrustLoss::AppDataCleared));
        let older = TrustLost { reason: TrustLoss::LoggedOut, at: NOW - 500 };
        assert_eq!(check(None, Some(&expected()), Some(older)).lost, Some(TrustLoss::AppDataCleared));
    }

    #[test]
    fn an_interrupted_loss_keeps_its_own_reason() {
        let newer = TrustLost { reason: TrustLoss::LoggedOut, at: NOW - 10 };
        assert_eq!(check(None, Some(&expected()), Some(newer)).lost, Some(TrustLoss::LoggedOut));
    }

    #[test]
    fn after_a_loss_the_reason_is_kept_until_trust_is_given_again() {
        let last = TrustLost { reason: TrustLoss::NetworkChanged, at: NOW - 10 };
        let s = check(None, None, Some(last));
        assert_eq!((s.trusted, s.lost), (false, Some(TrustLoss::NetworkChanged)));
    }

    #[test]
    fn a_device_never_trusted_has_no_reason() {
        assert_eq!(check(None, None, None), TrustStatus::new(None, None, None));
        assert!(!check(None, None, None).trusted);
    }

    #[test]
    fn the_servers_reason_wins_then_the_local_one_then_invalid_token() {
        use TrustLoss::*;
        assert_eq!(reason_after_sign_in(true, Some(NetworkChanged), Some(AppUpdated)), Some(NetworkChanged));
        assert_eq!(reason_after_sign_in(true, None, Some(AppUpdated)), Some(AppUpdated));
        assert_eq!(reason_after_sign_in(true, None, None), Some(InvalidToken));
        assert_eq!(reason_after_sign_in(false, None, Some(LoggedOut)), Some(LoggedOut));
        assert_eq!(reason_after_sign_in(false, None, None), None);
    }

    #[test]
    fn every_reason_has_words_to_show() {
        let s = TrustStatus::new(Some(TrustLoss::LoggedOut), None, None);
        assert!(s.lost_message.as_deref().unwrap().contains("logged out"));
    }
}
