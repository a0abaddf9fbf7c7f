//! Secrets in memory: [`SecretBytes`] holds key material and seeds, [`SecretString`] the
//! secret text of the wire and the apps (passwords, session and trust tokens, codes, push
//! tokens, seed-bearing URIs and links).
//!
//! Both own redaction (`Debug` never shows the content, there is no `Display`), zeroizing on
//! drop, and constant-time comparison. Neither knows what its content means.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// Bytes that must never be printed, logged or left in freed memory.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Copies `bytes` into a new secret; the caller remains responsible for its own copy.
    pub fn from_slice(bytes: &[u8]) -> Self {
        Self::new(bytes.to_vec())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Mutable access for in-place decryption; the buffer stays inside the zeroizing wrapper.
    pub(crate) fn expose_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Constant-time equality, for comparing codes and keys without a timing side channel.
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        ct_eq(&self.0, other)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    // Lengths of codes and keys are public; only their content must not leak through timing.
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<redacted {} bytes>)", self.0.len())
    }
}

/// Text that must never be printed, logged or left in freed memory. On the wire it is a plain
/// JSON string (serde-transparent); at the FFI a plain `String` (the app's copy is the app's).
#[derive(Clone, Default)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Constant-time equality with `other`.
    pub fn ct_eq(&self, other: &str) -> bool {
        ct_eq(self.0.as_bytes(), other.as_bytes())
    }
}

impl From<String> for SecretString {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&str> for SecretString {
    fn from(text: &str) -> Self {
        Self::new(text.to_owned())
    }
}

/// Constant-time, so comparing a typed code or a token leaks nothing through timing.
impl PartialEq for SecretString {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other.expose())
    }
}

impl Eq for SecretString {}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(SecretString, String, {
    lower: |s| s.expose().to_owned(),
    try_lift: |s| Ok(SecretString::new(s)),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_string_is_redacted_and_travels_as_a_plain_json_string() {
        let s = SecretString::from("hunter2-hunter2");
        assert!(!format!("{s:?}").contains("hunter2"), "{s:?}");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"hunter2-hunter2\"");
        assert_eq!(serde_json::from_str::<SecretString>(&json).unwrap(), s);
        assert!(s.ct_eq("hunter2-hunter2") && !s.ct_eq("hunter2"));
    }

    #[test]
    fn debug_output_never_contains_the_bytes() {
        let s = SecretBytes::new(b"hunter2-hunter2".to_vec());
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn constant_time_comparison_matches_equality() {
        let s = SecretBytes::from_slice(b"123456");
        assert!(s.ct_eq(b"123456"));
        assert!(!s.ct_eq(b"123457"));
        assert!(!s.ct_eq(b"12345"));
    }
}
