//! The [`Clock`] foreign trait: "now" as the app (or a test) says it, so every flow can run at
//! a fixed instant (design rule 3). Apps leave it out and get the system clock.

use std::sync::Arc;

use twostep_core::clock::{self as core, SystemClock};

/// The current Unix time in seconds.
#[uniffi::export(with_foreign)]
pub trait Clock: Send + Sync {
    fn now_unix_seconds(&self) -> u64;
}

struct ForeignClock(Arc<dyn Clock>);

impl core::Clock for ForeignClock {
    fn now_unix_seconds(&self) -> u64 {
        self.0.now_unix_seconds()
    }
}

/// The app's clock for core, or the system clock when the app gave none.
pub(crate) fn or_system(clock: Option<Arc<dyn Clock>>) -> Arc<dyn core::Clock> {
    match clock {
        Some(c) => Arc::new(ForeignClock(c)),
        None => Arc::new(SystemClock),
    }
}
