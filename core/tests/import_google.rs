//! Google Authenticator's `otpauth-migration://` export: a committed three-QR-code export
//! (`fixtures/imports/google-3-batches.txt`) written by the test-only encoder below through
//! the same prost messages the importer decodes, the refusal of an incomplete or mixed set of
//! codes, and the property that any payload survives encode → decode with every parameter.

use std::path::PathBuf;

use proptest::prelude::*;
use prost::Message as _;
use twostep_core::import::google::proto::{self, MigrationPayload, OtpParameters};
use twostep_core::import::{self, Format, ImportError, Place};
use twostep_core::otp::{Algorithm, Credential, Kind, Params};
use twostep_core::secret::SecretBytes;

const BATCH_ID: i32 = 1_122_334_455;

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/imports/google-3-batches.txt")
}

// ---------------------------------------------------------------------------------------
// The test-only encoder

/// How a link spells its data: Google's way (standard base64, `+`, `/` and `=`
/// percent-encoded), the URL-safe alphabet without padding, or standard base64 left raw.
#[derive(Clone, Copy, Debug)]
enum Style {
    Google,
    UrlSafe,
    Raw,
}

fn link(payload: &MigrationPayload, style: Style) -> String {
    let bytes = payload.encode_to_vec();
    let data = match style {
        Style::Google => {
            data_encoding::BASE64.encode(&bytes).replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
        }
        Style::UrlSafe => data_encoding::BASE64URL_NOPAD.encode(&bytes),
        Style::Raw => data_encoding::BASE64.encode(&bytes),
    };
    format!("otpauth-migration://offline?data={data}")
}

fn payload(accounts: Vec<OtpParameters>, index: i32, size: i32, id: i32) -> MigrationPayload {
    MigrationPayload { otp_parameters: accounts, version: 1, batch_size: size, batch_index: index, batch_id: id }
}

/// The message for a credential, names written as given (so a test can put the issuer in the
/// name, as some exports do).
fn account(issuer: &str, name: &str, params: Params, secret: &[u8]) -> OtpParameters {
    let algorithm = match params.algorithm {
        Algorithm::Sha1 => proto::Algorithm::Sha1,
        Algorithm::Sha256 => proto::Algorithm::Sha256,
        Algorithm::Sha512 => proto::Algorithm::Sha512,
    };
    let digits = match params.digits {
        6 => proto::DigitCount::Six,
        8 => proto::DigitCount::Eight,
        other => panic!("the format has no {other} digits"),
    };
    let (r#type, counter) = match params.kind {
        Kind::Hotp { counter } => (proto::OtpType::Hotp, i64::try_from(counter).unwrap()),
        Kind::Totp { period: 30 } => (proto::OtpType::Totp, 0),
        other => panic!("the format cannot carry {other:?}"),
    };
    OtpParameters {
        secret: secret.to_vec(),
        name: name.into(),
        issuer: issuer.into(),
        algorithm: algorithm as i32,
        digits: digits as i32,
        r#type: r#type as i32,
        counter,
    }
}

// ---------------------------------------------------------------------------------------
// The committed fixture

fn b32(text: &str) -> Vec<u8> {
    data_encoding::BASE32_NOPAD.decode(text.as_bytes()).unwrap()
}

/// The fixture's accounts by batch: the message written, and the credential it must read as.
fn fixture_accounts() -> Vec<Vec<(OtpParameters, Credential)>> {
    let entry = |issuer: &str, name: &str, want: (&str, &str), params: Params, secret: Vec<u8>| {
        let credential = Credential {
            issuer: want.0.into(),
            account: want.1.into(),
            params,
            secret: SecretBytes::from_slice(&secret),
        };
        (account(issuer, name, params, &secret), credential)
    };
    vec![
        vec![
            // From the real export set (plain.txt), the entries this format can carry.
            entry(
                "Deno",
                "Mason",
                ("Deno", "Mason"),
                Params::totp(Algorithm::Sha1, 6, 30),
                b32("4SJHB4GSD43FZBAI7C2HLRJGPQ"),
            ),
            // No issuer field: the name's prefix is the issuer.
            entry(
                "",
                "GitLab:bob",
                ("GitLab", "bob"),
                Params::totp(Algorithm::Sha1, 6, 30),
                b"twostep-fixture-key-02".to_vec(),
            ),
            // The issuer repeated in the name, as Google writes it for labelled URIs.
            entry(
                "Example",
                "Example:ada@example.com",
                ("Example", "ada@example.com"),
                Params::totp(Algorithm::Sha256, 8, 30),
                b"twostep-fixture-key-03-sha256-len32".to_vec(),
            ),
        ],
        vec![
            entry(
                "Issuu",
                "James",
                ("Issuu", "James"),
                Params::hotp(Algorithm::Sha1, 6, 1),
                b32("YOOMIXWS5GN6RTBPUFFWKTW5M4"),
            ),
            entry(
                "WWE",
                "Mason",
                ("WWE", "Mason"),
                Params::hotp(Algorithm::Sha512, 8, 10_300),
                b32("5VAML3X35THCEBVRLV24CGBKOY"),
            ),
            entry(
                "Big Counter",
                "carol",
                ("Big Counter", "carol"),
                Params::hotp(Algorithm::Sha256, 6, 1 << 40),
                b"twostep-fixture-key-06".to_vec(),
            ),
        ],
        vec![
            entry(
                "Bücherei Ω",
                "zoë@example.org",
                ("Bücherei Ω", "zoë@example.org"),
                Params::totp(Algorithm::Sha512, 6, 30),
                b"twostep-fixture-key-07-for-sha512-0123456789abcdef0123456789ab".to_vec(),
            ),
            // An 80-bit key, as many real services issue: accepted (with a warning elsewhere).
            entry(
                "Legacy",
                "80-bit key",
                ("Legacy", "80-bit key"),
                Params::totp(Algorithm::Sha1, 6, 30),
                b"0123456789".to_vec(),
            ),
        ],
    ]
}

/// The fixture's text: a comment, then one link per QR code, each in another spelling.
fn fixture_text() -> String {
    let batches = fixture_accounts();
    let size = batches.len() as i32;
    let mut text = String::from(
        "# A Google Authenticator export: 8 accounts in 3 QR codes (one link per code), written by\n\
         # core/tests/import_google.rs (cargo test -p twostep-core --test import_google write_fixture -- --ignored).\n",
    );
    for ((index, accounts), style) in batches.into_iter().enumerate().zip([Style::Google, Style::UrlSafe, Style::Raw]) {
        let accounts = accounts.into_iter().map(|(message, _)| message).collect();
        text.push_str(&link(&payload(accounts, index as i32, size, BATCH_ID), style));
        text.push('\n');
    }
    text
}

fn fixture_credentials() -> Vec<Credential> {
    fixture_accounts().into_iter().flatten().map(|(_, c)| c).collect()
}

/// Writes the fixture. Run by hand when it must change:
/// `cargo test -p twostep-core --test import_google write_fixture -- --ignored`.
#[test]
#[ignore = "writes a committed fixture"]
fn write_fixture() {
    std::fs::create_dir_all(fixture_path().parent().unwrap()).unwrap();
    std::fs::write(fixture_path(), fixture_text()).unwrap();
}

#[test]
fn the_committed_fixture_is_what_the_encoder_writes() {
    let committed = std::fs::read_to_string(fixture_path()).unwrap();
    assert_eq!(committed, fixture_text(), "the wire format changed: the committed export no longer matches");
}

#[test]
fn a_three_qr_code_export_reads_as_every_account_exactly() {
    let bytes = std::fs::read(fixture_path()).unwrap();
    assert_eq!(Format::detect(&bytes), Some(Format::Google));
    let items = import::read(Format::Google, &bytes, None).unwrap();
    let places: Vec<(usize, Place)> = items.iter().map(|i| (i.number, i.place)).collect();
    let batch = |line, entry| Place::Batch { line, entry };
    assert_eq!(
        places,
        [
            (1, batch(3, 1)),
            (2, batch(3, 2)),
            (3, batch(3, 3)),
            (4, batch(4, 1)),
            (5, batch(4, 2)),
            (6, batch(4, 3)),
            (7, batch(5, 1)),
            (8, batch(5, 2))
        ]
    );
    let got: Vec<Credential> = items.into_iter().map(|i| i.outcome.unwrap()).collect();
    assert_eq!(got, fixture_credentials());
}

#[test]
fn the_qr_codes_may_come_in_any_order() {
    let text = std::fs::read_to_string(fixture_path()).unwrap();
    let mut lines: Vec<&str> = text.lines().filter(|l| l.starts_with("otpauth")).collect();
    lines.reverse();
    let items = import::read(Format::Google, lines.join("\n").as_bytes(), None).unwrap();
    let got: Vec<Credential> = items.into_iter().map(|i| i.outcome.unwrap()).collect();
    assert_eq!(got, fixture_credentials(), "accounts keep the export's order");
}

#[test]
fn an_export_missing_a_qr_code_is_refused_and_names_it() {
    let text = std::fs::read_to_string(fixture_path()).unwrap();
    let without_second: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("otpauth"))
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| l)
        .collect();
    let e = import::read(Format::Google, without_second.join("\n").as_bytes(), None).unwrap_err();
    assert!(matches!(e, ImportError::IncompleteExport { size: 3, ref missing } if missing == &[2]), "{e:?}");
    assert_eq!(
        e.to_string(),
        "the Google Authenticator export is incomplete: batch 2 of 3 missing; scan every QR code of the export"
    );
}

#[test]
fn codes_of_two_exports_are_not_mixed() {
    let first = link(
        &payload(vec![account("A", "a", Params::totp(Algorithm::Sha1, 6, 30), b"0123456789")], 0, 2, 1),
        Style::Google,
    );
    let other = link(
        &payload(vec![account("B", "b", Params::totp(Algorithm::Sha1, 6, 30), b"9876543210")], 1, 2, 2),
        Style::Google,
    );
    let e = import::read(Format::Google, format!("{first}\n{other}\n").as_bytes(), None).unwrap_err();
    assert!(matches!(e, ImportError::MixedExports { line: 2, first_line: 1 }), "{e:?}");
}

#[test]
fn a_bad_account_is_refused_by_number_and_the_others_read() {
    let good = account("A", "a", Params::totp(Algorithm::Sha1, 6, 30), b"0123456789");
    let mut md5 = good.clone();
    md5.algorithm = proto::Algorithm::Md5 as i32;
    let mut short = good.clone();
    short.secret = b"tiny".to_vec();
    let text = link(&payload(vec![good, md5, short], 0, 1, 9), Style::Google);
    let items = import::read(Format::Google, text.as_bytes(), None).unwrap();
    let refused: Vec<(usize, &str)> =
        items.iter().filter_map(|i| i.outcome.as_ref().err().map(|e| (i.number, e.field()))).collect();
    assert_eq!(refused, [(2, "algorithm"), (3, "secret")]);
    let shown = items.iter().filter_map(|i| i.outcome.as_ref().err()).map(ToString::to_string).collect::<String>();
    assert!(!shown.contains("tiny") && !shown.contains("0123456789"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Properties

fn arb_params() -> impl Strategy<Value = Params> {
    let algorithm = prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)];
    let digits = prop_oneof![Just(6u8), Just(8u8)];
    let kind =
        prop_oneof![Just(Kind::Totp { period: 30 }), (0..=i64::MAX as u64).prop_map(|counter| Kind::Hotp { counter })];
    (kind, algorithm, digits).prop_map(|(kind, algorithm, digits)| Params { kind, algorithm, digits })
}

fn arb_credential() -> impl Strategy<Value = Credential> {
    (
        "[A-Za-zéΩ][A-Za-z0-9 éΩ.-]{0,15}",
        "[a-z0-9@._ü-]{1,20}",
        arb_params(),
        prop::collection::vec(any::<u8>(), 10..=64),
    )
        .prop_map(|(issuer, account, params, secret)| Credential {
            issuer,
            account,
            params,
            secret: SecretBytes::new(secret),
        })
}

fn arb_style() -> impl Strategy<Value = Style> {
    prop_oneof![Just(Style::Google), Just(Style::UrlSafe), Just(Style::Raw)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any export, in any number of QR codes, in any order and spelling, reads back as exactly
    /// the credentials that were encoded, in the export's order.
    #[test]
    fn every_payload_survives_encode_then_decode(
        batches in prop::collection::vec((prop::collection::vec(arb_credential(), 0..5), arb_style()), 1..5),
        id in any::<i32>(),
        rotate in 0usize..5,
    ) {
        let size = batches.len() as i32;
        let mut lines: Vec<String> = batches
            .iter()
            .enumerate()
            .map(|(index, (credentials, style))| {
                let accounts = credentials.iter().map(|c| account(&c.issuer, &c.account, c.params, c.secret.expose())).collect();
                link(&payload(accounts, index as i32, size, id), *style)
            })
            .collect();
        let len = lines.len();
        lines.rotate_left(rotate % len);
        let items = import::read(Format::Google, lines.join("\n").as_bytes(), None).unwrap();
        let got: Vec<Credential> = items.into_iter().map(|i| i.outcome.unwrap()).collect();
        let want: Vec<Credential> = batches.into_iter().flat_map(|(credentials, _)| credentials).collect();
        prop_assert_eq!(got, want);
    }

    /// Dropping any one QR code of a multi-code export is always refused, naming that code.
    #[test]
    fn any_missing_qr_code_is_named(size in 2i32..6, drop in 0i32..6) {
        let drop = drop % size;
        let lines: Vec<String> = (0..size)
            .filter(|&i| i != drop)
            .map(|i| link(&payload(vec![], i, size, 5), Style::Google))
            .collect();
        let e = import::read(Format::Google, lines.join("\n").as_bytes(), None).unwrap_err();
        let missing = vec![drop as u32 + 1];
        prop_assert!(matches!(e, ImportError::IncompleteExport { missing: ref m, .. } if *m == missing), "{:?}", e);
    }
}
