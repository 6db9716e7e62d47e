//! HTTP endpoints outside the Leptos pages.

use super::{db, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// `GET /health`: is the process up and can it read the database?
pub async fn health(State(state): State<AppState>) -> Response {
    let database = state
        .db
        .run(|c| -> Result<i64, db::DbError> {
            Ok(c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))?)
        })
        .await;
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
            tracing::error!(error = %super::telemetry::chain(&err), "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "error", "database": "unavailable", "version": version })),
            )
                .into_response()
        }
    }
}
