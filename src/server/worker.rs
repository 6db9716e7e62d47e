//! Runs the queued jobs: the pool of workers, the step function tests and the CLI
//! drive, and the one place that maps a job's kind to its handler (so the queue in
//! `server::jobs` stays at the bottom, knowing none of them).

use super::db::{self, DbError};
use super::jobs::{
    claim, claim_with, complete, fail, next_due, payload, Filter, Job, JobError, JobKind, Outcome, Retry,
};
use super::AppState;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The longest an idle worker sleeps without being woken (scheduled jobs, expired leases).
const IDLE_POLL: Duration = Duration::from_secs(10);

/// Runs one due job, if any. The public step function tests and the CLI drive.
pub async fn try_execute_job(state: &AppState) -> Result<Outcome, DbError> {
    let Some(job) = state.db.run(|c| claim(c, db::now())).await? else {
        return Ok(Outcome::Idle);
    };
    run_claimed(state, job).await
}

/// Runs a claimed job and records how it ended.
async fn run_claimed(state: &AppState, job: Job) -> Result<Outcome, DbError> {
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
            let (retry, err) = match err {
                JobError::Permanent(e) => (Retry::Never, e),
                JobError::Transient(e) => (Retry::Backoff, e),
                JobError::Later { at, error } => (Retry::At(at), error),
            };
            let message = format!("{err:#}");
            let job2 = job.clone();
            let outcome = state.db.run(move |c| fail(c, &job2, &message, retry)).await?;
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
    let Some(kind) = JobKind::parse(&job.kind) else {
        return Err(JobError::Permanent(anyhow::anyhow!("unknown job kind {:?}", job.kind)));
    };
    match kind {
        JobKind::SendEmail => super::mail::send_job(state, job.id, payload(job)?).await,
        JobKind::DeliverOrder => super::delivery::deliver(state, payload(job)?).await,
        JobKind::RevokeOrder => super::delivery::revoke(state, payload(job)?).await,
        JobKind::CheckGithubAccess => super::delivery::check_github_access(state, payload(job)?).await,
        JobKind::DailyMaintenance => super::maintenance::run_daily(state, payload(job)?).await,
        JobKind::SubscriptionCheck => super::subscriptions::run_hourly(state, payload(job)?).await,
        JobKind::ProductUpdate => super::product_files::run_update(state, payload(job)?).await,
        JobKind::WaitlistLaunch => super::waitlist_launch::run(state, payload(job)?).await,
        JobKind::InvoiceReminder => super::billing::run_reminder(state, payload(job)?).await,
        JobKind::NotifyWebhook => super::notify::send(state, payload(job)?).await,
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

/// What this process's workers are running, against the limits per kind.
pub struct Pool {
    workers: usize,
    /// Kinds with a limit of their own: mail at `MAIL_CONCURRENCY`.
    limits: Vec<(&'static str, usize)>,
    /// Bulk jobs leave one worker free for transactional work.
    bulk_limit: usize,
    running: std::sync::Mutex<Running>,
    /// Claims are made one at a time, so two workers never both take the last slot.
    claiming: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct Running {
    by_kind: HashMap<String, usize>,
    bulk: usize,
    jobs: HashMap<i64, (String, i64)>,
}

/// A job running now, for `/admin/jobs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningJob {
    pub id: i64,
    pub kind: String,
    pub started_at: i64,
}

impl Pool {
    pub fn new(workers: usize, mail_concurrency: usize) -> Self {
        Self {
            workers,
            limits: vec![(JobKind::SendEmail.as_str(), mail_concurrency)],
            bulk_limit: workers.saturating_sub(1).max(1),
            running: std::sync::Mutex::default(),
            claiming: tokio::sync::Mutex::const_new(()),
        }
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Running> {
        self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The jobs running now, oldest first.
    pub fn running(&self) -> Vec<RunningJob> {
        let mut jobs: Vec<RunningJob> = self
            .lock()
            .jobs
            .iter()
            .map(|(id, (kind, started_at))| RunningJob { id: *id, kind: kind.clone(), started_at: *started_at })
            .collect();
        jobs.sort_by_key(|j| (j.started_at, j.id));
        jobs
    }

    /// What a worker may claim now.
    pub fn filter(&self) -> Filter {
        let running = self.lock();
        let full_kinds = self
            .limits
            .iter()
            .filter(|(kind, limit)| running.by_kind.get(*kind).copied().unwrap_or(0) >= *limit)
            .map(|(kind, _)| kind.to_string())
            .collect();
        Filter { full_kinds, bulk_allowed: running.bulk < self.bulk_limit }
    }

    fn start(&self, job: &Job) {
        let mut running = self.lock();
        *running.by_kind.entry(job.kind.clone()).or_default() += 1;
        running.bulk += usize::from(job.bulk);
        running.jobs.insert(job.id, (job.kind.clone(), db::now()));
    }

    fn finish(&self, job: &Job) {
        let mut running = self.lock();
        if let Some(n) = running.by_kind.get_mut(&job.kind) {
            *n = n.saturating_sub(1);
        }
        running.bulk = running.bulk.saturating_sub(usize::from(job.bulk));
        running.jobs.remove(&job.id);
    }

    /// Claims a job within the limits and runs it.
    pub async fn step(&self, state: &AppState) -> Result<Outcome, DbError> {
        let job = {
            let _one_at_a_time = self.claiming.lock().await;
            let filter = self.filter();
            let job = state.db.run(move |c| claim_with(c, db::now(), &filter)).await?;
            if let Some(job) = &job {
                self.start(job);
            }
            job
        };
        let Some(job) = job else { return Ok(Outcome::Idle) };
        // Frees the slot however the run ends (even if the task is cancelled).
        struct Slot<'a>(&'a Pool, Job, &'a AppState);
        impl Drop for Slot<'_> {
            fn drop(&mut self) {
                self.0.finish(&self.1);
                // A freed slot may let a waiting job of a limited kind start.
                self.2.db.jobs_queued().notify_waiters();
            }
        }
        let slot = Slot(self, job.clone(), state);
        let outcome = run_claimed(state, job).await;
        drop(slot);
        outcome
    }
}

/// The workers: `JOB_WORKERS` loops that claim and run jobs, woken when jobs are
/// queued or a slot frees, and otherwise when the next scheduled job is due.
pub async fn run_pool(state: AppState) {
    let pool = state.jobs.clone();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..pool.workers() {
        workers.spawn(worker(state.clone(), pool.clone()));
    }
    while workers.join_next().await.is_some() {}
}

async fn worker(state: AppState, pool: Arc<Pool>) {
    loop {
        let woken = state.db.jobs_queued().notified();
        tokio::pin!(woken);
        // Registered before looking, so a job queued meanwhile still wakes this worker.
        woken.as_mut().enable();
        match pool.step(&state).await {
            Ok(Outcome::Idle) => {
                let now = db::now();
                let next = state.db.run(move |c| next_due(c, now)).await.ok().flatten();
                let wait = next.map_or(IDLE_POLL, |t| Duration::from_secs((t - now).clamp(0, 10) as u64));
                tokio::select! {
                    _ = &mut woken => {}
                    _ = tokio::time::sleep(wait.max(Duration::from_millis(50))) => {}
                }
            }
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

    #[test]
    fn the_pool_keeps_mail_within_its_limit_and_one_worker_free_of_bulk_work() {
        let pool = Pool::new(3, 2);
        let job = |id: i64, kind: &str, bulk: bool| Job {
            id,
            kind: kind.into(),
            payload: String::new(),
            attempts: 1,
            max_attempts: 8,
            bulk,
        };
        assert_eq!(pool.filter(), Filter::any());
        pool.start(&job(1, JobKind::SendEmail.as_str(), true));
        pool.start(&job(2, JobKind::SendEmail.as_str(), true));
        let filter = pool.filter();
        assert_eq!(filter.full_kinds, vec![JobKind::SendEmail.as_str().to_owned()], "two mails at once at most");
        assert!(!filter.bulk_allowed, "two of three workers on bulk work: the third stays free");
        assert_eq!(pool.running().iter().map(|j| j.id).collect::<Vec<_>>(), vec![1, 2]);
        pool.finish(&job(1, JobKind::SendEmail.as_str(), true));
        assert_eq!(pool.filter(), Filter::any());
    }
}
