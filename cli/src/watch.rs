//! `twostep watch [QUERY]`: live codes, redrawn every second with a countdown bar.
//!
//! In a terminal it takes the whole screen (the alternate screen, so no code stays on screen
//! after exit) in raw mode, and ends on `q`, Esc or Ctrl-C, giving the terminal back as it
//! was even on an error. Each frame fits the terminal's width (80 columns when it cannot be
//! told): on a narrow terminal the countdown bar is left out first, then names are shortened
//! with `…`, and any line still too long is cut, never wrapped. Piped, it prints frame after frame (for scripts, with `--frames`).
//!
//! Each refresh is one `Vault::codes` call, as an app's code screen would make. HOTP entries
//! are listed without a code (making one would use up a counter value). The vault is only
//! read, so however the process ends, nothing is lost.

use std::io::{IsTerminal, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use twostep_core::vault::{Entry, EntryCode};

use crate::args::{VaultArgs, WatchArgs};
use crate::error::CliError;
use crate::output::{self, short_id};
use crate::{select, server_clock, unlock};

/// Cells of the countdown bar.
const BAR_WIDTH: usize = 10;
/// The width assumed when the terminal does not say (and for piped output).
const DEFAULT_WIDTH: usize = 80;
/// The narrowest a name column is shortened to before lines are cut instead.
const MIN_NAME: usize = 8;

pub fn run(vault_args: &VaultArgs, args: &WatchArgs) -> Result<(), CliError> {
    let vault = unlock::open(vault_args)?;
    let all = vault.list();
    let entries: Vec<Entry> = select::select_some(&all, args.query.as_deref())?.into_iter().cloned().collect();
    if entries.is_empty() {
        eprintln!("the vault is empty; `twostep add URI` adds an entry");
        return Ok(());
    }
    // Read once: the offset of a clock does not change while we watch.
    let offset = match &args.server {
        Some(url) => server_clock::offset(url)?,
        None => 0,
    };
    let now = |frame: u64| match args.at {
        Some(start) => start.saturating_add(frame),
        None => twostep_core::client::time::corrected(vault.now(), offset),
    };
    let frame_text = |frame: u64, width: usize| {
        let t = now(frame);
        render(&entries, &vault.codes(t), t, width)
    };
    if std::io::stdout().is_terminal() {
        let screen = Screen::enter()?;
        let result = screen.run(args, frame_text);
        drop(screen);
        result
    } else {
        let mut frame = 0;
        loop {
            let mut text = if frame > 0 { "\n".to_owned() } else { String::new() };
            text.push_str(&frame_text(frame, DEFAULT_WIDTH));
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
}

/// The terminal while `watch` owns it; dropping it gives the terminal back.
struct Screen;

impl Screen {
    fn enter() -> Result<Self, CliError> {
        terminal::enable_raw_mode().map_err(terminal_error)?;
        // From here on Drop restores raw mode, whatever fails next.
        let screen = Screen;
        execute!(std::io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(screen)
    }

    /// Draws a frame every second until a quit key, or `--frames` frames.
    fn run(&self, args: &WatchArgs, frame_text: impl Fn(u64, usize) -> String) -> Result<(), CliError> {
        let mut frame = 0;
        loop {
            let width = terminal::size().ok().map(|(w, _)| usize::from(w)).filter(|w| *w > 0).unwrap_or(DEFAULT_WIDTH);
            // Raw mode does not turn "\n" into a new line at the left edge.
            let text = frame_text(frame, width).replace('\n', "\r\n");
            let mut out = std::io::stdout().lock();
            write!(out, "\x1b[H\x1b[2J{text}")?;
            out.flush()?;
            drop(out);
            frame += 1;
            if args.frames.is_some_and(|n| frame >= n) {
                return Ok(());
            }
            let wait = if args.at.is_some() { Duration::from_millis(200) } else { until_next_second() };
            if quit_pressed(wait)? {
                return Ok(());
            }
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
        let _ = terminal::disable_raw_mode();
    }
}

/// Waits up to `wait` for a key; true for `q`, Esc or Ctrl-C (raw mode turns Ctrl-C into a key).
fn quit_pressed(wait: Duration) -> Result<bool, CliError> {
    let deadline = std::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if !event::poll(left).map_err(terminal_error)? {
            return Ok(false);
        }
        if let Event::Key(KeyEvent { code, modifiers, kind: KeyEventKind::Press, .. }) =
            event::read().map_err(terminal_error)?
        {
            let ctrl_c = code == KeyCode::Char('c') && modifiers.contains(KeyModifiers::CONTROL);
            if ctrl_c || matches!(code, KeyCode::Char('q') | KeyCode::Char('Q') | KeyCode::Esc) {
                return Ok(true);
            }
        }
    }
}

fn terminal_error(e: std::io::Error) -> CliError {
    CliError::Failed(format!("the terminal could not be used: {}", crate::error::io_words(&e)))
}

/// One frame: a header, then per entry its id, name, code, countdown bar and seconds left,
/// no line longer than `width`.
pub fn render(entries: &[Entry], codes: &[EntryCode], now: u64, width: usize) -> String {
    let mut rows = Vec::with_capacity(codes.len());
    for code in codes {
        let Some(entry) = entries.iter().find(|e| e.id == code.id) else { continue };
        let id = short_id(&entry.id).to_owned();
        let name = output::name(&entry.issuer, &entry.account);
        rows.push(match &code.code {
            Some(view) => match &view.timing {
                Some(t) => vec![
                    id,
                    name,
                    view.grouped.clone(),
                    output::bar(t.seconds_left, t.period, BAR_WIDTH),
                    output::time_left(view),
                ],
                None => vec![id, name, view.grouped.clone()],
            },
            // The hint goes in the last column, so it does not widen the bar's.
            None => vec![id.clone(), name, "-".into(), String::new(), format!("hotp: twostep code {id}")],
        });
    }
    // Narrow terminal: the bar goes first (the seconds left say the same), then names shrink.
    let widest = |rows: &[Vec<String>]| output::table(rows).lines().map(|l| l.chars().count()).max().unwrap_or(0);
    if widest(&rows) > width {
        for row in rows.iter_mut().filter(|r| r.len() > 3) {
            row.remove(3);
        }
    }
    fit_names(&mut rows, width);
    let header = format!("Codes at {} UTC (q to quit)", clock_time(now));
    let mut text = clip(&header, width);
    text.push_str("\n\n");
    for line in output::table(&rows).lines() {
        text.push_str(&clip(line, width));
        text.push('\n');
    }
    text
}

/// Shortens the name column (the second) so that the widest row fits `width`.
fn fit_names(rows: &mut [Vec<String>], width: usize) {
    let cells = |r: &Vec<String>, c: usize| r.get(c).map_or(0, |s| s.chars().count());
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns).map(|c| rows.iter().map(|r| cells(r, c)).max().unwrap_or(0)).collect();
    // Columns are aligned across rows: every other column takes its widest cell and a gap.
    let others: usize = widths.iter().enumerate().filter(|(c, _)| *c != 1).map(|(_, w)| w + 2).sum();
    let room = width.saturating_sub(others).max(MIN_NAME);
    for row in rows.iter_mut() {
        if let Some(name) = row.get_mut(1) {
            if name.chars().count() > room {
                *name = name.chars().take(room - 1).chain(std::iter::once('…')).collect();
            }
        }
    }
}

/// A line cut to `width` characters.
fn clip(line: &str, width: usize) -> String {
    line.chars().take(width).collect()
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

    #[test]
    fn long_names_are_shortened_to_fit_the_width() {
        let mut rows = vec![vec!["abcd1234".into(), "x".repeat(100), "123 456".into()]];
        fit_names(&mut rows, 40);
        let line = output::table(&rows);
        assert_eq!(line.trim_end().chars().count(), 40, "{line}");
        assert!(rows[0][1].ends_with('…'));
    }
}
