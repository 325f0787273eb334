-- As 0008 did for change requests: the agreement a partner assignment
-- belongs to is checked once per statement instead of by a foreign key that
-- share-locks (and so writes) one agreement row per assignment — every
-- apply of the worker. Measured: 5–8 µs of the worker's ~95 µs of database
-- time per applied request. Agreements are never deleted nor re-keyed
-- (0008), and an assignment never changes its agreement (pa_only_closed).
-- The partner's foreign key stays: an import may name a partner before the
-- file lists it, and only a foreign key can wait for the commit (DEFERRABLE).
ALTER TABLE partner_assignments DROP CONSTRAINT partner_assignments_agreement_number_fkey;

CREATE FUNCTION partner_assignments_check_agreements() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    orphan TEXT;
BEGIN
    SELECT n.agreement_number INTO orphan FROM added n
    WHERE NOT EXISTS (SELECT 1 FROM agreements a WHERE a.number = n.agreement_number)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'partner assignment for agreement % that does not exist', orphan
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER partner_assignments_agreements AFTER INSERT ON partner_assignments
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION partner_assignments_check_agreements();
