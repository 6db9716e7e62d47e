-- The waitlist launch: when a product people waited for goes on sale, staff
-- send each of them one mail with an early-bird coupon. `launch_mailed_at` marks
-- who has been mailed, written with their mail, so nobody gets it twice.

CREATE TABLE waitlist_launches (
    product_id  INTEGER PRIMARY KEY REFERENCES products (id),
    coupon_id   INTEGER NOT NULL REFERENCES coupons (id),
    started_by  INTEGER REFERENCES users (id),
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;

ALTER TABLE waitlist_entries ADD COLUMN launch_mailed_at INTEGER;
