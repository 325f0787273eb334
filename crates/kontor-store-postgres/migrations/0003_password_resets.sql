-- One-time links serve two purposes: an invited person's first password and
-- a forgotten password (#6). Both store only the SHA-256 of the token.
ALTER TABLE invitations ADD COLUMN purpose TEXT NOT NULL DEFAULT 'invitation'
    CHECK (purpose IN ('invitation', 'password_reset'));
CREATE INDEX invitations_user_purpose ON invitations (user_id, purpose, created_at);
