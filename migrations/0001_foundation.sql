-- Foundation: settings (generated secrets, site options) and HTTP sessions.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- tower-sessions records: the id is the session cookie's value, data is JSON.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expiry_date INTEGER NOT NULL,
    -- copied from data.user_id on save, so all of a user's sessions can be ended at once
    user_id     INTEGER
) STRICT;
CREATE INDEX sessions_expiry ON sessions (expiry_date);
CREATE INDEX sessions_user ON sessions (user_id) WHERE user_id IS NOT NULL;
