//! Published test vectors, all run through [`Generator`]: RFC 6238 Appendix B (TOTP, all 18),
//! RFC 4226 Appendix D (HOTP, all 10), a Steam Guard vector, and the Steam entry of the real
//! export files — and, over random seeds, algorithms, lengths, periods and times, the same
//! codes as totp-rs, an independent implementation.

use proptest::prelude::*;
use twostep_core::otp::{
    Algorithm, Generator, Kind, MAX_DIGITS, MAX_PERIOD, MAX_SECRET_BYTES, MIN_DIGITS, MIN_SECRET_BYTES, Params, uri,
};
use twostep_core::secret::SecretBytes;

/// RFC 6238's reference code uses the ASCII seed "1234567890" repeated to the hash's output
/// size: 20 bytes for SHA-1, 32 for SHA-256, 64 for SHA-512. The RFC's prose names only the
/// 20-byte string; its Appendix A code and the Appendix B table use the longer seeds.
fn rfc6238_seed(algorithm: Algorithm) -> SecretBytes {
    let len = match algorithm {
        Algorithm::Sha1 => 20,
        Algorithm::Sha256 => 32,
        Algorithm::Sha512 => 64,
    };
    SecretBytes::new(b"1234567890".iter().copied().cycle().take(len).collect())
}

/// RFC 6238 Appendix B, Table: time, SHA-1, SHA-256, SHA-512 (8 digits, 30-second steps).
const RFC6238: [(u64, &str, &str, &str); 6] = [
    (59, "94287082", "46119246", "90693936"),
    (1_111_111_109, "07081804", "68084774", "25091201"),
    (1_111_111_111, "14050471", "67062674", "99943326"),
    (1_234_567_890, "89005924", "91819424", "93441116"),
    (2_000_000_000, "69279037", "90698825", "38618901"),
    (20_000_000_000, "65353130", "77737706", "47863826"),
];

#[test]
fn all_eighteen_rfc6238_totp_vectors_match() {
    let generators = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
        .map(|a| Generator::new(Params::totp(a, 8, 30), &rfc6238_seed(a)).unwrap());
    let mut checked = 0;
    for (time, sha1, sha256, sha512) in RFC6238 {
        for (generator, expected) in generators.iter().zip([sha1, sha256, sha512]) {
            assert_eq!(generator.code_at(time), expected, "{:?} at {time}", generator.params().algorithm);
            checked += 1;
        }
    }
    assert_eq!(checked, 18);
}

/// RFC 4226 Appendix D: secret "12345678901234567890", 6 digits, counters 0 to 9.
const RFC4226: [&str; 10] =
    ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

#[test]
fn all_ten_rfc4226_hotp_vectors_match() {
    let secret = SecretBytes::from_slice(b"12345678901234567890");
    for (counter, expected) in (0u64..).zip(RFC4226) {
        // Both ways in: a generator at its stored counter, and an explicit counter.
        let at_counter = Generator::new(Params::hotp(Algorithm::Sha1, 6, counter), &secret).unwrap();
        assert_eq!(at_counter.code_at(0), expected, "stored counter {counter}");
        assert_eq!(at_counter.code_at(1_700_000_000), expected, "HOTP ignores the time");
        let base = Generator::new(Params::hotp(Algorithm::Sha1, 6, 0), &secret).unwrap();
        assert_eq!(base.hotp(counter), expected, "explicit counter {counter}");
    }
}

#[test]
fn steam_guard_codes_match_a_published_vector() {
    // From the ValvePython `steam` library's test suite (tests/test_guard.py): shared secret
    // b"superdupersecret". Checked independently with a few lines of Python's hmac.
    let g = Generator::new(Params::steam(), &SecretBytes::from_slice(b"superdupersecret")).unwrap();
    assert_eq!(g.code_at(3_000_030), "YRGQJ");
    assert_eq!(g.code_at(3_000_029), "94R9D");
}

const STEAM_ALPHABET: &str = "23456789BCDFGHJKMNPQRTVWXY";

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_real_steam_entry_gives_five_characters_of_steams_alphabet() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/testdata/authenticator-exports");
    let path = format!("{dir}/plain.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("real export file {path} is missing ({e})"));
    let line = text.lines().find(|l| l.starts_with("otpauth://steam/")).expect("plain.txt has a Steam entry");
    let credential = uri::parse(line).unwrap();
    assert_eq!(credential.params, Params::steam());
    let g = credential.generator().unwrap();
    for t in [0, 59, 1_700_000_000, 20_000_000_000] {
        let code = g.code_at(t);
        assert_eq!(code.chars().count(), 5, "{code}");
        assert!(code.chars().all(|c| STEAM_ALPHABET.contains(c)), "{code}");
    }
}

/// totp-rs's generator for the same parameters: the independent implementation ours must
/// agree with (HOTP is its TOTP with a one-second step evaluated at the counter).
fn totp_rs_code(params: Params, secret: &[u8], at: u64) -> String {
    let (algorithm, step, time) = match params.kind {
        Kind::Totp { period } => (totp_rs_algorithm(params.algorithm), u64::from(period), at),
        Kind::Hotp { counter } => (totp_rs_algorithm(params.algorithm), 1, counter),
        Kind::Steam { period } => (totp_rs::Algorithm::Steam, u64::from(period), at),
    };
    totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(params.digits)
        .with_step_duration(step)
        .with_skew(0)
        .with_secret(secret)
        .build_noncompliant()
        .generate(time)
        .to_string()
}

fn totp_rs_algorithm(a: Algorithm) -> totp_rs::Algorithm {
    match a {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    }
}

fn any_params() -> impl Strategy<Value = Params> {
    let algorithm = prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)];
    prop_oneof![
        (algorithm.clone(), MIN_DIGITS..=MAX_DIGITS, 1..=MAX_PERIOD).prop_map(|(a, d, p)| Params::totp(a, d, p)),
        (algorithm, MIN_DIGITS..=MAX_DIGITS, any::<u64>()).prop_map(|(a, d, c)| Params::hotp(a, d, c)),
        (1..=MAX_PERIOD).prop_map(|p| Params { kind: Kind::Steam { period: p }, ..Params::steam() }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn every_code_is_the_one_totp_rs_makes(
        params in any_params(),
        secret in proptest::collection::vec(any::<u8>(), MIN_SECRET_BYTES..=MAX_SECRET_BYTES),
        // Up to the year 2500: far past any real clock, within both implementations' range.
        at in 0u64..16_725_225_600,
    ) {
        let generator = Generator::new(params, &SecretBytes::from_slice(&secret)).unwrap();
        prop_assert_eq!(generator.code_at(at), totp_rs_code(params, &secret, at));
    }
}
