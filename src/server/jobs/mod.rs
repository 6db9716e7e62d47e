//! A durable job queue in the `jobs` table.
//!
//! * `enqueue` takes the caller's connection or transaction, so a job is written
//!   atomically with the change that needs it.
//! * A worker claims one due job at a time with a lease (`locked_until`). If the
//!   process dies mid-run, the lease expires and the job is claimed again: at
//!   least once execution, so every handler is idempotent.
//! * Failures are retried with exponential back-off and jitter; after the last
//!   attempt the job is `dead`, its last error kept for staff to see and retry.
//!
//! `try_execute_job` is the public step function; `run_worker` loops over it.

use super::db::{self, DbError};
use super::AppState;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};
use std::time::Duration;

/// How long a claimed job is reserved for its worker before others may take it.
pub const LEASE_SECS: i64 = 120;
pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;

/// The kinds of work the worker knows.
pub mod kind {
    pub const SEND_EMAIL: &str = "send_email";
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// What one step of the worker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was due.
    Idle,
    Done {
        id: i64,
    },
    /// Failed; will run again at the given time.
    Retrying {
        id: i64,
        run_at: i64,
    },
    /// Failed for the last time (or permanently).
    Dead {
        id: i64,
    },
}

/// Why a job failed. `Permanent` failures are not retried.
#[derive(Debug)]
pub enum JobError {
    Transient(anyhow::Error),
    Permanent(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for JobError {
    fn from(err: E) -> Self {
        Self::Transient(err.into())
    }
}

/// Queues a job to run as soon as possible. With a `dedupe_key`, a second job with
/// the same key is not added (returns `None`), which makes enqueuing idempotent.
pub fn enqueue(
    conn: &Connection,
    kind: &str,
    payload: &impl Serialize,
    dedupe_key: Option<&str>,
) -> Result<Option<i64>, DbError> {
    enqueue_at(conn, kind, payload, dedupe_key, db::now())
}

pub fn enqueue_at(
    conn: &Connection,
    kind: &str,
    payload: &impl Serialize,
    dedupe_key: Option<&str>,
    run_at: i64,
) -> Result<Option<i64>, DbError> {
    let payload = serde_json::to_string(payload)?;
    let now = db::now();
    let id = conn
        .prepare_cached(
            "INSERT INTO jobs (kind, payload, dedupe_key, status, attempts, max_attempts, run_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'queued', 0, ?4, ?5, ?6, ?6)
             ON CONFLICT (dedupe_key) DO NOTHING
             RETURNING id",
        )?
        .query_row(params![kind, payload, dedupe_key, DEFAULT_MAX_ATTEMPTS, run_at, now], |r| r.get(0))
        .optional()?;
    Ok(id)
}

/// Claims the next due job (queued and due, or running with an expired lease).
pub fn claim(conn: &Connection, now: i64) -> Result<Option<Job>, DbError> {
    Ok(conn
        .prepare_cached(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?1, updated_at = ?2
             WHERE id = (
                 SELECT id FROM jobs
                 WHERE (status = 'queued' AND run_at <= ?2) OR (status = 'running' AND locked_until <= ?2)
                 ORDER BY run_at, id LIMIT 1
             )
             RETURNING id, kind, payload, attempts, max_attempts",
        )?
        .query_row(params![now + LEASE_SECS, now], |r| {
            Ok(Job { id: r.get(0)?, kind: r.get(1)?, payload: r.get(2)?, attempts: r.get(3)?, max_attempts: r.get(4)? })
        })
        .optional()?)
}

fn complete(conn: &Connection, id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE jobs SET status = 'done', locked_until = NULL, last_error = NULL, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, db::now()])?;
    Ok(())
}

/// Puts back in the queue every job a previous run of this process had claimed.
/// Called when the one worker process starts: whatever it held when it stopped
/// (killed mid-job, or the machine lost power) is its own and can run again now,
/// instead of waiting out the lease.
pub fn recover_abandoned(conn: &Connection) -> Result<usize, DbError> {
    Ok(conn
        .prepare_cached(
            "UPDATE jobs SET status = 'queued', locked_until = NULL, run_at = min(run_at, ?1), updated_at = ?1
             WHERE status = 'running'",
        )?
        .execute([db::now()])?)
}

/// Records a failure: back to `queued` with a later `run_at`, or `dead`.
fn fail(conn: &Connection, job: &Job, error: &str, permanent: bool) -> Result<Outcome, DbError> {
    let now = db::now();
    if permanent || job.attempts >= job.max_attempts {
        conn.prepare_cached(
            "UPDATE jobs SET status = 'dead', locked_until = NULL, last_error = ?2, updated_at = ?3 WHERE id = ?1",
        )?
        .execute(params![job.id, error, now])?;
        return Ok(Outcome::Dead { id: job.id });
    }
    let run_at = now + backoff_secs(job.attempts);
    conn.prepare_cached(
        "UPDATE jobs SET status = 'queued', locked_until = NULL, run_at = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![job.id, run_at, error, now])?;
    Ok(Outcome::Retrying { id: job.id, run_at })
}

/// 10 s, 20 s, 40 s ... capped at one hour, each with up to 25 % random jitter.
pub fn backoff_secs(attempts: i64) -> i64 {
    let base = 10i64.saturating_mul(1 << attempts.clamp(1, 12).saturating_sub(1)).min(3600);
    let mut byte = [0u8; 1];
    let jitter = if getrandom::fill(&mut byte).is_ok() { base * i64::from(byte[0]) / 1020 } else { 0 };
    base + jitter
}

/// Puts a dead or failed job back in the queue now (the admin "retry" button).
pub fn retry(conn: &Connection, id: i64) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE jobs SET status = 'queued', run_at = ?2, max_attempts = max(max_attempts, attempts + 1), updated_at = ?2
             WHERE id = ?1 AND status = 'dead'",
        )?
        .execute(params![id, db::now()])?;
    Ok(changed == 1)
}

pub fn payload<T: DeserializeOwned>(job: &Job) -> Result<T, JobError> {
    serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("job {} has an unreadable payload: {e}", job.id)))
}

/// Runs one due job, if any. The public step function the worker loop and tests drive.
pub async fn try_execute_job(state: &AppState) -> Result<Outcome, DbError> {
    let Some(job) = state.db.run(|c| claim(c, db::now())).await? else {
        return Ok(Outcome::Idle);
    };
    let span = tracing::info_span!("job", id = job.id, kind = %job.kind, attempt = job.attempts);
    let result = {
        let _enter = span.enter();
        tracing::info!("running job");
        drop(_enter);
        execute(state, &job).await
    };
    let outcome = match result {
        Ok(()) => {
            let id = job.id;
            state.db.run(move |c| complete(c, id)).await?;
            Outcome::Done { id: job.id }
        }
        Err(err) => {
            let (permanent, err) = match err {
                JobError::Permanent(e) => (true, e),
                JobError::Transient(e) => (false, e),
            };
            let message = format!("{err:#}");
            let job2 = job.clone();
            let outcome = state.db.run(move |c| fail(c, &job2, &message, permanent)).await?;
            let _enter = span.enter();
            match &outcome {
                Outcome::Dead { .. } => tracing::error!(error = %format!("{err:#}"), "job is dead"),
                _ => tracing::warn!(error = %format!("{err:#}"), "job failed; will retry"),
            }
            outcome
        }
    };
    let label = match outcome {
        Outcome::Done { .. } => "done",
        Outcome::Retrying { .. } => "retrying",
        Outcome::Dead { .. } | Outcome::Idle => "dead",
    };
    metrics::counter!("atelier_jobs_total", "kind" => job.kind, "outcome" => label).increment(1);
    Ok(outcome)
}

async fn execute(state: &AppState, job: &Job) -> Result<(), JobError> {
    match job.kind.as_str() {
        kind::SEND_EMAIL => super::mail::send_job(state, job.id, payload(job)?).await,
        super::payments::job::DELIVER_ORDER => super::delivery::deliver(state, payload(job)?).await,
        super::payments::job::REVOKE_ORDER => super::delivery::revoke(state, payload(job)?).await,
        super::payments::job::CHECK_GITHUB_ACCESS => super::delivery::check_github_access(state, payload(job)?).await,
        super::maintenance::DAILY => super::maintenance::run_daily(state, payload(job)?).await,
        other => Err(JobError::Permanent(anyhow::anyhow!("unknown job kind {other:?}"))),
    }
}

/// Runs jobs until every due job is done or waiting for a retry. For tests and the CLI.
pub async fn drain(state: &AppState) -> Result<Vec<Outcome>, DbError> {
    let mut outcomes = Vec::new();
    loop {
        match try_execute_job(state).await? {
            Outcome::Idle => return Ok(outcomes),
            outcome => outcomes.push(outcome),
        }
    }
}

/// The worker: runs due jobs, sleeping briefly when there are none.
pub async fn run_worker(state: AppState) {
    loop {
        match try_execute_job(&state).await {
            Ok(Outcome::Idle) => tokio::time::sleep(Duration::from_millis(500)).await,
            Ok(_) => {}
            Err(err) => {
                tracing::error!(error = %super::telemetry::chain(&err), "worker could not reach the database");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        db::migrate::run(&mut c).unwrap();
        c
    }

    #[test]
    fn a_job_with_the_same_dedupe_key_is_queued_once() {
        let c = conn();
        assert!(enqueue(&c, "send_email", &1, Some("welcome:7")).unwrap().is_some());
        assert!(enqueue(&c, "send_email", &1, Some("welcome:7")).unwrap().is_none());
        let n: i64 = c.query_row("SELECT count(*) FROM jobs", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_claimed_job_is_not_claimed_again_until_its_lease_expires() {
        let c = conn();
        enqueue(&c, "k", &(), None).unwrap();
        let now = db::now();
        let first = claim(&c, now).unwrap().expect("due job is claimed");
        assert!(claim(&c, now + 1).unwrap().is_none(), "leased job stays with its worker");
        let again = claim(&c, now + LEASE_SECS + 1).unwrap().expect("expired lease frees the job");
        assert_eq!(again.id, first.id);
        assert_eq!(again.attempts, 2);
    }

    #[test]
    fn jobs_held_when_the_worker_stopped_run_again_at_once_when_it_starts() {
        let c = conn();
        enqueue(&c, "k", &(), None).unwrap();
        enqueue(&c, "k", &(), None).unwrap();
        let now = db::now();
        let held = claim(&c, now).unwrap().expect("claimed");
        assert_eq!(recover_abandoned(&c).unwrap(), 1, "only the claimed job was held");
        let again = claim(&c, now).unwrap().expect("the held job is due again at once");
        assert_eq!(again.id, held.id, "it keeps its place in the queue");
        assert_eq!(again.attempts, 2, "the interrupted run counts as an attempt");
    }

    #[test]
    fn failures_back_off_then_die_with_the_last_error() {
        let c = conn();
        enqueue(&c, "k", &(), None).unwrap();
        let mut now = db::now();
        for attempt in 1..=DEFAULT_MAX_ATTEMPTS {
            let job = claim(&c, now).unwrap().expect("job due");
            assert_eq!(job.attempts, attempt);
            match fail(&c, &job, &format!("boom {attempt}"), false).unwrap() {
                Outcome::Retrying { run_at, .. } => {
                    assert!(run_at > now, "a retry waits");
                    now = run_at;
                }
                Outcome::Dead { .. } => assert_eq!(attempt, DEFAULT_MAX_ATTEMPTS),
                other => panic!("unexpected {other:?}"),
            }
        }
        let (status, err): (String, String) =
            c.query_row("SELECT status, last_error FROM jobs", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(status, "dead");
        assert_eq!(err, format!("boom {DEFAULT_MAX_ATTEMPTS}"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!((10..=13).contains(&backoff_secs(1)));
        assert!((40..=50).contains(&backoff_secs(3)));
        assert!(backoff_secs(30) <= 3600 + 900);
    }
}
