//! `GET /metrics` in the Prometheus text format, through the `metrics` crate.
//!
//! Counters and histograms are recorded where things happen (requests here; jobs,
//! mail, payment events and caches in their modules). What is cheaper to read than
//! to track — the queue, deliveries, the connection pools — is read from the
//! database when Prometheus scrapes. Only this machine may read it, or a scraper
//! that presents `METRICS_TOKEN` as a bearer token.

use super::db::{self, DbError};
use crate::domain::delivery::DeliveryKind;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

const REQUEST_SECONDS: &str = "atelier_http_request_duration_seconds";
/// From half a millisecond (a cached page) to five seconds.
const BUCKETS: [f64; 13] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// The process's recorder, installed on first use (the start of the server).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.into()), &BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics will be empty");
        }
        handle
    })
}

/// The route group a path belongs to: a small, fixed set of label values.
pub fn route_group(path: &str) -> &'static str {
    const GROUPS: [(&str, &str); 11] = [
        ("/admin", "admin"),
        ("/dashboard", "dashboard"),
        ("/client", "client"),
        ("/api/payment/", "webhooks"),
        ("/api/licenses/", "licenses"),
        ("/api/", "server_functions"),
        ("/files/", "downloads"),
        ("/pkg/", "assets"),
        ("/uploads/", "uploads"),
        ("/health", "operations"),
        ("/metrics", "operations"),
    ];
    GROUPS.iter().find(|(prefix, _)| path.starts_with(prefix)).map_or("pages", |(_, group)| group)
}

/// Counts every request and times it, by route group and status.
pub async fn track_requests(req: Request, next: Next) -> Response {
    let group = route_group(req.uri().path());
    let started = Instant::now();
    let res = next.run(req).await;
    metrics::histogram!(REQUEST_SECONDS, "group" => group).record(started.elapsed().as_secs_f64());
    metrics::counter!("atelier_http_requests_total", "group" => group, "status" => res.status().as_u16().to_string())
        .increment(1);
    res
}

/// A cache lookup: `cache` is `page` or `content`.
pub fn cache_lookup(cache: &'static str, hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    metrics::counter!("atelier_cache_lookups_total", "cache" => cache, "result" => result).increment(1);
}

const DELIVERY_STATUSES: [&str; 4] = ["pending", "delivered", "failed", "revoked"];

/// The queue, the deliveries and the business, as gauges.
pub fn read_gauges(conn: &mut rusqlite::Connection) -> Result<(), DbError> {
    let now = db::now();
    metrics::gauge!("atelier_jobs_dead_last_day").set(db::jobs::dead_since(conn, now - 86_400)? as f64);
    for (plan, n) in db::subscriptions::active_by_plan(conn)? {
        metrics::gauge!("atelier_subscriptions_active", "plan" => plan).set(n as f64);
    }
    // Paid today (a Jakarta day), in the currency's smallest unit: rupiah, US cents.
    let today = crate::domain::time::jakarta_day(now);
    let paid = db::overview::paid_on_days(conn, today, today)?;
    for currency in ["IDR", "USD"] {
        let (orders, amount) = paid.iter().find(|p| p.0 == currency).map_or((0, 0), |p| (p.1, p.2));
        metrics::gauge!("atelier_paid_today_orders", "currency" => currency).set(orders as f64);
        metrics::gauge!("atelier_paid_today_amount", "currency" => currency).set(amount as f64);
    }
    let (depth, oldest_wait) = super::jobs::queue_depth(conn, now)?;
    for kind in super::jobs::JobKind::ALL.iter().map(|k| k.as_str()).chain(depth.iter().map(|d| d.kind.as_str())) {
        let d = depth.iter().find(|d| d.kind == kind);
        metrics::gauge!("atelier_jobs_due", "kind" => kind.to_owned()).set(d.map_or(0, |d| d.due) as f64);
        metrics::gauge!("atelier_jobs_dead", "kind" => kind.to_owned()).set(d.map_or(0, |d| d.dead) as f64);
    }
    metrics::gauge!("atelier_jobs_oldest_due_seconds").set(oldest_wait.unwrap_or(0) as f64);

    let counts = db::deliveries::count_by_kind_and_status(conn)?;
    for kind in DeliveryKind::ALL {
        for status in DELIVERY_STATUSES {
            let n = counts.iter().find(|(k, s, _)| k == kind.as_str() && s == status).map_or(0, |c| c.2);
            metrics::gauge!("atelier_deliveries", "kind" => kind.as_str(), "status" => status).set(n as f64);
        }
    }
    Ok(())
}

/// The machine: the process's memory, the database's and its WAL's size, the data
/// volume's free space and the newest backup. Read from the filesystem when scraped.
pub fn read_machine(config: &super::config::Config) {
    if let Some(rss) = resident_bytes() {
        metrics::gauge!("atelier_process_resident_memory_bytes").set(rss as f64);
    }
    let db = &config.database_path;
    let wal = db.with_file_name(format!("{}-wal", db.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    for (file, path) in [("database", db.clone()), ("wal", wal)] {
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        metrics::gauge!("atelier_database_bytes", "file" => file).set(bytes as f64);
    }
    let volume = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    match rustix::fs::statvfs(volume) {
        Ok(fs) if fs.f_blocks > 0 => {
            let free = fs.f_bavail.saturating_mul(fs.f_frsize);
            metrics::gauge!("atelier_data_volume_free_bytes").set(free as f64);
            metrics::gauge!("atelier_data_volume_free_ratio").set(fs.f_bavail as f64 / fs.f_blocks as f64);
        }
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(error = %err, path = %volume.display(), "metrics: the data volume's free space is unknown")
        }
    }
    // 0 until the first backup: an alert on the backup's age fires then too.
    let newest = newest_backup(&config.backup_dir).unwrap_or(0);
    metrics::gauge!("atelier_backup_last_success_timestamp_seconds").set(newest as f64);
}

/// The time (unix seconds) of the newest backup in `dir` (`atelier-*.db`, written whole by `VACUUM INTO`).
pub fn newest_backup(dir: &std::path::Path) -> Option<i64> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with("atelier-") && n.ends_with(".db")))
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .filter_map(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .max()
}

/// The process's resident memory (`VmRSS` of /proc/self/status), where there is one.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb =
        status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::route_group;

    #[test]
    fn paths_fall_into_a_few_route_groups() {
        assert_eq!(route_group("/"), "pages");
        assert_eq!(route_group("/blog/hello"), "pages");
        assert_eq!(route_group("/admin/orders/A1"), "admin");
        assert_eq!(route_group("/api/payment/midtrans/notification"), "webhooks");
        assert_eq!(route_group("/api/licenses/validate"), "licenses");
        assert_eq!(route_group("/api/auth/login"), "server_functions");
        assert_eq!(route_group("/files/abc"), "downloads");
        assert_eq!(route_group("/pkg/atelier.css"), "assets");
        assert_eq!(route_group("/metrics"), "operations");
    }
}
