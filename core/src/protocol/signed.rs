//! Signed messages of push approval, ES256 (ECDSA P-256, SHA-256) both ways:
//!
//! - the server signs each [`Challenge`] with its key, which the device pinned at
//!   registration; the device verifies before showing anything;
//! - the device signs each [`Answer`] (and each [`DeviceProof`] when fetching) with its own
//!   key, registered as an uncompressed point.
//!
//! An envelope carries the exact signed bytes (`payload`, base64url of the JSON) beside the
//! signature, so no canonical JSON is needed: the verifier checks the bytes, then parses them.

use data_encoding::BASE64URL_NOPAD;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair, UnparsedPublicKey,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::secret::SecretBytes;

/// Bytes and signature, both base64url without padding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedEnvelope {
    pub payload: String,
    pub signature: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the signed message is malformed: {0}")]
    Malformed(String),
    #[error("the key is not a valid P-256 key")]
    BadKey,
}

/// What the user judges a sign-in by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChallengeContext {
    pub ip: String,
    /// Approximate, e.g. "Seattle, US"; "Unknown" when it cannot be told.
    pub location: String,
    /// e.g. "Firefox 128 on Linux".
    pub browser: String,
    /// e.g. "Seller Central".
    pub app: String,
    /// Unix seconds of the sign-in attempt.
    pub time: u64,
}

/// "Is this you signing in?" — created and signed by the server. It does not carry the
/// number the sign-in screen shows: the user types that on the phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub v: u32,
    pub id: String,
    pub login: String,
    pub device_id: String,
    pub issued_at: u64,
    pub expires_at: u64,
    /// Echoed in the answer, binding it to this very challenge.
    pub nonce: String,
    pub context: ChallengeContext,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Decision {
    Approve,
    Deny,
    /// "This wasn't me": denies and reports the attempt.
    NotMe,
}

/// The device's answer, signed with the device key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub v: u32,
    /// Fresh per answer: the server refuses an id it has seen.
    pub id: String,
    pub challenge_id: String,
    pub device_id: String,
    pub decision: Decision,
    /// The number the user typed; required to approve.
    pub number: Option<u32>,
    pub nonce: String,
    pub issued_at: u64,
    /// Short: an answer captured and replayed later is refused.
    pub expires_at: u64,
}

/// Proves the device holds its key when it fetches pending challenges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceProof {
    pub v: u32,
    pub device_id: String,
    pub nonce: String,
    pub issued_at: u64,
    pub expires_at: u64,
}

pub const PROTOCOL_VERSION: u32 = 1;

/// An ES256 signing key: the server's, or a device's when the platform does not hold it.
pub struct SigningKey {
    pair: EcdsaKeyPair,
    pkcs8: SecretBytes,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("public_key", &self.public_key_b64()).finish_non_exhaustive()
    }
}

impl SigningKey {
    pub fn generate() -> Self {
        let rng = SystemRandom::new();
        let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("the operating system's random source failed");
        Self::from_pkcs8(&SecretBytes::from_slice(doc.as_ref())).expect("a fresh key parses")
    }

    pub fn from_pkcs8(pkcs8: &SecretBytes) -> Result<Self, SignatureError> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.expose(), &SystemRandom::new())
            .map_err(|_| SignatureError::BadKey)?;
        Ok(Self { pair, pkcs8: pkcs8.clone() })
    }

    /// The private key in PKCS#8, for sealing into storage.
    pub fn pkcs8(&self) -> &SecretBytes {
        &self.pkcs8
    }

    /// The public key as an uncompressed point (65 bytes), base64url.
    pub fn public_key_b64(&self) -> String {
        BASE64URL_NOPAD.encode(self.pair.public_key().as_ref())
    }

    pub fn sign<T: Serialize>(&self, message: &T) -> SignedEnvelope {
        let bytes = serde_json::to_vec(message).expect("protocol messages always serialise");
        let signature = self.sign_bytes(&bytes);
        SignedEnvelope { payload: BASE64URL_NOPAD.encode(&bytes), signature: BASE64URL_NOPAD.encode(&signature) }
    }

    /// The ES256 signature of `message` in the fixed form (r ‖ s, 64 bytes), as
    /// [`SignedEnvelope::signature`] carries it. For signers that work on bytes, such as a
    /// device key kept behind a platform key store.
    pub fn sign_bytes(&self, message: &[u8]) -> Vec<u8> {
        self.pair
            .sign(&SystemRandom::new(), message)
            .expect("the operating system's random source failed")
            .as_ref()
            .to_vec()
    }
}

/// Checks `envelope` against `public_key_b64` (an uncompressed P-256 point), then parses it.
/// Nothing is parsed from bytes whose signature failed.
pub fn verify<T: DeserializeOwned>(public_key_b64: &str, envelope: &SignedEnvelope) -> Result<T, SignatureError> {
    let key = BASE64URL_NOPAD.decode(public_key_b64.as_bytes()).map_err(|_| SignatureError::BadKey)?;
    if key.len() != 65 || key[0] != 0x04 {
        return Err(SignatureError::BadKey);
    }
    let payload = BASE64URL_NOPAD
        .decode(envelope.payload.as_bytes())
        .map_err(|_| SignatureError::Malformed("payload is not base64url".into()))?;
    let signature = BASE64URL_NOPAD
        .decode(envelope.signature.as_bytes())
        .map_err(|_| SignatureError::Malformed("signature is not base64url".into()))?;
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &key)
        .verify(&payload, &signature)
        .map_err(|_| SignatureError::BadSignature)?;
    serde_json::from_slice(&payload).map_err(|e| SignatureError::Malformed(e.to_string()))
}

/// Checks that a base64url string is a P-256 public key (uncompressed point on the curve).
pub fn check_public_key(public_key_b64: &str) -> Result<(), SignatureError> {
    let key = BASE64URL_NOPAD.decode(public_key_b64.as_bytes()).map_err(|_| SignatureError::BadKey)?;
    // ring validates the point when verifying; a throwaway verification of garbage would
    // only say "bad signature", so check the encoding here and let verify check the curve.
    if key.len() != 65 || key[0] != 0x04 {
        return Err(SignatureError::BadKey);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof() -> DeviceProof {
        DeviceProof { v: 1, device_id: "d1".into(), nonce: "n".into(), issued_at: 10, expires_at: 70 }
    }

    #[test]
    fn a_signed_message_verifies_with_its_key_only() {
        let key = SigningKey::generate();
        let other = SigningKey::generate();
        let env = key.sign(&proof());
        assert_eq!(verify::<DeviceProof>(&key.public_key_b64(), &env).unwrap(), proof());
        assert_eq!(verify::<DeviceProof>(&other.public_key_b64(), &env), Err(SignatureError::BadSignature));
    }

    #[test]
    fn an_edited_payload_is_refused_before_it_is_read() {
        let key = SigningKey::generate();
        let mut env = key.sign(&proof());
        let mut edited = proof();
        edited.expires_at = 10_000;
        env.payload = BASE64URL_NOPAD.encode(&serde_json::to_vec(&edited).unwrap());
        assert_eq!(verify::<DeviceProof>(&key.public_key_b64(), &env), Err(SignatureError::BadSignature));
    }

    #[test]
    fn a_key_survives_pkcs8_round_trip() {
        let key = SigningKey::generate();
        let back = SigningKey::from_pkcs8(key.pkcs8()).unwrap();
        assert_eq!(key.public_key_b64(), back.public_key_b64());
        let shown = format!("{key:?}");
        assert!(!shown.contains("pkcs8") || shown.contains(".."), "{shown}");
    }
}
