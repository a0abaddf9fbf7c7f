//! Reading what the user points at: a file, or standard input for `-`.
//!
//! Owns turning a path argument into text with an error that names the file. Does not parse:
//! URIs go to core's `otp::uri`, import files to [`crate::import`].

use std::io::Read;
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
        Err(e) => Err(CliError::Failed(format!("could not read {what}: {e}"))),
    }
}

/// A URI argument: the argument itself, or standard input for `-`.
pub fn uri_argument(arg: &str) -> Result<Zeroizing<String>, CliError> {
    if arg == "-" { read_text(Path::new("-")) } else { Ok(Zeroizing::new(arg.to_owned())) }
}
