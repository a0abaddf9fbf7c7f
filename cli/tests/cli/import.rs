//! `import --from FORMAT`: other apps' exports, previewed by entry number, then one transaction.

use crate::support::*;

/// A real export file of the shared set.
fn real_export(name: &str) -> PathBuf {
    plain_export().with_file_name(name)
}

/// The committed three-QR-code Google Authenticator export of core's tests.
pub(crate) fn google_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/imports/google-3-batches.txt")
}

/// `twostep import ARGS` against `home`'s vault, the import password (if any) in
/// `TWOSTEP_IMPORT_PASSWORD`.
pub(crate) fn import_with(home: &Home, password: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = twostep();
    cmd.env("TWOSTEP_VAULT", home.vault()).env("TWOSTEP_PASSPHRASE", PASSPHRASE).env_remove("TWOSTEP_IMPORT_PASSWORD");
    if let Some(password) = password {
        cmd.env("TWOSTEP_IMPORT_PASSWORD", password);
    }
    cmd.arg("import").args(args);
    Run::of(cmd)
}

/// The secrets of `plain.txt`, which every real export file holds.
fn real_secrets() -> Vec<String> {
    let text = std::fs::read_to_string(plain_export()).unwrap();
    text.lines().map(|l| l.split("secret=").nth(1).unwrap().split('&').next().unwrap().to_owned()).collect()
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn an_encrypted_aegis_export_is_previewed_then_imported_with_its_password() {
    let file = real_export("aegis_encrypted.json");
    let home = Home::new();
    let run = import_with(&home, Some("test"), &["--from", "aegis", file.to_str().unwrap()]);
    run.assert_ok();
    for secret in real_secrets() {
        run.assert_never_shows(&secret);
    }
    assert!(run.stdout.contains("(Aegis): 7 entries"), "{}", run.stdout);
    assert!(run.stdout.contains("to add (7):"), "{}", run.stdout);
    assert!(run.stdout.contains("#6  entry 6  WWE (Mason)"), "{}", run.stdout);
    assert!(run.stdout.contains("imported 7 entries"), "{}", run.stdout);
    let entries = home.list_json();
    assert_eq!(entries.len(), 7);
    assert_eq!((entries[5]["kind"].as_str(), entries[5]["counter"].as_u64()), (Some("hotp"), Some(10300)));
    assert_eq!((entries[1]["digits"].as_u64(), entries[1]["period"].as_u64()), (Some(7), Some(20)));
    assert_eq!(entries[6]["kind"], "steam");
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn a_dry_run_prints_the_preview_and_changes_nothing() {
    let file = real_export("aegis_encrypted.json");
    let file = file.to_str().unwrap();
    let home = Home::new();
    let run = import_with(&home, Some("test"), &["--from", "aegis", "--dry-run", file]);
    run.assert_ok();
    assert!(run.stdout.contains("to add (7):"), "{}", run.stdout);
    assert!(run.stdout.contains("dry run: 7 entries would be imported"), "{}", run.stdout);
    assert!(!home.vault().exists(), "a dry run creates no vault");

    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();
    let before = std::fs::read(home.vault()).unwrap();
    let run = import_with(&home, Some("test"), &["--from", "aegis", "--dry-run", file]);
    run.assert_ok();
    assert_eq!(std::fs::read(home.vault()).unwrap(), before);
    assert_eq!(home.list_json().len(), 1);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn a_wrong_import_password_is_refused_and_changes_nothing() {
    let file = real_export("aegis_encrypted.json");
    let home = Home::new();
    let run = import_with(&home, Some("not-the-password"), &["--from", "aegis", file.to_str().unwrap()]);
    run.assert_status(3).assert_never_shows("not-the-password");
    assert!(run.stderr.contains("the password does not open this Aegis export"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was imported"), "{}", run.stderr);
    assert!(!home.vault().exists(), "no vault is created for a file that does not open");

    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();
    let before = std::fs::read(home.vault()).unwrap();
    import_with(&home, Some("not-the-password"), &["--from", "aegis", file.to_str().unwrap()]).assert_status(3);
    assert_eq!(std::fs::read(home.vault()).unwrap(), before);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn an_encrypted_export_without_a_password_or_a_terminal_exits_2() {
    let file = real_export("2fas_authenticator_encrypted_v4.2fas");
    let home = Home::new();
    let run = import_with(&home, None, &["--from", "2fas", file.to_str().unwrap()]);
    run.assert_status(2);
    assert!(run.stderr.contains("TWOSTEP_IMPORT_PASSWORD"), "{}", run.stderr);
    assert!(!home.vault().exists());
}

#[test]
fn a_google_export_in_three_qr_codes_imports_once_and_then_only_finds_duplicates() {
    let home = Home::new();
    let file = google_fixture();
    let file = file.to_str().unwrap();
    let run = import_with(&home, None, &["--from", "google", file]);
    run.assert_ok();
    assert!(run.stdout.contains("imported 8 entries"), "{}", run.stdout);
    assert!(
        run.stderr.contains("Legacy (80-bit key) has a key shorter than 128 bits"),
        "the 80-bit key is noted: {}",
        run.stderr
    );
    let entries = home.list_json();
    assert_eq!(entries[5]["counter"].as_u64(), Some(1 << 40));

    let again = import_with(&home, None, &["--from", "auto", file]);
    again.assert_ok();
    assert!(again.stdout.contains("already there, skipped (8):"), "{}", again.stdout);
    assert!(again.stdout.contains("nothing to import"), "{}", again.stdout);
    assert!(again.stdout.contains("8 duplicates skipped"), "{}", again.stdout);
    assert_eq!(home.list_json().len(), 8);
}

#[test]
fn a_google_export_missing_a_qr_code_is_refused_naming_it() {
    let home = Home::new();
    let text = std::fs::read_to_string(google_fixture()).unwrap();
    let links: Vec<&str> = text.lines().filter(|l| l.starts_with("otpauth-migration")).collect();
    let file = home.write("partial.txt", &format!("{}\n{}\n", links[0], links[2]));
    let run = import_with(&home, None, &["--from", "google", file.to_str().unwrap()]);
    run.assert_status(6);
    assert!(run.stderr.contains("batch 2 of 3 missing"), "{}", run.stderr);
    assert!(!home.vault().exists());
}

#[test]
fn refused_entries_stop_the_import_unless_skipped() {
    let home = Home::new();
    let bad_secret = "GEZDGNBVGY3TQOJQ1";
    let file = home.write(
        "codes.txt",
        &format!(
            "{}\notpauth://totp/Bad:line?secret={bad_secret}\n{}\n",
            totp_uri(SEED_SHA1, "SHA1", 6),
            totp_uri(SEED_SHA256, "SHA256", 8)
        ),
    );
    let file = file.to_str().unwrap();
    let run = import_with(&home, None, &[file]);
    run.assert_status(6).assert_never_shows(bad_secret).assert_never_shows(&b32(SEED_SHA1));
    assert!(run.stdout.contains("refused (1):"), "{}", run.stdout);
    assert!(run.stdout.contains("#2  line 2  secret: is not valid base32"), "{}", run.stdout);
    assert!(run.stderr.contains("--skip-invalid"), "{}", run.stderr);
    assert!(!home.vault().exists());

    let run = import_with(&home, None, &["--skip-invalid", file]);
    run.assert_ok();
    assert!(run.stdout.contains("imported 2 entries"), "{}", run.stdout);
    assert!(run.stdout.contains("1 refused entry skipped"), "{}", run.stdout);
    assert_eq!(home.list_json().len(), 2);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn every_format_of_the_real_exports_imports_from_the_command_line() {
    let cases = [
        ("aegis_plain.json", "aegis", 7),
        ("2fas_authenticator_plain_v3.2fas", "2fas", 6),
        ("2fas_authenticator_encrypted_v4.2fas", "2fas", 5),
        ("bitwarden.json", "bitwarden", 4),
        ("ente_auth.txt", "ente", 7),
        ("plain.txt", "uris", 7),
    ];
    for (name, format, count) in cases {
        let file = real_export(name);
        let home = Home::new();
        let run = import_with(&home, Some("test"), &["--from", format, file.to_str().unwrap()]);
        run.assert_ok();
        for secret in real_secrets() {
            run.assert_never_shows(&secret);
        }
        assert_eq!(home.list_json().len(), count, "{name}");
    }
}
