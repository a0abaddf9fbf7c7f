//! Plain exports as someone moving to another app meets them: otpauth URIs that read back to
//! the same entries, Google Authenticator migration links batched like Google's own, the
//! entries Google's format cannot carry named with the reason, and each export's QR code.

use std::sync::Arc;

use data_encoding::BASE64;
use percent_encoding::percent_decode_str;
use prost::Message;
use twostep_core::clock::FixedClock;
use twostep_core::export::{self, SkipReason, Unencrypted};
use twostep_core::import::google::proto::{self, MigrationPayload};
use twostep_core::otp::{Algorithm, Credential, Params, uri};
use twostep_core::secret::SecretBytes;
use twostep_core::vault::{KdfParams, PassphraseKeyStore, Vault};

const T0: u64 = 1_700_000_000;

fn credential(issuer: &str, account: &str, params: Params, secret: &[u8]) -> Credential {
    Credential { issuer: issuer.into(), account: account.into(), params, secret: SecretBytes::from_slice(secret) }
}

/// The seven entries of the Aegis test set (see shared/testdata/authenticator-exports),
/// rebuilt here so the test runs without that folder.
fn seven() -> Vec<Credential> {
    let s = |n: u8| -> Vec<u8> { (0..20).map(|i| i ^ n).collect() };
    vec![
        credential("Deno", "Mason", Params::totp(Algorithm::Sha1, 6, 30), &s(1)),
        credential("SPDX", "James", Params::totp(Algorithm::Sha256, 7, 20), &s(2)),
        credential("Airbnb", "Elijah", Params::totp(Algorithm::Sha512, 8, 50), &s(3)),
        credential("Issuu", "James", Params::hotp(Algorithm::Sha1, 6, 1), &s(4)),
        credential("Air Canada", "Benjamin", Params::hotp(Algorithm::Sha256, 7, 50), &s(5)),
        credential("WWE", "Mason", Params::hotp(Algorithm::Sha512, 8, 10_300), &s(6)),
        credential("Boeing", "Sophia", Params::steam(), &s(7)),
    ]
}

fn vault_with(dir: &std::path::Path, credentials: &[Credential]) -> Vault {
    let store = PassphraseKeyStore::with_params("pw", KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 });
    let mut v = Vault::create(&dir.join("v.db"), &store, Arc::new(FixedClock::at(T0))).unwrap();
    v.add_all(credentials).unwrap();
    v
}

/// Decodes one migration link the way a reader of Google's format does.
fn decode(link: &str) -> MigrationPayload {
    let data = link.strip_prefix("otpauth-migration://offline?data=").expect("a migration link");
    let b64 = percent_decode_str(data).decode_utf8().unwrap();
    MigrationPayload::decode(BASE64.decode(b64.as_bytes()).unwrap().as_slice()).unwrap()
}

#[test]
fn exported_uris_read_back_to_the_same_entries_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_with(dir.path(), &seven());
    let uris = export::otpauth_uris(&vault, Unencrypted::IUnderstand).unwrap();
    let back: Vec<Credential> = uris.iter().map(|u| uri::parse(u.expose()).unwrap()).collect();
    assert_eq!(back, seven());
}

#[test]
fn google_export_carries_every_parameter_it_can_and_skips_the_rest_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_with(dir.path(), &seven());
    let out = export::google_migration(&vault, Unencrypted::IUnderstand).unwrap();

    let skipped: Vec<(u32, &str, SkipReason)> =
        out.skipped.iter().map(|s| (s.number, s.issuer.as_str(), s.reason)).collect();
    assert_eq!(
        skipped,
        [
            (2, "SPDX", SkipReason::Period(20)),
            (3, "Airbnb", SkipReason::Period(50)),
            (5, "Air Canada", SkipReason::Digits(7)),
            (7, "Boeing", SkipReason::Steam),
        ]
    );
    assert_eq!(out.exported, [1, 4, 6]);
    assert_eq!(out.links.len(), 1);
    let payload = decode(out.links[0].expose());
    assert!(!format!("{out:?}").contains("otpauth-migration"), "the links are secrets: {out:?}");
    assert_eq!((payload.version, payload.batch_size, payload.batch_index), (1, 1, 0));
    type Row<'a> = (&'a str, &'a str, i32, i32, i32, i64, &'a [u8]);
    let rows: Vec<Row<'_>> = payload
        .otp_parameters
        .iter()
        .map(|p| (p.issuer.as_str(), p.name.as_str(), p.algorithm, p.digits, p.r#type, p.counter, p.secret.as_slice()))
        .collect();
    let (sha1, sha512) = (proto::Algorithm::Sha1 as i32, proto::Algorithm::Sha512 as i32);
    let (six, eight) = (proto::DigitCount::Six as i32, proto::DigitCount::Eight as i32);
    let (totp, hotp) = (proto::OtpType::Totp as i32, proto::OtpType::Hotp as i32);
    let all = seven();
    assert_eq!(
        rows,
        [
            ("Deno", "Mason", sha1, six, totp, 0, all[0].secret.expose()),
            ("Issuu", "James", sha1, six, hotp, 1, all[3].secret.expose()),
            ("WWE", "Mason", sha512, eight, hotp, 10_300, all[5].secret.expose()),
        ]
    );
    // The reasons read as a sentence a user can act on.
    assert_eq!(
        SkipReason::Period(50).to_string(),
        "Google Authenticator's export has no period: only 30-second codes move, not 50-second ones"
    );
}

#[test]
fn google_export_puts_at_most_ten_entries_in_each_code_with_one_batch_id() {
    let many: Vec<Credential> = (0..25u8)
        .map(|i| credential("Service", &format!("user{i}"), Params::totp(Algorithm::Sha1, 6, 30), &[i; 20]))
        .collect();
    let out = export::google::export(&many, export::MAX_ENTRIES_PER_BATCH, Unencrypted::IUnderstand);
    let payloads: Vec<MigrationPayload> = out.links.iter().map(|l| decode(l.expose())).collect();
    assert_eq!(payloads.iter().map(|p| p.otp_parameters.len()).collect::<Vec<_>>(), [10, 10, 5]);
    assert_eq!(payloads.iter().map(|p| p.batch_index).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(payloads.iter().all(|p| p.batch_size == 3 && p.version == 1));
    assert!(payloads[0].batch_id > 0 && payloads.iter().all(|p| p.batch_id == payloads[0].batch_id));
    let names: Vec<String> = payloads.iter().flat_map(|p| p.otp_parameters.iter().map(|o| o.name.clone())).collect();
    assert_eq!(names, (0..25).map(|i| format!("user{i}")).collect::<Vec<_>>());
    // Two exports are told apart by their batch id.
    let again = export::google::export(&many, 10, Unencrypted::IUnderstand);
    assert_ne!(decode(again.links[0].expose()).batch_id, payloads[0].batch_id);
}

#[test]
fn long_names_make_smaller_batches_so_every_link_fits_one_qr_code() {
    let long: Vec<Credential> = (0..10u8)
        .map(|i| credential(&"I".repeat(250), &"a".repeat(250), Params::totp(Algorithm::Sha1, 6, 30), &[i; 64]))
        .collect();
    let out = export::google::export(&long, 10, Unencrypted::IUnderstand);
    assert!(out.links.len() > 1);
    for link in &out.links {
        assert!(link.expose().len() < 2_331, "{} characters", link.expose().len());
    }
    assert_eq!(out.links.iter().map(|l| decode(l.expose()).otp_parameters.len()).sum::<usize>(), 10);
}

#[test]
fn the_google_export_reads_back_through_the_google_importer() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_with(dir.path(), &seven());
    let out = export::google_migration(&vault, Unencrypted::IUnderstand).unwrap();
    let expected: Vec<Credential> = out.exported.iter().map(|&n| seven()[n as usize - 1].clone()).collect();
    assert_eq!(import_google(&out.links), expected);

    // Several QR codes, scanned in any order, give back every entry in the export's order.
    let many: Vec<Credential> = (0..23u8)
        .map(|i| {
            credential(
                "Service",
                &format!("user{i}"),
                Params::hotp(Algorithm::Sha256, 8, u64::from(i) * 1000),
                &[i; 32],
            )
        })
        .collect();
    let mut links = export::google::export(&many, 10, Unencrypted::IUnderstand).links;
    links.reverse();
    assert_eq!(import_google(&links), many);
}

fn import_google(links: &[twostep_core::secret::SecretString]) -> Vec<Credential> {
    let text = links.iter().map(|l| l.expose()).collect::<Vec<_>>().join("\n");
    let items = twostep_core::import::read(twostep_core::import::Format::Google, text.as_bytes(), None).unwrap();
    items.into_iter().map(|item| item.outcome.unwrap()).collect()
}

#[test]
fn a_published_google_authenticator_link_decodes_with_these_messages() {
    // GNOME Authenticator's public test vector (Discord / johndoe@example.com), written by
    // Google Authenticator: the hand-derived messages read Google's own bytes.
    let link = "otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D";
    let p = decode(link);
    assert_eq!((p.version, p.batch_size, p.batch_index), (1, 1, 0));
    let o = &p.otp_parameters[0];
    assert_eq!((o.name.as_str(), o.issuer.as_str()), ("johndoe@example.com", "Discord"));
    assert_eq!((o.algorithm, o.digits, o.r#type), (1, 1, 2));
    assert_eq!(o.secret.len(), 16);
    // Our Debug never prints it.
    let shown = format!("{p:?}");
    assert!(shown.contains("redacted 16 bytes") && !shown.contains("76, 114"), "{shown}");
}

#[test]
fn an_empty_vault_exports_nothing() {
    let out = export::google::export(&[], 10, Unencrypted::IUnderstand);
    assert!(out.links.is_empty() && out.skipped.is_empty());
    assert!(export::otpauth_uris_of(&[], Unencrypted::IUnderstand).is_empty());
}

#[cfg(feature = "qr")]
#[test]
fn each_export_link_and_uri_reads_back_from_its_qr_code_as_a_png() {
    use twostep_core::otp::Kind;
    use twostep_core::qr;
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<Credential> = (0..12u8)
        .map(|i| credential("Service", &format!("user{i}@example.com"), Params::totp(Algorithm::Sha1, 6, 30), &[i; 20]))
        .collect();
    let google = export::google::export(&many, 10, Unencrypted::IUnderstand);
    let uris = export::otpauth_uris_of(&many[..2], Unencrypted::IUnderstand);
    for (i, text) in google.links.iter().chain(uris.iter()).enumerate() {
        let path = dir.path().join(format!("code-{i}.png"));
        std::fs::write(&path, qr::to_png(&qr::encode(text.expose()).unwrap(), 4)).unwrap();
        let read = qr::read_image(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].as_str(), text.expose());
    }
    // The URI read from the picture is the entry again.
    let read =
        qr::read_image(&std::fs::read(dir.path().join(format!("code-{}.png", google.links.len()))).unwrap()).unwrap();
    assert_eq!(uri::parse(&read[0]).unwrap(), many[0]);
    assert_eq!(uri::parse(&read[0]).unwrap().params.kind, Kind::Totp { period: 30 });
}
