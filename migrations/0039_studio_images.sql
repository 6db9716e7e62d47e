-- The studio's logo and the icons drawn from it (#42), kept in the database so a
-- backup carries them. Each is re-encoded by the server (never the uploaded bytes):
-- `logo` (PNG, at most 160 px high), `icon-32`, `icon-180`, `icon-192`, `icon-512`
-- (square PNGs). `version` is the logo's: the addresses' `?v=`, so browsers keep
-- them for good and a new logo is a new address.
CREATE TABLE studio_images (
    name         TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    version      TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
