-- Client projects (#14 item 2): a project belongs to one client; its milestones
-- carry a due date, an amount (IDR) and a status. The description is Markdown,
-- rendered and sanitised when saved.

CREATE TABLE projects (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES clients (id),
    name             TEXT NOT NULL,
    description_md   TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('proposal', 'active', 'on_hold', 'done')),
    starts_on        INTEGER,
    ends_on          INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX projects_client ON projects (client_id, status);

CREATE TABLE milestones (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    title      TEXT NOT NULL,
    due_on     INTEGER,
    amount_idr INTEGER NOT NULL DEFAULT 0 CHECK (amount_idr >= 0),
    status     TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX milestones_project ON milestones (project_id, id);
