//! The reference backend over real HTTP on loopback, one behaviour per test, at fixed
//! instants of an injected clock. One test binary (modules below) so it links once.

mod support;

mod enrollment;
mod logins;
mod push;
mod signin;
mod trust;

// Attacks and hardening.
mod at_rest;
mod browser_attacks;
mod code_attacks;
mod dev_clock;
mod devices;
mod session_attacks;
mod slow_client_attacks;
mod throttle_attacks;
