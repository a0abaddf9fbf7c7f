//! What the core's benchmarks share: a key store without key derivation, reading and
//! showing criterion's medians from the same run, and the one-line rows `scripts/bench` reads.

use std::path::Path;

use twostep_core::secret::SecretBytes;
use twostep_core::vault::{KeyStore, KeyStoreError};

/// A key store with no key derivation, standing in for a platform key store (a Keystore or
/// Keychain call), so opening and filling vaults measures the vault and not Argon2.
pub struct InMemoryKeyStore;

impl KeyStore for InMemoryKeyStore {
    fn wrap_key(&self, key: &SecretBytes) -> Result<Vec<u8>, KeyStoreError> {
        Ok(key.expose().to_vec())
    }
    fn unwrap_key(&self, wrapped: &[u8]) -> Result<SecretBytes, KeyStoreError> {
        Ok(SecretBytes::from_slice(wrapped))
    }
}

/// Criterion's median, in nanoseconds, for a benchmark of this run (`group/id` or `id`).
pub fn median_ns(id: &str) -> Option<f64> {
    let dir =
        std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into());
    let path = Path::new(&dir).join("criterion").join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// A duration in nanoseconds, in the unit that reads best.
pub fn show(ns: f64) -> String {
    match ns {
        ns if ns >= 1e9 => format!("{:.2} s", ns / 1e9),
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}

/// One row for `scripts/bench`'s table, on a line of its own: figure, measured, baseline,
/// ratio, target, and whether the target is met (`None`: not measured in this run).
// Only the vault bench's figures are in the table; the backup bench shares this module.
#[allow(dead_code)]
pub fn table_row(figure: &str, measured: String, baseline: String, ratio: String, target: &str, met: Option<bool>) {
    let verdict = match met {
        Some(true) => "met",
        Some(false) => "NOT met",
        None => "not measured",
    };
    println!("bench-row|{figure}|{measured}|{baseline}|{ratio}|{target}|{verdict}");
}
