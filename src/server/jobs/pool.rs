//! What this process's workers are running, against the limits per kind: which
//! jobs a worker may claim next (mail at `MAIL_CONCURRENCY`, one worker kept free
//! of bulk work). The workers themselves are `server::studio::worker`.

use super::{claim_with, Filter, Job, JobKind, Outcome};
use crate::server::db::{now, Db, DbError};
use std::collections::HashMap;

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
        running.jobs.insert(job.id, (job.kind.clone(), now()));
    }

    fn finish(&self, job: &Job) {
        let mut running = self.lock();
        if let Some(n) = running.by_kind.get_mut(&job.kind) {
            *n = n.saturating_sub(1);
        }
        running.bulk = running.bulk.saturating_sub(usize::from(job.bulk));
        running.jobs.remove(&job.id);
    }

    /// Claims a job within the limits and runs it with `run`.
    pub async fn step<F, Fut>(&self, db: &Db, run: F) -> Result<Outcome, DbError>
    where
        F: FnOnce(Job) -> Fut,
        Fut: std::future::Future<Output = Result<Outcome, DbError>>,
    {
        let job = {
            let _one_at_a_time = self.claiming.lock().await;
            let filter = self.filter();
            let job = db.run(move |c| claim_with(c, now(), &filter)).await?;
            if let Some(job) = &job {
                self.start(job);
            }
            job
        };
        let Some(job) = job else { return Ok(Outcome::Idle) };
        // Frees the slot however the run ends (even if the task is cancelled).
        struct Slot<'a>(&'a Pool, Job, &'a Db);
        impl Drop for Slot<'_> {
            fn drop(&mut self) {
                self.0.finish(&self.1);
                // A freed slot may let a waiting job of a limited kind start.
                self.2.jobs_queued().notify_waiters();
            }
        }
        let slot = Slot(self, job.clone(), db);
        let outcome = run(job).await;
        drop(slot);
        outcome
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
