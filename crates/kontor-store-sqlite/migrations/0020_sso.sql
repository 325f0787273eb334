-- #21: single sign-on with OpenID Connect per customer account.

-- The account's identity provider. `sso_required` ends password sign-in
-- for the account's people except its primary admin (break glass).
CREATE TABLE account_sso (
    account_csn   TEXT PRIMARY KEY NOT NULL REFERENCES accounts (csn),
    issuer        TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    enabled       INTEGER NOT NULL,
    sso_required  INTEGER NOT NULL,
    default_role  TEXT NOT NULL CHECK (default_role IN ('user', 'secondary_admin')),
    updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

-- Email domains an operator bound to an account: their people are sent
-- to the account's identity provider. A domain belongs to one account.
CREATE TABLE sso_domains (
    domain      TEXT PRIMARY KEY NOT NULL,
    account_csn TEXT NOT NULL REFERENCES accounts (csn),
    approved_by TEXT NOT NULL,
    approved_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sso_domains_account ON sso_domains (account_csn);

-- Which person an identity provider's subject is, linked at the first
-- sign-in.
CREATE TABLE sso_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
) WITHOUT ROWID;
CREATE INDEX sso_identities_user ON sso_identities (user_id);

-- A sign-in sent to the identity provider: single use, ten minutes. Only
-- a SHA-256 of the state is kept; the nonce and PKCE verifier wait here.
CREATE TABLE sso_states (
    state_hash    TEXT PRIMARY KEY NOT NULL,
    account_csn   TEXT NOT NULL REFERENCES accounts (csn),
    nonce         TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    next          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sso_states_age ON sso_states (created_at);
