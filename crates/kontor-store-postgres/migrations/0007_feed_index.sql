-- The change feed (`changes_since`) reads the audit entries of a range of
-- transaction ids several times a second per instance. With the BRIN index
-- the planner chose a sequential scan of the whole audit log (measured: 17
-- ms per poll at 80k entries, growing with the log); a BRIN scan would
-- still read whole block ranges. A b-tree on an ever-growing bigint costs
-- an insert at the right edge and makes the poll proportional to what it
-- returns (2.5 ms for 4,000 entries).
--
-- CREATE INDEX (not CONCURRENTLY, which deadlocks against other instances
-- waiting for the migration lock) holds back audit writes while it builds:
-- about a second per few million audit entries (docs/operations.md).
DROP INDEX audit_txid;
CREATE INDEX audit_txid ON audit (txid);

-- The worker's decision is an in-place (HOT) update only when the page
-- has room for the new row version. At fillfactor 70 about 43 % of them
-- found room (pg_stat_user_tables); every other one wrote four new index
-- entries. A request row is ~220 bytes and each is decided once, so pages
-- filled to 45 % keep room for all of them. Applies to pages filled from
-- now on.
ALTER TABLE change_requests SET (fillfactor = 45);
