//! HTTP endpoints outside the Leptos pages.

use super::{db, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// `GET /health`: is the process up and can it read the database?
pub async fn health(State(state): State<AppState>) -> Response {
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
            tracing::error!(error = %super::telemetry::chain(&err), "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "error", "database": "unavailable", "version": version })),
            )
                .into_response()
        }
    }
}

/// The answer of a JSON endpoint that is not a server function (the payment
/// webhooks): `{"status": ...}` for a 2xx, `{"error": ...}` otherwise, whatever
/// the request's body was.
pub fn json_answer(status: StatusCode, message: &str) -> Response {
    let body = if status.is_success() {
        serde_json::json!({ "status": message })
    } else {
        serde_json::json!({ "error": message })
    };
    (status, Json(body)).into_response()
}

/// Server functions answer every `Err` with status 500. This gives each error its
/// real status (400 for a validation message, 429 when rate limited, ...), so logs
/// and monitors count only true failures as server errors.
pub async fn server_fn_error_status(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let is_server_fn = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_server_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
