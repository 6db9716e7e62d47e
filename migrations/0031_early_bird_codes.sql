-- Early-bird codes (#39): each address on a waitlist gets its own code, good once and
-- only for an order whose buyer has that address, instead of one shared code.

-- The only buyer address a coupon works for (NULL: anyone's).
ALTER TABLE coupons ADD COLUMN email TEXT;
-- Each entry's own early-bird code, made with its launch mail.
ALTER TABLE waitlist_entries ADD COLUMN coupon_id INTEGER REFERENCES coupons (id);

-- A launch keeps its terms; the shared coupon of a launch before this version stays
-- linked (it keeps working until it expires, as mailed).
CREATE TABLE waitlist_launches_new (
    product_id  INTEGER PRIMARY KEY REFERENCES products (id),
    percent     INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 100),
    expires_at  INTEGER NOT NULL,
    coupon_id   INTEGER REFERENCES coupons (id),
    started_by  INTEGER REFERENCES users (id),
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;
INSERT INTO waitlist_launches_new (product_id, percent, expires_at, coupon_id, started_by, started_at, finished_at)
SELECT l.product_id, CASE WHEN c.kind = 'percent' THEN c.value ELSE 1 END, coalesce(c.expires_at, l.started_at),
       l.coupon_id, l.started_by, l.started_at, l.finished_at
FROM waitlist_launches l JOIN coupons c ON c.id = l.coupon_id;
DROP TABLE waitlist_launches;
ALTER TABLE waitlist_launches_new RENAME TO waitlist_launches;

-- "One pending use of a coupon per person" is checked at each checkout with a code.
CREATE INDEX orders_buyer_coupon ON orders (user_id, coupon_id, status, created_at) WHERE coupon_id IS NOT NULL;
