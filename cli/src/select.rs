//! Which entries a QUERY names: an exact id, an id prefix, or part of a name.
//!
//! The rule (also in `twostep code --help`): an entry whose id equals QUERY is chosen alone;
//! otherwise every entry whose id starts with QUERY (4 or more hex digits) or whose issuer,
//! account or `issuer:account` contains QUERY, ignoring case. Commands that change one entry
//! ask for exactly one; ambiguity is an error that lists the candidates.

use twostep_core::vault::Entry;

use crate::error::CliError;
use crate::output;

/// Shortest id prefix taken as an id (shorter hex strings are only name queries).
const MIN_ID_PREFIX: usize = 4;

/// The entries QUERY selects, in the vault's order; all of them without QUERY.
pub fn select<'a>(entries: &'a [Entry], query: Option<&str>) -> Vec<&'a Entry> {
    let Some(query) = query else {
        return entries.iter().collect();
    };
    let q = query.trim().to_lowercase();
    if let Some(exact) = entries.iter().find(|e| e.id == q) {
        return vec![exact];
    }
    let id_prefix = q.len() >= MIN_ID_PREFIX && q.chars().all(|c| c.is_ascii_hexdigit());
    entries
        .iter()
        .filter(|e| {
            (id_prefix && e.id.starts_with(&q))
                || e.issuer.to_lowercase().contains(&q)
                || e.account.to_lowercase().contains(&q)
                || format!("{}:{}", e.issuer, e.account).to_lowercase().contains(&q)
        })
        .collect()
}

/// The entries QUERY selects, refusing a QUERY that selects none.
pub fn select_some<'a>(entries: &'a [Entry], query: Option<&str>) -> Result<Vec<&'a Entry>, CliError> {
    if let Some(q) = query {
        refuse_uri(q)?;
    }
    let chosen = select(entries, query);
    match (chosen.is_empty(), query) {
        (true, Some(q)) => Err(CliError::Selection(format!("no entry matches {}", shown(q)))),
        _ => Ok(chosen),
    }
}

/// The one entry QUERY selects; none or several is an error naming the candidates.
pub fn select_one<'a>(entries: &'a [Entry], query: &str) -> Result<&'a Entry, CliError> {
    let chosen = select_some(entries, Some(query))?;
    match chosen.as_slice() {
        [one] => Ok(one),
        many => {
            let mut text = format!("{} entries match {}; name one by its id:", many.len(), shown(query));
            for e in many {
                text.push_str("\n  ");
                text.push_str(&output::one_line(e));
            }
            Err(CliError::Selection(text))
        }
    }
}

/// A URI typed where a query belongs would otherwise be quoted back in an error.
fn refuse_uri(query: &str) -> Result<(), CliError> {
    if output::looks_like_uri(query) {
        return Err(CliError::Usage(
            "QUERY looks like an otpauth URI; use `twostep code --uri -` or `twostep add -` to pass one".into(),
        ));
    }
    Ok(())
}

fn shown(query: &str) -> String {
    format!("{query:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use twostep_core::otp::{Algorithm, Params};

    fn entry(id: &str, issuer: &str, account: &str) -> Entry {
        Entry {
            id: id.into(),
            issuer: issuer.into(),
            account: account.into(),
            params: Params::totp(Algorithm::Sha1, 6, 30),
            position: 0,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn ids<'a>(chosen: &[&'a Entry]) -> Vec<&'a str> {
        chosen.iter().map(|e| e.id.as_str()).collect()
    }

    fn vault() -> Vec<Entry> {
        vec![
            entry("aaaa1111", "GitHub", "ada@example.com"),
            entry("bbbb2222", "GitLab", "ada@example.com"),
            entry("cafe3333", "Deno", "Mason"),
        ]
    }

    #[test]
    fn names_match_in_any_case() {
        let v = vault();
        assert_eq!(ids(&select(&v, Some("github"))), ["aaaa1111"]);
        assert_eq!(ids(&select(&v, Some("GIT"))), ["aaaa1111", "bbbb2222"]);
        assert_eq!(ids(&select(&v, Some("mason"))), ["cafe3333"]);
    }

    #[test]
    fn issuer_colon_account_tells_apart_same_accounts() {
        let v = vault();
        assert_eq!(ids(&select(&v, Some("gitlab:ada"))), ["bbbb2222"]);
    }

    #[test]
    fn ids_and_id_prefixes_select_entries() {
        let v = vault();
        assert_eq!(ids(&select(&v, Some("cafe3333"))), ["cafe3333"]);
        assert_eq!(ids(&select(&v, Some("CAFE"))), ["cafe3333"]);
        // Too short to be an id prefix, and in no name.
        assert!(select(&v, Some("caf")).is_empty());
    }

    #[test]
    fn no_query_selects_everything() {
        assert_eq!(select(&vault(), None).len(), 3);
    }

    #[test]
    fn ambiguity_lists_the_candidates() {
        let v = vault();
        let e = select_one(&v, "git").unwrap_err();
        assert_eq!(e.exit_code(), 5);
        let text = e.to_string();
        assert!(text.contains("aaaa1111") && text.contains("bbbb2222"), "{text}");
    }

    #[test]
    fn a_uri_given_as_query_is_not_quoted() {
        let e = select_one(&vault(), "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").unwrap_err();
        assert!(!e.to_string().contains("JBSWY3DPEHPK3PXP"));
    }
}
