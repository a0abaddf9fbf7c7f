//! What the sign-in code screen offers, given the login's [`MethodPair`]: the code goes to the
//! primary first; "Didn't receive the code?" sends it to the backup; on the backup's screen
//! the way out is account recovery.
//!
//! Owns the order of methods at sign-in and the words of the prompt and its link. Does not
//! own sending or checking the code (the server does) or trusted devices.

use serde::{Deserialize, Serialize};

use super::{Method, MethodPair, PhoneLine, Role, ShownMethod};

/// The link under the code field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PromptLink {
    /// On the primary's screen: send the code to the backup instead.
    DidntReceiveCode,
    /// On the backup's screen: no method left to try; account recovery is the way in.
    AccountRecovery,
}

impl PromptLink {
    pub fn label(self) -> &'static str {
        match self {
            PromptLink::DidntReceiveCode => "Didn't receive the code?",
            PromptLink::AccountRecovery => "No access to either method? Recover your account",
        }
    }
}

/// One state of the sign-in code screen.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CodePrompt {
    /// Which of the pair the code goes to.
    pub role: Role,
    /// Where the code goes.
    pub method: ShownMethod,
    /// What the screen says, number masked: `"We sent a code by text message to +1 ••• ••• 0100."`.
    pub instruction: String,
    pub link: PromptLink,
    /// The link's words, e.g. `"Didn't receive the code?"`.
    pub link_label: String,
}

impl MethodPair {
    /// The screen for `role`'s method.
    pub fn prompt(&self, role: Role) -> CodePrompt {
        let method = self.get(role);
        let instruction = instruction(method);
        let link = match role {
            Role::Primary => PromptLink::DidntReceiveCode,
            Role::Backup => PromptLink::AccountRecovery,
        };
        CodePrompt { role, method: method.into(), instruction, link, link_label: link.label().to_owned() }
    }

    /// The first screen of sign-in: the code goes to the primary.
    pub fn sign_in_prompt(&self) -> CodePrompt {
        self.prompt(Role::Primary)
    }

    /// The method "Didn't receive the code?" sends the code to: the backup.
    pub fn fallback(&self) -> &Method {
        self.backup()
    }

    /// The screen after "Didn't receive the code?" on the screen for `current`: the backup's,
    /// when the user was on the primary's; `None` on the backup's, which offers account
    /// recovery instead.
    pub fn didnt_receive_code(&self, current: Role) -> Option<CodePrompt> {
        match current {
            Role::Primary => Some(self.prompt(Role::Backup)),
            Role::Backup => None,
        }
    }
}

fn instruction(method: &Method) -> String {
    match method {
        Method::AuthenticatorApp => "Enter the code from your authenticator app.".to_owned(),
        Method::Sms { number } => format!("We sent a code by text message to {}.", number.masked()),
        Method::Voice { number, line } => {
            let phone = match line {
                PhoneLine::Mobile => "phone",
                PhoneLine::Landline => "landline",
            };
            format!("We are calling your {phone} at {} with a code.", number.masked())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::PhoneNumber;

    fn pair() -> MethodPair {
        MethodPair::new(
            Method::Sms { number: PhoneNumber::from_e164("+12065550100").unwrap() },
            Method::Voice { number: PhoneNumber::from_e164("+442079460958").unwrap(), line: PhoneLine::Landline },
        )
        .unwrap()
    }

    #[test]
    fn sign_in_asks_the_primary_first() {
        let prompt = pair().sign_in_prompt();
        assert_eq!(prompt.role, Role::Primary);
        assert_eq!(prompt.instruction, "We sent a code by text message to +1 ••• ••• 0100.");
        assert_eq!(prompt.link, PromptLink::DidntReceiveCode);
        assert_eq!(prompt.link.label(), "Didn't receive the code?");
    }

    #[test]
    fn didnt_receive_the_code_switches_to_the_backup_then_to_recovery() {
        let pair = pair();
        let backup = pair.didnt_receive_code(Role::Primary).unwrap();
        assert_eq!(backup.role, Role::Backup);
        assert_eq!(&backup.method.check().unwrap(), pair.fallback());
        assert_eq!(backup.instruction, "We are calling your landline at +44 ••• ••• 0958 with a code.");
        assert_eq!(backup.link, PromptLink::AccountRecovery);
        assert_eq!(pair.didnt_receive_code(Role::Backup), None);
    }

    #[test]
    fn an_authenticator_app_prompt_asks_for_its_code() {
        let pair = MethodPair::new(Method::AuthenticatorApp, pair().primary().clone()).unwrap();
        assert_eq!(pair.sign_in_prompt().instruction, "Enter the code from your authenticator app.");
    }
}
