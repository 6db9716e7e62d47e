-- A person's request to move their account to another email address: nothing
-- changes until the link mailed to the new address is opened. Only a SHA-256 of
-- the token is stored.
CREATE TABLE email_changes (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email   TEXT NOT NULL COLLATE NOCASE,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX email_changes_user ON email_changes (user_id);
