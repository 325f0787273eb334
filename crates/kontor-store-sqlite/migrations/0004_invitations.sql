-- People added by an account's primary admin sign in through a one-time
-- invitation link; only the SHA-256 of its token is stored.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX invitations_user ON invitations (user_id);

-- Access removed: the person can no longer sign in or use tokens; their
-- row stays because requests and audit entries refer to it.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
