//! The outbox: every SMS and voice code the backend sends is first written to the `outbox`
//! table, in the same transaction as the code itself, then handed to a [`CodeSender`] once
//! that transaction has committed (the transactional-outbox pattern: a message is never
//! sent for a code that was rolled back, and never lost for one that was kept).
//!
//! The table keeps a message's text and code only in dev mode (`dev_outbox`); otherwise a
//! row says only that a code went to a number by SMS or voice at a time, so the table does
//! not undo the hashing of the codes table. The sender always gets the whole message.
//!
//! The default sender, [`LogSender`], only logs one line per message, without the code: in
//! dev mode the codes reach tests and the demo through the table
//! ([`crate::RunningServer::outbox`] and `GET /v1/dev/outbox`). A real SMS/voice gateway
//! implements [`CodeSender`].

use rusqlite::{Transaction, params};
use twostep_core::methods::{Method, PhoneNumber};
use twostep_core::protocol::MethodKind;
use twostep_core::protocol::endpoints::OutboxMessage;
use twostep_core::secret::SecretString;

use crate::db::Cached;
use crate::error::Result;

/// Delivers SMS and voice messages.
pub trait CodeSender: Send + Sync {
    /// Sends `message` (`to` is E.164, `channel` says text or call). Called after the message
    /// is committed to the outbox; a failure is logged and the user can ask for another code.
    fn deliver(&self, message: &OutboxMessage) -> std::result::Result<(), String>;
}

/// Logs `outbox: sms to +1 ••• ••• 0100` for each message and sends nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogSender;

impl CodeSender for LogSender {
    fn deliver(&self, message: &OutboxMessage) -> std::result::Result<(), String> {
        let to = PhoneNumber::from_e164(&message.to).map(|n| n.masked()).unwrap_or_else(|_| "an invalid number".into());
        let channel = match message.channel {
            MethodKind::Voice => "voice call",
            _ => "sms",
        };
        crate::log::line(format_args!("outbox: {channel} to {to}"));
        Ok(())
    }
}

/// The message for `code`, recorded in the outbox inside `tx` (its text and code only when
/// `keep_code`: dev mode).
pub fn record(
    tx: &Transaction<'_>,
    login_id: &str,
    method: &Method,
    code: &str,
    now: u64,
    keep_code: bool,
) -> Result<OutboxMessage> {
    let (number, channel, text) = match method {
        Method::Sms { number } => (
            number,
            MethodKind::Sms,
            format!("Your Twostep Seller verification code is {code}. It expires in 10 minutes. Don't share it."),
        ),
        Method::Voice { number, .. } => {
            let spoken: Vec<String> = code.chars().map(String::from).collect();
            (number, MethodKind::Voice, format!("Your Twostep Seller verification code is {}.", spoken.join(" ")))
        }
        Method::AuthenticatorApp => {
            return Err(crate::error::Error::Internal("an authenticator app gets no message".into()));
        }
    };
    let channel_name = if channel == MethodKind::Voice { "voice" } else { "sms" };
    tx.exec(
        "INSERT INTO outbox (login_id, recipient, channel, text, code, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            login_id,
            number.e164(),
            channel_name,
            keep_code.then_some(text.as_str()),
            keep_code.then_some(code),
            now as i64
        ],
    )?;
    Ok(OutboxMessage { to: number.e164().to_owned(), channel, text: text.into(), code: code.into(), sent_at: now })
}

/// The messages sent for the login with this (normalised) email, oldest first; `None` when
/// there is no such login. Outside dev mode their text and code are empty.
pub fn list(tx: &Transaction<'_>, email: &str) -> Result<Option<Vec<OutboxMessage>>> {
    let login: Option<String> = {
        let mut stmt = tx.prepare_cached("SELECT id FROM logins WHERE email = ?1")?;
        let mut rows = stmt.query([email])?;
        rows.next()?.map(|r| r.get(0)).transpose()?
    };
    let Some(login) = login else { return Ok(None) };
    let mut stmt = tx
        .prepare_cached("SELECT recipient, channel, text, code, sent_at FROM outbox WHERE login_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([login], |r| {
        let channel: String = r.get(1)?;
        Ok(OutboxMessage {
            to: r.get(0)?,
            channel: if channel == "voice" { MethodKind::Voice } else { MethodKind::Sms },
            text: SecretString::new(r.get::<_, Option<String>>(2)?.unwrap_or_default()),
            code: SecretString::new(r.get::<_, Option<String>>(3)?.unwrap_or_default()),
            sent_at: r.get::<_, i64>(4)? as u64,
        })
    })?;
    Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
}
