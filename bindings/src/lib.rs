//! `twostep-ffi`: the UniFFI facade that Kotlin and Swift see, namespace `twostep`.
//!
//! Owns the objects (`Vault`, `TwostepClient`, `ImportPreview`), the foreign traits
//! (`KeyStore`) and the one error mapping, and nothing else. Records and enums are core's own,
//! exported as they are through core's `uniffi` feature (their Kotlin package is
//! `dev.twostep.model`, their Swift module this one); every rule (validation, code generation,
//! grouping, storage) is `twostep-core`'s. A function here takes foreign values, calls core.
//!
//! - [`error`]: the one public error enum, [`TwostepError`], and the one place core errors
//!   become it;
//! - [`codes`]: the free functions for codes and `otpauth://` URIs;
//! - [`keystore`]: the [`KeyStore`] foreign trait the app implements (Android Keystore, iOS
//!   Keychain) and its adapter to core's key store;
//! - [`vault`]: the [`Vault`] object over core's encrypted vault (entries, codes, HOTP
//!   resync);
//! - [`import`]: imports from other authenticators: the [`ImportPreview`]
//!   object, `Vault.preview_import` / `Vault.apply_import`, [`detect_import_format`];
//! - [`backup`]: encrypted backups: `Vault.backup`, `Vault.restore_backup`, [`backup_info`];
//! - [`export`]: plain exports behind `UnencryptedExport` (`Vault.export_unencrypted_uris`,
//!   `Vault.export_google_migration`) and [`qr_png`] to show them;
//! - [`methods`]: checking a chosen pair, phone numbers, the backup picker and code prompts
//!   ([`validate_methods`], [`backup_options`], [`parse_phone_number`]…);
//! - [`client`]: the [`TwostepClient`] object over core's client (sign-in, enrollment, push
//!   approvals, trust, logout) and its `async` calls;
//! - [`clock`]: the [`clock::Clock`] foreign trait, so flows run at a time a test chooses;
//! - [`flows`]: the app's screens as objects (sign-in, methods, approvals, codes, security
//!   settings, logout) with a listener trait each; their states are core's records;
//! - `self_test_panic` (feature `testing`): a deliberate panic, so binding tests can prove a
//!   Rust panic reaches the app as an exception instead of killing it;
//! - `self_test_noop` and `self_test_time_codes` (feature `testing`): the two baselines of the
//!   Kotlin benchmark row (`scripts/bench`), measured in the JVM that makes the real call.
//!
//! Bindings are generated from the built library (library mode) with the repository's
//! `uniffi.toml`; see `scripts/kotlin-test`.

#![forbid(unsafe_code)]

uniffi::setup_scaffolding!("twostep");

// Android's TLS init: `PlatformTls.nativeInit`, exported from this library. Named here so the
// crate is linked (an unreferenced dependency is left out, and its symbol with it).
#[cfg(target_os = "android")]
use twostep_android_init as _;

pub mod backup;
pub mod client;
pub mod clock;
pub mod codes;
pub mod error;
pub mod export;
pub mod flows;
pub mod import;
pub mod keystore;
pub mod methods;
pub mod vault;

pub use backup::backup_info;
pub use client::{TwostepClient, trust_loss_message};
pub use codes::{code_at, code_from_uri, group_code, parse_uri};
pub use error::TwostepError;
pub use export::qr_png;
pub use import::{ImportPreview, detect_import_format, import_format_app};
pub use keystore::{KeyStore, KeyStoreFailure};
pub use methods::{
    backup_options, code_prompt, didnt_receive_code, method_kind_label, parse_phone_number, validate_methods,
};
pub use vault::Vault;

/// Panics with `message`, on purpose. Exists only so the binding test suites can prove that a
/// Rust panic surfaces as an exception in Kotlin or Swift (the app keeps running and the next
/// call works) rather than aborting the process. Only with the `testing` feature: the shipping
/// library does not have it.
#[cfg(feature = "testing")]
#[uniffi::export]
pub fn self_test_panic(message: String) {
    panic!("{message}");
}

/// Does nothing: one call from Kotlin or Swift into Rust and back, the crossing alone. A
/// baseline of the Kotlin benchmark row; only with the `testing` feature.
#[cfg(feature = "testing")]
#[uniffi::export]
pub fn self_test_noop() {}

/// Makes `vault`'s codes at `unix_seconds` `rounds` times inside Rust (what `Vault.codes`
/// does, without the crossing and the records' conversion) and returns the nanoseconds that
/// took in all. A baseline of the Kotlin benchmark row; only with the `testing` feature.
#[cfg(feature = "testing")]
#[uniffi::export]
pub fn self_test_time_codes(vault: std::sync::Arc<Vault>, unix_seconds: u64, rounds: u32) -> u64 {
    vault.time_codes(unix_seconds, rounds)
}
