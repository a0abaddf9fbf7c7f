//! `--server URL`: codes by the backend's clock instead of this computer's.
//!
//! Asks the backend for its time once (core's `probe_offset`, from the `Date` header), says
//! the offset on standard error, and warns when this computer's clock is off by more than a
//! code period (its codes would be refused). The rule and the arithmetic are core's.

use std::sync::Arc;

use twostep_core::client::HttpConfig;
use twostep_core::client::runtime;
use twostep_core::client::time::{self, probe_offset};
use twostep_core::clock::SystemClock;

use crate::error::{CliError, network_words};

/// The standard code period, against which "off" is judged.
const PERIOD: u32 = 30;

/// The offset to `url`'s clock in seconds (server − local), announced on standard error.
pub fn offset(url: &str) -> Result<i64, CliError> {
    let owned = url.to_owned();
    let offset =
        runtime::block_on(async move { probe_offset(&owned, &HttpConfig::default(), Arc::new(SystemClock)).await })
            .map_err(|e| CliError::Failed(format!("could not read the server's time: {}", network_words(url, &e))))?;
    eprintln!("clock offset to the server: {offset:+} s (codes use the server's time)");
    if time::is_off(offset, PERIOD) {
        eprintln!(
            "warning: this computer's clock is off by {} s, more than one {PERIOD} s period; \
             codes made from it would be refused, so fix the clock",
            offset.unsigned_abs()
        );
    }
    Ok(offset)
}

/// `now` corrected by the offset to `server`, when one is given.
pub fn now(local_now: u64, server: Option<&str>) -> Result<u64, CliError> {
    match server {
        Some(url) => Ok(time::corrected(local_now, offset(url)?)),
        None => Ok(local_now),
    }
}
