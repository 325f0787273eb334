-- Portal sign-in sessions. Only a SHA-256 of the session id is stored, so a
-- copy of the database does not hand out live sessions.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    -- Per-session token for forms posted without Origin/Fetch-Metadata headers.
    csrf         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
