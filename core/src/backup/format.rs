//! The bytes of a backup file, version 1: the header and the entry records inside the
//! encrypted body. `docs/backup-format.md` is the same specification in prose; the snapshot
//! test (`tests/fixtures/backup-v1.twostep`) holds this code to it.
//!
//! Owns layout only: no key derivation, no cipher (that is `super::cipher`), no vault.
//! Every reader here is total: any input gives a value or a typed error, never a panic.

use super::BackupError;
use crate::otp::{Algorithm, Credential, Kind, Params};
use crate::secret::SecretBytes;
use crate::vault::KdfParams;

/// The first bytes of every backup.
pub const MAGIC: [u8; 8] = *b"TWOSTEPB";
/// The format this build writes and the newest it reads.
pub const VERSION: u16 = 1;
/// Key derivation id 1: Argon2id, version 0x13, 64 bytes out.
pub const KDF_ARGON2ID: u8 = 1;
pub const SALT_LEN: usize = 16;
pub const NONCE_LEN: usize = 12;
pub const CHECK_LEN: usize = 16;
pub const CHECKSUM_LEN: usize = 16;
pub const TAG_LEN: usize = 16;

// Offsets of the header fields (all integers little-endian).
const AT_VERSION: usize = 8;
const AT_KDF: usize = 10;
const AT_MEMORY: usize = 11;
const AT_ITERATIONS: usize = 15;
const AT_PARALLELISM: usize = 19;
const AT_SALT: usize = 23;
const AT_NONCE: usize = AT_SALT + SALT_LEN; // 39
const AT_CREATED: usize = AT_NONCE + NONCE_LEN; // 51
const AT_BODY_LEN: usize = AT_CREATED + 8; // 59
const AT_CHECK: usize = AT_BODY_LEN + 4; // 63
const AT_CHECKSUM: usize = AT_CHECK + CHECK_LEN; // 79
/// The whole header, authenticated as associated data of the body.
pub const HEADER_LEN: usize = AT_CHECKSUM + CHECKSUM_LEN; // 95

/// Most entries a backup may hold: far beyond any real vault, small enough to bound memory.
pub const MAX_ENTRIES: u32 = 100_000;
/// Largest encrypted body accepted (64 MiB); 100,000 entries of typical size are ~10 MB.
pub const MAX_BODY_LEN: u32 = 64 * 1024 * 1024;

/// What the header says, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The format version read (always [`VERSION`] when writing).
    pub version: u16,
    pub kdf: KdfParams,
    pub salt: [u8; SALT_LEN],
    pub nonce: [u8; NONCE_LEN],
    pub created_at: u64,
    pub body_len: u32,
    pub check: [u8; CHECK_LEN],
}

/// Refuses a key derivation cost outside the caps (or below Argon2's own minimums).
pub fn check_kdf(p: &KdfParams) -> Result<(), BackupError> {
    if p.within_caps() {
        Ok(())
    } else {
        Err(BackupError::KdfRefused(format!(
            "Argon2id with {} KiB, {} iterations, {} lanes (accepted: up to {} KiB, 1-{} iterations, 1-{} lanes, \
             at least 8 KiB per lane)",
            p.memory_kib,
            p.iterations,
            p.parallelism,
            KdfParams::MAX_MEMORY_KIB,
            KdfParams::MAX_ITERATIONS,
            KdfParams::MAX_PARALLELISM
        )))
    }
}

impl Header {
    /// The header bytes, the checksum computed over the rest.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[..AT_VERSION].copy_from_slice(&MAGIC);
        h[AT_VERSION..AT_KDF].copy_from_slice(&self.version.to_le_bytes());
        h[AT_KDF] = KDF_ARGON2ID;
        h[AT_MEMORY..AT_ITERATIONS].copy_from_slice(&self.kdf.memory_kib.to_le_bytes());
        h[AT_ITERATIONS..AT_PARALLELISM].copy_from_slice(&self.kdf.iterations.to_le_bytes());
        h[AT_PARALLELISM..AT_SALT].copy_from_slice(&self.kdf.parallelism.to_le_bytes());
        h[AT_SALT..AT_NONCE].copy_from_slice(&self.salt);
        h[AT_NONCE..AT_CREATED].copy_from_slice(&self.nonce);
        h[AT_CREATED..AT_BODY_LEN].copy_from_slice(&self.created_at.to_le_bytes());
        h[AT_BODY_LEN..AT_CHECK].copy_from_slice(&self.body_len.to_le_bytes());
        h[AT_CHECK..AT_CHECKSUM].copy_from_slice(&self.check);
        let sum = checksum(&h[..AT_CHECKSUM]);
        h[AT_CHECKSUM..].copy_from_slice(&sum);
        h
    }

    /// Reads and checks the header of `file` (the whole file: the body length is checked
    /// against what follows). In this order, so each failure is named for what it is: size,
    /// magic, version, checksum (accidental damage), key derivation caps, body length.
    pub fn decode(file: &[u8]) -> Result<Header, BackupError> {
        if file.len() < MAGIC.len() || file[..MAGIC.len()] != MAGIC {
            return Err(BackupError::NotABackup);
        }
        if file.len() < HEADER_LEN {
            return Err(BackupError::Truncated {
                what: "the header",
                expected: HEADER_LEN as u64,
                found: file.len() as u64,
            });
        }
        let h = &file[..HEADER_LEN];
        let version = u16::from_le_bytes([h[AT_VERSION], h[AT_VERSION + 1]]);
        if version > VERSION {
            return Err(BackupError::TooNew { found: version, supported: VERSION });
        }
        if checksum(&h[..AT_CHECKSUM]) != h[AT_CHECKSUM..] {
            return Err(BackupError::Damaged("the header does not match its checksum".into()));
        }
        if version == 0 {
            return Err(BackupError::Damaged("the header names format version 0".into()));
        }
        if h[AT_KDF] != KDF_ARGON2ID {
            return Err(BackupError::KdfRefused(format!("unknown key derivation id {}", h[AT_KDF])));
        }
        let word = |at: usize| u32::from_le_bytes(h[at..at + 4].try_into().expect("4 bytes"));
        let kdf = KdfParams {
            memory_kib: word(AT_MEMORY),
            iterations: word(AT_ITERATIONS),
            parallelism: word(AT_PARALLELISM),
        };
        check_kdf(&kdf)?;
        let body_len = word(AT_BODY_LEN);
        if body_len > MAX_BODY_LEN {
            return Err(BackupError::TooLarge(format!(
                "the header announces {body_len} bytes of entries; at most {MAX_BODY_LEN} are read"
            )));
        }
        if (body_len as usize) < TAG_LEN + 4 {
            return Err(BackupError::Damaged(format!("the header announces only {body_len} bytes of entries")));
        }
        let found = file.len() - HEADER_LEN;
        if found < body_len as usize {
            return Err(BackupError::Truncated {
                what: "the encrypted entries",
                expected: u64::from(body_len),
                found: found as u64,
            });
        }
        if found > body_len as usize {
            return Err(BackupError::Damaged(format!(
                "{} unexpected bytes after the encrypted entries",
                found - body_len as usize
            )));
        }
        let array = |at: usize, len: usize| h[at..at + len].to_vec();
        Ok(Header {
            version,
            kdf,
            salt: array(AT_SALT, SALT_LEN).try_into().expect("salt length"),
            nonce: array(AT_NONCE, NONCE_LEN).try_into().expect("nonce length"),
            created_at: u64::from_le_bytes(h[AT_CREATED..AT_BODY_LEN].try_into().expect("8 bytes")),
            body_len,
            check: array(AT_CHECK, CHECK_LEN).try_into().expect("check length"),
        })
    }
}

/// SHA-256 of the header fields, cut to 16 bytes. Not a security measure (the body's tag
/// authenticates the header): it tells a damaged header from a wrong password.
fn checksum(bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref()[..CHECKSUM_LEN].try_into().expect("SHA-256 is longer than 16 bytes")
}

/// One entry as stored: a credential and its place in the user's order.
pub struct Record<'a> {
    pub credential: &'a Credential,
    pub position: u32,
}

/// Fixed bytes of a record before its three variable fields (see [`encode_entries`]).
const RECORD_FIXED: usize = 1 + 1 + 1 + 4 + 8 + 4;
/// Smallest record: fixed part and three length prefixes.
const RECORD_MIN: usize = RECORD_FIXED + 3 * 2;

/// Bytes [`encode_entries`] writes, so the caller can allocate them once.
pub fn entries_len(records: &[Record<'_>]) -> usize {
    4 + records
        .iter()
        .map(|r| RECORD_MIN + r.credential.issuer.len() + r.credential.account.len() + r.credential.secret.len())
        .sum::<usize>()
}

/// The plaintext body: `count (u32)`, then per entry `kind (u8: 1 totp, 2 hotp, 3 steam) ||
/// algorithm (u8: 1 SHA1, 2 SHA256, 3 SHA512) || digits (u8) || period (u32, 0 for hotp) ||
/// counter (u64, 0 unless hotp) || position (u32) || issuer || account || secret`, each of
/// the last three a u16 length and its bytes (names UTF-8).
///
/// Appends to `out`, which the caller sized with [`entries_len`] so that it never
/// reallocates (a reallocation would leave a copy of the secrets in freed memory).
pub fn encode_entries(records: &[Record<'_>], out: &mut Vec<u8>) -> Result<(), BackupError> {
    let count = u32::try_from(records.len()).ok().filter(|&n| n <= MAX_ENTRIES).ok_or_else(|| {
        BackupError::TooLarge(format!("{} entries; a backup holds at most {MAX_ENTRIES}", records.len()))
    })?;
    out.extend_from_slice(&count.to_le_bytes());
    for r in records {
        let c = r.credential;
        let (kind, period, counter) = match c.params.kind {
            Kind::Totp { period } => (1u8, period, 0u64),
            Kind::Hotp { counter } => (2, 0, counter),
            Kind::Steam { period } => (3, period, 0),
        };
        let algorithm = match c.params.algorithm {
            Algorithm::Sha1 => 1u8,
            Algorithm::Sha256 => 2,
            Algorithm::Sha512 => 3,
        };
        out.extend_from_slice(&[kind, algorithm, c.params.digits]);
        out.extend_from_slice(&period.to_le_bytes());
        out.extend_from_slice(&counter.to_le_bytes());
        out.extend_from_slice(&r.position.to_le_bytes());
        for field in [c.issuer.as_bytes(), c.account.as_bytes(), c.secret.expose()] {
            // Names are at most 256 bytes and secrets 128 (validated by the vault).
            let len = u16::try_from(field.len())
                .map_err(|_| BackupError::TooLarge("a name or secret longer than 65,535 bytes".into()))?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(field);
        }
    }
    Ok(())
}

/// Reads the plaintext body back into credentials with their positions, each validated as
/// the vault would. A failure names the entry (1-based, in file order) and the field.
pub fn decode_entries(body: &[u8]) -> Result<Vec<(u32, Credential)>, BackupError> {
    let mut r = Reader { bytes: body, at: 0 };
    let count = r.u32("the entry count")?;
    if count > MAX_ENTRIES {
        return Err(BackupError::TooLarge(format!("{count} entries; a backup holds at most {MAX_ENTRIES}")));
    }
    // Never reserve more than the bytes could hold: the count is not trusted for memory.
    let mut out = Vec::with_capacity((count as usize).min(body.len() / RECORD_MIN));
    for n in 1..=count as usize {
        let entry = |what: &str| BackupError::Damaged(format!("entry {n}: {what}"));
        let kind = r.u8("kind").map_err(|_| entry("cut short"))?;
        let algorithm = r.u8("algorithm").map_err(|_| entry("cut short"))?;
        let digits = r.u8("digits").map_err(|_| entry("cut short"))?;
        let period = r.u32("period").map_err(|_| entry("cut short"))?;
        let counter = r.u64("counter").map_err(|_| entry("cut short"))?;
        let position = r.u32("position").map_err(|_| entry("cut short"))?;
        let issuer = r.text().map_err(|e| entry(&format!("issuer {e}")))?;
        let account = r.text().map_err(|e| entry(&format!("account {e}")))?;
        let secret = SecretBytes::from_slice(r.field().map_err(|_| entry("cut short in the secret"))?);
        let kind = match kind {
            1 => Kind::Totp { period },
            2 => Kind::Hotp { counter },
            3 => Kind::Steam { period },
            other => return Err(entry(&format!("unknown kind {other}"))),
        };
        let algorithm = match algorithm {
            1 => Algorithm::Sha1,
            2 => Algorithm::Sha256,
            3 => Algorithm::Sha512,
            other => return Err(entry(&format!("unknown algorithm {other}"))),
        };
        let credential = Credential { issuer, account, params: Params { kind, algorithm, digits }, secret };
        credential.validate().map_err(|e| entry(&e.to_string()))?;
        out.push((position, credential));
    }
    if r.at != body.len() {
        return Err(BackupError::Damaged(format!("{} unexpected bytes after entry {count}", body.len() - r.at)));
    }
    Ok(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8], BackupError> {
        let end = self.at.checked_add(len).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| BackupError::Damaged(format!("{what} is cut short")))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self, what: &str) -> Result<u8, BackupError> {
        Ok(self.take(1, what)?[0])
    }

    fn u32(&mut self, what: &str) -> Result<u32, BackupError> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().expect("4 bytes")))
    }

    fn u64(&mut self, what: &str) -> Result<u64, BackupError> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().expect("8 bytes")))
    }

    fn field(&mut self) -> Result<&'a [u8], BackupError> {
        let len = u16::from_le_bytes(self.take(2, "a length")?.try_into().expect("2 bytes"));
        self.take(usize::from(len), "a field")
    }

    /// A name: errors say "is cut short" or "is not UTF-8", never the bytes.
    fn text(&mut self) -> Result<String, &'static str> {
        let bytes = self.field().map_err(|_| "is cut short")?;
        String::from_utf8(bytes.to_vec()).map_err(|_| "is not UTF-8")
    }
}
