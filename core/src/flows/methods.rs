//! Enabling two-step verification, and changing methods later: choose a primary and a backup
//! by the help page's table, then confirm each with a code.
//!
//! Owns the order of the screens: (to change methods) prove access with a code from a
//! current method; choose the pair — refused pairs are refused here first, with the rule's
//! own words, before anything reaches the server; confirm the primary, then the backup; done.
//! An authenticator app chosen as a method is this app: its seed goes straight into the vault
//! and the confirm screen points at the entry whose code to type. The rules themselves are
//! `methods`' and the server's.

use std::sync::{Arc, Mutex, PoisonError};

use zeroize::Zeroizing;

use super::text::instruction;
use super::watch::{Cell, Listener};
use super::words;
use crate::client::{Client, ClientError, Enrollment};
use crate::methods::{self, BackupOption, MethodChoice, backup_options};
use crate::protocol::{ErrorCode, MethodKind, MethodSummary, Role};

/// What the method screens show now.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MethodsState {
    pub step: MethodsStep,
    /// What went wrong with the last action, in the seller's words (a refused pair: the rule's).
    pub error: Option<String>,
    /// The method the error is about, to highlight.
    pub error_role: Option<Role>,
}

/// Which screen.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MethodsStep {
    /// Changing methods needs a code from one of the current ones: pick which.
    Prove { current: Vec<ProofOption>, message: String },
    /// Type the proof code.
    ProofCode { role: Role, method: MethodSummary, instruction: String },
    /// Choose a primary (from `primary_options`) and a backup (from
    /// [`MethodsFlow::backup_options`] for that primary).
    Choose { primary_options: Vec<BackupOption>, message: String },
    /// Confirm `role`'s method with a code.
    Confirm {
        role: Role,
        method: MethodSummary,
        instruction: String,
        /// When the method is this app: the vault entry whose code confirms it.
        authenticator_entry_id: Option<String>,
    },
    /// Both confirmed.
    Done { message: String },
}

/// A current method that can prove access.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProofOption {
    pub role: Role,
    pub method: MethodSummary,
}

/// Whether the pair is a first enrollment or a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Enable,
    Change,
}

const PROVE_MESSAGE: &str = "To change your methods, first enter a code from one of your current methods. Without \
                             access to either, use account recovery.";

fn is_wrong_code(e: &ClientError) -> bool {
    matches!(e.code(), Some(ErrorCode::WrongCode | ErrorCode::CodeReused))
        || matches!(e, ClientError::InvalidInput { field: "code", .. })
}

#[derive(Default)]
struct Progress {
    current: Vec<ProofOption>,
    proof: Option<(Role, Zeroizing<String>)>,
    chosen: Option<(MethodSummary, MethodSummary)>,
    enrollment: Option<Enrollment>,
    pending: Vec<Role>,
}

/// Enabling or changing the login's methods.
#[derive(Clone)]
pub struct MethodsFlow {
    client: Client,
    mode: Mode,
    cell: Arc<Cell<MethodsState>>,
    progress: Arc<Mutex<Progress>>,
}

impl MethodsFlow {
    /// Enabling two-step verification (after a sign-in that said it is required).
    pub fn enable(client: Client) -> Self {
        let step = choose_step(
            "Choose two different methods for receiving your codes: a primary, and a backup for \
                                when you can't use the primary.",
        );
        Self::with(client, Mode::Enable, step)
    }

    /// Changing methods: starts with the proof of access. `current` comes from Advanced
    /// Security Settings.
    pub fn change(client: Client, primary: MethodSummary, backup: MethodSummary) -> Self {
        let current = vec![
            ProofOption { role: Role::Primary, method: primary },
            ProofOption { role: Role::Backup, method: backup },
        ];
        let flow = Self::with(
            client,
            Mode::Change,
            MethodsStep::Prove { current: current.clone(), message: PROVE_MESSAGE.into() },
        );
        flow.progress().current = current;
        flow
    }

    fn with(client: Client, mode: Mode, step: MethodsStep) -> Self {
        let cell = Cell::new(MethodsState { step, error: None, error_role: None });
        Self { client, mode, cell, progress: Arc::default() }
    }

    pub fn state(&self) -> MethodsState {
        self.cell.get()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn Listener<MethodsState>>>) {
        self.cell.listen(listener);
    }

    /// The backups the help page allows for a primary of kind `primary`, in its order.
    pub fn backup_options(&self, primary: MethodKind) -> Vec<BackupOption> {
        backup_options(primary)
    }

    /// Picks the current method that proves access; a phone is sent a code.
    pub async fn prove_with(&self, role: Role) -> MethodsState {
        let MethodsStep::Prove { current, .. } = self.cell.get().step else { return self.out_of_order() };
        let Some(option) = current.into_iter().find(|o| o.role == role) else { return self.out_of_order() };
        if option.method.kind != MethodKind::AuthenticatorApp
            && let Err(e) = self.client.send_method_code(role).await
        {
            return self.fail(&e);
        }
        let instruction = instruction(&option.method);
        self.show(MethodsStep::ProofCode { role, method: option.method, instruction })
    }

    /// The proof code; checked by the server together with the new pair.
    pub fn submit_proof(&self, code: &str) -> MethodsState {
        let MethodsStep::ProofCode { role, .. } = self.cell.get().step else { return self.out_of_order() };
        self.progress().proof = Some((role, Zeroizing::new(code.to_owned())));
        self.show(choose_step("Now choose your new primary and backup methods."))
    }

    /// The chosen pair: refused here with the rule's words when the table forbids it.
    pub async fn choose(&self, primary: MethodChoice, backup: MethodChoice) -> MethodsState {
        if !matches!(self.cell.get().step, MethodsStep::Choose { .. }) {
            return self.out_of_order();
        }
        let pair = match methods::validate(Some(&primary), Some(&backup)) {
            Ok(pair) => pair,
            Err(rule) => {
                return self.cell.update(|s| {
                    s.error = Some(rule.message());
                    s.error_role = Some(rule.role());
                });
            }
        };
        let result = match self.mode {
            Mode::Enable => self.client.enroll(primary, backup).await,
            Mode::Change => {
                let Some((role, code)) = self.progress().proof.clone() else { return self.out_of_order() };
                self.client.change_methods(role, &code, primary, backup).await
            }
        };
        match result {
            Ok(enrollment) => {
                {
                    let mut p = self.progress();
                    p.pending = enrollment.pending.clone();
                    p.chosen = Some((pair.primary().summary(), pair.backup().summary()));
                    p.enrollment = Some(enrollment);
                }
                self.confirm_next()
            }
            Err(e) if self.mode == Mode::Change && is_wrong_code(&e) => {
                // The proof was what the server refused: prove again, then choose.
                let current = {
                    let mut p = self.progress();
                    p.proof = None;
                    p.current.clone()
                };
                self.cell.set(MethodsState {
                    step: MethodsStep::Prove { current, message: PROVE_MESSAGE.into() },
                    error: Some(words::say(&e)),
                    error_role: None,
                })
            }
            Err(e) => self.fail(&e),
        }
    }

    /// The code for the method being confirmed.
    pub async fn confirm(&self, code: &str) -> MethodsState {
        let MethodsStep::Confirm { role, .. } = self.cell.get().step else { return self.out_of_order() };
        match self.client.verify_method(role, code).await {
            Ok(status) if status.enabled => self.show(MethodsStep::Done {
                message: match self.mode {
                    Mode::Enable => "Two-step verification is on. Each sign-in now asks for a code from your primary \
                                     method; \"Didn't receive the code?\" sends it to your backup."
                        .into(),
                    Mode::Change => "Your methods are changed. Codes now go to your new primary method. If a phone \
                                     was lost or replaced, remove it from the phones that approve your sign-ins \
                                     in Advanced Security Settings."
                        .into(),
                },
            }),
            Ok(status) => {
                self.progress().pending = status.pending;
                self.confirm_next()
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Back to choosing (another pair replaces the one waiting for codes).
    pub fn choose_again(&self) -> MethodsState {
        if self.mode == Mode::Change && self.progress().proof.is_none() {
            return self.out_of_order();
        }
        self.show(choose_step("Choose your primary and backup methods again."))
    }

    fn confirm_next(&self) -> MethodsState {
        let p = self.progress();
        let (Some(role), Some((primary, backup))) = (p.pending.first().copied(), p.chosen.clone()) else {
            drop(p);
            return self.out_of_order();
        };
        let method = if role == Role::Primary { primary } else { backup };
        let entry = p.enrollment.as_ref().and_then(|e| e.authenticator_entry.clone());
        drop(p);
        let (instruction, authenticator_entry_id) = match (method.kind, entry) {
            (MethodKind::AuthenticatorApp, Some(entry)) => (
                format!(
                    "This app now makes codes for {}. Enter the code it shows for {} to confirm.",
                    entry.issuer, entry.account
                ),
                Some(entry.id),
            ),
            _ => (format!("{} Enter it to confirm this method.", instruction(&method)), None),
        };
        self.show(MethodsStep::Confirm { role, method, instruction, authenticator_entry_id })
    }

    fn show(&self, step: MethodsStep) -> MethodsState {
        self.cell.set(MethodsState { step, error: None, error_role: None })
    }

    fn fail(&self, error: &ClientError) -> MethodsState {
        let rule_role = match error {
            ClientError::Server(e) => e.field.as_deref().and_then(|f| match f {
                "primary" => Some(Role::Primary),
                "backup" => Some(Role::Backup),
                _ => None,
            }),
            _ => None,
        };
        self.cell.update(|s| {
            s.error = Some(words::say(error));
            s.error_role = rule_role;
        })
    }

    fn out_of_order(&self) -> MethodsState {
        self.cell.update(|s| s.error = Some("That step is not available now. Start again.".into()))
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn choose_step(message: &str) -> MethodsStep {
    let primary_options = MethodKind::ALL
        .into_iter()
        .map(|kind| BackupOption { kind, label: kind.label().into(), different_number: false })
        .collect();
    MethodsStep::Choose { primary_options, message: message.into() }
}
