//! `twostep resync QUERY CODE1 CODE2`: puts an HOTP entry's counter back in step with the
//! other side (a hardware token, another app) from two consecutive codes it shows.
//!
//! Owns the command-line defaults (search from the entry's own counter, 100 ahead); the
//! search and its bounds are core's `otp::resync`, saving the counter the vault's.

use twostep_core::otp::Kind;

use crate::args::{ResyncArgs, VaultArgs};
use crate::error::CliError;
use crate::output::{self, name, short_id};
use crate::{select, unlock};

pub fn run(vault_args: &VaultArgs, args: &ResyncArgs) -> Result<(), CliError> {
    let mut vault = unlock::open(vault_args)?;
    let entries = vault.list();
    let entry = select::select_one(&entries, &args.query)?.clone();
    let Kind::Hotp { counter } = entry.params.kind else {
        return Err(CliError::Invalid(format!(
            "{} is time-based; only counter-based (HOTP) entries have a counter to resynchronise",
            output::one_line(&entry)
        )));
    };
    let from = args.from.unwrap_or(counter);
    let found = vault.resync_hotp(&entry.id, (&args.code1, &args.code2), Some(from), Some(args.look_ahead))?;
    let who = name(&entry.issuer, &entry.account);
    match found {
        Some(e) => {
            let Kind::Hotp { counter: next } = e.params.kind else {
                return Err(CliError::Failed("the entry is no longer counter-based".into()));
            };
            output::print(&format!(
                "resynchronised {who} [id {}]: the two codes are counters {} and {}; the next code uses counter {next} (was {counter})\n",
                short_id(&e.id),
                next - 2,
                next - 1
            ))
        }
        None => Err(CliError::Invalid(format!(
            "the two codes are not consecutive codes of {who} at any counter from {from} to {}; nothing was changed \
             (--from N searches from another counter, --look-ahead N up to 10000 searches further)",
            from.saturating_add(args.look_ahead)
        ))),
    }
}
