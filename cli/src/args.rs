//! The command line: every subcommand, option and help text, parsed with clap's derive API.
//!
//! Owns what the user can type and what `--help` says (including the exit status table).
//! Does not run anything: `main.rs` dispatches each [`Command`] to the module named after
//! its job. A new subcommand (`demo`, `serve`) is one more variant here and one more arm
//! there.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

/// The exit statuses, at the end of `twostep --help` and of every subcommand's help;
/// [`crate::error`] keeps the numbers.
pub const EXIT_STATUS: &str = "\
Exit status:
  0  success
  1  any other failure (a file that cannot be read, a damaged vault, storage, the network)
  2  usage: bad arguments, or a needed answer (passphrase, --yes) was not given
  3  wrong passphrase, backup or import password: the vault (and the file) were left as they are
  4  there is no vault at the path (`add` or `import` creates one)
  5  QUERY matched no entry, or several where exactly one is needed
  6  invalid input: a URI, a secret, an import line, a backup file or a QR picture was refused
     (the message names the field or the part)";

/// The environment, at the end of `twostep --help`.
const AFTER_HELP: &str = "\
Environment:
  TWOSTEP_VAULT       the vault file (same as --vault)
  TWOSTEP_PASSPHRASE  the vault's passphrase; without it the passphrase is asked for
                      in the terminal, without echo (twice when a vault is created)
  TWOSTEP_NEW_PASSPHRASE
                      the new passphrase for `twostep passphrase`; without it the new
                      passphrase is asked for twice in the terminal
  TWOSTEP_BACKUP_PASSWORD
                      the password of a backup (`backup`, `restore`); without it the
                      password is asked for in the terminal (twice for a new backup)

Errors never quote a URI or a secret: an otpauth URI contains the secret.";

#[derive(Parser, Debug)]
#[command(
    name = "twostep",
    version,
    about = "Two-step verification codes on the desktop, kept in an encrypted vault",
    long_about = "Two-step verification codes on the desktop, kept in an encrypted vault.\n\n\
        `twostep code --uri URI` computes a code without any vault, like `oathtool --totp`. \
        The other commands work on the vault: a SQLite file in which every secret is sealed \
        under a key that only the passphrase unlocks."
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
    /// The vault file, else $TWOSTEP_VAULT, else twostep/vault.db in the user's data directory
    /// (e.g. $XDG_DATA_HOME or ~/.local/share)
    // TWOSTEP_VAULT is read in `unlock::vault_path`, not by clap: clap would print its value
    // in the help and write `--vault <PATH>` into usage lines as if it were required.
    #[arg(long, global = true, value_name = "PATH")]
    pub vault: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print codes: of one otpauth URI or bare secret (no vault), or of the vault's entries
    #[command(after_help = CODE_HELP)]
    Code(CodeArgs),
    /// Add one otpauth URI to the vault (creating the vault if there is none); a key the vault
    /// already holds is skipped with a note
    Add(AddArgs),
    /// List the vault's entries, without their secrets
    List(ListArgs),
    /// Show live codes with a countdown on the whole terminal until q, Esc or Ctrl-C
    Watch(WatchArgs),
    /// Remove one entry and its secret from the vault
    Remove(RemoveArgs),
    /// Change an entry's issuer and account names
    Rename(RenameArgs),
    /// Import another app's export (Google Authenticator, Aegis, 2FAS, Bitwarden, Ente, otpauth
    /// URI lists), its format recognised: previewed, then added all or nothing (creating the
    /// vault if there is none)
    Import(ImportArgs),
    /// Write an encrypted backup of the whole vault to a new file (never overwrites one)
    #[command(after_help = BACKUP_HELP)]
    Backup(BackupArgs),
    /// Restore an encrypted backup into the vault (creating the vault if there is none);
    /// entries the vault already holds are skipped and listed
    Restore(RestoreArgs),
    /// Print every entry with its secret UNENCRYPTED, for moving to another app: otpauth URIs
    /// or Google Authenticator export links (needs --unencrypted)
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// Show an entry's QR code in the terminal for another app to scan, or read the entries
    /// of a QR code picture (--read)
    Qr(QrArgs),
    /// Put an HOTP (counter) entry back in step from two consecutive codes of the other side
    Resync(ResyncArgs),
    /// Change the vault's passphrase: the old one once, the new one twice (or
    /// TWOSTEP_PASSPHRASE and TWOSTEP_NEW_PASSPHRASE); until the change is saved the old one
    /// keeps working
    Passphrase,
    /// Print a shell completion script (e.g. `twostep completions bash > twostep.bash`)
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `twostep man | man -l -`
    Man,
    /// Walk the whole seller story of two-step verification against an embedded backend
    /// (temporary files, no vault; exits non-zero if any step does not behave as the
    /// Seller Central help page "Two-Step Verification" says)
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

Without a vault, like oathtool: --uri takes an otpauth URI, --secret a bare base32 secret
(with --totp, the default, or --hotp --counter C). \"-\" reads either from standard input,
which keeps it out of the shell history and the process list: never type a secret as an
argument.

Examples:
  twostep code --uri - < github.uri
  twostep code --secret - --at 59 < github.key
  twostep code --secret - --hotp --counter 4 < bank.key
  twostep code github
  twostep code github --plain | xclip";

#[derive(Args, Debug)]
pub struct CodeArgs {
    /// Show only the entries this selects (see below)
    #[arg(conflicts_with_all = ["uri", "secret"])]
    pub query: Option<String>,
    /// Print the code of this otpauth URI and nothing else, without any vault ("-" reads the
    /// URI from standard input, keeping it out of the shell history); an hotp URI gives the
    /// code of its counter
    #[arg(long, value_name = "URI", conflicts_with = "secret")]
    pub uri: Option<String>,
    /// Print the code of this base32 secret, without any vault; "-" reads it from standard
    /// input (spaces are ignored)
    #[arg(long, value_name = "BASE32")]
    pub secret: Option<String>,
    /// With --secret: a time-based code (the default), with this hash
    #[arg(long, value_name = "HASH", num_args = 0..=1, default_missing_value = "sha1",
          value_parser = ["sha1", "sha256", "sha512"], requires = "secret", conflicts_with = "hotp")]
    pub totp: Option<String>,
    /// With --secret: a counter-based code (needs --counter)
    #[arg(long, requires_all = ["secret", "counter"])]
    pub hotp: bool,
    /// With --hotp: the counter value
    #[arg(long, value_name = "C", requires = "hotp")]
    pub counter: Option<u64>,
    /// With --secret: digits of the code
    #[arg(long, value_name = "N", default_value_t = 6, requires = "secret")]
    pub digits: u8,
    /// With --secret --totp: seconds each code lasts
    #[arg(long, value_name = "S", default_value_t = 30, requires = "secret", conflicts_with = "hotp")]
    pub period: u32,
    /// Compute codes at this Unix time instead of now
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<u64>,
    /// Print only the code, ungrouped, for scripts; QUERY must select exactly one entry (with
    /// --uri or --secret the code is always printed so)
    #[arg(long)]
    pub plain: bool,
    /// Use this backend's clock (its Date header): shows the offset and warns when this
    /// computer's clock is off by more than a period
    #[arg(long, value_name = "URL", conflicts_with = "at")]
    pub server: Option<String>,
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
    /// List only the entries this selects (as in `twostep code --help`)
    pub query: Option<String>,
    /// Print a JSON array with the fields id, issuer, account, kind, algorithm, digits,
    /// period (null for hotp), counter (null unless hotp) and position
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Show only the entries this selects (as in `twostep code --help`)
    pub query: Option<String>,
    /// Stop after this many refreshes instead of running until Ctrl-C (for scripts and tests)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub frames: Option<u64>,
    /// Start the clock at this Unix time and advance it one second per refresh, without
    /// waiting (for tests and demos)
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<u64>,
    /// Use this backend's clock (its Date header), read once at start
    #[arg(long, value_name = "URL", conflicts_with = "at")]
    pub server: Option<String>,
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

/// What `twostep import --help` adds: the formats, the password, and what happens when.
const IMPORT_HELP: &str = "\
Formats (--from; by default the format is recognised from the content, and said):
  uris       one otpauth:// URI per line; blank lines and lines starting with # are skipped
  google     Google Authenticator's \"Transfer accounts\" export: the otpauth-migration://
             link of every QR code, one per line; every code of the export is needed
  aegis      an Aegis vault export (.json), plain or encrypted
  2fas       a 2FAS backup (.2fas), plain or encrypted
  bitwarden  Bitwarden's JSON export (not the encrypted one): each login's TOTP
  ente       Ente Auth's plain text export
  auto       recognise the format from the file's content (the default)

The password of an encrypted export comes from TWOSTEP_IMPORT_PASSWORD, or is asked for
in the terminal without echo.

Nothing is stored before the preview is printed, by entry number: what will be added, what
the vault (or an earlier entry of the file) already holds, and what was refused and why.
A duplicate (the same key and settings as an entry of the vault or an earlier entry of the
file, whatever its names) is skipped with a note, as `twostep add` does. One refused entry stops the whole import unless --skip-invalid is
given; the rest is added in one transaction: all of it, or nothing. With --dry-run the
preview is printed, nothing changes (no vault is created), and the exit status is the one
the import would have.";

#[derive(Args, Debug)]
#[command(after_help = IMPORT_HELP)]
pub struct ImportArgs {
    /// The export file; "-" reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The app that wrote FILE (see below)
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "auto",
        value_parser = clap::builder::PossibleValuesParser::new(["uris", "google", "aegis", "2fas", "bitwarden", "ente", "auto"])
    )]
    pub from: String,
    /// Print what the import would do, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the other entries when some are refused (by default one refused entry stops
    /// the whole import)
    #[arg(long)]
    pub skip_invalid: bool,
}

const BACKUP_HELP: &str = "\
The backup holds every entry (names, kind, algorithm, digits, period or counter, secret, order)
encrypted with AES-256-GCM under a key derived from its password with Argon2id (19 MiB, 2
passes). The password comes from TWOSTEP_BACKUP_PASSWORD or is asked for twice; it need not be
the vault's passphrase. Without it the backup cannot be opened: keep it somewhere safe.
`twostep restore FILE` reads it back, into this vault or a new one.";

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The backup file to create; an existing file is never overwritten
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A backup written by `twostep backup`
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print what the restore would add and skip, and change nothing (no vault is created)
    #[arg(long)]
    pub dry_run: bool,
}

const EXPORT_HELP: &str = "\
Formats:
  uris    one otpauth:// URI per line, read by most authenticator apps
  google  Google Authenticator's \"Transfer accounts\" links (otpauth-migration://), at most
          10 entries each; with --qr, one QR code per link to scan with Google Authenticator.
          Google's format has no Steam codes, only 6 or 8 digits and only 30-second codes:
          other entries are left out and each is named on standard error.

Everything goes to standard output. It holds every secret in the clear: anyone who reads it
can make your codes. For a copy to keep, use `twostep backup FILE` (encrypted).";

/// The plain formats `export` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Uris,
    Google,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// What to write (see below)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// Confirms that the output holds every secret unencrypted; refused without it
    #[arg(long)]
    pub unencrypted: bool,
    /// Draw each URI or link as a QR code in the terminal instead of printing its text
    #[arg(long)]
    pub qr: bool,
    /// With --qr: draw for a terminal with a light background (default: dark background)
    #[arg(long, requires = "qr")]
    pub light_background: bool,
}

#[derive(Args, Debug)]
pub struct QrArgs {
    /// The entry to show (an id, an id prefix, or a name query that selects exactly one)
    #[arg(value_name = "QUERY", required_unless_present = "read", conflicts_with = "read")]
    pub query: Option<String>,
    /// Read the QR codes of this PNG or JPEG picture (otpauth URIs or a Google Authenticator
    /// export) and print their entries without secrets
    #[arg(long, value_name = "IMAGE")]
    pub read: Option<PathBuf>,
    /// With --read: add the entries to the vault (creating it if there is none); entries it
    /// already holds are skipped
    #[arg(long, requires = "read")]
    pub add: bool,
    /// Draw for a terminal with a light background (default: dark background)
    #[arg(long, conflicts_with = "read")]
    pub light_background: bool,
}

#[derive(Args, Debug)]
pub struct ResyncArgs {
    /// The HOTP entry (an id, an id prefix, or a name query that selects exactly one)
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// A code the other side shows
    #[arg(value_name = "CODE1")]
    pub code1: String,
    /// The code it shows next
    #[arg(value_name = "CODE2")]
    pub code2: String,
    /// Search from this counter [default: the entry's own counter]
    #[arg(long, value_name = "N")]
    pub from: Option<u64>,
    /// How many counters to search past --from (at most 10000)
    #[arg(long, value_name = "N", default_value_t = twostep_core::otp::resync::DEFAULT_LOOK_AHEAD,
          value_parser = clap::value_parser!(u64).range(0..=twostep_core::otp::resync::MAX_LOOK_AHEAD))]
    pub look_ahead: u64,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The whole command line as clap knows it, with the exit status table added to every
/// subcommand's help: `--help`, `completions` and `man` all come from this.
pub fn command() -> clap::Command {
    Cli::command().after_help(format!("{AFTER_HELP}\n\n{EXIT_STATUS}")).mut_subcommands(|sub| {
        let text = match sub.get_after_help() {
            Some(own) => format!("{own}\n\n{EXIT_STATUS}"),
            None => EXIT_STATUS.to_owned(),
        };
        sub.after_help(text)
    })
}

/// `twostep code --uri …` (with `--at`, or anything else `code` takes) parsed by the `code`
/// subcommand's own arguments only: the stateless code is what scripts run in a loop, and
/// building every subcommand with its help text was most of that process's own time. The
/// same clap definitions parse it, so the result is what [`parse`] gives; anything they do
/// not accept alone (no `--uri`, a global option, `--help`, an error) is `None`, and
/// [`parse`] then handles it as always.
pub fn parse_code_uri() -> Option<CodeArgs> {
    let mut argv = std::env::args_os().skip(1);
    if argv.next()? != "code" {
        return None;
    }
    let code = CodeArgs::augment_args(clap::Command::new("code").no_binary_name(true));
    let parsed = code.try_get_matches_from(argv).ok().and_then(|m| CodeArgs::from_arg_matches(&m).ok())?;
    parsed.uri.is_some().then_some(parsed)
}

/// Parses the process's arguments, exiting with status 2 on a usage error (0 for `--help`
/// and `--version`).
///
/// clap quotes unexpected values in its errors; an argument that looks like an otpauth URI
/// is replaced by a placeholder first, so a misplaced URI never reaches the terminal.
pub fn parse() -> Cli {
    let argv: Vec<OsString> = std::env::args_os().collect();
    match command().try_get_matches_from(&argv).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(parsed) => parsed,
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

    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }
}
