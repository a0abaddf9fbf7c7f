//! The client's device state kept in the vault (session, trust token, device key, push
//! registration, queued logouts): records sealed under the vault key, each bound to its key
//! as associated data. What the records mean is the client's (`crate::client::state`).

use rusqlite::{OptionalExtension, params};

use super::seal::state_ad;
use super::{Result, Vault, VaultError};
use crate::secret::SecretBytes;

impl Vault {
    /// Stores a sealed device-state record (push key, trust token…), replacing any old value.
    pub fn put_state(&mut self, key: &str, value: &SecretBytes) -> Result<()> {
        let sealed = self.key.seal(value.expose(), &state_ad(key));
        self.conn
            .prepare_cached(
                "INSERT INTO device_state (key, sealed, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (key) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at",
            )?
            .execute(params![key, sealed, self.clock.now_unix_seconds() as i64])?;
        Ok(())
    }

    /// A device-state record, unsealed.
    pub fn state(&self, key: &str) -> Result<Option<SecretBytes>> {
        let sealed: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT sealed FROM device_state WHERE key = ?1")?
            .query_row(params![key], |r| r.get(0))
            .optional()?;
        sealed
            .map(|s| self.key.open(&s, &state_ad(key)))
            .transpose()
            .map_err(|_| VaultError::Damaged(format!("device state {key} does not decrypt")))
    }

    /// Deletes a device-state record; true when there was one.
    pub fn delete_state(&mut self, key: &str) -> Result<bool> {
        Ok(self.conn.prepare_cached("DELETE FROM device_state WHERE key = ?1")?.execute(params![key])? > 0)
    }
}
