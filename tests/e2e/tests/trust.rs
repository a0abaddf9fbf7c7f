//! "Don't ask for codes on this device": trust kept across sign-ins, and every way it ends —
//! logout (even offline), a new network, an app update, "Require codes on all devices",
//! cleared app data, expiry — each with the reason the app shows.

use twostep_core::client::HttpConfig;
use twostep_core::client::SignInOutcome;
use twostep_core::client::state;
use twostep_core::protocol::TrustLoss;
use twostep_e2e::{
    APP_VERSION_NEXT, Backend, Device, Enrolled, PASSWORD, app_identity, code_required, enroll, sign_in_with_code,
};

/// A phone enrolled for ada that chose "Don't ask for codes on this device".
async fn trusted_phone(backend: &Backend) -> (Device, Enrolled) {
    let phone = Device::phone(backend);
    let account = enroll(backend, &phone, "ada@example.com").await;
    let info = sign_in_with_code(backend, &phone.client, &phone.client, &account, true).await;
    assert!(info.trusted, "{info:?}");
    assert!(info.trust_expires_at.is_some());
    (phone, account)
}

#[tokio::test]
async fn a_trusted_device_signs_in_again_without_a_code() {
    let backend = Backend::start();
    let (phone, account) = trusted_phone(&backend).await;
    assert!(phone.client.is_trusted().unwrap());
    match phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap() {
        SignInOutcome::SignedIn(info) => {
            assert!(info.without_code && info.trusted);
            assert_eq!(info.login_id, account.login_id);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(phone.client.trusted_device_count().await.unwrap(), 1);
}

#[tokio::test]
async fn logout_resets_trust_on_this_device() {
    let backend = Backend::start();
    let (phone, account) = trusted_phone(&backend).await;

    let out = phone.client.logout().await.unwrap();
    assert!(out.trust_reset && out.delivered && out.trust_revoked, "{out:?}");
    assert_eq!(out.queued, 0);
    let status = phone.client.trust_status().unwrap();
    assert!(!status.trusted);
    assert_eq!(status.lost, Some(TrustLoss::LoggedOut));
    assert!(phone.client.session().unwrap().is_none());

    let attempt = code_required(phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.trust_lost, Some(TrustLoss::LoggedOut));
    assert!(attempt.trust_lost_message.as_deref().unwrap().contains("logged out"));
    let code = phone.client.code(&account.entry_id).unwrap();
    phone.client.verify_code(&attempt.attempt_id, &code, false).await.unwrap();
    assert_eq!(phone.client.trusted_device_count().await.unwrap(), 0, "the server revoked the token too");
}

#[tokio::test]
async fn a_logout_while_offline_resets_trust_at_once_and_reaches_the_server_later() {
    let mut backend = Backend::start();
    let (phone, account) = trusted_phone(&backend).await;

    backend.stop();
    let out = phone.client.logout().await.expect("logout never fails for want of a network");
    assert!(out.trust_reset && !out.delivered, "{out:?}");
    assert_eq!(out.queued, 1);
    assert!(!phone.client.is_trusted().unwrap(), "trust is gone before the server hears of it");
    assert_eq!(phone.client.pending_logouts().unwrap(), 1);

    // Back online: the next request that reaches the server delivers the queued logout.
    backend.restart();
    let attempt = code_required(phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.trust_lost, Some(TrustLoss::LoggedOut));
    assert_eq!(phone.client.pending_logouts().unwrap(), 0);
    let code = phone.client.code(&account.entry_id).unwrap();
    phone.client.verify_code(&attempt.attempt_id, &code, false).await.unwrap();
    assert_eq!(phone.client.trusted_device_count().await.unwrap(), 0, "the old token was revoked");
}

#[tokio::test]
async fn a_queued_logout_goes_out_on_flush_pending() {
    let mut backend = Backend::start();
    let (phone, _) = trusted_phone(&backend).await;
    backend.stop();
    phone.client.logout().await.unwrap();
    let still_offline = phone.client.flush_pending().await.unwrap();
    assert_eq!((still_offline.delivered, still_offline.remaining), (0, 1));

    backend.restart();
    let flushed = phone.client.flush_pending().await.unwrap();
    assert_eq!((flushed.delivered, flushed.remaining), (1, 0));
    // A relaunched app finds nothing left to send.
    let relaunched = phone.relaunch(&backend.url(), phone.client.identity().clone(), HttpConfig::default());
    assert_eq!(relaunched.pending_logouts().unwrap(), 0);
}

#[tokio::test]
async fn a_new_network_asks_for_a_code_again() {
    let backend = Backend::start();
    let (phone, _) = trusted_phone(&backend).await;
    let moved = phone.on_other_network(&backend);
    assert!(moved.is_trusted().unwrap(), "the phone cannot tell its network changed; the server can");

    let attempt = code_required(moved.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.trust_lost, Some(TrustLoss::NetworkChanged));
    let status = moved.trust_status().unwrap();
    assert_eq!((status.trusted, status.lost), (false, Some(TrustLoss::NetworkChanged)));
    // Same installation: the original client sees the same.
    assert!(!phone.client.is_trusted().unwrap());
}

#[tokio::test]
async fn an_app_update_ends_trust_even_before_asking_the_server() {
    let backend = Backend::start();
    let (phone, _) = trusted_phone(&backend).await;
    let updated = phone.relaunch(&backend.url(), app_identity(APP_VERSION_NEXT), HttpConfig::default());

    let status = updated.trust_status().unwrap();
    assert_eq!((status.trusted, status.lost), (false, Some(TrustLoss::AppUpdated)), "told locally, offline");
    let attempt = code_required(updated.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.trust_lost, Some(TrustLoss::AppUpdated));
}

#[tokio::test]
async fn require_codes_on_all_devices_leaves_no_device_trusted() {
    let backend = Backend::start();
    let (phone, account) = trusted_phone(&backend).await;
    let laptop = Device::laptop(&backend);
    sign_in_with_code(&backend, &laptop.client, &phone.client, &account, true).await;
    assert_eq!(phone.client.trusted_device_count().await.unwrap(), 2);

    assert_eq!(phone.client.require_codes_on_all_devices().await.unwrap(), 0);
    assert_eq!(phone.client.trusted_device_count().await.unwrap(), 0);
    let status = phone.client.trust_status().unwrap();
    assert_eq!((status.trusted, status.lost), (false, Some(TrustLoss::RequireCodesOnAllDevices)));

    // The laptop learns it at its next sign-in.
    let attempt = code_required(laptop.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.trust_lost, Some(TrustLoss::RequireCodesOnAllDevices));
    assert!(!laptop.client.is_trusted().unwrap());
}

#[tokio::test]
async fn cleared_app_data_asks_for_a_code_with_its_reason() {
    let backend = Backend::start();
    let (phone, _) = trusted_phone(&backend).await;
    // The token goes missing behind the core's back (the platform cleared it).
    assert!(phone.vault.lock().unwrap().delete_state(state::TRUST).unwrap());

    let status = phone.client.trust_status().unwrap();
    assert_eq!((status.trusted, status.lost), (false, Some(TrustLoss::AppDataCleared)));
    let attempt = code_required(phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.trust_lost, Some(TrustLoss::AppDataCleared));
}

#[tokio::test]
async fn trust_expires() {
    let backend = Backend::start();
    let (phone, _) = trusted_phone(&backend).await;
    let expires_at = phone.client.trust_status().unwrap().expires_at.unwrap();
    backend.advance(expires_at - backend.now());

    assert_eq!(phone.client.trust_status().unwrap().lost, Some(TrustLoss::Expired));
    let attempt = code_required(phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap());
    assert_eq!(attempt.trust_lost, Some(TrustLoss::Expired));
}

#[tokio::test]
async fn the_trust_token_never_shows_in_debug_output() {
    let backend = Backend::start();
    let (phone, _) = trusted_phone(&backend).await;
    let stored = phone.vault.lock().unwrap().state(state::TRUST).unwrap().unwrap();
    let record: serde_json::Value = serde_json::from_slice(stored.expose()).unwrap();
    let token = record["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 16);

    let outcome = phone.client.sign_in("ada@example.com", PASSWORD).await.unwrap();
    for shown in [
        format!("{:?}", phone.client),
        format!("{:?}", phone.client.trust_status().unwrap()),
        format!("{outcome:?}"),
        format!("{:?}", phone.client.session().unwrap()),
    ] {
        assert!(!shown.contains(&token), "{shown}");
        assert!(!shown.contains(PASSWORD), "{shown}");
    }
}
