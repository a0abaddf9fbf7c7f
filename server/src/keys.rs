//! The server's ES256 key that signs push challenges: generated on first start, the same
//! for the database's whole life (devices pin its public half at registration, so a new key
//! would orphan every registered phone).
//!
//! Kept as PKCS#8 in the `server_key` table, sealed under the server key of [`crate::seal`]
//! (a production deployment would keep it in a KMS/HSM). Also owns sealing what a version-1
//! database kept in clear (its signing key and TOTP seeds), once, at start.

use rusqlite::OptionalExtension;
use twostep_core::protocol::signed::SigningKey;

use crate::db::Cached;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::seal::Sealer;

/// The associated data the signing key is sealed with.
const PLACE: &str = "server_key";

/// True when the database holds anything sealed, so a missing key file is an error.
pub fn holds_sealed(db: &Db) -> Result<bool> {
    db.read(|tx| {
        Ok(tx.row(
            "SELECT EXISTS (SELECT 1 FROM server_key) OR EXISTS (SELECT 1 FROM methods WHERE seed IS NOT NULL)",
            [],
            |r| r.get(0),
        )?)
    })
}

pub fn load_or_create(db: &Db, sealer: &Sealer, now: u64) -> Result<SigningKey> {
    if seal_legacy(db, sealer)? {
        // The plain copies were deleted; make sure no page of the file or the WAL keeps them.
        db.compact()?;
    }
    db.write(|tx| {
        let stored: Option<Vec<u8>> =
            tx.row("SELECT sealed_pkcs8 FROM server_key WHERE id = 1", [], |r| r.get(0)).optional()?;
        if let Some(sealed) = stored {
            let pkcs8 = sealer.open(PLACE, &sealed)?;
            return SigningKey::from_pkcs8(&pkcs8)
                .map_err(|_| Error::Internal("the stored server key does not parse; it was left as it is".into()));
        }
        let key = SigningKey::generate();
        tx.exec(
            "INSERT INTO server_key (id, sealed_pkcs8, created_at) VALUES (1, ?1, ?2)",
            rusqlite::params![sealer.seal(PLACE, key.pkcs8().expose())?, now as i64],
        )?;
        Ok(key)
    })
}

/// Seals the plain signing key and seeds a version-1 database kept (moved aside by migration
/// 2), then drops them. One transaction: all sealed or nothing changed. True when there was
/// anything to do (once, after the upgrade).
fn seal_legacy(db: &Db, sealer: &Sealer) -> Result<bool> {
    db.write(|tx| {
        let mut found = false;
        let exists = |name: &str| -> Result<bool> {
            Ok(tx.row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?1)", [name], |r| r.get(0))?)
        };
        if exists("legacy_plain_server_key")? {
            found = true;
            let old: Option<(Vec<u8>, i64)> = tx
                .query_row("SELECT pkcs8, created_at FROM legacy_plain_server_key", [], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((pkcs8, created_at)) = old {
                let pkcs8 = zeroize::Zeroizing::new(pkcs8);
                tx.exec(
                    "INSERT OR REPLACE INTO server_key (id, sealed_pkcs8, created_at) VALUES (1, ?1, ?2)",
                    rusqlite::params![sealer.seal(PLACE, &pkcs8)?, created_at],
                )?;
            }
            tx.execute_batch("DROP TABLE legacy_plain_server_key")?;
        }
        if exists("legacy_plain_seeds")? {
            found = true;
            let rows: Vec<(String, Vec<u8>)> = {
                let mut stmt = tx.prepare_cached("SELECT method_id, seed FROM legacy_plain_seeds")?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
            };
            for (method_id, seed) in rows {
                let seed = zeroize::Zeroizing::new(seed);
                tx.exec(
                    "UPDATE methods SET seed = ?2 WHERE id = ?1",
                    rusqlite::params![method_id, sealer.seal(&method_id, &seed)?],
                )?;
            }
            tx.execute_batch("DROP TABLE legacy_plain_seeds")?;
        }
        Ok(found)
    })
}
