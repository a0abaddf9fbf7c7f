//! `twostep`: two-step verification codes on the desktop.
//!
//! This file only parses the command line and dispatches each subcommand to the module
//! named after its job; the exit status comes from [`error::CliError`]. All rules (codes,
//! URIs, the vault) are core's.
//!
//! - [`args`] — the command line and its help;
//! - [`code_cmd`] — `code`, with or without a vault;
//! - [`vault_cmd`] — `add`, `list`, `remove`, `rename`, `import`;
//! - [`watch`] — `watch`;
//! - [`backup_cmd`] — `backup`, `restore`;
//! - [`export_cmd`] — `export` (plain, behind `--unencrypted`);
//! - [`qr_cmd`] — `qr`: an entry's QR code, or the entries of a QR picture;
//! - [`resync_cmd`] — `resync`, an HOTP counter found again;
//! - [`passphrase_cmd`] — `passphrase`, the vault's passphrase changed;
//! - [`manual`] — `completions` and `man`, generated from [`args`];
//! - [`unlock`] — finding and unlocking the vault;
//! - [`select`] — which entries a QUERY names;
//! - [`demo`] — `demo`, the seller story end to end;
//! - [`server_clock`] — `--server URL`: codes by the backend's clock;
//! - [`serve`] — `serve`, the reference backend;
//! - [`input`] — reading files and standard input;
//! - [`output`] — tables, JSON and the countdown bar;
//! - [`error`] — messages and exit statuses.

#![forbid(unsafe_code)]

mod args;
mod backup_cmd;
mod code_cmd;
mod demo;
mod error;
mod export_cmd;
mod input;
mod manual;
mod output;
mod passphrase_cmd;
mod qr_cmd;
mod resync_cmd;
mod select;
mod serve;
mod server_clock;
mod unlock;
mod vault_cmd;
mod watch;

use std::process::ExitCode;

use args::{Cli, Command};
use error::CliError;

fn main() -> ExitCode {
    // The stateless code first, without building the whole command line (see the function).
    let result = match args::parse_code_uri() {
        Some(code) => code_cmd::run(&args::VaultArgs::default(), &code),
        None => run(&args::parse()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}

fn run(cli: &Cli) -> Result<(), CliError> {
    let vault = &cli.vault;
    let without_vault = match &cli.command {
        Command::Demo => Some("demo"),
        Command::Serve(_) => Some("serve"),
        Command::Completions(_) => Some("completions"),
        Command::Man => Some("man"),
        _ => None,
    };
    if let (Some(name), Some(_)) = (without_vault, &vault.vault) {
        return Err(CliError::Usage(format!(
            "`twostep {name}` uses no vault; leave out --vault (it would be ignored)"
        )));
    }
    match &cli.command {
        Command::Code(a) => code_cmd::run(vault, a),
        Command::Add(a) => vault_cmd::add(vault, a),
        Command::List(a) => vault_cmd::list(vault, a),
        Command::Watch(a) => watch::run(vault, a),
        Command::Remove(a) => vault_cmd::remove(vault, a),
        Command::Rename(a) => vault_cmd::rename(vault, a),
        Command::Import(a) => vault_cmd::import(vault, a),
        Command::Backup(a) => backup_cmd::backup(vault, a),
        Command::Restore(a) => backup_cmd::restore(vault, a),
        Command::Export(a) => export_cmd::run(vault, a),
        Command::Qr(a) => qr_cmd::run(vault, a),
        Command::Resync(a) => resync_cmd::run(vault, a),
        Command::Passphrase => passphrase_cmd::run(vault),
        Command::Completions(a) => manual::completions(a.shell),
        Command::Man => manual::man(),
        Command::Demo => demo::run(),
        Command::Serve(a) => serve::run(a),
    }
}
