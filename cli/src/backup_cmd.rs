//! `twostep backup FILE` and `twostep restore FILE`: the whole vault in Twostep's encrypted
//! backup format (core's `backup`), and back.
//!
//! Owns the command-line side only: the backup password (`TWOSTEP_BACKUP_PASSWORD` or a
//! prompt without echo, twice for a new backup), never overwriting a file, and the report of
//! what a restore added and skipped. The format, its cryptography and the restore rule are
//! core's. A backup file is checked and decrypted before any vault is opened or created, so
//! a wrong password or a damaged file changes nothing.

use std::io::Write;
use std::path::Path;

use twostep_core::backup::{self, BackupError, Duplicate};
use zeroize::Zeroizing;

use crate::args::{BackupArgs, RestoreArgs, VaultArgs};
use crate::error::CliError;
use crate::input;
use crate::output::{self, describe, name, short_id};
use crate::unlock;

pub const BACKUP_PASSWORD_ENV: &str = "TWOSTEP_BACKUP_PASSWORD";

/// Largest file `restore` reads: the format's own cap on the entries plus its header.
const MAX_BACKUP_BYTES: u64 = backup::format::MAX_BODY_LEN as u64 + backup::format::HEADER_LEN as u64;

pub fn backup(vault_args: &VaultArgs, args: &BackupArgs) -> Result<(), CliError> {
    let file = &args.file;
    // Checked first so nothing is asked for in vain; the create below is what really refuses.
    if file.exists() {
        return Err(exists(file));
    }
    let vault = unlock::open(vault_args)?;
    let password = password(file, true)?;
    let bytes = backup::write(&vault, &password, backup::DEFAULT_KDF).map_err(|e| backup_error(file, e))?;
    write_new(file, &bytes)?;
    let n = vault.len();
    output::print(&format!(
        "backed up {n} {} to {} (encrypted; without its password the backup cannot be opened)\n",
        entries(n),
        file.display()
    ))
}

pub fn restore(vault_args: &VaultArgs, args: &RestoreArgs) -> Result<(), CliError> {
    let file = &args.file;
    let bytes = read_backup(file)?;
    // The header alone: a file that is no backup is refused before a password is asked for.
    backup::info(&bytes).map_err(|e| backup_error(file, e))?;
    let password = password(file, false)?;
    let contents = backup::read(&bytes, &password).map_err(|e| backup_error(file, e))?;
    let source = file.display();
    let made = utc(contents.created_at);

    if args.dry_run {
        // A dry run never creates a vault: with none, everything would be added.
        let path = unlock::vault_path(vault_args)?;
        let (new, duplicates): (Vec<(usize, String, String)>, _) = if path.exists() {
            let plan =
                backup::plan_restore(&unlock::open(vault_args)?, &contents).map_err(|e| backup_error(file, e))?;
            let new =
                plan.new.iter().map(|e| (e.number, name(&e.issuer, &e.account), describe_params(&e.params))).collect();
            (new, plan.duplicates)
        } else {
            let new = contents
                .entries
                .iter()
                .enumerate()
                .map(|(i, c)| (i + 1, name(&c.issuer, &c.account), describe_params(&c.params)))
                .collect();
            (new, Vec::new())
        };
        let mut text =
            format!("{source} (backup of {made}): {} {}\n", contents.entries.len(), entries(contents.entries.len()));
        let rows: Vec<Vec<String>> = new.into_iter().map(|(n, who, what)| vec![format!("#{n}"), who, what]).collect();
        if !rows.is_empty() {
            text.push_str(&format!("to add ({}):\n{}", rows.len(), output::table(&rows)));
        }
        text.push_str(&duplicate_text(&duplicates));
        text.push_str("dry run: nothing was changed\n");
        return output::print(&text);
    }

    let mut vault = unlock::open_or_create(vault_args)?;
    let report = backup::restore_backup(&mut vault, &contents).map_err(|e| backup_error(file, e))?;
    let added = report.added.len();
    let mut text = format!("restored {added} {} from {source} (backup of {made})\n", entries(added));
    text.push_str(&duplicate_text(&report.duplicates));
    output::print(&text)
}

fn duplicate_text(duplicates: &[Duplicate]) -> String {
    if duplicates.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = duplicates
        .iter()
        .map(|d| {
            vec![
                format!("#{}", d.number),
                name(&d.issuer, &d.account),
                format!("already in the vault as {}", short_id(&d.existing_id)),
            ]
        })
        .collect();
    format!("skipped, already in the vault ({}):\n{}", rows.len(), output::table(&rows))
}

fn describe_params(p: &twostep_core::otp::Params) -> String {
    describe(p.kind, p.algorithm.as_str(), p.digits)
}

fn entries(n: usize) -> &'static str {
    if n == 1 { "entry" } else { "entries" }
}

/// A backup error as the user sees it: with the file's name; a wrong password has its own
/// exit status.
pub fn backup_error(file: &Path, e: BackupError) -> CliError {
    match e {
        BackupError::WrongPassword => CliError::WrongPassword(format!(
            "the password does not open the backup {}; nothing was changed",
            file.display()
        )),
        BackupError::Vault(e) => CliError::from(e),
        BackupError::EmptyPassword => {
            CliError::Usage("a backup needs a non-empty password; nothing was written".into())
        }
        other => CliError::Invalid(format!("{}: {other}; nothing was changed", file.display())),
    }
}

fn read_backup(file: &Path) -> Result<Vec<u8>, CliError> {
    let shown = file.display();
    let size = std::fs::metadata(file)
        .map_err(|e| CliError::Failed(format!("could not read {shown}: {}", crate::error::io_words(&e))))?
        .len();
    if size > MAX_BACKUP_BYTES {
        return Err(CliError::Invalid(format!(
            "{shown} is {size} bytes, larger than any Twostep backup; nothing was changed"
        )));
    }
    std::fs::read(file).map_err(|e| CliError::Failed(format!("could not read {shown}: {}", crate::error::io_words(&e))))
}

fn exists(file: &Path) -> CliError {
    CliError::Usage(format!(
        "{} already exists; a backup never overwrites a file (choose another name)",
        file.display()
    ))
}

/// Writes `bytes` to a file that must not exist yet, readable by the owner only; a write that
/// fails half-way leaves no partial file behind.
fn write_new(file: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(file),
        _ => CliError::Failed(format!("could not create {}: {}", file.display(), crate::error::io_words(&e))),
    })?;
    if let Err(e) = f.write_all(bytes).and_then(|()| f.sync_all()) {
        drop(f);
        let _ = std::fs::remove_file(file);
        return Err(CliError::Failed(format!(
            "could not write {}: {}; no backup was left there",
            file.display(),
            crate::error::io_words(&e)
        )));
    }
    Ok(())
}

/// The backup password: from the environment or asked for (twice, compared, for a new
/// backup). Never empty.
fn password(file: &Path, new: bool) -> Result<Zeroizing<String>, CliError> {
    let mut ask = input::Ask {
        env: BACKUP_PASSWORD_ENV,
        what: "backup password",
        prompt: format!("Password of the backup {}: ", file.display()),
    };
    if new {
        ask.prompt = format!(
            "Choose a password for the backup {} (it is not the vault's passphrase unless you make it so): ",
            file.display()
        );
        return input::new_secret(&ask, "nothing was written");
    }
    let password = input::secret(&ask)?;
    if password.is_empty() {
        return Err(CliError::Usage("a backup's password is never empty; nothing was restored".into()));
    }
    Ok(password)
}

/// "2023-11-14 22:13 UTC" from Unix seconds.
pub fn utc(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let s = unix_seconds % 86_400;
    // Howard Hinnant's days-to-civil, for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", s / 3600, s / 60 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(4_102_444_799), "2099-12-31 23:59 UTC");
    }
}
