//! Imports: turning another app's export into credentials, before the vault stores them.
//!
//! Each importer reads one format and names the entry at fault; none stores anything. The
//! caller adds the result in one vault transaction, so a bad file adds nothing.

pub mod uri_list;

pub use uri_list::{LineError, parse_uri_list, parse_uris};
