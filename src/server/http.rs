//! HTTP endpoints outside the Leptos pages.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

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
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Page not found</title></head>\
                 <body><h1>Page not found</h1><p>There is no page at this address. <a href=\"/\">Go to the home page</a>.</p></body></html>",
            ),
        )
            .into_response();
    }
    next.run(req).await
}

/// A small standalone page (a download link that cannot be used, an unsubscribe
/// confirmation): the title is escaped here, the body was made safe where it was built.
pub fn small_page(status: StatusCode, title: &str, body: crate::domain::html::TrustedHtml) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{0}</title><style>body{{font:16px/1.6 system-ui,sans-serif;color:#1c1917;background:#f5f2ed;margin:0;padding:4rem 1rem}}\
         main{{max-width:32rem;margin:auto;background:#fff;border:1px solid #e7e2da;border-radius:10px;padding:2rem}}a{{color:#b4451f}}\
         button{{font:inherit;background:#b4451f;color:#fff;border:0;border-radius:6px;padding:.6rem 1.1rem;cursor:pointer}}</style></head>\
         <body><main><h1>{0}</h1>{1}</main></body></html>",
        crate::domain::html::escape(title),
        body
    );
    (status, axum::response::Html(html)).into_response()
}

/// Pages rendered at once: one per core (at least two). A page is CPU work from its
/// first poll to its last byte; rendering more at a time only interleaves them (each
/// finishes later, and their buffers are all alive together).
fn render_slot_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).max(2)
}

fn render_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| tokio::sync::Semaphore::new(render_slot_count()))
}

/// Renders the Leptos pages a few at a time, first come first served: each page is
/// rendered whole (its body read to the end) inside its slot, then sent. Server
/// functions (which Leptos routes beside the pages, all under `/api/`) pass: some
/// wait on a payment gateway or GitHub.
///
/// Measured with 32 connections on 2 cores (fresh dashboard): p99 7.2-8.8 ms against
/// 10.2-13.8 ms unlimited, and a fresh 60-product catalog peaks 3-4 MB lower. One
/// slot per core, not fewer: with one slot on two cores throughput halves.
pub async fn limit_renders(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let Ok(_slot) = render_slots().acquire().await else { return next.run(req).await };
    let (parts, body) = next.run(req).await.into_parts();
    match super::compress::read_whole(body).await {
        Ok(bytes) => Response::from_parts(parts, axum::body::Body::from(bytes)),
        Err(apology) => apology,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, Bytes};
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;
    use std::time::Duration;
    use tower::ServiceExt;

    /// How many bodies are being produced now, and the most at once.
    #[derive(Default)]
    struct Gauge {
        now: AtomicUsize,
        most: AtomicUsize,
    }

    /// A body produced while it is read, in two steps, as Leptos renders a page.
    fn rendered_while_read(gauge: Arc<Gauge>) -> Body {
        Body::from_stream(futures::stream::unfold(0, move |step| {
            let gauge = gauge.clone();
            async move {
                match step {
                    0 => {
                        let now = gauge.now.fetch_add(1, SeqCst) + 1;
                        gauge.most.fetch_max(now, SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Some((Ok::<_, std::io::Error>(Bytes::from_static(b"<p>Your ")), 1))
                    }
                    1 => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        gauge.now.fetch_sub(1, SeqCst);
                        Some((Ok(Bytes::from_static(b"dashboard</p>")), 2))
                    }
                    _ => None,
                }
            }
        }))
    }

    async fn most_at_once(path: &'static str) -> usize {
        let gauge = Arc::new(Gauge::default());
        let handler = {
            let gauge = gauge.clone();
            move || {
                let gauge = gauge.clone();
                async move { Response::new(rendered_while_read(gauge)) }
            }
        };
        let app = axum::Router::new()
            .route("/dashboard", axum::routing::get(handler.clone()))
            .route("/api/dashboard/overview", axum::routing::get(handler))
            .route_layer(axum::middleware::from_fn(limit_renders));
        let requests = (0..12).map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let req = axum::http::Request::get(path).body(Body::empty()).unwrap();
                let res = app.oneshot(req).await.unwrap();
                axum::body::to_bytes(res.into_body(), 1024).await.unwrap()
            })
        });
        for body in futures::future::join_all(requests).await {
            assert_eq!(&body.unwrap()[..], b"<p>Your dashboard</p>", "every page arrives whole");
        }
        gauge.most.load(SeqCst)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_render_one_per_slot_and_server_functions_pass() {
        let slots = render_slot_count();
        let pages = most_at_once("/dashboard").await;
        assert!(pages <= slots, "{pages} pages rendered at once with {slots} slots");
        assert!(pages >= 1);
        let server_fns = most_at_once("/api/dashboard/overview").await;
        assert!(server_fns > slots, "server functions wait for no slot ({server_fns} at once)");
    }
}
