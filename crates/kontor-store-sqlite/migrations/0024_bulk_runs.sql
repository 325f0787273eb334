-- #22 point 3: a change of partner for many agreements at once in the
-- portal. A run holds the agreements chosen (a draft), is submitted once
-- and keeps each agreement's outcome with the request made; the requests
-- themselves are audited as any.
CREATE TABLE bulk_runs (
    id              TEXT PRIMARY KEY,
    account_csn     TEXT NOT NULL REFERENCES accounts (csn),
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    new_partner_csn TEXT,
    submitted_at    INTEGER
);
CREATE TABLE bulk_run_items (
    run_id           TEXT NOT NULL REFERENCES bulk_runs (id),
    pos              INTEGER NOT NULL,
    agreement_number TEXT NOT NULL,
    outcome          TEXT CHECK (outcome IN ('submitted', 'not_eligible', 'error')),
    request_id       TEXT,
    reasons          TEXT NOT NULL DEFAULT '[]', -- JSON array of reason codes
    PRIMARY KEY (run_id, pos)
) WITHOUT ROWID;
