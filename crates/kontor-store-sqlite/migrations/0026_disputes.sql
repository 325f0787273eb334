-- #22 point 4: a partner a pending change would replace objects within the
-- processing window. The change stays pending but is held: the worker
-- passes over a request with an open dispute until support releases it
-- (or upholds it, rejecting the change). One dispute per request. Each
-- carries first-response and resolution deadlines by the agreement's
-- support level, and when each breach was told.
CREATE TABLE disputes (
    id                       TEXT PRIMARY KEY NOT NULL,
    request_id               TEXT NOT NULL UNIQUE REFERENCES change_requests (id),
    agreement_number         TEXT NOT NULL,
    account_csn              TEXT NOT NULL,
    partner_csn              TEXT NOT NULL,
    filed_by                 TEXT NOT NULL REFERENCES users (id),
    reason                   TEXT NOT NULL,
    filed_at                 INTEGER NOT NULL,
    support_level            TEXT NOT NULL CHECK (support_level IN ('standard', 'advanced', 'premium')),
    respond_by               INTEGER NOT NULL,
    resolve_by               INTEGER NOT NULL,
    status                   TEXT NOT NULL CHECK (status IN ('open', 'released', 'upheld', 'withdrawn')),
    decided_by               TEXT,
    decided_at               INTEGER,
    decision_note            TEXT,
    respond_breach_mailed_at INTEGER,
    resolve_breach_mailed_at INTEGER
) WITHOUT ROWID;
CREATE INDEX disputes_open ON disputes (status, resolve_by);
CREATE INDEX disputes_partner ON disputes (partner_csn, id);
