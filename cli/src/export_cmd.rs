//! `twostep export --format uris|google --unencrypted`: every secret, in the clear, for
//! moving to another app, written to standard output (as text, or as QR codes with `--qr`).
//!
//! Owns the refusal without `--unencrypted` and the report of what Google's format could not
//! carry (on standard error, so the output stays only links). What goes out is core's
//! `export`; the encrypted alternative is `twostep backup`.

use std::io::IsTerminal;

use twostep_core::export::{self, Unencrypted};

use crate::args::{ExportArgs, ExportFormat, VaultArgs};
use crate::error::CliError;
use crate::output::{self, name};
use crate::{qr_cmd, unlock};

pub fn run(vault_args: &VaultArgs, args: &ExportArgs) -> Result<(), CliError> {
    if !args.unencrypted {
        return Err(CliError::Usage(
            "an export writes every secret unencrypted: anyone who reads it can make your codes. \
             Pass --unencrypted to confirm that this is what you want, or use `twostep backup FILE` \
             for an encrypted copy"
                .into(),
        ));
    }
    let vault = unlock::open(vault_args)?;
    if vault.is_empty() {
        eprintln!("the vault is empty; nothing was exported");
        return Ok(());
    }
    let choice = Unencrypted::IUnderstand;
    let (texts, captions, skipped) = match args.format {
        ExportFormat::Uris => {
            let names: Vec<String> = vault.list().iter().map(|e| name(&e.issuer, &e.account)).collect();
            (export::otpauth_uris(&vault, choice)?, names, Vec::new())
        }
        ExportFormat::Google => {
            let out = export::google_migration(&vault, choice)?;
            let n = out.links.len();
            let captions = (1..=n).map(|i| format!("Google Authenticator export, QR code {i} of {n}")).collect();
            (out.links, captions, out.skipped)
        }
    };
    for s in &skipped {
        eprintln!(
            "warning: #{} {} was left out: {}; move it by its own QR code (`twostep qr {}`) if the other app takes it",
            s.number,
            name(&s.issuer, &s.account),
            s.reason,
            quote_query(&s.issuer, &s.account)
        );
    }
    if texts.is_empty() {
        return Err(CliError::Invalid(
            "no entry of the vault fits Google Authenticator's format; nothing was exported".into(),
        ));
    }

    let mut out = zeroize::Zeroizing::new(String::new());
    for (text, caption) in texts.iter().zip(&captions) {
        if args.qr {
            out.push_str(caption);
            out.push('\n');
            out.push_str(&qr_cmd::draw(text.expose(), args.light_background)?);
            out.push('\n');
        } else {
            out.push_str(text.expose());
            out.push('\n');
        }
    }
    output::print(&out)?;
    let moved = match args.format {
        ExportFormat::Uris => texts.len(),
        ExportFormat::Google => vault.len() - skipped.len(),
    };
    let where_to = if std::io::stdout().is_terminal() { "printed" } else { "written" };
    eprintln!(
        "{where_to} {moved} of {} entries unencrypted: anyone who reads this output can make your codes; \
         delete it once the other app has them",
        vault.len()
    );
    Ok(())
}

/// A query that selects the entry by name, quoted for a shell.
fn quote_query(issuer: &str, account: &str) -> String {
    let q = if issuer.is_empty() { account.to_owned() } else { format!("{issuer}:{account}") };
    format!("'{}'", q.replace('\'', "'\\''"))
}
