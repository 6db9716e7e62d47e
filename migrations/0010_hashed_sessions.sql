-- Sessions are now stored under the SHA-256 of their id (the cookie value), so a
-- copy of the database signs nobody in. Existing rows were keyed by the plain id
-- and can never be found again: remove them (everyone signs in once more).
DELETE FROM sessions;
