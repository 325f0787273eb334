-- #19: support cases as conversations. Each reply of the customer or of
-- support; the case records who is to answer next.
CREATE TABLE case_messages (
    id         TEXT PRIMARY KEY NOT NULL,
    case_id    TEXT NOT NULL REFERENCES support_cases (id),
    author_id  TEXT NOT NULL REFERENCES users (id),
    side       TEXT NOT NULL CHECK (side IN ('customer', 'support')),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX case_messages_case ON case_messages (case_id, id);
ALTER TABLE support_cases ADD COLUMN waiting_on TEXT NOT NULL DEFAULT 'support'
    CHECK (waiting_on IN ('customer', 'support'));
