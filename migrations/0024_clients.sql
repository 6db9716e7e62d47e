-- migrate: foreign_keys off
-- Agency clients (#14): a client is a company; its people are accounts with the
-- client role, each in one client. Invitations are mailed tokens (72 h, single
-- use), so `email_tokens` learns a third purpose (rebuilt: SQLite cannot widen a CHECK).

CREATE TABLE clients (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    billing_address TEXT NOT NULL DEFAULT '',
    tax_id          TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE client_people (
    user_id   INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    added_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX client_people_client ON client_people (client_id);

CREATE TABLE email_tokens_new (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'client_invite')),
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
) STRICT;
INSERT INTO email_tokens_new (id, user_id, purpose, token_hash, expires_at, used_at, created_at)
SELECT id, user_id, purpose, token_hash, expires_at, used_at, created_at FROM email_tokens;
DROP TABLE email_tokens;
ALTER TABLE email_tokens_new RENAME TO email_tokens;
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);
