//! The `twostep` binary as people and scripts use it: real processes, real vault files in
//! temporary folders, a cheap passphrase through `TWOSTEP_PASSPHRASE`.
//!
//! One test binary, a module per job; `support` holds what they share.

mod code_uri;
mod import;
mod moving;
mod support;
mod vault;
