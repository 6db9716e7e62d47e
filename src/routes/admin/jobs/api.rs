//! Server functions: the job queue. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{domain::Role, server::state};

/// Queued, running and dead jobs, with their last error.
#[server(prefix = "/api", endpoint = "admin/jobs")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_jobs() -> Result<crate::domain::jobs::JobsOverview, AppError> {
    use crate::server::db::{self, deliveries};
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let now = db::now();
    let (jobs, (depth, oldest_wait_secs)) = state
        .db
        .run(move |c| -> Result<_, db::DbError> {
            Ok((deliveries::open_jobs(c)?, crate::server::jobs::queue_depth(c, now)?))
        })
        .await?;
    let running = state.jobs.running().into_iter().map(|j| (j.id, j.kind, now - j.started_at)).collect();
    Ok(crate::domain::jobs::JobsOverview {
        workers: u32::try_from(state.jobs.workers()).unwrap_or(u32::MAX),
        running,
        depth,
        oldest_wait_secs,
        jobs,
    })
}

/// Puts a dead job back in the queue.
#[server(prefix = "/api", endpoint = "admin/retry_job")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn retry_job(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let retried = state()?.db.run(move |c| crate::server::jobs::retry(c, id)).await?;
    if !retried {
        return Err(AppError::validation("Only a dead job can be retried; this one is queued, running or done."));
    }
    tracing::info!(staff = staff.id, job = id, "job retried by staff");
    leptos_axum::redirect("/admin/jobs?retried=1");
    Ok(())
}
