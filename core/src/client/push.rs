//! Push approvals on the phone: registering this device, fetching "Is this you signing in?"
//! requests, and answering them with a signed, number-matched answer.
//!
//! - **Registration** makes a device key ([`DeviceKeyStore`]), registers its public key, and
//!   *pins* the server's public key from the answer in the vault (`push.registration`). Every
//!   challenge afterwards must verify with that key; a server key that changes is not
//!   followed (register again), which is what pinning means.
//! - **Fetching** (the platform push only says "something is pending"; also the app's
//!   "Check for requests") proves the device holds its key with a signed [`DeviceProof`],
//!   then verifies every challenge *before anything of it is read* ([`accept`]): a challenge
//!   that fails the signature, names another device, or has expired is dropped and counted,
//!   never shown. What remains goes through the [`FatigueGuard`].
//! - **Answering** approve / deny / "this wasn't me" with the number the user typed, the
//!   challenge's nonce echoed, a fresh random id, and a 60-second expiry by the corrected
//!   clock, signed with the device key. "This wasn't me" mutes that login at once, even if
//!   the answer cannot be sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use data_encoding::BASE64URL_NOPAD;
use serde::Serialize;

use super::device_key::DeviceKeyStore;
use super::error::{ClientError, Result};
use super::fatigue::{FatigueConfig, FatigueGuard};
use super::identity::{random_bytes, random_hex};
use super::state::{self, PushRegistration, SessionRecord};
use super::{Client, Inner};
use crate::protocol::endpoints::{AnswerAccepted, AnswerOutcome, DeviceRegistered, PendingChallenges, RegisterDevice};
use crate::protocol::paths;
use crate::protocol::signed::{PROTOCOL_VERSION, check_public_key, verify};
use crate::protocol::{
    Answer, Challenge, ChallengeContext, Decision, DeviceProof, MATCH_NUMBER_MAX, MATCH_NUMBER_MIN, SignatureError,
    SignedEnvelope,
};
use crate::secret::{SecretBytes, SecretString};

/// Lifetime of an answer and of a device proof: long enough for a slow network, short
/// enough that a captured one is useless soon after.
pub const ANSWER_TTL_SECS: u64 = 60;

/// This device as registered for push.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceRegistration {
    /// The server's id for this device.
    pub device_id: String,
    /// The pinned server key (base64url uncompressed P-256 point).
    pub server_public_key: String,
}

/// One request the user judges, and everything shown to judge it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PushRequest {
    pub challenge_id: String,
    /// The login's id, as the challenge names it.
    pub login: String,
    /// The login's email when it is the one signed in on this phone (for "Signing in to …").
    pub email: Option<String>,
    /// IP, approximate location, browser/OS, app, time of the sign-in.
    pub context: ChallengeContext,
    pub issued_at: u64,
    pub expires_at: u64,
    /// By the corrected clock, when the requests were fetched.
    pub seconds_left: u64,
    /// Older requests from the same context that this one stands for.
    pub collapsed: u32,
}

/// Challenges refused before anything was shown, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DroppedChallenges {
    /// The signature does not verify with the pinned server key (forged or altered).
    pub bad_signature: u32,
    /// Verified, but not a challenge this version understands.
    pub malformed: u32,
    /// Verified, but addressed to another device.
    pub other_device: u32,
    /// Verified, but past its expiry.
    pub expired: u32,
    /// All of the above.
    pub total: u32,
}

impl DroppedChallenges {
    fn count(&mut self, why: Refusal) {
        match why {
            Refusal::BadSignature => self.bad_signature += 1,
            Refusal::Malformed => self.malformed += 1,
            Refusal::OtherDevice => self.other_device += 1,
            Refusal::Expired => self.expired += 1,
        }
        self.total += 1;
    }

    fn add(&mut self, other: &DroppedChallenges) {
        self.bad_signature += other.bad_signature;
        self.malformed += other.malformed;
        self.other_device += other.other_device;
        self.expired += other.expired;
        self.total += other.total;
    }
}

/// What "Check for requests" found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PushInbox {
    /// To show, newest first.
    pub requests: Vec<PushRequest>,
    /// Requests that came in the fatigue window ("5 requests in the last 10 minutes").
    pub recent: u32,
    pub window_secs: u64,
    /// Pending requests hidden because their login is muted after "this wasn't me".
    pub muted: u32,
    /// Refused in this check.
    pub dropped: DroppedChallenges,
}

/// Why a challenge was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    BadSignature,
    Malformed,
    OtherDevice,
    Expired,
}

/// The one gate a challenge passes before anything in it is used: the signature with the
/// pinned key first (nothing is parsed from bytes that fail it), then version, addressee and
/// expiry by the corrected clock.
pub fn accept(envelope: &SignedEnvelope, pinned_key: &str, device_id: &str, now: u64) -> Result<Challenge, Refusal> {
    let challenge: Challenge = verify(pinned_key, envelope).map_err(|e| match e {
        SignatureError::Malformed(_) => Refusal::Malformed,
        SignatureError::BadSignature | SignatureError::BadKey => Refusal::BadSignature,
    })?;
    if challenge.v != PROTOCOL_VERSION {
        return Err(Refusal::Malformed);
    }
    if challenge.device_id != device_id {
        return Err(Refusal::OtherDevice);
    }
    if challenge.expires_at <= now {
        return Err(Refusal::Expired);
    }
    Ok(challenge)
}

/// The number a decision sends: approving needs the typed number, in range; denying sends
/// none (the user need not type anything to say no).
pub fn answer_number(decision: Decision, typed: Option<u32>) -> Result<Option<u32>> {
    match decision {
        Decision::Approve => match typed {
            None => Err(ClientError::invalid("number", "type the number shown on the sign-in screen to approve")),
            Some(n) if !(MATCH_NUMBER_MIN..=MATCH_NUMBER_MAX).contains(&n) => Err(ClientError::invalid(
                "number",
                format!("must be between {MATCH_NUMBER_MIN} and {MATCH_NUMBER_MAX}"),
            )),
            Some(n) => Ok(Some(n)),
        },
        Decision::Deny | Decision::NotMe => Ok(None),
    }
}

/// Push state held in memory for the life of the client.
pub(crate) struct PushState {
    key: Arc<dyn DeviceKeyStore>,
    /// Verified challenges of the last fetch, by id: only these can be answered.
    verified: Mutex<HashMap<String, Challenge>>,
    fatigue: Mutex<FatigueGuard>,
    dropped_total: Mutex<DroppedChallenges>,
}

impl PushState {
    pub(crate) fn new(key: Arc<dyn DeviceKeyStore>, fatigue: FatigueConfig) -> Self {
        Self {
            key,
            verified: Mutex::new(HashMap::new()),
            fatigue: Mutex::new(FatigueGuard::new(fatigue)),
            dropped_total: Mutex::new(DroppedChallenges::default()),
        }
    }

    fn verified(&self) -> MutexGuard<'_, HashMap<String, Challenge>> {
        self.verified.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn fatigue(&self) -> MutexGuard<'_, FatigueGuard> {
        self.fatigue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Signs `message` with the device key into an envelope.
    fn sign<T: Serialize>(&self, message: &T) -> Result<SignedEnvelope> {
        let bytes = serde_json::to_vec(message).map_err(|e| ClientError::Internal(super::error::json_error(&e)))?;
        let signature = self.key.sign(&bytes)?;
        Ok(SignedEnvelope { payload: BASE64URL_NOPAD.encode(&bytes), signature: BASE64URL_NOPAD.encode(&signature) })
    }
}

impl Client {
    /// Registers this device for push approvals of the signed-in login: a new device key,
    /// its public key sent, the server's key pinned. Registering again replaces the key.
    pub async fn register_device(&self, push_token: &str) -> Result<DeviceRegistration> {
        let push_token = push_token.to_owned();
        self.call(move |i| async move { i.register_device(push_token).await }).await
    }

    /// Forgets the pinned server key, so the next registration pins whatever key the server
    /// then presents. Only for a deliberate re-enrolment the user chose (after the app said
    /// the server's key changed); never done silently.
    pub fn forget_server_key(&self) -> Result<()> {
        let mut v = self.inner.vault();
        v.delete_state(state::PUSH_PINNED_KEY)?;
        v.delete_state(state::PUSH_REGISTRATION)?;
        Ok(())
    }

    /// This device's push registration, if any. Offline.
    pub fn device_registration(&self) -> Result<Option<DeviceRegistration>> {
        let reg: Option<PushRegistration> = state::load(&self.inner.vault(), state::PUSH_REGISTRATION)?;
        Ok(reg.map(|r| DeviceRegistration { device_id: r.device_id, server_public_key: r.server_public_key }))
    }

    /// Fetches pending requests, verifies each against the pinned key, and returns what to
    /// show after the fatigue guard.
    pub async fn check_for_requests(&self) -> Result<PushInbox> {
        self.call(|i| async move { i.check_for_requests().await }).await
    }

    /// Answers a request from the last check. `number` is what the user typed (required to
    /// approve).
    pub async fn answer(&self, challenge_id: &str, decision: Decision, number: Option<u32>) -> Result<AnswerOutcome> {
        let number = answer_number(decision, number)?;
        let challenge_id = challenge_id.to_owned();
        self.call(move |i| async move { i.answer(challenge_id, decision, number).await }).await
    }

    /// Challenges refused since this client started, by reason.
    pub fn dropped_challenges(&self) -> DroppedChallenges {
        *self.inner.push.dropped_total.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Until when `login`'s requests are hidden after "this wasn't me".
    pub fn muted_until(&self, login: &str) -> Option<u64> {
        self.inner.push.fatigue().muted_until(login, self.now())
    }

    /// Distinct requests hidden by mutes since this client started.
    pub fn muted_total(&self) -> u32 {
        self.inner.push.fatigue().muted_total()
    }
}

impl Inner {
    fn registration(&self) -> Result<PushRegistration> {
        state::load(&self.vault(), state::PUSH_REGISTRATION)?.ok_or(ClientError::UnknownDevice)
    }

    async fn register_device(&self, push_token: String) -> Result<DeviceRegistration> {
        let session = self.session()?;
        if push_token.len() > 4096 || push_token.chars().any(char::is_control) {
            return Err(ClientError::invalid("push_token", "is not a push token"));
        }
        // The old registration dies with the old key: forget it first, so a failure below
        // leaves "not registered" rather than a registration whose key is gone.
        self.vault().delete_state(state::PUSH_REGISTRATION)?;
        let public_key = self.push.key.generate()?;
        let body = RegisterDevice {
            public_key,
            platform: self.identity.platform.clone(),
            push_token: SecretString::new(push_token),
            app_version: self.identity.app_version.clone(),
        };
        let registered: DeviceRegistered = self.http.post(paths::DEVICES, Some(&session.session), &body).await?;
        check_public_key(&registered.server_public_key).map_err(ClientError::BadSignature)?;
        self.pin_server_key(&registered.server_public_key)?;
        let record = PushRegistration {
            device_id: registered.device_id.clone(),
            server_public_key: registered.server_public_key.clone(),
            login_id: session.login_id,
            registered_at: self.now(),
        };
        state::save(&mut self.vault(), state::PUSH_REGISTRATION, &record)?;
        self.push.verified().clear();
        Ok(DeviceRegistration { device_id: registered.device_id, server_public_key: registered.server_public_key })
    }

    /// Pins the server key on the first registration; afterwards only that key is accepted
    /// until the user re-enrols ([`Client::forget_server_key`]).
    fn pin_server_key(&self, key: &str) -> Result<()> {
        let mut v = self.vault();
        match v.state(state::PUSH_PINNED_KEY)? {
            Some(pinned) if pinned.expose() != key.as_bytes() => Err(ClientError::ServerKeyChanged),
            Some(_) => Ok(()),
            None => Ok(v.put_state(state::PUSH_PINNED_KEY, &SecretBytes::from_slice(key.as_bytes()))?),
        }
    }

    async fn check_for_requests(&self) -> Result<PushInbox> {
        let reg = self.registration()?;
        let now = self.now();
        let proof = DeviceProof {
            v: PROTOCOL_VERSION,
            device_id: reg.device_id.clone(),
            nonce: BASE64URL_NOPAD.encode(&random_bytes(16)?),
            issued_at: now,
            expires_at: now + ANSWER_TTL_SECS,
        };
        let envelope = self.push.sign(&proof)?;
        let path = paths::fill(paths::DEVICE_CHALLENGES, &reg.device_id);
        let pending: PendingChallenges = self.http.post(&path, None, &envelope).await?;

        let now = self.now();
        let mut dropped = DroppedChallenges::default();
        let mut accepted = Vec::with_capacity(pending.challenges.len());
        for envelope in &pending.challenges {
            match accept(envelope, &reg.server_public_key, &reg.device_id, now) {
                Ok(challenge) => accepted.push(challenge),
                Err(why) => dropped.count(why),
            }
        }
        self.push.dropped_total.lock().unwrap_or_else(PoisonError::into_inner).add(&dropped);
        *self.push.verified() = accepted.iter().map(|c| (c.id.clone(), c.clone())).collect();

        let session: Option<SessionRecord> = state::load(&self.vault(), state::SESSION)?;
        let email_of = |login: &str| session.as_ref().filter(|s| s.login_id == login).map(|s| s.email.clone());
        let mut fatigue = self.push.fatigue();
        let triage = fatigue.triage(accepted, now);
        let requests = triage
            .shown
            .into_iter()
            .map(|s| PushRequest {
                seconds_left: s.challenge.expires_at.saturating_sub(now),
                email: email_of(&s.challenge.login),
                challenge_id: s.challenge.id,
                login: s.challenge.login,
                context: s.challenge.context,
                issued_at: s.challenge.issued_at,
                expires_at: s.challenge.expires_at,
                collapsed: s.collapsed,
            })
            .collect();
        Ok(PushInbox {
            requests,
            recent: fatigue.recent(now),
            window_secs: fatigue.config().window_secs,
            muted: triage.muted,
            dropped,
        })
    }

    async fn answer(&self, challenge_id: String, decision: Decision, number: Option<u32>) -> Result<AnswerOutcome> {
        let reg = self.registration()?;
        let challenge = self
            .push
            .verified()
            .get(&challenge_id)
            .cloned()
            .ok_or_else(|| ClientError::UnknownChallenge(challenge_id.clone()))?;
        let now = self.now();
        if decision == Decision::NotMe {
            // The user's word counts at once, whether or not the answer gets through.
            self.push.fatigue().mute(&challenge.login, now);
        }
        if challenge.expires_at <= now {
            self.push.verified().remove(&challenge_id);
            return Err(ClientError::Expired);
        }
        let answer = Answer {
            v: PROTOCOL_VERSION,
            id: random_hex(16)?,
            challenge_id: challenge.id.clone(),
            device_id: reg.device_id,
            decision,
            number,
            nonce: challenge.nonce.clone(),
            issued_at: now,
            expires_at: now + ANSWER_TTL_SECS,
        };
        let envelope = self.push.sign(&answer)?;
        let path = paths::fill(paths::CHALLENGE_ANSWER, &challenge.id);
        let result: Result<AnswerAccepted> = self.http.post(&path, None, &envelope).await;
        match &result {
            // Settled one way or another: the request is gone from this phone.
            Ok(_) | Err(ClientError::Expired | ClientError::AlreadyAnswered | ClientError::WrongNumber) => {
                self.push.verified().remove(&challenge_id);
            }
            _ => {}
        }
        Ok(result?.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::signed::SigningKey;

    const NOW: u64 = 1_700_000_000;

    fn challenge(device: &str, expires_at: u64) -> Challenge {
        Challenge {
            v: PROTOCOL_VERSION,
            id: "c1".into(),
            login: "ada@example.com".into(),
            device_id: device.into(),
            issued_at: NOW - 10,
            expires_at,
            nonce: "n".into(),
            context: ChallengeContext {
                ip: "127.0.0.1".into(),
                location: "Unknown".into(),
                browser: "Firefox on Linux".into(),
                app: "Seller Central".into(),
                time: NOW - 10,
            },
        }
    }

    #[test]
    fn a_challenge_signed_by_the_pinned_key_is_accepted() {
        let server = SigningKey::generate();
        let env = server.sign(&challenge("dev", NOW + 60));
        assert_eq!(accept(&env, &server.public_key_b64(), "dev", NOW), Ok(challenge("dev", NOW + 60)));
    }

    #[test]
    fn a_challenge_signed_by_another_key_is_refused() {
        let server = SigningKey::generate();
        let forger = SigningKey::generate();
        let env = forger.sign(&challenge("dev", NOW + 60));
        assert_eq!(accept(&env, &server.public_key_b64(), "dev", NOW), Err(Refusal::BadSignature));
    }

    #[test]
    fn a_challenge_for_another_device_is_refused() {
        let server = SigningKey::generate();
        let env = server.sign(&challenge("someone-else", NOW + 60));
        assert_eq!(accept(&env, &server.public_key_b64(), "dev", NOW), Err(Refusal::OtherDevice));
    }

    #[test]
    fn an_expired_challenge_is_refused() {
        let server = SigningKey::generate();
        let env = server.sign(&challenge("dev", NOW));
        assert_eq!(accept(&env, &server.public_key_b64(), "dev", NOW), Err(Refusal::Expired));
    }

    #[test]
    fn a_signed_message_that_is_not_a_challenge_is_malformed() {
        let server = SigningKey::generate();
        let env = server.sign(&serde_json::json!({"hello": "world"}));
        assert_eq!(accept(&env, &server.public_key_b64(), "dev", NOW), Err(Refusal::Malformed));
    }

    #[test]
    fn approving_needs_the_typed_number_in_range() {
        assert!(matches!(
            answer_number(Decision::Approve, None),
            Err(ClientError::InvalidInput { field: "number", .. })
        ));
        assert!(answer_number(Decision::Approve, Some(9)).is_err());
        assert!(answer_number(Decision::Approve, Some(100)).is_err());
        assert_eq!(answer_number(Decision::Approve, Some(42)).unwrap(), Some(42));
        assert_eq!(answer_number(Decision::Deny, Some(42)).unwrap(), None);
        assert_eq!(answer_number(Decision::NotMe, None).unwrap(), None);
    }

    #[test]
    fn device_signatures_verify_with_the_registered_public_key() {
        let key = SigningKey::generate();
        let bytes = br#"{"v":1}"#;
        let env = SignedEnvelope {
            payload: BASE64URL_NOPAD.encode(bytes),
            signature: BASE64URL_NOPAD.encode(&key.sign_bytes(bytes)),
        };
        let back: serde_json::Value = verify(&key.public_key_b64(), &env).unwrap();
        assert_eq!(back["v"], 1);
    }
}
