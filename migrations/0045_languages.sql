-- #43: the language a person reads: their mail (and, as the pages are translated, the
-- signed-in areas) are in it. 'en' for every account made before languages were kept.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('id', 'en'));
