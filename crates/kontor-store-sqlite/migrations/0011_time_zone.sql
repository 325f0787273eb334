-- #18: the zone a person's times are shown in, as an IANA name
-- ("Europe/Berlin"). NULL until the person (or their browser at sign-in)
-- chooses one; until then kontor uses their account's or partner's
-- country.
ALTER TABLE users ADD COLUMN time_zone TEXT;
