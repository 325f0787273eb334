-- #22 point 4: a partner a pending change would replace objects within the
-- processing window. The change stays pending but is held: the worker's
-- queue marks it, and the worker passes over it until support releases it
-- (or upholds it, rejecting the change). One dispute per request. Each
-- carries first-response and resolution deadlines by the agreement's
-- support level, and when each breach was told.
ALTER TABLE open_requests ADD COLUMN held BOOLEAN NOT NULL DEFAULT false;
CREATE TABLE disputes (
    id                       TEXT PRIMARY KEY,
    request_id               TEXT NOT NULL UNIQUE REFERENCES change_requests (id) DEFERRABLE,
    agreement_number         TEXT NOT NULL,
    account_csn              TEXT NOT NULL,
    partner_csn              TEXT NOT NULL,
    filed_by                 TEXT NOT NULL REFERENCES users (id) DEFERRABLE,
    reason                   TEXT NOT NULL,
    filed_at                 BIGINT NOT NULL,
    support_level            TEXT NOT NULL CHECK (support_level IN ('standard', 'advanced', 'premium')),
    respond_by               BIGINT NOT NULL,
    resolve_by               BIGINT NOT NULL,
    status                   TEXT NOT NULL CHECK (status IN ('open', 'released', 'upheld', 'withdrawn')),
    decided_by               TEXT,
    decided_at               BIGINT,
    decision_note            TEXT,
    respond_breach_mailed_at BIGINT,
    resolve_breach_mailed_at BIGINT
);
CREATE INDEX disputes_open ON disputes (status, resolve_by);
CREATE INDEX disputes_partner ON disputes (partner_csn, id);
