//! The vault: adding, listing, codes, removing, renaming, passphrases and exit statuses, the demo.

use crate::support::*;

#[test]
fn added_entry_is_listed_without_its_secret() {
    let home = Home::new();
    let secret = b32(SEED_SHA256);
    let uri = format!("otpauth://totp/GitHub:ada%40example.com?secret={secret}&issuer=GitHub&algorithm=SHA256");
    let add = home.run(&["add", &uri]);
    add.assert_ok().assert_never_shows(&secret);
    assert!(add.stdout.contains("GitHub") && add.stdout.contains("ada@example.com") && add.stdout.contains("totp"));
    assert!(add.stderr.contains("created a new vault"), "{}", add.stderr);
    assert!(!add.stderr.contains("warning"), "a 256-bit key needs no warning: {}", add.stderr);

    let list = home.run(&["list", "--json"]);
    list.assert_ok().assert_never_shows(&secret);
    let entries: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    let e = entries[0].as_object().unwrap();
    let mut keys: Vec<&str> = e.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["account", "algorithm", "counter", "digits", "id", "issuer", "kind", "period", "position"]);
    assert_eq!(e["issuer"], "GitHub");
    assert_eq!(e["account"], "ada@example.com");
    assert_eq!(e["kind"], "totp");
    assert_eq!(e["algorithm"], "SHA256");
    assert_eq!(e["digits"], 6);
    assert_eq!(e["period"], 30);
    assert_eq!(e["counter"], serde_json::Value::Null);
    assert_eq!(e["position"], 0);
    assert_eq!(e["id"].as_str().unwrap().len(), 32);

    let table = home.run(&["list"]);
    table.assert_ok().assert_never_shows(&secret);
    assert!(table.stdout.contains("GitHub") && table.stdout.contains("ada@example.com"));

    let bytes = std::fs::read(home.vault()).unwrap();
    assert!(!bytes.windows(SEED_SHA256.len()).any(|w| w == SEED_SHA256), "the seed is stored in the clear");
}

#[test]
fn adding_a_short_key_warns_but_adds() {
    let home = Home::new();
    // 80 bits, as many real services issue.
    let run = home.run(&["add", "otpauth://totp/Old:ada?secret=JBSWY3DPEHPK3PXP"]);
    run.assert_ok();
    assert!(run.stderr.contains("note: Old (ada) has a key shorter than 128 bits"), "{}", run.stderr);
    assert_eq!(home.list_json().len(), 1);
}

#[test]
fn the_vault_code_is_grouped_with_the_seconds_left() {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 8)]).assert_ok();
    let run = home.run(&["code", "--at", "59"]);
    run.assert_ok();
    assert!(run.stdout.contains("9428 7082"), "{}", run.stdout);
    assert!(run.stdout.contains("1s left"), "{}", run.stdout);
    assert!(run.stdout.contains("next 3735 9152"), "{}", run.stdout);

    let plain = home.run(&["code", "rfc", "--plain", "--at", "20000000000"]);
    plain.assert_ok();
    assert_eq!(plain.stdout, "65353130\n");
}

#[test]
fn hotp_codes_are_made_only_when_the_query_names_that_entry() {
    let home = Home::new();
    home.run(&["add", &format!("otpauth://hotp/Bank:ada?secret={}&counter=0", b32(SEED_SHA1))]).assert_ok();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();

    // Listing every entry does not use up a counter value.
    let all = home.run(&["code", "--at", "59"]);
    all.assert_ok();
    assert!(!all.stdout.contains("755 224"), "{}", all.stdout);
    assert!(all.stdout.contains("hotp"), "{}", all.stdout);
    assert_eq!(home.list_json()[0]["counter"], 0);

    // Naming it makes the code of counter 0 and saves counter 1 (RFC 4226: 755224, 287082).
    let one = home.run(&["code", "bank"]);
    one.assert_ok();
    assert!(one.stdout.contains("755 224"), "{}", one.stdout);
    assert_eq!(home.list_json()[0]["counter"], 1);
    let plain = home.run(&["code", "bank", "--plain"]);
    assert_eq!(plain.stdout, "287082\n");
    assert_eq!(home.list_json()[0]["counter"], 2);
}

#[cfg_attr(testdata_absent, ignore = "needs ../shared/testdata/authenticator-exports, absent here")]
#[test]
fn importing_the_plain_export_adds_seven_entries() {
    let file = plain_export();
    let home = Home::new();
    let run = home.run(&["import", file.to_str().unwrap()]);
    run.assert_ok();
    assert!(run.stdout.contains("imported 7 entries"), "{}", run.stdout);
    let text = std::fs::read_to_string(&file).unwrap();
    for line in text.lines() {
        let secret = line.split("secret=").nth(1).unwrap().split('&').next().unwrap();
        run.assert_never_shows(secret);
    }
    let entries = home.list_json();
    let names: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["issuer"].as_str().unwrap().into(),
                e["account"].as_str().unwrap().into(),
                e["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(names.len(), 7);
    assert!(names.contains(&("Air Canada".into(), "Benjamin".into(), "hotp".into())), "{names:?}");
    assert!(names.contains(&("Boeing".into(), "Sophia".into(), "steam".into())), "{names:?}");
    assert_eq!(entries[5]["counter"], 10300);
    assert_eq!(entries[1]["period"], 20);
}

#[test]
fn an_import_with_one_bad_line_adds_nothing_and_names_the_line() {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();
    let good = totp_uri(SEED_SHA256, "SHA256", 6);
    let bad_secret = "GEZDGNBVGY3TQOJQ1";
    let file = home.write(
        "codes.txt",
        &format!("# my codes\n{good}\n\n{good}\notpauth://totp/Bad:line?secret={bad_secret}\n{good}\n"),
    );
    let before = std::fs::read(home.vault()).unwrap();
    let run = home.run(&["import", file.to_str().unwrap()]);
    run.assert_status(6).assert_never_shows(bad_secret).assert_never_shows(&b32(SEED_SHA256));
    assert!(run.stderr.contains("line 5"), "{}", run.stderr);
    assert!(run.stderr.contains("secret"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was imported"), "{}", run.stderr);
    assert_eq!(home.list_json().len(), 1);
    assert_eq!(std::fs::read(home.vault()).unwrap(), before);

    // Into no vault: none is created.
    let fresh = Home::new();
    let file = fresh.write("codes.txt", &format!("{good}\notpauth://totp/Bad:line?secret={bad_secret}\n"));
    fresh.run(&["import", file.to_str().unwrap()]).assert_status(6);
    assert!(!fresh.vault().exists());
}

#[test]
fn an_import_creates_the_vault_and_its_folder() {
    let home = Home::new();
    let file = home.write("codes.txt", &format!("{}\n", totp_uri(SEED_SHA1, "SHA1", 6)));
    let vault = home.dir.path().join("deeper/still/vault.db");
    let mut cmd = twostep();
    cmd.env("TWOSTEP_PASSPHRASE", PASSPHRASE).args([
        "--vault",
        vault.to_str().unwrap(),
        "import",
        file.to_str().unwrap(),
    ]);
    Run::of(cmd).assert_ok();
    assert!(vault.is_file());
}

#[test]
fn the_default_vault_lives_in_the_data_directory() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let home = Home::new();
    let data = home.dir.path().join("data");
    let mut cmd = twostep();
    cmd.env("TWOSTEP_PASSPHRASE", PASSPHRASE)
        .env("HOME", home.dir.path())
        .env("XDG_DATA_HOME", &data)
        .args(["add", &totp_uri(SEED_SHA1, "SHA1", 6)]);
    Run::of(cmd).assert_ok();
    assert!(data.join("twostep/vault.db").is_file());
}

#[test]
fn a_wrong_passphrase_exits_3_and_leaves_the_vault_unchanged() {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();
    let before = std::fs::read(home.vault()).unwrap();
    for args in [
        vec!["list"],
        vec!["code", "--at", "59"],
        vec!["add", "otpauth://totp/More:ada?secret=JBSWY3DPEHPK3PXP"],
        vec!["remove", "rfc", "--yes"],
        vec!["watch", "--frames", "1"],
    ] {
        let run = home.run_with("not the passphrase", &args);
        run.assert_status(3).assert_never_shows("not the passphrase");
        assert!(run.stderr.contains("passphrase"), "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(std::fs::read(home.vault()).unwrap(), before, "after {args:?}");
    }
    assert_eq!(home.list_json().len(), 1);
}

#[test]
fn commands_on_a_missing_vault_exit_4() {
    let home = Home::new();
    for args in [vec!["list"], vec!["code"], vec!["watch", "--frames", "1"], vec!["remove", "x", "--yes"]] {
        let run = home.run(&args);
        run.assert_status(4);
        assert!(run.stderr.contains("no vault"), "{}", run.stderr);
    }
    assert!(!home.vault().exists());
}

#[test]
fn watch_prints_codes_with_a_countdown() {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 8)]).assert_ok();
    let run = home.run(&["watch", "--frames", "2", "--at", "59"]);
    run.assert_ok();
    // Frame 1 at 59 s, frame 2 at 60 s: RFC 6238's 94287082, then the next period's code.
    let first = run.stdout.find("9428 7082").expect(&run.stdout);
    let second = run.stdout.rfind("3735 9152").expect(&run.stdout);
    assert!(first < second);
    assert!(run.stdout.contains("1s left") && run.stdout.contains("30s left"), "{}", run.stdout);
    assert!(run.stdout.contains('['), "no countdown bar: {}", run.stdout);

    let live = home.run(&["watch", "--frames", "1"]);
    live.assert_ok();
    assert!(live.stdout.contains("RFC") && live.stdout.contains("s left"), "{}", live.stdout);
}

#[test]
fn remove_deletes_exactly_one_entry_and_refuses_ambiguity() {
    let home = Home::new();
    home.run(&["add", &format!("otpauth://totp/GitHub:ada?secret={}", b32(SEED_SHA1))]).assert_ok();
    home.run(&["add", &format!("otpauth://totp/GitLab:ada?secret={}", b32(SEED_SHA256))]).assert_ok();
    let ids: Vec<String> = home.list_json().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();

    let ambiguous = home.run(&["remove", "git", "--yes"]);
    ambiguous.assert_status(5);
    assert!(ambiguous.stderr.contains(&ids[0][..8]) && ambiguous.stderr.contains(&ids[1][..8]), "{}", ambiguous.stderr);
    assert_eq!(home.list_json().len(), 2);

    home.run(&["remove", "nobody", "--yes"]).assert_status(5);

    let removed = home.run(&["remove", "github", "--yes"]);
    removed.assert_ok();
    assert!(removed.stdout.contains("GitHub"), "{}", removed.stdout);
    let left = home.list_json();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["issuer"], "GitLab");

    // By full id.
    home.run(&["remove", &ids[1], "--yes"]).assert_ok();
    assert!(home.list_json().is_empty());
}

#[test]
fn remove_outside_a_terminal_needs_yes() {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();
    let run = home.run(&["remove", "rfc"]);
    run.assert_status(2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(home.list_json().len(), 1);
}

#[test]
fn rename_changes_the_names_and_keeps_the_codes() {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 8)]).assert_ok();
    home.run(&["rename", "rfc", "Example", "ada@example.com"]).assert_ok();
    let e = &home.list_json()[0];
    assert_eq!(e["issuer"], "Example");
    assert_eq!(e["account"], "ada@example.com");
    assert_eq!(home.run(&["code", "example", "--plain", "--at", "59"]).stdout, "94287082\n");

    let bad = home.run(&["rename", "example", "Bad\u{7}Name", "ada"]);
    bad.assert_status(6);
    assert!(bad.stderr.contains("issuer"), "{}", bad.stderr);
}

#[test]
fn usage_errors_exit_2_and_help_documents_the_exit_statuses() {
    let mut cmd = twostep();
    cmd.args(["code", "--at", "yesterday", "--uri", "x"]);
    Run::of(cmd).assert_status(2);

    let mut cmd = twostep();
    cmd.arg("--help");
    let help = Run::of(cmd);
    help.assert_ok();
    for needle in ["Exit status", "3  wrong passphrase", "TWOSTEP_PASSPHRASE", "watch", "import"] {
        assert!(help.stdout.contains(needle), "{needle} missing from --help");
    }
}

/// The main job: the whole seller story against the embedded backend, every check passing.
#[test]
fn demo_walks_the_seller_story_and_every_step_behaves() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_twostep")).arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "demo failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    for seen in [
        "authenticator_app_as_both",
        "same_number_as_both",
        "landline_cannot_receive_sms",
        "a wrong number is refused",
        "the right number signs the browser in",
        "because: network_changed",
        "because: app_updated",
        "because: logged_out",
        "(2 → 0)",
        "Every step behaved as the Seller Central help page \"Two-Step Verification\" says",
    ] {
        assert!(stdout.contains(seen), "the demo did not show {seen:?}:\n{stdout}");
    }
    assert!(!stdout.contains("NOT AS EXPECTED"), "{stdout}");
}
/// One damaged entry does not lock the vault: the others still list and make codes, every
/// command names the damaged one, and `remove` with its id deletes it.
#[test]
fn a_damaged_entry_is_named_and_removable_while_the_rest_works() {
    let home = Home::new();
    home.run(&["add", "otpauth://totp/GitHub:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub"]).assert_ok();
    home.run(&["add", "otpauth://totp/GitLab:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitLab"]).assert_ok();
    let conn = rusqlite::Connection::open(home.vault()).unwrap();
    let id: String = conn.query_row("SELECT id FROM entries WHERE issuer = 'GitHub'", [], |r| r.get(0)).unwrap();
    conn.execute("UPDATE entries SET digits = 8 WHERE id = ?1", [&id]).unwrap();
    drop(conn);

    let listed = home.run(&["list"]);
    listed.assert_ok();
    assert!(listed.stdout.contains("GitLab") && !listed.stdout.contains("GitHub"), "{}", listed.stdout);
    assert!(listed.stderr.contains("GitHub (ada)") && listed.stderr.contains("is damaged"), "{}", listed.stderr);
    home.run(&["code", "GitLab"]).assert_ok();

    let removed = home.run(&["remove", "--yes", &id[..8]]);
    removed.assert_ok();
    assert!(removed.stdout.contains("removed the damaged entry GitHub (ada)"), "{}", removed.stdout);
    let after = home.run(&["list"]);
    assert!(!after.stderr.contains("damaged"), "{}", after.stderr);
}
