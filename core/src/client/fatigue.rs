//! The fatigue guard: what the phone does against a flood of "Is this you signing in?"
//! requests (push fatigue: an attacker with the password pushes until the user taps yes).
//!
//! Three rules, all pure functions of the requests and an explicit `now`:
//!
//! - **Recent count.** How many requests came in the last [`FatigueConfig::window_secs`]
//!   (by their issue time, so requests that piled up while the phone was offline count),
//!   each request once however often it is fetched. The app shows "5 requests in the last
//!   10 minutes" above the request: many is a warning sign.
//! - **Duplicates collapse.** Requests for the same login from the same context (IP,
//!   location, browser, app), each within [`FatigueConfig::duplicate_window_secs`] of the
//!   next, are shown once: the newest (its number is the one on the sign-in screen), with
//!   the count of the ones it stands for.
//! - **Mute after "this wasn't me".** That login's requests are not shown for
//!   [`FatigueConfig::mute_secs`]; they are still counted, so the app can say "3 requests
//!   were hidden".
//!
//! State lives in memory: a restarted app starts unmuted, which fails safe (requests are
//! shown, never silently approved). The server rate-limits challenges on its side.

use std::collections::{HashMap, HashSet};

use crate::protocol::Challenge;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FatigueConfig {
    /// The "lately" of the recent count.
    pub window_secs: u64,
    /// How close in time two requests from one context must be to count as one.
    pub duplicate_window_secs: u64,
    /// How long "this wasn't me" hides a login's requests.
    pub mute_secs: u64,
}

impl Default for FatigueConfig {
    fn default() -> Self {
        Self { window_secs: 10 * 60, duplicate_window_secs: 2 * 60, mute_secs: 30 * 60 }
    }
}

/// A request to show, standing for itself and `collapsed` older duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub challenge: Challenge,
    pub collapsed: u32,
}

/// The outcome of one look at the pending requests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Triage {
    /// Newest first.
    pub shown: Vec<Shown>,
    /// Pending requests hidden because their login is muted.
    pub muted: u32,
}

#[derive(Clone, Debug)]
struct Arrival {
    id: String,
    issued_at: u64,
}

#[derive(Debug)]
pub struct FatigueGuard {
    config: FatigueConfig,
    /// Requests issued within the window, each once.
    arrivals: Vec<Arrival>,
    seen: HashSet<String>,
    /// Login → muted until (exclusive).
    muted_until: HashMap<String, u64>,
    /// Distinct requests ever hidden by a mute.
    muted_ids: HashSet<String>,
}

impl FatigueGuard {
    pub fn new(config: FatigueConfig) -> Self {
        Self {
            config,
            arrivals: Vec::new(),
            seen: HashSet::new(),
            muted_until: HashMap::new(),
            muted_ids: HashSet::new(),
        }
    }

    pub fn config(&self) -> FatigueConfig {
        self.config
    }

    /// Records the pending requests (already verified) and decides what to show.
    pub fn triage(&mut self, pending: Vec<Challenge>, now: u64) -> Triage {
        self.prune(now);
        for c in &pending {
            if self.seen.insert(c.id.clone()) {
                self.arrivals.push(Arrival { id: c.id.clone(), issued_at: c.issued_at });
            }
        }

        let mut pending = pending;
        // Newest first; ties by id so the outcome does not depend on the server's order.
        pending.sort_by(|a, b| b.issued_at.cmp(&a.issued_at).then_with(|| a.id.cmp(&b.id)));
        let mut triage = Triage::default();
        // Per shown group: the issue time of its oldest member so far (the chain's end).
        let mut chain_end: Vec<u64> = Vec::new();
        for c in pending {
            if self.is_muted(&c.login, now) {
                self.muted_ids.insert(c.id.clone());
                triage.muted += 1;
                continue;
            }
            let group = triage.shown.iter().zip(&chain_end).position(|(s, &end)| {
                same_context(&s.challenge, &c) && end.saturating_sub(c.issued_at) <= self.config.duplicate_window_secs
            });
            match group {
                Some(i) => {
                    triage.shown[i].collapsed += 1;
                    chain_end[i] = c.issued_at;
                }
                None => {
                    chain_end.push(c.issued_at);
                    triage.shown.push(Shown { challenge: c, collapsed: 0 });
                }
            }
        }
        triage
    }

    /// How many requests were issued in the last window, each counted once.
    pub fn recent(&self, now: u64) -> u32 {
        let since = now.saturating_sub(self.config.window_secs);
        self.arrivals.iter().filter(|a| a.issued_at > since).count() as u32
    }

    /// "This wasn't me": hides `login`'s requests from `now` for the mute period.
    pub fn mute(&mut self, login: &str, now: u64) {
        self.muted_until.insert(login.to_owned(), now.saturating_add(self.config.mute_secs));
    }

    pub fn is_muted(&self, login: &str, now: u64) -> bool {
        self.muted_until(login, now).is_some()
    }

    /// When `login`'s mute ends, if it is muted at `now`.
    pub fn muted_until(&self, login: &str, now: u64) -> Option<u64> {
        self.muted_until.get(login).copied().filter(|&until| now < until)
    }

    /// Distinct requests hidden by mutes so far.
    pub fn muted_total(&self) -> u32 {
        self.muted_ids.len() as u32
    }

    fn prune(&mut self, now: u64) {
        let since = now.saturating_sub(self.config.window_secs);
        let seen = &mut self.seen;
        self.arrivals.retain(|a| {
            let keep = a.issued_at > since;
            if !keep {
                // A request older than the window is never pending any more (challenges
                // last minutes), so forgetting it cannot make it count twice.
                seen.remove(&a.id);
            }
            keep
        });
        self.muted_until.retain(|_, &mut until| now < until);
    }
}

/// Same login, same place, same browser and app: the user cannot tell the two apart.
fn same_context(a: &Challenge, b: &Challenge) -> bool {
    a.login == b.login
        && a.context.ip == b.context.ip
        && a.context.location == b.context.location
        && a.context.browser == b.context.browser
        && a.context.app == b.context.app
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ChallengeContext;

    const T: u64 = 1_700_000_000;

    fn challenge(id: &str, login: &str, ip: &str, issued_at: u64) -> Challenge {
        Challenge {
            v: 1,
            id: id.into(),
            login: login.into(),
            device_id: "dev".into(),
            issued_at,
            expires_at: issued_at + 300,
            nonce: format!("nonce-{id}"),
            context: ChallengeContext {
                ip: ip.into(),
                location: "Seattle, US".into(),
                browser: "Firefox on Linux".into(),
                app: "Seller Central".into(),
                time: issued_at,
            },
        }
    }

    fn guard() -> FatigueGuard {
        FatigueGuard::new(FatigueConfig::default())
    }

    #[test]
    fn a_single_request_is_shown_and_counted() {
        let mut g = guard();
        let t = g.triage(vec![challenge("a", "ada", "1.2.3.4", T)], T + 1);
        assert_eq!(t.shown.len(), 1);
        assert_eq!(t.shown[0].collapsed, 0);
        assert_eq!(g.recent(T + 1), 1);
    }

    #[test]
    fn fetching_the_same_request_again_does_not_count_it_twice() {
        let mut g = guard();
        g.triage(vec![challenge("a", "ada", "1.2.3.4", T)], T + 1);
        g.triage(vec![challenge("a", "ada", "1.2.3.4", T)], T + 20);
        assert_eq!(g.recent(T + 20), 1);
    }

    #[test]
    fn recent_counts_only_the_last_window() {
        let mut g = guard();
        g.triage(vec![challenge("old", "ada", "1.2.3.4", T)], T);
        let later = T + 11 * 60;
        g.triage(vec![challenge("new", "ada", "1.2.3.4", later)], later);
        assert_eq!(g.recent(later), 1);
    }

    #[test]
    fn duplicates_from_one_context_collapse_into_the_newest() {
        let mut g = guard();
        let t = g.triage(
            vec![
                challenge("a", "ada", "1.2.3.4", T),
                challenge("b", "ada", "1.2.3.4", T + 30),
                challenge("c", "ada", "1.2.3.4", T + 60),
            ],
            T + 61,
        );
        assert_eq!(t.shown.len(), 1);
        assert_eq!(t.shown[0].challenge.id, "c");
        assert_eq!(t.shown[0].collapsed, 2);
        assert_eq!(g.recent(T + 61), 3, "each request still counts as one that came in");
    }

    #[test]
    fn requests_from_another_ip_are_not_duplicates() {
        let mut g = guard();
        let t = g.triage(vec![challenge("a", "ada", "1.2.3.4", T), challenge("b", "ada", "5.6.7.8", T + 1)], T + 2);
        assert_eq!(t.shown.len(), 2);
        assert_eq!(t.shown[0].challenge.id, "b", "newest first");
    }

    #[test]
    fn requests_far_apart_are_not_duplicates() {
        let mut g = guard();
        let t = g.triage(vec![challenge("a", "ada", "1.2.3.4", T), challenge("b", "ada", "1.2.3.4", T + 121)], T + 122);
        assert_eq!(t.shown.len(), 2);
    }

    #[test]
    fn this_wasnt_me_mutes_that_login_for_thirty_minutes() {
        let mut g = guard();
        g.mute("ada", T);
        let t = g.triage(vec![challenge("a", "ada", "1.2.3.4", T + 5), challenge("b", "bob", "1.2.3.4", T + 5)], T + 6);
        assert_eq!(t.shown.len(), 1);
        assert_eq!(t.shown[0].challenge.login, "bob");
        assert_eq!(t.muted, 1);
        assert_eq!(g.muted_total(), 1);
        assert_eq!(g.recent(T + 6), 2, "muted requests are counted");
        assert_eq!(g.muted_until("ada", T + 6), Some(T + 30 * 60));

        let after = T + 30 * 60;
        assert!(!g.is_muted("ada", after));
        let t = g.triage(vec![challenge("c", "ada", "1.2.3.4", after)], after);
        assert_eq!(t.shown.len(), 1);
        assert_eq!(t.muted, 0);
    }

    #[test]
    fn a_muted_request_fetched_twice_is_counted_once() {
        let mut g = guard();
        g.mute("ada", T);
        g.triage(vec![challenge("a", "ada", "1.2.3.4", T + 5)], T + 6);
        g.triage(vec![challenge("a", "ada", "1.2.3.4", T + 5)], T + 7);
        assert_eq!(g.muted_total(), 1);
    }
}
