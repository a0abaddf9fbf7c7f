//! "Is this you signing in?" on this phone: the pending requests with what the seller needs to
//! judge each (browser, place and network, time, app), the number to type, approve, deny,
//! "This wasn't me", and each request's expiry counted down.
//!
//! Owns what the approvals screen shows and when it changes on its own: while watching, the
//! countdown moves every second, an expired request leaves, and the list is fetched again
//! now and then so a request answered elsewhere disappears. The checks (signatures, pinned
//! key, number matching, fatigue guard) are the client's; the verdict is the server's.

use std::sync::Arc;
use std::time::Duration;

use super::text::{ago, countdown, duration};
use super::watch::{Cell, Listener, Tick, repeat};
use super::words;
use crate::client::{Client, PushInbox, PushRequest};
use crate::protocol::Decision;
use crate::protocol::endpoints::AnswerOutcome;

/// What the approvals screen shows now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ApprovalsState {
    /// This phone can receive requests (it registered for push).
    pub registered: bool,
    /// Newest first.
    pub requests: Vec<ApprovalView>,
    /// "3 sign-in requests in the last 10 minutes. If you did not start them, choose "This
    /// wasn't me"." — shown when more than one came lately.
    pub fatigue_warning: Option<String>,
    /// The outcome of the last answer: "Approved. The sign-in will continue."
    pub notice: Option<String>,
    pub error: Option<String>,
    /// With no request to show: that none is waiting, or why this phone gets none.
    pub empty_message: Option<String>,
}

/// One request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ApprovalView {
    pub challenge_id: String,
    /// "Is this you signing in to seller@example.com?"
    pub title: String,
    /// "Firefox 128 on Linux"
    pub browser: String,
    /// "Seattle, US · 127.0.0.1"
    pub place: String,
    /// "Seller Central"
    pub app: String,
    /// Unix seconds of the sign-in, and the same as "2 minutes ago".
    pub time: u64,
    pub when: String,
    pub seconds_left: u64,
    /// "Expires in 1:42"
    pub expires_in: String,
    /// "Enter the number shown on the sign-in screen to approve."
    pub number_hint: String,
    /// "2 more requests like this one were grouped here."
    pub grouped_note: Option<String>,
    /// Unix seconds.
    pub expires_at: u64,
}

/// How often the approvals screen changes on its own.
#[derive(Clone, Copy, Debug)]
pub struct ApprovalsConfig {
    pub tick_every: Duration,
    /// Every this many ticks the list is fetched again.
    pub fetch_every_ticks: u32,
}

impl Default for ApprovalsConfig {
    fn default() -> Self {
        Self { tick_every: Duration::from_secs(1), fetch_every_ticks: 10 }
    }
}

/// The approvals of one phone.
#[derive(Clone)]
pub struct ApprovalsFlow {
    client: Client,
    config: ApprovalsConfig,
    cell: Arc<Cell<ApprovalsState>>,
}

impl ApprovalsFlow {
    pub fn new(client: Client, config: ApprovalsConfig) -> Self {
        let registered = matches!(client.device_registration(), Ok(Some(_)));
        let mut initial = ApprovalsState { registered, ..Default::default() };
        initial.empty_message = empty_message(&initial);
        Self { client, config, cell: Cell::new(initial) }
    }

    pub fn state(&self) -> ApprovalsState {
        self.cell.get()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn Listener<ApprovalsState>>>) {
        self.cell.listen(listener);
    }

    /// Registers this phone for sign-in requests with the platform's push token.
    pub async fn register(&self, push_token: &str) -> ApprovalsState {
        match self.client.register_device(push_token).await {
            Ok(_) => self.update(|s| {
                s.registered = true;
                s.error = None;
                s.notice = Some("This phone can now approve your sign-ins.".into());
            }),
            Err(e) => self.update(|s| s.error = Some(words::say(&e))),
        }
    }

    /// "Check for requests", and what a push notification triggers.
    pub async fn check_for_requests(&self) -> ApprovalsState {
        match self.client.check_for_requests().await {
            Ok(inbox) => {
                let next = self.inbox_state(inbox);
                self.update(|s| {
                    // The server answered for this phone: it is registered (perhaps by
                    // another flow object, or an earlier run of the app).
                    s.registered = true;
                    s.requests = next.requests;
                    s.fatigue_warning = next.fatigue_warning;
                    s.error = None;
                })
            }
            Err(e) => self.update(|s| s.error = Some(words::say(&e))),
        }
    }

    /// Approves with the number the seller typed, as typed.
    pub async fn approve(&self, challenge_id: &str, typed_number: &str) -> ApprovalsState {
        let number = match typed_number.trim().parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                return self.update(|s| {
                    s.error = Some("Type the number shown on the sign-in screen (two digits) to approve.".into());
                    s.notice = None;
                });
            }
        };
        self.answer(challenge_id, Decision::Approve, number).await
    }

    pub async fn deny(&self, challenge_id: &str) -> ApprovalsState {
        self.answer(challenge_id, Decision::Deny, None).await
    }

    /// "This wasn't me": denies, reports, and mutes that login's requests for a while.
    pub async fn not_me(&self, challenge_id: &str) -> ApprovalsState {
        self.answer(challenge_id, Decision::NotMe, None).await
    }

    /// Starts the countdown and the periodic fetch; the listener hears each change.
    pub fn start_watching(&self) {
        let flow = self.clone();
        let mut ticks = 0u32;
        repeat(&self.cell, self.config.tick_every, move || {
            ticks = ticks.wrapping_add(1);
            let fetch = ticks % flow.config.fetch_every_ticks.max(1) == 0;
            let flow = flow.clone();
            async move {
                if fetch && flow.cell.get().registered {
                    flow.check_for_requests().await;
                }
                Tick::Next(flow.counted_down(flow.cell.get()))
            }
        });
    }

    /// Stops what [`ApprovalsFlow::start_watching`] started (the screen is gone).
    pub fn stop_watching(&self) {
        self.cell.next_generation();
    }

    async fn answer(&self, challenge_id: &str, decision: Decision, number: Option<u32>) -> ApprovalsState {
        let result = self.client.answer(challenge_id, decision, number).await;
        let (notice, error) = match result {
            Ok(AnswerOutcome::Approved) => {
                (Some("Approved. The sign-in will continue on the other device.".into()), None)
            }
            Ok(AnswerOutcome::Denied) => (Some("Denied. That sign-in was stopped.".into()), None),
            Ok(AnswerOutcome::Reported) => (
                Some(
                    "Reported. That sign-in was stopped, and requests for this login are muted for a while. If you \
                     did not try to sign in, change your password."
                        .into(),
                ),
                None,
            ),
            Err(e) => (None, Some(words::say(&e))),
        };
        // Answered, refused or expired: this request is no longer one to answer.
        self.update(|s| {
            s.requests.retain(|r| r.challenge_id != challenge_id);
            s.notice = notice;
            s.error = error;
        })
    }

    fn inbox_state(&self, inbox: PushInbox) -> ApprovalsState {
        let now = self.client.now();
        let requests = inbox.requests.into_iter().map(|r| view(r, now)).collect();
        let fatigue_warning = (inbox.recent > 1).then(|| {
            format!(
                "{} sign-in requests in the last {}. If you did not start them, choose \"This wasn't me\".",
                inbox.recent,
                duration(inbox.window_secs)
            )
        });
        ApprovalsState { requests, fatigue_warning, ..Default::default() }
    }

    /// Every change of the state goes through here, so what an empty list says follows it.
    fn update(&self, change: impl FnOnce(&mut ApprovalsState)) -> ApprovalsState {
        self.cell.update(|s| {
            change(s);
            s.empty_message = empty_message(s);
        })
    }

    fn counted_down(&self, mut state: ApprovalsState) -> ApprovalsState {
        let now = self.client.now();
        state.requests.retain(|r| r.expires_at > now);
        state.empty_message = empty_message(&state);
        for r in &mut state.requests {
            r.seconds_left = r.expires_at.saturating_sub(now);
            r.expires_in = format!("Expires in {}", countdown(r.seconds_left));
            r.when = ago(now.saturating_sub(r.time));
        }
        state
    }
}

/// What the screen says instead of an empty list.
fn empty_message(state: &ApprovalsState) -> Option<String> {
    state.requests.is_empty().then(|| {
        if state.registered {
            "No sign-in requests right now. When you sign in on another device, the request shows here.".into()
        } else {
            "This phone doesn't receive sign-in requests yet: allow notifications for this app so it can approve \
             your sign-ins."
                .into()
        }
    })
}

fn view(r: PushRequest, now: u64) -> ApprovalView {
    let c = r.context;
    let seconds_left = r.expires_at.saturating_sub(now);
    ApprovalView {
        title: format!("Is this you signing in to {}?", r.email.as_deref().unwrap_or("your account")),
        browser: c.browser,
        place: format!("{} · {}", c.location, c.ip),
        app: c.app,
        time: c.time,
        when: ago(now.saturating_sub(c.time)),
        seconds_left,
        expires_in: format!("Expires in {}", countdown(seconds_left)),
        number_hint: "Enter the number shown on the sign-in screen to approve.".into(),
        grouped_note: (r.collapsed > 0).then(|| match r.collapsed {
            1 => "1 more request like this one was grouped here.".to_owned(),
            n => format!("{n} more requests like this one were grouped here."),
        }),
        challenge_id: r.challenge_id,
        expires_at: r.expires_at,
    }
}
