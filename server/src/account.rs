//! What a signed-in session does to its own login: read its methods, count and list trusted
//! devices, revoke one, "Require codes on all devices", and log out (`GET /v1/methods`,
//! `GET /v1/trust`, `GET /v1/trust/devices`, `DELETE /v1/trust/devices/{trust}`,
//! `POST /v1/trust/require-codes`, `POST /v1/logout`). The trust rules themselves are in
//! [`crate::trust`].

use twostep_core::protocol::endpoints::{
    CurrentMethods, LoggedOut, Logout, TrustRevoked, TrustSummary, TrustedDevices,
};

use crate::app::App;
use crate::devices;
use crate::error::{Error, Result};
use crate::method_store::{self, Status};
use crate::sessions::{self, Session};
use crate::trust;

/// The login's active pair, masked, for Advanced Security Settings.
pub fn methods(app: &App, session: &Session) -> Result<CurrentMethods> {
    session.require_full()?;
    app.db.read(|tx| match method_store::load(tx, &app.sealer, &session.login_id, Status::Active)? {
        Some(pair) => Ok(CurrentMethods { primary: pair.primary.summary(), backup: pair.backup.summary() }),
        None => Err(Error::api(
            twostep_core::protocol::ErrorCode::NotFound,
            "Two-step verification is not enabled for this login.",
        )),
    })
}

pub fn trust_summary(app: &App, session: &Session) -> Result<TrustSummary> {
    session.require_full()?;
    app.db.read(|tx| Ok(TrustSummary { trusted_devices: trust::count_trusted(tx, &session.login_id, app.now())? }))
}

/// `GET /v1/trust/devices`.
pub fn trusted_devices(app: &App, session: &Session) -> Result<TrustedDevices> {
    session.require_full()?;
    app.db.read(|tx| {
        Ok(TrustedDevices { devices: trust::list(tx, &session.login_id, session.device_id.as_deref(), app.now())? })
    })
}

/// `DELETE /v1/trust/devices/{trust}`: codes again on that one device.
pub fn revoke_trust(app: &App, session: &Session, trust_id: &str) -> Result<TrustRevoked> {
    session.require_full()?;
    app.db.write(|tx| {
        let now = app.now();
        if !trust::revoke_one(tx, &session.login_id, trust_id, now)? {
            return Err(Error::not_found("trusted device of this login"));
        }
        Ok(TrustRevoked {
            trust_id: trust_id.to_owned(),
            trusted_devices: trust::count_trusted(tx, &session.login_id, now)?,
        })
    })
}

/// Clears trust on every device of the login at once.
pub fn require_codes(app: &App, session: &Session) -> Result<TrustSummary> {
    session.require_full()?;
    app.db.write(|tx| {
        trust::require_codes_on_all_devices(tx, &session.login_id)?;
        Ok(TrustSummary { trusted_devices: trust::count_trusted(tx, &session.login_id, app.now())? })
    })
}

/// Ends the session, and this device's trust with it when its token is presented; removes
/// the push registration made from this device.
pub fn logout(app: &App, session: &Session, req: Logout) -> Result<LoggedOut> {
    app.db.write(|tx| {
        let now = app.now();
        sessions::revoke(tx, &session.token_hash, now)?;
        devices::remove_this_device(tx, session)?;
        let trust_revoked = match &req.trust_token {
            Some(token) => trust::revoke_at_logout(tx, &session.login_id, token.expose(), now)?,
            None => false,
        };
        Ok(LoggedOut { trust_revoked })
    })
}
