//! Signing in, as the sign-in screens show it: email and password; then, unless this device
//! is trusted, the code prompt (where the code went, masked), "Didn't receive the code?" to the
//! backup, or a push approved on the phone while this screen waits; "Don't ask for codes on
//! this device"; signed in, or why not.
//!
//! Owns the order of the second step: an SMS or voice primary is sent a code at once, an
//! authenticator app makes its own; "Didn't receive the code?" moves to the backup (and from
//! there only account recovery is left); a push wait polls in the background and ends the
//! wait by itself when the phone answers or the request expires. The rules of each answer
//! (trust kept or lost, throttles, single use) are the client's and the server's.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use zeroize::Zeroizing;

use super::text::{PUSH_EXPIRED, PUSH_NOT_APPROVED, REMEMBER_DEVICE_LABEL, duration, instruction};
use super::watch::{Cell, Listener, Tick, repeat};
use super::words;
use crate::client::{AttemptOutcome, Client, ClientError, CodeChallenge, SignInOutcome, SignedInInfo};
use crate::clock::Clock;
use crate::methods::PromptLink;
use crate::protocol::{MethodKind, MethodSummary, Role};

/// What the sign-in screens show now.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SignInState {
    pub step: SignInStep,
    /// What went wrong with the last action, in the seller's words.
    pub error: Option<String>,
}

/// Which screen of the sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SignInStep {
    /// Email and password.
    Password {
        email: String,
    },
    /// Type the code that went to `prompt.method`.
    Code {
        prompt: CodePromptView,
    },
    /// Waiting for the phone: the seller types `wait.number` there.
    PushWait {
        wait: PushWaitView,
    },
    /// Two-step verification is not on yet: it must be enabled before anything else.
    EnrollmentRequired {
        email: String,
        message: String,
    },
    SignedIn {
        info: SignedInView,
    },
    /// This attempt is over; `message` says why and that signing in again is the way on.
    Stopped {
        message: String,
    },
}

/// The code prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CodePromptView {
    pub role: Role,
    /// Where the code went: kind and masked label.
    pub method: MethodSummary,
    /// "We sent a code by text message to •••• 0100."
    pub instruction: String,
    /// "Didn't receive the code?" on the primary's prompt, account recovery on the backup's.
    pub link: String,
    /// True when the link sends the code to the backup (false: it is account recovery).
    pub can_use_backup: bool,
    /// A registered phone can approve instead of a code.
    pub push_available: bool,
    pub remember_device_label: String,
    /// Why this device is asked although it was trusted, in the seller's words.
    pub trust_lost_message: Option<String>,
}

/// The push wait.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PushWaitView {
    /// The number to type on the phone.
    pub number: u32,
    /// "Open the Seller app on your phone and enter 42 to approve this sign-in."
    pub instruction: String,
    pub seconds_left: u64,
}

/// Signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SignedInView {
    pub email: String,
    pub without_code: bool,
    pub trusted: bool,
    /// "Signed in. This device won't ask for codes for 30 days."
    pub message: String,
}

/// How the sign-in flow waits for the phone.
#[derive(Clone, Copy, Debug)]
pub struct SignInConfig {
    /// How often the push wait asks the server whether the phone answered.
    pub poll_every: Duration,
    /// What the instruction calls the app that approves.
    pub approver_name: &'static str,
}

impl Default for SignInConfig {
    fn default() -> Self {
        Self { poll_every: Duration::from_secs(1), approver_name: "the Seller app" }
    }
}

/// The sign-in of one app installation.
#[derive(Clone)]
pub struct SignInFlow {
    client: Client,
    config: SignInConfig,
    cell: Arc<Cell<SignInState>>,
    progress: Arc<Mutex<Progress>>,
}

/// What the screens don't show but the next action needs.
#[derive(Default)]
struct Progress {
    email: String,
    challenge: Option<CodeChallenge>,
    role: Option<Role>,
}

impl SignInFlow {
    pub fn new(client: Client, config: SignInConfig) -> Self {
        let start = SignInState { step: SignInStep::Password { email: String::new() }, error: None };
        Self { client, config, cell: Cell::new(start), progress: Arc::default() }
    }

    pub fn state(&self) -> SignInState {
        self.cell.get()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn Listener<SignInState>>>) {
        self.cell.listen(listener);
    }

    /// The password step.
    pub async fn submit_password(&self, email: &str, password: &str) -> SignInState {
        self.cell.next_generation();
        let password = Zeroizing::new(password.to_owned());
        let email = email.trim().to_owned();
        self.progress().email = email.clone();
        match self.client.sign_in(&email, &password).await {
            Ok(SignInOutcome::SignedIn(info)) => self.signed_in(info),
            Ok(SignInOutcome::EnrollmentRequired { .. }) => self.show(SignInStep::EnrollmentRequired {
                message: "Two-step verification is required for this login. Enable it to continue: choose a \
                          primary and a backup method for your codes."
                    .into(),
                email,
            }),
            Ok(SignInOutcome::CodeRequired(challenge)) => self.second_step(challenge).await,
            Err(e) => self.fail(SignInStep::Password { email }, &e),
        }
    }

    /// The code step; `remember_device` is "Don't ask for codes on this device".
    pub async fn submit_code(&self, code: &str, remember_device: bool) -> SignInState {
        let Some(attempt) = self.attempt() else { return self.out_of_order() };
        self.cell.next_generation();
        match self.client.verify_code(&attempt, code, remember_device).await {
            Ok(info) => self.signed_in(info),
            Err(e) => self.refused(&e),
        }
    }

    /// "Didn't receive the code?": the code goes to the backup method.
    pub async fn didnt_receive_code(&self) -> SignInState {
        let (Some(attempt), Some(Role::Primary)) = (self.attempt(), self.progress().role) else {
            return self.out_of_order();
        };
        self.cell.next_generation();
        self.send_to(&attempt, Role::Backup).await
    }

    /// Asks the registered phone instead of typing a code.
    pub async fn approve_on_phone(&self, remember_device: bool) -> SignInState {
        let Some(attempt) = self.attempt() else { return self.out_of_order() };
        let started = match self.client.start_push(&attempt, remember_device).await {
            Ok(started) => started,
            Err(e) => return self.refused(&e),
        };
        let now = self.client.now();
        let wait = PushWaitView {
            number: started.number,
            instruction: format!(
                "Open {} on your phone and enter {} to approve this sign-in.",
                self.config.approver_name, started.number
            ),
            seconds_left: started.expires_at.saturating_sub(now),
        };
        let state = self.show(SignInStep::PushWait { wait });
        self.watch_push(attempt, started.expires_at);
        state
    }

    /// Leaves the push wait for the code prompt (the attempt stays open).
    pub fn use_code_instead(&self) -> SignInState {
        self.cell.next_generation();
        match self.prompt(None) {
            Some(prompt) => self.show(SignInStep::Code { prompt }),
            None => self.out_of_order(),
        }
    }

    /// Back to email and password.
    pub fn start_over(&self) -> SignInState {
        self.cell.next_generation();
        let email = {
            let mut p = self.progress();
            p.challenge = None;
            p.role = None;
            p.email.clone()
        };
        self.show(SignInStep::Password { email })
    }

    async fn second_step(&self, challenge: CodeChallenge) -> SignInState {
        let attempt = challenge.attempt_id.clone();
        let primary = challenge.primary.kind;
        {
            let mut p = self.progress();
            p.challenge = Some(challenge);
            p.role = Some(Role::Primary);
        }
        if primary == MethodKind::AuthenticatorApp {
            let prompt = self.prompt(Some(Role::Primary)).expect("the challenge was just stored");
            return self.show(SignInStep::Code { prompt });
        }
        self.send_to(&attempt, Role::Primary).await
    }

    /// Sends a code to `role`'s phone and shows its prompt; a send that failed still shows
    /// the prompt (a code sent earlier may arrive), with the reason.
    async fn send_to(&self, attempt: &str, role: Role) -> SignInState {
        let sent = self.client.send_code(attempt, role).await;
        let Some(prompt) = self.prompt(Some(role)) else { return self.out_of_order() };
        match sent {
            Ok(_) => self.show(SignInStep::Code { prompt }),
            Err(e) if words::ends_attempt(&e) => self.stopped(&e),
            Err(e) => self.cell.set(SignInState { step: SignInStep::Code { prompt }, error: Some(words::say(&e)) }),
        }
    }

    /// The prompt for `role` (or the current one), remembering it as current.
    fn prompt(&self, role: Option<Role>) -> Option<CodePromptView> {
        let mut p = self.progress();
        let role = role.or(p.role)?;
        p.role = Some(role);
        let c = p.challenge.as_ref()?;
        let method = match role {
            Role::Primary => c.primary.clone(),
            Role::Backup => c.backup.clone(),
        };
        let link = match role {
            Role::Primary => PromptLink::DidntReceiveCode,
            Role::Backup => PromptLink::AccountRecovery,
        };
        Some(CodePromptView {
            role,
            instruction: instruction(&method),
            method,
            link: link.label().into(),
            can_use_backup: role == Role::Primary,
            push_available: c.push_available,
            remember_device_label: REMEMBER_DEVICE_LABEL.into(),
            trust_lost_message: c.trust_lost_message().map(str::to_owned),
        })
    }

    fn watch_push(&self, attempt: String, expires_at: u64) {
        let flow = self.clone();
        repeat(&self.cell, self.config.poll_every, move || {
            let (flow, attempt) = (flow.clone(), attempt.clone());
            async move {
                match flow.client.poll_attempt(&attempt).await {
                    Ok(AttemptOutcome::Pending) => {
                        let left = expires_at.saturating_sub(flow.client.now());
                        match flow.cell.get().step {
                            SignInStep::PushWait { mut wait } => {
                                wait.seconds_left = left;
                                Tick::Next(SignInState { step: SignInStep::PushWait { wait }, error: None })
                            }
                            _ => Tick::Stop,
                        }
                    }
                    Ok(AttemptOutcome::SignedIn(info)) => Tick::Last(flow.signed_in_state(info)),
                    Ok(AttemptOutcome::Denied) => Tick::Last(flow.stop_state(PUSH_NOT_APPROVED)),
                    Ok(AttemptOutcome::Expired) => Tick::Last(flow.stop_state(PUSH_EXPIRED)),
                    // A network blip must not end the wait: the next round asks again.
                    Err(ClientError::Network { .. }) => Tick::Same,
                    Err(e) => Tick::Last(flow.stop_state(&words::say(&e))),
                }
            }
        });
    }

    fn signed_in(&self, info: SignedInInfo) -> SignInState {
        let state = self.signed_in_state(info);
        self.cell.set(state)
    }

    fn signed_in_state(&self, info: SignedInInfo) -> SignInState {
        let message = if info.without_code {
            "Signed in. This device is trusted, so no code was needed.".to_owned()
        } else if let (true, Some(until)) = (info.trusted, info.trust_expires_at) {
            let left = until.saturating_sub(self.client.clock().now_unix_seconds());
            format!("Signed in. This device won't ask for codes for {}.", duration(left))
        } else {
            "Signed in.".to_owned()
        };
        let view = SignedInView { email: info.email, without_code: info.without_code, trusted: info.trusted, message };
        SignInState { step: SignInStep::SignedIn { info: view }, error: None }
    }

    /// A refused code or push start: retype when the attempt is still open, else stop.
    fn refused(&self, error: &ClientError) -> SignInState {
        if words::ends_attempt(error) {
            return self.stopped(error);
        }
        match self.prompt(None) {
            Some(prompt) => self.fail(SignInStep::Code { prompt }, error),
            None => self.stopped(error),
        }
    }

    fn stopped(&self, error: &ClientError) -> SignInState {
        self.cell.set(self.stop_state(&words::say(error)))
    }

    fn stop_state(&self, message: &str) -> SignInState {
        SignInState { step: SignInStep::Stopped { message: message.into() }, error: None }
    }

    fn out_of_order(&self) -> SignInState {
        self.cell.update(|s| s.error = Some("That step is not available now. Sign in again.".into()))
    }

    fn show(&self, step: SignInStep) -> SignInState {
        self.cell.set(SignInState { step, error: None })
    }

    fn fail(&self, step: SignInStep, error: &ClientError) -> SignInState {
        self.cell.set(SignInState { step, error: Some(words::say(error)) })
    }

    fn attempt(&self) -> Option<String> {
        self.progress().challenge.as_ref().map(|c| c.attempt_id.clone())
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
