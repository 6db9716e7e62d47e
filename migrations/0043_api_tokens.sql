-- Personal access tokens (#46): a member's scripts call the JSON API under /api/v1/
-- with `Authorization: Bearer atl_…`. Only a SHA-256 of the token is kept (it is
-- shown once, at creation); `prefix` is its first characters, so a person can tell
-- their tokens apart. A revoked token stays listed (revoked_at) and is refused.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    -- space-separated, from the fixed list in domain::api::Scope
    scopes       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
