//! A lost phone and a forgotten browser: listing and removing push registrations, the cap
//! on them, logout taking this device's registration along, listing and revoking trust one
//! device at a time; and device messages of an unknown protocol version.

use twostep_core::protocol::endpoints::*;
use twostep_core::protocol::signed::SigningKey;
use twostep_core::protocol::{Decision, DeviceProof, ErrorCode};

use crate::push::*;
use crate::support::*;

async fn devices(h: &Harness, session: &str) -> Devices {
    h.get("/v1/devices", Some(session)).await.ok()
}

#[tokio::test]
async fn attack_a_lost_phone_is_listed_removed_and_can_no_longer_approve() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let phone = register_phone(&h, &account.session).await;
    let listed = devices(&h, &account.session).await;
    assert_eq!(listed.max_devices, 10);
    assert_eq!(listed.devices.len(), 1);
    let d = &listed.devices[0];
    assert_eq!(
        (d.device_id.as_str(), d.platform.as_str(), d.app_version.as_str()),
        (phone.device_id.as_str(), "android", "3.2.0")
    );
    assert_eq!((d.added_at, d.last_seen_at), (h.now(), None));

    // The phone fetches a request: it is "last seen" then.
    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    start_push(&h, &attempt.attempt_id, false).await.ok::<PushStarted>();
    let challenges = fetch(&h, &phone).await;
    assert_eq!(devices(&h, &account.session).await.devices[0].last_seen_at, Some(h.now()));

    // The seller removes the lost phone; its answer no longer counts, and no push is offered.
    let removed: DeviceRemoved = h
        .send_via(
            &h.http,
            reqwest::Method::DELETE,
            &format!("/v1/devices/{}", phone.device_id),
            None,
            Some(&account.session),
        )
        .await
        .ok();
    assert_eq!(removed.device_id, phone.device_id);
    assert!(devices(&h, &account.session).await.devices.is_empty());
    let answer = phone.key.sign(&answer_of(&phone, &challenges[0], Decision::Approve, Some(10), h.now()));
    send_answer(&h, &challenges[0].id, &answer).await.refused(ErrorCode::UnknownDevice);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
    assert!(!h.code_required("ada@example.com", laptop(), None).await.push_available);
    // Removing it again, or another login's phone, is `not_found`.
    h.send_via(
        &h.http,
        reqwest::Method::DELETE,
        &format!("/v1/devices/{}", phone.device_id),
        None,
        Some(&account.session),
    )
    .await
    .refused(ErrorCode::NotFound);
}

#[tokio::test]
async fn attack_another_logins_phone_cannot_be_listed_or_removed() {
    let h = Harness::start();
    let ada = h.enrolled("ada@example.com").await;
    let bob = h.enrolled("bob@example.com").await;
    let phone = register_phone(&h, &ada.session).await;
    assert!(devices(&h, &bob.session).await.devices.is_empty());
    h.send_via(&h.http, reqwest::Method::DELETE, &format!("/v1/devices/{}", phone.device_id), None, Some(&bob.session))
        .await
        .refused(ErrorCode::NotFound);
    assert_eq!(devices(&h, &ada.session).await.devices.len(), 1);
}

#[tokio::test]
async fn registrations_are_capped_and_none_is_evicted_silently() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(register_phone(&h, &account.session).await.device_id);
    }
    let key = SigningKey::generate();
    let req = RegisterDevice {
        public_key: key.public_key_b64(),
        platform: "ios".into(),
        push_token: "apns".into(),
        app_version: "3.2.0".into(),
    };
    let e = h.post("/v1/devices", &req, Some(&account.session)).await.refused(ErrorCode::TooManyDevices);
    assert!(e.message.contains("Remove one"), "{e:?}");
    let listed: Vec<String> = devices(&h, &account.session).await.devices.into_iter().map(|d| d.device_id).collect();
    assert_eq!(listed, ids, "all ten kept, oldest first");
    // After removing one, there is room again.
    h.send_via(&h.http, reqwest::Method::DELETE, &format!("/v1/devices/{}", ids[0]), None, Some(&account.session))
        .await
        .ok::<DeviceRemoved>();
    h.post("/v1/devices", &req, Some(&account.session)).await.ok::<DeviceRegistered>();
}

#[tokio::test]
async fn logout_removes_this_devices_push_registration_only() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let other = register_phone(&h, &account.session).await; // made from "laptop-1"
    let on_phone = h.sign_in_with_code(&account, client_info("phone-1", "3.2.0"), false).await;
    let phone = register_phone(&h, on_phone.session.expose()).await;
    let listed = devices(&h, on_phone.session.expose()).await.devices;
    let this: Vec<bool> = listed.iter().map(|d| d.this_device).collect();
    assert_eq!(this, [false, true]);

    h.post("/v1/logout", &Logout { trust_token: None }, Some(on_phone.session.expose())).await.ok::<LoggedOut>();
    let left: Vec<String> = devices(&h, &account.session).await.devices.into_iter().map(|d| d.device_id).collect();
    assert_eq!(left, [other.device_id]);
    let e = fetch_raw(&h, &phone, &proof(&phone, h.now())).await.refused(ErrorCode::UnknownDevice);
    assert!(!e.message.is_empty());
}

#[tokio::test]
async fn one_trusted_browser_can_be_revoked_and_the_others_stay_trusted() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let home = h.sign_in_with_code(&account, client_info("laptop-1", "128.0"), true).await;
    let work = h.sign_in_with_code(&account, client_info("laptop-2", "128.0"), true).await;
    let (home_token, work_token) = (home.trust_token.unwrap(), work.trust_token.unwrap());

    // A trusted sign-in marks its trust as used.
    let used_at = h.now();
    let SignInResponse::SignedIn(again) =
        h.sign_in_as("ada@example.com", client_info("laptop-1", "128.0"), Some(home_token.expose())).await.ok()
    else {
        panic!("laptop-1 is trusted")
    };
    let listed: TrustedDevices = h.get("/v1/trust/devices", Some(again.session.expose())).await.ok();
    assert_eq!(listed.devices.len(), 2);
    let laptop1 = listed.devices.iter().find(|d| d.this_device).expect("this device is marked");
    assert_eq!(laptop1.user_agent, "Firefox 128 on Linux");
    assert_eq!(laptop1.network, "127.0.0.1");
    assert_eq!(laptop1.last_used_at, Some(used_at));
    assert_eq!(laptop1.expires_at, laptop1.added_at + 30 * 86_400);
    let laptop2 = listed.devices.iter().find(|d| !d.this_device).unwrap();
    assert_eq!(laptop2.last_used_at, None);

    // Revoke the work laptop only.
    let revoked: TrustRevoked = h
        .send_via(
            &h.http,
            reqwest::Method::DELETE,
            &format!("/v1/trust/devices/{}", laptop2.trust_id),
            None,
            Some(again.session.expose()),
        )
        .await
        .ok();
    assert_eq!(revoked.trusted_devices, 1);
    let c = h.code_required("ada@example.com", client_info("laptop-2", "128.0"), Some(work_token.expose())).await;
    assert_eq!(c.trust_lost, Some(twostep_core::protocol::TrustLoss::LoggedOut));
    match h.sign_in_as("ada@example.com", client_info("laptop-1", "128.0"), Some(home_token.expose())).await.ok() {
        SignInResponse::SignedIn(_) => {}
        other => panic!("laptop-1 stays trusted, got {other:?}"),
    }
    // Revoking it again, or an unknown id, is `not_found`.
    h.send_via(
        &h.http,
        reqwest::Method::DELETE,
        &format!("/v1/trust/devices/{}", laptop2.trust_id),
        None,
        Some(again.session.expose()),
    )
    .await
    .refused(ErrorCode::NotFound);
}

#[tokio::test]
async fn attack_device_messages_of_an_unknown_protocol_version_are_refused() {
    let h = Harness::start();
    let account = h.enrolled("ada@example.com").await;
    let phone = register_phone(&h, &account.session).await;
    let future = phone.key.sign(&DeviceProof {
        v: 2,
        device_id: phone.device_id.clone(),
        nonce: fresh_id(),
        issued_at: h.now(),
        expires_at: h.now() + 60,
    });
    let e = fetch_raw(&h, &phone, &future).await.refused(ErrorCode::UnsupportedVersion);
    assert_eq!(e.field.as_deref(), Some("v"));

    let attempt = h.code_required("ada@example.com", laptop(), None).await;
    let push: PushStarted = start_push(&h, &attempt.attempt_id, false).await.ok();
    let c = fetch(&h, &phone).await.remove(0);
    let mut answer = answer_of(&phone, &c, Decision::Approve, Some(push.number), h.now());
    answer.v = 0;
    send_answer(&h, &c.id, &phone.key.sign(&answer)).await.refused(ErrorCode::UnsupportedVersion);
    assert_eq!(status(&h, &attempt.attempt_id).await, AttemptStatus::Pending);
}
