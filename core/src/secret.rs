//! Secret bytes: the one type that holds key material and seeds.
//!
//! It owns redaction (`Debug` never shows the bytes, there is no `Display`), zeroizing on
//! drop, and constant-time comparison. It does not know what the bytes mean.

use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::*;

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
