//! Encrypted backups of the whole vault, in Twostep's own versioned format, and restoring
//! them into an empty or an existing vault.
//!
//! Owns: the file format ([`format`](mod@format), specified in `docs/backup-format.md`), its
//! cryptography (`cipher`: Argon2id with the cost stored in the header and capped on read,
//! AES-256-GCM over the entries with the whole header as associated data), and the restore
//! rule (duplicates of entries already in the vault are skipped and reported; everything
//! else is added in one transaction). Does not own: plain exports ([`crate::export`]), other
//! apps' formats ([`crate::import`]), or where the bytes are stored.
//!
//! ```no_run
//! # use twostep_core::backup;
//! # use twostep_core::vault::{KdfParams, Vault};
//! # fn demo(old: &Vault, new: &mut Vault) -> Result<(), backup::BackupError> {
//! let bytes = backup::write(old, "a long backup password", KdfParams::OWASP)?;
//! let report = backup::restore(new, &bytes, "a long backup password")?;
//! println!("{} added, {} already there", report.added.len(), report.duplicates.len());
//! # Ok(()) }
//! ```
//!
//! Secrets: plaintext bodies live only in zeroizing buffers (or, while writing, in the output
//! buffer just before it is encrypted in place, sized once so it never reallocates). No error
//! quotes the password, a secret or an entry's name.

mod cipher;
mod error;
pub mod format;

pub use error::BackupError;

use cipher::Keys;
use format::{HEADER_LEN, Header, Record, TAG_LEN};
use zeroize::Zeroizing;

use crate::otp::{Credential, Params};
use crate::vault::{Entry, KdfParams, Vault};

/// The cost Twostep writes backups with: OWASP's first Argon2id configuration.
pub const DEFAULT_KDF: KdfParams = KdfParams::OWASP;

/// A backup, decrypted.
#[derive(Debug, Clone)]
pub struct Backup {
    /// When it was written (Unix seconds, the writer's clock).
    pub created_at: u64,
    /// The key derivation cost it was written with.
    pub kdf: KdfParams,
    /// Every entry with its secret, in the user's order at the time of the backup.
    pub entries: Vec<Credential>,
}

/// What the header of a backup says, readable without the password.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BackupInfo {
    pub format_version: u16,
    /// When it was written (Unix seconds, the writer's clock).
    pub created_at: u64,
    pub kdf: KdfParams,
}

/// Writes a backup of every entry of `vault`, in the user's order, HOTP counters as they are.
pub fn write(vault: &Vault, password: &str, kdf: KdfParams) -> Result<Vec<u8>, BackupError> {
    let pairs = vault.credentials()?;
    let records: Vec<Record<'_>> =
        pairs.iter().map(|(entry, credential)| Record { credential, position: entry.position }).collect();
    seal(&records, password, kdf, vault.now(), random(), random())
}

/// Writes a backup of `credentials` (in this order), dated `created_at`: for an app that holds
/// its credentials elsewhere, and for tests. [`write()`] is this applied to a vault.
pub fn write_credentials(
    credentials: &[Credential],
    password: &str,
    kdf: KdfParams,
    created_at: u64,
) -> Result<Vec<u8>, BackupError> {
    let records: Vec<Record<'_>> =
        credentials.iter().enumerate().map(|(i, credential)| Record { credential, position: i as u32 }).collect();
    seal(&records, password, kdf, created_at, random(), random())
}

/// Checks the header of `bytes` without the password: is it a backup, of a version this
/// build reads, undamaged, with an acceptable cost, and complete? Nothing is derived.
pub fn info(bytes: &[u8]) -> Result<BackupInfo, BackupError> {
    let header = Header::decode(bytes)?;
    Ok(BackupInfo { format_version: header.version, created_at: header.created_at, kdf: header.kdf })
}

/// Decrypts a backup. A wrong password is [`BackupError::WrongPassword`]; damage names the
/// part at fault; a cost beyond the caps is refused before any key derivation.
pub fn read(bytes: &[u8], password: &str) -> Result<Backup, BackupError> {
    let header = Header::decode(bytes)?;
    let keys = Keys::derive(password, &header.salt, &header.kdf)?;
    if !keys.matches(&header.check) {
        return Err(BackupError::WrongPassword);
    }
    let plain = keys.open(header.nonce, &bytes[..HEADER_LEN], &bytes[HEADER_LEN..])?;
    let mut entries = format::decode_entries(plain.expose())?;
    // The user's order; entries with equal positions keep their file order (stable sort).
    entries.sort_by_key(|(position, _)| *position);
    Ok(Backup {
        created_at: header.created_at,
        kdf: header.kdf,
        entries: entries.into_iter().map(|(_, c)| c).collect(),
    })
}

/// An entry of the backup that the vault already holds (same secret, kind, algorithm,
/// digits and period; names and HOTP counters may differ).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "BackupDuplicate"))]
pub struct Duplicate {
    /// 1-based place of the entry in the backup's order.
    pub number: u32,
    pub issuer: String,
    pub account: String,
    /// The vault entry that already holds it.
    pub existing_id: String,
}

/// An entry of the backup that a restore would add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// 1-based place of the entry in the backup's order.
    pub number: usize,
    pub issuer: String,
    pub account: String,
    pub params: Params,
}

/// What restoring a backup into a vault would do: a preview, changing nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestorePlan {
    pub backup_created_at: u64,
    pub new: Vec<NewEntry>,
    pub duplicates: Vec<Duplicate>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RestoreReport {
    /// When the backup was written (Unix seconds).
    pub backup_created_at: u64,
    /// The entries added, in the backup's order, after the vault's existing entries.
    pub added: Vec<Entry>,
    /// Entries skipped because the vault already held them.
    pub duplicates: Vec<Duplicate>,
}

/// The preview of restoring `backup` into `vault`.
///
/// Only entries the vault already holds are duplicates. Two identical entries inside the
/// backup are both restored: the backed-up vault held both, and a restore into an empty vault
/// gives back exactly what was backed up.
pub fn plan_restore(vault: &Vault, backup: &Backup) -> Result<RestorePlan, BackupError> {
    let (new, duplicates) = split(vault, backup)?;
    Ok(RestorePlan {
        backup_created_at: backup.created_at,
        new: new
            .into_iter()
            .map(|(number, c)| NewEntry {
                number,
                issuer: c.issuer.clone(),
                account: c.account.clone(),
                params: c.params,
            })
            .collect(),
        duplicates,
    })
}

/// Restores `backup` into `vault`: duplicates skipped and reported, the rest added in one
/// transaction (all of them or, on failure, none).
pub fn restore_backup(vault: &mut Vault, backup: &Backup) -> Result<RestoreReport, BackupError> {
    let (new, duplicates) = split(vault, backup)?;
    let to_add: Vec<Credential> = new.into_iter().map(|(_, c)| c.clone()).collect();
    let added = if to_add.is_empty() { Vec::new() } else { vault.add_all(&to_add)? };
    Ok(RestoreReport { backup_created_at: backup.created_at, added, duplicates })
}

/// [`read`] then [`restore_backup`]: a wrong password or a damaged file changes nothing.
pub fn restore(vault: &mut Vault, bytes: &[u8], password: &str) -> Result<RestoreReport, BackupError> {
    let backup = read(bytes, password)?;
    restore_backup(vault, &backup)
}

type Split<'a> = (Vec<(usize, &'a Credential)>, Vec<Duplicate>);

fn split<'a>(vault: &Vault, backup: &'a Backup) -> Result<Split<'a>, BackupError> {
    let existing = vault.find_duplicates(&backup.entries)?;
    let mut new = Vec::new();
    let mut duplicates = Vec::new();
    for (i, (credential, existing)) in backup.entries.iter().zip(existing).enumerate() {
        match existing {
            Some(existing_id) => duplicates.push(Duplicate {
                // A backup holds far fewer than u32::MAX entries (its size is capped).
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                issuer: credential.issuer.clone(),
                account: credential.account.clone(),
                existing_id,
            }),
            None => new.push((i + 1, credential)),
        }
    }
    Ok((new, duplicates))
}

/// Builds the file: header, then the entries encrypted in place in the output buffer.
fn seal(
    records: &[Record<'_>],
    password: &str,
    kdf: KdfParams,
    created_at: u64,
    salt: [u8; format::SALT_LEN],
    nonce: [u8; format::NONCE_LEN],
) -> Result<Vec<u8>, BackupError> {
    if password.is_empty() {
        return Err(BackupError::EmptyPassword);
    }
    let plain_len = format::entries_len(records);
    let body_len = u32::try_from(plain_len + TAG_LEN)
        .ok()
        .filter(|&n| n <= format::MAX_BODY_LEN)
        .ok_or_else(|| BackupError::TooLarge(format!("{plain_len} bytes of entries")))?;
    let keys = Keys::derive(password, &salt, &kdf)?;
    let header =
        Header { version: format::VERSION, kdf, salt, nonce, created_at, body_len, check: keys.check() }.encode();
    // Sized once: the plaintext is written here and encrypted where it lies, so no copy of
    // it is left in freed memory. Zeroizing in case anything fails before encryption.
    let mut out = Zeroizing::new(Vec::with_capacity(HEADER_LEN + body_len as usize));
    out.extend_from_slice(&header);
    format::encode_entries(records, &mut out)?;
    debug_assert_eq!(out.len(), HEADER_LEN + plain_len);
    keys.seal_in_place(nonce, &header, &mut out, HEADER_LEN);
    debug_assert_eq!(out.len(), out.capacity());
    // Only ciphertext is left; hand the buffer over instead of copying it.
    Ok(std::mem::take(&mut *out))
}

fn random<const N: usize>() -> [u8; N] {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; N];
    SystemRandom::new().fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Params};
    use crate::secret::SecretBytes;
    use std::path::Path;

    const CHEAP: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };
    const FIXTURE: &str = "tests/fixtures/backup-v1.twostep";
    pub(crate) const FIXTURE_PASSWORD: &str = "fixture password";
    const FIXTURE_SALT: [u8; 16] = *b"twostep fixture!";
    const FIXTURE_NONCE: [u8; 12] = *b"fixed nonce!";
    const FIXTURE_CREATED_AT: u64 = 1_700_000_000;

    /// The entries of the committed fixture: every kind, algorithm and digit count, a
    /// counter past 2^32, names with a colon, a space, non-ASCII letters.
    fn fixture_credentials() -> Vec<Credential> {
        let c = |issuer: &str, account: &str, params: Params, secret: &[u8]| Credential {
            issuer: issuer.into(),
            account: account.into(),
            params,
            secret: SecretBytes::from_slice(secret),
        };
        vec![
            c("RFC 6238", "sha1@example.com", Params::totp(Algorithm::Sha1, 8, 30), b"12345678901234567890"),
            c("RFC 6238", "sha256", Params::totp(Algorithm::Sha256, 8, 60), b"12345678901234567890123456789012"),
            c(
                "Zürich: Bank",
                "ada lovelace",
                Params::totp(Algorithm::Sha512, 7, 45),
                b"1234567890123456789012345678901234567890123456789012345678901234",
            ),
            c("RFC 4226", "hotp", Params::hotp(Algorithm::Sha1, 6, 5_000_000_000), b"12345678901234567890"),
            c("Steam", "gaben", Params::steam(), b"superdupersecret"),
            c("", "no-issuer", Params::totp(Algorithm::Sha1, 6, 30), b"0123456789"),
        ]
    }

    fn fixture_bytes() -> Vec<u8> {
        let creds = fixture_credentials();
        let records: Vec<Record<'_>> =
            creds.iter().enumerate().map(|(i, c)| Record { credential: c, position: i as u32 }).collect();
        seal(&records, FIXTURE_PASSWORD, CHEAP, FIXTURE_CREATED_AT, FIXTURE_SALT, FIXTURE_NONCE).unwrap()
    }

    /// Writes `tests/fixtures/backup-v1.twostep`. Run by hand only when adding a format
    /// version: `cargo test -p twostep-core write_backup_v1_fixture -- --ignored`. The
    /// committed file must stay as version 1 wrote it.
    #[test]
    #[ignore = "writes a committed fixture"]
    fn write_backup_v1_fixture() {
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE), fixture_bytes()).unwrap();
    }

    #[test]
    fn the_writer_still_writes_the_committed_version_1_bytes() {
        // The reader side is `tests/backup.rs`; this holds the writer to the same bytes.
        let committed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap();
        assert!(fixture_bytes() == committed, "the backup writer no longer writes format version 1 byte for byte");
    }

    #[test]
    fn the_committed_fixture_reads_back_to_its_entries() {
        let committed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap();
        let backup = read(&committed, FIXTURE_PASSWORD).unwrap();
        assert_eq!(backup.entries, fixture_credentials());
        assert_eq!(backup.created_at, FIXTURE_CREATED_AT);
    }

    #[test]
    fn an_empty_password_is_refused_when_writing() {
        assert!(matches!(write_credentials(&fixture_credentials(), "", CHEAP, 0), Err(BackupError::EmptyPassword)));
    }

    #[test]
    fn a_cost_beyond_the_caps_is_refused_when_writing_too() {
        let huge = KdfParams { memory_kib: 4 * 1024 * 1024, iterations: 1, parallelism: 1 };
        assert!(matches!(write_credentials(&[], "pw", huge, 0), Err(BackupError::KdfRefused(_))));
    }
}
