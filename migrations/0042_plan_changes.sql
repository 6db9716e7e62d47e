-- migrate: foreign_keys off
-- Plan changes and pauses (#45). A subscription can be `paused` (access withdrawn,
-- no reminders) until `paused_until`, when it resumes by itself with its period
-- moved on by the pause; and it can carry a change of plan scheduled for its next
-- renewal (`scheduled_plan_id`, switched at `scheduled_at`, the period end it was
-- scheduled for). SQLite cannot widen a CHECK constraint in place, so the table is
-- rebuilt the documented way, with foreign keys off for this migration only (the
-- runner checks every reference still holds before it commits).

CREATE TABLE subscriptions_new (
    id                   INTEGER PRIMARY KEY,
    public_id            TEXT NOT NULL UNIQUE,
    user_id              INTEGER NOT NULL REFERENCES users (id),
    product_id           INTEGER NOT NULL REFERENCES products (id),
    plan_id              INTEGER NOT NULL REFERENCES plans (id),
    -- the order whose delivery gives the access (web, GitHub, license key)
    first_order_id       INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    status               TEXT NOT NULL CHECK (status IN ('active', 'past_due', 'expired', 'cancelled', 'paused')),
    current_period_start INTEGER NOT NULL,
    current_period_end   INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    -- while paused: when it resumes by itself
    paused_until         INTEGER,
    -- a downgrade or a switch of period, taking effect at `scheduled_at`
    scheduled_plan_id    INTEGER REFERENCES plans (id),
    scheduled_at         INTEGER,
    CHECK ((status = 'paused') = (paused_until IS NOT NULL)),
    CHECK ((scheduled_plan_id IS NULL) = (scheduled_at IS NULL))
) STRICT;

INSERT INTO subscriptions_new (id, public_id, user_id, product_id, plan_id, first_order_id, status,
                               current_period_start, current_period_end, created_at, updated_at)
SELECT id, public_id, user_id, product_id, plan_id, first_order_id, status,
       current_period_start, current_period_end, created_at, updated_at
FROM subscriptions;

DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;

CREATE INDEX subscriptions_user ON subscriptions (user_id, status);
CREATE INDEX subscriptions_due ON subscriptions (status, current_period_end);
CREATE INDEX subscriptions_ending ON subscriptions (current_period_end, id);
CREATE INDEX subscriptions_by_product ON subscriptions (product_id, current_period_end, id);
-- The hourly check's two new questions: which pauses end, which switches are due.
CREATE INDEX subscriptions_resuming ON subscriptions (paused_until) WHERE status = 'paused';
CREATE INDEX subscriptions_switching ON subscriptions (scheduled_at) WHERE scheduled_plan_id IS NOT NULL;

-- An order paying the rest of a period on a dearer plan names the subscription it upgrades.
ALTER TABLE orders ADD COLUMN upgrades_subscription_id INTEGER REFERENCES subscriptions (id);
