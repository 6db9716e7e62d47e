//! A durable job queue in the `jobs` table.
//!
//! * `enqueue` takes the caller's connection or transaction, so a job is written
//!   atomically with the change that needs it; once that [`Db::run`] returns (the
//!   transaction committed), idle workers are woken.
//! * A pool of `JOB_WORKERS` workers claims due jobs with a lease (`locked_until`).
//!   If the process dies mid-run, the lease expires (or the next start takes the
//!   job back) and it is claimed again: at least once execution, so every handler
//!   is idempotent.
//! * Transactional jobs run before bulk ones (a launch mail to every address), and
//!   bulk work never takes the last worker; at most `MAIL_CONCURRENCY` mails are
//!   sent at once; jobs of one group (an order's delivery, then its revocation)
//!   run one after another in the order they were queued.
//! * Failures are retried with exponential back-off and jitter (or at the time the
//!   other side asked for); after the last attempt the job is `dead`, its last
//!   error kept for staff to see and retry.
//!
//! This module is the queue itself, at the bottom of the server: it knows no job
//! kind's handler. `server::studio::worker` runs the jobs (the pool, the step function, and
//! the map from a job's kind to its handler).
//!
//! [`Db::run`]: super::db::Db::run

pub mod pool;

use super::db::{self, DbError};
use rusqlite::Connection;
use serde::{de::DeserializeOwned, Serialize};

pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;

/// Every kind of job, named once (`server::studio::worker` maps each to its handler).
/// Every kind of job. The worker (`server::studio::worker`) maps each to its handler in a
/// `match` the compiler checks is complete; the queue stores the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    SendEmail,
    DeliverOrder,
    RevokeOrder,
    /// Hourly, until the GitHub invitation is accepted (or expires after 7 days).
    CheckGithubAccess,
    /// Retention clean-up and the backup, once a Jakarta day.
    DailyMaintenance,
    /// Subscription reminders, lapses and expiries, hourly.
    SubscriptionCheck,
    /// "Send update": a product file's new version mailed to every buyer.
    ProductUpdate,
    /// A paid order POSTed to `NOTIFY_WEBHOOK_URL`.
    NotifyWebhook,
    WaitlistLaunch,
    /// A client invoice's reminder: due today, overdue, a week late.
    InvoiceReminder,
    /// An order still waiting for its payment, six hours before the deadline.
    PaymentReminder,
}

impl JobKind {
    pub const ALL: [JobKind; 11] = [
        Self::SendEmail,
        Self::DeliverOrder,
        Self::RevokeOrder,
        Self::CheckGithubAccess,
        Self::DailyMaintenance,
        Self::SubscriptionCheck,
        Self::ProductUpdate,
        Self::NotifyWebhook,
        Self::WaitlistLaunch,
        Self::InvoiceReminder,
        Self::PaymentReminder,
    ];

    /// The name stored in the queue.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SendEmail => "send_email",
            Self::DeliverOrder => "deliver_order",
            Self::RevokeOrder => "revoke_order",
            Self::CheckGithubAccess => "check_github_access",
            Self::DailyMaintenance => "daily_maintenance",
            Self::SubscriptionCheck => "subscription_check",
            Self::ProductUpdate => "product_update",
            Self::NotifyWebhook => "notify_webhook",
            Self::WaitlistLaunch => "waitlist_launch",
            Self::InvoiceReminder => "invoice_reminder",
            Self::PaymentReminder => "payment_reminder",
        }
    }

    /// The kind of a stored name (`None` for one this version does not know).
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Whether a job is part of one person's flow or of a mailing to many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Priority {
    /// Receipts, deliveries, sign-in mail: first.
    #[default]
    Transactional,
    /// A launch or an update to every buyer: after every transactional job, and
    /// never on the last free worker.
    Bulk,
}

impl Priority {
    fn value(self) -> i64 {
        match self {
            Self::Transactional => 0,
            Self::Bulk => 10,
        }
    }
}

/// How to queue a job; `Options::default()` is "now, transactional, no key, no group".
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// A second job with the same key is not added: enqueuing becomes idempotent.
    pub dedupe_key: Option<&'a str>,
    /// Not before this time (unix seconds); now when `None`.
    pub run_at: Option<i64>,
    pub priority: Priority,
    /// Jobs of one group run one at a time, in the order they were queued (`order:42`).
    pub group: Option<&'a str>,
}

pub use super::db::jobs::{Filter, Job, LEASE_SECS};

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

/// Why a job failed. `Permanent` failures are not retried; `Later` is retried at
/// the time the other side named (a rate limit's reset).
#[derive(Debug)]
pub enum JobError {
    Transient(anyhow::Error),
    Permanent(anyhow::Error),
    Later { at: i64, error: anyhow::Error },
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
    kind: JobKind,
    payload: &impl Serialize,
    dedupe_key: Option<&str>,
) -> Result<Option<i64>, DbError> {
    enqueue_with(conn, kind, payload, Options { dedupe_key, ..Options::default() })
}

pub fn enqueue_at(
    conn: &Connection,
    kind: JobKind,
    payload: &impl Serialize,
    dedupe_key: Option<&str>,
    run_at: i64,
) -> Result<Option<i64>, DbError> {
    enqueue_with(conn, kind, payload, Options { dedupe_key, run_at: Some(run_at), ..Options::default() })
}

pub fn enqueue_with(
    conn: &Connection,
    kind: JobKind,
    payload: &impl Serialize,
    options: Options<'_>,
) -> Result<Option<i64>, DbError> {
    let payload = serde_json::to_string(payload)?;
    let id = db::jobs::insert(
        conn,
        &db::jobs::NewJob {
            kind: kind.as_str(),
            payload: &payload,
            dedupe_key: options.dedupe_key,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            run_at: options.run_at.unwrap_or_else(db::now),
            priority: options.priority.value(),
            group: options.group,
        },
    )?;
    if id.is_some() {
        db::note_job_queued();
    }
    Ok(id)
}

/// Claims the next due job (queued and due, or running with an expired lease).
pub fn claim(conn: &Connection, now: i64) -> Result<Option<Job>, DbError> {
    db::jobs::claim(conn, now, &Filter::any())
}

/// Claims the next due job `filter` allows: transactional before bulk, then by
/// time; a job waits while an earlier job of its group is queued or running.
pub fn claim_with(conn: &Connection, now: i64, filter: &Filter) -> Result<Option<Job>, DbError> {
    db::jobs::claim(conn, now, filter)
}

/// Jobs per kind that are due now, scheduled for later and dead; and how long the
/// oldest due job has waited.
pub fn queue_depth(conn: &Connection, now: i64) -> Result<(Vec<crate::domain::jobs::KindDepth>, Option<i64>), DbError> {
    db::jobs::queue_depth(conn, now)
}

/// Puts back in the queue every job a previous run of this process had claimed.
/// Called when the one worker process starts: whatever it held when it stopped
/// (killed mid-job, or the machine lost power) is its own and can run again now,
/// instead of waiting out the lease.
pub fn recover_abandoned(conn: &Connection) -> Result<usize, DbError> {
    db::jobs::requeue_running(conn)
}

pub(crate) fn complete(conn: &Connection, id: i64) -> Result<(), DbError> {
    db::jobs::mark_done(conn, id)
}

/// When a failed job runs again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// After the exponential back-off.
    Backoff,
    /// At this time (the other side said when).
    At(i64),
    /// Never: the job is dead.
    Never,
}

/// Records a failure: back to `queued` with a later `run_at`, or `dead`.
pub(crate) fn fail(conn: &Connection, job: &Job, error: &str, retry: Retry) -> Result<Outcome, DbError> {
    let now = db::now();
    if retry == Retry::Never || job.attempts >= job.max_attempts {
        db::jobs::mark_dead(conn, job.id, error)?;
        return Ok(Outcome::Dead { id: job.id });
    }
    let run_at = match retry {
        Retry::At(at) => at.max(now + 1),
        _ => now + backoff_secs(job.attempts),
    };
    db::jobs::reschedule(conn, job.id, run_at, error)?;
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
    let queued = db::jobs::requeue_dead(conn, id)?;
    if queued {
        db::note_job_queued();
    }
    Ok(queued)
}

pub fn payload<T: DeserializeOwned>(job: &Job) -> Result<T, JobError> {
    serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("job {} has an unreadable payload: {e}", job.id)))
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
        assert!(enqueue(&c, JobKind::SendEmail, &1, Some("welcome:7")).unwrap().is_some());
        assert!(enqueue(&c, JobKind::SendEmail, &1, Some("welcome:7")).unwrap().is_none());
        let n: i64 = c.query_row("SELECT count(*) FROM jobs", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_claimed_job_is_not_claimed_again_until_its_lease_expires() {
        let c = conn();
        enqueue(&c, JobKind::DeliverOrder, &(), None).unwrap();
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
        enqueue(&c, JobKind::DeliverOrder, &(), None).unwrap();
        enqueue(&c, JobKind::DeliverOrder, &(), None).unwrap();
        let now = db::now();
        let held = claim(&c, now).unwrap().expect("claimed");
        assert_eq!(recover_abandoned(&c).unwrap(), 1, "only the claimed job was held");
        let again = claim(&c, now).unwrap().expect("the held job is due again at once");
        assert_eq!(again.id, held.id, "it keeps its place in the queue");
        assert_eq!(again.attempts, 2, "the interrupted run counts as an attempt");
    }

    fn bulk(c: &Connection, n: i64) {
        let options = Options { priority: Priority::Bulk, ..Options::default() };
        enqueue_with(c, JobKind::SendEmail, &n, options).unwrap();
    }

    #[test]
    fn transactional_jobs_go_before_bulk_ones_and_bulk_waits_when_its_share_is_used() {
        let c = conn();
        bulk(&c, 1);
        bulk(&c, 2);
        let receipt = enqueue(&c, JobKind::SendEmail, &"receipt", None).unwrap().unwrap();
        let now = db::now();
        let first = claim(&c, now).unwrap().unwrap();
        assert_eq!(first.id, receipt, "queued last, claimed first");
        assert!(!first.bulk);
        let only_transactional = Filter { full_kinds: vec![], bulk_allowed: false };
        assert!(claim_with(&c, now, &only_transactional).unwrap().is_none(), "bulk work waits");
        assert!(claim_with(&c, now, &Filter::any()).unwrap().unwrap().bulk);
    }

    #[test]
    fn a_kind_at_its_limit_is_passed_over_for_other_work() {
        let c = conn();
        enqueue(&c, JobKind::SendEmail, &1, None).unwrap();
        let other = enqueue(&c, JobKind::DeliverOrder, &2, None).unwrap().unwrap();
        let mail_full = Filter { full_kinds: vec![JobKind::SendEmail.as_str().into()], bulk_allowed: true };
        assert_eq!(claim_with(&c, db::now(), &mail_full).unwrap().unwrap().id, other);
        assert!(claim_with(&c, db::now(), &mail_full).unwrap().is_none());
    }

    #[test]
    fn an_orders_revocation_waits_until_its_delivery_has_finished() {
        let c = conn();
        let group = Options { group: Some("order:7"), ..Options::default() };
        let deliver = enqueue_with(&c, JobKind::DeliverOrder, &7, group).unwrap().unwrap();
        let revoke = enqueue_with(&c, JobKind::RevokeOrder, &7, group).unwrap().unwrap();
        let unrelated =
            enqueue_with(&c, JobKind::RevokeOrder, &8, Options { group: Some("order:8"), ..group }).unwrap();
        let now = db::now();
        let job = claim(&c, now).unwrap().unwrap();
        assert_eq!(job.id, deliver);
        assert_eq!(claim(&c, now).unwrap().map(|j| j.id), unrelated, "another order's job is not held up");
        complete(&c, unrelated.unwrap()).unwrap();
        assert!(claim(&c, now).unwrap().is_none(), "the revocation waits while the delivery runs");
        // The delivery fails and waits for its retry: the revocation still waits.
        fail(&c, &job, "GitHub is down", Retry::Backoff).unwrap();
        assert!(claim(&c, now).unwrap().is_none());
        let job = claim(&c, now + 3600).unwrap().unwrap();
        assert_eq!(job.id, deliver, "the delivery's retry comes first");
        complete(&c, deliver).unwrap();
        assert_eq!(claim(&c, now + 3600).unwrap().unwrap().id, revoke);
    }

    #[test]
    fn a_job_the_other_side_asked_to_wait_runs_at_the_time_it_named() {
        let c = conn();
        enqueue(&c, JobKind::DeliverOrder, &(), None).unwrap();
        let job = claim(&c, db::now()).unwrap().unwrap();
        let at = db::now() + 900;
        assert_eq!(
            fail(&c, &job, "rate limited", Retry::At(at)).unwrap(),
            Outcome::Retrying { id: job.id, run_at: at }
        );
    }

    #[test]
    fn failures_back_off_then_die_with_the_last_error() {
        let c = conn();
        enqueue(&c, JobKind::DeliverOrder, &(), None).unwrap();
        let mut now = db::now();
        for attempt in 1..=DEFAULT_MAX_ATTEMPTS {
            let job = claim(&c, now).unwrap().expect("job due");
            assert_eq!(job.attempts, attempt);
            match fail(&c, &job, &format!("boom {attempt}"), Retry::Backoff).unwrap() {
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
