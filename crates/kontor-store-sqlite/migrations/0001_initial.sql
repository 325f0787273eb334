-- kontor schema, version 1 (SQLite).
-- Instants are INTEGER unix milliseconds (UTC) so they compare and sort
-- correctly and map 1:1 to PostgreSQL BIGINT; dates are TEXT YYYY-MM-DD.
-- Ids are generated in Rust (UUIDv7 as text), never by the database.

CREATE TABLE partners (
    csn      TEXT PRIMARY KEY NOT NULL,
    name     TEXT NOT NULL,
    city     TEXT NOT NULL,
    country  TEXT NOT NULL,
    status   TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    email    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE accounts (
    csn      TEXT PRIMARY KEY NOT NULL,
    name     TEXT NOT NULL,
    country  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('primary_admin', 'secondary_admin', 'user',
                      'partner_admin', 'partner_agent', 'support_agent', 'operator')),
    account_csn   TEXT REFERENCES accounts (csn),
    partner_csn   TEXT REFERENCES partners (csn),
    lang          TEXT NOT NULL CHECK (lang IN ('de', 'en')),
    password_hash TEXT,
    created_at    INTEGER NOT NULL,
    -- The tenant must match the role: customer roles have an account,
    -- partner roles a partner, vendor roles neither.
    CHECK (
        (role IN ('primary_admin', 'secondary_admin', 'user')
            AND account_csn IS NOT NULL AND partner_csn IS NULL)
     OR (role IN ('partner_admin', 'partner_agent')
            AND partner_csn IS NOT NULL AND account_csn IS NULL)
     OR (role IN ('support_agent', 'operator')
            AND account_csn IS NULL AND partner_csn IS NULL)
    )
);
-- Exactly one primary admin per account (SPEC roles table).
CREATE UNIQUE INDEX users_one_primary_admin ON users (account_csn) WHERE role = 'primary_admin';
CREATE INDEX users_account ON users (account_csn, role);

-- Agreements a `user` may see.
CREATE TABLE user_agreements (
    user_id          TEXT NOT NULL REFERENCES users (id),
    agreement_number TEXT NOT NULL REFERENCES agreements (number),
    PRIMARY KEY (user_id, agreement_number)
) WITHOUT ROWID;

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    -- SHA-256 of the token; the token itself is never stored.
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

CREATE TABLE agreements (
    number        TEXT PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('contract', 'subscription')),
    account_csn   TEXT NOT NULL REFERENCES accounts (csn),
    term_start    TEXT NOT NULL,
    term_end      TEXT NOT NULL,
    auto_renew    INTEGER NOT NULL CHECK (auto_renew IN (0, 1)),
    program       TEXT NOT NULL,
    support_level TEXT NOT NULL CHECK (support_level IN ('standard', 'advanced', 'premium')),
    status        TEXT NOT NULL CHECK (status IN ('active', 'expired', 'canceled', 'suspended')),
    -- Product lines as a JSON array of {name, seats}: always read and
    -- written whole, so one row per agreement keeps reads to one lookup.
    products      TEXT NOT NULL,
    CHECK ((kind = 'contract' AND length(number) = 12) OR (kind = 'subscription' AND length(number) = 14))
) WITHOUT ROWID;
CREATE INDEX agreements_account ON agreements (account_csn, number);

-- Partner history: one row per period a partner was partner of record.
-- Rows are never deleted and only ever closed (valid_to set once).
CREATE TABLE partner_assignments (
    id                INTEGER PRIMARY KEY,
    agreement_number  TEXT NOT NULL REFERENCES agreements (number),
    partner_csn       TEXT NOT NULL REFERENCES partners (csn),
    valid_from        INTEGER NOT NULL,
    valid_to          INTEGER,
    source            TEXT NOT NULL CHECK (source IN ('import', 'self_service', 'transaction', 'support')),
    change_request_id TEXT
);
CREATE INDEX pa_agreement ON partner_assignments (agreement_number, valid_from);
CREATE UNIQUE INDEX pa_current ON partner_assignments (agreement_number, partner_csn) WHERE valid_to IS NULL;
CREATE INDEX pa_current_partner ON partner_assignments (partner_csn, agreement_number) WHERE valid_to IS NULL;
CREATE TRIGGER pa_never_deleted BEFORE DELETE ON partner_assignments
BEGIN
    SELECT RAISE(ABORT, 'partner history is never deleted');
END;
CREATE TRIGGER pa_only_closed BEFORE UPDATE ON partner_assignments
WHEN OLD.valid_to IS NOT NULL
  OR NEW.valid_to IS NULL
  OR NEW.agreement_number IS NOT OLD.agreement_number
  OR NEW.partner_csn IS NOT OLD.partner_csn
  OR NEW.valid_from IS NOT OLD.valid_from
  OR NEW.source IS NOT OLD.source
BEGIN
    SELECT RAISE(ABORT, 'partner history is never overwritten');
END;

CREATE TABLE change_requests (
    id               TEXT PRIMARY KEY NOT NULL,
    agreement_number TEXT NOT NULL REFERENCES agreements (number),
    account_csn      TEXT NOT NULL REFERENCES accounts (csn),
    old_partners     TEXT NOT NULL, -- JSON array of CSNs
    new_partner_csn  TEXT NOT NULL REFERENCES partners (csn),
    status           TEXT NOT NULL CHECK (status IN ('awaiting_partner', 'pending', 'applied',
                         'rejected', 'withdrawn', 'declined', 'expired')),
    requested_by     TEXT NOT NULL REFERENCES users (id),
    created_at       INTEGER NOT NULL,
    due_at           INTEGER NOT NULL,
    decided_at       INTEGER,
    decided_by       TEXT,
    reasons          TEXT NOT NULL DEFAULT '[]' -- JSON array of reason codes
) WITHOUT ROWID;
-- R7: at most one open request per agreement, whoever asks and however fast.
CREATE UNIQUE INDEX cr_one_open_per_agreement ON change_requests (agreement_number)
    WHERE status IN ('pending', 'awaiting_partner');
CREATE INDEX cr_due ON change_requests (due_at) WHERE status = 'pending';
CREATE INDEX cr_account ON change_requests (account_csn, id);
CREATE INDEX cr_new_partner ON change_requests (new_partner_csn, id);
CREATE INDEX cr_agreement ON change_requests (agreement_number, id);

CREATE TABLE transactions (
    id               TEXT PRIMARY KEY NOT NULL,
    agreement_number TEXT NOT NULL REFERENCES agreements (number),
    kind             TEXT NOT NULL CHECK (kind IN ('renewal', 'add_seats', 'switch_term', 'upgrade')),
    partner_csn      TEXT NOT NULL REFERENCES partners (csn),
    recorded_by      TEXT NOT NULL REFERENCES users (id),
    recorded_at      INTEGER NOT NULL,
    details          TEXT NOT NULL -- JSON: term_end, product, replaces
) WITHOUT ROWID;

-- R11: append-only. The database itself refuses UPDATE and DELETE.
-- `seq` needs no AUTOINCREMENT: rows are never deleted, so max(seq) + 1 is
-- never a reused number, and it is the order of commits (one writer).
CREATE TABLE audit (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    at               INTEGER NOT NULL,
    actor_id         TEXT,
    actor            TEXT NOT NULL,
    action           TEXT NOT NULL,
    account_csn      TEXT,
    agreement_number TEXT,
    request_id       TEXT,
    before           TEXT NOT NULL,
    after            TEXT NOT NULL
);
CREATE INDEX audit_account ON audit (account_csn, seq);
CREATE INDEX audit_agreement ON audit (agreement_number, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Transactional outbox: written with the state change, drained by the worker.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead'))
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- Idempotency-Key records, scoped to the caller and the operation (R7).
CREATE TABLE idempotency_keys (
    user_id     TEXT NOT NULL,
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('running', 'done')),
    status      INTEGER,
    body        BLOB,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, scope, key)
) WITHOUT ROWID;
CREATE INDEX idem_created ON idempotency_keys (created_at);
