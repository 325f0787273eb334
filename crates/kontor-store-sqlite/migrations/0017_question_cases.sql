-- #20: support cases that are questions (handed over by the help assistant
-- or asked directly), not only "replace one of several partners": the
-- agreement and both partners become optional, and each case records the
-- support level its first-response target came from and that target.
--
-- SQLite cannot drop NOT NULL in place, so the table is rebuilt. The
-- migration runs in a transaction, where foreign keys cannot be switched
-- off: they are deferred instead. Dropping the table orphans the case
-- replies for a moment; inserting the same cases again adopts them, and
-- the commit checks that none is left orphaned.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE support_cases_copy AS SELECT * FROM support_cases;
DROP TABLE support_cases;
CREATE TABLE support_cases (
    id               TEXT PRIMARY KEY NOT NULL,
    account_csn      TEXT NOT NULL REFERENCES accounts (csn),
    agreement_number TEXT REFERENCES agreements (number),
    opened_by        TEXT NOT NULL REFERENCES users (id),
    replace_partner  TEXT REFERENCES partners (csn),
    new_partner      TEXT REFERENCES partners (csn),
    message          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at       INTEGER NOT NULL,
    resolved_at      INTEGER,
    resolved_by      TEXT,
    waiting_on       TEXT NOT NULL DEFAULT 'support' CHECK (waiting_on IN ('customer', 'support')),
    support_level    TEXT CHECK (support_level IN ('standard', 'advanced', 'premium')),
    respond_by       INTEGER,
    CHECK ((replace_partner IS NULL) = (new_partner IS NULL)),
    CHECK (replace_partner IS NULL OR agreement_number IS NOT NULL)
) WITHOUT ROWID;
INSERT INTO support_cases (id, account_csn, agreement_number, opened_by, replace_partner, new_partner,
    message, status, created_at, resolved_at, resolved_by, waiting_on)
SELECT id, account_csn, agreement_number, opened_by, replace_partner, new_partner,
    message, status, created_at, resolved_at, resolved_by, waiting_on
FROM support_cases_copy;
DROP TABLE support_cases_copy;
CREATE INDEX support_cases_account ON support_cases (account_csn, id);
CREATE INDEX support_cases_open ON support_cases (status, id);
CREATE INDEX support_cases_opener ON support_cases (opened_by, id);
