-- #21: passkeys (WebAuthn credentials) as second factor and for signing in
-- without a password, and the challenges of their ceremonies.

-- `credential_id` is the authenticator's id, base64url; the key is DER
-- SubjectPublicKeyInfo, base64url; `sign_count` the last counter seen.
CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    algorithm     INTEGER NOT NULL,
    public_key    TEXT NOT NULL,
    sign_count    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- Single use, a few minutes; `user_id` is null for signing in without a
-- password (the passkey names the person).
CREATE TABLE passkey_challenges (
    challenge  TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'second_factor', 'passwordless')),
    created_at INTEGER NOT NULL
);
CREATE INDEX passkey_challenges_age ON passkey_challenges (created_at);
