//! Finding the vault file and unlocking it: the path (`--vault`, `TWOSTEP_VAULT` or the data
//! directory), the passphrase (`TWOSTEP_PASSPHRASE` or a prompt without echo), and opening or
//! creating the vault with a [`PassphraseKeyStore`].
//!
//! Does not decide what a command does with the vault. Never deletes or recreates a file:
//! a vault that fails to open is reported by core and left as it is.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use twostep_core::clock::SystemClock;
use twostep_core::vault::{PassphraseKeyStore, Vault};
use zeroize::Zeroizing;

use crate::args::VaultArgs;
use crate::error::CliError;
use crate::input;

pub const PASSPHRASE_ENV: &str = "TWOSTEP_PASSPHRASE";

pub const VAULT_ENV: &str = "TWOSTEP_VAULT";

/// The vault file: `--vault`, else `TWOSTEP_VAULT` (when not empty), else `twostep/vault.db`
/// in the user's data directory (`$XDG_DATA_HOME` or `~/.local/share` on Linux).
pub fn vault_path(args: &VaultArgs) -> Result<PathBuf, CliError> {
    if let Some(path) = &args.vault {
        return Ok(path.clone());
    }
    if let Some(path) = std::env::var_os(VAULT_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    directories::BaseDirs::new()
        .map(|dirs| dirs.data_dir().join("twostep").join("vault.db"))
        .ok_or_else(|| CliError::Usage("cannot find the user's data directory; pass --vault PATH".into()))
}

/// Opens the existing vault; a missing one is [`CliError::NoVault`], asked before any prompt.
pub fn open(args: &VaultArgs) -> Result<Vault, CliError> {
    let path = vault_path(args)?;
    refuse_folder(&path)?;
    if !path.exists() {
        return Err(CliError::NoVault(path));
    }
    open_at(&path)
}

/// Opens the vault, or creates it (and its folder) when there is no file at the path yet.
pub fn open_or_create(args: &VaultArgs) -> Result<Vault, CliError> {
    let path = vault_path(args)?;
    refuse_folder(&path)?;
    if path.exists() {
        return open_at(&path);
    }
    let passphrase = passphrase(&path, true)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent).map_err(|e| {
            let why = if parent.exists() || e.kind() == std::io::ErrorKind::NotADirectory {
                "a file is in the way, where a folder must be"
            } else {
                crate::error::io_words(&e)
            };
            CliError::Failed(format!(
                "could not create the folder {}: {why}; choose another vault path with --vault",
                parent.display()
            ))
        })?;
    }
    let vault = Vault::create(&path, &PassphraseKeyStore::new(&passphrase), Arc::new(SystemClock))?;
    eprintln!("created a new vault at {}", path.display());
    Ok(vault)
}

/// A vault path naming a folder is a mistake to say as such: "there is no vault" would send
/// the user to `add`, which cannot create a file where a folder is.
pub fn refuse_folder(path: &Path) -> Result<(), CliError> {
    if path.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is a folder, not a vault file; give a file path such as {}",
            path.display(),
            path.join("vault.db").display()
        )));
    }
    Ok(())
}

/// The passphrase and the vault it opened, for `twostep passphrase`, which needs both.
pub fn open_keeping_passphrase(args: &VaultArgs) -> Result<(Vault, Zeroizing<String>), CliError> {
    let path = vault_path(args)?;
    refuse_folder(&path)?;
    if !path.exists() {
        return Err(CliError::NoVault(path));
    }
    let passphrase = passphrase(&path, false)?;
    let vault = Vault::open(&path, &PassphraseKeyStore::new(&passphrase), Arc::new(SystemClock))?;
    Ok((vault, passphrase))
}

fn open_at(path: &Path) -> Result<Vault, CliError> {
    let passphrase = passphrase(path, false)?;
    let vault = Vault::open(path, &PassphraseKeyStore::new(&passphrase), Arc::new(SystemClock))?;
    // Said on every command, so a damaged entry is never silently missing from a list,
    // a backup or an export.
    for d in vault.damaged() {
        eprintln!(
            "warning: the entry {} [id {}] is damaged and left out ({}); `twostep remove {}` deletes it",
            crate::output::name(&d.issuer, &d.account),
            crate::output::short_id(&d.id),
            d.reason,
            crate::output::short_id(&d.id)
        );
    }
    Ok(vault)
}

/// The vault passphrase: from the environment or asked for (twice, compared, when `new`).
fn passphrase(path: &Path, new: bool) -> Result<Zeroizing<String>, CliError> {
    let mut ask =
        input::Ask { env: PASSPHRASE_ENV, what: "passphrase", prompt: format!("Passphrase for {}: ", path.display()) };
    if !new {
        return input::secret(&ask);
    }
    ask.prompt = format!("Choose a passphrase for the new vault at {}: ", path.display());
    input::new_secret(&ask, "no vault was created")
}

/// Creates `dir` and its missing parents, readable by the owner only on Unix.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
