//! The hasher of the vault's id index.

use std::hash::Hasher;

/// The id index's hash. Ids are our own 128 random bits in hex, so SipHash's defence against
/// chosen keys buys nothing here, and it was a sixth of the cost of one code. A multiply-rotate
/// over every byte (as in rustc's FxHash) keeps lookups of any text, old ids included, spread.
#[derive(Default)]
pub(super) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}
