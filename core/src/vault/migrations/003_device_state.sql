-- Version 3: small sealed records about this device (push key, trust token, pending logout).
CREATE TABLE device_state (
    key        TEXT    PRIMARY KEY,
    sealed     BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
