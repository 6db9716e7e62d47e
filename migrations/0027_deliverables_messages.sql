-- Deliverables and messages of client projects (#14 items 5 and 6).
--
-- A deliverable belongs to a project (and usually a milestone); its files are
-- versions streamed to private storage (`deliverables/…`), every version kept.
-- One marked `release_when_paid` is downloadable only once an invoice of its
-- milestone is paid. The client approves a version or asks for changes.
--
-- Messages are a thread per project, Markdown rendered and sanitised when
-- posted, with optional attachments; what each person has read is kept per
-- project, for unread counts on both sides.

CREATE TABLE deliverables (
    id                INTEGER PRIMARY KEY,
    project_id        INTEGER NOT NULL REFERENCES projects (id),
    milestone_id      INTEGER REFERENCES milestones (id),
    title             TEXT NOT NULL,
    release_when_paid INTEGER NOT NULL DEFAULT 0 CHECK (release_when_paid IN (0, 1)),
    status            TEXT NOT NULL CHECK (status IN ('in_review', 'approved', 'changes_requested')),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    CHECK (release_when_paid = 0 OR milestone_id IS NOT NULL)
) STRICT;
CREATE INDEX deliverables_project ON deliverables (project_id, id);

CREATE TABLE deliverable_versions (
    id             INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverables (id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    storage_path   TEXT NOT NULL UNIQUE,
    original_name  TEXT NOT NULL,
    bytes          INTEGER NOT NULL CHECK (bytes > 0),
    sha256         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    uploaded_by    INTEGER REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    UNIQUE (deliverable_id, seq)
) STRICT;

CREATE TABLE deliverable_reviews (
    id             INTEGER PRIMARY KEY,
    deliverable_id INTEGER NOT NULL REFERENCES deliverables (id),
    version_id     INTEGER NOT NULL REFERENCES deliverable_versions (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    decision       TEXT NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
    comment        TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX deliverable_reviews_deliverable ON deliverable_reviews (deliverable_id, id);

CREATE TABLE project_messages (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    author_id  INTEGER NOT NULL REFERENCES users (id),
    -- whether the studio wrote it (the other side is the client's people)
    from_staff INTEGER NOT NULL CHECK (from_staff IN (0, 1)),
    body_md    TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX project_messages_project ON project_messages (project_id, id);

CREATE TABLE message_attachments (
    id            INTEGER PRIMARY KEY,
    message_id    INTEGER NOT NULL REFERENCES project_messages (id),
    storage_path  TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    bytes         INTEGER NOT NULL CHECK (bytes > 0),
    sha256        TEXT NOT NULL
) STRICT;
CREATE INDEX message_attachments_message ON message_attachments (message_id);

-- The newest message of a project each person has seen.
CREATE TABLE project_reads (
    user_id         INTEGER NOT NULL REFERENCES users (id),
    project_id      INTEGER NOT NULL REFERENCES projects (id),
    last_message_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, project_id)
) STRICT, WITHOUT ROWID;
