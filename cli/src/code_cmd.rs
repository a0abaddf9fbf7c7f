//! `twostep code`: the code of one otpauth URI or bare base32 secret without any vault (as
//! `oathtool` does), or the current codes of the vault's entries.
//!
//! Owns the HOTP rule of the command line: an HOTP code uses up its counter value, so one is
//! made (and the counter advanced and saved by core) only when QUERY selects exactly that
//! entry; in a list of several, an HOTP entry shows how to get its code instead.

use std::collections::HashMap;

use twostep_core::clock::{Clock, SystemClock};
use twostep_core::otp::display::CodeView;
use twostep_core::otp::uri;
use twostep_core::otp::{Algorithm, Credential, Kind, Params};
use twostep_core::vault::{Entry, EntryCode};

use crate::args::{CodeArgs, VaultArgs};
use crate::error::CliError;
use crate::output::{self, short_id};
use crate::{input, select, server_clock, unlock};

pub fn run(vault_args: &VaultArgs, args: &CodeArgs) -> Result<(), CliError> {
    match (&args.uri, &args.secret) {
        (Some(uri), _) => of_uri(uri, args),
        (None, Some(secret)) => of_secret(secret, args),
        (None, None) => of_vault(vault_args, args),
    }
}

/// Stateless, like `oathtool`: just the code and a newline.
fn of_uri(arg: &str, args: &CodeArgs) -> Result<(), CliError> {
    let text = input::uri_argument(arg)?;
    let (credential, notes) = uri::parse_noting(&text).map_err(|e| CliError::bad_uri(&e))?;
    output::print_notes(&notes);
    print_code(&credential, args)
}

/// `--secret BASE32` with the parameters `oathtool` takes.
fn of_secret(arg: &str, args: &CodeArgs) -> Result<(), CliError> {
    if arg != "-" {
        eprintln!(
            "note: a secret typed as an argument stays in the shell history and shows in the process list; \
             `--secret -` reads it from standard input"
        );
    }
    let text = input::uri_argument(arg)?;
    let (secret, notes) =
        uri::secret_from_base32(&text).map_err(|e| CliError::Invalid(format!("the secret was refused: {e}")))?;
    output::print_notes(&notes);
    let params = match (args.hotp, args.counter) {
        (true, Some(counter)) => Params::hotp(Algorithm::Sha1, args.digits, counter),
        (true, None) => return Err(CliError::Usage("--hotp needs --counter C".into())),
        (false, _) => {
            let hash = args.totp.as_deref().unwrap_or("sha1");
            let algorithm = Algorithm::parse(hash).ok_or_else(|| CliError::Usage(format!("unknown hash {hash}")))?;
            Params::totp(algorithm, args.digits, args.period)
        }
    };
    params.validate()?;
    print_code(&Credential { issuer: String::new(), account: String::new(), params, secret }, args)
}

fn print_code(credential: &Credential, args: &CodeArgs) -> Result<(), CliError> {
    let generator = credential.generator()?;
    let now = match args.at {
        Some(at) => at,
        None => server_clock::now(SystemClock.now_unix_seconds(), args.server.as_deref())?,
    };
    output::print(&format!("{}\n", generator.code_at(now)))
}

fn of_vault(vault_args: &VaultArgs, args: &CodeArgs) -> Result<(), CliError> {
    let query = args.query.as_deref();
    if args.plain && query.is_none() {
        return Err(CliError::Usage("--plain needs a QUERY that selects one entry".into()));
    }
    let mut vault = unlock::open(vault_args)?;
    let now = match args.at {
        Some(at) => at,
        None => server_clock::now(vault.now(), args.server.as_deref())?,
    };
    let entries = vault.list();

    if let (true, Some(q)) = (args.plain, query) {
        let entry = select::select_one(&entries, q)?;
        let code = vault.code(&entry.id, now)?;
        return output::print(&format!("{code}\n"));
    }

    let chosen = select::select_some(&entries, query)?;
    if chosen.is_empty() {
        eprintln!("the vault is empty; `twostep add URI` adds an entry");
        return Ok(());
    }

    // The one case where an HOTP code is made: QUERY named exactly this entry.
    let single_hotp = match (query, chosen.as_slice()) {
        (Some(_), [entry]) => match entry.params.kind {
            Kind::Hotp { counter } => Some((*entry, counter)),
            _ => None,
        },
        _ => None,
    };
    let mut rows = Vec::with_capacity(chosen.len());
    if let Some((entry, used)) = single_hotp {
        let view = vault.view(&entry.id, now)?;
        rows.push(row(entry, &view.grouped, format!("hotp, counter {used} used")));
    } else {
        // One `codes()` call for the whole list, as a screen refresh would.
        let codes: HashMap<String, Option<CodeView>> =
            vault.codes(now).into_iter().map(|EntryCode { id, code }| (id, code)).collect();
        for entry in chosen {
            rows.push(match codes.get(&entry.id).and_then(Option::as_ref) {
                Some(view) => row(entry, &view.grouped, output::time_left(view)),
                None => row(entry, "-", format!("hotp: `twostep code {}` makes its next code", short_id(&entry.id))),
            });
        }
    }
    output::print(&output::table(&rows))
}

fn row(entry: &Entry, code: &str, note: String) -> Vec<String> {
    vec![short_id(&entry.id).to_owned(), entry.issuer.clone(), entry.account.clone(), code.to_owned(), note]
}
