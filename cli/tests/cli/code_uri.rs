//! `code --uri`: stateless, like oathtool.

use crate::support::*;

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
