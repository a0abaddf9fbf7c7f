//! HOTP resynchronisation (RFC 4226 §7.4): given two consecutive codes from the other side
//! (a hardware token, the service's resync page, another authenticator), find the counter at
//! which they are made, within a bounded look-ahead.
//!
//! Owns the search and its bounds; pure (a generator and numbers in, a counter out). Storing
//! the counter found is the vault's ([`crate::vault::Vault::resync_hotp`]).
//!
//! Why two codes: with 6 digits and a look-ahead of 100, one code matches by chance about
//! once in 10,000 searches; two consecutive codes match by chance about once in 10^10.
//! Why a bound: every step is an HMAC, and a wide window makes chance matches likelier, so
//! the look-ahead is at most [`MAX_LOOK_AHEAD`].

use super::display::ungroup;
use super::{Generator, InvalidParam, Kind};
use crate::secret::ct_eq;

/// The look-ahead RFC 4226 suggests a server allow when resynchronising.
pub const DEFAULT_LOOK_AHEAD: u64 = 100;
/// The widest search accepted.
pub const MAX_LOOK_AHEAD: u64 = 10_000;

/// The counter of the code *after* `code2`, when `code1` and `code2` are the codes of two
/// consecutive counters `c` and `c + 1` with `from_counter <= c <= from_counter + look_ahead`;
/// `None` when no such counter is in the window. The first (lowest) match wins.
///
/// Refused (naming the field): a generator that is not HOTP, a code that is not `digits`
/// decimal digits, a look-ahead above [`MAX_LOOK_AHEAD`]. Codes are compared in constant time.
pub fn resync(
    generator: &Generator,
    code1: &str,
    code2: &str,
    from_counter: u64,
    look_ahead: u64,
) -> Result<Option<u64>, InvalidParam> {
    let params = generator.params();
    if !matches!(params.kind, Kind::Hotp { .. }) {
        return Err(InvalidParam::new("kind", "only counter-based (HOTP) entries can be resynchronised"));
    }
    if look_ahead > MAX_LOOK_AHEAD {
        return Err(InvalidParam::new("look_ahead", format!("must be at most {MAX_LOOK_AHEAD}, got {look_ahead}")));
    }
    // Typed codes: their grouping undone the one way every typed code is.
    let (code1, code2) = (ungroup(code1), ungroup(code2));
    let (code1, code2) = (code1.expose(), code2.expose());
    for (field, code) in [("code1", code1), ("code2", code2)] {
        if code.len() != usize::from(params.digits) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidParam::new(field, format!("must be {} decimal digits", params.digits)));
        }
    }
    let last = from_counter.saturating_add(look_ahead);
    let mut counter = from_counter;
    while counter <= last {
        // The counter after code2 must exist for the entry to be usable afterwards.
        let Some(after) = counter.checked_add(2) else { break };
        if ct_eq(generator.hotp(counter).as_bytes(), code1.as_bytes())
            && ct_eq(generator.hotp(counter + 1).as_bytes(), code2.as_bytes())
        {
            return Ok(Some(after));
        }
        counter += 1;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Params};
    use crate::secret::SecretBytes;

    /// RFC 4226 Appendix D: the codes of counters 0 to 9 for the seed "12345678901234567890".
    const RFC_4226: [&str; 10] =
        ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

    fn rfc_hotp(counter: u64) -> Generator {
        Generator::new(Params::hotp(Algorithm::Sha1, 6, counter), &SecretBytes::from_slice(b"12345678901234567890"))
            .unwrap()
    }

    #[test]
    fn two_consecutive_rfc_codes_give_the_counter_after_them() {
        let g = rfc_hotp(0);
        for c in 0..9 {
            assert_eq!(resync(&g, RFC_4226[c], RFC_4226[c + 1], 0, 100).unwrap(), Some(c as u64 + 2), "counter {c}");
        }
    }

    #[test]
    fn codes_out_of_order_or_not_consecutive_do_not_match() {
        let g = rfc_hotp(0);
        assert_eq!(resync(&g, RFC_4226[4], RFC_4226[3], 0, 100).unwrap(), None);
        assert_eq!(resync(&g, RFC_4226[3], RFC_4226[5], 0, 100).unwrap(), None);
    }

    #[test]
    fn the_window_starts_at_from_and_spans_look_ahead() {
        let g = rfc_hotp(0);
        // Codes at counters 7 and 8.
        assert_eq!(resync(&g, RFC_4226[7], RFC_4226[8], 7, 0).unwrap(), Some(9));
        assert_eq!(resync(&g, RFC_4226[7], RFC_4226[8], 8, 100).unwrap(), None, "behind the window");
        assert_eq!(resync(&g, RFC_4226[7], RFC_4226[8], 0, 6).unwrap(), None, "beyond the window");
        assert_eq!(resync(&g, RFC_4226[7], RFC_4226[8], 0, 7).unwrap(), Some(9));
    }

    #[test]
    fn a_look_ahead_beyond_ten_thousand_is_refused() {
        let g = rfc_hotp(0);
        assert_eq!(resync(&g, RFC_4226[0], RFC_4226[1], 0, 10_001).unwrap_err().field, "look_ahead");
        assert!(resync(&g, RFC_4226[0], RFC_4226[1], 0, MAX_LOOK_AHEAD).is_ok());
    }

    #[test]
    fn malformed_codes_and_time_based_entries_are_refused() {
        let g = rfc_hotp(0);
        assert_eq!(resync(&g, "75522", RFC_4226[1], 0, 10).unwrap_err().field, "code1");
        assert_eq!(resync(&g, RFC_4226[0], "28708a", 0, 10).unwrap_err().field, "code2");
        let totp =
            Generator::new(Params::totp(Algorithm::Sha1, 6, 30), &SecretBytes::from_slice(b"12345678901234567890"))
                .unwrap();
        assert_eq!(resync(&totp, RFC_4226[0], RFC_4226[1], 0, 10).unwrap_err().field, "kind");
    }

    #[test]
    fn the_end_of_the_counter_space_does_not_overflow() {
        let g = rfc_hotp(0);
        assert_eq!(resync(&g, RFC_4226[0], RFC_4226[1], u64::MAX - 5, 100).unwrap(), None);
    }

    #[test]
    fn the_vault_saves_the_counter_found_and_keeps_it_after_reopening() {
        use crate::clock::FixedClock;
        use crate::otp::Credential;
        use crate::vault::{KdfParams, PassphraseKeyStore, Vault};
        use std::sync::Arc;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let store = PassphraseKeyStore::with_params("pw", KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 });
        let clock = Arc::new(FixedClock::at(1_700_000_000));
        let mut vault = Vault::create(&path, &store, clock.clone()).unwrap();
        let entry = vault
            .add(&Credential {
                issuer: "Token".into(),
                account: "ada".into(),
                params: Params::hotp(Algorithm::Sha1, 6, 0),
                secret: SecretBytes::from_slice(b"12345678901234567890"),
            })
            .unwrap();
        // The hardware token is at counter 5 and shows 254676 then 287922.
        assert!(vault.resync_hotp(&entry.id, ("111111", "222222"), Some(0), Some(100)).unwrap().is_none());
        assert_eq!(vault.get(&entry.id).unwrap().params.kind, Kind::Hotp { counter: 0 }, "no match, no change");
        let moved = vault.resync_hotp(&entry.id, (RFC_4226[5], RFC_4226[6]), None, None).unwrap().unwrap();
        assert_eq!(moved.params.kind, Kind::Hotp { counter: 7 });
        assert_eq!(vault.code(&entry.id, 0).unwrap(), RFC_4226[7]);
        drop(vault);
        let vault = Vault::open(&path, &store, clock).unwrap();
        assert_eq!(vault.get(&entry.id).unwrap().params.kind, Kind::Hotp { counter: 8 });
    }
}
