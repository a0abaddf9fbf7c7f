//! The server's ES256 key that signs push challenges: generated on first start, stored in
//! the database, the same for the database's whole life (devices pin its public half at
//! registration, so a new key would orphan every registered phone).
//!
//! Kept as PKCS#8 in the `server_key` table. A production deployment would keep it in a
//! KMS/HSM; the reference backend keeps everything in one file so a test or demo is one path.

use rusqlite::OptionalExtension;
use twostep_core::protocol::signed::SigningKey;
use twostep_core::secret::SecretBytes;

use crate::db::Db;
use crate::error::{Error, Result};

pub fn load_or_create(db: &Db, now: u64) -> Result<SigningKey> {
    db.write(|tx| {
        let stored: Option<Vec<u8>> =
            tx.query_row("SELECT pkcs8 FROM server_key WHERE id = 1", [], |r| r.get(0)).optional()?;
        if let Some(bytes) = stored {
            let bytes = SecretBytes::new(bytes);
            return SigningKey::from_pkcs8(&bytes)
                .map_err(|_| Error::Internal("the stored server key does not parse; it was left as it is".into()));
        }
        let key = SigningKey::generate();
        tx.execute(
            "INSERT INTO server_key (id, pkcs8, created_at) VALUES (1, ?1, ?2)",
            rusqlite::params![key.pkcs8().expose(), now as i64],
        )?;
        Ok(key)
    })
}
