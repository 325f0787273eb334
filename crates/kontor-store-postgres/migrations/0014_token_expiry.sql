-- #19: personal API tokens may expire (unix ms; NULL: until revoked). An
-- expired token authenticates nothing, like a revoked one.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
