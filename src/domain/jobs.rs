//! Background jobs as staff see them in `/admin/jobs`.

use super::text_enum::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Where a background job stands.
    JobStatus {
    Queued = "queued" / "queued",
    Running = "running" / "running",
    Done = "done" / "done",
    Dead = "dead" / "dead",
});

/// A background job as staff see it in `/admin/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub status: JobStatus,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub last_error: Option<String>,
}

/// Jobs of one kind waiting in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindDepth {
    pub kind: String,
    /// Due now.
    pub due: i64,
    /// Scheduled for later (retries, periodic checks).
    pub scheduled: i64,
    pub dead: i64,
}

/// The job queue at a glance, for `/admin/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobsOverview {
    /// Workers in the pool (`JOB_WORKERS`).
    pub workers: u32,
    /// Running now: (job id, kind, seconds since it started).
    pub running: Vec<(i64, String, i64)>,
    pub depth: Vec<KindDepth>,
    /// How long the oldest due job has waited, in seconds.
    pub oldest_wait_secs: Option<i64>,
    pub jobs: Vec<JobView>,
}
