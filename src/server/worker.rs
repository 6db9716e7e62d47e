//! Runs the queued jobs: the pool of workers, the step function tests and the CLI
//! drive, and the one place that maps a job's kind to its handler (so the queue in
//! `server::jobs` stays at the bottom, knowing none of them).

use super::db::{self, DbError};
use super::jobs::{claim, complete, fail, payload, Job, JobError, JobKind, Outcome, Retry};
use super::AppState;
use std::time::Duration;

/// The longest an idle worker sleeps without being woken. Jobs queued by this process
/// wake the workers at once; this bounds the wait for those another process queues
/// (`atelier tick` from cron), scheduled jobs coming due and expired leases: a second,
/// one indexed look at the queue per worker.
const IDLE_POLL: Duration = Duration::from_secs(1);

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
        JobKind::SendEmail => {
            super::mail::send_job(&state.mailer, &state.config, state.secret.bytes(), job.id, payload(job)?).await
        }
        JobKind::DeliverOrder => super::studio::delivery::deliver(&state.delivery(), payload(job)?).await,
        JobKind::RevokeOrder => super::studio::delivery::revoke(&state.delivery(), payload(job)?).await,
        JobKind::CheckGithubAccess => {
            super::studio::delivery::check_github_access(&state.delivery(), payload(job)?).await
        }
        JobKind::DailyMaintenance => super::maintenance::run_daily(&state.db, &state.config, payload(job)?).await,
        JobKind::SubscriptionCheck => {
            super::studio::subscriptions::run_hourly(&state.db, &state.config, state.clock.now(), payload(job)?).await
        }
        JobKind::ProductUpdate => {
            super::studio::product_files::run_update(&state.db, &state.config, &state.secret, payload(job)?).await
        }
        JobKind::WaitlistLaunch => super::studio::waitlist_launch::run(&state.db, &state.config, payload(job)?).await,
        JobKind::InvoiceReminder => super::studio::billing::run_reminder(&state.db, &state.config, payload(job)?).await,
        JobKind::PaymentReminder => {
            super::studio::payments::status_mail::run_reminder(&state.db, &state.config, payload(job)?).await
        }
        JobKind::NotifyWebhook => {
            super::studio::webhooks::send(&state.db, &state.config, state.clock.now(), payload(job)?).await
        }
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

/// One step of a pool worker: a job claimed within the pool's limits, run.
pub async fn step(state: &AppState) -> Result<Outcome, DbError> {
    state.jobs.step(&state.db, |job| run_claimed(state, job)).await
}

/// The workers: `JOB_WORKERS` loops that claim and run jobs, woken when jobs are
/// queued or a slot frees, and otherwise when the next scheduled job is due.
/// Returns once `stop` turns true and every worker has finished the job it was running.
pub async fn run_pool(state: AppState, stop: tokio::sync::watch::Receiver<bool>) {
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..state.jobs.workers() {
        workers.spawn(worker(state.clone(), stop.clone()));
    }
    while workers.join_next().await.is_some() {}
}

async fn worker(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    while !*stop.borrow() {
        let woken = state.db.jobs_queued().notified();
        tokio::pin!(woken);
        // Registered before looking, so a job queued meanwhile still wakes this worker.
        woken.as_mut().enable();
        // A claimed job runs to its end, stopping or not: only the next claim waits.
        match step(&state).await {
            Ok(Outcome::Idle) => {
                // Scheduled jobs and expired leases come due by the second: the next look
                // finds them, so there is nothing to compute about when.
                tokio::select! {
                    _ = &mut woken => {}
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = stop.changed() => {}
                }
            }
            Ok(_) => {}
            Err(err) => {
                tracing::error!(error = %super::telemetry::chain(&err), "worker could not reach the database");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }
}
