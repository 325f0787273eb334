-- #21: SCIM 2.0 provisioning of an account's people by its identity
-- provider.

-- `external_id` is the provider's id of the person; `scim_profile` the
-- SCIM attributes as the provider last wrote them (JSON), so they read back
-- as written; `suspended` tells a person the provider deactivated
-- (`active: false`, still listed) from one whose access was removed.
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN scim_profile TEXT;
ALTER TABLE users ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT FALSE;

-- Bearer tokens of the provisioning endpoint, one account each; only a
-- SHA-256 of the token is kept.
CREATE TABLE scim_tokens (
    id          TEXT PRIMARY KEY,
    account_csn TEXT NOT NULL REFERENCES accounts (csn) DEFERRABLE,
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT,
    last_used_at BIGINT
);
CREATE INDEX scim_tokens_account ON scim_tokens (account_csn);
