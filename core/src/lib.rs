//! Twostep's core: everything a Kotlin and a Swift shell would otherwise both write.
//!
//! - [`otp`]: codes (TOTP, HOTP, Steam), otpauth URIs, what a code screen shows;
//! - [`import`]: other apps' exports turned into credentials;
//! - [`vault`]: the encrypted SQLite vault of credentials and its key stores;
//! - [`protocol`]: the wire protocol shared with the backend (bodies, signed push messages);
//! - [`clock`]: the `Clock` every time-dependent rule asks;
//! - [`secret`]: the redacting, zeroizing byte type every secret travels in.
//!
//! No UniFFI here: `twostep-ffi` wraps these types for the apps.

pub mod clock;
pub mod import;
pub mod otp;
pub mod protocol;
pub mod secret;
pub mod vault;
