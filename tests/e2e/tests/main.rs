//! End-to-end: the core's client against the real reference server over loopback HTTP.
//!
//! One test binary (one build, one link) with a module per area; fixtures live in the
//! crate's library (`twostep_e2e`). Each test starts its own server on a free port with its
//! own database and vaults, so tests run in parallel without seeing each other.

mod flows;
mod push;
mod signin;
mod trust;
