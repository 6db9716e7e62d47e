-- Delivery of paid orders: one delivery per order, license keys and their activations.

CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'revoked')),
    -- what the member is told (a message from staff for manual deliveries)
    detail       TEXT NOT NULL DEFAULT '',
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    delivered_at INTEGER,
    revoked_at   INTEGER
) STRICT;
CREATE INDEX deliveries_status ON deliveries (status, kind);

CREATE TABLE license_keys (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    license_key      TEXT NOT NULL UNIQUE,
    activation_limit INTEGER NOT NULL CHECK (activation_limit >= 1),
    expires_at       INTEGER,
    revoked_at       INTEGER,
    created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE license_activations (
    id          INTEGER PRIMARY KEY,
    license_id  INTEGER NOT NULL REFERENCES license_keys (id) ON DELETE CASCADE,
    instance    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (license_id, instance)
) STRICT;
