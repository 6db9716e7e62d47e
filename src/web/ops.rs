//! Operations: `GET /health` for load balancers and `GET /metrics` for Prometheus.

use crate::server::auth::client_ip;
use crate::server::db;
use crate::server::http::JsonError;
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::net::SocketAddr;

/// The operations routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/health", get(health)).route("/health/ready", get(ready)).route("/metrics", get(metrics))
}

/// `GET /health`: is the process up and can it read the database?
async fn health(State(state): State<AppState>) -> Response {
    let database = state.db.run(|c| db::migrate::applied_count(c)).await;
    let version = env!("CARGO_PKG_VERSION");
    match database {
        Ok(migrations) => Json(serde_json::json!({
            "status": "ok",
            "database": "ok",
            "migrations": migrations,
            "version": version,
        }))
        .into_response(),
        Err(err) => {
            tracing::error!(error = %chain(&err), "health check: database unavailable");
            JsonError::new(StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable")
                .with("status", "error".into())
                .with("database", "unavailable".into())
                .with("version", version.into())
                .into_response()
        }
    }
}

/// The longest a due job may wait before the queue counts as not being worked.
const QUEUE_STALL_SECONDS: i64 = 300;

/// `GET /health/ready`: can this instance do its work? The database takes a write
/// (its lock is taken and let go, nothing written) and the queue is being worked
/// (no due job has waited more than five minutes). 503 with what is wrong otherwise.
async fn ready(State(state): State<AppState>) -> Response {
    let now = state.clock.now();
    let checked = state
        .db
        .run(move |c| {
            db::migrate::check_writable(c)?;
            Ok::<_, db::DbError>(crate::server::jobs::queue_depth(c, now)?.1.unwrap_or(0))
        })
        .await;
    let version = env!("CARGO_PKG_VERSION");
    match checked {
        Ok(waited) if waited <= QUEUE_STALL_SECONDS => Json(serde_json::json!({
            "status": "ready",
            "database": "writable",
            "queue": "worked",
            "oldest_due_seconds": waited,
            "version": version,
        }))
        .into_response(),
        Ok(waited) => {
            tracing::warn!(oldest_due_seconds = waited, "readiness: the job queue is not being worked");
            JsonError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the job queue is not being worked: a due job has waited too long",
            )
            .with("status", "unready".into())
            .with("database", "writable".into())
            .with("queue", "stalled".into())
            .with("oldest_due_seconds", waited.into())
            .with("version", version.into())
            .into_response()
        }
        Err(err) => {
            tracing::error!(error = %chain(&err), "readiness: the database cannot be written");
            JsonError::new(StatusCode::SERVICE_UNAVAILABLE, "the database cannot be written")
                .with("status", "unready".into())
                .with("database", "unwritable".into())
                .with("version", version.into())
                .into_response()
        }
    }
}

/// `GET /metrics`.
async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !allowed(&state, &headers, peer) {
        return (StatusCode::FORBIDDEN, "Metrics are served to this machine, or with the METRICS_TOKEN bearer token.")
            .into_response();
    }
    let handle = crate::server::metrics::handle();
    if let Err(err) = state.db.run(crate::server::metrics::read_gauges).await {
        tracing::warn!(error = %chain(&err), "metrics: the database could not be read");
    }
    let config = state.config.clone();
    let _ = tokio::task::spawn_blocking(move || crate::server::metrics::read_machine(&config)).await;
    for (pool, status) in state.db.pool_states() {
        let busy = status.connections.saturating_sub(status.idle_connections);
        metrics::gauge!("atelier_db_pool_connections", "pool" => pool, "state" => "busy").set(f64::from(busy));
        metrics::gauge!("atelier_db_pool_connections", "pool" => pool, "state" => "idle")
            .set(f64::from(status.idle_connections));
    }
    handle.run_upkeep();
    let mut res = handle.render().into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Loopback (a request that came through no proxy, or whose proxy-reported client
/// is this machine), or the configured bearer token.
fn allowed(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> bool {
    let forwarded = headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
    let ip = client_ip(headers, Some(peer), &state.config.trusted_proxies);
    // Behind an untrusted proxy on this machine every request comes from loopback:
    // a forwarded request counts as local only when the proxy is trusted to say so.
    let from_proxy = crate::server::auth::from_trusted_proxy(Some(peer), &state.config.trusted_proxies);
    if ip.is_loopback() && (from_proxy || !forwarded) {
        return true;
    }
    let Some(token) = &state.config.metrics_token else { return false };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    use subtle::ConstantTimeEq;
    let token = token.expose();
    given.len() == token.len() && bool::from(given.as_bytes().ct_eq(token.as_bytes()))
}
