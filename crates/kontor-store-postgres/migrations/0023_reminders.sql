-- #22: reminders before the window for a partner change closes (R4). One
-- row per agreement, term and reminder sent: a reminder goes out once,
-- whichever worker sends it and however often it restarts.
CREATE TABLE reminders_sent (
    agreement_number TEXT NOT NULL REFERENCES agreements (number) DEFERRABLE,
    term_end         TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('window_closing')),
    offset_days      BIGINT NOT NULL,
    sent_at          BIGINT NOT NULL,
    PRIMARY KEY (agreement_number, term_end, kind, offset_days)
);
CREATE INDEX reminders_sent_term ON reminders_sent (term_end);
