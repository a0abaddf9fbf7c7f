//! Push approvals: a phone registered for the login approves, denies or reports the browser's
//! sign-in, typing the number the browser shows; forged and stale requests never show.

use axum::routing::post;
use axum::{Json, Router};
use twostep_core::client::{AttemptOutcome, Client, ClientError, HttpConfig};
use twostep_core::protocol::endpoints::{AnswerOutcome, PendingChallenges, PushStarted};
use twostep_core::protocol::signed::{PROTOCOL_VERSION, SigningKey};
use twostep_core::protocol::{Challenge, ChallengeContext, Decision, MATCH_NUMBER_MAX, MATCH_NUMBER_MIN};
use twostep_e2e::{Backend, Device, Enrolled, PASSWORD, code_required, enroll, sign_in_with_code};

/// A phone enrolled for ada and registered for push, and a laptop that will sign in.
async fn phone_and_laptop(backend: &Backend) -> (Device, Device, Enrolled) {
    let phone = Device::phone(backend);
    let laptop = Device::laptop(backend);
    let account = enroll(backend, &phone, "ada@example.com").await;
    phone.client.register_device("fcm-token-1").await.expect("the phone registers");
    (phone, laptop, account)
}

/// The laptop signs in with the password and asks for a push; returns the attempt and the
/// number its screen shows.
async fn browser_asks_for_push(laptop: &Client) -> (String, PushStarted) {
    let attempt = code_required(laptop.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert!(attempt.push_available);
    let started = laptop.start_push(&attempt.attempt_id, false).await.unwrap();
    assert!((MATCH_NUMBER_MIN..=MATCH_NUMBER_MAX).contains(&started.number));
    (attempt.attempt_id, started)
}

fn another_number(n: u32) -> u32 {
    if n == MATCH_NUMBER_MAX { MATCH_NUMBER_MIN } else { n + 1 }
}

#[tokio::test]
async fn registering_a_phone_pins_the_servers_key() {
    let backend = Backend::start();
    let (phone, _, _) = phone_and_laptop(&backend).await;
    let reg = phone.client.device_registration().unwrap().expect("registered");
    assert_eq!(reg.server_public_key, backend.server().server_public_key());
}

#[tokio::test]
async fn approving_with_the_number_on_the_screen_signs_the_browser_in() {
    let backend = Backend::start();
    let (phone, laptop, account) = phone_and_laptop(&backend).await;
    let (attempt, started) = browser_asks_for_push(&laptop.client).await;
    assert_eq!(laptop.client.poll_attempt(&attempt).await.unwrap(), AttemptOutcome::Pending);

    let inbox = phone.client.check_for_requests().await.unwrap();
    assert_eq!(inbox.requests.len(), 1, "{inbox:?}");
    assert_eq!(inbox.recent, 1);
    assert_eq!(inbox.dropped.total, 0);
    let request = &inbox.requests[0];
    assert_eq!(request.challenge_id, started.challenge_id);
    assert_eq!(request.login, account.login_id);
    assert_eq!(request.email.as_deref(), Some("ada@example.com"));
    // What the user judges by: where, what, when.
    assert_eq!(request.context.ip, "127.0.0.1");
    assert_eq!(request.context.browser, "Firefox 128 on Linux");
    assert!(!request.context.location.is_empty());
    assert!(!request.context.app.is_empty());
    assert!(request.context.time <= backend.now());
    assert!(request.seconds_left > 0);

    let outcome = phone.client.answer(&request.challenge_id, Decision::Approve, Some(started.number)).await.unwrap();
    assert_eq!(outcome, AnswerOutcome::Approved);
    match laptop.client.poll_attempt(&attempt).await.unwrap() {
        AttemptOutcome::SignedIn(info) => assert_eq!(info.login_id, account.login_id),
        other => panic!("{other:?}"),
    }
    assert!(laptop.client.session().unwrap().is_some());
    assert!(phone.client.check_for_requests().await.unwrap().requests.is_empty(), "answered requests are gone");
}

#[tokio::test]
async fn a_wrong_number_refuses_the_sign_in() {
    let backend = Backend::start();
    let (phone, laptop, _) = phone_and_laptop(&backend).await;
    let (attempt, started) = browser_asks_for_push(&laptop.client).await;
    let inbox = phone.client.check_for_requests().await.unwrap();

    let err = phone
        .client
        .answer(&inbox.requests[0].challenge_id, Decision::Approve, Some(another_number(started.number)))
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::WrongNumber), "{err:?}");
    assert_eq!(laptop.client.poll_attempt(&attempt).await.unwrap(), AttemptOutcome::Denied);
}

#[tokio::test]
async fn approving_without_typing_the_number_is_refused_on_the_phone() {
    let backend = Backend::start();
    let (phone, laptop, _) = phone_and_laptop(&backend).await;
    let (attempt, _) = browser_asks_for_push(&laptop.client).await;
    let inbox = phone.client.check_for_requests().await.unwrap();
    let err = phone.client.answer(&inbox.requests[0].challenge_id, Decision::Approve, None).await.unwrap_err();
    assert!(matches!(err, ClientError::InvalidInput { field: "number", .. }), "{err:?}");
    assert_eq!(laptop.client.poll_attempt(&attempt).await.unwrap(), AttemptOutcome::Pending, "nothing was sent");
}

#[tokio::test]
async fn denying_refuses_the_sign_in() {
    let backend = Backend::start();
    let (phone, laptop, _) = phone_and_laptop(&backend).await;
    let (attempt, _) = browser_asks_for_push(&laptop.client).await;
    let inbox = phone.client.check_for_requests().await.unwrap();
    let outcome = phone.client.answer(&inbox.requests[0].challenge_id, Decision::Deny, None).await.unwrap();
    assert_eq!(outcome, AnswerOutcome::Denied);
    assert_eq!(laptop.client.poll_attempt(&attempt).await.unwrap(), AttemptOutcome::Denied);
}

#[tokio::test]
async fn this_wasnt_me_mutes_that_logins_requests_for_a_while() {
    let backend = Backend::start();
    let (phone, laptop, account) = phone_and_laptop(&backend).await;
    let (attempt, _) = browser_asks_for_push(&laptop.client).await;
    let inbox = phone.client.check_for_requests().await.unwrap();
    let outcome = phone.client.answer(&inbox.requests[0].challenge_id, Decision::NotMe, None).await.unwrap();
    assert_eq!(outcome, AnswerOutcome::Reported);
    assert_eq!(laptop.client.poll_attempt(&attempt).await.unwrap(), AttemptOutcome::Denied);
    assert_eq!(phone.client.muted_until(&account.login_id), Some(backend.now() + 30 * 60));

    // The attacker tries again: the request is not shown, but it is counted.
    backend.advance(60);
    browser_asks_for_push(&laptop.client).await;
    let inbox = phone.client.check_for_requests().await.unwrap();
    assert!(inbox.requests.is_empty(), "{inbox:?}");
    assert_eq!(inbox.muted, 1);
    assert_eq!(inbox.recent, 2, "both requests came in the last ten minutes");
    assert_eq!(phone.client.muted_total(), 1);

    // Thirty minutes on, requests show again.
    backend.advance(30 * 60);
    assert_eq!(phone.client.muted_until(&account.login_id), None);
    browser_asks_for_push(&laptop.client).await;
    let inbox = phone.client.check_for_requests().await.unwrap();
    assert_eq!(inbox.requests.len(), 1);
    assert_eq!(inbox.muted, 0);
}

#[tokio::test]
async fn the_same_sign_in_asked_twice_shows_once() {
    let backend = Backend::start();
    let (phone, laptop, _) = phone_and_laptop(&backend).await;
    browser_asks_for_push(&laptop.client).await;
    backend.advance(20);
    let (_, newest) = browser_asks_for_push(&laptop.client).await;

    let inbox = phone.client.check_for_requests().await.unwrap();
    assert_eq!(inbox.requests.len(), 1, "{inbox:?}");
    assert_eq!(inbox.requests[0].challenge_id, newest.challenge_id, "the newest, whose number is on screen");
    assert_eq!(inbox.requests[0].collapsed, 1);
    assert_eq!(inbox.recent, 2);
}

#[tokio::test]
async fn a_second_phone_answering_late_is_told_it_was_already_answered() {
    let backend = Backend::start();
    let (phone, laptop, account) = phone_and_laptop(&backend).await;
    let tablet = Device::phone(&backend);
    sign_in_with_code(&backend, &tablet.client, &phone.client, &account, false).await;
    tablet.client.register_device("fcm-token-2").await.unwrap();

    let (_, started) = browser_asks_for_push(&laptop.client).await;
    let on_phone = phone.client.check_for_requests().await.unwrap();
    let on_tablet = tablet.client.check_for_requests().await.unwrap();
    assert_eq!(on_tablet.requests[0].challenge_id, on_phone.requests[0].challenge_id);

    phone.client.answer(&started.challenge_id, Decision::Approve, Some(started.number)).await.unwrap();
    let err = tablet.client.answer(&started.challenge_id, Decision::Deny, None).await.unwrap_err();
    assert!(matches!(err, ClientError::AlreadyAnswered), "{err:?}");
}

#[tokio::test]
async fn an_expired_request_cannot_be_answered() {
    let backend = Backend::start();
    let (phone, laptop, _) = phone_and_laptop(&backend).await;
    let (_, started) = browser_asks_for_push(&laptop.client).await;
    phone.client.check_for_requests().await.unwrap();
    backend.advance(started.expires_at - backend.now());
    let err = phone.client.answer(&started.challenge_id, Decision::Approve, Some(started.number)).await.unwrap_err();
    assert!(matches!(err, ClientError::Expired), "{err:?}");
}

#[tokio::test]
async fn an_unregistered_device_is_told_to_register() {
    let backend = Backend::start();
    let laptop = Device::laptop(&backend);
    let err = laptop.client.check_for_requests().await.unwrap_err();
    assert!(matches!(err, ClientError::UnknownDevice), "{err:?}");
    let err = laptop.client.answer("anything", Decision::Deny, None).await.unwrap_err();
    assert!(matches!(err, ClientError::UnknownDevice), "{err:?}");
}

/// A server that is not ours (a DNS hijack, a rogue proxy) hands the phone a challenge for
/// its very device id, signed with a key that is not the pinned one. The phone drops it
/// before anything of it is shown, and it cannot be answered.
#[tokio::test]
async fn a_challenge_signed_by_another_key_is_refused() {
    let backend = Backend::start();
    let (phone, _, account) = phone_and_laptop(&backend).await;
    let device_id = phone.client.device_registration().unwrap().unwrap().device_id;

    let forger = SigningKey::generate();
    let now = backend.now();
    let forged = forger.sign(&Challenge {
        v: PROTOCOL_VERSION,
        id: "forged-1".into(),
        login: account.login_id.clone(),
        device_id: device_id.clone(),
        issued_at: now,
        expires_at: now + 120,
        nonce: "attacker-nonce".into(),
        context: ChallengeContext {
            ip: "127.0.0.1".into(),
            location: "Seattle, US".into(),
            browser: "Firefox 128 on Linux".into(),
            app: "Seller Central".into(),
            time: now,
        },
    });
    let rogue = Router::new().route(
        twostep_core::protocol::paths::DEVICE_CHALLENGES,
        post(move || {
            let forged = forged.clone();
            async move { Json(PendingChallenges { challenges: vec![forged] }) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let rogue_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, rogue).await });

    // The same installation (same vault, same pinned key) talking to the rogue server.
    let fooled = phone.relaunch(&rogue_url, phone.client.identity().clone(), HttpConfig::default());
    let inbox = fooled.check_for_requests().await.unwrap();
    assert!(inbox.requests.is_empty(), "{inbox:?}");
    assert_eq!(inbox.dropped.bad_signature, 1);
    assert_eq!(inbox.recent, 0, "a refused challenge is not a request that came in");
    assert_eq!(fooled.dropped_challenges().bad_signature, 1);
    let err = fooled.answer("forged-1", Decision::Approve, Some(42)).await.unwrap_err();
    assert!(matches!(err, ClientError::UnknownChallenge(_)), "{err:?}");
}

/// Serves `router` on a free loopback port; returns its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

/// A server in the real one's place answers a new registration with its own key: the phone
/// keeps the key it pinned at its first registration and refuses, until the seller chooses
/// to re-enrol.
#[tokio::test]
async fn a_registration_cannot_swap_the_pinned_server_key() {
    let backend = Backend::start();
    let (phone, _, _) = phone_and_laptop(&backend).await;
    let pinned = phone.client.device_registration().unwrap().unwrap().server_public_key;

    let impostor = SigningKey::generate().public_key_b64();
    let rogue_url = serve(Router::new().route(
        "/v1/devices",
        post(move || {
            let key = impostor.clone();
            async move { Json(serde_json::json!({"device_id": "rogue-device", "server_public_key": key})) }
        }),
    ))
    .await;
    let fooled = phone.relaunch(&rogue_url, phone.client.identity().clone(), HttpConfig::default());
    let refused = fooled.register_device("fcm-token-2").await;
    assert!(matches!(refused, Err(ClientError::ServerKeyChanged)), "{refused:?}");

    // The real server's key still verifies; a deliberate re-enrolment may pin anew.
    let again = phone.client.register_device("fcm-token-3").await.unwrap();
    assert_eq!(again.server_public_key, pinned);
    fooled.forget_server_key().unwrap();
    let repinned = fooled.register_device("fcm-token-4").await.unwrap();
    assert_ne!(repinned.server_public_key, pinned, "re-enrolment pinned the key it was shown");
}

/// A server that answers with a body far larger than any answer of the protocol is not read
/// into memory: the call fails with its own error.
#[tokio::test]
async fn an_oversized_answer_is_refused_without_reading_it_all() {
    let backend = Backend::start();
    let (phone, _, _) = phone_and_laptop(&backend).await;
    let huge = "x".repeat(4 * 1024 * 1024);
    let rogue_url = serve(Router::new().route(
        "/v1/devices/{device}/challenges",
        post(move || {
            let huge = huge.clone();
            async move { huge }
        }),
    ))
    .await;
    let fooled = phone.relaunch(&rogue_url, phone.client.identity().clone(), HttpConfig::default());
    let refused = fooled.check_for_requests().await;
    assert!(matches!(refused, Err(ClientError::ResponseTooLarge { .. })), "{refused:?}");
}
