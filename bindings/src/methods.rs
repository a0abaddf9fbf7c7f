//! The free functions of two-step verification methods: checking a chosen pair, the backup
//! picker, phone numbers and the code screen's words.
//!
//! The records are core's own (`twostep_core::methods`: `MethodChoice`, `PhoneChoice`, and
//! the shown forms `VerificationMethod`, `PhoneNumber`, `MethodPair` of `methods::shown`).
//! Every rule is core's; a broken one arrives as `TwostepError.RuleViolation` with the rule's
//! stable code and its words.

use twostep_core::methods::{
    self as core, BackupOption, CodePrompt, MethodChoice, MethodKind, Role, ShownNumber, ShownPair,
};

use crate::error::TwostepError;

/// Checks a primary and a backup as chosen on a form (`null` for one not chosen yet) and
/// returns them normalised (numbers in E.164), or the first rule they break, in form order,
/// as `RuleViolation` with the rule's code and words.
#[uniffi::export]
pub fn validate_methods(
    primary: Option<MethodChoice>,
    backup: Option<MethodChoice>,
) -> Result<ShownPair, TwostepError> {
    Ok((&core::validate(primary.as_ref(), backup.as_ref())?).into())
}

/// The backups the help page allows for a primary of kind `primary`, in its order and words.
#[uniffi::export]
pub fn backup_options(primary: MethodKind) -> Vec<BackupOption> {
    core::backup_options(primary)
}

/// The help page's name of a kind of method, for the primary picker
/// (`"SMS text-enabled phone (mobile)"`).
#[uniffi::export]
pub fn method_kind_label(kind: MethodKind) -> String {
    kind.label().to_owned()
}

/// Reads a phone number as a person types it; `default_calling_code` (`"1"`, `"+44"`)
/// completes a national number. A refusal is `InvalidInput` on `phone_number` with words that
/// say what to fix (never the number).
#[uniffi::export(default(default_calling_code = None))]
pub fn parse_phone_number(input: String, default_calling_code: Option<String>) -> Result<ShownNumber, TwostepError> {
    Ok((&core::PhoneNumber::parse(&input, default_calling_code.as_deref())?).into())
}

/// The code screen for `role`'s method of `pair` (checked again): the primary's first, with
/// "Didn't receive the code?"; the backup's with account recovery.
#[uniffi::export]
pub fn code_prompt(pair: ShownPair, role: Role) -> Result<CodePrompt, TwostepError> {
    Ok(pair.check()?.prompt(role))
}

/// The screen after "Didn't receive the code?" on `current`'s screen: the backup's, or
/// nothing on the backup's own screen (account recovery is the way out there).
#[uniffi::export]
pub fn didnt_receive_code(pair: ShownPair, current: Role) -> Result<Option<CodePrompt>, TwostepError> {
    Ok(pair.check()?.didnt_receive_code(current))
}

#[cfg(test)]
mod tests {
    use twostep_core::methods::{PhoneChoice, PhoneLine, PromptLink};

    use super::*;

    fn sms(number: &str) -> MethodChoice {
        MethodChoice::Sms(PhoneChoice::mobile(number))
    }

    #[test]
    fn a_broken_rule_keeps_its_code_and_words() {
        let e =
            validate_methods(Some(MethodChoice::AuthenticatorApp), Some(MethodChoice::AuthenticatorApp)).unwrap_err();
        assert_eq!(
            e,
            TwostepError::RuleViolation {
                rule: "authenticator_app_as_both".into(),
                reason: "You cannot use an authenticator app as both your primary and backup method.".into(),
            }
        );
    }

    #[test]
    fn a_valid_pair_comes_back_normalised_and_masked() {
        let pair = validate_methods(Some(sms("(206) 555-0100")), Some(MethodChoice::AuthenticatorApp));
        assert!(matches!(pair, Err(TwostepError::RuleViolation { ref rule, .. }) if rule == "invalid_phone_number"));
        let pair = validate_methods(Some(sms("+1 (206) 555-0100")), Some(MethodChoice::AuthenticatorApp)).unwrap();
        let number = pair.primary.number.as_ref().unwrap();
        assert_eq!((number.e164.as_str(), number.masked.as_str()), ("+12065550100", "+1 ••• ••• 0100"));
        assert_eq!(pair.primary.line, Some(PhoneLine::Mobile));
        assert_eq!(pair.backup.description, "Authenticator app");
    }

    #[test]
    fn a_pair_handed_back_is_checked_again() {
        let mut pair = validate_methods(Some(sms("+1 206 555 0100")), Some(sms("+1 206 555 0199"))).unwrap();
        assert_eq!(code_prompt(pair.clone(), Role::Backup).unwrap().link, PromptLink::AccountRecovery);
        pair.backup.number = pair.primary.number.clone();
        let e = code_prompt(pair, Role::Primary).unwrap_err();
        assert!(matches!(e, TwostepError::RuleViolation { ref rule, .. } if rule == "same_number_as_both"), "{e:?}");
    }
}
