//! Reading an import file: one otpauth URI per line, blank lines and `#` comments skipped.
//!
//! Owns the file format and naming the line at fault. Each line goes through core's
//! `otp::uri::parse`, whose errors name the field and never quote the line. Storing is the
//! caller's (one `Vault::add_all` transaction, so a bad file adds nothing).
//!
//! This belongs in core once it grows an `import` module (phones import the same lists).

use twostep_core::otp::Credential;
use twostep_core::otp::uri::{self, UriError};

/// A line that was refused: its 1-based number and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub error: UriError,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

/// Every credential of the file with the number of its line, or the first refused line.
pub fn parse_uri_list(text: &str) -> Result<Vec<(usize, Credential)>, LineError> {
    let mut credentials = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let credential = uri::parse(line).map_err(|error| LineError { line: index + 1, error })?;
        credentials.push((index + 1, credential));
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno";

    #[test]
    fn blank_lines_and_comments_are_skipped_and_lines_keep_their_numbers() {
        let text = format!("# exported\n\n{GOOD}\r\n   \n  # another\n{GOOD}\n");
        let lines: Vec<usize> = parse_uri_list(&text).unwrap().into_iter().map(|(l, _)| l).collect();
        assert_eq!(lines, [3, 6]);
    }

    #[test]
    fn a_bad_line_is_named_with_its_field_and_not_quoted() {
        let text = format!("{GOOD}\n\notpauth://totp/X:y?secret=NOT-BASE32-AT-ALL\n");
        let e = parse_uri_list(&text).unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.error.field(), "secret");
        assert!(!e.to_string().contains("NOT-BASE32"), "{e}");
    }
}
