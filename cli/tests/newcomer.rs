//! What a newcomer with oathtool, Aegis and 2FAS habits tripped on, one test (or a few) per
//! point: format detection, changing the passphrase, `watch` in a real terminal, the demo's
//! story, messages, lenient URIs, notes and duplicates, bare secrets, `serve`, and help.
//! Terminal behaviour runs in a pseudo-terminal; everything else as scripts run it.

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::Stdio;

use support::*;

const GITHUB: &str = "otpauth://totp/GitHub:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub";
/// An 80-bit key, as the README's example has.
const SHORT: &str = "otpauth://totp/Example:ada?secret=GEZDGNBVGY3TQOJQ&issuer=Example";

fn home_with(uris: &[&str]) -> Home {
    let home = Home::new();
    for uri in uris {
        home.run_with_input(&["add", "-"], uri).assert_ok();
    }
    home
}

fn exited_with(session: &rexpect::session::PtySession) -> i32 {
    match session.process().wait().unwrap() {
        rexpect::process::wait::WaitStatus::Exited(_, code) => code,
        other => panic!("not a normal exit: {other:?}"),
    }
}

// ---- 1. import recognises the format --------------------------------------------------

const AEGIS_PLAIN: &str = r#"{"version":1,"header":{"slots":null,"params":null},
 "db":{"version":2,"entries":[
  {"type":"totp","uuid":"3ae6f1ad-2e65-4ed2-a953-1ec0dff2386d","name":"Mason","issuer":"Deno","icon":null,
   "info":{"secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ","algo":"SHA1","digits":6,"period":30}},
  {"type":"hotp","uuid":"84b55971-a3d2-4173-a5bb-0aea113dbc17","name":"James","issuer":"Issuu","icon":null,
   "info":{"secret":"5OM4WOOGPLQEF6UGN3CPEOOLWU","algo":"SHA1","digits":6,"counter":1}}]}}"#;

#[test]
fn import_recognises_an_aegis_file_by_default_and_says_so() {
    let home = Home::new();
    let file = home.write("aegis.json", AEGIS_PLAIN);
    let run = home.run(&["import", file.to_str().unwrap()]);
    run.assert_ok();
    assert!(run.stderr.contains("recognised as Aegis, read as such"), "{}", run.stderr);
    assert!(!run.all().contains("refused"), "{}", run.all());
    assert_eq!(home.list_json().len(), 2);
}

#[test]
fn import_from_still_overrides_the_detection() {
    let home = Home::new();
    let file = home.write("aegis.json", AEGIS_PLAIN);
    let run = home.run(&["import", "--from", "uris", file.to_str().unwrap()]);
    run.assert_status(6);
    assert!(!run.stderr.contains("recognised"), "{}", run.stderr);
    assert!(run.stderr.contains("--from aegis"), "the hint names the right format: {}", run.stderr);
    assert!(!home.vault().exists());
}

// ---- 2. twostep passphrase ----------------------------------------------------------------

#[test]
fn a_changed_passphrase_opens_the_vault_and_the_old_one_does_not() {
    let home = home_with(&[GITHUB]);
    let before = home.run(&["code", "github", "--plain", "--at", "59"]);
    before.assert_ok();
    let mut cmd = home.cmd(&["passphrase"]);
    cmd.env("TWOSTEP_NEW_PASSPHRASE", "a brand new passphrase");
    Run::of(cmd).assert_ok();

    home.run(&["list"]).assert_status(3);
    let mut cmd = home.cmd(&["code", "github", "--plain", "--at", "59"]);
    cmd.env("TWOSTEP_PASSPHRASE", "a brand new passphrase");
    let after = Run::of(cmd);
    after.assert_ok();
    assert_eq!(after.stdout, before.stdout);
}

#[test]
fn the_passphrase_is_asked_old_once_and_new_twice_in_a_terminal() {
    let home = home_with(&[GITHUB]);
    let mut cmd = home.cmd(&["passphrase"]);
    cmd.env_remove("TWOSTEP_PASSPHRASE");
    let mut t = in_terminal(cmd);
    t.exp_string("Passphrase for").unwrap();
    t.send_line(PASSPHRASE).unwrap();
    t.exp_string("New passphrase").unwrap();
    t.send_line("typed anew").unwrap();
    t.exp_string("Repeat the new passphrase").unwrap();
    t.send_line("typed anew").unwrap();
    t.exp_string("changed the passphrase").unwrap();
    t.exp_eof().unwrap();
    assert_eq!(exited_with(&t), 0);
    let mut cmd = home.cmd(&["list"]);
    cmd.env("TWOSTEP_PASSPHRASE", "typed anew");
    Run::of(cmd).assert_ok();
}

#[test]
fn two_different_new_passphrases_change_nothing() {
    let home = home_with(&[GITHUB]);
    let mut cmd = home.cmd(&["passphrase"]);
    cmd.env_remove("TWOSTEP_PASSPHRASE");
    let mut t = in_terminal(cmd);
    t.exp_string("Passphrase for").unwrap();
    t.send_line(PASSPHRASE).unwrap();
    t.exp_string("New passphrase").unwrap();
    t.send_line("one").unwrap();
    t.exp_string("Repeat").unwrap();
    t.send_line("another").unwrap();
    let rest = t.exp_eof().unwrap();
    assert!(rest.contains("the passphrase was not changed"), "{rest}");
    assert_eq!(exited_with(&t), 2);
    home.run(&["list"]).assert_ok();
}

/// SIGKILL at many moments of a change: every time, exactly one of the two passphrases opens
/// the vault with every entry, and until the change is committed it is the old one.
#[test]
fn a_passphrase_change_killed_at_any_moment_leaves_one_working_passphrase() {
    let home = home_with(&[GITHUB, SHORT]);
    let mut current = PASSPHRASE.to_owned();
    let opens = |passphrase: &str| {
        let mut cmd = home.cmd(&["list", "--json"]);
        cmd.env("TWOSTEP_PASSPHRASE", passphrase);
        let run = Run::of(cmd);
        (run.status == Some(0)).then(|| serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap())
    };
    let (mut kept, mut changed) = (0, 0);
    for (round, delay_ms) in [0u64, 2, 5, 10, 20, 30, 45, 60, 80, 110, 150, 200, 300].into_iter().enumerate() {
        let next = format!("passphrase number {round}");
        let mut cmd = home.cmd(&["passphrase"]);
        cmd.env("TWOSTEP_PASSPHRASE", &current).env("TWOSTEP_NEW_PASSPHRASE", &next);
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        match (opens(&current), opens(&next)) {
            (Some(entries), None) => {
                assert_eq!(entries.as_array().unwrap().len(), 2);
                kept += 1;
            }
            (None, Some(entries)) => {
                assert_eq!(entries.as_array().unwrap().len(), 2);
                current = next;
                changed += 1;
            }
            (old, new) => panic!("round {round}: old opens {}, new opens {}", old.is_some(), new.is_some()),
        }
    }
    assert!(kept > 0, "no change was ever cut short ({changed} completed)");
}

// ---- 3. watch in a terminal -------------------------------------------------------------

const LONG_HOTP: &str = "otpauth://hotp/An%20Issuer%20With%20A%20Remarkably%20Long%20Name%20Indeed:\
     ada.lovelace%40analytical-engine.example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=7";
const OTHER: &str = "otpauth://totp/Other:bob?secret=MFRGGZDFMZTWQ2LKNNWG23TPOA&issuer=Other";

fn watch_until(key: &str) -> (String, i32) {
    watch_in(80, key)
}

fn watch_in(columns: u16, key: &str) -> (String, i32) {
    let home = home_with(&[GITHUB, LONG_HOTP, OTHER]);
    let mut t = in_columns(columns, home.cmd(&["watch", "ada", "--at", "59"]));
    let mut seen = t.exp_string("quit").unwrap() + "quit";
    // Wait for one whole frame (the next one starts by moving home), then press the key.
    seen.push_str(&(t.exp_string("\x1b[H").unwrap() + "\x1b[H"));
    if key == "ctrl-c" {
        t.send_control('c').unwrap();
    } else {
        t.send(key).unwrap();
    }
    t.flush().unwrap();
    seen.push_str(&t.exp_eof().unwrap());
    (seen, exited_with(&t))
}

#[test]
fn watch_uses_the_alternate_screen_and_q_quits_restoring_the_terminal() {
    let (seen, status) = watch_until("q");
    assert_eq!(status, 0);
    let enter = seen.find("\x1b[?1049h").expect("the alternate screen is entered");
    let leave = seen.rfind("\x1b[?1049l").expect("and left");
    assert!(enter < leave);
    assert!(seen[leave..].contains("\x1b[?25h"), "the cursor is shown again");
}

#[test]
fn watch_quits_on_escape_and_on_ctrl_c() {
    for key in ["\x1b", "ctrl-c"] {
        let (seen, status) = watch_until(key);
        assert_eq!(status, 0, "{key:?}");
        assert!(seen.contains("\x1b[?1049l"), "{key:?}: the main screen is back");
    }
}

#[test]
fn watch_shows_only_what_the_query_selects_and_fits_80_columns() {
    let (seen, _) = watch_until("q");
    let text = screen_text(&seen);
    assert!(text.contains("GitHub (ada)"), "{text}");
    assert!(text.contains("hotp: twostep code"), "{text}");
    assert!(text.contains("287 082"), "the code at 59: {text}");
    assert!(text.contains("An Issuer With"), "{text}");
    assert!(!text.contains("Other"), "QUERY leaves bob out: {text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{} columns: {line}", line.chars().count());
    }
}

/// On a terminal narrower than a row, names are shortened first and lines are cut, never
/// wrapped (a wrapped line would scroll the frame).
#[test]
fn watch_on_a_narrow_terminal_cuts_lines_instead_of_wrapping() {
    let (seen, status) = watch_in(50, "q");
    assert_eq!(status, 0);
    let text = screen_text(&seen);
    assert!(text.contains("287 082"), "the code still shows: {text}");
    assert!(!text.contains("[---"), "the bar is left out first: {text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 50, "{} columns: {line}", line.chars().count());
    }
}

// ---- 4. demo --------------------------------------------------------------------------------

#[test]
fn the_demo_story_has_no_log_lines_no_rust_names_and_names_its_page() {
    let mut cmd = twostep();
    cmd.arg("demo");
    let mut t = rexpect::session::spawn_command(cmd, Some(300_000)).unwrap();
    let seen = screen_text(&t.exp_eof().unwrap());
    assert_eq!(exited_with(&t), 0, "{seen}");
    assert!(!seen.contains("twostep-server"), "a backend log line: {seen}");
    assert!(!seen.contains("(CodeReused)") && !seen.contains("CodeReused"), "{seen}");
    assert!(seen.contains("the Seller Central help page \"Two-Step Verification\""), "{seen}");
    assert!(!seen.contains("as the help page says"), "{seen}");
}

#[test]
fn demo_and_serve_refuse_a_vault_they_would_ignore() {
    for args in
        [&["demo", "--vault", "v.db"][..], &["serve", "--db", "s.db", "--vault", "v.db"], &["--vault", "v.db", "demo"]]
    {
        let mut cmd = twostep();
        cmd.args(args);
        let run = Run::of(cmd);
        run.assert_status(2);
        assert!(run.stderr.contains("uses no vault"), "{}", run.stderr);
    }
}

// ---- 5. messages ----------------------------------------------------------------------------

#[test]
fn a_vault_path_that_is_a_folder_says_so() {
    let home = Home::new();
    let folder = home.dir.path().to_str().unwrap().to_owned();
    for args in [&["--vault", &folder, "list"][..], &["--vault", &folder, "add", "-"]] {
        let run = Run::with_input(
            {
                let mut cmd = twostep();
                cmd.env("TWOSTEP_PASSPHRASE", PASSPHRASE).args(args);
                cmd
            },
            GITHUB,
        );
        run.assert_status(2);
        assert!(run.stderr.contains("is a folder, not a vault file"), "{}", run.stderr);
        assert!(!run.stderr.contains("creates one"), "{}", run.stderr);
    }
}

#[test]
fn ctrl_d_at_the_passphrase_prompt_says_no_passphrase_was_given() {
    let home = home_with(&[GITHUB]);
    let mut cmd = home.cmd(&["list"]);
    cmd.env_remove("TWOSTEP_PASSPHRASE");
    let mut t = in_terminal(cmd);
    t.exp_string("Passphrase for").unwrap();
    t.send_control('d').unwrap();
    let rest = t.exp_eof().unwrap();
    assert!(rest.contains("no passphrase given"), "{rest}");
    assert!(!rest.contains("run in a terminal"), "{rest}");
    assert_eq!(exited_with(&t), 2);
}

#[test]
fn file_errors_are_words_not_os_error_numbers() {
    let home = Home::new();
    let missing = home.dir.path().join("missing.txt");
    let run = home.run(&["import", missing.to_str().unwrap()]);
    run.assert_status(1);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}

#[test]
fn a_network_error_is_one_line_that_says_what_to_check() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = twostep();
    cmd.args(["code", "--secret", "-", "--server", &format!("http://127.0.0.1:{port}")]);
    let run = Run::with_input(cmd, &b32(SEED_SHA1));
    run.assert_status(1);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("could not connect"), "{}", run.stderr);
    assert!(run.stderr.contains("check the address"), "{}", run.stderr);
    for rust in ["os error", "Connect)", "error sending request", "("] {
        assert!(!run.stderr.contains(rust), "{rust}: {}", run.stderr);
    }
}

// ---- 6. URIs other apps accept --------------------------------------------------------------

#[test]
fn an_issuer_parameter_that_differs_from_the_label_wins_with_a_note() {
    let home = Home::new();
    let uri = "otpauth://totp/Old%20Name:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=New%20Name";
    let run = home.run_with_input(&["add", "-"], uri);
    run.assert_ok();
    assert!(run.stderr.contains("the issuer parameter was used"), "{}", run.stderr);
    assert_eq!(home.list_json()[0]["issuer"], "New Name");
}

#[test]
fn spaces_in_a_secret_are_ignored_with_a_note() {
    let spaced = "otpauth://totp/RFC:6238?secret=GEZD%20GNBV%20GY3T%20QOJQ%20GEZD%20GNBV%20GY3T%20QOJQ&digits=8";
    let mut cmd = twostep();
    cmd.args(["code", "--uri", "-", "--at", "59"]);
    let run = Run::with_input(cmd, spaced);
    run.assert_ok();
    assert_eq!(run.stdout, "94287082\n");
    assert!(run.stderr.contains("spaces"), "{}", run.stderr);
}

/// `code --uri` is parsed by the `code` subcommand's arguments alone (the quick path of a
/// script's loop); whatever that path does not take goes through the whole command line,
/// which answers as it always did.
#[test]
fn code_of_a_uri_answers_like_the_whole_command_line_on_every_path() {
    let mut cmd = twostep();
    cmd.args(["code", "--at", "59", "--uri", GITHUB]);
    let run = Run::with_input(cmd, "");
    run.assert_ok();
    assert_eq!(run.stdout, "287082\n", "RFC 6238's seed at 59 s, 6 digits");

    let mut cmd = twostep();
    cmd.args(["code", "--uri", GITHUB, "--help"]);
    let run = Run::with_input(cmd, "");
    run.assert_ok();
    assert!(run.stdout.contains("Exit status:"), "the full help, with the exit statuses: {}", run.stdout);

    let mut cmd = twostep();
    cmd.args(["code", "--uri", GITHUB, "--at", "yesterday"]);
    let run = Run::with_input(cmd, "");
    run.assert_status(2);
    assert!(run.stderr.contains("<otpauth URI>") || !run.stderr.contains("otpauth://"), "{}", run.stderr);
    assert!(!run.stderr.contains("GEZDGNBV"), "the secret is never echoed: {}", run.stderr);

    let mut cmd = twostep();
    cmd.args(["--vault", "unused.db", "code", "--uri", GITHUB, "--at", "59"]);
    let run = Run::with_input(cmd, "");
    run.assert_ok();
    assert_eq!(run.stdout, "287082\n", "a global option takes the whole command line's path");
}

#[test]
fn an_hotp_uri_without_counter_starts_at_zero_with_a_note() {
    let mut cmd = twostep();
    cmd.args(["code", "--uri", "-"]);
    let run = Run::with_input(cmd, "otpauth://hotp/Bank:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    run.assert_ok();
    assert_eq!(run.stdout, "755224\n", "RFC 4226's code for counter 0");
    assert!(run.stderr.contains("starts at 0"), "{}", run.stderr);
}

#[test]
fn a_secret_missing_a_character_says_so_not_impossible_length() {
    let mut cmd = twostep();
    cmd.args(["code", "--uri", "-"]);
    let run = Run::with_input(cmd, "otpauth://totp/a?secret=GEZD%20GNBV%20G");
    run.assert_status(6);
    assert!(run.stderr.contains("missing or extra"), "{}", run.stderr);
    assert!(!run.stderr.contains("impossible length"), "{}", run.stderr);
}

// ---- 7. one quiet short-key note; one duplicate rule ---------------------------------------

#[test]
fn a_short_key_gets_one_quiet_note_per_command() {
    let home = Home::new();
    let run = home.run_with_input(&["add", "-"], SHORT);
    run.assert_ok();
    assert_eq!(run.stderr.matches("shorter than 128 bits").count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let list = "otpauth://totp/A:a?secret=MFRGGZDFMZTWQ2LK\n\
                otpauth://totp/B:b?secret=NNWG23TPOBYXE43U\n\
                otpauth://totp/C:c?secret=OV3HO6DZPIYTEMZU\n";
    let file = home.write("short.txt", list);
    let run = home.run(&["import", file.to_str().unwrap()]);
    run.assert_ok();
    assert_eq!(run.stderr.matches("shorter than 128 bits").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("3 entries"), "{}", run.stderr);
}

#[test]
fn add_and_import_skip_a_key_the_vault_already_holds_with_a_note() {
    let home = home_with(&[GITHUB]);
    let renamed = GITHUB.replace("GitHub:ada", "Renamed:ada").replace("issuer=GitHub", "issuer=Renamed");
    let run = home.run_with_input(&["add", "-"], &renamed);
    run.assert_ok();
    assert!(run.stderr.contains("already holds this key as GitHub (ada)"), "{}", run.stderr);
    assert_eq!(home.list_json().len(), 1);

    let file = home.write("again.txt", &format!("{renamed}\n"));
    let run = home.run(&["import", file.to_str().unwrap()]);
    run.assert_ok();
    assert!(run.stdout.contains("already there, skipped"), "{}", run.stdout);
    assert_eq!(home.list_json().len(), 1);

    // The same names with another key are two accounts: both kept.
    home.run_with_input(
        &["add", "-"],
        &GITHUB.replace("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "MFRGGZDFMZTWQ2LKNNWG23TPOA"),
    )
    .assert_ok();
    assert_eq!(home.list_json().len(), 2);
}

// ---- 8. bare secrets and list QUERY --------------------------------------------------------

fn code_of_secret(seed: &[u8], args: &[&str]) -> Run {
    let mut cmd = twostep();
    cmd.args(["code", "--secret", "-"]).args(args);
    Run::with_input(cmd, &format!("{}\n", b32(seed)))
}

#[test]
fn a_bare_secret_from_standard_input_gives_the_rfc_codes() {
    let run = code_of_secret(SEED_SHA1, &["--digits", "8", "--at", "59"]);
    run.assert_ok();
    assert_eq!(run.stdout, "94287082\n");
    let run = code_of_secret(SEED_SHA256, &["--totp=sha256", "--digits", "8", "--at", "59"]);
    run.assert_ok();
    assert_eq!(run.stdout, "46119246\n");
    let run = code_of_secret(SEED_SHA1, &["--totp", "--period", "60", "--at", "119"]);
    run.assert_ok();
    assert_eq!(run.stdout, code_of_secret(SEED_SHA1, &["--at", "59"]).stdout, "step 1 at period 60 = step 1 at 30");
    let run = code_of_secret(SEED_SHA1, &["--hotp", "--counter", "1"]);
    run.assert_ok();
    assert_eq!(run.stdout, "287082\n");
}

#[test]
fn hotp_without_a_counter_and_a_bad_secret_are_refused() {
    code_of_secret(SEED_SHA1, &["--hotp"]).assert_status(2);
    let mut cmd = twostep();
    cmd.args(["code", "--secret", "-"]);
    let run = Run::with_input(cmd, "NOT-BASE32!");
    run.assert_status(6);
    assert!(run.stderr.contains("secret"), "{}", run.stderr);
}

#[test]
fn code_of_a_uri_takes_plain() {
    let mut cmd = twostep();
    cmd.args(["code", "--uri", "-", "--plain", "--at", "59"]);
    let run = Run::with_input(cmd, GITHUB);
    run.assert_ok();
    assert_eq!(run.stdout, "287082\n");
}

#[test]
fn list_takes_a_query() {
    let home = home_with(&[GITHUB, OTHER]);
    let run = home.run(&["list", "git"]);
    run.assert_ok();
    assert!(run.stdout.contains("GitHub") && !run.stdout.contains("Other"), "{}", run.stdout);
    home.run(&["list", "nothing-like-this"]).assert_status(5);
}

// ---- 9. serve --------------------------------------------------------------------------------

#[test]
fn serve_on_a_busy_port_leaves_no_database() {
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let home = Home::new();
    let db = home.dir.path().join("s2.db");
    let mut cmd = twostep();
    cmd.args(["serve", "--addr", &busy.local_addr().unwrap().to_string(), "--db", db.to_str().unwrap()]);
    let run = Run::of(cmd);
    run.assert_status(1);
    assert!(run.stderr.contains("in use"), "{}", run.stderr);
    assert!(!db.exists(), "a database was left behind");
}

#[test]
fn serve_takes_localhost_and_makes_its_database_owner_only() {
    let home = Home::new();
    let db = home.dir.path().join("s.db");
    let mut child = twostep()
        .args(["serve", "--addr", "localhost:0", "--db", db.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _ = child.kill();
    child.wait().unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
}

// ---- 10. help, completions, man --------------------------------------------------------------

const SUBCOMMANDS: &[&str] = &[
    "code",
    "add",
    "list",
    "watch",
    "remove",
    "rename",
    "import",
    "backup",
    "restore",
    "export",
    "qr",
    "resync",
    "passphrase",
    "completions",
    "man",
    "demo",
    "serve",
];

fn help(args: &[&str], vault: Option<&str>) -> Run {
    let mut cmd = twostep();
    cmd.args(args);
    if let Some(v) = vault {
        cmd.env("TWOSTEP_VAULT", v);
    }
    Run::of(cmd)
}

#[test]
fn every_subcommands_help_lists_the_exit_statuses() {
    for sub in SUBCOMMANDS {
        let run = help(&[sub, "--help"], None);
        run.assert_ok();
        assert!(run.stdout.contains("Exit status:") && run.stdout.contains("5  QUERY"), "{sub}: {}", run.stdout);
    }
}

#[test]
fn help_never_shows_the_vault_variable_and_usage_never_makes_vault_look_required() {
    let secret_path = "/home/someone/private/vault.db";
    for args in [&["--help"][..], &["add", "--help"], &["list", "--help"]] {
        let run = help(args, Some(secret_path));
        assert!(!run.stdout.contains(secret_path), "{args:?}: {}", run.stdout);
        assert!(!run.stdout.contains("[env: TWOSTEP_VAULT=]"), "{args:?}: {}", run.stdout);
    }
    let run = help(&["add"], Some(secret_path));
    run.assert_status(2);
    let usage = run.stderr.lines().find(|l| l.starts_with("Usage:")).unwrap();
    assert!(!usage.contains("--vault"), "{usage}");
}

#[test]
fn the_code_help_examples_put_no_secret_on_the_command_line() {
    let run = help(&["code", "--help"], None);
    let examples = run.stdout.split("Examples:").nth(1).unwrap();
    assert!(!examples.contains("secret="), "{examples}");
    assert!(!examples.contains("$(cat"), "{examples}");
    for line in examples.lines().filter(|l| l.contains("--secret") || l.contains("--uri")) {
        assert!(line.contains("--secret -") || line.contains("--uri -"), "{line}");
    }
}

#[test]
fn completions_and_the_manual_come_from_the_same_definitions() {
    let run = help(&["completions", "bash"], None);
    run.assert_ok();
    for sub in SUBCOMMANDS {
        assert!(run.stdout.contains(sub), "bash completion lacks {sub}");
    }
    assert!(run.stdout.contains("--secret"));
    help(&["completions", "zsh"], None).assert_ok();
    help(&["completions", "fish"], None).assert_ok();
    let man = help(&["man"], None);
    man.assert_ok();
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH twostep"), "{}", &man.stdout[..200]);
    assert!(man.stdout.contains("twostep\\-passphrase") || man.stdout.contains("twostep-passphrase"));
    assert!(man.stdout.contains("Exit status"));
}

#[test]
fn a_secret_typed_as_an_argument_still_works_with_a_note_and_is_never_echoed() {
    let secret = b32(SEED_SHA1);
    let mut cmd = twostep();
    cmd.args(["code", "--secret", &secret, "--at", "59"]);
    let run = Run::of(cmd);
    run.assert_ok();
    assert_eq!(run.stdout, "287082\n");
    assert!(run.stderr.contains("`--secret -`"), "{}", run.stderr);
    assert!(!run.stderr.contains(&secret), "{}", run.stderr);
}

#[test]
fn a_vault_path_under_a_file_says_a_file_is_in_the_way() {
    let home = Home::new();
    let file = home.write("afile", "not a folder");
    let path = file.join("vault.db");
    let mut cmd = twostep();
    cmd.env("TWOSTEP_PASSPHRASE", PASSPHRASE).args(["--vault", path.to_str().unwrap(), "add", "-"]);
    let run = Run::with_input(cmd, GITHUB);
    run.assert_status(1);
    assert!(run.stderr.contains("a file is in the way"), "{}", run.stderr);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}
