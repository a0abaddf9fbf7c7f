//! The vault as a user meets it: a real SQLite file on disk, created, closed, reopened,
//! damaged, opened with the wrong passphrase, upgraded from an old version, killed mid-import.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use twostep_core::clock::FixedClock;
use twostep_core::otp::{Algorithm, Credential, Kind, Params};
use twostep_core::secret::SecretBytes;
use twostep_core::vault::{KdfParams, PassphraseKeyStore, Vault, VaultError, schema};

/// Real Argon2id, at a cost small enough that the suite stays quick; the default cost is
/// exercised by `default_cost_vault_opens`.
const TEST_KDF: KdfParams = KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 };
const T0: u64 = 1_700_000_000;

fn key_store(passphrase: &str) -> PassphraseKeyStore {
    PassphraseKeyStore::with_params(passphrase, TEST_KDF)
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(T0))
}

fn rfc_seed() -> SecretBytes {
    SecretBytes::from_slice(b"12345678901234567890")
}

fn totp(issuer: &str, account: &str) -> Credential {
    Credential {
        issuer: issuer.into(),
        account: account.into(),
        params: Params::totp(Algorithm::Sha1, 6, 30),
        secret: rfc_seed(),
    }
}

fn hotp(counter: u64) -> Credential {
    Credential {
        issuer: "Bank".into(),
        account: "ada".into(),
        params: Params::hotp(Algorithm::Sha1, 6, counter),
        secret: rfc_seed(),
    }
}

fn new_vault(dir: &Path) -> (PathBuf, Vault) {
    let path = dir.join("vault.db");
    let vault = Vault::create(&path, &key_store("correct horse"), clock()).unwrap();
    (path, vault)
}

fn reopen(path: &Path) -> Vault {
    Vault::open(path, &key_store("correct horse"), clock()).unwrap()
}

#[test]
fn entries_survive_closing_and_reopening_in_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("GitHub", "ada@example.com")).unwrap();
    vault.add(&totp("Example", "ada")).unwrap();
    vault.add(&hotp(5)).unwrap();
    let before = vault.list();
    drop(vault);

    let vault = reopen(&path);
    assert_eq!(vault.list(), before);
    let names: Vec<_> = vault.list().iter().map(|e| e.issuer.clone()).collect();
    assert_eq!(names, ["GitHub", "Example", "Bank"]);
}

#[test]
fn a_code_from_the_vault_matches_the_rfc() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let mut c = totp("RFC", "6238");
    c.params.digits = 8;
    let id = vault.add(&c).unwrap().id;
    assert_eq!(vault.code(&id, 59).unwrap(), "94287082");
    assert_eq!(vault.code(&id, 20_000_000_000).unwrap(), "65353130");
}

#[test]
fn hotp_counter_is_saved_before_the_code_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let id = vault.add(&hotp(0)).unwrap().id;
    // RFC 4226 Appendix D, counters 0 and 1.
    assert_eq!(vault.code(&id, T0).unwrap(), "755224");
    drop(vault);
    let mut vault = reopen(&path);
    assert_eq!(vault.get(&id).unwrap().params.kind, Kind::Hotp { counter: 1 });
    assert_eq!(vault.code(&id, T0).unwrap(), "287082");
    drop(vault);
    assert_eq!(reopen(&path).get(&id).unwrap().params.kind, Kind::Hotp { counter: 2 });
}

#[test]
fn a_refresh_gives_every_time_based_code_and_leaves_hotp_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let a = vault.add(&totp("A", "a")).unwrap().id;
    let h = vault.add(&hotp(3)).unwrap().id;
    let codes = vault.codes(59);
    assert_eq!(codes.len(), 2);
    assert_eq!(codes[0].id, a);
    let view = codes[0].code.as_ref().unwrap();
    assert_eq!(view.code, "287082");
    assert_eq!(view.timing.as_ref().unwrap().seconds_left, 1);
    assert_eq!(codes[1].id, h);
    assert!(codes[1].code.is_none());
    assert_eq!(vault.get(&h).unwrap().params.kind, Kind::Hotp { counter: 3 });
}

#[test]
fn wrong_passphrase_is_refused_and_the_file_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("GitHub", "ada")).unwrap();
    drop(vault);
    let before = std::fs::read(&path).unwrap();

    let err = Vault::open(&path, &key_store("wrong horse"), clock()).unwrap_err();
    assert!(matches!(err, VaultError::WrongKey), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(reopen(&path).len(), 1);
}

#[test]
fn a_damaged_file_is_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();

    let err = Vault::open(&path, &key_store("correct horse"), clock()).unwrap_err();
    assert!(matches!(err, VaultError::Damaged(_)), "{err:?}");
    assert!(err.to_string().contains("left as it is"));
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

/// One damaged entry must not lock the seller out of the others: the vault opens, the
/// damaged one is named apart, the others make codes and back up, and it can be removed.
#[test]
fn a_corrupted_secret_is_named_apart_and_the_rest_of_the_vault_works() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let broken = vault.add(&totp("GitHub", "ada")).unwrap().id;
    let sound = vault.add(&totp("GitLab", "ada")).unwrap().id;
    drop(vault);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE entries SET sealed_secret = zeroblob(45) WHERE id = ?1", [&broken]).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();

    let mut vault = Vault::open(&path, &key_store("correct horse"), clock()).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before, "opening wrote nothing");
    assert_eq!(vault.list().iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [sound.as_str()]);
    let damaged = vault.damaged();
    assert_eq!(damaged.len(), 1);
    assert_eq!((damaged[0].id.as_str(), damaged[0].issuer.as_str()), (broken.as_str(), "GitHub"));
    assert!(damaged[0].reason.contains("altered or damaged"), "{}", damaged[0].reason);
    assert_eq!(vault.code(&sound, T0).unwrap().len(), 6);
    assert_eq!(vault.credentials().unwrap().len(), 1, "backups take what is sound");

    vault.remove_damaged(&broken).unwrap();
    drop(vault);
    let vault = reopen(&path);
    assert!(vault.damaged().is_empty(), "the damaged row is gone for good");
    assert_eq!(vault.list().len(), 1);
}

#[test]
fn a_secret_moved_to_another_entry_does_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("A", "a")).unwrap();
    vault.add(&totp("B", "b")).unwrap();
    drop(vault);
    let conn = rusqlite::Connection::open(&path).unwrap();
    // Give every row the first row's ciphertext: valid AES-GCM, wrong owner.
    conn.execute(
        "UPDATE entries SET sealed_secret = (SELECT sealed_secret FROM entries ORDER BY position LIMIT 1)",
        [],
    )
    .unwrap();
    drop(conn);
    let vault = reopen(&path);
    assert_eq!(vault.list().len(), 1, "only the row that owns the ciphertext opens");
    assert_eq!(vault.damaged().len(), 1);
    assert_eq!(vault.damaged()[0].issuer, "B");
}

/// Every field that decides an entry's codes or names it is sealed with its secret: an edit
/// of any of them in the file is caught, not shown as wrong codes.
#[test]
fn editing_any_field_of_an_entry_in_the_file_is_caught() {
    let edits = [
        ("digits", "UPDATE entries SET digits = 8"),
        ("algorithm", "UPDATE entries SET algorithm = 'SHA256'"),
        ("period", "UPDATE entries SET period = 60 WHERE kind = 'totp'"),
        ("issuer", "UPDATE entries SET issuer = 'Evil'"),
        ("account", "UPDATE entries SET account = 'mallory'"),
        ("hotp counter rolled back", "UPDATE entries SET counter = counter - 1 WHERE kind = 'hotp'"),
    ];
    for (what, sql) in edits {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut vault) = new_vault(dir.path());
        let credential = if what.starts_with("hotp") { hotp(5) } else { totp("GitHub", "ada") };
        let entry = vault.add(&credential).unwrap();
        if what.starts_with("hotp") {
            vault.code(&entry.id, T0).unwrap();
        }
        drop(vault);
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(conn.execute(sql, []).unwrap(), 1, "{what}: the edit applies");
        drop(conn);
        let vault = reopen(&path);
        assert!(vault.list().is_empty(), "{what}: the edited entry must not make codes");
        assert_eq!(vault.damaged().len(), 1, "{what}: it is named as damaged");
    }
}

/// Renaming and using an HOTP code seal the entry again: it still opens afterwards.
#[test]
fn renames_and_hotp_codes_keep_the_entry_sealed_with_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let id = vault.add(&hotp(5)).unwrap().id;
    let first = vault.code(&id, T0).unwrap();
    vault.rename(&id, "Bank", "ada@example.com").unwrap();
    drop(vault);
    let mut vault = reopen(&path);
    assert!(vault.damaged().is_empty(), "{:?}", vault.damaged());
    assert_eq!(vault.list()[0].account, "ada@example.com");
    assert_ne!(vault.code(&id, T0).unwrap(), first, "the counter moved on and stays moved");
}

#[test]
fn a_vault_from_a_newer_version_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    drop(vault);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", schema::CURRENT_VERSION + 1).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();

    let err = Vault::open(&path, &key_store("correct horse"), clock()).unwrap_err();
    assert!(matches!(err, VaultError::TooNew { found, .. } if found == schema::CURRENT_VERSION + 1), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_carrying_a_trigger_is_refused_and_the_trigger_never_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("GitHub", "ada")).unwrap();
    drop(vault);
    // Someone with the file (a copied vault, malware) adds code that would run at our next
    // write: wipe every entry, or keep a copy of each sealed row elsewhere.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE stolen (secret BLOB);
         CREATE TRIGGER wipe AFTER UPDATE ON entries BEGIN DELETE FROM entries; END;
         CREATE TRIGGER copy AFTER INSERT ON entries BEGIN INSERT INTO stolen VALUES (new.sealed_secret); END;
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();

    let err = Vault::open(&path, &key_store("correct horse"), clock()).unwrap_err();
    assert!(matches!(&err, VaultError::Damaged(why) if why.contains("triggers or views")), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "refused before anything was written");
}

#[test]
fn a_file_carrying_a_view_in_place_of_a_table_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    drop(vault);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "ALTER TABLE device_state RENAME TO real_device_state;
         CREATE VIEW device_state AS SELECT * FROM real_device_state;
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);

    let err = Vault::open(&path, &key_store("correct horse"), clock()).unwrap_err();
    assert!(matches!(&err, VaultError::Damaged(why) if why.contains("triggers or views")), "{err:?}");
}

#[test]
fn creating_over_an_existing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, b"my notes").unwrap();
    let err = Vault::create(&path, &key_store("pw"), clock()).unwrap_err();
    assert!(matches!(err, VaultError::AlreadyExists(_)), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), b"my notes");
}

#[test]
fn opening_a_missing_vault_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let err = Vault::open(&path, &key_store("pw"), clock()).unwrap_err();
    assert!(matches!(err, VaultError::NoVault(_)), "{err:?}");
    assert!(!path.exists());
}

#[test]
fn rename_reorder_and_remove_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let a = vault.add(&totp("A", "a")).unwrap().id;
    let b = vault.add(&totp("B", "b")).unwrap().id;
    let c = vault.add(&totp("C", "c")).unwrap().id;
    vault.rename(&a, "Alpha", "alice").unwrap();
    vault.reorder(&[c.clone(), a.clone(), b.clone()]).unwrap();
    vault.remove(&b).unwrap();
    drop(vault);

    let vault = reopen(&path);
    let shown: Vec<_> = vault.list().iter().map(|e| (e.id.clone(), e.issuer.clone(), e.account.clone())).collect();
    assert_eq!(shown, [(c, "C".into(), "c".into()), (a, "Alpha".into(), "alice".into())]);
}

#[test]
fn a_new_order_must_place_every_entry_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let a = vault.add(&totp("A", "a")).unwrap().id;
    let b = vault.add(&totp("B", "b")).unwrap().id;
    for order in [vec![a.clone()], vec![a.clone(), a.clone()], vec![a.clone(), b.clone(), "nope".into()]] {
        assert!(vault.reorder(&order).is_err(), "{order:?} was accepted");
    }
    assert_eq!(vault.list().iter().map(|e| e.id.clone()).collect::<Vec<_>>(), [a, b]);
}

#[test]
fn unknown_entries_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    assert!(matches!(vault.code("nope", T0), Err(VaultError::EntryNotFound(id)) if id == "nope"));
    assert!(matches!(vault.remove("nope"), Err(VaultError::EntryNotFound(_))));
}

#[test]
fn an_invalid_credential_in_a_batch_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let mut bad = totp("Bad", "digits");
    bad.params.digits = 12;
    let err = vault.add_all(&[totp("A", "a"), bad, totp("C", "c")]).unwrap_err();
    assert!(matches!(&err, VaultError::Invalid(p) if p.field == "digits"), "{err:?}");
    assert!(vault.is_empty());
    drop(vault);
    assert!(reopen(&path).is_empty());
}

#[test]
fn secrets_are_not_in_the_file_listings_or_debug_output() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let seed = b"a very recognisable seed!".to_vec();
    let c = Credential { secret: SecretBytes::new(seed.clone()), ..totp("GitHub", "ada") };
    vault.add(&c).unwrap();
    let shown = format!("{:?} {:?} {:?}", vault, vault.list(), c);
    assert!(!shown.contains("recognisable"), "{shown}");
    drop(vault);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!bytes.windows(seed.len()).any(|w| w == seed), "plaintext seed found on disk");
    }
    let _ = path;
}

#[test]
fn default_cost_vault_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    let mut vault = Vault::create(&path, &PassphraseKeyStore::new("owasp cost"), clock()).unwrap();
    vault.add(&totp("A", "a")).unwrap();
    drop(vault);
    assert_eq!(Vault::open(&path, &PassphraseKeyStore::new("owasp cost"), clock()).unwrap().len(), 1);
}

/// `tests/fixtures/vault-v{1,2,3}.sqlite` were written by schema versions 1 to 3 (passphrase
/// "fixture", one TOTP entry "Fixture:ada" with the RFC 6238 seed). Opening each upgrades it
/// in place to the committed schema (`core/src/vault/schema.sql`), keeping the entry and its
/// code.
#[test]
fn every_old_vault_upgrades_to_the_committed_schema() {
    let dir = tempfile::tempdir().unwrap();
    for version in 1..=3 {
        let path = dir.path().join(format!("v{version}.db"));
        let fixture = format!("{}/tests/fixtures/vault-v{version}.sqlite", env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(&fixture, &path).unwrap();
        let before = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(schema::version(&before).unwrap(), version, "{fixture} is not at version {version}");
        drop(before);

        let mut vault = Vault::open(&path, &key_store("fixture"), clock()).unwrap();
        let entries = vault.list();
        assert_eq!(entries.len(), 1, "version {version}");
        assert_eq!((entries[0].issuer.as_str(), entries[0].account.as_str()), ("Fixture", "ada"));
        assert_eq!(entries[0].updated_at, entries[0].created_at);
        assert_eq!(vault.code(&entries[0].id, 59).unwrap(), "287082");
        drop(vault);
        let upgraded = schema::describe(&rusqlite::Connection::open(&path).unwrap()).unwrap();
        assert_eq!(upgraded, schema::SNAPSHOT, "version {version} upgraded to another schema");

        // The upgrade also sealed every field: an edit of the old entry is now caught.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("UPDATE entries SET digits = 8", []).unwrap();
        drop(conn);
        let vault = Vault::open(&path, &key_store("fixture"), clock()).unwrap();
        assert!(vault.list().is_empty() && vault.damaged().len() == 1, "version {version}: {:?}", vault.damaged());
    }
}

/// A fresh vault has the committed schema: a migration that changes it changes
/// `core/src/vault/schema.sql` too.
#[test]
fn a_fresh_vault_has_the_committed_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    drop(vault);
    let fresh = schema::describe(&rusqlite::Connection::open(&path).unwrap()).unwrap();
    assert_eq!(fresh, schema::SNAPSHOT, "update core/src/vault/schema.sql to:\n{fresh}");
}

/// Runs only as the child of `a_killed_import_leaves_no_half_import`.
#[test]
#[ignore = "child process of a_killed_import_leaves_no_half_import"]
fn import_until_killed() {
    let Ok(path) = std::env::var("TWOSTEP_KILL_TEST_VAULT") else { return };
    let mut vault = reopen(Path::new(&path));
    let batch: Vec<_> = (0..2000).map(|i| totp("Batch", &format!("user{i}"))).collect();
    println!("ready");
    loop {
        vault.add_all(&batch).unwrap();
    }
}

#[test]
fn a_killed_import_leaves_no_half_import() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("Committed", "before")).unwrap();
    drop(vault);

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "import_until_killed", "--nocapture", "--test-threads=1"])
        .env("TWOSTEP_KILL_TEST_VAULT", &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if line.unwrap().contains("ready") {
            break;
        }
    }
    // Let it get well into some transaction, then SIGKILL: no destructor, no rollback code runs.
    std::thread::sleep(std::time::Duration::from_millis(700));
    child.kill().unwrap();
    child.wait().unwrap();

    let vault = reopen(&path);
    let n = vault.len();
    assert_eq!(vault.list()[0].issuer, "Committed");
    assert_eq!((n - 1) % 2000, 0, "{n} entries: a batch was half-imported");
}

#[test]
fn device_state_is_sealed_kept_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.put_state("trust_token", &SecretBytes::from_slice(b"token-one")).unwrap();
    vault.put_state("trust_token", &SecretBytes::from_slice(b"token-two")).unwrap();
    drop(vault);
    let mut vault = reopen(&path);
    assert_eq!(vault.state("trust_token").unwrap().unwrap().expose(), b"token-two");
    assert!(vault.delete_state("trust_token").unwrap());
    assert!(vault.state("trust_token").unwrap().is_none());
    assert!(!vault.delete_state("trust_token").unwrap());
    drop(vault);
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.windows(9).any(|w| w == b"token-two"), "state stored in the clear");
}

#[test]
fn the_same_second_factor_is_found_whatever_its_names_or_counter() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let totp_id = vault.add(&totp("GitHub", "ada")).unwrap().id;
    let hotp_id = vault.add(&hotp(5)).unwrap().id;
    vault.rename(&totp_id, "GitHub (work)", "ada").unwrap();

    let other_seed = Credential { secret: SecretBytes::from_slice(b"another seed 1234567"), ..totp("GitHub", "ada") };
    let other_digits = {
        let mut c = totp("GitHub", "ada");
        c.params.digits = 8;
        c
    };
    let found = vault.find_duplicates(&[totp("Renamed", "x"), hotp(99), other_seed, other_digits]).unwrap();
    assert_eq!(found, [Some(totp_id), Some(hotp_id), None, None]);
}

#[test]
fn credentials_come_back_with_their_secrets_for_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("A", "a")).unwrap();
    vault.add(&hotp(7)).unwrap();
    drop(vault);
    let vault = reopen(&path);
    let all = vault.credentials().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].1, totp("A", "a"));
    assert_eq!(all[1].1, hotp(7));
}

#[test]
fn open_or_create_makes_a_vault_once_and_then_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let mut first = Vault::open_or_create(&path, &key_store("correct horse"), clock()).unwrap();
    first.add(&totp("GitHub", "ada")).unwrap();
    drop(first);
    let again = Vault::open_or_create(&path, &key_store("correct horse"), clock()).unwrap();
    assert_eq!(again.list().len(), 1, "the second start opened the same vault");
}

#[test]
fn open_or_create_never_replaces_a_vault_it_cannot_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("GitHub", "ada")).unwrap();
    drop(vault);
    let before = std::fs::read(&path).unwrap();
    let wrong = Vault::open_or_create(&path, &key_store("wrong horse"), clock());
    assert!(matches!(wrong, Err(VaultError::WrongKey)), "{wrong:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is kept byte for byte");

    std::fs::write(&path, b"not a database at all, just damage").unwrap();
    let damaged = Vault::open_or_create(&path, &key_store("correct horse"), clock());
    assert!(damaged.is_err(), "a damaged file is reported");
    assert_eq!(std::fs::read(&path).unwrap(), b"not a database at all, just damage", "and kept, not recreated");
}

/// A file whose key header demands 1 GiB × 64 passes of Argon2 would stall a phone for
/// minutes and could exhaust its memory: it is refused before any derivation, and kept.
#[test]
fn a_hostile_key_header_is_refused_before_any_derivation() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    drop(vault);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut wrapped: Vec<u8> = conn.query_row("SELECT wrapped_key FROM vault_key", [], |r| r.get(0)).unwrap();
    wrapped[1..5].copy_from_slice(&(1024u32 * 1024).to_le_bytes());
    wrapped[5..9].copy_from_slice(&64u32.to_le_bytes());
    conn.execute("UPDATE vault_key SET wrapped_key = ?1", [&wrapped]).unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let refused = Vault::open(&path, &key_store("correct horse"), clock());
    assert!(
        matches!(refused, Err(VaultError::KeyStore(twostep_core::vault::KeyStoreError::Malformed(_)))),
        "{refused:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_new_passphrase_opens_the_vault_and_the_old_one_no_longer_does() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(&totp("Kept", "ada")).unwrap();
    vault.rewrap_key(&key_store("correct horse"), &key_store("new staple")).unwrap();
    drop(vault);
    assert!(matches!(Vault::open(&path, &key_store("correct horse"), clock()), Err(VaultError::WrongKey)));
    let mut vault = Vault::open(&path, &key_store("new staple"), clock()).unwrap();
    let id = vault.list()[0].id.clone();
    assert_eq!(vault.code(&id, 59).unwrap(), "287082");
}

#[test]
fn a_wrong_current_passphrase_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    assert!(matches!(vault.rewrap_key(&key_store("wrong"), &key_store("new staple")), Err(VaultError::WrongKey)));
    drop(vault);
    assert!(Vault::open(&path, &key_store("new staple"), clock()).is_err());
    reopen(&path);
}
