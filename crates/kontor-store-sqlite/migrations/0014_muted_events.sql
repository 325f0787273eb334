-- #19: the partner-change events a person does not want mails about,
-- comma-separated codes ("submitted,applied"); empty: every mail.
-- Security mails cannot be muted and are not listed here.
ALTER TABLE users ADD COLUMN muted_events TEXT NOT NULL DEFAULT '';
