-- The public site's content (posts, editable pages, case studies, demos,
-- resources, tools), its tags, staff uploads, the audit trail, the waitlist and
-- contact messages.

CREATE TABLE entries (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('post', 'page', 'case_study', 'demo', 'resource', 'tool')),
    slug        TEXT NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    body_md     TEXT NOT NULL DEFAULT '',
    -- rendered and sanitised when saved, never per request
    body_html   TEXT NOT NULL DEFAULT '',
    -- an image under /uploads/ shown on cards and in link previews
    cover_image TEXT NOT NULL DEFAULT '',
    -- demos and resources: where the button goes
    link_url    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    -- visible from this moment on when published (a future time schedules it)
    publish_at  INTEGER,
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (kind, slug)
) STRICT;
CREATE INDEX entries_public ON entries (kind, status, publish_at DESC);

CREATE TABLE entry_tags (
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (tag, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_tags_entry ON entry_tags (entry_id);

-- Who changed what and when (CMS, products, contacts, uploads).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_recent ON audit_log (created_at DESC);

CREATE TABLE uploads (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    original     TEXT NOT NULL DEFAULT '',
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE waitlist_entries (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    email      TEXT NOT NULL COLLATE NOCASE,
    name       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (product_id, email)
) STRICT;

CREATE TABLE contact_messages (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL,
    handled_at INTEGER,
    handled_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX contact_messages_inbox ON contact_messages (handled_at, created_at DESC);

-- Products staff choose to show on the home page.
ALTER TABLE products ADD COLUMN featured INTEGER NOT NULL DEFAULT 0;
