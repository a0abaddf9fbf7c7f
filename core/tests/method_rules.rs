//! The seed's primary/backup rules, cell by cell: every primary kind × every backup kind ×
//! mobile/landline × same/different number, allowed or refused with the rule named; then the
//! sign-in order ("Didn't receive the code?") and changing methods (fresh code or account
//! recovery). Each test is one behaviour a seller would notice.

use twostep_core::methods::{
    AccessProof, BackupOption, ChangeAccess, ChangeError, FRESH_CODE_WINDOW_SECS, Method, MethodChoice, MethodKind,
    MethodPair, PhoneChoice, PhoneLine, PhoneNumber, PhoneNumberError, PromptLink, Role, RuleViolation, backup_options,
    change_access, change_methods, validate,
};

/// The primary's number.
const X: &str = "+1 206 555 0100";
/// The primary's number written another way, with the country picker set to +1.
const X_AGAIN: &str = "(206) 555-0100";
/// A different number.
const Y: &str = "+44 20 7946 0958";

/// A method as a form submits it: `app`, `sms`, `sms-landline`, `voice`, `voice-landline`.
fn choice(spec: &str, number: &str) -> MethodChoice {
    let phone = |line| PhoneChoice { number: number.to_owned(), default_calling_code: Some("1".to_owned()), line };
    match spec {
        "app" => MethodChoice::AuthenticatorApp,
        "sms" => MethodChoice::Sms(phone(PhoneLine::Mobile)),
        "sms-landline" => MethodChoice::Sms(phone(PhoneLine::Landline)),
        "voice" => MethodChoice::Voice(phone(PhoneLine::Mobile)),
        "voice-landline" => MethodChoice::Voice(phone(PhoneLine::Landline)),
        other => panic!("unknown method spec {other}"),
    }
}

#[derive(Clone, Copy, Debug)]
enum Numbers {
    /// The backup's number differs from the primary's.
    Different,
    /// The backup's number is the primary's, written differently.
    Same,
}

#[derive(Debug, PartialEq)]
enum Expect {
    Allowed,
    Refused(RuleViolation),
}
use Expect::{Allowed, Refused};

const LANDLINE_SMS_AS_PRIMARY: RuleViolation = RuleViolation::LandlineCannotReceiveSms { role: Role::Primary };
const LANDLINE_SMS_AS_BACKUP: RuleViolation = RuleViolation::LandlineCannotReceiveSms { role: Role::Backup };

/// Every cell of the seed's table, and every refusal around it. `Numbers` only matters when
/// both methods are phones.
fn seed_table() -> Vec<(&'static str, &'static str, Numbers, Expect)> {
    use Numbers::{Different, Same};
    use RuleViolation::{AuthenticatorAppAsBoth, SameNumberAsBoth};
    let mut rows = Vec::new();
    // Primary SMS-enabled phone (mobile), voice-enabled phone (mobile or landline): backup a
    // different voice phone, a different SMS phone, or an authenticator app.
    for primary in ["sms", "voice", "voice-landline"] {
        rows.extend([
            (primary, "voice", Different, Allowed),
            (primary, "voice", Same, Refused(SameNumberAsBoth)),
            (primary, "voice-landline", Different, Allowed),
            (primary, "voice-landline", Same, Refused(SameNumberAsBoth)),
            (primary, "sms", Different, Allowed),
            (primary, "sms", Same, Refused(SameNumberAsBoth)),
            (primary, "sms-landline", Different, Refused(LANDLINE_SMS_AS_BACKUP)),
            (primary, "sms-landline", Same, Refused(LANDLINE_SMS_AS_BACKUP)),
            (primary, "app", Different, Allowed),
        ]);
    }
    // Primary authenticator app: backup an SMS phone or a voice phone, never the app.
    rows.extend([
        ("app", "sms", Different, Allowed),
        ("app", "voice", Different, Allowed),
        ("app", "voice-landline", Different, Allowed),
        ("app", "sms-landline", Different, Refused(LANDLINE_SMS_AS_BACKUP)),
        ("app", "app", Different, Refused(AuthenticatorAppAsBoth)),
    ]);
    // A landline takes voice only: an SMS primary on a landline is refused whatever follows.
    for backup in ["sms", "voice", "voice-landline", "sms-landline"] {
        rows.push(("sms-landline", backup, Different, Refused(LANDLINE_SMS_AS_PRIMARY)));
        rows.push(("sms-landline", backup, Same, Refused(LANDLINE_SMS_AS_PRIMARY)));
    }
    rows.push(("sms-landline", "app", Different, Refused(LANDLINE_SMS_AS_PRIMARY)));
    rows
}

fn check(primary: &str, backup: &str, numbers: Numbers) -> Expect {
    let backup_number = match numbers {
        Numbers::Different => Y,
        Numbers::Same => X_AGAIN,
    };
    match validate(Some(&choice(primary, X)), Some(&choice(backup, backup_number))) {
        Ok(_) => Allowed,
        Err(violation) => Refused(violation),
    }
}

fn assert_rows(rows: &[(&str, &str, Numbers, Expect)]) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(primary, backup, numbers, expected)| {
            let got = check(primary, backup, *numbers);
            (got != *expected).then(|| {
                format!("primary {primary}, backup {backup} ({numbers:?}): expected {expected:?}, got {got:?}")
            })
        })
        .collect();
    assert!(failures.is_empty(), "{} cells wrong:\n{}", failures.len(), failures.join("\n"));
}

fn rows_where(
    keep: impl Fn(&str, &str, Numbers, &Expect) -> bool,
) -> Vec<(&'static str, &'static str, Numbers, Expect)> {
    seed_table().into_iter().filter(|(p, b, n, e)| keep(p, b, *n, e)).collect()
}

#[test]
fn every_cell_of_the_seed_table() {
    let rows = seed_table();
    // 3 phone primaries × 9 backups + 5 after the app + 9 with a landline SMS primary.
    assert_eq!(rows.len(), 41);
    assert_rows(&rows);
}

#[test]
fn every_kind_and_line_pairing_is_in_the_table() {
    let specs = ["app", "sms", "sms-landline", "voice", "voice-landline"];
    let rows = seed_table();
    for primary in specs {
        for backup in specs {
            assert!(rows.iter().any(|(p, b, ..)| *p == primary && *b == backup), "{primary} → {backup} missing");
        }
    }
}

#[test]
fn enabling_needs_a_primary_and_a_backup() {
    let app = choice("app", X);
    let sms = choice("sms", X);
    assert_eq!(validate(None, None), Err(RuleViolation::MissingPrimary));
    assert_eq!(validate(None, Some(&app)), Err(RuleViolation::MissingPrimary));
    assert_eq!(validate(Some(&app), None), Err(RuleViolation::MissingBackup));
    assert_eq!(validate(Some(&sms), None), Err(RuleViolation::MissingBackup));
}

#[test]
fn authenticator_app_cannot_be_both() {
    let err = validate(Some(&choice("app", X)), Some(&choice("app", X))).unwrap_err();
    assert_eq!(err, RuleViolation::AuthenticatorAppAsBoth);
    assert_eq!(err.message(), "You cannot use an authenticator app as both your primary and backup method.");
    assert_eq!(err.to_string(), err.message());
}

#[test]
fn same_number_cannot_be_primary_and_backup() {
    let rows = rows_where(|p, b, n, _| p != "app" && b != "app" && matches!(n, Numbers::Same));
    assert!(rows.len() >= 9);
    assert_rows(&rows);
    // Text messages and calls to one mobile are still one phone.
    assert_eq!(check("sms", "voice", Numbers::Same), Refused(RuleViolation::SameNumberAsBoth));
    assert_eq!(
        RuleViolation::SameNumberAsBoth.message(),
        "You cannot use the same telephone number for both your primary and backup method."
    );
}

#[test]
fn same_number_written_differently_is_still_the_same_number() {
    let ways = ["+1 (206) 555-0100", "001 206 555 0100", "206.555.0100", "1-206-555-0100", "+12065550100"];
    for a in ways {
        for b in ways {
            let primary = choice("sms", a);
            let backup = choice("voice", b);
            assert_eq!(validate(Some(&primary), Some(&backup)), Err(RuleViolation::SameNumberAsBoth), "{a} / {b}");
        }
    }
}

#[test]
fn different_numbers_may_be_primary_and_backup() {
    assert_rows(&rows_where(|p, b, n, _| {
        !p.contains("sms-landline") && !b.contains("sms-landline") && matches!(n, Numbers::Different) && p != b
    }));
    // Two phones of the same kind, as long as the numbers differ.
    assert_eq!(check("sms", "sms", Numbers::Different), Allowed);
    assert_eq!(check("voice-landline", "voice-landline", Numbers::Different), Allowed);
}

#[test]
fn landline_takes_voice_only() {
    let rows = rows_where(|p, b, _, _| p == "sms-landline" || b == "sms-landline");
    assert_eq!(rows.len(), 16);
    assert_rows(&rows);
    let err = validate(Some(&choice("app", X)), Some(&choice("sms-landline", Y))).unwrap_err();
    assert_eq!(err.code(), "landline_cannot_receive_sms");
    assert_eq!(err.role(), Role::Backup);
    // Voice calls to a landline are fine, as primary and as backup.
    assert_eq!(check("voice-landline", "app", Numbers::Different), Allowed);
    assert_eq!(check("app", "voice-landline", Numbers::Different), Allowed);
}

#[test]
fn authenticator_app_primary_takes_any_phone_backup() {
    for backup in ["sms", "voice", "voice-landline"] {
        assert_eq!(check("app", backup, Numbers::Different), Allowed, "{backup}");
    }
}

#[test]
fn phone_primary_may_have_authenticator_app_backup() {
    for primary in ["sms", "voice", "voice-landline"] {
        assert_eq!(check(primary, "app", Numbers::Different), Allowed, "{primary}");
    }
}

#[test]
fn a_mobile_phone_is_not_required() {
    // "You can receive your code via a voice call to a landline" — with an app, or two landlines.
    assert_eq!(check("app", "voice-landline", Numbers::Different), Allowed);
    assert_eq!(check("voice-landline", "voice-landline", Numbers::Different), Allowed);
}

#[test]
fn backup_picker_offers_exactly_what_the_rules_allow() {
    let specs_of = |kind| match kind {
        MethodKind::AuthenticatorApp => vec!["app"],
        MethodKind::Sms => vec!["sms"],
        MethodKind::Voice => vec!["voice", "voice-landline"],
    };
    for primary in MethodKind::ALL {
        let options = backup_options(primary);
        for backup in MethodKind::ALL {
            let offered: Option<&BackupOption> = options.iter().find(|o| o.kind == backup);
            for p in specs_of(primary) {
                for b in specs_of(backup) {
                    let with_different = check(p, b, Numbers::Different) == Allowed;
                    assert_eq!(with_different, offered.is_some(), "{p} → {b}");
                    if primary.uses_phone_number() && backup.uses_phone_number() {
                        let with_same = check(p, b, Numbers::Same) == Allowed;
                        assert_eq!(with_same, offered.is_some_and(|o| !o.different_number), "{p} → {b} same");
                    }
                }
            }
        }
    }
}

#[test]
fn backup_picker_uses_the_seeds_words() {
    let labels = |kind| backup_options(kind).into_iter().map(|o| o.label).collect::<Vec<_>>();
    let after_phone = [
        "Different voice-enabled phone (landline or mobile)",
        "Different SMS text-enabled phone (mobile)",
        "Authenticator app",
    ];
    assert_eq!(labels(MethodKind::Sms), after_phone);
    assert_eq!(labels(MethodKind::Voice), after_phone);
    assert_eq!(
        labels(MethodKind::AuthenticatorApp),
        ["SMS text-enabled phone (mobile)", "Voice-enabled phone (landline or mobile)"]
    );
}

#[test]
fn an_invalid_number_names_its_field_and_what_is_wrong() {
    let letters = MethodChoice::Sms(PhoneChoice::mobile("1-800-FLOWERS"));
    let national = MethodChoice::Voice(PhoneChoice::landline("020 7946 0958"));
    assert_eq!(
        validate(Some(&letters), Some(&choice("app", X))),
        Err(RuleViolation::InvalidPhoneNumber { role: Role::Primary, error: PhoneNumberError::ContainsLetters })
    );
    let err = validate(Some(&choice("app", X)), Some(&national)).unwrap_err();
    assert_eq!(
        err,
        RuleViolation::InvalidPhoneNumber { role: Role::Backup, error: PhoneNumberError::MissingCountryCode }
    );
    assert_eq!(err.role(), Role::Backup);
    assert!(err.message().starts_with("Check the phone number of your backup method. Add the country code"), "{err}");
}

#[test]
fn violation_codes_are_stable_and_are_the_wire_code() {
    let all = [
        (RuleViolation::MissingPrimary, "missing_primary"),
        (RuleViolation::MissingBackup, "missing_backup"),
        (
            RuleViolation::InvalidPhoneNumber { role: Role::Primary, error: PhoneNumberError::Empty },
            "invalid_phone_number",
        ),
        (LANDLINE_SMS_AS_BACKUP, "landline_cannot_receive_sms"),
        (RuleViolation::AuthenticatorAppAsBoth, "authenticator_app_as_both"),
        (RuleViolation::SameNumberAsBoth, "same_number_as_both"),
    ];
    for (violation, code) in all {
        assert_eq!(violation.code(), code);
        let json = serde_json::to_value(&violation).unwrap();
        assert_eq!(json["code"], code);
        assert_eq!(serde_json::from_value::<RuleViolation>(json).unwrap(), violation);
        assert!(!violation.message().is_empty());
    }
    assert_eq!(
        serde_json::to_string(&RuleViolation::InvalidPhoneNumber {
            role: Role::Backup,
            error: PhoneNumberError::TooShort { digits: 4, min: 7 }
        })
        .unwrap(),
        r#"{"code":"invalid_phone_number","role":"backup","error":{"code":"too_short","digits":4,"min":7}}"#
    );
}

fn enrolled() -> MethodPair {
    validate(Some(&choice("sms", X)), Some(&choice("app", Y))).unwrap()
}

#[test]
fn sign_in_offers_the_primary_first() {
    let prompt = enrolled().sign_in_prompt();
    assert_eq!(prompt.role, Role::Primary);
    assert_eq!(prompt.method.check().unwrap(), Method::Sms { number: PhoneNumber::from_e164("+12065550100").unwrap() });
    assert_eq!(prompt.instruction, "We sent a code by text message to +1 ••• ••• 0100.");
    assert_eq!(prompt.link, PromptLink::DidntReceiveCode);
    assert_eq!(prompt.link.label(), "Didn't receive the code?");
}

#[test]
fn didnt_receive_the_code_sends_it_to_the_backup() {
    let pair = enrolled();
    assert_eq!(pair.fallback(), &Method::AuthenticatorApp);
    let next = pair.didnt_receive_code(Role::Primary).unwrap();
    assert_eq!(next.role, Role::Backup);
    assert_eq!(next.method.check().unwrap(), Method::AuthenticatorApp);
    assert_eq!(next.instruction, "Enter the code from your authenticator app.");
    // After the backup there is no method left: the screen offers account recovery.
    assert_eq!(next.link, PromptLink::AccountRecovery);
    assert_eq!(pair.didnt_receive_code(Role::Backup), None);
}

const NOW: u64 = 1_750_000_000;

fn proof(method: &Method, seconds_ago: u64) -> AccessProof {
    AccessProof { method: method.clone(), verified_at_unix_seconds: NOW - seconds_ago }
}

fn new_pair() -> (MethodChoice, MethodChoice) {
    (choice("app", X), MethodChoice::Voice(PhoneChoice::landline("+1 425 555 0199")))
}

#[test]
fn changing_methods_needs_a_fresh_code_from_a_current_method() {
    let current = enrolled();
    let (primary, backup) = new_pair();
    let proofs = [proof(current.primary(), 30)];
    assert_eq!(
        change_access(&current, &proofs, NOW, FRESH_CODE_WINDOW_SECS),
        ChangeAccess::Allowed { via: Role::Primary }
    );
    let changed =
        change_methods(&current, &proofs, NOW, FRESH_CODE_WINDOW_SECS, Some(&primary), Some(&backup)).unwrap();
    assert_eq!(changed.primary(), &Method::AuthenticatorApp);
    assert_eq!(changed.backup().phone_number().unwrap().e164(), "+14255550199");
    assert_eq!(changed.backup().line(), Some(PhoneLine::Landline));
}

#[test]
fn a_code_from_the_backup_is_enough_to_replace_a_lost_primary() {
    let current = enrolled();
    let proofs = [proof(current.backup(), 60)];
    assert_eq!(
        change_access(&current, &proofs, NOW, FRESH_CODE_WINDOW_SECS),
        ChangeAccess::Allowed { via: Role::Backup }
    );
    let new_primary = choice("sms", "+1 425 555 0142");
    let keep_backup = MethodChoice::from(current.backup());
    let changed =
        change_methods(&current, &proofs, NOW, FRESH_CODE_WINDOW_SECS, Some(&new_primary), Some(&keep_backup)).unwrap();
    assert_eq!(changed.primary().phone_number().unwrap().e164(), "+14255550142");
    assert_eq!(changed.backup(), current.backup());
}

#[test]
fn a_code_older_than_ten_minutes_does_not_count() {
    let current = enrolled();
    assert_eq!(FRESH_CODE_WINDOW_SECS, 600);
    let just_fresh = [proof(current.primary(), 600)];
    assert!(change_access(&current, &just_fresh, NOW, FRESH_CODE_WINDOW_SECS).is_allowed());
    let stale = [proof(current.primary(), 601), proof(current.backup(), 3_600)];
    assert_eq!(change_access(&current, &stale, NOW, FRESH_CODE_WINDOW_SECS), ChangeAccess::AccountRecoveryRequired);
    // The window is a parameter: a stricter server can ask for a code from the last minute.
    assert_eq!(
        change_access(&current, &[proof(current.primary(), 61)], NOW, 60),
        ChangeAccess::AccountRecoveryRequired
    );
}

#[test]
fn without_either_method_account_recovery_is_required() {
    let current = enrolled();
    let (primary, backup) = new_pair();
    assert_eq!(change_access(&current, &[], NOW, FRESH_CODE_WINDOW_SECS), ChangeAccess::AccountRecoveryRequired);
    let err = change_methods(&current, &[], NOW, FRESH_CODE_WINDOW_SECS, Some(&primary), Some(&backup)).unwrap_err();
    assert_eq!(err, ChangeError::AccountRecoveryRequired);
    assert_eq!(err.code(), "account_recovery_required");
    assert!(err.message().contains("account recovery"), "{err}");
}

#[test]
fn without_access_no_rule_is_checked() {
    let current = enrolled();
    let both_apps = choice("app", X);
    let err =
        change_methods(&current, &[], NOW, FRESH_CODE_WINDOW_SECS, Some(&both_apps), Some(&both_apps)).unwrap_err();
    assert_eq!(err, ChangeError::AccountRecoveryRequired);
}

#[test]
fn a_code_from_a_removed_method_does_not_count() {
    let current = enrolled();
    let old_phone = Method::Voice { number: PhoneNumber::from_e164("+13605550111").unwrap(), line: PhoneLine::Mobile };
    // Voice to the primary's number is not the primary (SMS) either.
    let voice_to_primary_number =
        Method::Voice { number: current.primary().phone_number().unwrap().clone(), line: PhoneLine::Mobile };
    let proofs = [proof(&old_phone, 10), proof(&voice_to_primary_number, 10)];
    assert_eq!(change_access(&current, &proofs, NOW, FRESH_CODE_WINDOW_SECS), ChangeAccess::AccountRecoveryRequired);
}

#[test]
fn the_new_pair_is_checked_by_the_same_rules() {
    let current = enrolled();
    let proofs = [proof(current.primary(), 5)];
    let change = |primary: &MethodChoice, backup: Option<&MethodChoice>| {
        change_methods(&current, &proofs, NOW, FRESH_CODE_WINDOW_SECS, Some(primary), backup)
    };
    let refused = |v| Err(ChangeError::RuleViolation { violation: v });
    assert_eq!(change(&choice("app", X), Some(&choice("app", Y))), refused(RuleViolation::AuthenticatorAppAsBoth));
    assert_eq!(change(&choice("sms", X), Some(&choice("voice", X_AGAIN))), refused(RuleViolation::SameNumberAsBoth));
    assert_eq!(change(&choice("sms-landline", X), Some(&choice("app", Y))), refused(LANDLINE_SMS_AS_PRIMARY));
    assert_eq!(change(&choice("app", X), None), refused(RuleViolation::MissingBackup));
    let err = change(&choice("app", X), Some(&choice("app", Y))).unwrap_err();
    assert_eq!(err.code(), "rule_violation");
    assert_eq!(err.message(), RuleViolation::AuthenticatorAppAsBoth.message());
}
