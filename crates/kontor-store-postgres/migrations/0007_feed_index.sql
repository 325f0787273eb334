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
-- about a second per few million audit entries. An operator with a large
-- audit log can build the index beforehand, while kontor serves:
--   CREATE INDEX CONCURRENTLY audit_txid_btree ON audit (txid);
-- and this migration only swaps it in (docs/operations.md). A leftover of
-- an interrupted concurrent build (marked invalid) is dropped and rebuilt.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE c.relname = 'audit_txid_btree' AND i.indisvalid
                 AND pg_get_indexdef(c.oid) LIKE '%USING btree (txid)') THEN
        DROP INDEX audit_txid;
        ALTER INDEX audit_txid_btree RENAME TO audit_txid;
    ELSE
        DROP INDEX IF EXISTS audit_txid_btree;
        DROP INDEX audit_txid;
        CREATE INDEX audit_txid ON audit (txid);
    END IF;
END $$;

-- The worker's decision is an in-place (HOT) update only when the page
-- has room for the new row version. At fillfactor 70 about 43 % of them
-- found room (pg_stat_user_tables); every other one wrote four new index
-- entries. A request row is ~220 bytes and each is decided once, so pages
-- filled to 45 % keep room for all of them. Applies to pages filled from
-- now on.
ALTER TABLE change_requests SET (fillfactor = 45);
