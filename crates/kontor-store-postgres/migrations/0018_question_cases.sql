-- #20: support cases that are questions (handed over by the help assistant
-- or asked directly): the agreement and both partners become optional, and
-- each case records its support level and first-response target.
ALTER TABLE support_cases ALTER COLUMN agreement_number DROP NOT NULL;
ALTER TABLE support_cases ALTER COLUMN replace_partner DROP NOT NULL;
ALTER TABLE support_cases ALTER COLUMN new_partner DROP NOT NULL;
ALTER TABLE support_cases ADD COLUMN support_level TEXT
    CHECK (support_level IN ('standard', 'advanced', 'premium'));
ALTER TABLE support_cases ADD COLUMN respond_by BIGINT;
ALTER TABLE support_cases ADD CONSTRAINT support_cases_swap_whole
    CHECK ((replace_partner IS NULL) = (new_partner IS NULL));
ALTER TABLE support_cases ADD CONSTRAINT support_cases_swap_agreement
    CHECK (replace_partner IS NULL OR agreement_number IS NOT NULL);
CREATE INDEX support_cases_opener ON support_cases (opened_by, id);
