//! Attacks on the password step: racing the throttle, flooding the server with Argon2 work,
//! and locking the owner out by failing on purpose.

use std::net::Ipv4Addr;

use twostep_core::protocol::ErrorCode;
use twostep_core::protocol::endpoints::*;
use twostep_server::{HashingLimit, PasswordCost};

use crate::support::*;

/// Runs the futures at once on the test's runtime and collects their results in order.
async fn join_all<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("the request task"));
    }
    out
}

/// OWASP's memory with four times its passes: each hash takes long enough that a flood of 32
/// requests is in flight at once even on a loaded machine.
const SLOW: PasswordCost = PasswordCost { memory_kib: 19 * 1024, iterations: 8, parallelism: 1 };

fn wrong(email: &str) -> SignIn {
    SignIn { email: email.into(), password: "guess guess".into(), client: laptop(), trust_token: None }
}

/// Fires `n` sign-ins at once from `http`; returns (status, error code, Retry-After) of each.
async fn simultaneous(h: &Harness, n: usize, body: impl Fn(usize) -> SignIn) -> Vec<(u16, ErrorCode, Option<String>)> {
    let url = format!("{}/v1/signin", h.server.url());
    let requests = (0..n)
        .map(|i| {
            let req = h.http.post(url.clone()).json(&body(i));
            async move {
                let res = req.send().await.expect("the server answers");
                let status = res.status().as_u16();
                let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
                let body: twostep_core::protocol::ErrorBody = res.json().await.expect("an error body");
                (status, body.error.code, retry)
            }
        })
        .collect();
    join_all(requests).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attack_sixteen_simultaneous_wrong_passwords_get_only_the_free_tries() {
    // The real cost, so each check takes long enough for all sixteen to be in flight, and room
    // to hash all of them at once: only the throttle may stop them.
    let h = Harness::start_with(|c| {
        c.password_cost = PasswordCost::OWASP;
        c.hashing = HashingLimit { running: 16, waiting: 16 };
    });
    h.create_login("ada@example.com").await;
    let answers = simultaneous(&h, 16, |_| wrong("ada@example.com")).await;
    let checked = answers.iter().filter(|(_, code, _)| *code == ErrorCode::WrongPassword).count();
    let throttled = answers.iter().filter(|(_, code, _)| *code == ErrorCode::Throttled).count();
    assert_eq!(checked, 5, "only the five free tries are checked: {answers:?}");
    assert_eq!(throttled, 11, "{answers:?}");
    // Throttled even with the right password.
    h.sign_in_as("ada@example.com", laptop(), None).await.refused(ErrorCode::Throttled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attack_a_flood_of_sign_ins_is_answered_busy_with_retry_after() {
    // One hash at a time and one waiting: the rest of a flood must be turned away at once,
    // not queued (each hash holds 19 MiB).
    let h = Harness::start_with(|c| {
        c.password_cost = SLOW;
        c.hashing = HashingLimit { running: 1, waiting: 1 };
    });
    let answers = simultaneous(&h, 32, |i| wrong(&format!("nobody{i}@example.com"))).await;
    let busy: Vec<_> = answers.iter().filter(|(_, code, _)| *code == ErrorCode::Busy).collect();
    assert!(!busy.is_empty(), "a flood past the bound is answered busy: {answers:?}");
    for (status, _, retry) in &busy {
        assert_eq!(*status, 503);
        assert_eq!(retry.as_deref(), Some("1"), "busy says when to retry");
    }
    assert!(
        answers.iter().all(|(_, code, _)| matches!(code, ErrorCode::Busy | ErrorCode::WrongPassword)),
        "{answers:?}"
    );
    // Once the flood is over, sign-ins are checked again.
    h.post("/v1/signin", &wrong("nobody@example.com"), None).await.refused(ErrorCode::WrongPassword);
}

#[tokio::test]
async fn attack_a_stranger_failing_on_purpose_does_not_lock_the_owner_out_of_their_network() {
    let h = Harness::start();
    h.enrolled("ada@example.com").await;
    let stranger = client_from(Ipv4Addr::new(127, 0, 0, 2));
    for _ in 0..5 {
        h.send_via(
            &stranger,
            reqwest::Method::POST,
            "/v1/signin",
            Some(serde_json::to_value(wrong("ada@example.com")).unwrap()),
            None,
        )
        .await
        .refused(ErrorCode::WrongPassword);
    }
    h.send_via(
        &stranger,
        reqwest::Method::POST,
        "/v1/signin",
        Some(serde_json::to_value(wrong("ada@example.com")).unwrap()),
        None,
    )
    .await
    .refused(ErrorCode::Throttled);
    // The owner, on their own network, is not held back by the stranger's failures.
    h.code_required("ada@example.com", laptop(), None).await;
}

#[tokio::test]
async fn attack_a_stranger_on_many_networks_hits_the_hourly_cap_but_the_trusted_device_still_signs_in() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let owner = h.sign_in_with_code(&account, laptop(), true).await;
    let token = owner.trust_token.expect("a trust token");
    // Twenty networks, five free tries each: the login's 100 wrong passwords an hour.
    for n in 0..20u8 {
        let stranger = client_from(Ipv4Addr::new(127, 0, 1, 10 + n));
        for _ in 0..5 {
            let body = serde_json::to_value(wrong("ada@example.com")).unwrap();
            h.send_via(&stranger, reqwest::Method::POST, "/v1/signin", Some(body), None)
                .await
                .refused(ErrorCode::WrongPassword);
        }
    }
    // ASVS's limit holds: a new network gets no more tries this hour, right password or not.
    let fresh = client_from(Ipv4Addr::new(127, 0, 2, 1));
    let body = serde_json::to_value(SignIn {
        email: "ada@example.com".into(),
        password: PASSWORD.into(),
        client: client_info("other-laptop", "128.0"),
        trust_token: None,
    })
    .unwrap();
    let e =
        h.send_via(&fresh, reqwest::Method::POST, "/v1/signin", Some(body), None).await.refused(ErrorCode::Throttled);
    assert!(e.retry_after.unwrap() <= 3600);
    // The owner's trusted device is outside the cap: it signs in, without a code.
    match h.sign_in_as("ada@example.com", laptop(), Some(token.expose())).await.ok() {
        SignInResponse::SignedIn(_) => {}
        other => panic!("the trusted device should sign in, got {other:?}"),
    }
}

#[tokio::test]
async fn attack_the_throttle_does_not_tell_which_emails_are_logins() {
    let h = Harness::start();
    h.create_login("ada@example.com").await;
    let mut answers = Vec::new();
    for email in ["ada@example.com", "nobody@example.com"] {
        for _ in 0..5 {
            h.post("/v1/signin", &wrong(email), None).await.refused(ErrorCode::WrongPassword);
        }
        let res = h.post("/v1/signin", &wrong(email), None).await;
        answers.push((res.status, res.body));
    }
    assert_eq!(answers[0], answers[1], "a login and an unknown email are throttled alike");
    assert_eq!(answers[0].0, 429);
}

#[tokio::test]
async fn attack_a_stranger_on_the_owners_own_network_does_not_hold_back_the_trusted_device() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let token = h.sign_in_with_code(&account, laptop(), true).await.trust_token.expect("a trust token");
    // The stranger fails from the very network the owner is on (a shared office, a café).
    for _ in 0..5 {
        h.post("/v1/signin", &wrong("ada@example.com"), None).await.refused(ErrorCode::WrongPassword);
    }
    h.sign_in_as("ada@example.com", client_info("laptop-9", "128.0"), None).await.refused(ErrorCode::Throttled);
    match h.sign_in_as("ada@example.com", laptop(), Some(token.expose())).await.ok() {
        SignInResponse::SignedIn(_) => {}
        other => panic!("the trusted device should sign in, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attack_a_flood_of_new_logins_is_answered_busy_too() {
    let h = Harness::start_with(|c| {
        c.password_cost = SLOW;
        c.hashing = HashingLimit { running: 1, waiting: 1 };
    });
    let url = format!("{}/v1/logins", h.server.url());
    let requests = (0..32)
        .map(|i| {
            let req = h
                .http
                .post(url.clone())
                .json(&CreateLogin { email: format!("seller{i}@example.com"), password: PASSWORD.into() });
            async move {
                let res = req.send().await.expect("the server answers");
                (res.status().as_u16(), res.headers().get("retry-after").is_some())
            }
        })
        .collect();
    let answers = join_all(requests).await;
    assert!(answers.iter().any(|&(status, retry)| status == 503 && retry), "{answers:?}");
    assert!(answers.iter().all(|&(status, _)| status == 200 || status == 503), "{answers:?}");
}
