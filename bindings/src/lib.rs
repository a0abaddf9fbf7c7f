//! `twostep-ffi`: the UniFFI facade that Kotlin and Swift see, namespace `twostep`.
//!
//! Owns converting core types and errors into records, enums and objects the generated
//! bindings can carry, and nothing else: every rule (validation, code generation, grouping,
//! storage) is `twostep-core`'s. A function here takes foreign values, calls core, converts.
//!
//! - [`error`]: the one public error enum, [`TwostepError`], and the one place core errors
//!   become it;
//! - [`codes`]: code records ([`OtpParams`], [`CodeView`], [`UriInfo`]) and the free functions
//!   for codes and `otpauth://` URIs;
//! - [`keystore`]: the [`KeyStore`] foreign trait the app implements (Android Keystore, iOS
//!   Keychain) and its adapter to core's key store;
//! - [`vault`]: the [`Vault`] object over core's encrypted vault;
//! - [`self_test_panic`]: a deliberate panic, so binding tests can prove a Rust panic reaches
//!   the app as an exception instead of killing it.
//!
//! Bindings are generated from the built library (library mode) with the repository's
//! `uniffi.toml`; see `scripts/kotlin-test`.

uniffi::setup_scaffolding!("twostep");

pub mod codes;
pub mod error;
pub mod keystore;
pub mod vault;

pub use codes::{CodeView, OtpAlgorithm, OtpKind, OtpParams, Timing, UriInfo};
pub use error::TwostepError;
pub use keystore::{KeyStore, KeyStoreFailure};
pub use vault::{Entry, EntryCode, Vault};

/// Panics with `message`, on purpose. Exists only so the binding test suites can prove that a
/// Rust panic surfaces as an exception in Kotlin or Swift (the app keeps running and the next
/// call works) rather than aborting the process. Apps never call it.
#[uniffi::export]
pub fn self_test_panic(message: String) {
    panic!("{message}");
}
