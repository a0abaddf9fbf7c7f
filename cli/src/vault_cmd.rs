//! The commands that change or list the vault: `add`, `list`, `remove`, `rename`, `import`.
//!
//! Each parses its input before the vault is unlocked (a bad URI or import file never
//! creates or touches a vault), then makes one core call: every change is one transaction
//! in core. `import` prints core's preview (added, duplicates, refused, by entry number)
//! before it applies it. Codes are [`crate::code_cmd`]'s and [`crate::watch`]'s.
//!
//! One duplicate rule for `add` and `import` (and `restore`): an entry with the same key and
//! settings as one the vault holds, whatever its names, is skipped with a note naming the
//! entry it duplicates; the same names with another key are two accounts and both are kept.
//! The short-key warning is one quiet note per command, however many entries it concerns.

use std::io::{BufRead, IsTerminal, Write};

use twostep_core::import::{self, DuplicateOf, Format, ImportError, ImportPreview, ImportedItem, OnRefused};
use twostep_core::otp::uri;
use twostep_core::vault::{Entry, Vault};

use crate::args::{AddArgs, ImportArgs, ListArgs, RemoveArgs, RenameArgs, VaultArgs};
use crate::error::CliError;
use crate::output::{self, describe, name, short_id};
use crate::{input, select, unlock};

pub fn add(vault_args: &VaultArgs, args: &AddArgs) -> Result<(), CliError> {
    let text = input::uri_argument(&args.uri)?;
    let (credential, notes) = uri::parse_noting(&text).map_err(|e| CliError::bad_uri(&e))?;
    output::print_notes(&notes);
    let mut vault = unlock::open_or_create(vault_args)?;
    if let Some(Some(id)) = vault.find_duplicates(std::slice::from_ref(&credential))?.first() {
        let existing = vault.get(id)?;
        eprintln!(
            "note: the vault already holds this key as {} [id {}]; nothing was added",
            name(&existing.issuer, &existing.account),
            short_id(id)
        );
        return Ok(());
    }
    let entry = vault.add(&credential)?;
    if credential.is_short_key() {
        short_key_note(&[name(&entry.issuer, &entry.account)]);
    }
    output::print(&format!(
        "added {}: {} [id {}]\n",
        name(&entry.issuer, &entry.account),
        describe(entry.params.kind, entry.params.algorithm.as_str(), entry.params.digits),
        short_id(&entry.id)
    ))
}

pub fn list(vault_args: &VaultArgs, args: &ListArgs) -> Result<(), CliError> {
    let vault = unlock::open(vault_args)?;
    let all = vault.list();
    let entries: Vec<Entry> = select::select_some(&all, args.query.as_deref())?.into_iter().cloned().collect();
    if args.json {
        return output::print(&output::entry_json(&entries));
    }
    if entries.is_empty() {
        eprintln!("the vault is empty; `twostep add URI` adds an entry");
        return Ok(());
    }
    output::print(&output::entry_table(&entries))
}

pub fn remove(vault_args: &VaultArgs, args: &RemoveArgs) -> Result<(), CliError> {
    let interactive = std::io::stdin().is_terminal();
    if !args.yes && !interactive {
        return Err(CliError::Usage(
            "removing deletes the entry's secret for good; pass --yes to confirm when not in a terminal".into(),
        ));
    }
    let mut vault = unlock::open(vault_args)?;
    // A damaged entry, named by its id as the warning shows it, can only be removed.
    if let Some(id) = vault.damaged().iter().find(|d| d.id.starts_with(args.query.as_str())).map(|d| d.id.clone())
        && args.query.len() >= output::SHORT_ID.min(id.len())
    {
        let removed = vault.remove_damaged(&id)?;
        return output::print(&format!(
            "removed the damaged entry {} [id {}]\n",
            name(&removed.issuer, &removed.account),
            short_id(&removed.id)
        ));
    }
    let entry = one(&vault, &args.query)?;
    if !args.yes && !confirm(&entry)? {
        eprintln!("nothing was removed");
        return Ok(());
    }
    let removed = vault.remove(&entry.id)?;
    output::print(&format!("removed {} [id {}]\n", name(&removed.issuer, &removed.account), short_id(&removed.id)))
}

pub fn rename(vault_args: &VaultArgs, args: &RenameArgs) -> Result<(), CliError> {
    let mut vault = unlock::open(vault_args)?;
    let entry = one(&vault, &args.query)?;
    let renamed = vault.rename(&entry.id, &args.issuer, &args.account)?;
    output::print(&format!(
        "renamed {} to {} [id {}]\n",
        name(&entry.issuer, &entry.account),
        name(&renamed.issuer, &renamed.account),
        short_id(&renamed.id)
    ))
}

pub fn import(vault_args: &VaultArgs, args: &ImportArgs) -> Result<(), CliError> {
    let source = args.file.display().to_string();
    let text = input::read_text(&args.file)?;
    let bytes = text.as_bytes();
    let format = match Format::from_name(&args.from) {
        Some(format) => format,
        None => {
            let format = Format::detect(bytes).ok_or_else(|| {
                CliError::Invalid(format!(
                    "{source}: the format could not be recognised; name it with --from (see `twostep import --help`)"
                ))
            })?;
            eprintln!("{source}: recognised as {}, read as such (--from FORMAT says otherwise)", format.app());
            format
        }
    };
    // The file is read (and decrypted) before the vault is unlocked: a bad file or a wrong
    // password never creates or touches a vault.
    // A file read as the wrong format says which format it looks like.
    let hint = || match Format::detect(bytes).filter(|guess| *guess != format) {
        Some(guess) => format!(" (it looks like an export of {}: --from {guess})", guess.app()),
        None => String::new(),
    };
    let items = read_export(format, bytes, &source).map_err(|e| match e {
        CliError::Invalid(message) => CliError::Invalid(message + &hint()),
        other => other,
    })?;
    if items.is_empty() {
        return Err(CliError::Invalid(format!("{source} holds no entry to import; nothing was imported")));
    }
    let path = unlock::vault_path(vault_args)?;
    let existing = if path.exists() { Some(unlock::open(vault_args)?) } else { None };
    let preview = match &existing {
        Some(vault) => import::preview(vault, items).map_err(|e| import_error(&source, e))?,
        None => import::preview_for_new_vault(items),
    };
    output::print(&preview_text(&source, format, &preview))?;

    let on_refused = if args.skip_invalid { OnRefused::Skip } else { OnRefused::Block };
    if let (Some(first), OnRefused::Block) = (preview.refused.first(), on_refused) {
        let e = ImportError::Refused { count: preview.refused.len(), first: first.place, reason: first.reason.clone() };
        return Err(CliError::Invalid(format!("{source}: {e}; --skip-invalid imports the others{}", hint())));
    }
    let skipped = skipped_text(&preview);
    if args.dry_run {
        let n = preview.to_add.len();
        return output::print(&format!(
            "dry run: {n} {} would be imported from {source}{skipped}; nothing was changed\n",
            entries(n)
        ));
    }
    if preview.to_add.is_empty() {
        return output::print(&format!("nothing to import from {source}{skipped}\n"));
    }
    let mut vault = match existing {
        Some(vault) => vault,
        None => unlock::open_or_create(vault_args)?,
    };
    let added = import::apply(&mut vault, &preview, on_refused).map_err(|e| import_error(&source, e))?;
    let short: Vec<String> = preview
        .to_add
        .iter()
        .filter(|t| t.summary.short_key)
        .map(|t| name(&t.summary.issuer, &t.summary.account))
        .collect();
    short_key_note(&short);
    output::print(&format!("imported {added} {} from {source}{skipped}\n", entries(added)))
}

const IMPORT_PASSWORD_ENV: &str = "TWOSTEP_IMPORT_PASSWORD";

/// The export's items; an encrypted export's password comes from the environment, or is asked
/// for once the file turns out to need one.
fn read_export(format: Format, bytes: &[u8], source: &str) -> Result<Vec<ImportedItem>, CliError> {
    let ask = input::Ask {
        env: IMPORT_PASSWORD_ENV,
        what: "import password",
        prompt: format!("Password of the {} export {source}: ", format.app()),
    };
    // Only an encrypted export needs one: the environment's is tried at once, a prompt waits
    // until the file says it is encrypted.
    let mut password = std::env::var_os(IMPORT_PASSWORD_ENV).map(|_| input::secret(&ask)).transpose()?;
    loop {
        match import::read(format, bytes, password.as_ref().map(|p| p.as_str())) {
            Err(ImportError::PasswordRequired { .. }) if password.is_none() => {
                password = Some(input::secret(&ask)?);
            }
            result => return result.map_err(|e| import_error(source, e)),
        }
    }
}

/// An import error as the user sees it: with the file's name, and saying that nothing changed.
fn import_error(source: &str, e: ImportError) -> CliError {
    match e {
        ImportError::Vault(e) => CliError::from(e),
        ImportError::WrongPassword { .. } => CliError::WrongPassword(format!("{source}: {e}; nothing was imported")),
        other => {
            let text = other.to_string();
            let tail = if text.contains("nothing was imported") { "" } else { "; nothing was imported" };
            CliError::Invalid(format!("{source}: {text}{tail}"))
        }
    }
}

/// The preview by entry number: to add, duplicates, refused. Never a secret.
fn preview_text(source: &str, format: Format, preview: &ImportPreview) -> String {
    let mut out = format!("{source} ({}): {} {}\n", format.app(), preview.total(), entries(preview.total()));
    let mut section = |title: &str, rows: Vec<Vec<String>>| {
        if !rows.is_empty() {
            out.push_str(&format!("{title} ({}):\n", rows.len()));
            out.push_str(&output::table(&rows));
        }
    };
    let number = |n: u32| format!("  #{n}");
    section(
        "to add",
        preview
            .to_add
            .iter()
            .map(|t| {
                let s = &t.summary;
                let kind = describe(s.params.kind, s.params.algorithm.as_str(), s.params.digits);
                vec![number(t.number), t.place.to_string(), name(&s.issuer, &s.account), kind]
            })
            .collect(),
    );
    section(
        "already there, skipped",
        preview
            .duplicates
            .iter()
            .map(|d| {
                let of = match &d.of {
                    DuplicateOf::Entry(id) => format!("same as vault entry {}", short_id(id)),
                    DuplicateOf::Item(n) => format!("same as #{n} of this file"),
                };
                vec![number(d.number), d.place.to_string(), name(&d.summary.issuer, &d.summary.account), of]
            })
            .collect(),
    );
    section(
        "refused",
        preview.refused.iter().map(|r| vec![number(r.number), r.place.to_string(), r.reason.to_string()]).collect(),
    );
    out
}

/// ", 2 duplicates and 1 refused entry skipped", or nothing.
fn skipped_text(preview: &ImportPreview) -> String {
    let mut parts = Vec::new();
    match preview.duplicates.len() {
        0 => {}
        1 => parts.push("1 duplicate".to_owned()),
        n => parts.push(format!("{n} duplicates")),
    }
    match preview.refused.len() {
        0 => {}
        n => parts.push(format!("{n} refused {}", entries(n))),
    }
    if parts.is_empty() { String::new() } else { format!(", {} skipped", parts.join(" and ")) }
}

fn entries(n: usize) -> &'static str {
    if n == 1 { "entry" } else { "entries" }
}

fn one(vault: &Vault, query: &str) -> Result<Entry, CliError> {
    let entries = vault.list();
    select::select_one(&entries, query).cloned()
}

/// One line for the whole command, however many entries have a key under 128 bits: such
/// keys work (80 bits is the floor), the note only says a new one would be stronger.
fn short_key_note(names: &[String]) {
    match names {
        [] => {}
        [one] => eprintln!("note: {one} has a key shorter than 128 bits; a new one from the service would be stronger"),
        many => eprintln!(
            "note: {} entries have keys shorter than 128 bits ({}); new ones from their services would be stronger",
            many.len(),
            many.join(", ")
        ),
    }
}

/// Asks on the terminal before a secret is deleted for good.
fn confirm(entry: &Entry) -> Result<bool, CliError> {
    eprint!("Remove {}? Its secret is deleted for good. [y/N] ", output::one_line(entry));
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::Failed(format!("could not read the answer: {}", crate::error::io_words(&e))))?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}
