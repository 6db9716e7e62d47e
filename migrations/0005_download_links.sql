-- Signed, expiring, count-limited download links for email_file deliveries.
-- Only a SHA-256 of the link's token is stored.
CREATE TABLE download_links (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders (id),
    token_hash    TEXT NOT NULL UNIQUE,
    expires_at    INTEGER NOT NULL,
    max_downloads INTEGER NOT NULL CHECK (max_downloads >= 1),
    downloads     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX download_links_order ON download_links (order_id);
