//! Imports of the real export files other apps wrote (the set Aegis publishes as its own test
//! data, in `../shared/testdata/authenticator-exports/`): every file reads to the entries of
//! its README (what the format can carry), every parameter equal to `plain.txt`'s, the
//! encrypted ones with their password, and a wrong or missing password is a typed error.
//! When the folder is absent these tests are ignored (see `core/build.rs`), and fail under CI.

use twostep_core::import::{self, Format, ImportError, ImportedItem, Place};
use twostep_core::otp::uri;
use twostep_core::otp::{Credential, Kind};

const EXPORTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/testdata/authenticator-exports");

/// The bytes of a real export file; a missing one fails the test, naming it.
fn export(name: &str) -> Vec<u8> {
    let path = format!("{EXPORTS}/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("real export file {path} is missing ({e})"))
}

/// `plain.txt`: the seven expected credentials, in the README's order.
fn expected() -> Vec<Credential> {
    let text = String::from_utf8(export("plain.txt")).unwrap();
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| uri::parse(l).unwrap()).collect()
}

fn credentials(items: Vec<ImportedItem>) -> Vec<Credential> {
    items
        .into_iter()
        .map(|item| item.outcome.unwrap_or_else(|e| panic!("item {} ({}) refused: {e}", item.number, item.place)))
        .collect()
}

/// Reads `name` and checks it against `plain.txt`: the same issuers, in `order`, each with
/// exactly the same names, kind (period or counter), algorithm, digits and secret.
fn check(name: &str, format: Format, password: Option<&str>, order: &[&str]) {
    let (bytes, expected) = (export(name), expected());
    let got = credentials(import::read(format, &bytes, password).unwrap_or_else(|e| panic!("{name}: {e}")));
    let issuers: Vec<&str> = got.iter().map(|c| c.issuer.as_str()).collect();
    assert_eq!(issuers, order, "{name}");
    for c in &got {
        let want = expected.iter().find(|e| e.issuer == c.issuer).unwrap();
        assert_eq!(c, want, "{name}: {}", c.issuer);
    }
    assert_eq!(Format::detect(&bytes), Some(format), "{name} is detected");
}

const ALL: [&str; 7] = ["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE", "Boeing"];

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_plain_uri_list_reads_as_the_seven_entries() {
    check("plain.txt", Format::Uris, None, &ALL);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_plain_aegis_vault_reads_as_the_seven_entries() {
    check("aegis_plain.json", Format::Aegis, None, &ALL);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_encrypted_aegis_vault_opens_with_its_password() {
    check("aegis_encrypted.json", Format::Aegis, Some("test"), &ALL);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_encrypted_aegis_vault_refuses_a_wrong_or_missing_password() {
    let bytes = export("aegis_encrypted.json");
    let wrong = import::read(Format::Aegis, &bytes, Some("tset")).unwrap_err();
    assert!(matches!(wrong, ImportError::WrongPassword { format: Format::Aegis }), "{wrong:?}");
    assert_eq!(wrong.to_string(), "the password does not open this Aegis export");
    let missing = import::read(Format::Aegis, &bytes, None).unwrap_err();
    assert!(matches!(missing, ImportError::PasswordRequired { format: Format::Aegis }), "{missing:?}");
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_plain_2fas_backups_read_as_what_they_hold() {
    // Schema 3 predates Steam in 2FAS; the schema 4 file was made with five of the entries.
    check("2fas_authenticator_plain_v3.2fas", Format::TwoFas, None, &ALL[..6]);
    check("2fas_authenticator_plain_v4.2fas", Format::TwoFas, None, &["Deno", "Issuu", "Air Canada", "WWE", "Boeing"]);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_encrypted_2fas_backups_open_with_their_password() {
    check("2fas_authenticator_encrypted_v3.2fas", Format::TwoFas, Some("test"), &ALL[..6]);
    check(
        "2fas_authenticator_encrypted_v4.2fas",
        Format::TwoFas,
        Some("test"),
        &["Deno", "Issuu", "Air Canada", "WWE", "Boeing"],
    );
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_encrypted_2fas_backups_refuse_a_wrong_or_missing_password() {
    for name in ["2fas_authenticator_encrypted_v3.2fas", "2fas_authenticator_encrypted_v4.2fas"] {
        let bytes = export(name);
        let wrong = import::read(Format::TwoFas, &bytes, Some("Test")).unwrap_err();
        assert!(matches!(wrong, ImportError::WrongPassword { format: Format::TwoFas }), "{name}: {wrong:?}");
        let missing = import::read(Format::TwoFas, &bytes, None).unwrap_err();
        assert!(matches!(missing, ImportError::PasswordRequired { .. }), "{name}: {missing:?}");
    }
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_bitwarden_export_reads_its_totp_uris_and_its_steam_key() {
    let (bytes, expected) = (export("bitwarden.json"), expected());
    let items = import::read(Format::Bitwarden, &bytes, None).unwrap();
    let places: Vec<Place> = items.iter().map(|i| i.place).collect();
    assert_eq!(places, (1..=4).map(Place::Entry).collect::<Vec<_>>());
    let got = credentials(items);
    assert_eq!(&got[..3], &expected[..3]);
    // `steam://KEY` carries only the key: the item's name ("Test Steam") names it.
    let steam = &got[3];
    assert_eq!((steam.issuer.as_str(), steam.account.as_str()), ("Test Steam", ""));
    assert_eq!(steam.params, expected[6].params);
    assert_eq!(steam.secret, expected[6].secret);
    assert_eq!(Format::detect(&bytes), Some(Format::Bitwarden));
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn the_ente_export_reads_as_the_seven_entries_in_its_order() {
    check("ente_auth.txt", Format::Ente, None, &["Air Canada", "Airbnb", "Boeing", "Deno", "Issuu", "SPDX", "WWE"]);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn hotp_counters_survive_every_format_that_has_them() {
    // (The encrypted files hold the same entries; `check` compares them in full.)
    let cases: [(&str, Format, Option<&str>); 4] = [
        ("aegis_plain.json", Format::Aegis, None),
        ("2fas_authenticator_plain_v3.2fas", Format::TwoFas, None),
        ("2fas_authenticator_plain_v4.2fas", Format::TwoFas, None),
        ("ente_auth.txt", Format::Ente, None),
    ];
    for (name, format, password) in cases {
        let bytes = export(name);
        let got = credentials(import::read(format, &bytes, password).unwrap());
        let counters: Vec<(String, u64)> = got
            .iter()
            .filter_map(|c| match c.params.kind {
                Kind::Hotp { counter } => Some((c.issuer.clone(), counter)),
                _ => None,
            })
            .collect();
        for (issuer, counter) in [("Issuu", 1), ("Air Canada", 50), ("WWE", 10_300)] {
            assert!(counters.contains(&(issuer.to_owned(), counter)), "{name}: {counters:?}");
        }
    }
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn a_file_read_as_another_format_is_a_typed_error() {
    let bytes = export("aegis_plain.json");
    for format in [Format::TwoFas, Format::Bitwarden] {
        let e = import::read(format, &bytes, None).unwrap_err();
        assert!(matches!(e, ImportError::WrongFormat { .. }), "{format}: {e:?}");
    }
    let e = import::read(Format::Google, &bytes, None).unwrap_err();
    assert!(matches!(e, ImportError::Malformed { ref at, .. } if at == "line 1"), "{e:?}");
    // As a URI list, every line of JSON is a refused item, never a panic or a credential.
    let items = import::read(Format::Uris, &bytes, None).unwrap();
    assert!(!items.is_empty() && items.iter().all(|i| i.outcome.is_err()));
}
