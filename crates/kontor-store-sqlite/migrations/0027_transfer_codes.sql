-- #22 point 2: consent per program, and transfer codes.
--
-- The operator chooses per program how the new partner consents to a
-- change: not at all (the seed's), by accepting within N days, or by
-- redeeming a transfer code the customer's admin hands over. A program
-- without a row follows the configured default.
CREATE TABLE program_consent (
    program          TEXT PRIMARY KEY NOT NULL,
    model            TEXT NOT NULL CHECK (model IN ('none', 'acceptance', 'transfer_code')),
    acceptance_days  INTEGER,
    code_valid_hours INTEGER,
    updated_at       INTEGER NOT NULL,
    updated_by       TEXT NOT NULL REFERENCES users (id)
) WITHOUT ROWID;
-- A code is kept as its SHA-256 only; `hint` is its last four characters,
-- so the admin can tell codes apart. Single use: redeemed, revoked or
-- expired, it is spent.
CREATE TABLE transfer_codes (
    id               TEXT PRIMARY KEY NOT NULL,
    code_hash        TEXT NOT NULL UNIQUE,
    hint             TEXT NOT NULL,
    account_csn      TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES users (id),
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    redeemed_at      INTEGER,
    redeemed_by      TEXT REFERENCES users (id),
    redeemed_partner TEXT,
    revoked_at       INTEGER,
    revoked_by       TEXT REFERENCES users (id)
) WITHOUT ROWID;
CREATE INDEX transfer_codes_account ON transfer_codes (account_csn, id);
CREATE INDEX transfer_codes_partner ON transfer_codes (redeemed_partner, id) WHERE redeemed_partner IS NOT NULL;
CREATE TABLE transfer_code_agreements (
    code_id          TEXT NOT NULL REFERENCES transfer_codes (id),
    agreement_number TEXT NOT NULL,
    PRIMARY KEY (code_id, agreement_number)
) WITHOUT ROWID;
