//! The `twostep` binary as people and scripts use it: real processes, real vault files in
//! temporary folders, a cheap passphrase through `TWOSTEP_PASSPHRASE`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use data_encoding::BASE32_NOPAD;

const PASSPHRASE: &str = "correct horse battery staple";

/// RFC 6238 Appendix B seeds (ASCII) per algorithm.
const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// A temporary folder with a vault path inside it (the file does not exist yet).
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.db")
    }

    /// `twostep ARGS` against this vault with the right passphrase.
    fn run(&self, args: &[&str]) -> Run {
        self.run_with(PASSPHRASE, args)
    }

    fn run_with(&self, passphrase: &str, args: &[&str]) -> Run {
        let mut cmd = twostep();
        cmd.env("TWOSTEP_VAULT", self.vault()).env("TWOSTEP_PASSPHRASE", passphrase).args(args);
        Run::of(cmd)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn list_json(&self) -> Vec<serde_json::Value> {
        let run = self.run(&["list", "--json"]);
        run.assert_ok();
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap().as_array().unwrap().clone()
    }
}

/// The binary with a clean environment: no vault or passphrase from the caller, no terminal.
fn twostep() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_twostep"));
    cmd.env_remove("TWOSTEP_VAULT").env_remove("TWOSTEP_PASSPHRASE").stdin(Stdio::null());
    cmd
}

struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(mut cmd: Command) -> Self {
        let Output { status, stdout, stderr } = cmd.output().unwrap();
        Self {
            status: status.code(),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, Some(0), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    fn assert_status(&self, code: i32) -> &Self {
        assert_eq!(self.status, Some(code), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    fn assert_never_shows(&self, secret: &str) -> &Self {
        assert!(!self.stdout.contains(secret), "secret on stdout: {}", self.stdout);
        assert!(!self.stderr.contains(secret), "secret on stderr: {}", self.stderr);
        self
    }
}

fn b32(seed: &[u8]) -> String {
    BASE32_NOPAD.encode(seed)
}

fn totp_uri(seed: &[u8], algorithm: &str, digits: u8) -> String {
    format!("otpauth://totp/RFC:6238?secret={}&algorithm={algorithm}&digits={digits}&period=30", b32(seed))
}

fn code_of(uri: &str, at: u64) -> Run {
    let mut cmd = twostep();
    cmd.args(["code", "--uri", uri, "--at", &at.to_string()]);
    Run::of(cmd)
}

/// `plain.txt` of the shared real-export set beside the workspace; a missing one fails the
/// test (the tests that read it are ignored when the folder is absent, see `cli/build.rs`).
fn plain_export() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/authenticator-exports/plain.txt");
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

// ---------------------------------------------------------------------------------------
// `code --uri`: stateless, like oathtool

#[test]
fn code_of_a_uri_matches_every_rfc_6238_vector() {
    // RFC 6238 Appendix B: time, SHA1, SHA256, SHA512 (8 digits).
    let vectors: [(u64, [&str; 3]); 6] = [
        (59, ["94287082", "46119246", "90693936"]),
        (1_111_111_109, ["07081804", "68084774", "25091201"]),
        (1_111_111_111, ["14050471", "67062674", "99943326"]),
        (1_234_567_890, ["89005924", "91819424", "93441116"]),
        (2_000_000_000, ["69279037", "90698825", "38618901"]),
        (20_000_000_000, ["65353130", "77737706", "47863826"]),
    ];
    let uris = [totp_uri(SEED_SHA1, "SHA1", 8), totp_uri(SEED_SHA256, "SHA256", 8), totp_uri(SEED_SHA512, "SHA512", 8)];
    for (at, expected) in vectors {
        for (uri, code) in uris.iter().zip(expected) {
            let run = code_of(uri, at);
            run.assert_ok();
            assert_eq!(run.stdout, format!("{code}\n"), "{uri} at {at}");
            assert_eq!(run.stderr, "");
        }
    }
}

#[test]
fn code_of_an_hotp_uri_is_the_code_of_its_counter() {
    // RFC 4226 Appendix D; the time does not matter.
    for (counter, code) in [(0, "755224"), (1, "287082"), (9, "520489")] {
        let uri = format!("otpauth://hotp/RFC:4226?secret={}&counter={counter}", b32(SEED_SHA1));
        let run = code_of(&uri, 1_700_000_000);
        run.assert_ok();
        assert_eq!(run.stdout, format!("{code}\n"));
    }
}

#[test]
fn code_of_a_uri_without_at_uses_the_system_clock() {
    let uri = totp_uri(SEED_SHA1, "SHA1", 6);
    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let mut cmd = twostep();
    cmd.args(["code", "--uri", &uri]);
    let run = Run::of(cmd);
    let after = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    run.assert_ok();
    let possible: Vec<String> = (before..=after).map(|t| code_of(&uri, t).stdout).collect();
    assert!(possible.contains(&run.stdout), "{} not in {possible:?}", run.stdout);
}

#[test]
fn code_of_a_uri_can_come_from_standard_input() {
    let mut cmd = twostep();
    cmd.args(["code", "--uri", "-", "--at", "59"]).stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(totp_uri(SEED_SHA1, "SHA1", 8).as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "94287082\n");
}

#[test]
fn a_bad_uri_names_the_field_and_does_not_echo_the_secret() {
    let secret = b32(SEED_SHA256);
    let run = code_of(&format!("otpauth://totp/Acme:ada?secret={secret}&digits=9"), 59);
    run.assert_status(6).assert_never_shows(&secret);
    assert!(run.stderr.contains("digits"), "{}", run.stderr);
    assert_eq!(run.stdout, "");

    let home = Home::new();
    let run = home.run(&["add", &format!("otpauth://totp/Acme:ada?secret={secret}&algorithm=MD5")]);
    run.assert_status(6).assert_never_shows(&secret);
    assert!(run.stderr.contains("algorithm"), "{}", run.stderr);
    assert!(!home.vault().exists(), "a refused URI must not create a vault");

    let run = code_of("otpauth://totp/Acme:ada?secret=JBSWY3DP!EHPK3PXP", 59);
    run.assert_status(6).assert_never_shows("JBSWY3DP");
    assert!(run.stderr.contains("secret"), "{}", run.stderr);
}

#[test]
fn a_uri_typed_where_a_query_belongs_is_not_echoed() {
    let home = Home::new();
    home.run(&["add", &totp_uri(SEED_SHA1, "SHA1", 6)]).assert_ok();
    let secret = b32(SEED_SHA1);
    let uri = format!("otpauth://totp/X:y?secret={secret}");
    home.run(&["code", &uri]).assert_status(2).assert_never_shows(&secret);
    // clap quotes unexpected arguments; the URI must be masked there too.
    home.run(&["rename", "RFC", "a", "b", &uri]).assert_status(2).assert_never_shows(&secret);
}

// ---------------------------------------------------------------------------------------
// The vault

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

// ---------------------------------------------------------------------------------------
// `import --from FORMAT`: other apps' exports, previewed by entry number, then one transaction

/// A real export file of the shared set.
fn real_export(name: &str) -> PathBuf {
    plain_export().with_file_name(name)
}

/// The committed three-QR-code Google Authenticator export of core's tests.
fn google_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/imports/google-3-batches.txt")
}

/// `twostep import ARGS` against `home`'s vault, the import password (if any) in
/// `TWOSTEP_IMPORT_PASSWORD`.
fn import_with(home: &Home, password: Option<&str>, args: &[&str]) -> Run {
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

// ---------------------------------------------------------------------------------------
// `backup`, `restore`, `export`, `qr`, `resync`: moving out and back in

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
