//! Queries on `jobs`, the durable queue (its policy — priorities, retries, what a
//! kind is — lives in `server::jobs`).

use super::{now, DbError};
use rusqlite::{params, Connection, OptionalExtension};

/// How long a claimed job is reserved for its worker before others may take it.
pub const LEASE_SECS: i64 = 120;

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub bulk: bool,
}

/// Which due jobs a worker may take now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Kinds already running as many times at once as allowed.
    pub full_kinds: Vec<String>,
    pub bulk_allowed: bool,
}

impl Filter {
    /// Any due job.
    pub fn any() -> Self {
        Self { full_kinds: Vec::new(), bulk_allowed: true }
    }
}

/// A job about to be queued.
#[derive(Debug, Clone, Copy)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    pub dedupe_key: Option<&'a str>,
    pub max_attempts: i64,
    pub run_at: i64,
    /// 0 for transactional work, higher for bulk.
    pub priority: i64,
    pub group: Option<&'a str>,
}

/// Inserts a job, unless one with the same dedupe key exists (`None` then).
pub fn insert(conn: &Connection, job: &NewJob<'_>) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO jobs (kind, payload, dedupe_key, status, attempts, max_attempts, run_at, priority, group_key,
                               created_at, updated_at)
             VALUES (?1, ?2, ?3, 'queued', 0, ?4, ?5, ?6, ?7, ?8, ?8)
             ON CONFLICT (dedupe_key) DO NOTHING
             RETURNING id",
        )?
        .query_row(
            params![
                job.kind,
                job.payload,
                job.dedupe_key,
                job.max_attempts,
                job.run_at,
                job.priority,
                job.group,
                now()
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Claims the next due job `filter` allows: transactional before bulk, then by
/// time; a job waits while an earlier job of its group is queued or running.
pub fn claim(conn: &Connection, now: i64, filter: &Filter) -> Result<Option<Job>, DbError> {
    let full = serde_json::to_string(&filter.full_kinds)?;
    // Expired leases first (rare; a worker that died), then the queue in order,
    // walking the (status, priority, run_at, id) index until a job is allowed.
    let candidate: Option<i64> = conn
        .prepare_cached(
            "SELECT j.id FROM jobs j
             WHERE j.status = 'running' AND j.locked_until <= ?1
               AND j.kind NOT IN (SELECT value FROM json_each(?2)) AND (?3 OR j.priority = 0)
             ORDER BY j.id LIMIT 1",
        )?
        .query_row(params![now, full, filter.bulk_allowed], |r| r.get(0))
        .optional()?;
    let candidate = match candidate {
        Some(id) => Some(id),
        None => conn
            .prepare_cached(
                "SELECT j.id FROM jobs j
                 WHERE j.status = 'queued' AND j.run_at <= ?1
                   AND j.kind NOT IN (SELECT value FROM json_each(?2)) AND (?3 OR j.priority = 0)
                   AND (j.group_key IS NULL OR NOT EXISTS (
                        SELECT 1 FROM jobs e
                        WHERE e.group_key = j.group_key AND e.id < j.id AND e.status IN ('queued', 'running')))
                 ORDER BY j.priority, j.run_at, j.id LIMIT 1",
            )?
            .query_row(params![now, full, filter.bulk_allowed], |r| r.get(0))
            .optional()?,
    };
    let Some(id) = candidate else { return Ok(None) };
    // Conditional: another process may have claimed it between the two statements.
    Ok(conn
        .prepare_cached(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?2, updated_at = ?3
             WHERE id = ?1 AND ((status = 'queued' AND run_at <= ?3) OR (status = 'running' AND locked_until <= ?3))
             RETURNING id, kind, payload, attempts, max_attempts, priority",
        )?
        .query_row(params![id, now + LEASE_SECS, now], |r| {
            Ok(Job {
                id: r.get(0)?,
                kind: r.get(1)?,
                payload: r.get(2)?,
                attempts: r.get(3)?,
                max_attempts: r.get(4)?,
                bulk: r.get::<_, i64>(5)? > 0,
            })
        })
        .optional()?)
}

/// Jobs per kind that are due now, scheduled for later and dead; and how long the
/// oldest due job has waited.
pub fn queue_depth(conn: &Connection, now: i64) -> Result<(Vec<crate::domain::jobs::KindDepth>, Option<i64>), DbError> {
    let depth = conn
        .prepare_cached(
            "SELECT kind, sum(status = 'queued' AND run_at <= ?1), sum(status = 'queued' AND run_at > ?1),
                    sum(status = 'dead')
             FROM jobs WHERE status IN ('queued', 'dead') GROUP BY kind ORDER BY kind",
        )?
        .query_map([now], |r| {
            Ok(crate::domain::jobs::KindDepth {
                kind: r.get(0)?,
                due: r.get(1)?,
                scheduled: r.get(2)?,
                dead: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let oldest: Option<i64> = conn
        .prepare_cached("SELECT min(run_at) FROM jobs WHERE status = 'queued' AND run_at <= ?1")?
        .query_row([now], |r| r.get(0))?;
    Ok((depth, oldest.map(|t| now - t)))
}

/// Jobs that gave up (dead) since `since` (the alerting window).
pub fn dead_since(conn: &Connection, since: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM jobs WHERE status = 'dead' AND updated_at >= ?1")?
        .query_row([since], |r| r.get(0))?)
}

/// Puts every claimed job back in the queue, due now (see `server::jobs::recover_abandoned`).
pub fn requeue_running(conn: &Connection) -> Result<usize, DbError> {
    Ok(conn
        .prepare_cached(
            "UPDATE jobs SET status = 'queued', locked_until = NULL, run_at = min(run_at, ?1), updated_at = ?1
             WHERE status = 'running'",
        )?
        .execute([now()])?)
}

pub fn mark_done(conn: &Connection, id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE jobs SET status = 'done', locked_until = NULL, last_error = NULL, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now()])?;
    Ok(())
}

pub fn mark_dead(conn: &Connection, id: i64, error: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE jobs SET status = 'dead', locked_until = NULL, last_error = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, error, now()])?;
    Ok(())
}

/// Back in the queue at `run_at`, with the error that sent it back.
pub fn reschedule(conn: &Connection, id: i64, run_at: i64, error: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE jobs SET status = 'queued', locked_until = NULL, run_at = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, run_at, error, now()])?;
    Ok(())
}

/// A dead job queued again now, with one more attempt allowed; false if it was not dead.
pub fn requeue_dead(conn: &Connection, id: i64) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE jobs SET status = 'queued', run_at = ?2, max_attempts = max(max_attempts, attempts + 1), updated_at = ?2
             WHERE id = ?1 AND status = 'dead'",
        )?
        .execute(params![id, now()])?;
    Ok(changed == 1)
}
