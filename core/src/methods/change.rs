//! Changing the primary or backup method: allowed only to someone who has just proved access
//! to at least one of the current methods (a fresh code from it); with neither, the user goes
//! to account recovery. The new pair is checked by the same [`rules`](super::rules).
//!
//! Owns the decision, as a pure function of the current pair, the recent proofs and the time.
//! Does not own checking codes (whoever checked one records an [`AccessProof`]), storing the
//! new pair, or account recovery itself (only the state that sends the user there).

use std::cmp::Reverse;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Method, MethodChoice, MethodPair, Role, RuleViolation, validate};

/// How long a code counts as fresh for changing methods: 10 minutes.
pub const FRESH_CODE_WINDOW_SECS: u64 = 10 * 60;

/// A correct code from `method`, checked at `verified_at_unix_seconds`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessProof {
    pub method: Method,
    pub verified_at_unix_seconds: u64,
}

/// Whether the user may change their methods now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChangeAccess {
    /// A fresh code from a current method; `via` is the most recently proved one (the primary
    /// when both were proved at the same second).
    Allowed { via: Role },
    /// No fresh code from either current method: only account recovery can help.
    AccountRecoveryRequired,
}

impl ChangeAccess {
    pub fn is_allowed(self) -> bool {
        matches!(self, ChangeAccess::Allowed { .. })
    }
}

/// Why a change of methods was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ChangeError {
    /// No fresh code from either current method.
    AccountRecoveryRequired,
    /// Access was proved, but the new pair breaks a rule.
    RuleViolation { violation: RuleViolation },
}

impl ChangeError {
    /// A stable snake_case name, the same as the serialised `code`.
    pub fn code(&self) -> &'static str {
        match self {
            ChangeError::AccountRecoveryRequired => "account_recovery_required",
            ChangeError::RuleViolation { .. } => "rule_violation",
        }
    }

    /// Words a screen can show.
    pub fn message(&self) -> String {
        match self {
            ChangeError::AccountRecoveryRequired => "To change your two-step verification methods, enter a code \
                                                     from your primary or backup method. Without access to either, \
                                                     use account recovery."
                .to_owned(),
            ChangeError::RuleViolation { violation } => violation.message(),
        }
    }
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ChangeError {}

impl From<RuleViolation> for ChangeError {
    fn from(violation: RuleViolation) -> Self {
        ChangeError::RuleViolation { violation }
    }
}

/// Whether `proofs` let the user change `current` at `now_unix_seconds`.
///
/// A proof counts when it is from one of the current methods (a code from a method already
/// removed does not) and at most `window_secs` old ([`FRESH_CODE_WINDOW_SECS`] by default).
/// A proof dated after `now` does not count: the same clock wrote it, so it is not to be
/// trusted.
pub fn change_access(
    current: &MethodPair,
    proofs: &[AccessProof],
    now_unix_seconds: u64,
    window_secs: u64,
) -> ChangeAccess {
    proofs
        .iter()
        .filter(|p| p.verified_at_unix_seconds <= now_unix_seconds)
        .filter(|p| now_unix_seconds - p.verified_at_unix_seconds <= window_secs)
        .filter_map(|p| current.role_of(&p.method).map(|role| (p.verified_at_unix_seconds, role)))
        // The latest; on a tie the primary (which orders before the backup).
        .max_by_key(|&(at, role)| (at, Reverse(role)))
        .map_or(ChangeAccess::AccountRecoveryRequired, |(_, via)| ChangeAccess::Allowed { via })
}

/// Changes `current` to the pair chosen on the form, if `proofs` allow it (see
/// [`change_access`]) and the new pair follows the rules (see [`validate`]). Access is checked
/// first, so without it no rule is reported.
///
/// To change one method only, pass the other as it is: `Some(&current.primary().into())`.
pub fn change_methods(
    current: &MethodPair,
    proofs: &[AccessProof],
    now_unix_seconds: u64,
    window_secs: u64,
    new_primary: Option<&MethodChoice>,
    new_backup: Option<&MethodChoice>,
) -> Result<MethodPair, ChangeError> {
    match change_access(current, proofs, now_unix_seconds, window_secs) {
        ChangeAccess::AccountRecoveryRequired => Err(ChangeError::AccountRecoveryRequired),
        ChangeAccess::Allowed { .. } => Ok(validate(new_primary, new_backup)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::{PhoneLine, PhoneNumber};

    const NOW: u64 = 1_700_000_000;

    fn pair() -> MethodPair {
        MethodPair::new(
            Method::AuthenticatorApp,
            Method::Voice { number: PhoneNumber::from_e164("+12065550100").unwrap(), line: PhoneLine::Mobile },
        )
        .unwrap()
    }

    fn proof(method: &Method, at: u64) -> AccessProof {
        AccessProof { method: method.clone(), verified_at_unix_seconds: at }
    }

    #[test]
    fn the_most_recent_proof_names_the_way_in() {
        let p = pair();
        let both = [proof(p.primary(), NOW - 100), proof(p.backup(), NOW - 10)];
        assert_eq!(change_access(&p, &both, NOW, FRESH_CODE_WINDOW_SECS), ChangeAccess::Allowed { via: Role::Backup });
        let tie = [proof(p.backup(), NOW - 10), proof(p.primary(), NOW - 10)];
        assert_eq!(change_access(&p, &tie, NOW, FRESH_CODE_WINDOW_SECS), ChangeAccess::Allowed { via: Role::Primary });
    }

    #[test]
    fn a_proof_from_the_future_does_not_count() {
        let p = pair();
        let future = [proof(p.primary(), NOW + 1)];
        assert_eq!(change_access(&p, &future, NOW, FRESH_CODE_WINDOW_SECS), ChangeAccess::AccountRecoveryRequired);
    }

    #[test]
    fn wire_forms_of_access_and_errors() {
        assert_eq!(
            serde_json::to_string(&ChangeAccess::Allowed { via: Role::Backup }).unwrap(),
            r#"{"state":"allowed","via":"backup"}"#
        );
        assert_eq!(
            serde_json::to_string(&ChangeAccess::AccountRecoveryRequired).unwrap(),
            r#"{"state":"account_recovery_required"}"#
        );
        let errors = [ChangeError::AccountRecoveryRequired, ChangeError::from(RuleViolation::AuthenticatorAppAsBoth)];
        for e in errors {
            let json = serde_json::to_value(&e).unwrap();
            assert_eq!(json["code"], e.code());
            assert_eq!(serde_json::from_value::<ChangeError>(json).unwrap(), e);
        }
        assert_eq!(
            serde_json::to_string(&ChangeError::from(RuleViolation::SameNumberAsBoth)).unwrap(),
            r#"{"code":"rule_violation","violation":{"code":"same_number_as_both"}}"#
        );
    }
}
