//! The command line: every subcommand, option and help text, parsed with clap's derive API.
//!
//! Owns what the user can type and what `--help` says (including the exit status table).
//! Does not run anything: `main.rs` dispatches each [`Command`] to the module named after
//! its job. A new subcommand (`demo`, `serve`) is one more variant here and one more arm
//! there.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The table printed at the end of `twostep --help`; [`crate::error`] keeps the numbers.
const AFTER_HELP: &str = "\
Environment:
  TWOSTEP_VAULT       the vault file (same as --vault)
  TWOSTEP_PASSPHRASE  the vault's passphrase; without it the passphrase is asked for
                      in the terminal, without echo (twice when a vault is created)

Exit status:
  0  success
  1  any other failure (a file that cannot be read, a damaged vault, storage)
  2  usage: bad arguments, or a needed answer (passphrase, --yes) could not be asked for
  3  wrong passphrase: the vault was left as it is
  4  there is no vault at the path (`add` or `import` creates one)
  5  QUERY matched no entry, or several where exactly one is needed
  6  invalid input: a URI or an import line was refused (the message names the field)

Errors never quote a URI or a secret: an otpauth URI contains the secret.";

#[derive(Parser, Debug)]
#[command(
    name = "twostep",
    version,
    about = "Two-step verification codes on the desktop, kept in an encrypted vault",
    long_about = "Two-step verification codes on the desktop, kept in an encrypted vault.\n\n\
        `twostep code --uri URI` computes a code without any vault, like `oathtool --totp`. \
        The other commands work on the vault: a SQLite file in which every secret is sealed \
        under a key that only the passphrase unlocks.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub vault: VaultArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the vault is; the passphrase comes from the environment or the terminal.
#[derive(Args, Debug, Clone, Default)]
pub struct VaultArgs {
    /// The vault file [default: twostep/vault.db in the user's data directory, e.g.
    /// $XDG_DATA_HOME or ~/.local/share]
    #[arg(long, global = true, env = "TWOSTEP_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print codes: of one otpauth URI (no vault), or of the vault's entries
    #[command(after_help = CODE_HELP)]
    Code(CodeArgs),
    /// Add one otpauth URI to the vault (creating the vault if there is none)
    Add(AddArgs),
    /// List the vault's entries, without their secrets
    List(ListArgs),
    /// Show live codes with a countdown, refreshed every second, until Ctrl-C
    Watch(WatchArgs),
    /// Remove one entry and its secret from the vault
    Remove(RemoveArgs),
    /// Change an entry's issuer and account names
    Rename(RenameArgs),
    /// Add every otpauth URI of a file, all or nothing (creating the vault if there is none)
    Import(ImportArgs),
    /// Walk the whole seller story of two-step verification against an embedded backend
    /// (temporary files; exits non-zero if any step does not behave as the help page says)
    Demo,
    /// Run the reference backend (seller login, two-step verification, push approvals,
    /// trusted devices) on this machine until stopped
    Serve(crate::serve::ServeArgs),
}

const CODE_HELP: &str = "\
QUERY selects entries whose issuer, account or `issuer:account` contains it (ignoring
case), or whose id is QUERY or starts with it (at least 4 hex digits). Without QUERY every
entry is shown.

HOTP (counter-based) entries: each code uses up one counter value, so an HOTP code is made,
and its counter advanced and saved, only when QUERY selects exactly that one entry. When
several entries are shown, an HOTP entry is listed with the command that makes its code.

Examples:
  twostep code --uri \"$(cat github.uri)\" --at 59
  twostep code github
  twostep code github --plain | xclip";

#[derive(Args, Debug)]
pub struct CodeArgs {
    /// Show only the entries this selects (see below)
    #[arg(conflicts_with = "uri")]
    pub query: Option<String>,
    /// Print the code of this otpauth URI and nothing else, without any vault ("-" reads the
    /// URI from standard input, keeping it out of the shell history); an hotp URI gives the
    /// code of its counter
    #[arg(long, value_name = "URI")]
    pub uri: Option<String>,
    /// Compute codes at this Unix time instead of now
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<u64>,
    /// Print only the code, ungrouped, for scripts; QUERY must select exactly one entry
    #[arg(long, conflicts_with = "uri")]
    pub plain: bool,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The otpauth:// URI, e.g. from a QR code; "-" reads it from standard input, keeping
    /// the secret out of the shell history and the process list
    #[arg(value_name = "URI")]
    pub uri: String,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Print a JSON array with the fields id, issuer, account, kind, algorithm, digits,
    /// period (null for hotp), counter (null unless hotp) and position
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Stop after this many refreshes instead of running until Ctrl-C (for scripts and tests)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub frames: Option<u64>,
    /// Start the clock at this Unix time and advance it one second per refresh, without
    /// waiting (for tests and demos)
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<u64>,
}

#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// An id, an id prefix, or a name query that selects exactly one entry
    #[arg(value_name = "ID_OR_QUERY")]
    pub query: String,
    /// Do not ask for confirmation (required when not run in a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Args, Debug)]
pub struct RenameArgs {
    /// An id, an id prefix, or a name query that selects exactly one entry
    #[arg(value_name = "ID_OR_QUERY")]
    pub query: String,
    /// The new issuer (service) name; "" for none
    pub issuer: String,
    /// The new account name
    pub account: String,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A text file with one otpauth URI per line; blank lines and lines starting with `#`
    /// are skipped; "-" reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Parses the process's arguments, exiting with status 2 on a usage error (0 for `--help`
/// and `--version`).
///
/// clap quotes unexpected values in its errors; an argument that looks like an otpauth URI
/// is replaced by a placeholder first, so a misplaced URI never reaches the terminal.
pub fn parse() -> Cli {
    let argv: Vec<OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) => {
            let secrets: Vec<String> = argv
                .iter()
                .filter_map(|a| a.to_str())
                .filter(|a| crate::output::looks_like_uri(a))
                .map(str::to_owned)
                .collect();
            if !e.use_stderr() || secrets.is_empty() {
                e.exit();
            }
            let mut text = e.render().to_string();
            for s in &secrets {
                text = text.replace(s.as_str(), "<otpauth URI>");
            }
            eprint!("{text}");
            std::process::exit(e.exit_code());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
