-- Outgoing webhooks managed by staff (#46): endpoints, each subscribed to some
-- events and signing with its own secret, and a log of every try to deliver one.
-- NOTIFY_WEBHOOK_URL, when set, is kept as the endpoint `from_env` (created at start).
CREATE TABLE webhook_endpoints (
    id         INTEGER PRIMARY KEY,
    url        TEXT NOT NULL,
    -- space-separated, from domain::webhooks::Event
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    from_env   INTEGER NOT NULL DEFAULT 0 CHECK (from_env IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX webhook_endpoints_env ON webhook_endpoints (from_env) WHERE from_env = 1;

CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    endpoint_id  INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event        TEXT NOT NULL,
    -- the event's id (X-Atelier-Delivery): a retry or a redelivery repeats it
    delivery_id  TEXT NOT NULL,
    payload      TEXT NOT NULL,
    -- the HTTP status, or NULL when no answer came (then `error` says why)
    status_code  INTEGER,
    duration_ms  INTEGER NOT NULL,
    response     TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
