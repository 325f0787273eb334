-- #22 point 2: consent per program, and transfer codes.
--
-- The operator chooses per program how the new partner consents to a
-- change: not at all (the seed's), by accepting within N days, or by
-- redeeming a transfer code the customer's admin hands over. A program
-- without a row follows the configured default.
CREATE TABLE program_consent (
    program          TEXT PRIMARY KEY,
    model            TEXT NOT NULL CHECK (model IN ('none', 'acceptance', 'transfer_code')),
    acceptance_days  BIGINT,
    code_valid_hours BIGINT,
    updated_at       BIGINT NOT NULL,
    updated_by       TEXT NOT NULL REFERENCES users (id) DEFERRABLE
);
-- A code is kept as its SHA-256 only; `hint` is its last four characters,
-- so the admin can tell codes apart. Single use: redeemed, revoked or
-- expired, it is spent.
CREATE TABLE transfer_codes (
    id               TEXT PRIMARY KEY,
    code_hash        TEXT NOT NULL UNIQUE,
    hint             TEXT NOT NULL,
    account_csn      TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES users (id) DEFERRABLE,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    redeemed_at      BIGINT,
    redeemed_by      TEXT REFERENCES users (id) DEFERRABLE,
    redeemed_partner TEXT,
    revoked_at       BIGINT,
    revoked_by       TEXT REFERENCES users (id) DEFERRABLE
);
CREATE INDEX transfer_codes_account ON transfer_codes (account_csn, id);
CREATE INDEX transfer_codes_partner ON transfer_codes (redeemed_partner, id) WHERE redeemed_partner IS NOT NULL;
CREATE TABLE transfer_code_agreements (
    code_id          TEXT NOT NULL REFERENCES transfer_codes (id) DEFERRABLE,
    agreement_number TEXT NOT NULL,
    PRIMARY KEY (code_id, agreement_number)
);
