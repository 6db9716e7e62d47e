-- #43: an entry (post, page, case study, demo, resource, tool) is written in the
-- studio's language; it may have a version in the other language, with its own
-- address, words and publication. The entry's row is the main version: its cover,
-- link, tags and built-in tool are shared by both.
CREATE TABLE entry_translations (
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    -- the entry's kind, kept here so an address is unique per language and kind
    kind       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    body_md    TEXT NOT NULL DEFAULT '',
    body_html  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    publish_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (entry_id, lang),
    UNIQUE (lang, kind, slug)
) STRICT;
-- When the next scheduled version appears (the page cache's horizon).
CREATE INDEX entry_translations_scheduled ON entry_translations (status, publish_at);
