//! Encrypted backups as a user meets them: a vault backed up and restored into an empty
//! vault and into one that already has some of the entries, a wrong password, a file cut
//! short or damaged, a hostile header, and the committed version-1 file read back.

use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use twostep_core::backup::{self, BackupError, format};
use twostep_core::clock::FixedClock;
use twostep_core::otp::{Algorithm, Credential, Kind, Params};
use twostep_core::secret::SecretBytes;
use twostep_core::vault::{KdfParams, PassphraseKeyStore, Vault};

/// Real Argon2id at a cost small enough for a quick suite; the default cost is the bench's.
const CHEAP: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };
const VAULT_KDF: KdfParams = KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 };
const PASSWORD: &str = "a long backup password";
const T0: u64 = 1_700_000_000;

fn credential(issuer: &str, account: &str, params: Params, secret: &[u8]) -> Credential {
    Credential { issuer: issuer.into(), account: account.into(), params, secret: SecretBytes::from_slice(secret) }
}

/// One of each kind, with an HOTP counter that must come back exactly.
fn mixed() -> Vec<Credential> {
    vec![
        credential("GitHub", "ada@example.com", Params::totp(Algorithm::Sha1, 6, 30), b"12345678901234567890"),
        credential("Bank", "ada", Params::hotp(Algorithm::Sha256, 8, 41), b"12345678901234567890123456789012"),
        credential("Steam", "ada", Params::steam(), b"superdupersecret"),
        credential("", "Zoë: ünïcode", Params::totp(Algorithm::Sha512, 7, 60), &[0xA5; 64]),
    ]
}

fn vault_at(dir: &Path, name: &str) -> Vault {
    Vault::create(
        &dir.join(name),
        &PassphraseKeyStore::with_params("vault passphrase", VAULT_KDF),
        Arc::new(FixedClock::at(T0)),
    )
    .unwrap()
}

fn vault_with(dir: &Path, name: &str, credentials: &[Credential]) -> Vault {
    let mut v = vault_at(dir, name);
    v.add_all(credentials).unwrap();
    v
}

/// Everything a user can see of the vault, plus the secrets: what a restore must give back.
fn contents(v: &Vault) -> Vec<(String, String, Params, Vec<u8>)> {
    v.credentials()
        .unwrap()
        .into_iter()
        .map(|(_, c)| (c.issuer.clone(), c.account.clone(), c.params, c.secret.expose().to_vec()))
        .collect()
}

/// Rewrites the header checksum after a test edits the header, as an attacker could.
fn fix_checksum(bytes: &mut [u8]) {
    let at = format::HEADER_LEN - format::CHECKSUM_LEN;
    let digest = ring::digest::digest(&ring::digest::SHA256, &bytes[..at]);
    bytes[at..format::HEADER_LEN].copy_from_slice(&digest.as_ref()[..format::CHECKSUM_LEN]);
}

#[test]
fn a_backup_restored_into_an_empty_vault_gives_back_every_entry_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = vault_with(dir.path(), "old.db", &mixed());
    // A reorder and a used HOTP code: the backup keeps the order and the counter as they are now.
    let ids: Vec<String> = old.list().into_iter().rev().map(|e| e.id).collect();
    old.reorder(&ids).unwrap();
    let bank = old.list().into_iter().find(|e| e.issuer == "Bank").unwrap();
    old.code(&bank.id, T0).unwrap();

    let bytes = backup::write(&old, PASSWORD, CHEAP).unwrap();
    let mut new = vault_at(dir.path(), "new.db");
    let report = backup::restore(&mut new, &bytes, PASSWORD).unwrap();

    assert_eq!(report.added.len(), 4);
    assert!(report.duplicates.is_empty());
    assert_eq!(report.backup_created_at, T0);
    assert_eq!(contents(&new), contents(&old));
    let restored_bank = new.list().into_iter().find(|e| e.issuer == "Bank").unwrap();
    assert_eq!(restored_bank.params.kind, Kind::Hotp { counter: 42 });
    // Same codes from the restored vault.
    assert_eq!(
        new.codes(T0).iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
        old.codes(T0).iter().map(|c| c.code.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn restoring_into_a_vault_that_has_some_entries_skips_and_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let old = vault_with(dir.path(), "old.db", &mixed());
    let bytes = backup::write(&old, PASSWORD, CHEAP).unwrap();

    // The new vault already has GitHub (renamed) and the bank entry (at another counter).
    let mut existing = mixed();
    existing[0].issuer = "GitHub (work)".into();
    existing[1].params = Params::hotp(Algorithm::Sha256, 8, 7);
    let mut new = vault_with(dir.path(), "new.db", &existing[..2]);
    let before = new.list();

    let report = backup::restore(&mut new, &bytes, PASSWORD).unwrap();
    let dup: Vec<(u32, &str, &str)> =
        report.duplicates.iter().map(|d| (d.number, d.issuer.as_str(), d.existing_id.as_str())).collect();
    assert_eq!(dup, [(1, "GitHub", before[0].id.as_str()), (2, "Bank", before[1].id.as_str())]);
    assert_eq!(report.added.iter().map(|e| e.issuer.as_str()).collect::<Vec<_>>(), ["Steam", ""]);
    assert_eq!(new.len(), 4, "existing entries kept, new ones after them");
    assert_eq!(new.list()[..2], before[..], "existing entries untouched");
}

#[test]
fn restoring_the_same_backup_twice_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let old = vault_with(dir.path(), "old.db", &mixed());
    let bytes = backup::write(&old, PASSWORD, CHEAP).unwrap();
    let mut new = vault_at(dir.path(), "new.db");
    backup::restore(&mut new, &bytes, PASSWORD).unwrap();
    let again = backup::restore(&mut new, &bytes, PASSWORD).unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.duplicates.len(), 4);
    assert_eq!(new.len(), 4);
}

#[test]
fn twin_entries_inside_one_backup_are_both_restored() {
    // The backed-up vault held the same credential twice; an empty vault gets both back.
    let dir = tempfile::tempdir().unwrap();
    let twins = [mixed()[0].clone(), mixed()[0].clone()];
    let bytes = backup::write_credentials(&twins, PASSWORD, CHEAP, T0).unwrap();
    let mut new = vault_at(dir.path(), "new.db");
    assert_eq!(backup::restore(&mut new, &bytes, PASSWORD).unwrap().added.len(), 2);
}

#[test]
fn a_preview_says_what_a_restore_would_do_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    let new = vault_with(dir.path(), "new.db", &mixed()[2..3]);
    let plan = backup::plan_restore(&new, &backup::read(&bytes, PASSWORD).unwrap()).unwrap();
    assert_eq!(plan.new.iter().map(|e| e.number).collect::<Vec<_>>(), [1, 2, 4]);
    assert_eq!(plan.duplicates.iter().map(|d| d.number).collect::<Vec<_>>(), [3]);
    assert_eq!(new.len(), 1);
}

#[test]
fn a_wrong_password_is_a_typed_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    let mut new = vault_with(dir.path(), "new.db", &mixed()[..1]);
    let before = contents(&new);
    let err = backup::restore(&mut new, &bytes, "a long backup passworD").unwrap_err();
    assert!(matches!(err, BackupError::WrongPassword), "{err:?}");
    assert!(!err.to_string().contains(PASSWORD));
    assert_eq!(contents(&new), before);
}

#[test]
fn a_backup_cut_short_says_which_part_is_missing() {
    let bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    for (cut, part) in [
        (40, "the header"),
        (format::HEADER_LEN + 10, "the encrypted entries"),
        (bytes.len() - 1, "the encrypted entries"),
    ] {
        match backup::read(&bytes[..cut], PASSWORD) {
            Err(BackupError::Truncated { what, found, .. }) => {
                assert_eq!(what, part, "cut at {cut}");
                assert_eq!(
                    found as usize,
                    cut.saturating_sub(if part == "the header" { 0 } else { format::HEADER_LEN })
                );
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn a_damaged_body_is_damage_not_a_wrong_password() {
    let mut bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    let middle = format::HEADER_LEN + (bytes.len() - format::HEADER_LEN) / 2;
    bytes[middle] ^= 0x01;
    match backup::read(&bytes, PASSWORD) {
        Err(BackupError::Damaged(what)) => assert!(what.contains("encrypted entries"), "{what}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_damaged_header_is_named_as_such() {
    let mut bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    bytes[30] ^= 0x80; // inside the salt
    match backup::read(&bytes, PASSWORD) {
        Err(BackupError::Damaged(what)) => assert!(what.contains("header"), "{what}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_header_edited_with_a_fixed_checksum_still_fails() {
    // Lowering the stored cost (or any other header edit) breaks the derived keys and the
    // body's associated data, even when the editor recomputes the checksum.
    let mut bytes = backup::write_credentials(&mixed(), PASSWORD, KdfParams { memory_kib: 128, ..CHEAP }, T0).unwrap();
    bytes[11..15].copy_from_slice(&64u32.to_le_bytes());
    fix_checksum(&mut bytes);
    assert!(matches!(backup::read(&bytes, PASSWORD), Err(BackupError::WrongPassword)));

    let mut bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    bytes[51..59].copy_from_slice(&(T0 + 1).to_le_bytes()); // the date
    fix_checksum(&mut bytes);
    assert!(matches!(backup::read(&bytes, PASSWORD), Err(BackupError::Damaged(_))));
}

#[test]
fn a_hostile_key_derivation_cost_is_refused_before_any_work() {
    let good = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    for (at, value) in [(11, u32::MAX), (11, 512 * 1024), (15, 0), (15, 1_000), (19, 0), (19, 64), (11, 4)] {
        let mut bytes = good.clone();
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
        fix_checksum(&mut bytes);
        let err = backup::read(&bytes, PASSWORD).unwrap_err();
        assert!(matches!(err, BackupError::KdfRefused(_)), "field at {at} = {value}: {err:?}");
        assert!(matches!(backup::info(&bytes), Err(BackupError::KdfRefused(_))));
    }
    let mut bytes = good.clone();
    bytes[10] = 2; // an unknown key derivation
    fix_checksum(&mut bytes);
    assert!(matches!(backup::read(&bytes, PASSWORD), Err(BackupError::KdfRefused(_))));
}

#[test]
fn a_header_announcing_a_huge_body_is_refused_without_reading_it() {
    let mut bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    bytes[59..63].copy_from_slice(&u32::MAX.to_le_bytes());
    fix_checksum(&mut bytes);
    assert!(matches!(backup::read(&bytes, PASSWORD), Err(BackupError::TooLarge(_))));
}

#[test]
fn a_newer_format_version_is_refused_by_name() {
    let mut bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    bytes[8..10].copy_from_slice(&2u16.to_le_bytes());
    match backup::read(&bytes, PASSWORD) {
        Err(BackupError::TooNew { found: 2, supported: 1 }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn other_files_are_not_backups() {
    let dir = tempfile::tempdir().unwrap();
    let v = vault_with(dir.path(), "v.db", &mixed());
    let vault_file = std::fs::read(v.path()).unwrap();
    for bytes in [&vault_file[..], b"", b"TWOST", b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"] {
        assert!(matches!(backup::read(bytes, PASSWORD), Err(BackupError::NotABackup)));
    }
}

#[test]
fn trailing_bytes_after_the_entries_are_damage() {
    let mut bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    bytes.push(0);
    assert!(matches!(backup::read(&bytes, PASSWORD), Err(BackupError::Damaged(_))));
}

#[test]
fn the_committed_version_1_backup_still_reads() {
    // Written once by version 1 (`write_backup_v1_fixture`); a format change that breaks it
    // breaks this test before it breaks a phone.
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backup-v1.twostep")).unwrap();
    let info = backup::info(&bytes).unwrap();
    assert_eq!((info.format_version, info.created_at), (1, 1_700_000_000));
    assert_eq!(info.kdf, CHEAP);
    let b = backup::read(&bytes, "fixture password").unwrap();
    let shown: Vec<(String, String, Params)> =
        b.entries.iter().map(|c| (c.issuer.clone(), c.account.clone(), c.params)).collect();
    assert_eq!(
        shown,
        [
            ("RFC 6238".into(), "sha1@example.com".into(), Params::totp(Algorithm::Sha1, 8, 30)),
            ("RFC 6238".into(), "sha256".into(), Params::totp(Algorithm::Sha256, 8, 60)),
            ("Zürich: Bank".into(), "ada lovelace".into(), Params::totp(Algorithm::Sha512, 7, 45)),
            ("RFC 4226".into(), "hotp".into(), Params::hotp(Algorithm::Sha1, 6, 5_000_000_000)),
            ("Steam".into(), "gaben".into(), Params::steam()),
            ("".into(), "no-issuer".into(), Params::totp(Algorithm::Sha1, 6, 30)),
        ]
    );
    // The secrets, through codes: RFC 6238's SHA-1 vector at 59 s, RFC 4226's at counter 0.
    assert_eq!(b.entries[0].generator().unwrap().code_at(59), "94287082");
    let hotp = b.entries[3].generator().unwrap();
    assert_eq!(hotp.hotp(0), "755224");
    assert_eq!(b.entries[4].secret.expose(), b"superdupersecret");
}

#[test]
fn the_file_shows_no_secret_and_no_name() {
    let bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    for needle in
        [&b"12345678901234567890"[..], b"superdupersecret", b"GitHub", b"ada@example.com", PASSWORD.as_bytes()]
    {
        assert!(!contains(needle));
    }
}

#[test]
fn an_empty_vault_backs_up_and_restores_to_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = vault_at(dir.path(), "empty.db");
    let bytes = backup::write(&empty, PASSWORD, CHEAP).unwrap();
    let mut new = vault_at(dir.path(), "new.db");
    let report = backup::restore(&mut new, &bytes, PASSWORD).unwrap();
    assert!(report.added.is_empty() && report.duplicates.is_empty());
}

fn arb_credential() -> impl Strategy<Value = Credential> {
    let kind = prop_oneof![
        (1u32..=86_400).prop_map(|period| Kind::Totp { period }),
        (0u64..=i64::MAX as u64).prop_map(|counter| Kind::Hotp { counter }),
        Just(Kind::Steam { period: 30 }),
    ];
    let algorithm = prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)];
    (kind, algorithm, 6u8..=8, "[^\\p{Cc}]{0,40}", "[^\\p{Cc}]{1,40}", prop::collection::vec(any::<u8>(), 10..=128))
        .prop_map(|(kind, algorithm, digits, issuer, account, secret)| {
            let params = match kind {
                Kind::Steam { .. } => Params::steam(),
                kind => Params { kind, algorithm, digits },
            };
            Credential { issuer, account, params, secret: SecretBytes::new(secret) }
        })
        .prop_filter("a valid credential", |c| c.validate().is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn write_then_read_gives_back_every_credential(
        credentials in prop::collection::vec(arb_credential(), 0..12),
        password in "[^\\p{Cc}]{1,30}",
        created_at in any::<u64>(),
    ) {
        let bytes = backup::write_credentials(&credentials, &password, CHEAP, created_at).unwrap();
        let back = backup::read(&bytes, &password).unwrap();
        prop_assert_eq!(back.entries, credentials);
        prop_assert_eq!(back.created_at, created_at);
    }

    #[test]
    fn any_changed_byte_is_refused_never_misread(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let bytes = backup::write_credentials(&mixed(), PASSWORD, CHEAP, T0).unwrap();
        let mut changed = bytes.clone();
        changed[at.index(bytes.len())] ^= 1 << bit;
        prop_assert!(backup::read(&changed, PASSWORD).is_err());
    }

    #[test]
    fn arbitrary_bytes_after_the_magic_are_a_typed_error(tail in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut bytes = format::MAGIC.to_vec();
        bytes.extend(tail);
        // Never a panic; the checksum stops almost everything before any key derivation.
        prop_assert!(backup::read(&bytes, PASSWORD).is_err());
    }
}
