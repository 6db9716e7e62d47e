-- Analytics over long ranges read whole months (#41). Each daily rollup that the
-- page sums over a range gets a monthly one kept from it by triggers, and the
-- funnel's product-page views are kept per day beside all views, so a range of two
-- years reads a row per month (and the days of at most half a month at an end)
-- instead of a row per day and path. `month` is the Jakarta day number of the
-- month's first day, as in 0036 and 0037.

-- Orders made, per month, status and whether they were for a product.
CREATE TABLE orders_created_monthly (
    month        INTEGER NOT NULL,
    status       TEXT NOT NULL,
    with_product INTEGER NOT NULL,
    orders       INTEGER NOT NULL,
    PRIMARY KEY (month, status, with_product)
) STRICT, WITHOUT ROWID;

INSERT INTO orders_created_monthly (month, status, with_product, orders)
SELECT CAST(strftime('%s', day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, status, with_product, sum(orders)
FROM orders_created_daily GROUP BY 1, 2, 3;

CREATE TRIGGER orders_created_monthly_insert AFTER INSERT ON orders_created_daily
BEGIN
    INSERT INTO orders_created_monthly (month, status, with_product, orders)
    VALUES (CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.status,
            NEW.with_product, NEW.orders)
    ON CONFLICT DO UPDATE SET orders = orders + excluded.orders;
END;

CREATE TRIGGER orders_created_monthly_update AFTER UPDATE ON orders_created_daily
BEGIN
    UPDATE orders_created_monthly SET orders = orders - OLD.orders
    WHERE month = CAST(strftime('%s', OLD.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400
      AND status = OLD.status AND with_product = OLD.with_product;
    INSERT INTO orders_created_monthly (month, status, with_product, orders)
    VALUES (CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.status,
            NEW.with_product, NEW.orders)
    ON CONFLICT DO UPDATE SET orders = orders + excluded.orders;
END;

CREATE TRIGGER orders_created_monthly_delete AFTER DELETE ON orders_created_daily
BEGIN
    UPDATE orders_created_monthly SET orders = orders - OLD.orders
    WHERE month = CAST(strftime('%s', OLD.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400
      AND status = OLD.status AND with_product = OLD.with_product;
END;

-- Waitlist sign-ups and conversions, per month and product.
CREATE TABLE waitlist_monthly (
    month      INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    signups    INTEGER NOT NULL,
    converted  INTEGER NOT NULL,
    PRIMARY KEY (month, product_id)
) STRICT, WITHOUT ROWID;

INSERT INTO waitlist_monthly (month, product_id, signups, converted)
SELECT CAST(strftime('%s', day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, product_id, sum(signups),
       sum(converted)
FROM waitlist_daily GROUP BY 1, 2;

CREATE TRIGGER waitlist_monthly_insert AFTER INSERT ON waitlist_daily
BEGIN
    INSERT INTO waitlist_monthly (month, product_id, signups, converted)
    VALUES (CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.product_id,
            NEW.signups, NEW.converted)
    ON CONFLICT DO UPDATE SET signups = signups + excluded.signups, converted = converted + excluded.converted;
END;

CREATE TRIGGER waitlist_monthly_update AFTER UPDATE ON waitlist_daily
BEGIN
    UPDATE waitlist_monthly SET signups = signups - OLD.signups, converted = converted - OLD.converted
    WHERE month = CAST(strftime('%s', OLD.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400
      AND product_id = OLD.product_id;
    INSERT INTO waitlist_monthly (month, product_id, signups, converted)
    VALUES (CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.product_id,
            NEW.signups, NEW.converted)
    ON CONFLICT DO UPDATE SET signups = signups + excluded.signups, converted = converted + excluded.converted;
END;

CREATE TRIGGER waitlist_monthly_delete AFTER DELETE ON waitlist_daily
BEGIN
    UPDATE waitlist_monthly SET signups = signups - OLD.signups, converted = converted - OLD.converted
    WHERE month = CAST(strftime('%s', OLD.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400
      AND product_id = OLD.product_id;
END;

-- Views of product, SaaS and service pages per day, beside all views: the funnel's
-- first step over a range is a row per day, not a row per day and path.
ALTER TABLE page_views_daily ADD COLUMN product_views INTEGER NOT NULL DEFAULT 0;

UPDATE page_views_daily SET product_views = (
    SELECT coalesce(sum(views), 0) FROM page_views
    WHERE page_views.day = page_views_daily.day
      AND (path LIKE '/products/%' OR path LIKE '/saas/%' OR path LIKE '/services/%')
);

DROP TRIGGER page_views_rollup_insert;
DROP TRIGGER page_views_rollup_update;
DROP TRIGGER page_views_rollup_delete;

CREATE TRIGGER page_views_rollup_insert AFTER INSERT ON page_views BEGIN
    INSERT INTO page_views_daily (day, views, product_views)
    VALUES (NEW.day, NEW.views,
            CASE WHEN NEW.path LIKE '/products/%' OR NEW.path LIKE '/saas/%' OR NEW.path LIKE '/services/%'
                 THEN NEW.views ELSE 0 END)
    ON CONFLICT DO UPDATE SET views = views + excluded.views, product_views = product_views + excluded.product_views;
END;

CREATE TRIGGER page_views_rollup_update AFTER UPDATE OF views ON page_views BEGIN
    UPDATE page_views_daily SET views = views + NEW.views - OLD.views,
        product_views = product_views
            + CASE WHEN NEW.path LIKE '/products/%' OR NEW.path LIKE '/saas/%' OR NEW.path LIKE '/services/%'
                   THEN NEW.views - OLD.views ELSE 0 END
    WHERE day = NEW.day;
END;

CREATE TRIGGER page_views_rollup_delete AFTER DELETE ON page_views BEGIN
    UPDATE page_views_daily SET views = views - OLD.views,
        product_views = product_views
            - CASE WHEN OLD.path LIKE '/products/%' OR OLD.path LIKE '/saas/%' OR OLD.path LIKE '/services/%'
                   THEN OLD.views ELSE 0 END
    WHERE day = OLD.day;
END;
