-- #22 point 7: the vendor proposes a new partner to the customers of a
-- partner it deactivates (or moves). One proposal per partner replaced;
-- one mail per account (its row), the agreements as the partner served
-- them when it was proposed. Who changed is derived when read.
CREATE TABLE partner_proposals (
    id               TEXT PRIMARY KEY NOT NULL,
    from_partner     TEXT NOT NULL UNIQUE,
    to_partner       TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES users (id),
    created_at       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE proposal_accounts (
    proposal_id      TEXT NOT NULL REFERENCES partner_proposals (id),
    account_csn      TEXT NOT NULL,
    mailed_at        INTEGER NOT NULL,
    reminded_at      INTEGER,
    reminders        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (proposal_id, account_csn)
) WITHOUT ROWID;
CREATE TABLE proposal_agreements (
    proposal_id      TEXT NOT NULL REFERENCES partner_proposals (id),
    agreement_number TEXT NOT NULL,
    account_csn      TEXT NOT NULL,
    PRIMARY KEY (proposal_id, agreement_number)
) WITHOUT ROWID;
