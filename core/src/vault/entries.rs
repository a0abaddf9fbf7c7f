//! The entries of an open vault: listing, adding (one transaction for many), renaming,
//! reordering, removing, their codes (HOTP counters advanced and saved before a code is
//! shown) and resynchronising a counter. Every change is one statement or one transaction, and
//! the list in memory changes only after it commits.

use std::collections::HashMap;

use rusqlite::params;

use super::seal::{self, entry_ad};
use super::{Entry, EntryCode, Result, Slot, Vault, VaultError};
use crate::otp::display::{self, CodeView};
use crate::otp::{Credential, InvalidParam, Kind, Params, validate_names};

impl Vault {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// All entries in the user's order, without secrets.
    pub fn list(&self) -> Vec<Entry> {
        self.slots.iter().map(|s| s.entry.clone()).collect()
    }

    pub fn get(&self, id: &str) -> Result<&Entry> {
        Ok(&self.slot(id)?.entry)
    }

    /// Adds one credential at the end of the list.
    pub fn add(&mut self, credential: &Credential) -> Result<Entry> {
        Ok(self.add_all(std::slice::from_ref(credential))?.remove(0))
    }

    /// Adds many credentials in one transaction: all of them are stored, or none.
    pub fn add_all(&mut self, credentials: &[Credential]) -> Result<Vec<Entry>> {
        let now = self.clock.now_unix_seconds();
        let mut prepared = Vec::with_capacity(credentials.len());
        for c in credentials {
            c.validate()?;
            // Checks params and secret as opening does; the generator is then built here,
            // since a newly added entry is about to be shown.
            let generator = c.generator()?;
            let id = new_id();
            let sealed = self.key.seal(c.secret.expose(), &entry_ad(&id, &c.issuer, &c.account, &c.params));
            prepared.push((id, c, generator, sealed));
        }
        let first_position = self.slots.last().map_or(0, |s| s.entry.position + 1);
        let mut added = Vec::with_capacity(prepared.len());
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO entries (id, issuer, account, kind, algorithm, digits, period, counter, \
                 sealed_secret, created_at, position, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10)",
            )?;
            for (i, (id, c, generator, sealed)) in prepared.into_iter().enumerate() {
                let p = c.params;
                let counter = match p.kind {
                    Kind::Hotp { counter } => Some(to_sql_counter(counter)?),
                    _ => None,
                };
                let position = first_position + i as u32;
                insert.execute(params![
                    id,
                    c.issuer,
                    c.account,
                    p.kind.name(),
                    p.algorithm.as_str(),
                    p.digits,
                    p.kind.period(),
                    counter,
                    sealed,
                    now as i64,
                    position,
                ])?;
                let entry = Entry {
                    id,
                    issuer: c.issuer.clone(),
                    account: c.account.clone(),
                    params: p,
                    position,
                    created_at: now,
                    updated_at: now,
                };
                let slot = Slot::new(entry, c.secret.clone());
                slot.generator.set(Box::new(generator)).unwrap_or_else(|_| unreachable!("a new slot has no generator"));
                added.push(slot);
            }
        }
        tx.commit()?;
        let entries = added.iter().map(|s| s.entry.clone()).collect();
        self.slots.extend(added);
        self.reindex();
        Ok(entries)
    }

    pub fn rename(&mut self, id: &str, issuer: &str, account: &str) -> Result<Entry> {
        validate_names(issuer, account)?;
        let index = self.index_of(id)?;
        let now = self.clock.now_unix_seconds();
        let params = self.slots[index].entry.params;
        let sealed = self.resealed(index, issuer, account, &params)?;
        self.conn.execute(
            "UPDATE entries SET issuer = ?1, account = ?2, sealed_secret = ?3, updated_at = ?4 WHERE id = ?5",
            params![issuer, account, sealed, now as i64, id],
        )?;
        let entry = &mut self.slots[index].entry;
        entry.issuer = issuer.to_owned();
        entry.account = account.to_owned();
        entry.updated_at = now;
        Ok(entry.clone())
    }

    /// Puts the entries in the given order; `ids` must name every entry exactly once.
    pub fn reorder(&mut self, ids: &[String]) -> Result<()> {
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        for id in ids {
            self.index_of(id)?;
            if !seen.insert(id.as_str()) {
                return Err(InvalidParam::new("order", format!("entry {id} appears twice")).into());
            }
        }
        if ids.len() != self.slots.len() {
            return Err(InvalidParam::new(
                "order",
                format!("names {} of the {} entries; every entry must be placed", ids.len(), self.slots.len()),
            )
            .into());
        }
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare_cached("UPDATE entries SET position = ?1 WHERE id = ?2")?;
            for (position, id) in ids.iter().enumerate() {
                update.execute(params![position as u32, id])?;
            }
        }
        tx.commit()?;
        let mut old: HashMap<String, Slot> = self.slots.drain(..).map(|s| (s.entry.id.clone(), s)).collect();
        for (position, id) in ids.iter().enumerate() {
            let mut slot = old.remove(id).expect("checked above");
            slot.entry.position = position as u32;
            self.slots.push(slot);
        }
        self.reindex();
        Ok(())
    }

    pub fn remove(&mut self, id: &str) -> Result<Entry> {
        let index = self.index_of(id)?;
        self.conn.execute("DELETE FROM entries WHERE id = ?1", params![id])?;
        let slot = self.slots.remove(index);
        self.reindex();
        Ok(slot.entry)
    }

    /// The code of one entry at `unix_seconds`. For an HOTP entry the counter is advanced and
    /// saved first, so a code once shown is never shown again, even if the app is killed.
    pub fn code(&mut self, id: &str, unix_seconds: u64) -> Result<String> {
        let index = self.index_of(id)?;
        match self.slots[index].entry.params.kind {
            Kind::Hotp { counter } => {
                let code = self.slots[index].generator().hotp(counter);
                self.advance_counter(index, counter)?;
                Ok(code)
            }
            _ => Ok(self.slots[index].generator().code_at(unix_seconds)),
        }
    }

    /// Like [`Vault::code`], with what a screen shows around it (grouping, time left, next code).
    pub fn view(&mut self, id: &str, unix_seconds: u64) -> Result<CodeView> {
        let index = self.index_of(id)?;
        let view = display::view(self.slots[index].generator(), unix_seconds);
        if let Kind::Hotp { counter } = self.slots[index].entry.params.kind {
            self.advance_counter(index, counter)?;
        }
        Ok(view)
    }

    /// Resynchronises an HOTP entry from two consecutive codes of the other side (see
    /// [`crate::otp::resync`]): searches counters `from_counter ..= from_counter + look_ahead`
    /// (by default from the entry's own counter, [`DEFAULT_LOOK_AHEAD`] ahead) and, on a
    /// match, saves the counter after the second code in one statement. `None`, and nothing
    /// changed, when no counter in the window makes both codes. A time-based entry is refused
    /// by its kind.
    ///
    /// [`DEFAULT_LOOK_AHEAD`]: crate::otp::resync::DEFAULT_LOOK_AHEAD
    pub fn resync_hotp(
        &mut self,
        id: &str,
        codes: (&str, &str),
        from_counter: Option<u64>,
        look_ahead: Option<u64>,
    ) -> Result<Option<Entry>> {
        let index = self.index_of(id)?;
        let own = match self.slots[index].entry.params.kind {
            Kind::Hotp { counter } => counter,
            // resync refuses a time-based entry by its kind; the start is then irrelevant.
            Kind::Totp { .. } | Kind::Steam { .. } => 0,
        };
        let from = from_counter.unwrap_or(own);
        let look_ahead = look_ahead.unwrap_or(crate::otp::resync::DEFAULT_LOOK_AHEAD);
        let found = crate::otp::resync::resync(self.slots[index].generator(), codes.0, codes.1, from, look_ahead)?;
        let Some(next) = found else { return Ok(None) };
        // advance_counter stores `used + 1`: the counter after code2 is `next`.
        self.advance_counter(index, next - 1)?;
        Ok(Some(self.slots[index].entry.clone()))
    }

    /// Every entry with its secret, unsealed from the file, in the user's order: for backups
    /// and exports only. The secrets live as long as the caller keeps the credentials.
    pub fn credentials(&self) -> Result<Vec<(Entry, Credential)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, sealed_secret FROM entries")?;
        let mut sealed: HashMap<String, Vec<u8>> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        self.slots
            .iter()
            .map(|slot| {
                let e = &slot.entry;
                let blob =
                    sealed.remove(&e.id).ok_or_else(|| VaultError::Damaged(format!("entry {} vanished", e.id)))?;
                let secret = self
                    .key
                    .open(&blob, &entry_ad(&e.id, &e.issuer, &e.account, &e.params))
                    .map_err(|_| VaultError::Damaged(format!("entry {}: the secret does not decrypt", e.id)))?;
                let credential =
                    Credential { issuer: e.issuer.clone(), account: e.account.clone(), params: e.params, secret };
                Ok((e.clone(), credential))
            })
            .collect()
    }

    /// Every entry's code at one instant, in the user's order: one call per screen refresh.
    pub fn codes(&self, unix_seconds: u64) -> Vec<EntryCode> {
        self.slots
            .iter()
            .map(|s| EntryCode {
                id: s.entry.id.clone(),
                code: match s.entry.params.kind {
                    Kind::Hotp { .. } => None,
                    _ => Some(display::view(s.generator(), unix_seconds)),
                },
            })
            .collect()
    }

    fn advance_counter(&mut self, index: usize, used: u64) -> Result<()> {
        let next = used.checked_add(1).ok_or_else(|| InvalidParam::new("counter", "the HOTP counter is exhausted"))?;
        let now = self.clock.now_unix_seconds();
        let entry = &self.slots[index].entry;
        let params = Params { kind: Kind::Hotp { counter: next }, ..entry.params };
        let sealed = self.resealed(index, &entry.issuer.clone(), &entry.account.clone(), &params)?;
        let slot = &mut self.slots[index];
        self.conn.execute(
            "UPDATE entries SET counter = ?1, sealed_secret = ?2, updated_at = ?3 WHERE id = ?4",
            params![to_sql_counter(next)?, sealed, now as i64, slot.entry.id],
        )?;
        slot.entry.params.kind = Kind::Hotp { counter: next };
        slot.entry.updated_at = now;
        if let Some(generator) = slot.generator.get_mut() {
            generator.set_counter(next);
        }
        Ok(())
    }

    fn slot(&self, id: &str) -> Result<&Slot> {
        Ok(&self.slots[self.index_of(id)?])
    }

    fn index_of(&self, id: &str) -> Result<usize> {
        self.by_id.get(id).copied().ok_or_else(|| VaultError::EntryNotFound(id.to_owned()))
    }

    pub(super) fn reindex(&mut self) {
        self.by_id = self.slots.iter().enumerate().map(|(i, s)| (s.entry.id.clone(), i)).collect();
    }
}

/// SQLite integers are signed; counters past i64::MAX are not a thing any service issues.
fn to_sql_counter(counter: u64) -> Result<i64, InvalidParam> {
    i64::try_from(counter).map_err(|_| InvalidParam::new("counter", "is larger than 2^63 - 1"))
}

fn new_id() -> String {
    let mut bytes = [0u8; 16];
    seal::fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
