-- #16 hardening.
--
-- A sign-in attempt is reserved before its password is checked: its rows
-- in signin_failures carry the attempt's id and count as failures at once,
-- so parallel attempts cannot all pass the limit; a successful attempt
-- deletes its own rows by this id.
ALTER TABLE signin_failures ADD COLUMN attempt TEXT;
CREATE INDEX signin_failures_attempt ON signin_failures (attempt) WHERE attempt IS NOT NULL;

-- The kontor process that holds a running Idempotency-Key claim. A claim
-- whose owner no longer beats in _instances was left by a process that
-- died, and a retry may take it over at once (NULL: claimed before this
-- migration; those still go stale after a while). `attempt` is the
-- claiming request's own id: only it finishes or releases the claim.
ALTER TABLE idempotency_keys ADD COLUMN owner TEXT;
ALTER TABLE idempotency_keys ADD COLUMN attempt TEXT;

-- Live kontor processes: each beats every second, pushing alive_until
-- (database time, ms) a few seconds ahead. Operational state, not data:
-- the leading underscore keeps it out of copies and exports.
CREATE TABLE _instances (
    id          TEXT PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    alive_until BIGINT NOT NULL
);

-- One row that /readyz rewrites to learn whether a write can commit
-- (a full disk, a read-only file system).
CREATE TABLE _write_probe (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    probed_at BIGINT NOT NULL
);
INSERT INTO _write_probe (id, probed_at) VALUES (1, 0);
