-- Staff pages at scale (#41).

-- A waitlist entry records when its person paid for the product (the first paid
-- order of the product by the account with that address, paid at or after they
-- signed up), kept by triggers whatever code path changes an order, an address or
-- the list, so the waitlist counts and analytics count a column instead of looking
-- every entry's orders up.
ALTER TABLE waitlist_entries ADD COLUMN converted_at INTEGER;

UPDATE waitlist_entries SET converted_at = (
    SELECT min(o.paid_at) FROM users u JOIN orders o ON o.user_id = u.id
    WHERE u.email = waitlist_entries.email AND o.product_id = waitlist_entries.product_id
      AND o.status = 'paid' AND o.paid_at >= waitlist_entries.created_at
);

CREATE TRIGGER waitlist_converted_order_insert AFTER INSERT ON orders
WHEN NEW.product_id IS NOT NULL AND NEW.status = 'paid'
BEGIN
    UPDATE waitlist_entries SET converted_at = (
        SELECT min(o.paid_at) FROM users u JOIN orders o ON o.user_id = u.id
        WHERE u.email = waitlist_entries.email AND o.product_id = waitlist_entries.product_id
          AND o.status = 'paid' AND o.paid_at >= waitlist_entries.created_at
    )
    WHERE product_id = NEW.product_id AND email = (SELECT email FROM users WHERE id = NEW.user_id);
END;

CREATE TRIGGER waitlist_converted_order_update AFTER UPDATE OF status, paid_at, user_id, product_id ON orders
WHEN (OLD.status = 'paid' OR NEW.status = 'paid') AND (OLD.product_id IS NOT NULL OR NEW.product_id IS NOT NULL)
BEGIN
    UPDATE waitlist_entries SET converted_at = (
        SELECT min(o.paid_at) FROM users u JOIN orders o ON o.user_id = u.id
        WHERE u.email = waitlist_entries.email AND o.product_id = waitlist_entries.product_id
          AND o.status = 'paid' AND o.paid_at >= waitlist_entries.created_at
    )
    WHERE (product_id = NEW.product_id AND email = (SELECT email FROM users WHERE id = NEW.user_id))
       OR (product_id = OLD.product_id AND email = (SELECT email FROM users WHERE id = OLD.user_id));
END;

CREATE TRIGGER waitlist_converted_order_delete AFTER DELETE ON orders
WHEN OLD.product_id IS NOT NULL AND OLD.status = 'paid'
BEGIN
    UPDATE waitlist_entries SET converted_at = (
        SELECT min(o.paid_at) FROM users u JOIN orders o ON o.user_id = u.id
        WHERE u.email = waitlist_entries.email AND o.product_id = waitlist_entries.product_id
          AND o.status = 'paid' AND o.paid_at >= waitlist_entries.created_at
    )
    WHERE product_id = OLD.product_id AND email = (SELECT email FROM users WHERE id = OLD.user_id);
END;

CREATE TRIGGER waitlist_converted_email AFTER UPDATE OF email ON users
BEGIN
    UPDATE waitlist_entries SET converted_at = (
        SELECT min(o.paid_at) FROM users u JOIN orders o ON o.user_id = u.id
        WHERE u.email = waitlist_entries.email AND o.product_id = waitlist_entries.product_id
          AND o.status = 'paid' AND o.paid_at >= waitlist_entries.created_at
    )
    WHERE email IN (OLD.email, NEW.email);
END;

CREATE TRIGGER waitlist_converted_entry AFTER INSERT ON waitlist_entries
BEGIN
    UPDATE waitlist_entries SET converted_at = (
        SELECT min(o.paid_at) FROM users u JOIN orders o ON o.user_id = u.id
        WHERE u.email = NEW.email AND o.product_id = NEW.product_id
          AND o.status = 'paid' AND o.paid_at >= NEW.created_at
    )
    WHERE id = NEW.id;
END;

-- The counts per product, kept by triggers in the same transaction as every change
-- of an entry (so the waitlist page reads one row per product).
CREATE TABLE waitlist_counts (
    product_id INTEGER PRIMARY KEY,
    entries    INTEGER NOT NULL DEFAULT 0,
    mailed     INTEGER NOT NULL DEFAULT 0,
    converted  INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO waitlist_counts (product_id, entries, mailed, converted)
SELECT product_id, count(*), count(launch_mailed_at), count(converted_at) FROM waitlist_entries GROUP BY product_id;

CREATE TRIGGER waitlist_counts_insert AFTER INSERT ON waitlist_entries
BEGIN
    INSERT INTO waitlist_counts (product_id, entries, mailed, converted)
    VALUES (NEW.product_id, 1, NEW.launch_mailed_at IS NOT NULL, NEW.converted_at IS NOT NULL)
    ON CONFLICT DO UPDATE SET entries = entries + 1, mailed = mailed + excluded.mailed,
                              converted = converted + excluded.converted;
END;

CREATE TRIGGER waitlist_counts_delete AFTER DELETE ON waitlist_entries
BEGIN
    UPDATE waitlist_counts SET entries = entries - 1, mailed = mailed - (OLD.launch_mailed_at IS NOT NULL),
                               converted = converted - (OLD.converted_at IS NOT NULL)
    WHERE product_id = OLD.product_id;
END;

CREATE TRIGGER waitlist_counts_update AFTER UPDATE OF product_id, launch_mailed_at, converted_at ON waitlist_entries
BEGIN
    UPDATE waitlist_counts SET entries = entries - 1, mailed = mailed - (OLD.launch_mailed_at IS NOT NULL),
                               converted = converted - (OLD.converted_at IS NOT NULL)
    WHERE product_id = OLD.product_id;
    INSERT INTO waitlist_counts (product_id, entries, mailed, converted)
    VALUES (NEW.product_id, 1, NEW.launch_mailed_at IS NOT NULL, NEW.converted_at IS NOT NULL)
    ON CONFLICT DO UPDATE SET entries = entries + 1, mailed = mailed + excluded.mailed,
                              converted = converted + excluded.converted;
END;

-- Sign-ups per Jakarta day (of signing up) and product, and how many of them have
-- paid since: analytics reads days of these instead of every entry.
CREATE TABLE waitlist_daily (
    day        INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    signups    INTEGER NOT NULL DEFAULT 0,
    converted  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, product_id)
) STRICT, WITHOUT ROWID;

INSERT INTO waitlist_daily (day, product_id, signups, converted)
SELECT (created_at + 25200) / 86400, product_id, count(*), count(converted_at) FROM waitlist_entries GROUP BY 1, 2;

CREATE TRIGGER waitlist_daily_insert AFTER INSERT ON waitlist_entries
BEGIN
    INSERT INTO waitlist_daily (day, product_id, signups, converted)
    VALUES ((NEW.created_at + 25200) / 86400, NEW.product_id, 1, NEW.converted_at IS NOT NULL)
    ON CONFLICT DO UPDATE SET signups = signups + 1, converted = converted + excluded.converted;
END;

CREATE TRIGGER waitlist_daily_delete AFTER DELETE ON waitlist_entries
BEGIN
    UPDATE waitlist_daily SET signups = signups - 1, converted = converted - (OLD.converted_at IS NOT NULL)
    WHERE day = (OLD.created_at + 25200) / 86400 AND product_id = OLD.product_id;
END;

CREATE TRIGGER waitlist_daily_update AFTER UPDATE OF product_id, created_at, converted_at ON waitlist_entries
BEGIN
    UPDATE waitlist_daily SET signups = signups - 1, converted = converted - (OLD.converted_at IS NOT NULL)
    WHERE day = (OLD.created_at + 25200) / 86400 AND product_id = OLD.product_id;
    INSERT INTO waitlist_daily (day, product_id, signups, converted)
    VALUES ((NEW.created_at + 25200) / 86400, NEW.product_id, 1, NEW.converted_at IS NOT NULL)
    ON CONFLICT DO UPDATE SET signups = signups + 1, converted = converted + excluded.converted;
END;

-- An address's entries (when the address changes).
CREATE INDEX waitlist_entries_email ON waitlist_entries (email);
-- Early-bird codes used, per product (each address's code is bound to its address).
CREATE INDEX coupons_early_bird_used ON coupons (product_id) WHERE email IS NOT NULL AND uses > 0;
-- Client messages staff have not read (the overview), and what one person has not
-- read of a project (the projects lists), counted from an index each.
CREATE INDEX project_messages_side ON project_messages (project_id, from_staff, id);
CREATE INDEX project_messages_unread ON project_messages (project_id, id, author_id);
-- (It starts with the columns of the thread's index, which it replaces.)
DROP INDEX project_messages_project;

-- Paid orders per month (by the first Jakarta day of the month), product and
-- currency: kept from the daily rollup by triggers on it (its rows are only ever
-- inserted or updated), so a range of whole months reads a row per month.
CREATE TABLE orders_paid_monthly (
    month      INTEGER NOT NULL,
    status     TEXT NOT NULL,
    product_id INTEGER NOT NULL,
    currency   TEXT NOT NULL,
    orders     INTEGER NOT NULL,
    amount     INTEGER NOT NULL,
    PRIMARY KEY (month, status, product_id, currency)
) STRICT, WITHOUT ROWID;

INSERT INTO orders_paid_monthly (month, status, product_id, currency, orders, amount)
SELECT CAST(strftime('%s', day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, status, product_id, currency,
       sum(orders), sum(amount)
FROM orders_paid_daily GROUP BY 1, 2, 3, 4;

CREATE TRIGGER orders_paid_monthly_insert AFTER INSERT ON orders_paid_daily
BEGIN
    INSERT INTO orders_paid_monthly (month, status, product_id, currency, orders, amount)
    VALUES (CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.status,
            NEW.product_id, NEW.currency, NEW.orders, NEW.amount)
    ON CONFLICT DO UPDATE SET orders = orders + excluded.orders, amount = amount + excluded.amount;
END;

CREATE TRIGGER orders_paid_monthly_update AFTER UPDATE ON orders_paid_daily
BEGIN
    UPDATE orders_paid_monthly SET orders = orders - OLD.orders, amount = amount - OLD.amount
    WHERE month = CAST(strftime('%s', OLD.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400
      AND status = OLD.status AND product_id = OLD.product_id AND currency = OLD.currency;
    INSERT INTO orders_paid_monthly (month, status, product_id, currency, orders, amount)
    VALUES (CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.status,
            NEW.product_id, NEW.currency, NEW.orders, NEW.amount)
    ON CONFLICT DO UPDATE SET orders = orders + excluded.orders, amount = amount + excluded.amount;
END;
