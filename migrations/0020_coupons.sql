-- Coupons: a code for a percentage or a fixed rupiah amount off, maybe for one
-- product only, until a day, a limited number of times. An order priced with a
-- coupon holds one use while it waits for payment; the use is counted in the
-- transaction that marks it paid.

CREATE TABLE coupons (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
    -- percent: 1..100; fixed: rupiah
    value       INTEGER NOT NULL CHECK (value >= 1 AND (kind = 'fixed' OR value <= 100)),
    product_id  INTEGER REFERENCES products (id),
    expires_at  INTEGER,
    max_uses    INTEGER CHECK (max_uses >= 1),
    uses        INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    disabled_at INTEGER,
    created_at  INTEGER NOT NULL
) STRICT;

ALTER TABLE orders ADD COLUMN coupon_id INTEGER REFERENCES coupons (id);
-- what the coupon took off `amount` (the price charged), in the order's currency
ALTER TABLE orders ADD COLUMN discount INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0);
CREATE INDEX orders_coupon ON orders (coupon_id, status, created_at) WHERE coupon_id IS NOT NULL;
