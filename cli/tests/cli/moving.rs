//! `backup`, `restore`, `export`, `qr`, `resync`: moving out and back in.

use crate::import::{google_fixture, import_with};
use crate::support::*;

const BACKUP_PASSWORD: &str = "backup password for tests";

/// `twostep ARGS` against `home`'s vault, with `backup_password` (if any) in
/// `TWOSTEP_BACKUP_PASSWORD`.
fn with_backup_password(home: &Home, backup_password: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = twostep();
    cmd.env("TWOSTEP_VAULT", home.vault()).env("TWOSTEP_PASSPHRASE", PASSPHRASE).env_remove("TWOSTEP_BACKUP_PASSWORD");
    if let Some(p) = backup_password {
        cmd.env("TWOSTEP_BACKUP_PASSWORD", p);
    }
    cmd.args(args);
    Run::of(cmd)
}

/// RFC 4226 Appendix D: HOTP codes of counters 0 to 9 for the RFC's seed.
const RFC_4226: [&str; 10] =
    ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

fn hotp_uri(counter: u64) -> String {
    format!("otpauth://hotp/Token:ada?secret={}&counter={counter}", b32(SEED_SHA1))
}

/// A vault with a TOTP, an HOTP (at counter 3) and a Steam entry.
fn three_entries() -> Home {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA256, "SHA256", 8)]).assert_ok();
    home.run(&["add", &hotp_uri(3)]).assert_ok();
    home.run(&["add", &format!("otpauth://steam/Steam:gaben?secret={}", b32(b"superdupersecret"))]).assert_ok();
    home
}

/// `list --json` without the ids and positions, which a restore gives anew.
fn shape(home: &Home) -> Vec<serde_json::Value> {
    home.list_json()
        .into_iter()
        .map(|mut e| {
            let o = e.as_object_mut().unwrap();
            o.remove("id");
            o.remove("position");
            e
        })
        .collect()
}

#[test]
fn a_backup_restored_into_a_new_vault_gives_back_every_entry_and_code() {
    let old = three_entries();
    let file = old.dir.path().join("codes.twostep");
    let run = with_backup_password(&old, Some(BACKUP_PASSWORD), &["backup", file.to_str().unwrap()]);
    run.assert_ok().assert_never_shows(&b32(SEED_SHA256));
    assert!(run.stdout.contains("backed up 3 entries"), "{}", run.stdout);

    let new = Home::new();
    let run = with_backup_password(&new, Some(BACKUP_PASSWORD), &["restore", file.to_str().unwrap()]);
    run.assert_ok();
    assert!(run.stdout.contains("restored 3 entries") && run.stdout.contains("(backup of "), "{}", run.stdout);
    assert_eq!(shape(&new), shape(&old));
    assert_eq!(new.list_json()[1]["counter"], 3);
    for query in ["RFC", "steam"] {
        let old_code = old.run(&["code", query, "--plain", "--at", "59"]);
        assert_eq!(new.run(&["code", query, "--plain", "--at", "59"]).assert_ok().stdout, old_code.assert_ok().stdout);
    }
}

#[test]
fn a_backup_never_overwrites_a_file() {
    let home = three_entries();
    let file = home.write("taken.twostep", "precious");
    let run = with_backup_password(&home, Some(BACKUP_PASSWORD), &["backup", file.to_str().unwrap()]);
    run.assert_status(2);
    assert!(run.stderr.contains("never overwrites"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
}

#[test]
fn a_wrong_backup_password_exits_3_and_creates_no_vault() {
    let old = three_entries();
    let file = old.dir.path().join("codes.twostep");
    with_backup_password(&old, Some(BACKUP_PASSWORD), &["backup", file.to_str().unwrap()]).assert_ok();
    let new = Home::new();
    let run = with_backup_password(&new, Some("not the password"), &["restore", file.to_str().unwrap()]);
    run.assert_status(3);
    assert!(run.stderr.contains("does not open the backup"), "{}", run.stderr);
    assert!(!new.vault().exists(), "a vault was created for a backup that did not open");
    // Without the variable and without a terminal, the password cannot be asked for.
    with_backup_password(&new, None, &["restore", file.to_str().unwrap()]).assert_status(2);
}

#[test]
fn restoring_into_a_vault_that_has_the_entries_skips_and_lists_them() {
    let home = three_entries();
    let file = home.dir.path().join("codes.twostep");
    with_backup_password(&home, Some(BACKUP_PASSWORD), &["backup", file.to_str().unwrap()]).assert_ok();
    home.run(&["rename", "steam", "Valve", "gaben"]).assert_ok();

    let dry = with_backup_password(&home, Some(BACKUP_PASSWORD), &["restore", "--dry-run", file.to_str().unwrap()]);
    dry.assert_ok();
    assert!(
        dry.stdout.contains("skipped, already in the vault (3)") && dry.stdout.contains("nothing was changed"),
        "{}",
        dry.stdout
    );

    let run = with_backup_password(&home, Some(BACKUP_PASSWORD), &["restore", file.to_str().unwrap()]);
    run.assert_ok();
    assert!(run.stdout.contains("restored 0 entries"), "{}", run.stdout);
    assert!(run.stdout.contains("#3  Steam (gaben)"), "{}", run.stdout);
    assert_eq!(home.list_json().len(), 3);
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_by_name() {
    let home = three_entries();
    let file = home.write("notes.txt", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP");
    let run = with_backup_password(&home, Some(BACKUP_PASSWORD), &["restore", file.to_str().unwrap()]);
    run.assert_status(6).assert_never_shows("JBSWY3DPEHPK3PXP");
    assert!(run.stderr.contains("not a Twostep backup"), "{}", run.stderr);
}

#[test]
fn an_export_is_refused_without_unencrypted_and_says_why() {
    let home = three_entries();
    let run = home.run(&["export", "--format", "uris"]);
    run.assert_status(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("--unencrypted") && run.stderr.contains("backup"), "{}", run.stderr);
}

#[test]
fn exported_uris_import_into_another_vault_unchanged() {
    let old = three_entries();
    let run = old.run(&["export", "--format", "uris", "--unencrypted"]);
    run.assert_ok();
    assert_eq!(run.stdout.lines().count(), 3);
    assert!(run.stderr.contains("unencrypted"), "{}", run.stderr);
    let new = Home::new();
    let file = new.write("uris.txt", &run.stdout);
    new.run(&["import", file.to_str().unwrap()]).assert_ok();
    assert_eq!(shape(&new), shape(&old));
}

#[test]
fn a_google_export_names_what_it_left_out_and_imports_back() {
    let old = three_entries();
    let run = old.run(&["export", "--format", "google", "--unencrypted"]);
    run.assert_ok();
    let links: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(links.len(), 1);
    assert!(links[0].starts_with("otpauth-migration://offline?data="));
    assert!(
        run.stderr.contains("#3 Steam (gaben) was left out: Google Authenticator has no Steam codes"),
        "{}",
        run.stderr
    );

    let new = Home::new();
    let file = new.write("google.txt", &run.stdout);
    new.run(&["import", "--from", "google", file.to_str().unwrap()]).assert_ok();
    assert_eq!(shape(&new), shape(&old)[..2]);

    // As QR codes: one per link, with its caption.
    let qr = old.run(&["export", "--format", "google", "--unencrypted", "--qr"]);
    qr.assert_ok();
    assert!(qr.stdout.starts_with("Google Authenticator export, QR code 1 of 1\n"), "{}", qr.stdout);
    assert!(qr.stdout.contains('▀') && !qr.stdout.contains("otpauth"), "{}", qr.stdout);
}

/// Reads back a QR code drawn by `twostep qr` for a dark background.
fn read_terminal_qr(text: &str) -> String {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let (width, scale) = (lines[0].len(), 4);
    let read = twostep_core::qr::read_bitmap(width * scale, lines.len() * 2 * scale, |x, y| {
        let (col, row) = (x / scale, y / scale);
        let inked = matches!((lines[row / 2].get(col), row % 2), (Some('█'), _) | (Some('▀'), 0) | (Some('▄'), 1));
        !inked
    })
    .unwrap();
    read[0].to_string()
}

#[test]
fn an_entrys_qr_code_is_drawn_in_the_terminal_and_reads_back_to_its_uri() {
    let home = three_entries();
    let run = home.run(&["qr", "token"]);
    run.assert_ok();
    assert!(run.stderr.contains("holds its secret"), "{}", run.stderr);
    let uri = read_terminal_qr(&run.stdout);
    assert!(uri.starts_with("otpauth://hotp/Token:ada?secret="), "{uri}");
    assert!(uri.contains("counter=3"), "{uri}");
    // Ambiguity and a missing QUERY are refused like everywhere else.
    home.run(&["qr", "a"]).assert_status(5);
    home.run(&["qr"]).assert_status(2);
}

#[test]
fn a_qr_picture_shows_its_entry_without_the_secret_and_add_adds_it_once() {
    use twostep_core::qr;
    let home = Home::new();
    let uri = totp_uri(SEED_SHA512, "SHA512", 8);
    let picture = home.dir.path().join("code.png");
    std::fs::write(&picture, qr::to_png(&qr::encode(&uri).unwrap(), 6)).unwrap();

    let run = home.run(&["qr", "--read", picture.to_str().unwrap()]);
    run.assert_ok().assert_never_shows(&b32(SEED_SHA512));
    assert!(run.stdout.contains("RFC (6238)  [totp, SHA512, 8 digits, every 30 s]"), "{}", run.stdout);
    assert!(!home.vault().exists(), "reading alone created a vault");

    let run = home.run(&["qr", "--read", picture.to_str().unwrap(), "--add"]);
    run.assert_ok().assert_never_shows(&b32(SEED_SHA512));
    assert!(run.stdout.contains("added RFC (6238)"), "{}", run.stdout);
    let again = home.run(&["qr", "--read", picture.to_str().unwrap(), "--add"]);
    again.assert_ok();
    assert!(again.stdout.contains("skipped RFC (6238)"), "{}", again.stdout);
    assert_eq!(home.list_json().len(), 1);
    assert_eq!(home.run(&["code", "RFC", "--plain", "--at", "59"]).assert_ok().stdout, "90693936\n");

    let not_a_picture = home.write("code.txt", "hello");
    home.run(&["qr", "--read", not_a_picture.to_str().unwrap()]).assert_status(6);
}

#[test]
fn resync_finds_the_counter_from_two_consecutive_rfc_codes() {
    let home = Home::new();
    home.run(&["add", &hotp_uri(0)]).assert_ok();
    // The token is at counter 5: it shows 254676, then 287922.
    let run = home.run(&["resync", "token", RFC_4226[5], RFC_4226[6]]);
    run.assert_ok();
    assert!(run.stdout.contains("counters 5 and 6; the next code uses counter 7 (was 0)"), "{}", run.stdout);
    assert_eq!(home.list_json()[0]["counter"], 7);
    assert_eq!(home.run(&["code", "token", "--plain"]).assert_ok().stdout, format!("{}\n", RFC_4226[7]));

    // Codes that match no counter in the window change nothing.
    let run = home.run(&["resync", "token", RFC_4226[1], RFC_4226[2]]);
    run.assert_status(6);
    assert!(run.stderr.contains("nothing was changed") && run.stderr.contains("--from"), "{}", run.stderr);
    assert_eq!(home.list_json()[0]["counter"], 8);
    home.run(&["resync", "token", RFC_4226[1], RFC_4226[2], "--from", "0"]).assert_ok();
    assert_eq!(home.list_json()[0]["counter"], 3);
    // Beyond the bound, and a time-based entry, are refused.
    home.run(&["resync", "token", RFC_4226[1], RFC_4226[2], "--look-ahead", "10001"]).assert_status(2);
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();
    home.run(&["resync", "RFC", RFC_4226[1], RFC_4226[2]]).assert_status(6);
}

#[test]
fn a_picture_of_a_google_export_code_shows_its_entries() {
    use twostep_core::qr;
    let old = three_entries();
    let link = old.run(&["export", "--format", "google", "--unencrypted"]);
    let home = Home::new();
    let picture = home.dir.path().join("google.png");
    std::fs::write(&picture, qr::to_png(&qr::encode(link.assert_ok().stdout.trim()).unwrap(), 4)).unwrap();
    let run = home.run(&["qr", "--read", picture.to_str().unwrap(), "--add"]);
    run.assert_ok().assert_never_shows(&b32(SEED_SHA256));
    assert!(run.stdout.contains("added RFC (6238)") && run.stdout.contains("added Token (ada)"), "{}", run.stdout);
    assert_eq!(shape(&home), shape(&old)[..2]);
}

#[test]
fn a_file_read_as_the_wrong_format_says_which_format_it_looks_like() {
    let home = Home::new();
    let google = google_fixture();
    let run = import_with(&home, None, &["--from", "uris", google.to_str().unwrap()]);
    run.assert_status(6);
    assert!(run.stderr.contains("looks like an export of Google Authenticator: --from google"), "{}", run.stderr);
    let run = import_with(&home, None, &["--from", "aegis", google.to_str().unwrap()]);
    run.assert_status(6);
    assert!(run.stderr.contains("this is not an Aegis export"), "{}", run.stderr);
    assert!(run.stderr.contains("--from google"), "{}", run.stderr);
    assert!(!home.vault().exists());
}

/// A computer whose clock is two minutes behind the backend: `--server` shows the offset,
/// warns, and makes the code the backend expects.
#[test]
fn codes_follow_the_servers_clock_and_a_clock_off_by_more_than_a_period_is_reported() {
    use std::sync::Arc;
    use twostep_core::clock::{Clock, FixedClock, SystemClock};

    let dir = tempfile::tempdir().unwrap();
    let server_now = SystemClock.now_unix_seconds() + 120;
    let mut config = twostep_server::ServerConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().join("s.db"));
    config.clock = Arc::new(FixedClock::at(server_now));
    let server = twostep_server::Server::start(config).unwrap();
    // An hour-long period keeps the expected code stable while the test runs.
    let uri = "otpauth://totp/Example:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=3600";

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_twostep"))
        .args(["code", "--uri", uri, "--server", &server.url()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let offset_line = stderr.lines().find(|l| l.contains("clock offset")).expect("the offset is shown");
    assert!(
        offset_line.contains("+120 s") || offset_line.contains("+119 s") || offset_line.contains("+121 s"),
        "{stderr}"
    );
    assert!(stderr.contains("off by"), "a clock two minutes off is reported: {stderr}");

    let expected = std::process::Command::new(env!("CARGO_BIN_EXE_twostep"))
        .args(["code", "--uri", uri, "--at", &server_now.to_string()])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&expected.stdout));
}
