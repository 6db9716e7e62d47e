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
            JsonError::new(StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable")
                .with("status", "error".into())
                .with("database", "unavailable".into())
                .with("version", version.into())
                .into_response()
        }
    }
}

/// The answer of a JSON endpoint that is not a server function (the payment
/// webhooks): `{"status": ...}` for a 2xx, a [`JsonError`] otherwise, whatever
/// the request's body was.
pub fn json_answer(status: StatusCode, message: &str) -> Response {
    if status.is_success() {
        (status, Json(serde_json::json!({ "status": message }))).into_response()
    } else {
        JsonError::new(status, message).into_response()
    }
}

/// The one shape of a JSON endpoint's failure (the webhooks, the license API):
/// `{"error": ...}` — a code where the endpoint documents codes, else the words —
/// with an optional `"message"` for people and the endpoint's own documented
/// fields (the license API adds `"valid": false`).
pub struct JsonError {
    status: StatusCode,
    body: serde_json::Map<String, serde_json::Value>,
}

impl JsonError {
    pub fn new(status: StatusCode, error: &str) -> Self {
        let mut body = serde_json::Map::new();
        body.insert("error".into(), error.into());
        Self { status, body }
    }

    /// The failure in words for people, beside a code.
    pub fn message(self, message: &str) -> Self {
        self.with("message", message.into())
    }

    /// A field the endpoint documents on its failures.
    pub fn with(mut self, field: &str, value: serde_json::Value) -> Self {
        self.body.insert(field.into(), value);
        self
    }
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::Value::Object(self.body))).into_response()
    }
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

/// The longest path segment anything here can be named by (a file name's limit).
const MAX_SEGMENT_BYTES: usize = 255;

/// A path with a segment longer than any name here is not found, before the file
/// fallback asks the file system for it (which refuses such a name with an error).
pub async fn refuse_overlong_paths(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if req.uri().path().split('/').any(|segment| segment.len() > MAX_SEGMENT_BYTES) {
        return (
            StatusCode::NOT_FOUND,
            axum::response::Html(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Page not found · Atelier</title></head>\
                 <body><h1>Page not found</h1><p>There is no page at this address. <a href=\"/\">Go to the home page</a>.</p></body></html>",
            ),
        )
            .into_response();
    }
    next.run(req).await
}

/// A small standalone page (a download link that cannot be used, an unsubscribe
/// confirmation): `body` is trusted HTML, the title is escaped.
pub fn small_page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{0} · Atelier</title><style>body{{font:16px/1.6 system-ui,sans-serif;color:#1c1917;background:#f5f2ed;margin:0;padding:4rem 1rem}}\
         main{{max-width:32rem;margin:auto;background:#fff;border:1px solid #e7e2da;border-radius:10px;padding:2rem}}a{{color:#b4451f}}\
         button{{font:inherit;background:#b4451f;color:#fff;border:0;border-radius:6px;padding:.6rem 1.1rem;cursor:pointer}}</style></head>\
         <body><main><h1>{0}</h1>{1}</main></body></html>",
        super::mail::templates::escape(title),
        body
    );
    (status, axum::response::Html(html)).into_response()
}
