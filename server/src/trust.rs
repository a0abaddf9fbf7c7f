//! Trusted devices ("Don't ask for codes on this device"): trust tokens, what they are bound
//! to, and why one no longer counts.
//!
//! A trust token is 256 random bits, stored as SHA-256, bound to the login, the device or
//! browser id, the app or browser version, the network, the login's trust epoch, and an
//! expiry (30 days by default). Presented at sign-in, it counts only if every binding still
//! holds; otherwise the first broken one, in this order, is the reason reported
//! ([`TrustLoss`]): unknown or altered → `invalid_token`; revoked (logout) → `logged_out`;
//! epoch bumped ("Require codes on all devices") → `require_codes_on_all_devices`;
//! expired → `expired`; other device id → `other_browser`; other version → `app_updated`;
//! other network → `network_changed`.
//!
//! A token that failed once stays failed: it is revoked with its reason, which is reported
//! from then on (going back to the old network does not restore trust — the seed's "might
//! reset the trusted device status"; a token copied to another browser is burnt).
//!
//! **Networks.** The network is the /24 of an IPv4 peer and the /64 of an IPv6 peer, the
//! usual size of one site's or one household's allocation. Loopback is the exception: each
//! loopback address is its own network, so tests on one machine can play "the IP changed"
//! with 127.0.0.1 and 127.0.0.2. The peer is the TCP peer: `X-Forwarded-For` is ignored,
//! since anyone can write it (a deployment behind a proxy would read the proxy's header).
//!
//! **One device at a time.** Besides "Require codes on all devices", the trusted devices and
//! browsers can be listed (what: kind, user agent, version; where: the network; when: added,
//! last used, expiry) and one of them revoked by its trust id. A token revoked that way is
//! reported as `logged_out` when presented again, as if that device had signed out.

use std::net::IpAddr;

use rusqlite::{OptionalExtension, Transaction, params};
use twostep_core::protocol::endpoints::TrustedDevice;
use twostep_core::protocol::{ClientKind, TrustBinding, TrustLoss, trust_verdict};
use zeroize::Zeroizing;

use crate::crypto;
use crate::db::Cached;
use crate::error::Result;

/// The network an address belongs to, as trust tokens are bound to it.
pub fn network_of(ip: IpAddr) -> String {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    if ip.is_loopback() {
        return ip.to_string();
    }
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// What a sign-in presents besides the token.
#[derive(Clone, Copy, Debug)]
pub struct Presented<'a> {
    pub login_id: &'a str,
    pub device_id: &'a str,
    pub app_version: &'a str,
    pub network: &'a str,
}

/// A stored token, as [`evaluate`] judges it.
#[derive(Clone, Debug)]
pub struct StoredTrust {
    pub login_id: String,
    pub device_id: String,
    pub app_version: String,
    pub network: String,
    pub epoch: u64,
    pub expires_at: u64,
    /// Set once the token stopped counting.
    pub lost: Option<TrustLoss>,
}

/// Whether a token counts, and if not, why (the precedence of the module docs).
pub fn evaluate(
    stored: Option<&StoredTrust>,
    presented: &Presented<'_>,
    epoch: u64,
    now: u64,
) -> Result<(), TrustLoss> {
    let Some(t) = stored.filter(|t| t.login_id == presented.login_id) else {
        return Err(TrustLoss::InvalidToken);
    };
    if let Some(reason) = t.lost {
        return Err(reason);
    }
    // The bindings in core's one order, the same the phone judges its own trust in.
    let bound = TrustBinding {
        device_id: &t.device_id,
        app_version: &t.app_version,
        network: Some(&t.network),
        epoch: Some(t.epoch),
    };
    let current = TrustBinding {
        device_id: presented.device_id,
        app_version: presented.app_version,
        network: Some(presented.network),
        epoch: Some(epoch),
    };
    match trust_verdict(&bound, Some(t.expires_at), &current, now) {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

fn parse_loss(code: &str) -> TrustLoss {
    TrustLoss::from_code(code).unwrap_or(TrustLoss::InvalidToken)
}

fn load(tx: &Transaction<'_>, hash: &[u8]) -> Result<Option<StoredTrust>> {
    Ok(tx
        .row(
            "SELECT login_id, device_id, app_version, network, epoch, expires_at, revoked_at, lost_reason
             FROM trust_tokens WHERE token_hash = ?1",
            [hash],
            |r| {
                let revoked: Option<i64> = r.get(6)?;
                let reason: Option<String> = r.get(7)?;
                Ok(StoredTrust {
                    login_id: r.get(0)?,
                    device_id: r.get(1)?,
                    app_version: r.get(2)?,
                    network: r.get(3)?,
                    epoch: r.get::<_, i64>(4)? as u64,
                    expires_at: r.get::<_, i64>(5)? as u64,
                    lost: revoked.map(|_| reason.as_deref().map_or(TrustLoss::LoggedOut, parse_loss)),
                })
            },
        )
        .optional()?)
}

pub fn current_epoch(tx: &Transaction<'_>, login_id: &str) -> Result<u64> {
    Ok(tx.row("SELECT trust_epoch FROM logins WHERE id = ?1", [login_id], |r| r.get::<_, i64>(0))? as u64)
}

/// The trust id of `token` when it counts for this sign-in right now; nothing is changed
/// (the password throttle keys a trusted device's tries by it).
pub fn live_id(tx: &Transaction<'_>, token: &str, presented: &Presented<'_>, now: u64) -> Result<Option<String>> {
    let hash = crypto::hash_token(token);
    let stored = load(tx, &hash)?;
    let epoch = current_epoch(tx, presented.login_id)?;
    if evaluate(stored.as_ref(), presented, epoch, now).is_err() {
        return Ok(None);
    }
    Ok(tx.row("SELECT id FROM trust_tokens WHERE token_hash = ?1", [&hash], |r| r.get(0)).optional()?)
}

/// Checks a presented token at sign-in. A token of this login that no longer counts is
/// revoked with its reason, so it never counts again; one that counts is marked used.
pub fn check(tx: &Transaction<'_>, token: &str, presented: &Presented<'_>, now: u64) -> Result<Result<(), TrustLoss>> {
    let hash = crypto::hash_token(token);
    let stored = load(tx, &hash)?;
    let epoch = current_epoch(tx, presented.login_id)?;
    let verdict = evaluate(stored.as_ref(), presented, epoch, now);
    if verdict.is_ok() {
        tx.exec("UPDATE trust_tokens SET last_used_at = ?2 WHERE token_hash = ?1", params![hash, now as i64])?;
    }
    if let (Err(reason), Some(t)) = (verdict, &stored) {
        if t.lost.is_none() && t.login_id == presented.login_id {
            tx.exec(
                "UPDATE trust_tokens SET revoked_at = ?2, lost_reason = ?3 WHERE token_hash = ?1",
                params![hash, now as i64, reason.code()],
            )?;
        }
    }
    Ok(verdict)
}

/// What the trusted device said it is, for the list in security settings.
#[derive(Clone, Copy, Debug)]
pub struct Described<'a> {
    pub kind: &'a str,
    pub user_agent: &'a str,
}

/// Issues a token for this device; returns it and its expiry.
pub fn issue(
    tx: &Transaction<'_>,
    presented: &Presented<'_>,
    described: Described<'_>,
    now: u64,
    ttl: u64,
) -> Result<(Zeroizing<String>, u64)> {
    let token = crypto::new_token();
    let epoch = current_epoch(tx, presented.login_id)?;
    let expires_at = now.saturating_add(ttl);
    tx.exec(
        "INSERT INTO trust_tokens (token_hash, id, login_id, device_id, app_version, network, epoch, created_at,
                                   expires_at, client_kind, user_agent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            crypto::hash_token(&token),
            crypto::new_id(),
            presented.login_id,
            presented.device_id,
            presented.app_version,
            presented.network,
            epoch as i64,
            now as i64,
            expires_at as i64,
            described.kind,
            described.user_agent
        ],
    )?;
    Ok((token, expires_at))
}

/// Revokes `token` at logout, if it is one of this login's live tokens.
pub fn revoke_at_logout(tx: &Transaction<'_>, login_id: &str, token: &str, now: u64) -> Result<bool> {
    let n = tx.exec(
        "UPDATE trust_tokens SET revoked_at = ?3, lost_reason = ?4
         WHERE token_hash = ?1 AND login_id = ?2 AND revoked_at IS NULL",
        params![crypto::hash_token(token), login_id, now as i64, TrustLoss::LoggedOut.code()],
    )?;
    Ok(n > 0)
}

/// How many devices (distinct device ids) hold a token that still counts.
pub fn count_trusted(tx: &Transaction<'_>, login_id: &str, now: u64) -> Result<u32> {
    let epoch = current_epoch(tx, login_id)?;
    Ok(tx.row(
        "SELECT COUNT(DISTINCT device_id) FROM trust_tokens
         WHERE login_id = ?1 AND revoked_at IS NULL AND epoch = ?2 AND expires_at > ?3",
        params![login_id, epoch as i64, now as i64],
        |r| r.get(0),
    )?)
}

/// The devices whose trust still counts, newest first; `this_device` is the session's.
pub fn list(tx: &Transaction<'_>, login_id: &str, this_device: Option<&str>, now: u64) -> Result<Vec<TrustedDevice>> {
    let epoch = current_epoch(tx, login_id)?;
    let mut stmt = tx.prepare_cached(
        "SELECT id, client_kind, user_agent, app_version, network, created_at, last_used_at, expires_at, device_id
         FROM trust_tokens
         WHERE login_id = ?1 AND revoked_at IS NULL AND epoch = ?2 AND expires_at > ?3
         ORDER BY created_at DESC, id",
    )?;
    let rows = stmt.query_map(params![login_id, epoch as i64, now as i64], |r| {
        let kind: String = r.get(1)?;
        let device_id: String = r.get(8)?;
        Ok(TrustedDevice {
            trust_id: r.get(0)?,
            kind: if kind == "app" { ClientKind::App } else { ClientKind::Browser },
            user_agent: r.get(2)?,
            app_version: r.get(3)?,
            network: r.get(4)?,
            added_at: r.get::<_, i64>(5)? as u64,
            last_used_at: r.get::<_, Option<i64>>(6)?.map(|v| v as u64),
            expires_at: r.get::<_, i64>(7)? as u64,
            this_device: this_device == Some(device_id.as_str()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Revokes the trust `trust_id` of this login (reported as `logged_out` from then on);
/// false when there is no such live trust.
pub fn revoke_one(tx: &Transaction<'_>, login_id: &str, trust_id: &str, now: u64) -> Result<bool> {
    let n = tx.exec(
        "UPDATE trust_tokens SET revoked_at = ?3, lost_reason = ?4
         WHERE id = ?1 AND login_id = ?2 AND revoked_at IS NULL",
        params![trust_id, login_id, now as i64, TrustLoss::LoggedOut.code()],
    )?;
    Ok(n > 0)
}

/// "Require codes on all devices": every token issued so far stops counting at once.
pub fn require_codes_on_all_devices(tx: &Transaction<'_>, login_id: &str) -> Result<()> {
    tx.exec("UPDATE logins SET trust_epoch = trust_epoch + 1 WHERE id = ?1", [login_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_slash_24_and_slash_64_except_loopback() {
        assert_eq!(network_of("203.0.113.7".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(network_of("203.0.113.200".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(network_of("2001:db8:1:2:3:4:5:6".parse().unwrap()), "2001:db8:1:2::/64");
        assert_eq!(network_of("::ffff:203.0.113.7".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(network_of("127.0.0.1".parse().unwrap()), "127.0.0.1");
        assert_eq!(network_of("127.0.0.2".parse().unwrap()), "127.0.0.2");
        assert_eq!(network_of("::1".parse().unwrap()), "::1");
    }

    fn stored() -> StoredTrust {
        StoredTrust {
            login_id: "l".into(),
            device_id: "d".into(),
            app_version: "1.0".into(),
            network: "127.0.0.1".into(),
            epoch: 0,
            expires_at: 100,
            lost: None,
        }
    }

    fn here() -> Presented<'static> {
        Presented { login_id: "l", device_id: "d", app_version: "1.0", network: "127.0.0.1" }
    }

    #[test]
    fn reasons_follow_the_documented_precedence() {
        assert_eq!(evaluate(Some(&stored()), &here(), 0, 50), Ok(()));
        assert_eq!(evaluate(None, &here(), 0, 50), Err(TrustLoss::InvalidToken));
        // Everything broken at once: the first reason in the order wins, one by one.
        let mut t = stored();
        t.lost = Some(TrustLoss::LoggedOut);
        let all_wrong = Presented { login_id: "l", device_id: "x", app_version: "2.0", network: "127.0.0.2" };
        assert_eq!(evaluate(Some(&t), &all_wrong, 1, 500), Err(TrustLoss::LoggedOut));
        t.lost = None;
        assert_eq!(evaluate(Some(&t), &all_wrong, 1, 500), Err(TrustLoss::RequireCodesOnAllDevices));
        assert_eq!(evaluate(Some(&t), &all_wrong, 0, 500), Err(TrustLoss::Expired));
        assert_eq!(evaluate(Some(&t), &all_wrong, 0, 50), Err(TrustLoss::OtherBrowser));
        let p = Presented { device_id: "d", ..all_wrong };
        assert_eq!(evaluate(Some(&t), &p, 0, 50), Err(TrustLoss::AppUpdated));
        let p = Presented { app_version: "1.0", ..p };
        assert_eq!(evaluate(Some(&t), &p, 0, 50), Err(TrustLoss::NetworkChanged));
        let other_login = Presented { login_id: "m", ..here() };
        assert_eq!(evaluate(Some(&t), &other_login, 0, 50), Err(TrustLoss::InvalidToken));
    }
}
