-- #22 point 1: change at renewal. A partner named for an agreement's next
-- renewal, with its history (replaced, withdrawn, applied, rejected,
-- lapsed). At most one is scheduled per agreement; the worker looks at a
-- scheduled one again at `check_at` (first the renewal, `due_at`).
CREATE TABLE renewal_partners (
    id               TEXT PRIMARY KEY,
    agreement_number TEXT NOT NULL REFERENCES agreements (number),
    account_csn      TEXT NOT NULL REFERENCES accounts (csn),
    new_partner_csn  TEXT NOT NULL REFERENCES partners (csn),
    named_by         TEXT NOT NULL REFERENCES users (id),
    named_at         INTEGER NOT NULL,
    term_end         TEXT NOT NULL,
    due_at           INTEGER NOT NULL,
    check_at         INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('scheduled', 'applied', 'replaced',
                         'withdrawn', 'rejected', 'lapsed')),
    decided_at       INTEGER,
    decided_by       TEXT,
    reasons          TEXT NOT NULL DEFAULT '[]', -- JSON array of reason codes
    transaction_id   TEXT
);
CREATE UNIQUE INDEX renewal_one_scheduled ON renewal_partners (agreement_number)
    WHERE status = 'scheduled';
CREATE INDEX renewal_check ON renewal_partners (check_at) WHERE status = 'scheduled';
CREATE INDEX renewal_agreement ON renewal_partners (agreement_number, named_at);
CREATE INDEX renewal_new_partner ON renewal_partners (new_partner_csn) WHERE status = 'scheduled';
