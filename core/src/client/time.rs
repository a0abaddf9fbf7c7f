//! The phone's clock corrected by the server's: the offset learnt from each response's
//! `Date` header, and [`CorrectedClock`], the [`Clock`] the client uses for everything the
//! server judges by time (answers' expiry, device proofs, authenticator codes).
//!
//! Owns the offset rule ([`next_offset`]) and "the phone's clock is off by more than a code
//! period" ([`is_off`]); both pure. Does not own reading the header (that is `http`).
//!
//! Why a dead band: `Date` has one-second resolution and is truncated, so a phone in perfect
//! sync reads an offset of 0 or −1 depending on where in the second the response landed.
//! Following every sample would make the offset (and any code near a period's edge) flicker.
//! A sample within one second of the current offset is noise; anything further is a real
//! change and replaces it at once (a phone whose clock jumped must not wait to be corrected).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use super::error::Result;
use super::http::{Http, HttpConfig};
use super::runtime;
use crate::clock::Clock;
use crate::protocol::endpoints::ServerTime;
use crate::protocol::paths;

/// Samples this close to the current offset (in seconds) do not move it.
pub const DEAD_BAND_SECONDS: i64 = 1;

/// The offset after seeing `sample` (server time − local time at the response), given the
/// current one (`None` before the first response).
pub fn next_offset(current: Option<i64>, sample: i64) -> i64 {
    match current {
        Some(current) if (sample - current).abs() <= DEAD_BAND_SECONDS => current,
        _ => sample,
    }
}

/// Server time minus local time, in seconds, from one response.
pub fn sample(server_date_unix: u64, local_unix: u64) -> i64 {
    // Both are Unix seconds of this era; the difference of two u64 below 2^62 fits in i64.
    server_date_unix as i64 - local_unix as i64
}

/// True when the phone's clock is off by more than one code period: its codes would be
/// refused without correction (servers accept ±1 step), so the app should say so.
pub fn is_off(offset_seconds: i64, period_seconds: u32) -> bool {
    offset_seconds.unsigned_abs() > u64::from(period_seconds)
}

/// Asks the backend at `base_url` for its time once, without signing in, and returns server
/// time − `local` time in seconds (from the response's `Date` header, as every call does).
/// For a desktop or a screen that wants the offset before any other call.
pub async fn probe_offset(base_url: &str, config: &HttpConfig, local: Arc<dyn Clock>) -> Result<i64> {
    let offset = Arc::new(ClockOffset::new());
    let http = Http::new(base_url, config, local, offset.clone())?;
    runtime::run(async move {
        http.get::<ServerTime>(paths::TIME, None).await?;
        Ok(offset.get().unwrap_or(0))
    })
    .await
}

/// `local + offset`, saturating at the ends of time instead of wrapping.
pub fn corrected(local_unix: u64, offset_seconds: i64) -> u64 {
    local_unix.saturating_add_signed(offset_seconds)
}

/// The offset as the client knows it, shared by the HTTP layer (which writes it) and every
/// [`CorrectedClock`] (which reads it).
#[derive(Debug, Default)]
pub struct ClockOffset {
    seconds: AtomicI64,
    known: AtomicBool,
}

impl ClockOffset {
    pub fn new() -> Self {
        Self::default()
    }

    /// The offset in seconds, `None` until a response with a `Date` header was seen.
    pub fn get(&self) -> Option<i64> {
        self.known.load(Ordering::Acquire).then(|| self.seconds.load(Ordering::Acquire))
    }

    /// Records one response's `Date` against the local clock read when it arrived.
    pub fn observe(&self, server_date_unix: u64, local_unix: u64) {
        let next = next_offset(self.get(), sample(server_date_unix, local_unix));
        self.seconds.store(next, Ordering::Release);
        self.known.store(true, Ordering::Release);
    }
}

/// The local clock moved by the server offset: "now" as the server sees it.
#[derive(Clone)]
pub struct CorrectedClock {
    local: Arc<dyn Clock>,
    offset: Arc<ClockOffset>,
}

impl std::fmt::Debug for CorrectedClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorrectedClock").field("offset", &self.offset.get()).finish_non_exhaustive()
    }
}

impl CorrectedClock {
    pub fn new(local: Arc<dyn Clock>, offset: Arc<ClockOffset>) -> Self {
        Self { local, offset }
    }

    /// The uncorrected phone clock.
    pub fn local(&self) -> &Arc<dyn Clock> {
        &self.local
    }

    pub fn offset(&self) -> &Arc<ClockOffset> {
        &self.offset
    }

    /// The offset in seconds (0 while unknown).
    pub fn offset_seconds(&self) -> Option<i64> {
        self.offset.get()
    }
}

impl Clock for CorrectedClock {
    fn now_unix_seconds(&self) -> u64 {
        corrected(self.local.now_unix_seconds(), self.offset.get().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn the_first_response_sets_the_offset() {
        assert_eq!(next_offset(None, 0), 0);
        assert_eq!(next_offset(None, -1), -1);
        assert_eq!(next_offset(None, 300), 300);
    }

    #[test]
    fn a_one_second_jitter_from_date_truncation_is_ignored() {
        assert_eq!(next_offset(Some(0), -1), 0);
        assert_eq!(next_offset(Some(0), 1), 0);
        assert_eq!(next_offset(Some(300), 299), 300);
    }

    #[test]
    fn a_real_change_is_followed_at_once() {
        assert_eq!(next_offset(Some(0), 2), 2);
        assert_eq!(next_offset(Some(300), -5), -5);
    }

    #[test]
    fn a_phone_behind_the_server_reads_a_positive_offset() {
        assert_eq!(sample(1_000_300, 1_000_000), 300);
        assert_eq!(sample(1_000_000, 1_000_300), -300);
    }

    #[test]
    fn a_clock_off_by_more_than_one_period_is_flagged() {
        assert!(!is_off(0, 30));
        assert!(!is_off(30, 30));
        assert!(!is_off(-30, 30));
        assert!(is_off(31, 30));
        assert!(is_off(-31, 30));
        assert!(is_off(i64::MIN, 30));
    }

    #[test]
    fn the_corrected_clock_adds_the_offset_to_the_local_clock() {
        let local = Arc::new(FixedClock::at(1_000_000));
        let offset = Arc::new(ClockOffset::new());
        let clock = CorrectedClock::new(local.clone(), offset.clone());
        assert_eq!(clock.now_unix_seconds(), 1_000_000, "no offset known yet");
        offset.observe(1_000_300, 1_000_000);
        assert_eq!(clock.offset_seconds(), Some(300));
        assert_eq!(clock.now_unix_seconds(), 1_000_300);
        local.advance(10);
        assert_eq!(clock.now_unix_seconds(), 1_000_310);
    }

    #[test]
    fn correction_saturates_instead_of_wrapping() {
        assert_eq!(corrected(5, -10), 0);
        assert_eq!(corrected(u64::MAX - 1, 10), u64::MAX);
    }
}
