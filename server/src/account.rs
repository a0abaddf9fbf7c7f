//! What a signed-in session does to its own login: count trusted devices, "Require codes on
//! all devices", and log out (`GET /v1/trust`, `POST /v1/trust/require-codes`,
//! `POST /v1/logout`). The trust rules themselves are in [`crate::trust`].

use twostep_core::protocol::endpoints::{LoggedOut, Logout, TrustSummary};

use crate::app::App;
use crate::error::Result;
use crate::sessions::{self, Session};
use crate::trust;

pub fn trust_summary(app: &App, session: &Session) -> Result<TrustSummary> {
    session.require_full()?;
    app.db.read(|tx| Ok(TrustSummary { trusted_devices: trust::count_trusted(tx, &session.login_id, app.now())? }))
}

/// Clears trust on every device of the login at once (there is no per-device clearing).
pub fn require_codes(app: &App, session: &Session) -> Result<TrustSummary> {
    session.require_full()?;
    app.db.write(|tx| {
        trust::require_codes_on_all_devices(tx, &session.login_id)?;
        Ok(TrustSummary { trusted_devices: trust::count_trusted(tx, &session.login_id, app.now())? })
    })
}

/// Ends the session, and this device's trust with it when its token is presented.
pub fn logout(app: &App, session: &Session, req: Logout) -> Result<LoggedOut> {
    app.db.write(|tx| {
        let now = app.now();
        sessions::revoke(tx, &session.token_hash, now)?;
        let trust_revoked = match &req.trust_token {
            Some(token) => trust::revoke_at_logout(tx, &session.login_id, token.expose(), now)?,
            None => false,
        };
        Ok(LoggedOut { trust_revoked })
    })
}
