//! Two-step verification methods: where codes go (an authenticator app, an SMS-enabled phone,
//! a voice-enabled phone) and the seed's rules for choosing a primary and a backup.
//!
//! Owns, as pure functions of explicit inputs (no I/O, time passed in):
//!
//! - what a method is ([`Method`], already checked) and what a form submits ([`MethodChoice`],
//!   raw text still to check), with the words screens show for each;
//! - [`phone`]: phone numbers to E.164 and their masked display;
//! - [`rules`]: the primary/backup table, [`validate`] and the typed [`RuleViolation`];
//! - [`shown`]: methods flattened for a screen, and read again when an app hands them back;
//! - [`signin`]: what the code screen offers — the primary first, the backup on
//!   "Didn't receive the code?";
//! - [`change`]: changing methods, which needs a fresh code from a current method and
//!   otherwise sends the user to account recovery.
//!
//! Does not own: sending codes, checking them, or storing the chosen pair (the server and the
//! vault do), nor trusted devices. Whether a number is a landline is an input ([`PhoneLine`]),
//! never guessed from the digits.

pub mod change;
pub mod phone;
pub mod rules;
pub mod shown;
pub mod signin;

use serde::{Deserialize, Serialize};

pub use change::{AccessProof, ChangeAccess, ChangeError, FRESH_CODE_WINDOW_SECS, change_access, change_methods};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use rules::{BackupOption, MethodPair, RuleViolation, backup_options, validate};
pub use shown::{ShownMethod, ShownNumber, ShownPair, ShownPairError};
pub use signin::{CodePrompt, PromptLink};

/// Which of the two methods: the one codes go to first, or the one "Didn't receive the code?"
/// switches to.
/// Ordered primary first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Role {
    Primary,
    Backup,
}

impl Role {
    /// `"primary"` or `"backup"`: the wire spelling and the field name for errors.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Backup => "backup",
        }
    }

    /// The other role of the pair.
    pub fn other(self) -> Role {
        match self {
            Role::Primary => Role::Backup,
            Role::Backup => Role::Primary,
        }
    }
}

/// The three kinds of method of the seed's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MethodKind {
    AuthenticatorApp,
    /// An SMS text-enabled phone: a mobile.
    Sms,
    /// A voice-enabled phone: a landline or a mobile.
    Voice,
}

impl MethodKind {
    pub const ALL: [MethodKind; 3] = [MethodKind::AuthenticatorApp, MethodKind::Sms, MethodKind::Voice];

    /// The seed's name for the kind, for a method picker.
    pub fn label(self) -> &'static str {
        match self {
            MethodKind::AuthenticatorApp => "Authenticator app",
            MethodKind::Sms => "SMS text-enabled phone (mobile)",
            MethodKind::Voice => "Voice-enabled phone (landline or mobile)",
        }
    }

    /// Whether the method is reached through a phone number.
    pub fn uses_phone_number(self) -> bool {
        !matches!(self, MethodKind::AuthenticatorApp)
    }
}

/// What kind of line a number is. The user (or a carrier lookup on the server) says so: the
/// digits alone cannot tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PhoneLine {
    /// Receives texts and calls.
    Mobile,
    /// Receives calls only.
    Landline,
}

/// A checked method: where codes go. Every value is a method the seed allows on its own (an
/// SMS method is always a mobile); whether two of them make a valid pair is [`MethodPair`]'s
/// question.
///
/// On the wire: `{"kind":"authenticator_app"}`, `{"kind":"sms","number":"+12065550100"}`,
/// `{"kind":"voice","number":"+442079460958","line":"landline"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Method {
    /// Codes from an authenticator app (this app or another).
    AuthenticatorApp,
    /// Codes by text message to a mobile number.
    Sms { number: PhoneNumber },
    /// Codes by voice call to a landline or mobile number.
    Voice { number: PhoneNumber, line: PhoneLine },
}

impl Method {
    pub fn kind(&self) -> MethodKind {
        match self {
            Method::AuthenticatorApp => MethodKind::AuthenticatorApp,
            Method::Sms { .. } => MethodKind::Sms,
            Method::Voice { .. } => MethodKind::Voice,
        }
    }

    /// The number codes are sent to, for SMS and voice.
    pub fn phone_number(&self) -> Option<&PhoneNumber> {
        match self {
            Method::AuthenticatorApp => None,
            Method::Sms { number } | Method::Voice { number, .. } => Some(number),
        }
    }

    /// The line the number is on: always mobile for SMS.
    pub fn line(&self) -> Option<PhoneLine> {
        match self {
            Method::AuthenticatorApp => None,
            Method::Sms { .. } => Some(PhoneLine::Mobile),
            Method::Voice { line, .. } => Some(*line),
        }
    }

    /// Whether a code from `self` is a code from `other`: both the authenticator app, or the
    /// same kind to the same number. (The line a voice number is said to be on does not
    /// matter: it is the same phone.)
    pub fn same_destination(&self, other: &Method) -> bool {
        match (self, other) {
            (Method::AuthenticatorApp, Method::AuthenticatorApp) => true,
            (Method::Sms { number: a }, Method::Sms { number: b }) => a == b,
            (Method::Voice { number: a, .. }, Method::Voice { number: b, .. }) => a == b,
            _ => false,
        }
    }

    /// The method as sign-in and settings screens name it, number masked: kind and
    /// `"Authenticator app"` or `"•••• 0100"`. The server sends this for every method it
    /// names, so the apps never see a full number.
    pub fn summary(&self) -> crate::protocol::MethodSummary {
        let label = match self {
            Method::AuthenticatorApp => MethodKind::AuthenticatorApp.label().to_owned(),
            Method::Sms { number } | Method::Voice { number, .. } => number.masked_short(),
        };
        crate::protocol::MethodSummary { kind: self.kind(), label }
    }

    /// The method in a few words for a settings screen, with the number masked:
    /// `"Authenticator app"`, `"Text message to +1 ••• ••• 0100"`,
    /// `"Voice call to +44 ••• ••• 0958 (landline)"`.
    pub fn description(&self) -> String {
        match self {
            Method::AuthenticatorApp => "Authenticator app".to_owned(),
            Method::Sms { number } => format!("Text message to {}", number.masked()),
            Method::Voice { number, line: PhoneLine::Mobile } => format!("Voice call to {}", number.masked()),
            Method::Voice { number, line: PhoneLine::Landline } => {
                format!("Voice call to {} (landline)", number.masked())
            }
        }
    }
}

/// A phone as a form submits it: the number as typed, the country picked beside it, and the
/// kind of line the user says it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PhoneChoice {
    /// The number as typed; see [`PhoneNumber::parse`] for what is accepted.
    pub number: String,
    /// The country calling code (`"1"`, `"44"`) that completes a national number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub default_calling_code: Option<String>,
    pub line: PhoneLine,
}

impl PhoneChoice {
    /// A mobile number, as typed, without a default calling code.
    pub fn mobile(number: impl Into<String>) -> Self {
        Self { number: number.into(), default_calling_code: None, line: PhoneLine::Mobile }
    }

    /// A landline number, as typed, without a default calling code.
    pub fn landline(number: impl Into<String>) -> Self {
        Self { number: number.into(), default_calling_code: None, line: PhoneLine::Landline }
    }

    /// The same choice with the country calling code picked beside the number.
    pub fn with_default_calling_code(mut self, code: impl Into<String>) -> Self {
        self.default_calling_code = Some(code.into());
        self
    }
}

/// A method as chosen on a form or received from a client, not yet checked: the number is
/// still text and an SMS method may still name a landline. [`validate`] turns two of these
/// into a [`MethodPair`] or names the rule they break.
///
/// On the wire: `{"kind":"sms","number":"(206) 555-0100","default_calling_code":"1",
/// "line":"mobile"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MethodChoice {
    AuthenticatorApp,
    Sms(#[cfg_attr(feature = "uniffi", uniffi(name = "phone"))] PhoneChoice),
    Voice(#[cfg_attr(feature = "uniffi", uniffi(name = "phone"))] PhoneChoice),
}

impl MethodChoice {
    pub fn kind(&self) -> MethodKind {
        match self {
            MethodChoice::AuthenticatorApp => MethodKind::AuthenticatorApp,
            MethodChoice::Sms(_) => MethodKind::Sms,
            MethodChoice::Voice(_) => MethodKind::Voice,
        }
    }

    /// Checks this choice on its own, as the method for `role`: the number must parse and an
    /// SMS method must be a mobile. `role` only labels the error.
    pub fn resolve(&self, role: Role) -> Result<Method, RuleViolation> {
        let parse = |phone: &PhoneChoice| {
            PhoneNumber::parse(&phone.number, phone.default_calling_code.as_deref())
                .map_err(|error| RuleViolation::InvalidPhoneNumber { role, error })
        };
        match self {
            MethodChoice::AuthenticatorApp => Ok(Method::AuthenticatorApp),
            MethodChoice::Sms(phone) => {
                let number = parse(phone)?;
                match phone.line {
                    PhoneLine::Mobile => Ok(Method::Sms { number }),
                    PhoneLine::Landline => Err(RuleViolation::LandlineCannotReceiveSms { role }),
                }
            }
            MethodChoice::Voice(phone) => Ok(Method::Voice { number: parse(phone)?, line: phone.line }),
        }
    }
}

/// The choice that resolves back to `method`: lets a change keep one current method as it is.
impl From<&Method> for MethodChoice {
    fn from(method: &Method) -> Self {
        let phone = |number: &PhoneNumber, line| PhoneChoice {
            number: number.e164().to_owned(),
            default_calling_code: None,
            line,
        };
        match method {
            Method::AuthenticatorApp => MethodChoice::AuthenticatorApp,
            Method::Sms { number } => MethodChoice::Sms(phone(number, PhoneLine::Mobile)),
            Method::Voice { number, line } => MethodChoice::Voice(phone(number, *line)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(e164: &str) -> PhoneNumber {
        PhoneNumber::from_e164(e164).unwrap()
    }

    #[test]
    fn an_sms_choice_on_a_landline_is_refused() {
        let choice = MethodChoice::Sms(PhoneChoice::landline("+1 206 555 0100"));
        assert_eq!(choice.resolve(Role::Backup), Err(RuleViolation::LandlineCannotReceiveSms { role: Role::Backup }));
    }

    #[test]
    fn a_voice_choice_keeps_its_line() {
        let choice = MethodChoice::Voice(PhoneChoice::landline("020 7946 0958").with_default_calling_code("44"));
        assert_eq!(
            choice.resolve(Role::Primary),
            Ok(Method::Voice { number: number("+442079460958"), line: PhoneLine::Landline })
        );
    }

    #[test]
    fn a_bad_number_names_its_role() {
        let choice = MethodChoice::Voice(PhoneChoice::mobile("206 555 0100"));
        assert_eq!(
            choice.resolve(Role::Backup),
            Err(RuleViolation::InvalidPhoneNumber { role: Role::Backup, error: PhoneNumberError::MissingCountryCode })
        );
    }

    #[test]
    fn a_method_turned_back_into_a_choice_resolves_to_itself() {
        let methods = [
            Method::AuthenticatorApp,
            Method::Sms { number: number("+12065550100") },
            Method::Voice { number: number("+442079460958"), line: PhoneLine::Landline },
            Method::Voice { number: number("+12065550100"), line: PhoneLine::Mobile },
        ];
        for method in methods {
            assert_eq!(MethodChoice::from(&method).resolve(Role::Primary), Ok(method));
        }
    }

    #[test]
    fn same_destination_compares_kind_and_number() {
        let sms = Method::Sms { number: number("+12065550100") };
        let voice_same = Method::Voice { number: number("+12065550100"), line: PhoneLine::Mobile };
        let voice_landline = Method::Voice { number: number("+12065550100"), line: PhoneLine::Landline };
        assert!(sms.same_destination(&sms.clone()));
        assert!(!sms.same_destination(&voice_same));
        assert!(voice_same.same_destination(&voice_landline));
        assert!(Method::AuthenticatorApp.same_destination(&Method::AuthenticatorApp));
        assert!(!Method::AuthenticatorApp.same_destination(&sms));
    }

    #[test]
    fn descriptions_mask_the_number() {
        assert_eq!(Method::AuthenticatorApp.description(), "Authenticator app");
        assert_eq!(Method::Sms { number: number("+12065550100") }.description(), "Text message to +1 ••• ••• 0100");
        assert_eq!(
            Method::Voice { number: number("+442079460958"), line: PhoneLine::Landline }.description(),
            "Voice call to +44 ••• ••• 0958 (landline)"
        );
    }

    #[test]
    fn wire_forms_of_methods_and_choices() {
        let voice = Method::Voice { number: number("+442079460958"), line: PhoneLine::Landline };
        assert_eq!(
            serde_json::to_string(&voice).unwrap(),
            r#"{"kind":"voice","number":"+442079460958","line":"landline"}"#
        );
        assert_eq!(
            serde_json::to_string(&Method::Sms { number: number("+12065550100") }).unwrap(),
            r#"{"kind":"sms","number":"+12065550100"}"#
        );
        assert_eq!(serde_json::to_string(&Method::AuthenticatorApp).unwrap(), r#"{"kind":"authenticator_app"}"#);
        assert!(serde_json::from_str::<Method>(r#"{"kind":"sms","number":"206 555 0100"}"#).is_err());

        let choice = MethodChoice::Sms(PhoneChoice::mobile("(206) 555-0100").with_default_calling_code("1"));
        let json = r#"{"kind":"sms","number":"(206) 555-0100","default_calling_code":"1","line":"mobile"}"#;
        assert_eq!(serde_json::to_string(&choice).unwrap(), json);
        assert_eq!(serde_json::from_str::<MethodChoice>(json).unwrap(), choice);
        assert_eq!(
            serde_json::from_str::<MethodChoice>(r#"{"kind":"voice","number":"+1 206 555 0100","line":"landline"}"#)
                .unwrap(),
            MethodChoice::Voice(PhoneChoice::landline("+1 206 555 0100"))
        );
    }
}
