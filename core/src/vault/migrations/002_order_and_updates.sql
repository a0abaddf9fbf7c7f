-- Version 2: a user-chosen order and a last-changed time per entry.
ALTER TABLE entries ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
-- Existing entries keep the order they were added in.
UPDATE entries SET position = (SELECT COUNT(*) FROM entries AS e WHERE e.rowid < entries.rowid),
                   updated_at = created_at;
CREATE INDEX entries_by_position ON entries (position);
