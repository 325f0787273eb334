-- #21: a person's authenticator app (TOTP) and recovery codes, the
-- account's two-factor rule, the second step of a sign-in, and when a
-- session's person last proved who they are (re-authentication).

-- One key per person; `confirmed_at` is null while enrolment waits for
-- the first code. `last_step` is the 30-second step of the last code
-- accepted: no code of it or an earlier step counts again.
CREATE TABLE totp_keys (
    user_id      TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    secret       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER,
    last_step    INTEGER
);

-- Only a SHA-256 of each code is kept; a used code keeps its row.
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- Set by the primary admin; `since` starts everyone's grace period.
CREATE TABLE account_security (
    account_csn   TEXT PRIMARY KEY NOT NULL REFERENCES accounts (csn),
    second_factor TEXT NOT NULL CHECK (second_factor IN ('off', 'admins', 'everyone')),
    grace_days    INTEGER NOT NULL CHECK (grace_days BETWEEN 0 AND 90),
    since         INTEGER NOT NULL
);

-- Password accepted, second factor outstanding. Only a SHA-256 of the
-- browser's id is kept.
CREATE TABLE signin_challenges (
    id_hash    TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    next       TEXT NOT NULL,
    time_zone  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signin_challenges_user ON signin_challenges (user_id);

ALTER TABLE sessions ADD COLUMN verified_at INTEGER;
-- Someone else removed the person's second factor: a new one is due at
-- the next sign-in, without a grace period.
ALTER TABLE users ADD COLUMN second_factor_reset_at INTEGER;
