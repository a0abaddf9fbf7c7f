//! How entries and codes are written: aligned tables for people, JSON for scripts, the
//! countdown bar, and writing to standard output.
//!
//! Owns layout only. The code, its grouping, the seconds left and the next code come from
//! core's `CodeView`; nothing here computes a code or touches a secret.

use std::io::Write;

use serde::Serialize;
use twostep_core::otp::Kind;
use twostep_core::otp::display::CodeView;
use twostep_core::vault::Entry;

use crate::error::CliError;

/// Characters of an id shown in tables; [`crate::select`] takes any prefix of 4 or more.
pub const SHORT_ID: usize = 8;

/// Writes `text` to standard output; a closed pipe stops the command quietly.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The notes of a URI read the lenient way (core's wording), one `note:` line each on
/// standard error, with the command that helps where there is one.
pub fn print_notes(notes: &[twostep_core::otp::uri::Leniency]) {
    use twostep_core::otp::uri::Leniency;
    for note in notes {
        match note {
            Leniency::HotpCounterMissing => {
                eprintln!("note: {note}; if its codes are refused, `twostep resync` finds the counter")
            }
            other => eprintln!("note: {other}"),
        }
    }
}

/// True for text that may be an otpauth URI and so may hold a secret: never echo it.
pub fn looks_like_uri(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("otpauth") || lower.contains("secret=")
}

pub fn short_id(id: &str) -> &str {
    id.get(..SHORT_ID).unwrap_or(id)
}

/// "Issuer (account)", or whichever of the two exists.
pub fn name(issuer: &str, account: &str) -> String {
    match (issuer.is_empty(), account.is_empty()) {
        (true, _) => account.to_owned(),
        (false, true) => issuer.to_owned(),
        (false, false) => format!("{issuer} ({account})"),
    }
}

/// What kind of codes an entry makes, e.g. "totp, SHA1, 6 digits, every 30 s".
pub fn describe(kind: Kind, algorithm: &str, digits: u8) -> String {
    match kind {
        Kind::Totp { period } => format!("totp, {algorithm}, {digits} digits, every {period} s"),
        Kind::Hotp { counter } => format!("hotp, {algorithm}, {digits} digits, counter {counter}"),
        Kind::Steam { period } => format!("steam, {digits} characters, every {period} s"),
    }
}

/// One entry on one line: short id, name, kind — for lists of candidates and confirmations.
pub fn one_line(e: &Entry) -> String {
    format!(
        "{}  {}  [{}]",
        short_id(&e.id),
        name(&e.issuer, &e.account),
        describe(e.params.kind, e.params.algorithm.as_str(), e.params.digits)
    )
}

/// Rows padded into columns two spaces apart, each line ending in a newline.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', widths[c] - cell.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The `list` table: id, issuer, account, kind.
pub fn entry_table(entries: &[Entry]) -> String {
    let mut rows = vec![vec!["ID".into(), "ISSUER".into(), "ACCOUNT".into(), "KIND".into()]];
    rows.extend(entries.iter().map(|e| {
        vec![
            short_id(&e.id).to_owned(),
            e.issuer.clone(),
            e.account.clone(),
            describe(e.params.kind, e.params.algorithm.as_str(), e.params.digits),
        ]
    }));
    table(&rows)
}

/// One entry in `list --json`. The field names are an interface for scripts: keep them.
#[derive(Serialize)]
struct EntryJson<'a> {
    id: &'a str,
    issuer: &'a str,
    account: &'a str,
    kind: &'static str,
    algorithm: &'static str,
    digits: u8,
    period: Option<u32>,
    counter: Option<u64>,
    position: u32,
}

/// The `list --json` document: an array in the vault's order, with a final newline.
pub fn entry_json(entries: &[Entry]) -> String {
    let items: Vec<EntryJson<'_>> = entries
        .iter()
        .map(|e| EntryJson {
            id: &e.id,
            issuer: &e.issuer,
            account: &e.account,
            kind: e.params.kind.name(),
            algorithm: e.params.algorithm.as_str(),
            digits: e.params.digits,
            period: e.params.kind.period(),
            counter: match e.params.kind {
                Kind::Hotp { counter } => Some(counter),
                _ => None,
            },
            position: e.position,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).expect("plain data always serializes");
    text.push('\n');
    text
}

/// The time column of a code row: "12s left", with the next code in the period's last
/// seconds (when the core's view carries it).
pub fn time_left(view: &CodeView) -> String {
    match &view.timing {
        None => String::new(),
        Some(t) => match &t.next_grouped {
            Some(next) => format!("{}s left, next {next}", t.seconds_left),
            None => format!("{}s left", t.seconds_left),
        },
    }
}

/// A countdown bar of `width` cells, full at the start of a period and emptying as it ends:
/// `[#######---]`.
pub fn bar(seconds_left: u32, period: u32, width: usize) -> String {
    let filled = if period == 0 {
        0
    } else {
        ((u64::from(seconds_left.min(period)) * width as u64 + u64::from(period) / 2) / u64::from(period)) as usize
    };
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns_and_trim_line_ends() {
        let rows = vec![vec!["a".into(), "bb".into(), "".into()], vec!["ccc".into(), "d".into(), "".into()]];
        assert_eq!(table(&rows), "a    bb\nccc  d\n");
    }

    #[test]
    fn the_bar_empties_as_the_period_ends() {
        assert_eq!(bar(30, 30, 10), "[##########]");
        assert_eq!(bar(15, 30, 10), "[#####-----]");
        assert_eq!(bar(1, 30, 10), "[----------]");
        assert_eq!(bar(0, 0, 4), "[----]");
    }

    #[test]
    fn names_leave_out_what_is_missing() {
        assert_eq!(name("GitHub", "ada"), "GitHub (ada)");
        assert_eq!(name("", "ada"), "ada");
        assert_eq!(name("GitHub", ""), "GitHub");
    }

    #[test]
    fn uris_are_recognised_in_any_case() {
        assert!(looks_like_uri("OTPAUTH://totp/x"));
        assert!(looks_like_uri("x?Secret=ABC"));
        assert!(!looks_like_uri("github"));
    }
}
