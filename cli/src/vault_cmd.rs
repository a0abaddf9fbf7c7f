//! The commands that change or list the vault: `add`, `list`, `remove`, `rename`, `import`.
//!
//! Each parses its input before the vault is unlocked (a bad URI or import line never
//! creates or touches a vault), then makes one core call: every change is one transaction
//! in core. Codes are [`crate::code_cmd`]'s and [`crate::watch`]'s.

use std::io::{BufRead, IsTerminal, Write};

use twostep_core::otp::Credential;
use twostep_core::otp::uri;
use twostep_core::vault::{Entry, Vault};

use crate::args::{AddArgs, ImportArgs, ListArgs, RemoveArgs, RenameArgs, VaultArgs};
use crate::error::CliError;
use crate::output::{self, describe, name, short_id};
use crate::{input, select, unlock};

pub fn add(vault_args: &VaultArgs, args: &AddArgs) -> Result<(), CliError> {
    let text = input::uri_argument(&args.uri)?;
    let credential = uri::parse(&text).map_err(|e| CliError::bad_uri(&e))?;
    let mut vault = unlock::open_or_create(vault_args)?;
    let twins: Vec<String> = vault
        .list()
        .iter()
        .filter(|e| e.issuer == credential.issuer && e.account == credential.account)
        .map(|e| short_id(&e.id).to_owned())
        .collect();
    let entry = vault.add(&credential)?;
    warn_short_key(&credential, "");
    if !twins.is_empty() {
        eprintln!(
            "note: the vault already had an entry named {} ({}); both are kept",
            name(&entry.issuer, &entry.account),
            twins.join(", ")
        );
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
    let entries = vault.list();
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
    let lines = twostep_core::import::parse_uri_list(&text)
        .map_err(|e| CliError::Invalid(format!("{source}, {e}; nothing was imported")))?;
    if lines.is_empty() {
        return Err(CliError::Invalid(format!("{source} holds no otpauth URI; nothing was imported")));
    }
    let credentials: Vec<Credential> = lines.iter().map(|(_, c)| c.clone()).collect();
    let mut vault = unlock::open_or_create(vault_args)?;
    let added = vault.add_all(&credentials).map_err(|e| match CliError::from(e) {
        CliError::Invalid(m) => CliError::Invalid(format!("{source}: {m}; nothing was imported")),
        other => other,
    })?;
    for (line, credential) in &lines {
        warn_short_key(credential, &format!("{source}, line {line}: "));
    }
    let noun = if added.len() == 1 { "entry" } else { "entries" };
    output::print(&format!("imported {} {noun} from {source}\n", added.len()))
}

fn one(vault: &Vault, query: &str) -> Result<Entry, CliError> {
    let entries = vault.list();
    select::select_one(&entries, query).cloned()
}

fn warn_short_key(credential: &Credential, prefix: &str) {
    if credential.is_short_key() {
        eprintln!(
            "{prefix}warning: the key of {} is {} bits, shorter than the 128 that RFC 4226 asks for; \
             it was added, but ask the service for a new one if it offers to",
            name(&credential.issuer, &credential.account),
            credential.secret.len() * 8
        );
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
        .map_err(|e| CliError::Failed(format!("could not read the answer: {e}")))?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}
