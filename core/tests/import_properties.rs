//! Properties every importer keeps, over generated files of every format: a credential
//! written in the format's documented shape reads back exactly (encrypted ones too, with their
//! password, and a wrong one is a typed error); no bytes and no mutation of a valid file make
//! an importer panic; and no error, of the file or of an entry, ever shows the secret.

use std::num::NonZeroU32;

use proptest::prelude::*;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use serde_json::json;
use twostep_core::import::{self, Format, ImportError, ImportedItem};
use twostep_core::otp::uri;
use twostep_core::otp::{Algorithm, Credential, Kind, Params};
use twostep_core::secret::SecretBytes;

// ---------------------------------------------------------------------------------------
// Writers of each format's documented shape (test-only)

fn b32(secret: &SecretBytes) -> String {
    data_encoding::BASE32_NOPAD.encode(secret.expose())
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

fn b64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

fn seal(key: &[u8], nonce: [u8; 12], plaintext: &[u8]) -> Vec<u8> {
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).unwrap());
    let mut data = plaintext.to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data).unwrap();
    data
}

fn aegis_entry(c: &Credential) -> serde_json::Value {
    let p = c.params;
    let mut info = json!({"secret": b32(&c.secret), "algo": p.algorithm.as_str(), "digits": p.digits});
    match p.kind {
        Kind::Totp { period } | Kind::Steam { period } => info["period"] = json!(period),
        Kind::Hotp { counter } => info["counter"] = json!(counter),
    }
    json!({"type": p.kind.name(), "uuid": "00000000-0000-0000-0000-000000000000", "name": c.account,
           "issuer": c.issuer, "icon": null, "info": info})
}

fn aegis_db(credentials: &[Credential]) -> serde_json::Value {
    json!({"version": 2, "entries": credentials.iter().map(aegis_entry).collect::<Vec<_>>()})
}

fn aegis_plain(credentials: &[Credential]) -> String {
    json!({"version": 1, "header": {"slots": null, "params": null}, "db": aegis_db(credentials)}).to_string()
}

/// An encrypted Aegis vault with one password slot at the cheapest scrypt cost.
fn aegis_encrypted(credentials: &[Credential], password: &str) -> String {
    let master = [0x42u8; 32];
    let (salt, slot_nonce, db_nonce) = ([7u8; 32], [1u8; 12], [2u8; 12]);
    let mut slot_key = [0u8; 32];
    scrypt::scrypt(password.as_bytes(), &salt, &scrypt::Params::new(1, 1, 1).unwrap(), &mut slot_key).unwrap();
    let sealed_master = seal(&slot_key, slot_nonce, &master);
    let sealed_db = seal(&master, db_nonce, aegis_db(credentials).to_string().as_bytes());
    let (key, key_tag) = sealed_master.split_at(32);
    let (db, db_tag) = sealed_db.split_at(sealed_db.len() - 16);
    json!({
        "version": 1,
        "header": {
            "slots": [{"type": 1, "uuid": "x", "key": hex(key), "key_params": {"nonce": hex(&slot_nonce), "tag": hex(key_tag)},
                       "n": 2, "r": 1, "p": 1, "salt": hex(&salt), "repaired": true}],
            "params": {"nonce": hex(&db_nonce), "tag": hex(db_tag)}
        },
        "db": b64(db)
    })
    .to_string()
}

fn twofas_service(c: &Credential) -> serde_json::Value {
    let p = c.params;
    let mut otp =
        json!({"account": c.account, "issuer": c.issuer, "digits": p.digits, "algorithm": p.algorithm.as_str()});
    match p.kind {
        Kind::Totp { period } => {
            otp["period"] = json!(period);
            otp["tokenType"] = json!("TOTP");
        }
        Kind::Steam { period } => {
            otp["period"] = json!(period);
            otp["tokenType"] = json!("STEAM");
        }
        Kind::Hotp { counter } => {
            otp["counter"] = json!(counter);
            otp["tokenType"] = json!("HOTP");
        }
    }
    json!({"name": c.issuer, "secret": b32(&c.secret), "updatedAt": 1, "otp": otp, "order": {"position": 0}})
}

fn twofas_plain(credentials: &[Credential]) -> String {
    json!({"services": credentials.iter().map(twofas_service).collect::<Vec<_>>(), "schemaVersion": 4, "groups": []})
        .to_string()
}

/// A 2FAS backup encrypted as 2FAS does it: PBKDF2-HMAC-SHA256 (10,000), AES-256-GCM, with a
/// reference.
fn twofas_encrypted(credentials: &[Credential], password: &str) -> String {
    let salt = [9u8; 256];
    let mut key = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        NonZeroU32::new(10_000).unwrap(),
        &salt,
        password.as_bytes(),
        &mut key,
    );
    let services = serde_json::to_vec(&credentials.iter().map(twofas_service).collect::<Vec<_>>()).unwrap();
    let part = |nonce: [u8; 12], plaintext: &[u8]| {
        format!("{}:{}:{}", b64(&seal(&key, nonce, plaintext)), b64(&salt), b64(&nonce))
    };
    json!({"services": [], "schemaVersion": 4, "servicesEncrypted": part([3u8; 12], &services),
           "reference": part([4u8; 12], b"reference text"), "groups": []})
    .to_string()
}

fn bitwarden(credentials: &[Credential]) -> String {
    let items: Vec<serde_json::Value> = credentials
        .iter()
        .map(|c| json!({"type": 1, "name": c.issuer, "login": {"username": c.account, "totp": uri::format(c)}}))
        .collect();
    json!({"encrypted": false, "folders": [], "items": items}).to_string()
}

fn uris(credentials: &[Credential]) -> String {
    credentials.iter().map(|c| uri::format(c) + "\n").collect()
}

fn ente(credentials: &[Credential]) -> String {
    let display = "%7B%22pinned%22%3Afalse%2C%22trashed%22%3Afalse%2C%22tags%22%3A%5B%5D%7D";
    credentials.iter().map(|c| format!("{}&codeDisplay={display}\n", uri::format(c))).collect()
}

fn google(credentials: &[Credential]) -> String {
    use prost::Message as _;
    use twostep_core::import::google::proto;
    let accounts = credentials
        .iter()
        .map(|c| proto::OtpParameters {
            secret: c.secret.expose().to_vec(),
            name: c.account.clone(),
            issuer: c.issuer.clone(),
            algorithm: match c.params.algorithm {
                Algorithm::Sha1 => proto::Algorithm::Sha1,
                Algorithm::Sha256 => proto::Algorithm::Sha256,
                Algorithm::Sha512 => proto::Algorithm::Sha512,
            } as i32,
            digits: if c.params.digits == 8 { proto::DigitCount::Eight } else { proto::DigitCount::Six } as i32,
            r#type: match c.params.kind {
                Kind::Hotp { .. } => proto::OtpType::Hotp,
                _ => proto::OtpType::Totp,
            } as i32,
            counter: match c.params.kind {
                Kind::Hotp { counter } => counter as i64,
                _ => 0,
            },
        })
        .collect();
    let payload =
        proto::MigrationPayload { otp_parameters: accounts, version: 1, batch_size: 1, batch_index: 0, batch_id: 3 };
    format!("otpauth-migration://offline?data={}\n", data_encoding::BASE64URL_NOPAD.encode(&payload.encode_to_vec()))
}

/// A file of `format` holding `credentials` (all of which the format can carry).
fn write(format: Format, credentials: &[Credential]) -> String {
    match format {
        Format::Google => google(credentials),
        Format::Aegis => aegis_plain(credentials),
        Format::TwoFas => twofas_plain(credentials),
        Format::Bitwarden => bitwarden(credentials),
        Format::Ente => ente(credentials),
        Format::Uris => uris(credentials),
    }
}

// ---------------------------------------------------------------------------------------
// Generators

/// Names every format carries as they are: no `:` (a label separator), no leading or
/// trailing spaces (trimmed by some formats).
fn arb_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9éΩü@._-]([A-Za-z0-9 éΩü@._-]{0,14}[A-Za-z0-9éΩü@._-])?"
}

fn arb_params(format: Format) -> BoxedStrategy<Params> {
    let algorithm = prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)];
    let counter = 0..=i64::MAX as u64;
    match format {
        // 6 or 8 digits, a 30-second period: all that Google's format can say.
        Format::Google => {
            let kind = prop_oneof![Just(Kind::Totp { period: 30 }), counter.prop_map(|counter| Kind::Hotp { counter })];
            (kind, algorithm, prop_oneof![Just(6u8), Just(8u8)])
                .prop_map(|(kind, algorithm, digits)| Params { kind, algorithm, digits })
                .boxed()
        }
        _ => prop_oneof![
            (1u32..=86_400, algorithm.clone(), 6u8..=8).prop_map(|(p, a, d)| Params::totp(a, d, p)),
            (counter, algorithm, 6u8..=8).prop_map(|(c, a, d)| Params::hotp(a, d, c)),
            Just(Params::steam()),
        ]
        .boxed(),
    }
}

fn arb_credential(format: Format) -> impl Strategy<Value = Credential> {
    (arb_name(), arb_name(), arb_params(format), prop::collection::vec(any::<u8>(), 10..=64)).prop_map(
        |(issuer, account, params, secret)| Credential { issuer, account, params, secret: SecretBytes::new(secret) },
    )
}

fn arb_format() -> impl Strategy<Value = Format> {
    prop::sample::select(Format::ALL.to_vec())
}

/// A format and a few credentials it can carry.
fn arb_file() -> impl Strategy<Value = (Format, Vec<Credential>)> {
    arb_format().prop_flat_map(|format| (Just(format), prop::collection::vec(arb_credential(format), 1..4)))
}

fn read_back(items: Vec<ImportedItem>) -> Vec<Credential> {
    items.into_iter().map(|i| i.outcome.unwrap_or_else(|e| panic!("item {} refused: {e}", i.number))).collect()
}

/// Every text an import shows for `result`: the file's error, or each refused entry's.
fn error_texts(result: &Result<Vec<ImportedItem>, ImportError>) -> Vec<String> {
    match result {
        Err(e) => vec![e.to_string(), format!("{e:?}")],
        Ok(items) => {
            items.iter().filter_map(|i| i.outcome.as_ref().err().map(|e| format!("{}: {e} {e:?}", i.place))).collect()
        }
    }
}

/// Fails when `text` shows any eight characters in a row of the secret's base32 or hex form.
fn assert_no_secret(text: &str, secret: &SecretBytes) {
    for form in [b32(secret), hex(secret.expose()), data_encoding::HEXUPPER.encode(secret.expose())] {
        let chars: Vec<char> = form.chars().collect();
        for window in chars.windows(8) {
            let piece: String = window.iter().collect();
            assert!(!text.contains(&piece), "the error shows part of the secret ({piece}): {text}");
        }
    }
}

/// Ways to break one entry of a file, each by changing its text.
fn break_entry(format: Format, file: &str, secret: &SecretBytes, how: usize) -> String {
    let key = b32(secret);
    match (format, how % 4) {
        // A symbol base32 does not have, in the middle of the key.
        (Format::Google, 0) => file.replacen("data=", "data=%", 1),
        (_, 0) => file.replacen(&key, &format!("{}1{}", &key[..4], &key[4..]), 1),
        (Format::Google, 1) => file.replacen("offline", "online", 1),
        (Format::Uris | Format::Ente | Format::Bitwarden, 1) => file.replacen("digits=", "digits=1", 1),
        (_, 1) => file.replacen("\"digits\":", "\"digits\":1", 1),
        (Format::Uris | Format::Ente | Format::Bitwarden, 2) => file.replacen("algorithm=", "algorithm=MD", 1),
        (Format::Aegis, 2) => file.replacen("\"algo\":\"", "\"algo\":\"MD", 1),
        (Format::TwoFas, 2) => file.replacen("\"algorithm\":\"", "\"algorithm\":\"MD", 1),
        // Cut the file right after the secret.
        (_, _) => match file.find(&key) {
            Some(at) => file[..at + key.len()].to_owned(),
            None => file[..file.len() / 2].to_owned(),
        },
    }
}

// ---------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What a format's documented shape holds reads back exactly, every parameter included.
    #[test]
    fn every_format_reads_back_what_it_holds((format, credentials) in arb_file()) {
        let file = write(format, &credentials);
        let items = import::read(format, file.as_bytes(), None).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(read_back(items), credentials);
        prop_assert_eq!(Format::detect(file.as_bytes()), Some(format));
    }

    /// Arbitrary bytes make no importer panic, with or without a password.
    #[test]
    fn no_bytes_make_an_importer_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), format in arb_format()) {
        let _ = import::read(format, &bytes, None);
        let _ = import::read(format, &bytes, Some("password"));
        let _ = import::read_detected(&bytes, None);
    }

    /// Valid files damaged anywhere (a byte changed, inserted or removed, or the file cut)
    /// make no importer panic; what they give is a typed error or items.
    #[test]
    fn a_damaged_file_is_an_error_or_items_never_a_panic(
        (format, credentials) in arb_file(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        how in 0..4u8,
    ) {
        let mut bytes = write(format, &credentials).into_bytes();
        let i = at.index(bytes.len());
        match how {
            0 => bytes[i] = byte,
            1 => bytes.insert(i, byte),
            2 => { bytes.remove(i); }
            _ => bytes.truncate(i),
        }
        let _ = import::read(format, &bytes, None);
        let _ = import::read(format, &bytes, Some("password"));
    }

    /// However an entry is broken, neither the file's error nor the entry's reason shows any
    /// part of its secret.
    #[test]
    fn no_error_shows_the_secret((format, credentials) in arb_file(), how in 0usize..4) {
        let file = write(format, &credentials);
        let broken = break_entry(format, &file, &credentials[0].secret, how);
        let result = import::read(format, broken.as_bytes(), None);
        let texts = error_texts(&result);
        if how == 0 {
            prop_assert!(!texts.is_empty(), "a corrupted key is always refused");
        }
        for text in texts {
            for c in &credentials {
                assert_no_secret(&text, &c.secret);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// An encrypted Aegis vault or 2FAS backup opens with its password to exactly what was
    /// sealed, and any other password is `WrongPassword`, never a panic or garbage.
    #[test]
    fn encrypted_exports_open_with_their_password_only(
        credentials in prop::collection::vec(arb_credential(Format::Aegis), 1..3),
        password in "[ -~é]{1,24}",
        other in "[ -~é]{1,24}",
    ) {
        prop_assume!(password != other);
        for (format, file) in [
            (Format::Aegis, aegis_encrypted(&credentials, &password)),
            (Format::TwoFas, twofas_encrypted(&credentials, &password)),
        ] {
            let items = import::read(format, file.as_bytes(), Some(&password)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(read_back(items), credentials.clone());
            let wrong = import::read(format, file.as_bytes(), Some(&other));
            prop_assert!(matches!(wrong, Err(ImportError::WrongPassword { .. })), "{:?}", wrong);
            let none = import::read(format, file.as_bytes(), None);
            prop_assert!(matches!(none, Err(ImportError::PasswordRequired { .. })), "{:?}", none);
        }
    }

    /// A damaged encrypted export is an error or items, never a panic.
    #[test]
    fn a_damaged_encrypted_export_never_panics(
        credentials in prop::collection::vec(arb_credential(Format::Aegis), 1..2),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        for (format, file) in [
            (Format::Aegis, aegis_encrypted(&credentials, "pw")),
            (Format::TwoFas, twofas_encrypted(&credentials, "pw")),
        ] {
            let mut bytes = file.into_bytes();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let _ = import::read(format, &bytes, Some("pw"));
        }
    }
}

#[test]
fn a_damaged_2fas_backup_with_the_right_password_is_not_called_a_wrong_password() {
    let c = Credential {
        issuer: "I".into(),
        account: "a".into(),
        params: Params::totp(Algorithm::Sha1, 6, 30),
        secret: SecretBytes::from_slice(b"12345678901234567890"),
    };
    let file = twofas_encrypted(&[c], "pw");
    let doc: serde_json::Value = serde_json::from_str(&file).unwrap();
    let sealed = doc["servicesEncrypted"].as_str().unwrap();
    // Flip the first base64 symbol of the services' ciphertext; the reference still opens.
    let flipped = format!("{}{}", if sealed.starts_with('A') { "B" } else { "A" }, &sealed[1..]);
    let damaged = file.replace(sealed, &flipped);
    let e = import::read(Format::TwoFas, damaged.as_bytes(), Some("pw")).unwrap_err();
    assert!(matches!(e, ImportError::Malformed { ref at, .. } if at == "servicesEncrypted"), "{e:?}");
}
