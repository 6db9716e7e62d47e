-- #43: a visitor on a waitlist has no account to keep a language in: the entry keeps
-- the language of the page they joined on, and the launch mail is written in it.
-- 'en' for every entry made before the site spoke two languages.
ALTER TABLE waitlist_entries ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('id', 'en'));
