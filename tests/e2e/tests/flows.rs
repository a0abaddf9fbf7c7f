//! The app's flows (`twostep_core::flows`) driven as a seller would, against the real server:
//! each test is one story of the help page, asserting what the screens show.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use twostep_core::flows::approvals::ApprovalsConfig;
use twostep_core::flows::signin::SignInConfig;
use twostep_core::flows::{
    ApprovalsFlow, CodesFlow, Listener, LogoutFlow, MethodsFlow, MethodsStep, SecuritySettingsFlow, SignInFlow,
    SignInState, SignInStep,
};
use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::protocol::{MethodKind, Role, TrustLoss};
use twostep_e2e::{Backend, Device, Enrolled, PASSWORD, SMS_NUMBER, STEP, enroll};

fn sign_in_flow(device: &Device) -> SignInFlow {
    SignInFlow::new(device.client.clone(), SignInConfig { poll_every: Duration::from_millis(20), ..Default::default() })
}

/// Records every state the listener hears.
#[derive(Default)]
struct Heard(Mutex<Vec<SignInState>>);

impl Listener<SignInState> for Heard {
    fn changed(&self, state: SignInState) {
        self.0.lock().unwrap().push(state);
    }
}

/// Waits (bounded) until the flow's state satisfies `done`: background work is real HTTP.
async fn until(flow: &SignInFlow, done: impl Fn(&SignInStep) -> bool) -> SignInState {
    for _ in 0..500 {
        let state = flow.state();
        if done(&state.step) {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the sign-in never got there; it shows {:?}", flow.state());
}

fn code_prompt(state: &SignInState) -> &twostep_core::flows::CodePromptView {
    match &state.step {
        SignInStep::Code { prompt } => prompt,
        other => panic!("expected the code prompt, got {other:?} ({:?})", state.error),
    }
}

fn signed_in(state: &SignInState) -> &twostep_core::flows::SignedInView {
    match &state.step {
        SignInStep::SignedIn { info } => info,
        other => panic!("expected signed in, got {other:?} ({:?})", state.error),
    }
}

/// A login enrolled on `phone` (app primary, SMS backup), and a laptop that signs in.
async fn seller(backend: &Backend, email: &str) -> (Device, Device, Enrolled) {
    let phone = Device::phone(backend);
    let account = enroll(backend, &phone, email).await;
    (phone, Device::laptop(backend), account)
}

#[tokio::test]
async fn sign_in_with_a_code_from_the_authenticator_app() {
    let backend = Backend::start();
    let (phone, laptop, account) = seller(&backend, "code@example.com").await;
    let flow = sign_in_flow(&laptop);
    let state = flow.submit_password(&account.email, PASSWORD).await;
    let prompt = code_prompt(&state);
    assert_eq!(prompt.role, Role::Primary);
    assert_eq!(prompt.instruction, "Enter the code from your authenticator app.");
    assert_eq!(prompt.link, "Didn't receive the code?");
    assert_eq!(prompt.remember_device_label, "Don't ask for codes on this device");
    assert_eq!(prompt.trust_lost_message, None);

    let wrong = flow.submit_code("000000", false).await;
    assert!(wrong.error.is_some(), "a wrong code is refused with a reason");
    assert!(matches!(wrong.step, SignInStep::Code { .. }), "and the seller may type again");

    let code = phone.client.code(&account.entry_id).unwrap();
    let done = flow.submit_code(&code, false).await;
    let info = signed_in(&done);
    assert_eq!(info.email, account.email);
    assert!(!info.without_code && !info.trusted);
    assert_eq!(info.message, "Signed in.");
}

#[tokio::test]
async fn didnt_receive_the_code_sends_it_to_the_backup_and_then_offers_recovery() {
    let backend = Backend::start();
    let (_phone, laptop, account) = seller(&backend, "backup@example.com").await;
    let flow = sign_in_flow(&laptop);
    flow.submit_password(&account.email, PASSWORD).await;
    let state = flow.didnt_receive_code().await;
    let prompt = code_prompt(&state);
    assert_eq!(prompt.role, Role::Backup);
    assert_eq!(prompt.method.kind, MethodKind::Sms);
    assert_eq!(prompt.instruction, "We sent a code by text message to •••• 0100.");
    assert!(!prompt.can_use_backup, "the backup's prompt leads to account recovery");
    assert_eq!(prompt.link, "No access to either method? Recover your account");

    let again = flow.didnt_receive_code().await;
    assert!(again.error.is_some(), "there is no method after the backup");

    let done = flow.submit_code(&backend.last_code(&account.email), false).await;
    signed_in(&done);
}

#[tokio::test]
async fn an_sms_primary_is_sent_its_code_at_once() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let email = "smsfirst@example.com";
    phone.client.create_login(email, PASSWORD).await.unwrap();
    phone.client.sign_in(email, PASSWORD).await.unwrap();
    phone
        .client
        .enroll(MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)), MethodChoice::AuthenticatorApp)
        .await
        .unwrap();
    let entry = phone.client.vault().lock().unwrap().list()[0].id.clone();
    phone.client.verify_method(Role::Primary, &backend.last_code(email)).await.unwrap();
    phone.client.verify_method(Role::Backup, &phone.client.code(&entry).unwrap()).await.unwrap();
    backend.advance(STEP);

    let laptop = Device::laptop(&backend);
    let flow = sign_in_flow(&laptop);
    let state = flow.submit_password(email, PASSWORD).await;
    assert_eq!(code_prompt(&state).instruction, "We sent a code by text message to •••• 0100.");
    let done = flow.submit_code(&backend.last_code(email), false).await;
    signed_in(&done);
}

#[tokio::test]
async fn a_push_approved_with_the_right_number_signs_in_by_itself() {
    let backend = Backend::start();
    let (phone, laptop, account) = seller(&backend, "push@example.com").await;
    let approvals = ApprovalsFlow::new(phone.client.clone(), ApprovalsConfig::default());
    let unregistered = approvals.state().empty_message.unwrap();
    assert!(unregistered.starts_with("This phone doesn't receive sign-in requests yet"), "{unregistered}");
    let registered = approvals.register("push-token-1").await;
    assert!(registered.registered);
    assert!(registered.empty_message.unwrap().starts_with("No sign-in requests right now."));

    let flow = sign_in_flow(&laptop);
    let heard = Arc::new(Heard::default());
    flow.set_listener(Some(heard.clone()));
    let state = flow.submit_password(&account.email, PASSWORD).await;
    assert!(code_prompt(&state).push_available);
    let waiting = flow.approve_on_phone(false).await;
    let SignInStep::PushWait { wait } = waiting.step else { panic!("expected the push wait, got {waiting:?}") };
    assert_eq!(
        wait.instruction,
        format!("Open the Seller app on your phone and enter {} to approve this sign-in.", wait.number)
    );
    assert!(wait.seconds_left > 0);

    let inbox = approvals.check_for_requests().await;
    let request = inbox.requests.first().expect("the phone shows the request").clone();
    assert_eq!(inbox.empty_message, None);
    assert_eq!(request.title, format!("Is this you signing in to {}?", account.email));
    assert_eq!(request.browser, "Firefox 128 on Linux");
    assert!(request.place.contains("127.0.0.1"), "{}", request.place);
    assert!(request.expires_in.starts_with("Expires in "));

    let answered = approvals.approve(&request.challenge_id, &wait.number.to_string()).await;
    assert_eq!(answered.notice.as_deref(), Some("Approved. The sign-in will continue on the other device."));
    assert!(answered.requests.is_empty());
    assert!(answered.empty_message.is_some(), "the list says it is empty again");

    let done = until(&flow, |s| matches!(s, SignInStep::SignedIn { .. })).await;
    assert_eq!(signed_in(&done).email, account.email);
    assert!(
        heard.0.lock().unwrap().iter().any(|s| matches!(s.step, SignInStep::SignedIn { .. })),
        "the listener heard the sign-in finish on its own"
    );
}

#[tokio::test]
async fn a_wrong_number_on_the_phone_fails_the_attempt() {
    let backend = Backend::start();
    let (phone, laptop, account) = seller(&backend, "wrongnumber@example.com").await;
    let approvals = ApprovalsFlow::new(phone.client.clone(), ApprovalsConfig::default());
    approvals.register("push-token-2").await;
    let flow = sign_in_flow(&laptop);
    flow.submit_password(&account.email, PASSWORD).await;
    let SignInStep::PushWait { wait } = flow.approve_on_phone(false).await.step else { panic!("no push wait") };
    let request = approvals.check_for_requests().await.requests[0].clone();
    let wrong = if wait.number == 99 { 98 } else { wait.number + 1 };
    let answered = approvals.approve(&request.challenge_id, &wrong.to_string()).await;
    assert_eq!(
        answered.error.as_deref(),
        Some("That number doesn't match the one on the sign-in screen, so that sign-in was stopped.")
    );
    let stopped = until(&flow, |s| matches!(s, SignInStep::Stopped { .. })).await;
    let SignInStep::Stopped { message } = stopped.step else { unreachable!() };
    assert!(message.starts_with("This sign-in was not approved on your phone"), "{message}");
}

#[tokio::test]
async fn this_wasnt_me_stops_the_sign_in_and_reports_it() {
    let backend = Backend::start();
    let (phone, laptop, account) = seller(&backend, "notme@example.com").await;
    let approvals = ApprovalsFlow::new(phone.client.clone(), ApprovalsConfig::default());
    approvals.register("push-token-3").await;
    let flow = sign_in_flow(&laptop);
    flow.submit_password(&account.email, PASSWORD).await;
    flow.approve_on_phone(false).await;
    let request = approvals.check_for_requests().await.requests[0].clone();
    let answered = approvals.not_me(&request.challenge_id).await;
    assert!(answered.notice.as_deref().unwrap().starts_with("Reported."), "{answered:?}");
    until(&flow, |s| matches!(s, SignInStep::Stopped { .. })).await;
}

#[tokio::test]
async fn a_second_sign_in_keeps_trust_and_logout_resets_it_with_the_reason() {
    let backend = Backend::start();
    let (phone, laptop, account) = seller(&backend, "trust@example.com").await;
    let flow = sign_in_flow(&laptop);
    flow.submit_password(&account.email, PASSWORD).await;
    let code = phone.client.code(&account.entry_id).unwrap();
    let first = flow.submit_code(&code, true).await;
    let info = signed_in(&first);
    assert!(info.trusted);
    assert_eq!(info.message, "Signed in. This device won't ask for codes for 30 days.");

    let again = flow.submit_password(&account.email, PASSWORD).await;
    let info = signed_in(&again);
    assert!(info.without_code);
    assert_eq!(info.message, "Signed in. This device is trusted, so no code was needed.");

    let logout = LogoutFlow::new(laptop.client.clone());
    assert!(logout.state().resets.iter().any(|r| r.contains("Don't ask for codes on this device")));
    let out = logout.logout().await;
    assert!(out.done);
    assert_eq!(out.message.as_deref(), Some("Logged out. This device will ask for a code at your next sign-in."));

    let after = flow.submit_password(&account.email, PASSWORD).await;
    assert_eq!(code_prompt(&after).trust_lost_message.as_deref(), Some(TrustLoss::LoggedOut.message()));
}

#[tokio::test]
async fn require_codes_on_all_devices_clears_every_trusted_device() {
    let backend = Backend::start();
    let (phone, laptop, account) = seller(&backend, "require@example.com").await;
    let flow = sign_in_flow(&laptop);
    flow.submit_password(&account.email, PASSWORD).await;
    flow.submit_code(&phone.client.code(&account.entry_id).unwrap(), true).await;
    backend.advance(STEP);

    let settings = SecuritySettingsFlow::new(laptop.client.clone());
    let state = settings.refresh().await;
    assert_eq!(state.email.as_deref(), Some(account.email.as_str()));
    assert_eq!(state.primary.as_ref().unwrap().label, "Authenticator app");
    assert_eq!(state.backup.as_ref().unwrap().label, "•••• 0100");
    assert!(state.this_device_trusted);
    assert_eq!(state.trusted_devices, Some(1));
    assert_eq!(state.trusted_devices_label.as_deref(), Some("1 device doesn't ask for codes."));
    assert_eq!(state.require_codes_label, "Require codes on all devices");
    assert_eq!(state.trusted.len(), 1, "{state:?}");

    let cleared = settings.require_codes_on_all_devices().await;
    assert_eq!(cleared.trusted_devices, Some(0));
    assert!(cleared.trusted.is_empty(), "the list empties with the count: {cleared:?}");
    assert!(!cleared.this_device_trusted);
    assert_eq!(cleared.this_device, TrustLoss::RequireCodesOnAllDevices.message());
    assert!(cleared.notice.is_some());

    let next = flow.submit_password(&account.email, PASSWORD).await;
    assert_eq!(code_prompt(&next).trust_lost_message.as_deref(), Some(TrustLoss::RequireCodesOnAllDevices.message()));
}

#[tokio::test]
async fn enabling_two_step_verification_refuses_a_bad_pair_then_confirms_a_good_one() {
    let backend = Backend::start();
    let phone = Device::phone(&backend);
    let email = "enable@example.com";
    phone.client.create_login(email, PASSWORD).await.unwrap();
    let flow = sign_in_flow(&phone);
    let state = flow.submit_password(email, PASSWORD).await;
    assert!(matches!(state.step, SignInStep::EnrollmentRequired { .. }), "{state:?}");

    let enable = MethodsFlow::enable(phone.client.clone());
    let MethodsStep::Choose { primary_options, .. } = enable.state().step else { panic!("choose first") };
    assert_eq!(primary_options.len(), 3);
    let labels: Vec<String> =
        enable.backup_options(MethodKind::AuthenticatorApp).into_iter().map(|o| o.label).collect();
    assert_eq!(labels, ["SMS text-enabled phone (mobile)", "Voice-enabled phone (landline or mobile)"]);

    let refused = enable.choose(MethodChoice::AuthenticatorApp, MethodChoice::AuthenticatorApp).await;
    assert_eq!(
        refused.error.as_deref(),
        Some("You cannot use an authenticator app as both your primary and backup method.")
    );
    assert_eq!(refused.error_role, Some(Role::Backup));
    let same = enable
        .choose(
            MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)),
            MethodChoice::Voice(PhoneChoice::mobile("+1 (206) 555-0100")),
        )
        .await;
    assert_eq!(
        same.error.as_deref(),
        Some("You cannot use the same telephone number for both your primary and backup method.")
    );

    let confirm =
        enable.choose(MethodChoice::AuthenticatorApp, MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER))).await;
    let MethodsStep::Confirm { role, authenticator_entry_id, instruction, .. } = confirm.step else {
        panic!("expected the confirm step, got {confirm:?}")
    };
    assert_eq!(role, Role::Primary);
    assert!(instruction.starts_with("This app now makes codes for"), "{instruction}");
    let entry = authenticator_entry_id.expect("the app's seed is in the vault");
    let next = enable.confirm(&phone.client.code(&entry).unwrap()).await;
    let MethodsStep::Confirm { role, instruction, .. } = next.step else { panic!("expected the backup, got {next:?}") };
    assert_eq!(role, Role::Backup);
    assert_eq!(instruction, "We sent a code by text message to •••• 0100. Enter it to confirm this method.");
    let done = enable.confirm(&backend.last_code(email)).await;
    assert!(matches!(done.step, MethodsStep::Done { .. }), "{done:?}");
}

#[tokio::test]
async fn changing_methods_needs_a_code_from_a_current_one() {
    let backend = Backend::start();
    let (phone, _laptop, account) = seller(&backend, "change@example.com").await;
    let settings = SecuritySettingsFlow::new(phone.client.clone()).refresh().await;
    let change = MethodsFlow::change(phone.client.clone(), settings.primary.unwrap(), settings.backup.unwrap());
    let proving = change.prove_with(Role::Backup).await;
    let MethodsStep::ProofCode { instruction, .. } = &proving.step else { panic!("{proving:?}") };
    assert_eq!(instruction, "We sent a code by text message to •••• 0100.");
    change.submit_proof("111111");
    let refused = change
        .choose(MethodChoice::AuthenticatorApp, MethodChoice::Voice(PhoneChoice::landline("+1 206 555 0199")))
        .await;
    assert!(matches!(refused.step, MethodsStep::Prove { .. }), "a wrong proof goes back to proving: {refused:?}");
    assert!(refused.error.is_some());

    change.prove_with(Role::Backup).await;
    change.submit_proof(&backend.last_code(&account.email));
    let confirm = change
        .choose(MethodChoice::AuthenticatorApp, MethodChoice::Voice(PhoneChoice::landline("+1 206 555 0199")))
        .await;
    assert!(matches!(confirm.step, MethodsStep::Confirm { role: Role::Primary, .. }), "{confirm:?}");
}

#[tokio::test]
async fn codes_count_down_on_the_clock() {
    let backend = Backend::start();
    let (phone, _laptop, _account) = seller(&backend, "codes@example.com").await;
    let codes = CodesFlow::with_client(phone.client.clone());
    let added = codes.add_link("otpauth://totp/Example:ada?secret=JBSWY3DPEHPK3PXP&issuer=Example").unwrap();
    assert_eq!(added.rows.len(), 2);
    let row = added.rows.iter().find(|r| r.issuer == "Example").unwrap().clone();
    assert_eq!(row.account, "ada");
    assert_eq!(row.grouped.len(), 7, "six digits in two groups: {}", row.grouped);
    backend.advance(1);
    let later = codes.codes_now();
    let moved = later.rows.iter().find(|r| r.issuer == "Example").unwrap();
    assert_eq!(moved.seconds_left, if row.seconds_left == 1 { 30 } else { row.seconds_left - 1 });

    let bad = codes.add_link("otpauth://totp/Example:bob?secret=not*base32").unwrap_err();
    assert!(bad.starts_with("This link can't be added:"), "{bad}");
    assert!(!bad.contains("not*base32"), "the link is never quoted");
}

#[tokio::test]
async fn settings_list_approving_phones_and_trusted_devices_and_remove_one_of_each() {
    let backend = Backend::start();
    let (phone, laptop, account) = seller(&backend, "lists@example.com").await;
    let approvals = ApprovalsFlow::new(phone.client.clone(), ApprovalsConfig::default());
    approvals.register("push-token-lists").await;
    let flow = sign_in_flow(&laptop);
    flow.submit_password(&account.email, PASSWORD).await;
    flow.submit_code(&phone.client.code(&account.entry_id).unwrap(), true).await;
    backend.advance(STEP);

    let settings = SecuritySettingsFlow::new(phone.client.clone());
    let state = settings.refresh().await;
    assert_eq!(state.approving_phones.len(), 1, "{state:?}");
    assert!(state.approving_phones[0].this_device);
    assert!(state.approving_phones[0].title.starts_with("Android phone, app"), "{}", state.approving_phones[0].title);
    assert_eq!(state.trusted.len(), 1, "{state:?}");
    assert_eq!(state.trusted[0].title, "Firefox 128 on Linux");
    assert!(!state.trusted[0].this_device);

    let revoked = settings.revoke_trust(&state.trusted[0].id).await;
    assert!(revoked.trusted.is_empty(), "{revoked:?}");
    assert_eq!(revoked.notice.as_deref(), Some("That device will ask for a code at its next sign-in."));
    let again = flow.submit_password(&account.email, PASSWORD).await;
    assert!(code_prompt(&again).trust_lost_message.is_some(), "the laptop is asked for a code and told why");

    let removed = settings.remove_phone(&state.approving_phones[0].id).await;
    assert!(removed.approving_phones.is_empty(), "{removed:?}");
    let next = flow.start_over();
    assert!(matches!(next.step, SignInStep::Password { .. }));
    let asked = flow.submit_password(&account.email, PASSWORD).await;
    assert!(!code_prompt(&asked).push_available, "a removed phone is no longer offered for approval");
}
