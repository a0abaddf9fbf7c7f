//! A plain list of otpauth URIs: one per line, blank lines and `#` comments skipped.
//!
//! Each line goes through [`crate::otp::uri::parse`] and [`Credential::validate`], whose
//! errors name the field and never quote the line (a URI holds the secret). `read` (what
//! [`super::read`] uses) keeps every line, refused ones included, for the preview;
//! [`parse_uri_list`] and [`parse_uris`] stop at the first refused line.

use crate::otp::Credential;
use crate::otp::uri::{self, UriError};

use super::{Place, Raw, finish};

/// Every URI line of `text` (blank lines and `#` comments skipped), each a credential or why
/// it was refused.
pub(crate) fn read(text: &str) -> Vec<Raw> {
    uri_lines(text)
        .map(|(line, item)| (Place::Line(line), uri::parse(item).map_err(Into::into).and_then(finish)))
        .collect()
}

/// The lines that hold a URI, with their 1-based numbers.
pub(crate) fn uri_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let lines = text.lines().enumerate().map(|(i, line)| (i + 1, line.trim()));
    lines.filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

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
    parse_numbered(uri_lines(text))
}

/// URIs given one by one (a list from an app screen): numbered by position from 1, every
/// item must be a URI.
pub fn parse_uris<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Vec<Credential>, LineError> {
    let numbered = items.into_iter().enumerate().map(|(i, item)| (i + 1, item.trim()));
    Ok(parse_numbered(numbered)?.into_iter().map(|(_, c)| c).collect())
}

fn parse_numbered<'a>(items: impl Iterator<Item = (usize, &'a str)>) -> Result<Vec<(usize, Credential)>, LineError> {
    items
        .map(|(line, item)| {
            let at = |error: UriError| LineError { line, error };
            let credential = uri::parse(item).map_err(at)?;
            credential.validate().map_err(|e| at(e.into()))?;
            Ok((line, credential))
        })
        .collect()
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

    #[test]
    fn a_name_the_vault_would_refuse_is_named_with_its_line() {
        let long = "x".repeat(300);
        let text = format!("{GOOD}\notpauth://totp/{long}:y?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ\n");
        let e = parse_uri_list(&text).unwrap_err();
        assert_eq!((e.line, e.error.field()), (2, "issuer"));
    }

    #[test]
    fn items_are_numbered_by_position_and_an_empty_item_is_refused() {
        let e = parse_uris([GOOD, "", GOOD]).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(parse_uris([GOOD, GOOD]).unwrap().len(), 2);
    }
}
