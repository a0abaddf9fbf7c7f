-- Version 2: what an attacker with a password, a stolen phone or a copy of this file can
-- still do, made smaller.

-- Wrong passwords, one row per try reserved before the hash is checked (a success deletes
-- its row). `subject` is the login id, or 'email:<SHA-256 hex>' for an email that is no login
-- (throttled alike, so the throttle does not tell which emails are logins). `key` is what the
-- back-off is kept per: the network of the sign-in ('net:203.0.113.0/24') or the trusted
-- device presenting a live trust token ('trust:<trust id>'). Rows with trusted = 0 also count
-- towards the subject's hourly cap.
CREATE TABLE password_failures (
    id       INTEGER PRIMARY KEY,
    subject  TEXT    NOT NULL,
    key      TEXT    NOT NULL,
    trusted  INTEGER NOT NULL DEFAULT 0,
    at       INTEGER NOT NULL,
    cleared  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX password_failures_by_key ON password_failures (subject, key, at);
CREATE INDEX password_failures_by_subject ON password_failures (subject, at);
CREATE INDEX password_failures_by_time ON password_failures (at);
ALTER TABLE logins DROP COLUMN password_failures;
ALTER TABLE logins DROP COLUMN password_failed_at;

-- Attempt ids are bearer secrets: from now on `attempts.id` holds the SHA-256 (hex) of the
-- id handed out. Sign-ins in flight at the upgrade cannot be found by their id any more, so
-- they go (with their pushes); their users sign in again.
DELETE FROM attempts;
DELETE FROM codes WHERE purpose NOT IN ('methods', 'change-proof');
DELETE FROM code_failures WHERE scope <> 'methods';
CREATE INDEX attempts_by_expiry ON attempts (expires_at);

-- Codes are looked up by method, counted per login for the send limits, purged by expiry.
CREATE INDEX codes_by_method ON codes (method_id, purpose);
CREATE INDEX codes_by_login_time ON codes (login_id, created_at);
CREATE INDEX codes_by_expiry ON codes (expires_at);

-- The outbox keeps a message's text and code only in dev mode; otherwise only that a code
-- went to a number by a channel at a time. Codes kept by earlier versions are dropped.
CREATE TABLE outbox_v2 (
    id        INTEGER PRIMARY KEY,
    login_id  TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    recipient TEXT    NOT NULL,
    channel   TEXT    NOT NULL CHECK (channel IN ('sms', 'voice')),
    text      TEXT,
    code      TEXT,
    sent_at   INTEGER NOT NULL
) STRICT;
INSERT INTO outbox_v2 (id, login_id, recipient, channel, sent_at)
    SELECT id, login_id, recipient, channel, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_by_login ON outbox (login_id, id);
-- The hourly send limit counts a login's messages; the purge goes by age.
CREATE INDEX outbox_by_login_time ON outbox (login_id, sent_at);
CREATE INDEX outbox_by_time ON outbox (sent_at);

-- TOTP seeds and the server's signing key are sealed (AES-256-GCM) under a key kept outside
-- this file. Plain values of earlier versions wait here until the server seals them at its
-- next start, which then drops these tables.
CREATE TABLE legacy_plain_seeds AS SELECT id AS method_id, seed FROM methods WHERE seed IS NOT NULL;
UPDATE methods SET seed = NULL WHERE seed IS NOT NULL;
CREATE TABLE legacy_plain_server_key AS SELECT pkcs8, created_at FROM server_key;
DELETE FROM server_key;
ALTER TABLE server_key RENAME COLUMN pkcs8 TO sealed_pkcs8;

-- The device a session was made for (`client.device_id`): logout removes the push
-- registration made from it, and lists mark "this device".
ALTER TABLE sessions ADD COLUMN device_id TEXT;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Push registrations: which client device registered them, and when the phone was last seen.
ALTER TABLE devices ADD COLUMN client_device_id TEXT;
ALTER TABLE devices ADD COLUMN last_seen_at INTEGER;

-- Trust tokens get an id (to list and revoke one), what the client was, and its last use.
ALTER TABLE trust_tokens ADD COLUMN id TEXT;
ALTER TABLE trust_tokens ADD COLUMN client_kind TEXT NOT NULL DEFAULT 'browser';
ALTER TABLE trust_tokens ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE trust_tokens ADD COLUMN last_used_at INTEGER;
UPDATE trust_tokens SET id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX trust_tokens_by_id ON trust_tokens (id);
