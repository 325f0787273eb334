-- #19: the agreement list sorts by term end; keyset pages over
-- (term_end, number) within an account, and over all for vendor staff.
-- The support-levels page asks per level whether an account has one.
CREATE INDEX agreements_account_term_end ON agreements (account_csn, term_end, number);
CREATE INDEX agreements_term_end ON agreements (term_end, number);
CREATE INDEX agreements_account_level ON agreements (account_csn, support_level);
