//! Twostep's core: everything a Kotlin and a Swift shell would otherwise both write.
//!
//! - [`otp`]: codes (TOTP, HOTP, Steam), otpauth URIs, what a code screen shows;
//! - [`import`]: other apps' exports turned into credentials;
//! - [`vault`]: the encrypted SQLite vault of credentials and its key stores;
//! - [`backup`]: encrypted backups of the whole vault (Twostep's own format) and restoring them;
//! - [`export`]: plain exports for moving elsewhere (otpauth URIs, Google Authenticator), each
//!   behind an explicit "unencrypted" choice;
//! - `qr` (feature `qr`; reading images with `qr-read`; both on by default): QR codes drawn for
//!   a terminal or a PNG, and read from images;
//! - [`methods`]: the primary/backup method rules, phone numbers, sign-in fallback, changing methods;
//! - [`protocol`]: the wire protocol shared with the backend (bodies, signed push messages);
//! - `client` (feature `client`, on by default): the app's side of that protocol: sign-in,
//!   enrollment, push approvals, trust;
//! - [`flows`]: the app's screens as objects: a state to render, one method per action;
//! - [`clock`]: the `Clock` every time-dependent rule asks;
//! - [`secret`]: the redacting, zeroizing byte type every secret travels in.
//!
//! With the `uniffi` feature (on only for `twostep-ffi`), core's plain records and enums derive
//! UniFFI's traits where they are defined, so the apps see them without a copy; the objects,
//! the foreign traits and the one public error stay in `twostep-ffi`.

#![forbid(unsafe_code)]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

pub mod backup;
#[cfg(feature = "client")]
pub mod client;
pub mod clock;
pub mod export;
pub mod flows;
pub mod import;
pub mod methods;
pub mod otp;
pub mod protocol;
#[cfg(feature = "qr")]
pub mod qr;
pub mod secret;
pub mod vault;
