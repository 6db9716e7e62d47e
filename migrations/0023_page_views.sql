-- Page views for /admin/analytics, counted on the server without cookies or
-- addresses: one row per Asia/Jakarta day and path, written every minute.

CREATE TABLE page_views (
    day   INTEGER NOT NULL,
    path  TEXT NOT NULL,
    views INTEGER NOT NULL CHECK (views >= 0),
    PRIMARY KEY (day, path)
) STRICT, WITHOUT ROWID;
