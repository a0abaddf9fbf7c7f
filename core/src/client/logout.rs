//! Logout, which resets this device's trust ("logging out of the seller mobile app resets the
//! trusted device status").
//!
//! The local part happens at once and needs no network: the trust token and the session are
//! wiped from the vault and the reason (`logged_out`) recorded, so the very next sign-in asks
//! for a code even if the phone is offline. The server part (`POST /v1/logout`, revoking the
//! session and the token so nobody holding a copy can use them) is queued in the vault
//! (`client.pending_logouts`, sealed) and delivered now if the server can be reached, else on
//! the next request that reaches it, or by an explicit [`Client::flush_pending`].
//!
//! A queued logout is dropped once the server has answered it in any final way (`logged_out`,
//! or a refusal such as an already-unknown session, which means there is nothing left to
//! revoke); it stays queued only through failures that may pass (network, server trouble).

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::error::Result;
use super::state::{self, PendingLogout, SessionRecord, TrustRecord};
use super::trust::lose_trust_in;
use super::{Client, Inner};
use crate::protocol::TrustLoss;
use crate::protocol::endpoints::{LoggedOut, Logout};
use crate::protocol::paths;

/// How long `logout` waits for the server before leaving the delivery to the queue.
pub const LOGOUT_WAIT: Duration = Duration::from_secs(5);

/// What a logout achieved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LogoutOutcome {
    /// This device's trust was wiped (it had some).
    pub trust_reset: bool,
    /// The server heard of it now; if not, it is queued.
    pub delivered: bool,
    /// The server confirmed the trust token is revoked.
    pub trust_revoked: bool,
    /// Logouts still waiting for the server.
    pub queued: u32,
}

/// What a delivery of queued logouts achieved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FlushOutcome {
    pub delivered: u32,
    pub remaining: u32,
}

impl Client {
    /// Logs out: trust and session wiped here at once; the server told now or later.
    /// Never fails for want of a network.
    pub async fn logout(&self) -> Result<LogoutOutcome> {
        self.call(|i| async move { i.logout().await }).await
    }

    /// Delivers queued logouts now. Returns how many went and how many are left.
    pub async fn flush_pending(&self) -> Result<FlushOutcome> {
        self.call(|i| async move { i.flush_pending().await }).await
    }

    /// Logouts waiting for the server. Offline.
    pub fn pending_logouts(&self) -> Result<u32> {
        let queue: Option<Vec<PendingLogout>> = state::load(&self.inner.vault(), state::PENDING_LOGOUTS)?;
        Ok(queue.map_or(0, |q| q.len() as u32))
    }
}

impl Inner {
    async fn logout(&self) -> Result<LogoutOutcome> {
        let now = self.now();
        let (trust_reset, queued_one) = {
            let mut v = self.vault();
            let session: Option<SessionRecord> = state::load(&v, state::SESSION)?;
            let trust: Option<TrustRecord> = state::load(&v, state::TRUST)?;
            // Queue first, wipe second: an interruption in between leaves a logout still to
            // deliver (and the wipe to redo), never a wiped token the server was not told of.
            let queued_one = match session {
                Some(session) => {
                    let mut queue: Vec<PendingLogout> = state::load(&v, state::PENDING_LOGOUTS)?.unwrap_or_default();
                    let trust_token = trust.map(|t| t.token);
                    queue.push(PendingLogout { session: session.session, trust_token, queued_at: now });
                    state::save(&mut v, state::PENDING_LOGOUTS, &queue)?;
                    self.logouts_pending.store(true, Ordering::Release);
                    true
                }
                // Without a session the server cannot be told (logout needs one); the token
                // is wiped here and dies on the server by expiry or "Require codes".
                None => false,
            };
            let trust_reset = lose_trust_in(&mut v, TrustLoss::LoggedOut, now)?.is_some();
            v.delete_state(state::SESSION)?;
            (trust_reset, queued_one)
        };
        self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();

        let (mut delivered, mut trust_revoked) = (false, false);
        if queued_one {
            // A phone on a dead network can wait the whole connect timeout; the user has
            // already been logged out here, so the server part gets a short try and the queue
            // does the rest. A try cut short may still have reached the server: re-sending a
            // logout is harmless (the session is then unknown, and the item is dropped).
            if let Ok(flushed) = tokio::time::timeout(LOGOUT_WAIT, self.flush_inner()).await {
                let flushed = flushed?;
                // Ours was last in the queue; everything delivered means it was.
                delivered = flushed.outcome.remaining == 0;
                trust_revoked = delivered && flushed.last_revoked;
            }
        }
        Ok(LogoutOutcome { trust_reset, delivered, trust_revoked, queued: self.queue_len()? })
    }

    pub(crate) async fn flush_pending(&self) -> Result<FlushOutcome> {
        Ok(self.flush_inner().await?.outcome)
    }

    async fn flush_inner(&self) -> Result<Flushed> {
        let _one_at_a_time = self.flush_lock.lock().await;
        let mut flushed = Flushed::default();
        loop {
            let next = {
                let queue: Vec<PendingLogout> = state::load(&self.vault(), state::PENDING_LOGOUTS)?.unwrap_or_default();
                queue.into_iter().next()
            };
            let Some(item) = next else { break };
            let body = Logout { trust_token: item.trust_token.clone() };
            let sent: Result<LoggedOut> = self.http.post(paths::LOGOUT, Some(&item.session), &body).await;
            match sent {
                Err(e) if e.is_retryable() => break,
                Ok(answer) => {
                    flushed.outcome.delivered += 1;
                    flushed.last_revoked = answer.trust_revoked;
                }
                // A final refusal (session already unknown, say): nothing left to revoke.
                Err(_) => flushed.last_revoked = false,
            }
            self.dequeue(&item)?;
        }
        flushed.outcome.remaining = self.queue_len()?;
        self.logouts_pending.store(flushed.outcome.remaining > 0, Ordering::Release);
        Ok(flushed)
    }

    /// Removes `item` from the stored queue (re-read: a logout may have been queued meanwhile).
    fn dequeue(&self, item: &PendingLogout) -> Result<()> {
        let mut v = self.vault();
        let mut queue: Vec<PendingLogout> = state::load(&v, state::PENDING_LOGOUTS)?.unwrap_or_default();
        if let Some(pos) = queue.iter().position(|q| q == item) {
            queue.remove(pos);
        }
        if queue.is_empty() {
            v.delete_state(state::PENDING_LOGOUTS)?;
        } else {
            state::save(&mut v, state::PENDING_LOGOUTS, &queue)?;
        }
        Ok(())
    }

    fn queue_len(&self) -> Result<u32> {
        let queue: Option<Vec<PendingLogout>> = state::load(&self.vault(), state::PENDING_LOGOUTS)?;
        Ok(queue.map_or(0, |q| q.len() as u32))
    }
}

#[derive(Default)]
struct Flushed {
    outcome: FlushOutcome,
    /// Whether the last delivered logout revoked a trust token.
    last_revoked: bool,
}
