//! `twostep watch`: live codes, redrawn every second with a countdown bar, until Ctrl-C.
//!
//! Each refresh is one `Vault::codes` call, as an app's code screen would make. HOTP entries
//! are listed without a code (making one would use up a counter value). The vault is only
//! read, so ending the process with Ctrl-C (the default signal action) loses nothing.

use std::io::IsTerminal;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use twostep_core::vault::{Entry, EntryCode};

use crate::args::{VaultArgs, WatchArgs};
use crate::error::CliError;
use crate::output::{self, short_id};
use crate::{server_clock, unlock};

/// Cells of the countdown bar.
const BAR_WIDTH: usize = 20;
/// Clears the terminal and moves the cursor home.
const CLEAR: &str = "\x1b[H\x1b[2J";

pub fn run(vault_args: &VaultArgs, args: &WatchArgs) -> Result<(), CliError> {
    let vault = unlock::open(vault_args)?;
    let entries = vault.list();
    if entries.is_empty() {
        eprintln!("the vault is empty; `twostep add URI` adds an entry");
        return Ok(());
    }
    // Read once: the offset of a clock does not change while we watch.
    let offset = match &args.server {
        Some(url) => server_clock::offset(url)?,
        None => 0,
    };
    let redraw = std::io::stdout().is_terminal();
    let mut frame: u64 = 0;
    loop {
        let now = match args.at {
            Some(start) => start.saturating_add(frame),
            None => twostep_core::client::time::corrected(vault.now(), offset),
        };
        let mut text = String::new();
        if redraw {
            text.push_str(CLEAR);
        } else if frame > 0 {
            text.push('\n');
        }
        text.push_str(&render(&entries, &vault.codes(now), now));
        output::print(&text)?;
        frame += 1;
        if args.frames.is_some_and(|n| frame >= n) {
            return Ok(());
        }
        if args.at.is_none() {
            std::thread::sleep(until_next_second());
        }
    }
}

/// One frame: a header, then per entry its names, code, countdown bar and seconds left.
pub fn render(entries: &[Entry], codes: &[EntryCode], now: u64) -> String {
    let mut rows = Vec::with_capacity(codes.len());
    for code in codes {
        let Some(entry) = entries.iter().find(|e| e.id == code.id) else { continue };
        let mut row = vec![short_id(&entry.id).to_owned(), entry.issuer.clone(), entry.account.clone()];
        match &code.code {
            Some(view) => {
                row.push(view.grouped.clone());
                match &view.timing {
                    Some(t) => {
                        row.push(output::bar(t.seconds_left, t.period, BAR_WIDTH));
                        row.push(output::time_left(view));
                    }
                    None => row.extend([String::new(), String::new()]),
                }
            }
            None => {
                row.extend(["-".into(), String::new()]);
                row.push(format!("hotp: `twostep code {}`", short_id(&entry.id)));
            }
        }
        rows.push(row);
    }
    format!("Codes at {} UTC (Ctrl-C to quit)\n\n{}", clock_time(now), output::table(&rows))
}

/// "hh:mm:ss" of a Unix time, in UTC.
fn clock_time(unix_seconds: u64) -> String {
    let s = unix_seconds % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Sleeping to the next whole second keeps the countdown in step with the code changes.
fn until_next_second() -> Duration {
    let into = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    Duration::from_nanos(u64::from(1_000_000_000 - into.min(999_999_999)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_time_is_utc_hours_minutes_seconds() {
        assert_eq!(clock_time(0), "00:00:00");
        assert_eq!(clock_time(59), "00:00:59");
        assert_eq!(clock_time(1_111_111_109), "01:58:29");
    }
}
