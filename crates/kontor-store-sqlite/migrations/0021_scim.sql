-- #21: SCIM 2.0 provisioning of an account's people by its identity
-- provider.

-- `external_id` is the provider's id of the person; `scim_profile` the
-- SCIM attributes as the provider last wrote them (JSON), so they read back
-- as written; `suspended` tells a person the provider deactivated
-- (`active: false`, still listed) from one whose access was removed.
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN scim_profile TEXT;
ALTER TABLE users ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;

-- Bearer tokens of the provisioning endpoint, one account each; only a
-- SHA-256 of the token is kept.
CREATE TABLE scim_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    account_csn TEXT NOT NULL REFERENCES accounts (csn),
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    last_used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX scim_tokens_account ON scim_tokens (account_csn);
