-- Version 1 of the reference backend's database. Times are Unix seconds from the server's
-- injected clock; tokens are stored only as SHA-256 hashes.

-- The server's ES256 key that signs push challenges; generated once, pinned by devices.
CREATE TABLE server_key (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    pkcs8      BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE logins (
    id                 TEXT    PRIMARY KEY,
    email              TEXT    NOT NULL UNIQUE,
    password_hash      TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    two_step_enabled   INTEGER NOT NULL DEFAULT 0,
    -- "Require codes on all devices" bumps it; trust tokens of older epochs no longer count.
    trust_epoch        INTEGER NOT NULL DEFAULT 0,
    -- Consecutive wrong passwords and the last one, for the back-off.
    password_failures  INTEGER NOT NULL DEFAULT 0,
    password_failed_at INTEGER
) STRICT;

-- The login's verification methods. 'active' is the pair in use; 'pending' a pair being
-- enrolled or changed to, which replaces the active one when both of its methods are verified.
CREATE TABLE methods (
    id             TEXT    PRIMARY KEY,
    login_id       TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL CHECK (status IN ('active', 'pending')),
    role           TEXT    NOT NULL CHECK (role IN ('primary', 'backup')),
    -- The checked method as core's `methods::Method` JSON (kind, E.164 number, line).
    method         TEXT    NOT NULL,
    -- The authenticator app's TOTP seed; NULL for SMS and voice.
    seed           BLOB,
    verified_at    INTEGER,
    -- The last TOTP time step accepted from this method: that step and older are replays.
    last_totp_step INTEGER,
    created_at     INTEGER NOT NULL,
    UNIQUE (login_id, status, role)
) STRICT;

-- SMS and voice codes. `purpose` is a sign-in attempt id, 'enrollment' or 'change'.
CREATE TABLE codes (
    id         INTEGER PRIMARY KEY,
    login_id   TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    method_id  TEXT    NOT NULL REFERENCES methods (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL,
    code_hash  BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX codes_by_purpose ON codes (login_id, purpose);

-- Every SMS and voice message handed to the sender: the outbox tests and the demo read.
CREATE TABLE outbox (
    id        INTEGER PRIMARY KEY,
    login_id  TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    recipient TEXT    NOT NULL,
    channel   TEXT    NOT NULL CHECK (channel IN ('sms', 'voice')),
    text      TEXT    NOT NULL,
    code      TEXT    NOT NULL,
    sent_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_by_login ON outbox (login_id, id);

-- Failed code checks, for the back-off of one scope (an attempt, 'enrollment', 'change') and
-- the hourly cap of the login. A success clears its scope's back-off, never the hourly count.
CREATE TABLE code_failures (
    id       INTEGER PRIMARY KEY,
    login_id TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    scope    TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    cleared  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX code_failures_by_login ON code_failures (login_id, at);

-- A password sign-in waiting for its second step.
CREATE TABLE attempts (
    id              TEXT    PRIMARY KEY,
    login_id        TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    device_id       TEXT    NOT NULL,
    client_kind     TEXT    NOT NULL,
    app_version     TEXT    NOT NULL,
    user_agent      TEXT    NOT NULL,
    peer_ip         TEXT    NOT NULL,
    -- pending → approved (by push, tokens not yet fetched) → completed; or → denied.
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'completed')),
    remember_device INTEGER NOT NULL DEFAULT 0,
    codes_sent      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    login_id   TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    -- 'enrollment': password only, may only enroll; 'full': after the second step.
    scope      TEXT    NOT NULL CHECK (scope IN ('enrollment', 'full')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

-- "Don't ask for codes on this device".
CREATE TABLE trust_tokens (
    token_hash  BLOB    PRIMARY KEY,
    login_id    TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    device_id   TEXT    NOT NULL,
    app_version TEXT    NOT NULL,
    network     TEXT    NOT NULL,
    epoch       INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    -- Set when the token stops counting, with the reason reported from then on.
    revoked_at  INTEGER,
    lost_reason TEXT
) STRICT;
CREATE INDEX trust_tokens_by_login ON trust_tokens (login_id);

-- Phones registered for push approval.
CREATE TABLE devices (
    id          TEXT    PRIMARY KEY,
    login_id    TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    public_key  TEXT    NOT NULL,
    platform    TEXT    NOT NULL,
    push_token  TEXT    NOT NULL,
    app_version TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX devices_by_login ON devices (login_id);

-- One push request of a sign-in attempt: one number, one signed challenge per device.
CREATE TABLE pushes (
    id              TEXT    PRIMARY KEY,
    attempt_id      TEXT    NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    login_id        TEXT    NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    nonce           TEXT    NOT NULL,
    issued_at       INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    remember_device INTEGER NOT NULL,
    -- pending → approved | denied | reported; superseded when a newer push of the attempt starts.
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'reported', 'superseded')),
    answered_at     INTEGER,
    answered_by     TEXT
) STRICT;
CREATE INDEX pushes_by_login ON pushes (login_id, issued_at);

CREATE TABLE push_targets (
    push_id   TEXT NOT NULL REFERENCES pushes (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    payload   TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (push_id, device_id)
) STRICT;
-- A device's fetch looks its pending challenges up by device.
CREATE INDEX push_targets_by_device ON push_targets (device_id);

-- Single use of device-signed messages: proof nonces and answer ids, kept until they expire.
CREATE TABLE seen_ids (
    kind       TEXT    NOT NULL CHECK (kind IN ('proof', 'answer')),
    value      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) STRICT;
