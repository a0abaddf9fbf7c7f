//! Preview, then apply, against a real vault file: what will be added, what is already there
//! (in the vault or earlier in the same file), what was refused and why, by item number; then
//! one transaction that adds all of it or nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use twostep_core::clock::FixedClock;
use twostep_core::import::{self, DuplicateOf, Format, ImportError, OnRefused, Place};
use twostep_core::otp::{Algorithm, Credential, Kind, Params};
use twostep_core::secret::SecretBytes;
use twostep_core::vault::{KdfParams, PassphraseKeyStore, Vault};

const TEST_KDF: KdfParams = KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 };

fn new_vault(dir: &Path) -> (PathBuf, Vault) {
    let path = dir.join("vault.db");
    let store = PassphraseKeyStore::with_params("correct horse", TEST_KDF);
    let vault = Vault::create(&path, &store, Arc::new(FixedClock::at(1_700_000_000))).unwrap();
    (path, vault)
}

fn google_fixture() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/imports/google-3-batches.txt")).unwrap()
}

fn uri(issuer: &str, secret: &str) -> String {
    format!("otpauth://totp/{issuer}:ada?secret={secret}&issuer={issuer}")
}

const KEY_A: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const KEY_B: &str = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
const KEY_C: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[test]
fn an_import_into_an_empty_vault_adds_every_entry_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let items = import::read(Format::Google, &google_fixture(), None).unwrap();
    let preview = import::preview(&vault, items).unwrap();
    assert_eq!(preview.to_add.iter().map(|t| t.number).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
    assert!(preview.duplicates.is_empty() && preview.refused.is_empty());
    assert!(preview.to_add[7].summary.short_key, "the 80-bit key is flagged for a warning");

    assert_eq!(import::apply(&mut vault, &preview, OnRefused::Block).unwrap(), 8);
    let entries = vault.list();
    assert_eq!(entries.len(), 8);
    assert_eq!(entries[4].params, Params::hotp(Algorithm::Sha512, 8, 10_300));
    assert_eq!(entries[5].params.kind, Kind::Hotp { counter: 1 << 40 });
    let stored: Vec<Credential> = vault.credentials().unwrap().into_iter().map(|(_, c)| c).collect();
    assert_eq!(stored[0].secret.expose(), data_encoding::BASE32_NOPAD.decode(b"4SJHB4GSD43FZBAI7C2HLRJGPQ").unwrap());
}

#[test]
fn importing_the_same_export_again_finds_every_entry_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let first = import::preview(&vault, import::read(Format::Google, &google_fixture(), None).unwrap()).unwrap();
    import::apply(&mut vault, &first, OnRefused::Block).unwrap();
    // A renamed entry and a moved HOTP counter are still the same second factor.
    let ids: Vec<String> = vault.list().into_iter().map(|e| e.id).collect();
    vault.rename(&ids[0], "Renamed", "someone").unwrap();
    vault.code(&ids[3], 0).unwrap();

    let again = import::preview(&vault, import::read(Format::Google, &google_fixture(), None).unwrap()).unwrap();
    assert!(again.to_add.is_empty());
    let of: Vec<(u32, DuplicateOf)> = again.duplicates.iter().map(|d| (d.number, d.of.clone())).collect();
    let want: Vec<(u32, DuplicateOf)> =
        ids.iter().enumerate().map(|(i, id)| (i as u32 + 1, DuplicateOf::Entry(id.clone()))).collect();
    assert_eq!(of, want);
    assert_eq!(import::apply(&mut vault, &again, OnRefused::Block).unwrap(), 0);
    assert_eq!(vault.len(), 8);
}

#[test]
fn a_duplicate_inside_one_file_is_added_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let text = [uri("A", KEY_A), uri("B", KEY_B), uri("A-again", KEY_A)].join("\n");
    let preview = import::preview(&vault, import::read(Format::Uris, text.as_bytes(), None).unwrap()).unwrap();
    assert_eq!(preview.duplicates.len(), 1);
    assert_eq!((preview.duplicates[0].number, &preview.duplicates[0].of), (3, &DuplicateOf::Item(1)));
    assert_eq!(import::apply(&mut vault, &preview, OnRefused::Block).unwrap(), 2);
}

#[test]
fn a_refused_entry_blocks_the_whole_import_unless_the_user_skips_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&import::parse_uris([uri("Kept", KEY_C).as_str()]).unwrap()[0]).unwrap();
    let text = format!("{}\n# a comment\n{}\n{}\n", uri("A", KEY_A), uri("Bad", "NOT-BASE32-1"), uri("B", KEY_B));
    let preview = import::preview(&vault, import::read(Format::Uris, text.as_bytes(), None).unwrap()).unwrap();
    assert_eq!(preview.refused.len(), 1);
    let refused = &preview.refused[0];
    assert_eq!((refused.number, refused.place, refused.reason.field()), (2, Place::Line(3), "secret"));

    let before = std::fs::read(&path).unwrap();
    let e = import::apply(&mut vault, &preview, OnRefused::Block).unwrap_err();
    assert!(matches!(e, ImportError::Refused { count: 1, first: Place::Line(3), .. }), "{e:?}");
    assert!(e.to_string().contains("line 3: secret"), "{e}");
    assert!(!e.to_string().contains("NOT-BASE32"), "{e}");
    assert_eq!(vault.len(), 1);
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");

    assert_eq!(import::apply(&mut vault, &preview, OnRefused::Skip).unwrap(), 2);
    assert_eq!(vault.len(), 3);
}

#[test]
fn a_preview_made_before_the_vault_changed_is_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let text = [uri("A", KEY_A), uri("B", KEY_B)].join("\n");
    let preview = import::preview(&vault, import::read(Format::Uris, text.as_bytes(), None).unwrap()).unwrap();
    // Meanwhile the same key arrives another way: applying the old preview would duplicate it.
    vault.add(&import::parse_uris([uri("A", KEY_A).as_str()]).unwrap()[0]).unwrap();
    let e = import::apply(&mut vault, &preview, OnRefused::Block).unwrap_err();
    assert!(matches!(e, ImportError::StalePreview), "{e:?}");
    assert_eq!(vault.len(), 1);
}

#[test]
fn a_preview_for_a_new_vault_applies_to_an_empty_one_only() {
    let text = [uri("A", KEY_A), uri("B", KEY_B)].join("\n");
    let preview = import::preview_for_new_vault(import::read(Format::Uris, text.as_bytes(), None).unwrap());
    assert_eq!(preview.to_add.len(), 2);

    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    vault
        .add(&Credential {
            issuer: "X".into(),
            account: "x".into(),
            params: Params::totp(Algorithm::Sha1, 6, 30),
            secret: SecretBytes::from_slice(b"12345678901234567890"),
        })
        .unwrap();
    assert!(matches!(import::apply(&mut vault, &preview, OnRefused::Block), Err(ImportError::StalePreview)));

    let other = tempfile::tempdir().unwrap();
    let (_, mut empty) = new_vault(other.path());
    assert_eq!(import::apply(&mut empty, &preview, OnRefused::Block).unwrap(), 2);
}
