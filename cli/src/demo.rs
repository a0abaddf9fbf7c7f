//! `twostep demo`: the whole seller story of two-step verification, end to end.
//!
//! Starts the reference backend in-process on an ephemeral loopback port with a temporary
//! database, gives a "phone" (the seller app, with its own vault) and a "browser" each a real
//! core client, and walks the help page's story over real HTTP, printing what the seller would
//! see. Each step states what the help page says must happen and checks it; the command exits
//! non-zero if any step did not behave so. Everything lives in a temporary folder that is
//! removed at the end.
//!
//! The backend, the vaults and the clients share one clock that starts at the real time and
//! moves only when the story says so ("30 seconds later…"), so the demo takes seconds.
//!
//! The demo decides nothing itself: rules, wording and verdicts come from core and the server.
//!
//! The embedded backend's log lines are kept aside while the story is told, so none lands in
//! the middle of it; they are shown after the story only when a step did not behave.

use std::fmt::Display;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use twostep_core::client::{
    AttemptOutcome, Client, ClientConfig, ClientError, ClientIdentity, CodeChallenge, SignInOutcome, runtime,
};
use twostep_core::clock::{Clock, FixedClock, SystemClock};
use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::protocol::{Decision, ErrorCode, Role};
use twostep_core::vault::{PassphraseKeyStore, Vault};
use twostep_server::{RunningServer, Server, ServerConfig};

use crate::error::CliError;

const EMAIL: &str = "seller@example.com";
const PASSWORD: &str = "correct horse battery staple";
const MOBILE: &str = "+1 206 555 0100";
const LANDLINE: &str = "+1 206 555 0199";
const PHONE_APP: &str = "Seller app 6.1";
const UPDATED_APP: &str = "Seller app 6.2";
/// The page every check is held against (the seed of this project).
const HELP_PAGE: &str = "the Seller Central help page \"Two-Step Verification\"";

pub fn run() -> Result<(), CliError> {
    let dir = tempfile::tempdir()
        .map_err(|e| CliError::Failed(format!("cannot make a temporary folder: {}", crate::error::io_words(&e))))?;
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let kept = log.clone();
    twostep_server::log::set_sink(move |line| kept.lock().unwrap_or_else(PoisonError::into_inner).push(line.into()));
    let result = tell(dir.path());
    let log = log.lock().unwrap_or_else(PoisonError::into_inner);
    if result.is_err() && !log.is_empty() {
        println!("\nThe backend's log:\n{}", log.join("\n"));
    }
    result
}

fn tell(dir: &Path) -> Result<(), CliError> {
    let clock = Arc::new(FixedClock::at(SystemClock.now_unix_seconds()));
    let server = Server::start(ServerConfig::local(dir.join("backend.db"), clock.clone()))
        .map_err(|e| CliError::Failed(format!("the backend did not start: {e}")))?;
    println!("Twostep demo: the seller's two-step verification story, end to end.");
    println!("Reference backend on {} (temporary database, SMS and voice go to its outbox).", server.url());
    println!("Seller's sign-in page, to follow along in a browser: {}/signin", server.url());

    let app = ClientIdentity::app(PHONE_APP, phone_agent(PHONE_APP), "android");
    let phone = Device::new(dir, "phone", &server, &clock, app, None)?;
    let firefox = ClientIdentity::browser("Firefox 128", "Firefox 128 on Linux");
    let browser = Device::new(dir, "browser", &server, &clock, firefox, None)?;
    let story = runtime::block_on(async move { Story::tell(server, clock, phone, browser).await })
        .map_err(|e| CliError::Failed(format!("the demo stopped: {e}")))?;

    println!();
    if story.failures.is_empty() {
        println!("Every step behaved as {HELP_PAGE} says ({} checks).", story.checks);
        Ok(())
    } else {
        println!("{} of {} checks did not behave as {HELP_PAGE} says:", story.failures.len(), story.checks);
        for f in &story.failures {
            println!("  - {f}");
        }
        Err(CliError::Failed(format!(
            "the demo found {} steps that did not behave as {HELP_PAGE} says",
            story.failures.len()
        )))
    }
}

fn phone_agent(version: &str) -> String {
    format!("{version} on Android 15")
}

/// One installation: its own vault (where its device state is sealed) and core client.
struct Device {
    client: Client,
    vault: Arc<Mutex<Vault>>,
    clock: Arc<FixedClock>,
}

impl Device {
    fn new(
        dir: &Path,
        name: &str,
        server: &RunningServer,
        clock: &Arc<FixedClock>,
        identity: ClientIdentity,
        source: Option<IpAddr>,
    ) -> Result<Self, CliError> {
        let path = dir.join(format!("{name}.vault"));
        // The passphrase stands in for the platform key store the real app uses.
        let keys = PassphraseKeyStore::new(&format!("{name} demo passphrase"));
        let vault = if path.exists() {
            Vault::open(&path, &keys, clock.clone())
        } else {
            Vault::create(&path, &keys, clock.clone())
        }
        .map_err(|e| CliError::Failed(format!("the {name} vault: {e}")))?;
        Self::with_vault(Arc::new(Mutex::new(vault)), server, clock.clone(), identity, source)
    }

    fn with_vault(
        vault: Arc<Mutex<Vault>>,
        server: &RunningServer,
        clock: Arc<FixedClock>,
        identity: ClientIdentity,
        source: Option<IpAddr>,
    ) -> Result<Self, CliError> {
        let mut config = ClientConfig::new(server.url(), identity);
        config.http.local_address = source;
        let client = Client::new(config, vault.clone(), clock.clone())
            .map_err(|e| CliError::Failed(format!("the client: {e}")))?;
        Ok(Self { client, vault, clock })
    }

    /// The same installation as another client (same vault and device id): after an app
    /// update, or on another network.
    fn reinstalled(
        &self,
        server: &RunningServer,
        identity: ClientIdentity,
        source: Option<IpAddr>,
    ) -> Result<Self, ClientError> {
        Self::with_vault(self.vault.clone(), server, self.clock.clone(), identity, source)
            .map_err(|e| ClientError::Internal(e.to_string()))
    }
}

#[derive(Default)]
struct Story {
    step: u32,
    checks: u32,
    failures: Vec<String>,
}

impl Story {
    fn step(&mut self, title: &str) {
        self.step += 1;
        println!("\n{}. {title}", self.step);
    }

    /// What the seller sees.
    fn see(&self, what: impl Display) {
        println!("   | {what}");
    }

    fn check(&mut self, ok: bool, expectation: &str) {
        self.checks += 1;
        if ok {
            println!("   ok: {expectation}");
        } else {
            println!("   NOT AS EXPECTED: {expectation}");
            self.failures.push(format!("step {}: {expectation}", self.step));
        }
    }

    async fn tell(
        server: RunningServer,
        clock: Arc<FixedClock>,
        phone: Device,
        browser: Device,
    ) -> Result<Story, ClientError> {
        let mut s = Story::default();
        let p = &phone.client;
        let b = &browser.client;

        s.step("A seller creates a login and signs in with the password");
        p.create_login(EMAIL, PASSWORD).await?;
        let first = p.sign_in(EMAIL, PASSWORD).await?;
        s.see(format!("{EMAIL} signed in with the password; two-step verification must be enabled first"));
        s.check(
            matches!(first, SignInOutcome::EnrollmentRequired { .. }),
            "enabling two-step verification is required",
        );

        s.step("Invalid method choices are refused, naming the rule");
        let sms = |n: &str| MethodChoice::Sms(PhoneChoice::mobile(n));
        let refusals = [
            (
                "an authenticator app as both methods",
                MethodChoice::AuthenticatorApp,
                MethodChoice::AuthenticatorApp,
                "authenticator_app_as_both",
            ),
            (
                "the same number as both methods",
                sms(MOBILE),
                MethodChoice::Voice(PhoneChoice::mobile("+1 (206) 555-0100")),
                "same_number_as_both",
            ),
            (
                "text messages to a landline",
                MethodChoice::AuthenticatorApp,
                MethodChoice::Sms(PhoneChoice::landline(LANDLINE)),
                "landline_cannot_receive_sms",
            ),
        ];
        for (what, primary, backup, rule) in refusals {
            match p.enroll(primary, backup).await {
                Err(ClientError::Server(e)) if e.code == ErrorCode::RuleViolation => {
                    s.see(format!("{what}: \"{}\"", e.message));
                    s.check(e.rule.as_deref() == Some(rule), &format!("{what} is refused by the rule {rule}"));
                }
                other => s.check(false, &format!("{what} is refused (got {})", outcome(&other))),
            }
        }

        s.step("Enroll: authenticator app as primary, SMS to a mobile as backup");
        let enrollment = p.enroll(MethodChoice::AuthenticatorApp, sms(MOBILE)).await?;
        let Some(app) = enrollment.authenticator_entry else {
            s.check(false, "the authenticator app receives its seed");
            return Ok(s);
        };
        s.see(format!("the app's vault now holds \"{}: {}\" (the seed never leaves it)", app.issuer, app.account));
        let app_code = p.code(&app.id)?;
        p.verify_method(Role::Primary, &app_code).await?;
        s.see(format!("primary confirmed with the app's code {app_code}"));
        let sms_code = last_code(&server);
        s.see(format!("SMS to {MOBILE}: \"Your code is {sms_code}\""));
        let status = p.verify_method(Role::Backup, &sms_code).await?;
        s.check(status.enabled, "two-step verification is on once both methods are confirmed");

        s.step("Sign in on the seller app with the password and a code from the authenticator app");
        let challenge = code_required(&mut s, p.sign_in(EMAIL, PASSWORD).await?, "a code is asked for")?;
        s.see(format!("\"Enter the code from your {}\"", challenge.primary.label));
        let replay = p.verify_code(&challenge.attempt_id, &app_code, false).await;
        s.see(format!("the code {app_code} once more: {}", outcome(&replay)));
        s.check(
            matches!(&replay, Err(ClientError::Server(e)) if e.code == ErrorCode::CodeReused),
            "a code already used is refused",
        );
        clock.advance(30);
        let code = p.code(&app.id)?;
        s.see(format!("30 seconds later the app shows {code}"));
        let signed_in = p.verify_code(&challenge.attempt_id, &code, false).await?;
        s.check(signed_in.login_id == status_login(p)?, "the app is signed in");

        s.step("\"Didn't receive the code?\" sends it to the backup method");
        let challenge = code_required(&mut s, b.sign_in(EMAIL, PASSWORD).await?, "the browser is asked for a code")?;
        let sent = b.send_code(&challenge.attempt_id, Role::Backup).await?;
        s.see(format!("\"We sent a code to {}\"", sent.method.label));
        let code = last_code(&server);
        let ok = b.verify_code(&challenge.attempt_id, &code, false).await.is_ok();
        s.check(sent.to == Role::Backup && ok, "the code from the SMS outbox signs the browser in");

        s.step("Push approval with number matching");
        let registration = p.register_device("demo-push-token").await?;
        s.see(format!("the app registered for push approvals as device {}", registration.device_id));
        let challenge = code_required(&mut s, b.sign_in(EMAIL, PASSWORD).await?, "the browser is asked to verify")?;
        s.check(challenge.push_available, "the sign-in page offers approval on the phone");
        let push = b.start_push(&challenge.attempt_id, false).await?;
        s.see(format!("sign-in page: \"Open the Seller app and enter {}\"", push.number));
        let inbox = p.check_for_requests().await?;
        if let Some(request) = inbox.requests.first() {
            let c = &request.context;
            s.see(format!(
                "phone: \"Is this you signing in?\" {} from {} ({}), {}",
                c.browser, c.ip, c.location, c.app
            ));
            let wrong = if push.number == 99 { 98 } else { push.number + 1 };
            let answer = p.answer(&request.challenge_id, Decision::Approve, Some(wrong)).await;
            s.see(format!("the seller types {wrong}: {}", outcome(&answer)));
            s.check(matches!(answer, Err(ClientError::WrongNumber)), "a wrong number is refused");
            let attempt = b.poll_attempt(&challenge.attempt_id).await?;
            s.check(attempt == AttemptOutcome::Denied, "and that sign-in attempt fails");
        } else {
            s.check(false, "the phone shows the request");
        }
        let challenge = code_required(&mut s, b.sign_in(EMAIL, PASSWORD).await?, "a new sign-in is asked to verify")?;
        let push = b.start_push(&challenge.attempt_id, false).await?;
        s.see(format!("sign-in page: \"Open the Seller app and enter {}\"", push.number));
        let inbox = p.check_for_requests().await?;
        match inbox.requests.first() {
            Some(request) => {
                let answer = p.answer(&request.challenge_id, Decision::Approve, Some(push.number)).await;
                s.see(format!("the seller types {}: {}", push.number, outcome(&answer)));
                let attempt = b.poll_attempt(&challenge.attempt_id).await?;
                s.check(matches!(attempt, AttemptOutcome::SignedIn(_)), "the right number signs the browser in");
            }
            None => s.check(false, "the phone shows the new request"),
        }

        s.step("\"Don't ask for codes on this device\"");
        trust_this_device(&mut s, p, &server, "the app").await?;
        let again = p.sign_in(EMAIL, PASSWORD).await?;
        s.check(matches!(again, SignInOutcome::SignedIn(ref i) if i.without_code), "the next sign-in asks for no code");

        s.step("Trust is lost when the network changes (signing in from 127.0.0.2)");
        let elsewhere = phone.reinstalled(&server, p.identity().clone(), Some(Ipv4Addr::new(127, 0, 0, 2).into()))?;
        expect_trust_lost(
            &mut s,
            elsewhere.client.sign_in(EMAIL, PASSWORD).await?,
            twostep_core::protocol::TrustLoss::NetworkChanged,
        );

        s.step("Trust is lost when the app is updated");
        trust_this_device(&mut s, p, &server, "the app").await?;
        let updated =
            phone.reinstalled(&server, ClientIdentity::app(UPDATED_APP, phone_agent(UPDATED_APP), "android"), None)?;
        expect_trust_lost(
            &mut s,
            updated.client.sign_in(EMAIL, PASSWORD).await?,
            twostep_core::protocol::TrustLoss::AppUpdated,
        );

        s.step("Logging out of the seller app resets trust on this device");
        trust_this_device(&mut s, p, &server, "the app").await?;
        let out = p.logout().await?;
        s.see(format!("logged out; trust on this phone reset: {}, server told: {}", out.trust_reset, out.delivered));
        s.check(out.trust_reset && !p.is_trusted()?, "the phone's trust is gone at once");
        expect_trust_lost(&mut s, p.sign_in(EMAIL, PASSWORD).await?, twostep_core::protocol::TrustLoss::LoggedOut);

        s.step("\"Require codes on all devices\"");
        trust_this_device(&mut s, p, &server, "the app").await?;
        trust_this_device(&mut s, b, &server, "the browser").await?;
        let before = p.trusted_device_count().await?;
        s.see(format!("trusted devices: {before}"));
        let after = p.require_codes_on_all_devices().await?;
        s.see(format!("after \"Require codes on all devices\": {after}"));
        s.check(before == 2 && after == 0, "every trusted device is cleared at once (2 → 0)");
        expect_trust_lost(
            &mut s,
            b.sign_in(EMAIL, PASSWORD).await?,
            twostep_core::protocol::TrustLoss::RequireCodesOnAllDevices,
        );

        server.shutdown().map_err(|e| ClientError::Internal(e.to_string()))?;
        Ok(s)
    }
}

/// Signs `client` in with a code from the SMS backup and "Don't ask for codes on this device".
async fn trust_this_device(
    s: &mut Story,
    client: &Client,
    server: &RunningServer,
    who: &str,
) -> Result<(), ClientError> {
    let challenge = code_required(s, client.sign_in(EMAIL, PASSWORD).await?, &format!("{who} is asked for a code"))?;
    client.send_code(&challenge.attempt_id, Role::Backup).await?;
    let signed_in = client.verify_code(&challenge.attempt_id, &last_code(server), true).await?;
    s.see(format!("{who} signed in with a code and \"Don't ask for codes on this device\""));
    s.check(signed_in.trusted, &format!("{who} is trusted now"));
    Ok(())
}

fn expect_trust_lost(s: &mut Story, outcome: SignInOutcome, reason: twostep_core::protocol::TrustLoss) {
    match outcome {
        SignInOutcome::CodeRequired(c) => {
            s.see(format!("\"{}\"", c.trust_lost_message.as_deref().unwrap_or("(no reason given)")));
            s.check(c.trust_lost == Some(reason), &format!("a code is asked again, because: {}", reason.code()));
        }
        other => s.check(false, &format!("a code is asked again (got: {})", signed_in_as(&other))),
    }
}

fn code_required(s: &mut Story, outcome: SignInOutcome, expectation: &str) -> Result<CodeChallenge, ClientError> {
    match outcome {
        SignInOutcome::CodeRequired(c) => {
            s.check(true, expectation);
            Ok(c)
        }
        other => {
            s.check(false, &format!("{expectation} (got: {})", signed_in_as(&other)));
            Err(ClientError::Internal("the story cannot go on".into()))
        }
    }
}

fn status_login(client: &Client) -> Result<String, ClientError> {
    client.session()?.map(|s| s.login_id).ok_or(ClientError::NotSignedIn)
}

/// The newest code in the SMS/voice outbox: what the seller reads on the phone.
fn last_code(server: &RunningServer) -> String {
    server.last_code(EMAIL).unwrap_or_default()
}

/// A sign-in outcome in the seller's words, for a step that went otherwise.
fn signed_in_as(outcome: &SignInOutcome) -> &'static str {
    match outcome {
        SignInOutcome::SignedIn(_) => "signed in without a code",
        SignInOutcome::EnrollmentRequired { .. } => "asked to turn on two-step verification",
        SignInOutcome::CodeRequired(_) => "asked for a code",
    }
}

/// What the seller is shown: the server's own sentence for a refusal, never a code name.
fn outcome<T>(result: &Result<T, ClientError>) -> String {
    match result {
        Ok(_) => "accepted".into(),
        Err(ClientError::Server(e)) => format!("\"{}\"", e.message),
        Err(e) => format!("\"{e}\""),
    }
}
