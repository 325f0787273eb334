-- Notifications and integrations (#6). An outbox message (one per event,
-- written with the state change) is expanded into one delivery per email
-- recipient and per subscribed webhook endpoint; each delivery is claimed
-- with a lease, retried on a schedule and ends delivered or dead.

CREATE TABLE webhook_endpoints (
    id                    TEXT PRIMARY KEY NOT NULL,
    url                   TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    -- JSON array of event types; empty means every event.
    event_types           TEXT NOT NULL DEFAULT '[]',
    secret                TEXT NOT NULL,
    -- The secret before the last rotation, still signed with until then.
    previous_secret       TEXT,
    previous_secret_until INTEGER,
    enabled               INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    disabled_reason       TEXT,
    -- First failure of the current run of failures; cleared by a success.
    failing_since         INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);

CREATE TABLE deliveries (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    outbox_id       TEXT NOT NULL REFERENCES outbox (id),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    -- Email: the recipient (address, language, role) as JSON.
    recipient       TEXT,
    endpoint_id     TEXT REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- While claimed: the end of the lease (a claimed delivery is not due).
    next_attempt_at INTEGER NOT NULL,
    -- Who holds the lease: a late answer of an expired claim changes nothing.
    claim           TEXT,
    last_error      TEXT,
    last_status     INTEGER,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    CHECK ((channel = 'email') = (recipient IS NOT NULL)),
    CHECK ((channel = 'webhook') = (endpoint_id IS NOT NULL))
);
CREATE UNIQUE INDEX deliveries_email ON deliveries (outbox_id, recipient) WHERE channel = 'email';
CREATE UNIQUE INDEX deliveries_webhook ON deliveries (outbox_id, endpoint_id) WHERE channel = 'webhook';
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, seq) WHERE endpoint_id IS NOT NULL;
CREATE INDEX deliveries_status ON deliveries (status, seq);

-- The delivery log: one row per attempt.
CREATE TABLE delivery_attempts (
    seq         INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    status_code INTEGER,
    latency_ms  INTEGER NOT NULL,
    error       TEXT
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, seq);
