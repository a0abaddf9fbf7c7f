//! What can go wrong in a command, the message the user sees, and the exit status it gives.
//!
//! Owns the one mapping from core errors ([`VaultError`], [`UriError`]) to exit statuses
//! (documented in `twostep --help`). Messages come from the core errors' `Display`, which
//! never carries a secret; this module adds nothing that could (no URI, no passphrase).
//! Operating-system and network errors are put into words here ([`io_words`],
//! [`network_words`]): no `(os error 6)` and no chain of causes reaches the user.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use twostep_core::otp::InvalidParam;
use twostep_core::otp::uri::UriError;
use twostep_core::vault::VaultError;

/// A failed command.
#[derive(Debug)]
pub enum CliError {
    /// The command line or the situation does not allow asking what is needed (status 2).
    Usage(String),
    /// The passphrase does not open the vault (status 3).
    WrongPassphrase,
    /// Another password (a backup's) is wrong; the message says which and that nothing
    /// changed (status 3).
    WrongPassword(String),
    /// There is no vault file where one was expected (status 4).
    NoVault(PathBuf),
    /// A query selected nothing, or several entries where one is needed (status 5).
    Selection(String),
    /// A URI, an import line or a name was refused (status 6).
    Invalid(String),
    /// Standard output was closed (e.g. `| head`): stop quietly (status 1).
    OutputClosed,
    /// Anything else (status 1).
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Failed(_) | CliError::OutputClosed => 1,
            CliError::Usage(_) => 2,
            CliError::WrongPassphrase | CliError::WrongPassword(_) => 3,
            CliError::NoVault(_) => 4,
            CliError::Selection(_) => 5,
            CliError::Invalid(_) => 6,
        }
    }

    /// Prints the message on standard error (unless there is nothing to say) and gives the
    /// exit status.
    pub fn report(&self) -> ExitCode {
        if !matches!(self, CliError::OutputClosed) {
            eprintln!("twostep: {self}");
        }
        ExitCode::from(self.exit_code())
    }

    /// A URI refused by the parser: the error names the field, never the URI.
    pub fn bad_uri(e: &UriError) -> Self {
        CliError::Invalid(format!("the otpauth URI was refused: {e}"))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m)
            | CliError::Selection(m)
            | CliError::Invalid(m)
            | CliError::Failed(m)
            | CliError::WrongPassword(m) => f.write_str(m),
            CliError::WrongPassphrase => f.write_str(
                "the passphrase does not open this vault (it was left as it is); check the passphrase, \
                 or TWOSTEP_PASSPHRASE if it is set",
            ),
            CliError::NoVault(path) => write!(
                f,
                "there is no vault at {}; `twostep add URI` or `twostep import FILE` creates one",
                path.display()
            ),
            CliError::OutputClosed => f.write_str("standard output was closed"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<VaultError> for CliError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::WrongKey => CliError::WrongPassphrase,
            VaultError::NoVault(path) => CliError::NoVault(path),
            VaultError::EntryNotFound(_) => CliError::Selection(e.to_string()),
            VaultError::Invalid(_) => CliError::Invalid(e.to_string()),
            VaultError::Io(e) => CliError::Failed(format!("could not read or write the vault file: {}", io_words(&e))),
            other => CliError::Failed(other.to_string()),
        }
    }
}

/// What went wrong with a file or a terminal, in words; never the raw `(os error N)`.
pub fn io_words(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "it does not exist",
        K::PermissionDenied => "permission denied",
        K::AlreadyExists => "it already exists",
        K::IsADirectory => "it is a folder, not a file",
        K::NotADirectory => "a part of the path is a file, not a folder",
        K::StorageFull => "the disk is full",
        K::ReadOnlyFilesystem => "the file system is read-only",
        K::InvalidData => "it is not text",
        K::UnexpectedEof => "the input ended too early",
        K::Interrupted => "it was interrupted",
        K::BrokenPipe => "the other end was closed",
        _ if e.raw_os_error() == Some(6) => "there is no terminal",
        _ => "the system refused (an input/output error)",
    }
}

/// A network failure in one line, saying what to check; the cause chain stays out.
pub fn network_words(url: &str, e: &twostep_core::client::ClientError) -> String {
    use twostep_core::client::{ClientError, NetworkErrorKind};
    match e {
        ClientError::Network { kind: NetworkErrorKind::Connect, .. } => {
            format!("could not connect to {url}; check the address and that the server is running")
        }
        ClientError::Network { kind: NetworkErrorKind::Timeout, .. } => {
            format!("{url} did not answer in time; try again, or check the address")
        }
        ClientError::Network { .. } => format!("the connection to {url} broke; try again"),
        ClientError::InvalidInput { field, reason } => format!("the {field} {url} is not usable: {reason}"),
        ClientError::Server(api) => format!("{url} refused: {}", api.message),
        _ => format!("{url} did not answer as a Twostep server does; check the address"),
    }
}

impl From<InvalidParam> for CliError {
    fn from(e: InvalidParam) -> Self {
        CliError::Invalid(format!("invalid {e}"))
    }
}

impl From<std::io::Error> for CliError {
    /// Only for writes to standard output and error; file reads name their file instead.
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::OutputClosed
        } else {
            CliError::Failed(format!("could not write the output: {}", io_words(&e)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_failure_has_its_documented_status() {
        assert_eq!(CliError::Usage(String::new()).exit_code(), 2);
        assert_eq!(CliError::from(VaultError::WrongKey).exit_code(), 3);
        assert_eq!(CliError::from(VaultError::NoVault("x".into())).exit_code(), 4);
        assert_eq!(CliError::from(VaultError::EntryNotFound("x".into())).exit_code(), 5);
        assert_eq!(CliError::from(InvalidParam::new("digits", "no")).exit_code(), 6);
        assert_eq!(CliError::from(VaultError::Damaged("x".into())).exit_code(), 1);
    }
}
