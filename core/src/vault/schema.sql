PRAGMA user_version = 3;
CREATE INDEX entries_by_position ON entries (position);
CREATE TABLE device_state (
    key        TEXT    PRIMARY KEY,
    sealed     BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE entries (
    id            TEXT    PRIMARY KEY,
    issuer        TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('totp', 'hotp', 'steam')),
    algorithm     TEXT    NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits        INTEGER NOT NULL,
    period        INTEGER,
    counter       INTEGER,
    sealed_secret BLOB    NOT NULL,
    created_at    INTEGER NOT NULL
, position INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE TABLE vault_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    wrapped_key BLOB    NOT NULL,
    canary      BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
