-- Page views per month and path (#41): the top pages and the funnel's product-page
-- views over a long range read whole months here and only the partial months at its
-- ends from `page_views`. `month` is the Jakarta day number of the month's first day.
-- Kept by triggers on `page_views` (see 0034: a rebuild of that table must recreate them).
CREATE TABLE page_views_monthly (
    month INTEGER NOT NULL,
    path  TEXT NOT NULL,
    views INTEGER NOT NULL,
    PRIMARY KEY (month, path)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER page_views_monthly_insert AFTER INSERT ON page_views BEGIN
    INSERT INTO page_views_monthly (month, path, views)
    VALUES (CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.path, NEW.views)
    ON CONFLICT DO UPDATE SET views = views + excluded.views;
END;

CREATE TRIGGER page_views_monthly_update AFTER UPDATE OF views ON page_views BEGIN
    UPDATE page_views_monthly SET views = views + NEW.views - OLD.views
    WHERE month = CAST(strftime('%s', NEW.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400
      AND path = NEW.path;
END;

CREATE TRIGGER page_views_monthly_delete AFTER DELETE ON page_views BEGIN
    UPDATE page_views_monthly SET views = views - OLD.views
    WHERE month = CAST(strftime('%s', OLD.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400
      AND path = OLD.path;
END;

INSERT INTO page_views_monthly (month, path, views)
SELECT CAST(strftime('%s', day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, path, sum(views)
FROM page_views GROUP BY 1, 2;
