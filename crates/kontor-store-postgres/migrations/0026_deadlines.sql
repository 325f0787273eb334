-- #22 point 4: a support case's resolution is due by its support level as
-- its first response is; the case records support's first reply, and when
-- each breach was mailed to the operators (once, whichever worker finds
-- it). A request waiting for the new partner's answer is escalated once
-- before it expires.
ALTER TABLE support_cases ADD COLUMN resolve_by BIGINT;
ALTER TABLE support_cases ADD COLUMN first_response_at BIGINT;
ALTER TABLE support_cases ADD COLUMN respond_breach_mailed_at BIGINT;
ALTER TABLE support_cases ADD COLUMN resolve_breach_mailed_at BIGINT;
-- Cases opened before: the default resolution targets (72, 24 and 8 hours;
-- a different configuration applies to cases opened from now on), and
-- support's first reply from the conversation.
UPDATE support_cases SET resolve_by = created_at + 3600000 *
    CASE support_level WHEN 'premium' THEN 8 WHEN 'advanced' THEN 24 ELSE 72 END
    WHERE support_level IS NOT NULL;
UPDATE support_cases SET first_response_at = (SELECT MIN(m.created_at) FROM case_messages m
    WHERE m.case_id = support_cases.id AND m.side = 'support');
CREATE TABLE request_escalations (
    request_id   TEXT PRIMARY KEY REFERENCES change_requests (id) DEFERRABLE,
    escalated_at BIGINT NOT NULL
);
