//! The seller's web sign-in in a real headless Chromium, driven over WebDriver, against the
//! real reference server on loopback; the seller's phone is the core's client.
//!
//! One test binary with a module per area; `http` checks the pages' cookie and CSRF rules
//! over plain HTTP, so it runs even where Chromium is not installed. Each test starts its own server, chromedriver and
//! browser profiles, takes the suite's lock (one browser test at a time) and saves a
//! screenshot into `target/screens/web-*.png`.

mod csrf;
mod enroll;
mod http;
mod signin;
mod support;
mod trust;
