//! What every import fuzz target checks, whatever the bytes: no panic (libFuzzer reports
//! one), items numbered 1, 2, 3… in order, every credential one the vault would accept, and
//! no error text that repeats a run of the input looking like a base32 secret.

use twostep_core::import::{self, Format, ImportError, ImportedItem};

/// Reads `data` as `format` without a password and with `"test"` (the password of the real
/// encrypted exports used as seeds), and checks what comes back.
pub fn check(format: Format, data: &[u8]) {
    for password in [None, Some("test")] {
        check_result(data, &import::read(format, data, password));
    }
}

/// As [`check`], the format guessed from the content.
pub fn check_detected(data: &[u8]) {
    let result = import::read_detected(data, Some("test")).map(|(_, items)| items);
    check_result(data, &result);
}

fn check_result(data: &[u8], result: &Result<Vec<ImportedItem>, ImportError>) {
    match result {
        Err(e) => no_secret_in(data, &e.to_string()),
        Ok(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_eq!(item.number, i + 1, "items are numbered in order from 1");
                match &item.outcome {
                    Ok(credential) => {
                        assert!(
                            credential.validate().is_ok(),
                            "item {} is a credential the vault refuses",
                            item.number
                        );
                        let _ = credential.generator().expect("a valid credential makes codes");
                    }
                    Err(e) => no_secret_in(data, &format!("{}: {e}", item.place)),
                }
            }
        }
    }
}

/// Fails when `text` contains a run of 16 or more base32 capitals that is also in the input:
/// an error that quotes a secret.
fn no_secret_in(data: &[u8], text: &str) {
    let is_b32 = |b: &u8| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b);
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !is_b32(&bytes[start]) {
            start += 1;
            continue;
        }
        let end = start + bytes[start..].iter().take_while(|b| is_b32(b)).count();
        if end - start >= 16 {
            let run = &bytes[start..end];
            assert!(!data.windows(run.len()).any(|w| w == run), "an error quotes the input: {text}");
        }
        start = end;
    }
}
