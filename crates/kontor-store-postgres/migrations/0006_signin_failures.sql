-- Failed sign-ins, counted per account ("account:<email>") and per client
-- address ("address:<ip>") over a sliding window (#7). Old rows are purged.
CREATE TABLE signin_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (key, at);
CREATE INDEX signin_failures_at ON signin_failures (at);
