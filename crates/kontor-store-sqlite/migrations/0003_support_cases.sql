-- Support cases, e.g. "change only one of several partners" (R6): opened by
-- an account admin, resolved by a support agent who replaces that partner.
CREATE TABLE support_cases (
    id               TEXT PRIMARY KEY NOT NULL,
    account_csn      TEXT NOT NULL REFERENCES accounts (csn),
    agreement_number TEXT NOT NULL REFERENCES agreements (number),
    opened_by        TEXT NOT NULL REFERENCES users (id),
    replace_partner  TEXT NOT NULL REFERENCES partners (csn),
    new_partner      TEXT NOT NULL REFERENCES partners (csn),
    message          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at       INTEGER NOT NULL,
    resolved_at      INTEGER,
    resolved_by      TEXT
) WITHOUT ROWID;
CREATE INDEX support_cases_account ON support_cases (account_csn, id);
CREATE INDEX support_cases_open ON support_cases (status, id);
