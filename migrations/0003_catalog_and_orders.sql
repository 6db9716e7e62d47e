-- The catalog, orders and the payment-event log.

CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('digital', 'saas', 'service')),
    name             TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    description_md   TEXT NOT NULL DEFAULT '',
    -- rendered and sanitised when saved, never per request
    description_html TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('draft', 'active', 'waitlist', 'archived')),
    billing          TEXT NOT NULL CHECK (billing IN ('one_time', 'monthly', 'yearly')),
    price_idr        INTEGER NOT NULL CHECK (price_idr >= 0),
    price_usd_cents  INTEGER CHECK (price_usd_cents >= 0),
    delivery_kind    TEXT NOT NULL CHECK (delivery_kind IN ('web_access', 'email_file', 'github_invite', 'license_key', 'manual')),
    -- JSON settings of the delivery kind (file, repository, activation limit ...)
    delivery_config  TEXT NOT NULL DEFAULT '{}',
    sort_order       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX products_listing ON products (kind, status, sort_order);

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    public_id     TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    product_id    INTEGER NOT NULL REFERENCES products (id),
    -- copied at checkout: later catalog edits never change what was bought
    product_name  TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount >= 0),
    currency      TEXT NOT NULL CHECK (currency IN ('IDR', 'USD')),
    gateway       TEXT NOT NULL CHECK (gateway IN ('midtrans', 'paypal', 'sandbox')),
    gateway_ref   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired', 'cancelled', 'refunded')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    paid_at       INTEGER,
    refunded_at   INTEGER
) STRICT;
CREATE INDEX orders_user ON orders (user_id, created_at DESC);
CREATE INDEX orders_admin ON orders (status, gateway, created_at DESC);
CREATE INDEX orders_gateway_ref ON orders (gateway, gateway_ref);

-- Every notification, capture and sandbox click, verified or not. `event_key`
-- makes applying one twice impossible.
CREATE TABLE payment_events (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER REFERENCES orders (id),
    gateway     TEXT NOT NULL,
    event_key   TEXT NOT NULL UNIQUE,
    outcome     TEXT NOT NULL,
    applied     INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    raw         TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX payment_events_order ON payment_events (order_id, id);
