-- Plans and subscriptions: a product can be sold on monthly or yearly plans; paying
-- for a plan starts a subscription, and paying a renewal extends it by one period
-- from its current end. Gateways here keep no card on file, so each renewal is a
-- new order the member pays from a reminder.

CREATE TABLE plans (
    id              INTEGER PRIMARY KEY,
    product_id      INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    period          TEXT NOT NULL CHECK (period IN ('monthly', 'yearly')),
    price_idr       INTEGER NOT NULL CHECK (price_idr >= 0),
    price_usd_cents INTEGER CHECK (price_usd_cents >= 0),
    -- one feature per line, shown in the plan comparison
    features        TEXT NOT NULL DEFAULT '',
    -- runs per tool per Asia/Jakarta day while subscribed (NULL: the member default)
    tool_quota      INTEGER CHECK (tool_quota >= 0),
    sort_order      INTEGER NOT NULL DEFAULT 0,
    -- retired plans keep their subscriptions but are no longer sold
    retired         INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX plans_product ON plans (product_id, retired, sort_order);

CREATE TABLE subscriptions (
    id                   INTEGER PRIMARY KEY,
    public_id            TEXT NOT NULL UNIQUE,
    user_id              INTEGER NOT NULL REFERENCES users (id),
    product_id           INTEGER NOT NULL REFERENCES products (id),
    plan_id              INTEGER NOT NULL REFERENCES plans (id),
    -- the order whose delivery gives the access (web, GitHub, license key)
    first_order_id       INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    status               TEXT NOT NULL CHECK (status IN ('active', 'past_due', 'expired', 'cancelled')),
    current_period_start INTEGER NOT NULL,
    current_period_end   INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX subscriptions_user ON subscriptions (user_id, status);
CREATE INDEX subscriptions_due ON subscriptions (status, current_period_end);

-- What happened to a subscription, and who did it (the member, staff, the daily check).
CREATE TABLE subscription_events (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    actor_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX subscription_events_sub ON subscription_events (subscription_id, id);

-- An order for a plan; a renewal names the subscription it extends. Each paid
-- order of a subscription is one period.
ALTER TABLE orders ADD COLUMN plan_id INTEGER REFERENCES plans (id);
ALTER TABLE orders ADD COLUMN renews_subscription_id INTEGER REFERENCES subscriptions (id);
ALTER TABLE orders ADD COLUMN period_start INTEGER;
ALTER TABLE orders ADD COLUMN period_end INTEGER;
