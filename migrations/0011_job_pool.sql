-- A pool of workers. Bulk work (a launch mail to every address) has a higher
-- `priority` number and waits behind transactional work; jobs that share a
-- `group_key` (one order's delivery and its revocation) run one after another,
-- in the order they were queued.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN group_key TEXT;
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs (status, priority, run_at, id);
CREATE INDEX jobs_group ON jobs (group_key, id) WHERE group_key IS NOT NULL;
