-- Open requests (pending, or awaiting the new partner) live in a table of
-- their own, one row per agreement: its primary key is R7's "one open
-- request per agreement", and the worker's due queue is its index. Deciding
-- a request then deletes a row here and changes no indexed column of
-- change_requests — an update PostgreSQL makes in place (HOT), with free
-- space left on each page for it — instead of new entries in every index.
CREATE TABLE open_requests (
    agreement_number TEXT PRIMARY KEY,
    request_id       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'awaiting_partner')),
    due_at           BIGINT NOT NULL
);
CREATE INDEX open_pending_due ON open_requests (due_at) WHERE status = 'pending';
CREATE INDEX open_awaiting_due ON open_requests (due_at) WHERE status = 'awaiting_partner';
INSERT INTO open_requests (agreement_number, request_id, status, due_at)
    SELECT agreement_number, id, status, due_at FROM change_requests
    WHERE status IN ('pending', 'awaiting_partner');
DROP INDEX cr_one_open_per_agreement;
DROP INDEX cr_due;
DROP INDEX cr_awaiting;
ALTER TABLE change_requests SET (fillfactor = 70);
