//! `twostep passphrase`: a new passphrase for the vault.
//!
//! The old passphrase opens the vault (from `TWOSTEP_PASSPHRASE` or asked once), the new one
//! comes from `TWOSTEP_NEW_PASSPHRASE` or is asked twice and compared. Core re-wraps the data
//! key in one transaction ([`Vault::rewrap_key`](twostep_core::vault::Vault::rewrap_key)):
//! the entries are not touched, and a crash before the commit leaves the old passphrase
//! working.

use twostep_core::vault::PassphraseKeyStore;

use crate::args::VaultArgs;
use crate::error::CliError;
use crate::{input, output, unlock};

pub const NEW_PASSPHRASE_ENV: &str = "TWOSTEP_NEW_PASSPHRASE";

pub fn run(vault_args: &VaultArgs) -> Result<(), CliError> {
    let (mut vault, old) = unlock::open_keeping_passphrase(vault_args)?;
    let ask = input::Ask {
        env: NEW_PASSPHRASE_ENV,
        what: "new passphrase",
        prompt: format!("New passphrase for {}: ", vault.path().display()),
    };
    let new = input::new_secret(&ask, "the passphrase was not changed")?;
    if *new == *old {
        return Err(CliError::Usage("the new passphrase is the old one; the passphrase was not changed".into()));
    }
    vault.rewrap_key(&PassphraseKeyStore::new(&old), &PassphraseKeyStore::new(&new))?;
    output::print(&format!("changed the passphrase of {}; the old one no longer opens it\n", vault.path().display()))
}
