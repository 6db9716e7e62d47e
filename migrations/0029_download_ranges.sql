-- A download link counts a download when a response starts at the file's first byte;
-- ranges that continue it within 30 minutes are free. `counted_at` is when the last
-- counted download started (NULL when none, or when it was given back unfinished).
ALTER TABLE download_links ADD COLUMN counted_at INTEGER;
