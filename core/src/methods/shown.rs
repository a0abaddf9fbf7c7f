//! Methods as a screen shows them and a form hands them back: flat records whose every field
//! is ready to display ([`ShownMethod`], [`ShownNumber`], [`ShownPair`]), so no shell masks a
//! number or words a method itself.
//!
//! Owns the two directions: a checked [`Method`] flattened for a screen, and a flat record
//! handed back read again — its number parsed anew from E.164 and the pair put through the
//! rules once more ([`ShownPair::check`]), so nothing an app edits can skip a check. The rules
//! themselves are [`rules`](super::rules)'; the words [`Method::description`]'s and
//! [`PhoneNumber::masked`]'s.

use super::{Method, MethodKind, MethodPair, PhoneLine, PhoneNumber, RuleViolation};
use crate::otp::InvalidParam;

/// A checked telephone number with its shown forms.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "PhoneNumber"))]
pub struct ShownNumber {
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

impl From<&PhoneNumber> for ShownNumber {
    fn from(n: &PhoneNumber) -> Self {
        ShownNumber {
            e164: n.e164().to_owned(),
            calling_code: n.calling_code().to_owned(),
            national_number: n.national_number().to_owned(),
            masked: n.masked(),
            masked_short: n.masked_short(),
        }
    }
}

/// A checked method: where codes go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "VerificationMethod"))]
pub struct ShownMethod {
    pub kind: MethodKind,
    /// Present for SMS and voice.
    pub number: Option<ShownNumber>,
    /// Present for SMS (always mobile) and voice.
    pub line: Option<PhoneLine>,
    /// The method in a few words, number masked: `"Text message to +1 ••• ••• 0100"`.
    pub description: String,
}

impl From<&Method> for ShownMethod {
    fn from(m: &Method) -> Self {
        ShownMethod {
            kind: m.kind(),
            number: m.phone_number().map(ShownNumber::from),
            line: m.line(),
            description: m.description(),
        }
    }
}

impl ShownMethod {
    /// The method again, from what an app handed back: the number is read again (E.164
    /// only) and an SMS method is a mobile by definition. A missing part names its field.
    pub fn check(&self) -> Result<Method, InvalidParam> {
        let number = || {
            let n = self.number.as_ref().ok_or_else(|| InvalidParam::new("number", "is missing"))?;
            PhoneNumber::from_e164(&n.e164).map_err(|e| InvalidParam::new("number", e.message()))
        };
        Ok(match self.kind {
            MethodKind::AuthenticatorApp => Method::AuthenticatorApp,
            MethodKind::Sms => Method::Sms { number: number()? },
            MethodKind::Voice => Method::Voice {
                number: number()?,
                line: self.line.ok_or_else(|| InvalidParam::new("line", "is missing"))?,
            },
        })
    }
}

/// A primary and a backup that together follow every rule of the method table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "MethodPair"))]
pub struct ShownPair {
    pub primary: ShownMethod,
    pub backup: ShownMethod,
}

impl From<&MethodPair> for ShownPair {
    fn from(p: &MethodPair) -> Self {
        ShownPair { primary: p.primary().into(), backup: p.backup().into() }
    }
}

/// Why a pair handed back is not a pair: a part is missing or unreadable, or the two break a
/// rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShownPairError {
    #[error(transparent)]
    Invalid(#[from] InvalidParam),
    #[error(transparent)]
    Rule(#[from] RuleViolation),
}

impl ShownPair {
    /// The pair again, each method read again and the two put through the rules once more.
    pub fn check(&self) -> Result<MethodPair, ShownPairError> {
        Ok(MethodPair::new(self.primary.check()?, self.backup.check()?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::{MethodChoice, PhoneChoice, validate};

    #[test]
    fn a_pair_handed_back_is_checked_again() {
        let pair = validate(
            Some(&MethodChoice::Sms(PhoneChoice::mobile("+1 206 555 0100"))),
            Some(&MethodChoice::Sms(PhoneChoice::mobile("+1 206 555 0199"))),
        )
        .unwrap();
        let mut shown = ShownPair::from(&pair);
        assert_eq!(shown.check().unwrap(), pair);
        assert_eq!(shown.primary.number.as_ref().unwrap().masked, "+1 ••• ••• 0100");
        shown.backup.number = shown.primary.number.clone();
        assert_eq!(shown.check(), Err(ShownPairError::Rule(RuleViolation::SameNumberAsBoth)));
        shown.backup.number = None;
        assert!(matches!(shown.check(), Err(ShownPairError::Invalid(ref e)) if e.field == "number"));
    }
}
