//! The phones registered for push approval, as the login's security settings see them:
//! `GET /v1/devices` (platform, app version, added, last seen, "this device"),
//! `DELETE /v1/devices/{device}` (a lost phone stops approving at once: its pending
//! challenges go with it, and its signed answers are refused as `unknown_device`), the cap
//! on registrations, and logout's removal of the registration made from the device that
//! logs out. Registering and the challenges themselves are [`crate::push`]'s.

use rusqlite::{Transaction, params};
use twostep_core::protocol::ErrorCode;
use twostep_core::protocol::endpoints::{DeviceRemoved, DeviceSummary, Devices};

use crate::app::App;
use crate::db::Cached;
use crate::error::{Error, Result};
use crate::sessions::Session;

/// Phones one login may register. The next one is refused, never made room for by evicting
/// one silently: the seller removes one in settings.
pub const MAX_DEVICES: u32 = 10;

/// Refuses with `too_many_devices` when the login is at [`MAX_DEVICES`].
pub fn check_room(tx: &Transaction<'_>, login_id: &str) -> Result<()> {
    let n: u32 = tx.row("SELECT COUNT(*) FROM devices WHERE login_id = ?1", [login_id], |r| r.get(0))?;
    if n >= MAX_DEVICES {
        return Err(Error::api(
            ErrorCode::TooManyDevices,
            format!(
                "This login already has {MAX_DEVICES} phones for sign-in requests. Remove one in security settings, \
                 then try again."
            ),
        ));
    }
    Ok(())
}

/// `GET /v1/devices`.
pub fn list(app: &App, session: &Session) -> Result<Devices> {
    session.require_full()?;
    app.db.read(|tx| {
        let mut stmt = tx.prepare_cached(
            "SELECT id, platform, app_version, created_at, last_seen_at, client_device_id FROM devices
             WHERE login_id = ?1 ORDER BY created_at, rowid",
        )?;
        let rows = stmt.query_map([&session.login_id], |r| {
            let registered_from: Option<String> = r.get(5)?;
            Ok(DeviceSummary {
                device_id: r.get(0)?,
                platform: r.get(1)?,
                app_version: r.get(2)?,
                added_at: r.get::<_, i64>(3)? as u64,
                last_seen_at: r.get::<_, Option<i64>>(4)?.map(|v| v as u64),
                this_device: registered_from.is_some() && registered_from == session.device_id,
            })
        })?;
        Ok(Devices { devices: rows.collect::<rusqlite::Result<_>>()?, max_devices: MAX_DEVICES })
    })
}

/// `DELETE /v1/devices/{device}`: any of the login's phones, this one included.
pub fn remove(app: &App, session: &Session, device_id: &str) -> Result<DeviceRemoved> {
    session.require_full()?;
    app.db.write(|tx| {
        let n = tx.exec("DELETE FROM devices WHERE id = ?1 AND login_id = ?2", params![device_id, session.login_id])?;
        if n == 0 {
            return Err(Error::not_found("device of this login"));
        }
        Ok(DeviceRemoved { device_id: device_id.to_owned() })
    })
}

/// At logout: removes the push registrations made from the session's device.
pub fn remove_this_device(tx: &Transaction<'_>, session: &Session) -> Result<usize> {
    let Some(device_id) = &session.device_id else { return Ok(0) };
    Ok(tx.exec(
        "DELETE FROM devices WHERE login_id = ?1 AND client_device_id = ?2",
        params![session.login_id, device_id],
    )?)
}
