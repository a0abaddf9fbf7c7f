//! The seed's primary/backup table, decided here once: which backups each primary allows
//! ([`backup_options`], for the picker), whether a chosen pair is allowed ([`validate`],
//! [`MethodPair::new`]), and why not ([`RuleViolation`], with words and a wire code).
//!
//! The table (seller help page "Two-Step Verification"):
//!
//! | primary | allowed backup |
//! |---|---|
//! | SMS phone | voice phone (different number), SMS phone (different number), authenticator app |
//! | voice phone | voice phone (different number), SMS phone (different number), authenticator app |
//! | authenticator app | SMS phone, voice phone |
//!
//! It comes down to five rules, each a [`RuleViolation`]: both methods are needed; an
//! authenticator app is never both; the same number (compared in E.164) is never both; a
//! landline takes voice only; a number must be a number. `core/tests/method_rules.rs` checks
//! every cell of the table against them.
//!
//! Owns the decision. Does not own parsing numbers ([`super::phone`]) or the change flow
//! ([`super::change`], which reuses these rules).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Method, MethodChoice, MethodKind, PhoneNumberError, Role};

/// Why a primary/backup choice is refused: one variant per rule of the seed.
///
/// [`message`](Self::message) is what a screen shows (also the `Display`),
/// [`code`](Self::code) the stable name on the wire (the JSON `code` field),
/// [`role`](Self::role) the field to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RuleViolation {
    /// No primary method chosen.
    MissingPrimary,
    /// No backup method chosen: enabling needs both.
    MissingBackup,
    /// A phone number that does not read as a phone number.
    InvalidPhoneNumber { role: Role, error: PhoneNumberError },
    /// An SMS method on a line the user says is a landline.
    LandlineCannotReceiveSms { role: Role },
    /// The authenticator app chosen as primary and as backup.
    AuthenticatorAppAsBoth,
    /// One telephone number (after normalisation) as primary and as backup, by SMS or voice.
    SameNumberAsBoth,
}

impl RuleViolation {
    /// A stable snake_case name, the same as the serialised `code`.
    pub fn code(&self) -> &'static str {
        match self {
            RuleViolation::MissingPrimary => "missing_primary",
            RuleViolation::MissingBackup => "missing_backup",
            RuleViolation::InvalidPhoneNumber { .. } => "invalid_phone_number",
            RuleViolation::LandlineCannotReceiveSms { .. } => "landline_cannot_receive_sms",
            RuleViolation::AuthenticatorAppAsBoth => "authenticator_app_as_both",
            RuleViolation::SameNumberAsBoth => "same_number_as_both",
        }
    }

    /// Words a screen can show.
    pub fn message(&self) -> String {
        match self {
            RuleViolation::MissingPrimary => "Choose a primary method for receiving your codes.".to_owned(),
            RuleViolation::MissingBackup => "Choose a backup method: two-step verification needs a primary and a \
                                             backup method for receiving your codes."
                .to_owned(),
            RuleViolation::InvalidPhoneNumber { role, error } => {
                format!("Check the phone number of your {} method. {}", role.as_str(), error.message())
            }
            RuleViolation::LandlineCannotReceiveSms { .. } => "A landline cannot receive text messages. Choose a \
                                                               voice call for this number, or use a mobile number."
                .to_owned(),
            RuleViolation::AuthenticatorAppAsBoth => {
                "You cannot use an authenticator app as both your primary and backup method.".to_owned()
            }
            RuleViolation::SameNumberAsBoth => {
                "You cannot use the same telephone number for both your primary and backup method.".to_owned()
            }
        }
    }

    /// The method the user has to change. Rules about the pair point at the backup: the table
    /// says which backups a primary allows.
    pub fn role(&self) -> Role {
        match self {
            RuleViolation::MissingPrimary => Role::Primary,
            RuleViolation::InvalidPhoneNumber { role, .. } | RuleViolation::LandlineCannotReceiveSms { role } => *role,
            RuleViolation::MissingBackup | RuleViolation::AuthenticatorAppAsBoth | RuleViolation::SameNumberAsBoth => {
                Role::Backup
            }
        }
    }
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for RuleViolation {}

/// A primary and a backup that together follow every rule: the only way to hold one is
/// through [`validate`], [`MethodPair::new`] or reading one from the wire, which checks again.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "UncheckedPair")]
pub struct MethodPair {
    primary: Method,
    backup: Method,
}

#[derive(Deserialize)]
struct UncheckedPair {
    primary: Method,
    backup: Method,
}

impl TryFrom<UncheckedPair> for MethodPair {
    type Error = RuleViolation;

    fn try_from(pair: UncheckedPair) -> Result<Self, Self::Error> {
        MethodPair::new(pair.primary, pair.backup)
    }
}

impl MethodPair {
    /// Checks the rules about two methods together: an authenticator app is never both, and
    /// the same number is never both (whatever the kinds, SMS or voice).
    pub fn new(primary: Method, backup: Method) -> Result<Self, RuleViolation> {
        if primary.kind() == MethodKind::AuthenticatorApp && backup.kind() == MethodKind::AuthenticatorApp {
            return Err(RuleViolation::AuthenticatorAppAsBoth);
        }
        if let (Some(a), Some(b)) = (primary.phone_number(), backup.phone_number()) {
            if a == b {
                return Err(RuleViolation::SameNumberAsBoth);
            }
        }
        Ok(Self { primary, backup })
    }

    pub fn primary(&self) -> &Method {
        &self.primary
    }

    pub fn backup(&self) -> &Method {
        &self.backup
    }

    pub fn get(&self, role: Role) -> &Method {
        match role {
            Role::Primary => &self.primary,
            Role::Backup => &self.backup,
        }
    }

    /// Which role `method` has in this pair, if any (see [`Method::same_destination`]).
    pub fn role_of(&self, method: &Method) -> Option<Role> {
        if self.primary.same_destination(method) {
            Some(Role::Primary)
        } else if self.backup.same_destination(method) {
            Some(Role::Backup)
        } else {
            None
        }
    }
}

/// Checks a primary and a backup as chosen on a form: the first rule broken, in the order the
/// form is read — the primary (chosen, number valid, SMS on a mobile), then the backup (the
/// same), then the pair (authenticator app not both, number not both).
///
/// ```
/// use twostep_core::methods::{MethodChoice, PhoneChoice, RuleViolation, validate};
/// let sms = MethodChoice::Sms(PhoneChoice::mobile("+1 206 555 0100"));
/// let voice = MethodChoice::Voice(PhoneChoice::mobile("(206) 555-0100").with_default_calling_code("1"));
/// assert_eq!(validate(Some(&sms), Some(&voice)), Err(RuleViolation::SameNumberAsBoth));
/// assert!(validate(Some(&sms), Some(&MethodChoice::AuthenticatorApp)).is_ok());
/// ```
pub fn validate(primary: Option<&MethodChoice>, backup: Option<&MethodChoice>) -> Result<MethodPair, RuleViolation> {
    let primary = primary.ok_or(RuleViolation::MissingPrimary)?.resolve(Role::Primary)?;
    let backup = backup.ok_or(RuleViolation::MissingBackup)?.resolve(Role::Backup)?;
    MethodPair::new(primary, backup)
}

/// One line of the backup picker: a kind of method, and whether its number must differ from
/// the primary's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BackupOption {
    pub kind: MethodKind,
    /// The seed's "Different …": the backup's number may not be the primary's.
    pub different_number: bool,
    /// The seed's wording: `"Different voice-enabled phone (landline or mobile)"`,
    /// `"Authenticator app"`.
    pub label: String,
}

impl BackupOption {
    fn new(kind: MethodKind, different_number: bool) -> Self {
        let label = match (kind, different_number) {
            (MethodKind::Sms, true) => "Different SMS text-enabled phone (mobile)",
            (MethodKind::Voice, true) => "Different voice-enabled phone (landline or mobile)",
            (kind, _) => kind.label(),
        };
        Self { kind, different_number, label: label.to_owned() }
    }
}

/// The backups the seed allows for a primary of kind `primary`, in the seed's order.
pub fn backup_options(primary: MethodKind) -> Vec<BackupOption> {
    let options: &[(MethodKind, bool)] = match primary {
        MethodKind::Sms | MethodKind::Voice => {
            &[(MethodKind::Voice, true), (MethodKind::Sms, true), (MethodKind::AuthenticatorApp, false)]
        }
        MethodKind::AuthenticatorApp => &[(MethodKind::Sms, false), (MethodKind::Voice, false)],
    };
    options.iter().map(|&(kind, different)| BackupOption::new(kind, different)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::{PhoneChoice, PhoneLine, PhoneNumber};

    #[test]
    fn picker_labels_use_the_seeds_words() {
        let labels: Vec<String> = backup_options(MethodKind::Sms).into_iter().map(|o| o.label).collect();
        assert_eq!(
            labels,
            [
                "Different voice-enabled phone (landline or mobile)",
                "Different SMS text-enabled phone (mobile)",
                "Authenticator app"
            ]
        );
        let labels: Vec<String> = backup_options(MethodKind::AuthenticatorApp).into_iter().map(|o| o.label).collect();
        assert_eq!(labels, ["SMS text-enabled phone (mobile)", "Voice-enabled phone (landline or mobile)"]);
    }

    #[test]
    fn the_first_broken_rule_is_reported_in_form_order() {
        let landline_sms = MethodChoice::Sms(PhoneChoice::landline("+1 206 555 0100"));
        let bad_number = MethodChoice::Voice(PhoneChoice::mobile("555"));
        let app = MethodChoice::AuthenticatorApp;
        assert_eq!(validate(None, None), Err(RuleViolation::MissingPrimary));
        assert_eq!(validate(None, Some(&app)), Err(RuleViolation::MissingPrimary));
        assert!(matches!(
            validate(Some(&bad_number), None),
            Err(RuleViolation::InvalidPhoneNumber { role: Role::Primary, .. })
        ));
        assert_eq!(
            validate(Some(&landline_sms), Some(&bad_number)),
            Err(RuleViolation::LandlineCannotReceiveSms { role: Role::Primary })
        );
        assert_eq!(validate(Some(&app), None), Err(RuleViolation::MissingBackup));
        assert!(matches!(
            validate(Some(&app), Some(&bad_number)),
            Err(RuleViolation::InvalidPhoneNumber { role: Role::Backup, .. })
        ));
    }

    #[test]
    fn roles_point_at_the_field_to_fix() {
        assert_eq!(RuleViolation::MissingPrimary.role(), Role::Primary);
        assert_eq!(RuleViolation::MissingBackup.role(), Role::Backup);
        assert_eq!(RuleViolation::AuthenticatorAppAsBoth.role(), Role::Backup);
        assert_eq!(RuleViolation::SameNumberAsBoth.role(), Role::Backup);
        assert_eq!(RuleViolation::LandlineCannotReceiveSms { role: Role::Primary }.role(), Role::Primary);
    }

    #[test]
    fn a_pair_read_from_the_wire_is_checked_again() {
        let same = r#"{"primary":{"kind":"sms","number":"+12065550100"},
                       "backup":{"kind":"voice","number":"+12065550100","line":"mobile"}}"#;
        let err = serde_json::from_str::<MethodPair>(same).unwrap_err();
        assert!(err.to_string().contains("same telephone number"), "{err}");
        let both_apps = r#"{"primary":{"kind":"authenticator_app"},"backup":{"kind":"authenticator_app"}}"#;
        assert!(serde_json::from_str::<MethodPair>(both_apps).is_err());

        let pair = MethodPair::new(
            Method::AuthenticatorApp,
            Method::Voice { number: PhoneNumber::from_e164("+442079460958").unwrap(), line: PhoneLine::Landline },
        )
        .unwrap();
        let json = serde_json::to_string(&pair).unwrap();
        assert_eq!(
            json,
            r#"{"primary":{"kind":"authenticator_app"},"backup":{"kind":"voice","number":"+442079460958","line":"landline"}}"#
        );
        assert_eq!(serde_json::from_str::<MethodPair>(&json).unwrap(), pair);
    }
}
