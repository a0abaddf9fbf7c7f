//! The one error the apps see, and the one place core errors are mapped to it.
//!
//! Each [`TwostepError`] variant is an action the app takes differently (ask for the key
//! again, show "not found", point at a field, offer a restore, retry later, say "wrong
//! number"…). The rich core errors ([`VaultError`], [`UriError`], [`InvalidParam`],
//! [`LineError`], [`ImportError`], [`BackupError`], [`QrError`], [`RuleViolation`],
//! [`PhoneNumberError`], [`ClientError`] with the server's [`ApiError`]) are mapped here and
//! nowhere else. (An import's [`EntryError`] is not an error of the call: it is one refused
//! item of a preview, carried as its field and reason.) Their messages never carry a secret, and
//! neither does anything added here.
//!
//! No variant has a field called `message`: Kotlin exceptions already have one, so the words
//! a screen shows travel in `reason`.

use twostep_core::backup::BackupError;
use twostep_core::client::ClientError;
#[cfg(doc)]
use twostep_core::import::EntryError;
use twostep_core::import::{ImportError, LineError};
use twostep_core::methods::{PhoneNumberError, RuleViolation, ShownPairError};
use twostep_core::otp::InvalidParam;
use twostep_core::otp::uri::UriError;
use twostep_core::protocol::{ApiError, ErrorCode};
use twostep_core::qr::QrError;
use twostep_core::vault::{KeyStoreError, VaultError};

/// Why a call into the core failed, one variant per thing the app does about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum TwostepError {
    /// The key store or passphrase does not open this vault. Ask again; the vault is untouched.
    #[error("the passphrase or key does not open this vault; the vault was left as it is")]
    WrongKey,
    /// There is no such thing: a vault file, or an entry id.
    #[error("not found: {what}")]
    NotFound { what: String },
    /// An input was refused. `field` names it (`"secret"`, `"digits"`, `"line 3: secret"`…)
    /// so the app can point at it; `reason` says why in words fit for a log.
    #[error("{field}: {reason}")]
    InvalidInput { field: String, reason: String },
    /// The vault file is damaged. It was left exactly as it was: offer a restore, never delete.
    #[error("the vault is damaged ({reason}); it was left as it is")]
    VaultDamaged { reason: String },
    /// The vault was written by a newer version of the app. It was left as it was.
    #[error("the vault was written by a newer version (schema {found}, this build reads up to {supported})")]
    VaultTooNew { found: u32, supported: u32 },
    /// Creating a vault where a file already exists; nothing was overwritten.
    #[error("a file already exists at {path}; it was not overwritten")]
    AlreadyExists { path: String },
    /// The platform key store is not ready (a locked device): offer "try again".
    #[error("the key store is unavailable: {reason}")]
    KeyStoreUnavailable { reason: String },
    /// The platform destroyed the vault's key for good (lock screen removed, biometrics
    /// re-enrolled). Retrying cannot help: the vault file was kept; offer a restore from a
    /// backup and a new vault, never a silent reset.
    /// Its Display is the seller's sentence; `reason` is the platform's detail, for logs.
    #[error(
        "Your codes can't be unlocked on this phone any more: its security key was reset when the screen lock \
         was removed or the fingerprints or face were changed. They were kept: restore them from a backup."
    )]
    KeyInvalidated { reason: String },
    /// Reading or writing the file failed (disk full, permissions, I/O).
    #[error("storage failed: {reason}")]
    Storage { reason: String },
    /// The backend could not be reached or the exchange broke; nothing was decided. Offer
    /// "try again".
    #[error("network error: {reason}")]
    Network { reason: String },
    /// A primary/backup choice breaks a rule of the method table. `rule` is the rule's stable
    /// code (`"authenticator_app_as_both"`, `"same_number_as_both"`…), `reason` its words,
    /// shown as is.
    #[error("{reason}")]
    RuleViolation { rule: String, reason: String },
    /// The password does not match the login (sign-in). A file's password is
    /// `WrongFilePassword`.
    #[error("the email or password is not right")]
    WrongPassword,
    /// The password does not open this file (an encrypted export of another app, or a
    /// Twostep backup): ask for it again. Nothing was changed. `reason` says which file.
    #[error("{reason}")]
    WrongFilePassword { reason: String },
    /// The vault changed between an import's preview and applying it (entries were added or
    /// removed): nothing was imported; preview again.
    #[error("the vault changed since the import was previewed; preview it again")]
    StalePreview,
    /// The code is not the right one: ask again.
    #[error("that code is not right")]
    WrongCode,
    /// The code was right but already used once: wait for the next one.
    #[error("that code was already used; wait for the next one")]
    CodeReused,
    /// Too many tries, or too many push requests: wait `retry_after_seconds` (when the
    /// server said) before trying again.
    #[error("too many tries; try again later")]
    Throttled { retry_after_seconds: Option<u64> },
    /// The number typed on the phone is not the one on the sign-in screen; that sign-in
    /// attempt has failed.
    #[error("the number does not match the one on the sign-in screen")]
    WrongNumber,
    /// The push request (or the answer to it) expired: the sign-in has to start again.
    #[error("this request has expired")]
    ChallengeExpired,
    /// The push request was already answered (maybe on another device).
    #[error("this request was already answered")]
    AlreadyAnswered,
    /// This device is not registered for push approvals, or the backend no longer knows it:
    /// register again.
    #[error("this device is not registered for push approvals")]
    UnknownDevice,
    /// The call needs a signed-in session and there is none (or the backend ended it): sign
    /// in again.
    #[error("not signed in")]
    NotSignedIn,
    /// A signature did not verify: a push request not signed by the pinned backend key, or
    /// this device's signature refused by the backend. Nothing was shown or accepted;
    /// registering the device again renews both keys.
    #[error("a signature did not verify")]
    BadSignature,
    /// Any other refusal by the backend: `code` is its stable error code (`"wrong_state"`,
    /// `"already_exists"`, `"unexpected_response"`…), `reason` its words.
    #[error("the server refused ({code}): {reason}")]
    Server { code: String, reason: String },
    /// A bug or an exhausted resource inside the core (its runtime could not start, a task
    /// failed). Worth reporting; the app keeps running.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl From<VaultError> for TwostepError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::WrongKey => TwostepError::WrongKey,
            VaultError::NoVault(path) => TwostepError::NotFound { what: format!("vault at {}", path.display()) },
            VaultError::AlreadyExists(path) => TwostepError::AlreadyExists { path: path.display().to_string() },
            VaultError::EntryNotFound(id) => TwostepError::NotFound { what: format!("entry {id}") },
            VaultError::Invalid(p) => p.into(),
            VaultError::Damaged(reason) => TwostepError::VaultDamaged { reason },
            VaultError::TooNew { found, supported } => TwostepError::VaultTooNew { found, supported },
            VaultError::KeyStore(KeyStoreError::WrongKey) => TwostepError::WrongKey,
            VaultError::KeyStore(KeyStoreError::Unavailable(reason)) => TwostepError::KeyStoreUnavailable { reason },
            VaultError::KeyStore(KeyStoreError::Invalidated(reason)) => TwostepError::KeyInvalidated { reason },
            // The stored wrapped key is not something this key store reads: the file's
            // content is at fault, not the device.
            VaultError::KeyStore(KeyStoreError::Malformed(why)) => {
                TwostepError::VaultDamaged { reason: format!("the stored key is unreadable: {why}") }
            }
            e @ (VaultError::Storage(_) | VaultError::Io(_)) => TwostepError::Storage { reason: e.to_string() },
        }
    }
}

impl From<UriError> for TwostepError {
    fn from(e: UriError) -> Self {
        TwostepError::InvalidInput { field: e.field().to_owned(), reason: e.reason().to_owned() }
    }
}

impl From<InvalidParam> for TwostepError {
    fn from(e: InvalidParam) -> Self {
        TwostepError::InvalidInput { field: e.field.to_owned(), reason: e.reason }
    }
}

/// A refused line of an import: the field names the line, `"line 3: secret"`, so the app
/// can point at it.
impl From<LineError> for TwostepError {
    fn from(e: LineError) -> Self {
        TwostepError::InvalidInput {
            field: format!("line {}: {}", e.line, e.error.field()),
            reason: e.error.reason().to_owned(),
        }
    }
}

/// A whole import file refused. Damage names where (`at`: a line, a JSON path); a problem of
/// the whole file names `"file"`; a missing password points at `"password"`. The words are
/// core's, which never quote the file.
impl From<ImportError> for TwostepError {
    fn from(e: ImportError) -> Self {
        let invalid = |field: String, e: &ImportError| TwostepError::InvalidInput { field, reason: e.to_string() };
        match e {
            ImportError::WrongPassword { .. } => TwostepError::WrongFilePassword { reason: e.to_string() },
            ImportError::StalePreview => TwostepError::StalePreview,
            ImportError::Vault(e) => e.into(),
            ImportError::Malformed { at, reason } => TwostepError::InvalidInput { field: at, reason },
            ImportError::UnsafeParameters { ref at, .. } => invalid(at.clone(), &e),
            ImportError::PasswordRequired { .. } => invalid("password".into(), &e),
            ImportError::Unrecognised => invalid("format".into(), &e),
            ImportError::MixedExports { line, .. } | ImportError::RepeatedBatch { line, .. } => {
                invalid(format!("line {line}"), &e)
            }
            ImportError::Refused { first, ref reason, .. } => invalid(format!("{first}: {}", reason.field()), &e),
            ImportError::TooLarge { .. }
            | ImportError::WrongFormat { .. }
            | ImportError::Unsupported { .. }
            | ImportError::IncompleteExport { .. } => invalid("file".into(), &e),
        }
    }
}

/// A backup refused: a wrong password is `WrongFilePassword`; a file that is not a backup,
/// damaged, cut short, too new, too large or asking for a refused key derivation is
/// `InvalidInput` naming the part (`"file"`, `"kdf"`, the truncated part…).
impl From<BackupError> for TwostepError {
    fn from(e: BackupError) -> Self {
        let invalid =
            |field: &str, e: &BackupError| TwostepError::InvalidInput { field: field.into(), reason: e.to_string() };
        match e {
            BackupError::WrongPassword => TwostepError::WrongFilePassword { reason: e.to_string() },
            BackupError::Vault(e) => e.into(),
            BackupError::EmptyPassword => invalid("password", &e),
            BackupError::KdfRefused(_) => invalid("kdf", &e),
            BackupError::TooNew { .. } => invalid("format_version", &e),
            BackupError::Truncated { what, .. } => invalid(what, &e),
            BackupError::NotABackup | BackupError::Damaged(_) | BackupError::TooLarge(_) => invalid("file", &e),
        }
    }
}

/// A QR code that cannot be made or read.
impl From<QrError> for TwostepError {
    fn from(e: QrError) -> Self {
        let field = match e {
            QrError::TooLong(_) => "text",
            QrError::Image(_) | QrError::NotFound | QrError::Unreadable(_) => "image",
        };
        TwostepError::InvalidInput { field: field.into(), reason: e.to_string() }
    }
}

/// A broken method rule keeps its stable code and its words.
impl From<RuleViolation> for TwostepError {
    fn from(v: RuleViolation) -> Self {
        TwostepError::RuleViolation { rule: v.code().to_owned(), reason: v.message() }
    }
}

/// A method pair handed back by the app that is not a pair: a missing or unreadable part
/// names its field; a broken rule keeps its code.
impl From<ShownPairError> for TwostepError {
    fn from(e: ShownPairError) -> Self {
        match e {
            ShownPairError::Invalid(p) => p.into(),
            ShownPairError::Rule(v) => v.into(),
        }
    }
}

/// A refused phone number: the words say what to fix and never repeat the number.
impl From<PhoneNumberError> for TwostepError {
    fn from(e: PhoneNumberError) -> Self {
        TwostepError::InvalidInput { field: "phone_number".to_owned(), reason: e.message() }
    }
}

impl From<ClientError> for TwostepError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Network { message, .. } => TwostepError::Network { reason: message },
            ClientError::Server(api) => server_refusal(api),
            e @ ClientError::UnexpectedResponse { .. } => {
                TwostepError::Server { code: "unexpected_response".to_owned(), reason: e.to_string() }
            }
            ClientError::BadSignature(_) | ClientError::ServerKeyChanged => TwostepError::BadSignature,
            e @ ClientError::ResponseTooLarge { .. } => {
                TwostepError::Server { code: "unexpected_response".to_owned(), reason: e.to_string() }
            }
            ClientError::Expired => TwostepError::ChallengeExpired,
            ClientError::AlreadyAnswered => TwostepError::AlreadyAnswered,
            ClientError::WrongNumber => TwostepError::WrongNumber,
            ClientError::UnknownDevice => TwostepError::UnknownDevice,
            ClientError::UnknownChallenge(id) => TwostepError::NotFound { what: format!("push request {id}") },
            ClientError::NotSignedIn => TwostepError::NotSignedIn,
            ClientError::DeviceKey(reason) => TwostepError::KeyStoreUnavailable { reason },
            ClientError::Vault(e) => e.into(),
            ClientError::InvalidInput { field, reason } => {
                TwostepError::InvalidInput { field: field.to_owned(), reason }
            }
            ClientError::Internal(reason) => TwostepError::Internal { reason },
        }
    }
}

/// The backend's error body: first through core's one mapping of the server's codes
/// (`ClientError::from`, which types the codes of push approval), then here.
impl From<ApiError> for TwostepError {
    fn from(e: ApiError) -> Self {
        ClientError::from(e).into()
    }
}

/// The codes core's client leaves as a server refusal, by the action each asks of the app.
fn server_refusal(e: ApiError) -> TwostepError {
    match e.code {
        ErrorCode::InvalidRequest => {
            TwostepError::InvalidInput { field: e.field.unwrap_or_else(|| "request".to_owned()), reason: e.message }
        }
        ErrorCode::Unauthorized => TwostepError::NotSignedIn,
        ErrorCode::WrongPassword => TwostepError::WrongPassword,
        ErrorCode::NotFound => TwostepError::NotFound { what: e.message },
        ErrorCode::RuleViolation => TwostepError::RuleViolation { rule: e.rule.unwrap_or_default(), reason: e.message },
        ErrorCode::WrongCode => TwostepError::WrongCode,
        ErrorCode::CodeReused => TwostepError::CodeReused,
        ErrorCode::Throttled | ErrorCode::RateLimited => TwostepError::Throttled { retry_after_seconds: e.retry_after },
        ErrorCode::BadSignature => TwostepError::BadSignature,
        // AlreadyExists, WrongState, Internal; the push codes never get here (core typed them).
        code => TwostepError::Server { code: code.as_str(), reason: e.message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_uri_names_the_field_and_never_quotes_the_secret() {
        let uri = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PX!";
        let e = TwostepError::from(twostep_core::otp::uri::parse(uri).unwrap_err());
        let TwostepError::InvalidInput { field, reason } = &e else { panic!("{e:?}") };
        assert_eq!(field, "secret");
        assert!(!reason.contains("JBSWY3DP") && !e.to_string().contains("JBSWY3DP"), "{e}");
    }

    #[test]
    fn a_wrong_key_from_the_key_store_is_a_wrong_key() {
        assert_eq!(TwostepError::from(VaultError::from(KeyStoreError::WrongKey)), TwostepError::WrongKey);
        assert_eq!(TwostepError::from(VaultError::KeyStore(KeyStoreError::WrongKey)), TwostepError::WrongKey);
    }

    #[test]
    fn an_invalidated_key_is_not_a_locked_device() {
        let reason = "lock screen removed".to_owned();
        let e = TwostepError::from(VaultError::from(KeyStoreError::Invalidated(reason.clone())));
        assert_eq!(e, TwostepError::KeyInvalidated { reason });
        assert!(e.to_string().contains("They were kept: restore them from a backup."), "{e}");
    }

    #[test]
    fn the_backends_codes_become_the_variants_an_app_acts_on() {
        let api = |code| ApiError::new(code, "words from the server");
        let rule = ApiError { rule: Some("same_number_as_both".into()), ..api(ErrorCode::RuleViolation) };
        assert_eq!(
            TwostepError::from(ClientError::from(rule)),
            TwostepError::RuleViolation { rule: "same_number_as_both".into(), reason: "words from the server".into() }
        );
        let throttled = ApiError { retry_after: Some(30), ..api(ErrorCode::Throttled) };
        assert_eq!(TwostepError::from(throttled), TwostepError::Throttled { retry_after_seconds: Some(30) });
        assert_eq!(TwostepError::from(ClientError::from(api(ErrorCode::WrongNumber))), TwostepError::WrongNumber);
        assert_eq!(TwostepError::from(api(ErrorCode::WrongNumber)), TwostepError::WrongNumber);
        assert_eq!(TwostepError::from(api(ErrorCode::AnswerExpired)), TwostepError::ChallengeExpired);
        assert_eq!(TwostepError::from(api(ErrorCode::Unauthorized)), TwostepError::NotSignedIn);
        assert_eq!(
            TwostepError::from(api(ErrorCode::WrongState)),
            TwostepError::Server { code: "wrong_state".into(), reason: "words from the server".into() }
        );
    }

    #[test]
    fn a_refused_phone_number_never_repeats_it() {
        let refused = twostep_core::methods::PhoneNumber::parse("360 867 5309", None).unwrap_err();
        let e = TwostepError::from(refused);
        let TwostepError::InvalidInput { field, reason } = &e else { panic!("{e:?}") };
        assert_eq!(field, "phone_number");
        assert!(!reason.contains("867") && !e.to_string().contains("867"), "{e}");
    }

    #[test]
    fn a_wrong_file_password_is_not_a_wrong_sign_in_password() {
        let e = TwostepError::from(BackupError::WrongPassword);
        assert!(matches!(e, TwostepError::WrongFilePassword { .. }), "{e:?}");
        let e = TwostepError::from(ImportError::WrongPassword { format: twostep_core::import::Format::Aegis });
        assert_eq!(
            e,
            TwostepError::WrongFilePassword { reason: "the password does not open this Aegis export".into() }
        );
    }

    #[test]
    fn a_damaged_file_names_where() {
        let e = TwostepError::from(ImportError::Malformed {
            at: "header.slots[0].salt".into(),
            reason: "is not hex".into(),
        });
        assert_eq!(e, TwostepError::InvalidInput { field: "header.slots[0].salt".into(), reason: "is not hex".into() });
        let e = TwostepError::from(twostep_core::backup::info(b"not a backup at all").unwrap_err());
        assert!(matches!(e, TwostepError::InvalidInput { ref field, .. } if field == "file"), "{e:?}");
        let e = TwostepError::from(twostep_core::import::read_detected(b"hello", None).unwrap_err());
        assert!(matches!(e, TwostepError::InvalidInput { ref field, .. } if field == "format"), "{e:?}");
        assert_eq!(TwostepError::from(ImportError::StalePreview), TwostepError::StalePreview);
    }

    #[test]
    fn a_refused_import_line_names_the_line_and_the_field() {
        let text = "# exported\notpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\notpauth://totp/A:b?digits=6\n";
        let e = TwostepError::from(twostep_core::import::parse_uri_list(text).unwrap_err());
        assert_eq!(e, TwostepError::InvalidInput { field: "line 3: secret".into(), reason: "is missing".into() });
    }
}
