-- migrate: foreign_keys off
-- iPaymu (virtual accounts and QRIS) joins the gateways. SQLite cannot widen a
-- CHECK constraint in place, so `orders` is rebuilt the documented way (new
-- table, copy, drop, rename) with foreign keys off for this migration only;
-- the runner checks every reference still holds before it commits.

CREATE TABLE orders_new (
    id            INTEGER PRIMARY KEY,
    public_id     TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    product_id    INTEGER NOT NULL REFERENCES products (id),
    product_name  TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount >= 0),
    currency      TEXT NOT NULL CHECK (currency IN ('IDR', 'USD')),
    gateway       TEXT NOT NULL CHECK (gateway IN ('midtrans', 'paypal', 'ipaymu', 'sandbox')),
    gateway_ref   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired', 'cancelled', 'refunded')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    paid_at       INTEGER,
    refunded_at   INTEGER,
    gateway_capture_id     TEXT,
    plan_id                INTEGER REFERENCES plans (id),
    renews_subscription_id INTEGER REFERENCES subscriptions (id),
    period_start           INTEGER,
    period_end             INTEGER
) STRICT;

INSERT INTO orders_new (id, public_id, user_id, product_id, product_name, amount, currency, gateway, gateway_ref,
                        status, created_at, updated_at, paid_at, refunded_at, gateway_capture_id, plan_id,
                        renews_subscription_id, period_start, period_end)
SELECT id, public_id, user_id, product_id, product_name, amount, currency, gateway, gateway_ref,
       status, created_at, updated_at, paid_at, refunded_at, gateway_capture_id, plan_id,
       renews_subscription_id, period_start, period_end
FROM orders;

DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;

CREATE INDEX orders_user ON orders (user_id, created_at DESC);
CREATE INDEX orders_admin ON orders (status, gateway, created_at DESC);
CREATE INDEX orders_gateway_ref ON orders (gateway, gateway_ref);
CREATE UNIQUE INDEX orders_gateway_capture ON orders (gateway, gateway_capture_id) WHERE gateway_capture_id IS NOT NULL;

-- How the buyer pays an order that is paid by transfer rather than on the
-- provider's page: the virtual account number or the QRIS payload, until when.
CREATE TABLE payment_instructions (
    order_id     INTEGER PRIMARY KEY REFERENCES orders (id),
    method       TEXT NOT NULL CHECK (method IN ('va', 'qris')),
    channel      TEXT NOT NULL,
    -- the virtual account number, or the QRIS string the QR code encodes
    payment_no   TEXT NOT NULL,
    payment_name TEXT NOT NULL DEFAULT '',
    expires_at   INTEGER,
    created_at   INTEGER NOT NULL
) STRICT;
