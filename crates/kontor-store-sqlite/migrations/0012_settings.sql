-- #19: a person's own settings. Their sessions name the browser they were
-- started from (shortened User-Agent), so "sign out the others" is a choice
-- made knowingly.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
