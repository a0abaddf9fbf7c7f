//! `otpauth://` URIs: the real export files other apps write, one test per refusal (each
//! naming the field a user would have to fix), and properties — every credential survives
//! `format` then `parse`, no input makes `parse` panic, and no error ever shows the secret.

use proptest::prelude::*;
use twostep_core::otp::uri::{self, Leniency, UriError};
use twostep_core::otp::{Algorithm, Credential, Kind, Params};
use twostep_core::secret::SecretBytes;

const EXPORTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/testdata/authenticator-exports");

/// The lines of a real export file; a missing one fails the test, naming it (the tests that
/// read one are ignored when the folder is absent, see `core/build.rs`).
fn export_lines(name: &str) -> Vec<String> {
    let path = format!("{EXPORTS}/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("real export file {path} is missing ({e})"));
    text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

/// The table of the export folder's README.md: issuer, account, kind, algorithm, digits.
fn expected_entries() -> Vec<(&'static str, &'static str, Kind, Algorithm, u8)> {
    vec![
        ("Deno", "Mason", Kind::Totp { period: 30 }, Algorithm::Sha1, 6),
        ("SPDX", "James", Kind::Totp { period: 20 }, Algorithm::Sha256, 7),
        ("Airbnb", "Elijah", Kind::Totp { period: 50 }, Algorithm::Sha512, 8),
        ("Issuu", "James", Kind::Hotp { counter: 1 }, Algorithm::Sha1, 6),
        ("Air Canada", "Benjamin", Kind::Hotp { counter: 50 }, Algorithm::Sha256, 7),
        ("WWE", "Mason", Kind::Hotp { counter: 10300 }, Algorithm::Sha512, 8),
        ("Boeing", "Sophia", Kind::Steam { period: 30 }, Algorithm::Sha1, 5),
    ]
}

fn summary(c: &Credential) -> (&str, &str, Kind, Algorithm, u8) {
    (&c.issuer, &c.account, c.params.kind, c.params.algorithm, c.params.digits)
}

fn parse_all(lines: &[String]) -> Vec<Credential> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| uri::parse(l).unwrap_or_else(|e| panic!("line {} refused: {e}", i + 1)))
        .collect()
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn every_line_of_the_plain_export_reads_as_the_readme_table() {
    let lines = export_lines("plain.txt");
    let credentials = parse_all(&lines);
    let got: Vec<_> = credentials.iter().map(summary).collect();
    assert_eq!(got, expected_entries());
    for c in &credentials {
        assert_eq!(c.secret.len(), 16, "{}: 26 base32 characters are 16 bytes", c.issuer);
        c.generator().unwrap();
    }
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn every_line_of_the_ente_export_reads_as_the_plain_export() {
    let (ente, plain) = (export_lines("ente_auth.txt"), export_lines("plain.txt"));
    let mut ente = parse_all(&ente);
    let mut plain = parse_all(&plain);
    // Same seven entries, secrets included, in another order; Ente's `codeDisplay`, its
    // lower-case `sha512` and its `period` on an HOTP entry change nothing.
    let key = |c: &Credential| (c.issuer.clone(), c.account.clone());
    ente.sort_by_key(key);
    plain.sort_by_key(key);
    assert_eq!(ente, plain);
    assert_eq!(ente.len(), expected_entries().len());
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn real_exports_survive_format_then_parse() {
    let lines = export_lines("plain.txt");
    for c in parse_all(&lines) {
        let written = uri::format(&c);
        assert_eq!(uri::parse(&written).unwrap(), c, "{}", c.issuer);
    }
}

// ---- What is accepted ------------------------------------------------------------------

/// 16 bytes: "12345678901234567890"'s first 16 bytes in base32.
const S: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY";

fn ok(u: &str) -> Credential {
    uri::parse(u).unwrap_or_else(|e| panic!("{u} refused: {e}"))
}

#[test]
fn googles_example_uri_reads_with_its_defaults() {
    let c = ok("otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example");
    assert_eq!(c.issuer, "Example");
    assert_eq!(c.account, "alice@google.com");
    assert_eq!(c.params, Params::totp(Algorithm::Sha1, 6, 30));
    assert_eq!(c.secret.expose(), b"Hello!\xde\xad\xbe\xef");
    assert!(c.is_short_key(), "80-bit keys are accepted, with a warning");
}

#[test]
fn scheme_type_and_algorithm_are_case_insensitive_and_names_keep_their_capitals() {
    let c = ok(&format!("OTPAUTH://TOTP/ACME%20Co:John.Doe?SECRET={}&algorithm=sha256", S.to_lowercase()));
    assert_eq!((c.issuer.as_str(), c.account.as_str()), ("ACME Co", "John.Doe"));
    assert_eq!(c.params.algorithm, Algorithm::Sha256);
}

#[test]
fn an_encoded_colon_separates_issuer_and_account_and_spaces_after_it_are_dropped() {
    let c = ok(&format!("otpauth://totp/ACME%3A%20%20jane?secret={S}"));
    assert_eq!((c.issuer.as_str(), c.account.as_str()), ("ACME", "jane"));
    let c = ok(&format!("otpauth://totp/ACME: jane?secret={S}&issuer=ACME"));
    assert_eq!((c.issuer.as_str(), c.account.as_str()), ("ACME", "jane"));
}

#[test]
fn plus_is_a_space_in_the_query_but_a_plus_in_the_label() {
    let c = ok(&format!("otpauth://totp/A+B:c+d?secret={S}&issuer=A%2BB"));
    assert_eq!((c.issuer.as_str(), c.account.as_str()), ("A+B", "c+d"));
    let c = ok(&format!("otpauth://totp/jane?secret={S}&issuer=A+B"));
    assert_eq!((c.issuer.as_str(), c.account.as_str()), ("A B", "jane"));
}

#[test]
fn a_label_without_issuer_takes_the_issuer_parameter_or_none() {
    assert_eq!(ok(&format!("otpauth://totp/jane?secret={S}&issuer=ACME")).issuer, "ACME");
    assert_eq!(ok(&format!("otpauth://totp/jane?secret={S}")).issuer, "");
}

#[test]
fn padded_lower_case_and_non_canonical_secrets_are_read() {
    // 10 bytes = 16 characters, no padding needed; 11 bytes = 18 characters + 6 '='.
    let ten = ok("otpauth://totp/a?secret=gezdgnbvgy3tqojq").secret;
    assert_eq!(ten.expose(), b"1234567890");
    let eleven = ok("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGE%3D%3D%3D%3D%3D%3D").secret;
    assert_eq!(eleven.expose(), b"12345678901");
    let eleven_plain = ok("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGE======").secret;
    assert_eq!(eleven_plain, eleven);
    // The last character's unused bits set: still the same 11 bytes.
    assert_eq!(ok("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGF").secret, eleven);
}

#[test]
fn hotp_uris_stay_hotp_and_ignore_a_period() {
    let c = ok(&format!("otpauth://hotp/a?secret={S}&counter=18446744073709551615&period=30"));
    assert_eq!(c.params, Params::hotp(Algorithm::Sha1, 6, u64::MAX));
}

#[test]
fn totp_uris_ignore_a_counter() {
    let c = ok(&format!("otpauth://totp/a?secret={S}&counter=banana&period=60&digits=8"));
    assert_eq!(c.params, Params::totp(Algorithm::Sha1, 8, 60));
}

#[test]
fn steam_uris_are_steam_with_or_without_digits() {
    assert_eq!(ok(&format!("otpauth://steam/Steam:gabe?secret={S}")).params, Params::steam());
    assert_eq!(ok(&format!("otpauth://steam/Steam:gabe?secret={S}&digits=5&algorithm=sha1")).params, Params::steam());
}

#[test]
fn keepassxc_steam_encoder_makes_a_steam_credential() {
    let c = ok(&format!("otpauth://totp/Steam:gabe?secret={S}&issuer=Steam&digits=5&encoder=steam"));
    assert_eq!(c.params, Params::steam());
}

#[test]
fn unknown_parameters_and_empty_pairs_are_ignored() {
    let c = ok(&format!("otpauth://totp/a?&secret={S}&image=https%3A%2F%2Fx&codeDisplay=%7B%7D&&flag"));
    assert_eq!(c.params, Params::totp(Algorithm::Sha1, 6, 30));
}

#[test]
fn surrounding_whitespace_is_trimmed() {
    assert_eq!(ok(&format!("  otpauth://totp/a?secret={S}\r\n")).account, "a");
}

#[test]
fn format_writes_the_canonical_form() {
    let c = Credential {
        issuer: "Air Canada".into(),
        account: "ben@example.com".into(),
        params: Params::hotp(Algorithm::Sha256, 7, 50),
        secret: SecretBytes::from_slice(b"1234567890123456"),
    };
    assert_eq!(
        uri::format(&c),
        format!(
            "otpauth://hotp/Air%20Canada:ben@example.com?secret={S}\
             &issuer=Air%20Canada&algorithm=SHA256&digits=7&counter=50"
        )
    );
    let steam = Credential { params: Params::steam(), issuer: "Steam".into(), account: "gabe".into(), ..c.clone() };
    assert_eq!(
        uri::format(&steam),
        format!("otpauth://steam/Steam:gabe?secret={S}&issuer=Steam&algorithm=SHA1&digits=5&period=30")
    );
    let colons = Credential {
        issuer: "a:b".into(),
        account: "c:d".into(),
        params: Params::totp(Algorithm::Sha1, 6, 30),
        ..c.clone()
    };
    assert_eq!(
        uri::format(&colons),
        format!("otpauth://totp/a%3Ab:c%3Ad?secret={S}&issuer=a%3Ab&algorithm=SHA1&digits=6&period=30")
    );
    let bare = Credential { issuer: String::new(), account: "x:y".into(), ..colons.clone() };
    assert!(uri::format(&bare).starts_with("otpauth://totp/:x%3Ay?secret="), "{}", uri::format(&bare));
}

// ---- Refusals: each names its field -------------------------------------------------------

fn refused(u: &str) -> UriError {
    match uri::parse(u) {
        Ok(c) => panic!("{u} was accepted as {c:?}"),
        Err(e) => e,
    }
}

fn assert_refused(field: &str, u: &str) {
    let e = refused(u);
    assert_eq!(e.field(), field, "{u}: {e}");
    assert!(!e.reason().is_empty());
}

#[test]
fn a_wrong_scheme_is_refused() {
    assert_refused("scheme", &format!("https://totp/a?secret={S}"));
    assert_refused("scheme", &format!("otpauth-migration://offline?data={S}"));
    assert_refused("scheme", "otpauth:totp/a");
    assert_refused("scheme", "");
}

#[test]
fn an_unknown_type_is_refused() {
    assert_refused("type", &format!("otpauth://yubi/a?secret={S}"));
    assert_refused("type", &format!("otpauth:///a?secret={S}"));
}

#[test]
fn hotp_without_counter_starts_at_zero_with_a_note() {
    let (c, notes) = uri::parse_noting(&format!("otpauth://hotp/a?secret={S}")).unwrap();
    assert_eq!(c.params.kind, Kind::Hotp { counter: 0 });
    assert_eq!(notes, [Leniency::HotpCounterMissing]);
    let (_, notes) = uri::parse_noting(&format!("otpauth://hotp/a?secret={S}&counter=0")).unwrap();
    assert!(notes.is_empty());
}

#[test]
fn a_bad_hotp_counter_is_refused() {
    assert_refused("counter", &format!("otpauth://hotp/a?secret={S}&counter=-1"));
    assert_refused("counter", &format!("otpauth://hotp/a?secret={S}&counter=18446744073709551616"));
}

#[test]
fn an_unknown_algorithm_is_refused() {
    assert_refused("algorithm", &format!("otpauth://totp/a?secret={S}&algorithm=MD5"));
    assert_refused("algorithm", &format!("otpauth://totp/a?secret={S}&algorithm="));
    assert_refused("algorithm", &format!("otpauth://steam/a?secret={S}&algorithm=SHA256"));
}

#[test]
fn five_or_nine_digits_are_refused_for_totp() {
    assert_refused("digits", &format!("otpauth://totp/a?secret={S}&digits=5"));
    assert_refused("digits", &format!("otpauth://totp/a?secret={S}&digits=9"));
    assert_refused("digits", &format!("otpauth://hotp/a?secret={S}&digits=9&counter=0"));
    assert_refused("digits", &format!("otpauth://totp/a?secret={S}&digits=+6"));
    assert_refused("digits", &format!("otpauth://totp/a?secret={S}&digits=300"));
}

#[test]
fn steam_with_six_digits_is_refused() {
    assert_refused("digits", &format!("otpauth://steam/a?secret={S}&digits=6"));
}

#[test]
fn a_zero_or_absurd_period_is_refused() {
    assert_refused("period", &format!("otpauth://totp/a?secret={S}&period=0"));
    assert_refused("period", &format!("otpauth://totp/a?secret={S}&period=86401"));
    assert_refused("period", &format!("otpauth://totp/a?secret={S}&period=thirty"));
}

#[test]
fn bad_base32_is_refused() {
    assert_refused("secret", "otpauth://totp/a?secret=GEZDGNBVGY3TQOJ1");
    assert_refused("secret", "otpauth://totp/a?secret=GEZDGNBVG");
    assert_refused("secret", "otpauth://totp/a?secret=GEZDGNBV=GY3TQOJQ");
    assert_refused("secret", "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ%");
}

#[test]
fn a_missing_secret_is_refused() {
    assert_refused("secret", "otpauth://totp/a?issuer=ACME");
    assert_refused("secret", "otpauth://totp/a");
    assert_refused("secret", "otpauth://totp/a?secret=");
    assert_refused("secret", "otpauth://totp/a?secret====");
}

#[test]
fn an_issuer_parameter_that_differs_from_the_label_wins_with_a_note() {
    for (u, issuer) in [
        (format!("otpauth://totp/ACME:jane?secret={S}&issuer=Evil"), "Evil"),
        (format!("otpauth://totp/ACME:jane?secret={S}&issuer=acme"), "acme"),
    ] {
        let (c, notes) = uri::parse_noting(&u).unwrap();
        assert_eq!((c.issuer.as_str(), c.account.as_str()), (issuer, "jane"));
        assert_eq!(notes, [Leniency::IssuerDiffers]);
    }
    let (_, notes) = uri::parse_noting(&format!("otpauth://totp/ACME:jane?secret={S}&issuer=ACME")).unwrap();
    assert!(notes.is_empty());
}

#[test]
fn spaces_in_a_secret_are_dropped_with_a_note() {
    let plain = ok("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ");
    for spaced in ["GEZD+GNBV+GY3T+QOJQ", "GEZD%20GNBV%20GY3T%20QOJQ", "gezd gnbv gy3t qojq"] {
        let spaced = spaced.replace(' ', "%20");
        let (c, notes) = uri::parse_noting(&format!("otpauth://totp/a?secret={spaced}")).unwrap();
        assert_eq!(c, plain, "{spaced}");
        assert_eq!(notes, [Leniency::SpacesInSecret]);
    }
}

#[test]
fn a_secret_of_impossible_length_says_a_character_is_missing_or_extra() {
    let e = refused("otpauth://totp/a?secret=GEZDGNBVG");
    assert_eq!(e.field(), "secret");
    assert!(e.reason().contains("missing or extra"), "{e}");
    assert!(!e.reason().contains("impossible length"), "{e}");
}

#[test]
fn a_secret_shorter_than_80_bits_is_refused() {
    // 9 bytes.
    assert_refused("secret", "otpauth://totp/a?secret=GEZDGNBVGY3TQOI");
}

#[test]
fn a_missing_or_empty_account_is_refused() {
    assert_refused("account", &format!("otpauth://totp/?secret={S}"));
    assert_refused("account", &format!("otpauth://totp/ACME:?secret={S}"));
    assert_refused("account", &format!("otpauth://totp/ACME:%20%20?secret={S}"));
    assert_refused("label", &format!("otpauth://totp?secret={S}"));
}

#[test]
fn a_duplicated_known_parameter_is_refused() {
    assert_refused("secret", &format!("otpauth://totp/a?secret={S}&secret={S}"));
    assert_refused("digits", &format!("otpauth://totp/a?secret={S}&digits=6&DIGITS=6"));
    assert_refused("issuer", &format!("otpauth://totp/a?secret={S}&issuer=A&issuer=A"));
}

#[test]
fn broken_escapes_and_raw_fragments_are_refused() {
    assert_refused("label", &format!("otpauth://totp/a%zz?secret={S}"));
    assert_refused("label", &format!("otpauth://totp/a%FF?secret={S}"));
    assert_refused("label", &format!("otpauth://totp/C#:a?secret={S}"));
    assert_refused("query", &format!("otpauth://totp/a?secret={S}&issuer=C#"));
    assert_refused("issuer", &format!("otpauth://totp/a?secret={S}&issuer=%E2%82"));
}

#[test]
fn an_unknown_encoder_is_refused() {
    assert_refused("encoder", &format!("otpauth://totp/a?secret={S}&encoder=yandex"));
}

// ---- Properties ---------------------------------------------------------------------------

/// Names with every character that could be mistaken for structure, and arbitrary Unicode.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 :%+&=?#/@.~_-]{0,12}",
        "(?s).{0,12}",
        Just("Air Canada".to_owned()),
        Just(" :%3A%3a: ".to_owned()),
    ]
}

fn params() -> impl Strategy<Value = Params> {
    let algorithm = prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)];
    prop_oneof![
        (algorithm.clone(), 6u8..=8, 1u32..=86_400).prop_map(|(a, d, p)| Params::totp(a, d, p)),
        (algorithm, 6u8..=8, any::<u64>()).prop_map(|(a, d, c)| Params::hotp(a, d, c)),
        (1u32..=86_400).prop_map(|p| Params { kind: Kind::Steam { period: p }, ..Params::steam() }),
    ]
}

fn credential() -> impl Strategy<Value = Credential> {
    (
        name(),
        name().prop_filter("an account is required", |a| !a.is_empty()),
        params(),
        prop::collection::vec(any::<u8>(), 10..=64),
    )
        .prop_map(|(issuer, account, params, secret)| Credential {
            issuer,
            account,
            params,
            secret: SecretBytes::new(secret),
        })
}

/// A well-formed URI around a known secret, with one part possibly spoiled.
fn uri_with_spoiled_part() -> impl Strategy<Value = (String, String)> {
    let secret = prop::collection::vec(any::<u8>(), 10..=64).prop_map(|b| data_encoding::BASE32_NOPAD.encode(&b));
    let spoil = prop_oneof![
        Just(""),
        Just("&digits=9"),
        Just("&digits=x"),
        Just("&period=0"),
        Just("&algorithm=MD5"),
        Just("&issuer=Other"),
        Just("&secret=AAAAAAAAAAAAAAAA"),
        Just("&issuer=%ZZ"),
        Just("#frag"),
    ];
    let scheme = prop_oneof![
        Just("otpauth://totp"),
        Just("otpauth://hotp"),
        Just("otpauth://steam"),
        Just("http://totp"),
        Just("otpauth://nope")
    ];
    (scheme, secret, spoil, 0usize..4).prop_map(|(scheme, secret, spoil, corrupt)| {
        // Sometimes corrupt the secret itself, so the secret parser's errors are covered too.
        let written = match corrupt {
            0 => format!("{}1{}", &secret[..8], &secret[8..]),
            1 => format!("{}{}", &secret[..secret.len() - 3], "==="),
            _ => secret.clone(),
        };
        (format!("{scheme}/ACME:jane?secret={written}&issuer=ACME{spoil}"), written)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_credential_survives_format_then_parse(c in credential()) {
        let written = uri::format(&c);
        let read = uri::parse(&written);
        prop_assert_eq!(read.as_ref(), Ok(&c), "{}", written);
        prop_assert_eq!(uri::format(&read.unwrap()), written);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(s in "(?s).{0,200}") {
        let _ = uri::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_almost_uris(
        scheme in prop_oneof![Just("otpauth://"), Just("OTPAUTH://"), Just("otpauth:/")],
        rest in "[a-zA-Z0-9:%/?&=#+ .\u{e9}\u{1F600}-]{0,80}",
    ) {
        let _ = uri::parse(&format!("{scheme}{rest}"));
    }

    #[test]
    fn errors_never_show_the_secret_or_the_uri((u, secret) in uri_with_spoiled_part()) {
        if let Err(e) = uri::parse(&u) {
            for shown in [e.to_string(), format!("{e:?}")] {
                prop_assert!(!shown.contains(&secret), "{}", shown);
                prop_assert!(!shown.contains(&secret[..8]), "{}", shown);
                prop_assert!(!shown.to_lowercase().contains(&secret[..8].to_lowercase()), "{}", shown);
                prop_assert!(!shown.contains("ACME:jane"), "{}", shown);
            }
        }
    }
}
