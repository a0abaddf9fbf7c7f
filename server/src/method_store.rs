//! The login's verification methods as stored: the active pair, and a pending pair while one
//! is enrolled or changed to. The rules about which pairs are allowed are core's
//! ([`twostep_core::methods`]); this module only keeps and converts them.
//!
//! Also the masked label a sign-in screen shows. TOTP seeds are stored sealed under the
//! server key ([`crate::seal`], bound to the method id) and opened only when loaded.

use rusqlite::{Row, Transaction, params};
use twostep_core::methods::{Method, MethodPair};
use twostep_core::protocol::{self, MethodSummary};
use twostep_core::secret::SecretBytes;

use crate::db::Cached;
use crate::error::{Error, Result};
use crate::seal::Sealer;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Pending,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Pending => "pending",
        }
    }
}

/// One stored method.
#[derive(Debug)]
pub struct StoredMethod {
    pub id: String,
    pub role: protocol::Role,
    pub method: Method,
    /// The TOTP seed, for an authenticator app.
    pub seed: Option<SecretBytes>,
    pub verified_at: Option<u64>,
    pub last_totp_step: Option<u64>,
}

impl StoredMethod {
    /// The row, with the seed still sealed (opened by [`load`]).
    fn from_row(r: &Row<'_>) -> rusqlite::Result<(Self, Option<Vec<u8>>)> {
        let role: String = r.get(1)?;
        let json: String = r.get(2)?;
        let method = serde_json::from_str(&json)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?;
        let stored = Self {
            id: r.get(0)?,
            role: if role == "backup" { protocol::Role::Backup } else { protocol::Role::Primary },
            method,
            seed: None,
            verified_at: r.get::<_, Option<i64>>(4)?.map(|v| v as u64),
            last_totp_step: r.get::<_, Option<i64>>(5)?.map(|v| v as u64),
        };
        Ok((stored, r.get(3)?))
    }

    pub fn summary(&self) -> MethodSummary {
        self.method.summary()
    }
}

/// A stored primary and backup.
#[derive(Debug)]
pub struct StoredPair {
    pub primary: StoredMethod,
    pub backup: StoredMethod,
}

impl StoredPair {
    pub fn get(&self, role: protocol::Role) -> &StoredMethod {
        match role {
            protocol::Role::Primary => &self.primary,
            protocol::Role::Backup => &self.backup,
        }
    }

    pub fn both(&self) -> [&StoredMethod; 2] {
        [&self.primary, &self.backup]
    }

    /// The pair as core's rules see it.
    pub fn rules_pair(&self) -> Result<MethodPair> {
        MethodPair::new(self.primary.method.clone(), self.backup.method.clone())
            .map_err(|e| Error::Internal(format!("a stored pair breaks a rule: {}", e.code())))
    }

    /// Roles still waiting for their code, primary first.
    pub fn pending_roles(&self) -> Vec<protocol::Role> {
        self.both().iter().filter(|m| m.verified_at.is_none()).map(|m| m.role).collect()
    }
}

/// The login's pair with `status`, if it has one.
pub fn load(tx: &Transaction<'_>, sealer: &Sealer, login_id: &str, status: Status) -> Result<Option<StoredPair>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, role, method, seed, verified_at, last_totp_step FROM methods
         WHERE login_id = ?1 AND status = ?2",
    )?;
    let rows = stmt.query_map(params![login_id, status.as_str()], StoredMethod::from_row)?;
    let (mut primary, mut backup) = (None, None);
    for row in rows {
        let (mut m, sealed) = row?;
        m.seed = sealed.map(|s| sealer.open(&m.id, &s)).transpose()?;
        match m.role {
            protocol::Role::Primary => primary = Some(m),
            protocol::Role::Backup => backup = Some(m),
        }
    }
    Ok(match (primary, backup) {
        (Some(primary), Some(backup)) => Some(StoredPair { primary, backup }),
        _ => None,
    })
}

/// Stores `pair` as the login's pending pair, replacing an earlier pending one. Returns the
/// new rows' ids (primary, backup). An authenticator app gets `seed`.
pub fn store_pending(
    tx: &Transaction<'_>,
    sealer: &Sealer,
    login_id: &str,
    pair: &MethodPair,
    seed: Option<&[u8]>,
    now: u64,
) -> Result<(String, String)> {
    tx.exec("DELETE FROM methods WHERE login_id = ?1 AND status = 'pending'", [login_id])?;
    let mut ids = Vec::with_capacity(2);
    for (role, method) in [("primary", pair.primary()), ("backup", pair.backup())] {
        let id = crate::crypto::new_id();
        let json = serde_json::to_string(method).map_err(|e| Error::Internal(e.to_string()))?;
        let method_seed = match (method, seed) {
            (Method::AuthenticatorApp, Some(seed)) => Some(sealer.seal(&id, seed)?),
            _ => None,
        };
        tx.exec(
            "INSERT INTO methods (id, login_id, status, role, method, seed, created_at)
             VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?6)",
            params![id, login_id, role, json, method_seed, now as i64],
        )?;
        ids.push(id);
    }
    let backup = ids.pop().unwrap_or_default();
    let primary = ids.pop().unwrap_or_default();
    Ok((primary, backup))
}

pub fn mark_verified(tx: &Transaction<'_>, method_id: &str, now: u64) -> Result<()> {
    tx.exec("UPDATE methods SET verified_at = ?2 WHERE id = ?1", params![method_id, now as i64])?;
    Ok(())
}

pub fn record_totp_step(tx: &Transaction<'_>, method_id: &str, step: u64) -> Result<()> {
    tx.exec("UPDATE methods SET last_totp_step = ?2 WHERE id = ?1", params![method_id, step as i64])?;
    Ok(())
}

/// The pending pair replaces the active one (whose codes go with it).
pub fn activate_pending(tx: &Transaction<'_>, login_id: &str) -> Result<()> {
    tx.exec("DELETE FROM methods WHERE login_id = ?1 AND status = 'active'", [login_id])?;
    tx.exec("UPDATE methods SET status = 'active' WHERE login_id = ?1 AND status = 'pending'", [login_id])?;
    Ok(())
}
