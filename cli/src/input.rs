//! Reading what the user gives: a file, standard input for `-`, and secrets typed without
//! echo (or taken from the environment).
//!
//! Owns turning a path argument into text with an error that names the file, and the one way
//! every passphrase and password is asked for. Does not parse:
//! URIs go to core's `otp::uri`, import files to core's `import` (through [`crate::vault_cmd`]).

use std::io::{IsTerminal, Read};
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::CliError;

/// The text of `path`, or of standard input when `path` is `-`. The buffer is zeroized on
/// drop: these files hold secrets.
pub fn read_text(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let mut text = Zeroizing::new(String::new());
    let (what, result) = if path.as_os_str() == "-" {
        ("standard input".to_owned(), std::io::stdin().lock().read_to_string(&mut text))
    } else {
        let shown = path.display().to_string();
        (shown, std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text)))
    };
    match result {
        Ok(_) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            Err(CliError::Invalid(format!("{what} is not UTF-8 text")))
        }
        Err(e) => Err(CliError::Failed(format!("could not read {what}: {}", crate::error::io_words(&e)))),
    }
}

/// A URI argument: the argument itself, or standard input for `-`.
pub fn uri_argument(arg: &str) -> Result<Zeroizing<String>, CliError> {
    if arg == "-" { read_text(Path::new("-")) } else { Ok(Zeroizing::new(arg.to_owned())) }
}

/// A secret the user types (vault passphrase, backup or import password): where it comes from
/// and what to call it in messages.
pub struct Ask<'a> {
    /// The environment variable that gives it without a prompt (scripts, tests).
    pub env: &'a str,
    /// What it is, for messages: "passphrase", "backup password".
    pub what: &'a str,
    /// The terminal prompt.
    pub prompt: String,
}

/// The secret from the environment, or else asked for on the terminal without echo.
/// rpassword reads the controlling terminal, so this works with a redirected standard input
/// and fails cleanly without a terminal.
pub fn secret(ask: &Ask<'_>) -> Result<Zeroizing<String>, CliError> {
    match from_env(ask)? {
        Some(value) => Ok(value),
        None => prompt(ask, &ask.prompt),
    }
}

/// A new secret: never empty, and when typed, typed twice and compared. `nothing_done` ends
/// a refusal ("no vault was created").
pub fn new_secret(ask: &Ask<'_>, nothing_done: &str) -> Result<Zeroizing<String>, CliError> {
    let (Ask { env, what, .. }, typed) = match from_env(ask)? {
        Some(value) => (ask, value),
        None => {
            let first = prompt(ask, &ask.prompt)?;
            if !first.is_empty() && *first != *prompt(ask, &format!("Repeat the {}: ", ask.what))? {
                return Err(CliError::Usage(format!("the two {}s differ; {nothing_done}", ask.what)));
            }
            (ask, first)
        }
    };
    if typed.is_empty() {
        let source = if std::env::var_os(env).is_some() { format!("{env} is empty") } else { "it was empty".into() };
        return Err(CliError::Usage(format!("a new {what} must not be empty ({source}); {nothing_done}")));
    }
    Ok(typed)
}

fn from_env(ask: &Ask<'_>) -> Result<Option<Zeroizing<String>>, CliError> {
    std::env::var_os(ask.env)
        .map(|v| {
            v.into_string().map(Zeroizing::new).map_err(|_| CliError::Usage(format!("{} is not valid UTF-8", ask.env)))
        })
        .transpose()
}

/// rpassword opens the controlling terminal itself: without one (a service, CI) that open
/// fails; in a terminal, Ctrl-D ends the input before a line was typed.
fn prompt(ask: &Ask<'_>, text: &str) -> Result<Zeroizing<String>, CliError> {
    rpassword::prompt_password(text).map(Zeroizing::new).map_err(|e| {
        let Ask { what, env, .. } = ask;
        CliError::Usage(match e.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                // The prompt's line was left open by the end of input.
                eprintln!();
                format!("no {what} given (the input ended); nothing was changed")
            }
            std::io::ErrorKind::Interrupted => format!("no {what} given (interrupted); nothing was changed"),
            _ if std::io::stdin().is_terminal() => {
                format!("cannot ask for the {what}: {}; set {env}", crate::error::io_words(&e))
            }
            _ => format!("cannot ask for the {what}: there is no terminal to ask in; set {env}"),
        })
    })
}
