-- The Idempotency-Key a request was submitted with (R7). A retry whose
-- first answer was never recorded — the process or the database went away
-- between the commit and storing the response — finds its own request by
-- it and is answered 202 instead of meeting that request as a conflict.
ALTER TABLE change_requests ADD COLUMN idempotency_key TEXT;
