//! The reference backend over real HTTP on loopback, one behaviour per test, at fixed
//! instants of an injected clock. One test binary (modules below) so it links once.

mod support;

mod enrollment;
mod logins;
mod push;
mod signin;
mod trust;
