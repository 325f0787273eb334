-- The worker finds requests whose new partner did not answer in time.
CREATE INDEX cr_awaiting ON change_requests (due_at) WHERE status = 'awaiting_partner';
