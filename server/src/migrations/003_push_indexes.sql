-- Version 3: indexes for the push requests' hot queries, so their cost stays flat as history
-- grows (without them every push scanned all pushes, and every fetch every past request of
-- the device).

-- Counting and superseding the pushes of one sign-in attempt (and the cascade from attempts).
CREATE INDEX pushes_by_attempt ON pushes (attempt_id);
-- A device's fetch starts from the pushes still pending: a short range of this index,
-- whatever the history.
CREATE INDEX pushes_by_state ON pushes (state, expires_at);
-- Forgetting used proof and answer ids once they can no longer be replayed.
CREATE INDEX seen_ids_by_expiry ON seen_ids (expires_at);
