//! Which credentials a vault already holds: the same second factor (secret, kind, algorithm,
//! digits and period), whatever its names or HOTP counter. Compared by fingerprint, so the
//! comparison table holds no secret in the clear.

use std::collections::HashMap;

use super::{Result, Vault};
use crate::otp::{Credential, Kind};

impl Vault {
    /// For each candidate, the id of an entry that already holds the same credential: the same
    /// secret, kind, algorithm, digits and period. Names and HOTP counters may differ (a
    /// renamed entry is still the same second factor).
    pub fn find_duplicates(&self, candidates: &[Credential]) -> Result<Vec<Option<String>>> {
        if candidates.is_empty() || self.slots.is_empty() {
            return Ok(vec![None; candidates.len()]);
        }
        let known: HashMap<[u8; 32], String> =
            self.credentials()?.into_iter().map(|(e, c)| (fingerprint(&c), e.id)).collect();
        Ok(candidates.iter().map(|c| known.get(&fingerprint(c)).cloned()).collect())
    }
}

/// What makes two credentials the same second factor, hashed so the comparison table holds
/// no secret in the clear. Memory only; never stored.
fn fingerprint(c: &Credential) -> [u8; 32] {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let kind = match c.params.kind {
        Kind::Hotp { .. } => "hotp".to_owned(),
        other => format!("{}/{}", other.name(), other.period().unwrap_or(0)),
    };
    ctx.update(format!("{kind}/{}/{}/", c.params.algorithm.as_str(), c.params.digits).as_bytes());
    ctx.update(c.secret.expose());
    ctx.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
}
