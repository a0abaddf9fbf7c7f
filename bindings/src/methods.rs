//! Two-step verification methods as the apps see them: the records a method form fills in
//! ([`MethodChoice`], [`PhoneChoice`]), the checked pair ([`MethodPair`] of
//! [`VerificationMethod`]s), phone numbers with their masked forms, the backup picker and the
//! code screen's words.
//!
//! Owns converting between these records and core's `methods` types. Every rule (the
//! primary/backup table, E.164 parsing, masking, the wording of labels and prompts) is core's
//! (`twostep_core::methods`); a broken rule arrives as `TwostepError.RuleViolation` with the
//! rule's stable code and its words.

use twostep_core::methods as core;
use twostep_core::protocol::MethodSummary as CoreMethodSummary;

use crate::error::TwostepError;

/// Which of the two methods: the one codes go to first, or the one "Didn't receive the
/// code?" switches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Role {
    Primary,
    Backup,
}

/// The three kinds of method of the help page's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum MethodKind {
    AuthenticatorApp,
    /// An SMS text-enabled phone: a mobile.
    Sms,
    /// A voice-enabled phone: a landline or a mobile.
    Voice,
}

/// What kind of line a number is, as the user says (the digits cannot tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum PhoneLine {
    /// Receives texts and calls.
    Mobile,
    /// Receives calls only.
    Landline,
}

/// A phone as a form submits it: the number as typed, the kind of line, and the country
/// calling code picked beside the field (`"1"`, `"44"`) that completes a national number.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhoneChoice {
    pub number: String,
    pub line: PhoneLine,
    #[uniffi(default = None)]
    pub default_calling_code: Option<String>,
}

/// A method as chosen on a form, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum MethodChoice {
    AuthenticatorApp,
    Sms { phone: PhoneChoice },
    Voice { phone: PhoneChoice },
}

/// A checked telephone number.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhoneNumber {
    /// E.164, e.g. `"+12065550100"`: to store, compare and send back.
    pub e164: String,
    /// Without `+`, e.g. `"1"`.
    pub calling_code: String,
    /// The digits after the calling code.
    pub national_number: String,
    /// What a screen shows, e.g. `"+1 ••• ••• 0100"`.
    pub masked: String,
    /// For tight spaces, e.g. `"•••• 0100"`.
    pub masked_short: String,
}

/// A checked method: where codes go.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerificationMethod {
    pub kind: MethodKind,
    /// Present for SMS and voice.
    pub number: Option<PhoneNumber>,
    /// Present for SMS (always mobile) and voice.
    pub line: Option<PhoneLine>,
    /// The method in a few words, number masked: `"Text message to +1 ••• ••• 0100"`.
    pub description: String,
}

/// A primary and a backup that together follow every rule of the method table.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MethodPair {
    pub primary: VerificationMethod,
    pub backup: VerificationMethod,
}

/// One line of the backup picker.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupOption {
    pub kind: MethodKind,
    /// The help page's "Different …": the backup's number may not be the primary's.
    pub different_number: bool,
    /// The help page's words, e.g. `"Different voice-enabled phone (landline or mobile)"`.
    pub label: String,
}

/// The link under the code field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum PromptLink {
    /// On the primary's screen: send the code to the backup instead.
    DidntReceiveCode,
    /// On the backup's screen: account recovery is the way in.
    AccountRecovery,
}

/// One state of a code screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CodePrompt {
    pub role: Role,
    pub method: VerificationMethod,
    /// e.g. `"We sent a code by text message to +1 ••• ••• 0100."`
    pub instruction: String,
    pub link: PromptLink,
    /// e.g. `"Didn't receive the code?"`
    pub link_label: String,
}

/// A method as the sign-in screen shows it, never with the full number.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MethodSummary {
    pub kind: MethodKind,
    /// `"Authenticator app"` or a masked number such as `"•••• 0100"`.
    pub label: String,
}

/// Checks a primary and a backup as chosen on a form (`null` for one not chosen yet) and
/// returns them normalised (numbers in E.164), or the first rule they break, in form order,
/// as `RuleViolation` with the rule's code and words.
#[uniffi::export]
pub fn validate_methods(
    primary: Option<MethodChoice>,
    backup: Option<MethodChoice>,
) -> Result<MethodPair, TwostepError> {
    let primary = primary.map(core::MethodChoice::from);
    let backup = backup.map(core::MethodChoice::from);
    Ok(core::validate(primary.as_ref(), backup.as_ref())?.into())
}

/// The backups the help page allows for a primary of kind `primary`, in its order and words.
#[uniffi::export]
pub fn backup_options(primary: MethodKind) -> Vec<BackupOption> {
    core::backup_options(primary.into()).iter().map(BackupOption::from).collect()
}

/// The help page's name of a kind of method, for the primary picker
/// (`"SMS text-enabled phone (mobile)"`).
#[uniffi::export]
pub fn method_kind_label(kind: MethodKind) -> String {
    core::MethodKind::from(kind).label().to_owned()
}

/// Reads a phone number as a person types it; `default_calling_code` (`"1"`, `"+44"`)
/// completes a national number. A refusal is `InvalidInput` on `phone_number` with words that
/// say what to fix (never the number).
#[uniffi::export(default(default_calling_code = None))]
pub fn parse_phone_number(input: String, default_calling_code: Option<String>) -> Result<PhoneNumber, TwostepError> {
    Ok(core::PhoneNumber::parse(&input, default_calling_code.as_deref())?.into())
}

/// The code screen for `role`'s method of `pair`: the primary's first, with "Didn't receive
/// the code?"; the backup's with account recovery.
#[uniffi::export]
pub fn code_prompt(pair: MethodPair, role: Role) -> Result<CodePrompt, TwostepError> {
    Ok(core::MethodPair::try_from(&pair)?.prompt(role.into()).into())
}

/// The screen after "Didn't receive the code?" on `current`'s screen: the backup's, or
/// nothing on the backup's own screen (account recovery is the way out there).
#[uniffi::export]
pub fn didnt_receive_code(pair: MethodPair, current: Role) -> Result<Option<CodePrompt>, TwostepError> {
    Ok(core::MethodPair::try_from(&pair)?.didnt_receive_code(current.into()).map(CodePrompt::from))
}

impl From<core::Role> for Role {
    fn from(r: core::Role) -> Self {
        match r {
            core::Role::Primary => Role::Primary,
            core::Role::Backup => Role::Backup,
        }
    }
}

impl From<Role> for core::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Primary => core::Role::Primary,
            Role::Backup => core::Role::Backup,
        }
    }
}

impl From<core::MethodKind> for MethodKind {
    fn from(k: core::MethodKind) -> Self {
        match k {
            core::MethodKind::AuthenticatorApp => MethodKind::AuthenticatorApp,
            core::MethodKind::Sms => MethodKind::Sms,
            core::MethodKind::Voice => MethodKind::Voice,
        }
    }
}

impl From<MethodKind> for core::MethodKind {
    fn from(k: MethodKind) -> Self {
        match k {
            MethodKind::AuthenticatorApp => core::MethodKind::AuthenticatorApp,
            MethodKind::Sms => core::MethodKind::Sms,
            MethodKind::Voice => core::MethodKind::Voice,
        }
    }
}

impl From<core::PhoneLine> for PhoneLine {
    fn from(l: core::PhoneLine) -> Self {
        match l {
            core::PhoneLine::Mobile => PhoneLine::Mobile,
            core::PhoneLine::Landline => PhoneLine::Landline,
        }
    }
}

impl From<PhoneLine> for core::PhoneLine {
    fn from(l: PhoneLine) -> Self {
        match l {
            PhoneLine::Mobile => core::PhoneLine::Mobile,
            PhoneLine::Landline => core::PhoneLine::Landline,
        }
    }
}

impl From<PhoneChoice> for core::PhoneChoice {
    fn from(p: PhoneChoice) -> Self {
        core::PhoneChoice { number: p.number, default_calling_code: p.default_calling_code, line: p.line.into() }
    }
}

impl From<MethodChoice> for core::MethodChoice {
    fn from(c: MethodChoice) -> Self {
        match c {
            MethodChoice::AuthenticatorApp => core::MethodChoice::AuthenticatorApp,
            MethodChoice::Sms { phone } => core::MethodChoice::Sms(phone.into()),
            MethodChoice::Voice { phone } => core::MethodChoice::Voice(phone.into()),
        }
    }
}

impl From<&core::PhoneNumber> for PhoneNumber {
    fn from(n: &core::PhoneNumber) -> Self {
        PhoneNumber {
            e164: n.e164().to_owned(),
            calling_code: n.calling_code().to_owned(),
            national_number: n.national_number().to_owned(),
            masked: n.masked(),
            masked_short: n.masked_short(),
        }
    }
}

impl From<core::PhoneNumber> for PhoneNumber {
    fn from(n: core::PhoneNumber) -> Self {
        PhoneNumber::from(&n)
    }
}

impl From<&core::Method> for VerificationMethod {
    fn from(m: &core::Method) -> Self {
        VerificationMethod {
            kind: m.kind().into(),
            number: m.phone_number().map(PhoneNumber::from),
            line: m.line().map(PhoneLine::from),
            description: m.description(),
        }
    }
}

/// A method record handed back by the app: its number is read again (E.164 only) and an SMS
/// method is a mobile by definition, so nothing the app edits can skip a check.
impl TryFrom<&VerificationMethod> for core::Method {
    type Error = TwostepError;

    fn try_from(m: &VerificationMethod) -> Result<Self, TwostepError> {
        let number = || {
            let n = m.number.as_ref().ok_or_else(|| TwostepError::InvalidInput {
                field: "number".to_owned(),
                reason: "is missing".to_owned(),
            })?;
            Ok::<_, TwostepError>(core::PhoneNumber::from_e164(&n.e164)?)
        };
        Ok(match m.kind {
            MethodKind::AuthenticatorApp => core::Method::AuthenticatorApp,
            MethodKind::Sms => core::Method::Sms { number: number()? },
            MethodKind::Voice => core::Method::Voice {
                number: number()?,
                line: m
                    .line
                    .ok_or_else(|| TwostepError::InvalidInput {
                        field: "line".to_owned(),
                        reason: "is missing".to_owned(),
                    })?
                    .into(),
            },
        })
    }
}

impl From<core::MethodPair> for MethodPair {
    fn from(p: core::MethodPair) -> Self {
        MethodPair { primary: p.primary().into(), backup: p.backup().into() }
    }
}

/// A pair handed back by the app is checked again by core's rules.
impl TryFrom<&MethodPair> for core::MethodPair {
    type Error = TwostepError;

    fn try_from(p: &MethodPair) -> Result<Self, TwostepError> {
        Ok(core::MethodPair::new((&p.primary).try_into()?, (&p.backup).try_into()?)?)
    }
}

impl From<&core::BackupOption> for BackupOption {
    fn from(o: &core::BackupOption) -> Self {
        BackupOption { kind: o.kind.into(), different_number: o.different_number, label: o.label().to_owned() }
    }
}

impl From<core::PromptLink> for PromptLink {
    fn from(l: core::PromptLink) -> Self {
        match l {
            core::PromptLink::DidntReceiveCode => PromptLink::DidntReceiveCode,
            core::PromptLink::AccountRecovery => PromptLink::AccountRecovery,
        }
    }
}

impl From<core::CodePrompt> for CodePrompt {
    fn from(p: core::CodePrompt) -> Self {
        CodePrompt {
            role: p.role.into(),
            method: (&p.method).into(),
            instruction: p.instruction,
            link: p.link.into(),
            link_label: p.link.label().to_owned(),
        }
    }
}

impl From<CoreMethodSummary> for MethodSummary {
    fn from(s: CoreMethodSummary) -> Self {
        MethodSummary { kind: s.kind.into(), label: s.label }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(number: &str) -> MethodChoice {
        MethodChoice::Sms {
            phone: PhoneChoice { number: number.into(), line: PhoneLine::Mobile, default_calling_code: None },
        }
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
