-- Analytics from rollups (#41): what /admin/analytics sums, kept per Jakarta day
-- (unix seconds + 7 h, divided by a day) by triggers, in the same transaction as the
-- change to the row, and backfilled here from the rows. A two-year range reads a few
-- thousand rows instead of every order.
--
-- A migration that rebuilds `orders`, `users` or `page_views` (CREATE ... _new, copy,
-- RENAME) drops these triggers with the old table: it must create them again.

-- Orders by the day they were made: what stands where now (status), and the
-- checkouts of the funnel (with a product).
CREATE TABLE orders_created_daily (
    day          INTEGER NOT NULL,
    status       TEXT NOT NULL,
    with_product INTEGER NOT NULL,
    orders       INTEGER NOT NULL,
    PRIMARY KEY (day, status, with_product)
) STRICT, WITHOUT ROWID;

-- Orders by the day they were paid (paid, or paid then refunded): revenue per
-- currency, the top products (product 0: an order without one, such as an invoice).
CREATE TABLE orders_paid_daily (
    day        INTEGER NOT NULL,
    status     TEXT NOT NULL,
    product_id INTEGER NOT NULL,
    currency   TEXT NOT NULL,
    orders     INTEGER NOT NULL,
    amount     INTEGER NOT NULL,
    PRIMARY KEY (day, status, product_id, currency)
) STRICT, WITHOUT ROWID;

-- New accounts per day, and page views per day over every path.
CREATE TABLE signups_daily (day INTEGER PRIMARY KEY, users INTEGER NOT NULL) STRICT;
CREATE TABLE page_views_daily (day INTEGER PRIMARY KEY, views INTEGER NOT NULL) STRICT;

CREATE TRIGGER orders_rollup_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_created_daily (day, status, with_product, orders)
    VALUES ((NEW.created_at + 25200) / 86400, NEW.status, NEW.product_id IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET orders = orders + 1;
    INSERT INTO orders_paid_daily (day, status, product_id, currency, orders, amount)
    SELECT (NEW.paid_at + 25200) / 86400, NEW.status, coalesce(NEW.product_id, 0), NEW.currency, 1, NEW.amount
    WHERE NEW.paid_at IS NOT NULL AND NEW.status IN ('paid', 'refunded')
    ON CONFLICT DO UPDATE SET orders = orders + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER orders_rollup_delete AFTER DELETE ON orders BEGIN
    UPDATE orders_created_daily SET orders = orders - 1
    WHERE day = (OLD.created_at + 25200) / 86400 AND status = OLD.status AND with_product = (OLD.product_id IS NOT NULL);
    UPDATE orders_paid_daily SET orders = orders - 1, amount = amount - OLD.amount
    WHERE OLD.paid_at IS NOT NULL AND OLD.status IN ('paid', 'refunded')
      AND day = (OLD.paid_at + 25200) / 86400 AND status = OLD.status
      AND product_id = coalesce(OLD.product_id, 0) AND currency = OLD.currency;
END;

CREATE TRIGGER orders_rollup_update
AFTER UPDATE OF status, created_at, paid_at, product_id, currency, amount ON orders BEGIN
    UPDATE orders_created_daily SET orders = orders - 1
    WHERE day = (OLD.created_at + 25200) / 86400 AND status = OLD.status AND with_product = (OLD.product_id IS NOT NULL);
    INSERT INTO orders_created_daily (day, status, with_product, orders)
    VALUES ((NEW.created_at + 25200) / 86400, NEW.status, NEW.product_id IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET orders = orders + 1;
    UPDATE orders_paid_daily SET orders = orders - 1, amount = amount - OLD.amount
    WHERE OLD.paid_at IS NOT NULL AND OLD.status IN ('paid', 'refunded')
      AND day = (OLD.paid_at + 25200) / 86400 AND status = OLD.status
      AND product_id = coalesce(OLD.product_id, 0) AND currency = OLD.currency;
    INSERT INTO orders_paid_daily (day, status, product_id, currency, orders, amount)
    SELECT (NEW.paid_at + 25200) / 86400, NEW.status, coalesce(NEW.product_id, 0), NEW.currency, 1, NEW.amount
    WHERE NEW.paid_at IS NOT NULL AND NEW.status IN ('paid', 'refunded')
    ON CONFLICT DO UPDATE SET orders = orders + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER users_rollup_insert AFTER INSERT ON users BEGIN
    INSERT INTO signups_daily (day, users) VALUES ((NEW.created_at + 25200) / 86400, 1)
    ON CONFLICT DO UPDATE SET users = users + 1;
END;

CREATE TRIGGER users_rollup_delete AFTER DELETE ON users BEGIN
    UPDATE signups_daily SET users = users - 1 WHERE day = (OLD.created_at + 25200) / 86400;
END;

CREATE TRIGGER page_views_rollup_insert AFTER INSERT ON page_views BEGIN
    INSERT INTO page_views_daily (day, views) VALUES (NEW.day, NEW.views)
    ON CONFLICT DO UPDATE SET views = views + excluded.views;
END;

CREATE TRIGGER page_views_rollup_update AFTER UPDATE OF views ON page_views BEGIN
    UPDATE page_views_daily SET views = views + NEW.views - OLD.views WHERE day = NEW.day;
END;

CREATE TRIGGER page_views_rollup_delete AFTER DELETE ON page_views BEGIN
    UPDATE page_views_daily SET views = views - OLD.views WHERE day = OLD.day;
END;

INSERT INTO orders_created_daily (day, status, with_product, orders)
SELECT (created_at + 25200) / 86400, status, product_id IS NOT NULL, count(*) FROM orders GROUP BY 1, 2, 3;
INSERT INTO orders_paid_daily (day, status, product_id, currency, orders, amount)
SELECT (paid_at + 25200) / 86400, status, coalesce(product_id, 0), currency, count(*), sum(amount)
FROM orders WHERE paid_at IS NOT NULL AND status IN ('paid', 'refunded') GROUP BY 1, 2, 3, 4;
INSERT INTO signups_daily (day, users) SELECT (created_at + 25200) / 86400, count(*) FROM users GROUP BY 1;
INSERT INTO page_views_daily (day, views) SELECT day, sum(views) FROM page_views GROUP BY 1;
