//! Request middleware that needs the application's state (the page guard is
//! `guard::load_viewer_for_pages`; the page cache's is `server::cache`).

use crate::domain::analytics::is_bot;
use crate::domain::time::jakarta_day;
use crate::server::auth::origin;
use crate::server::studio::analytics::countable;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Counts a view of each public HTML page a browser got (`server::studio::analytics`).
pub async fn count_views(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let candidate = req.method() == Method::GET
        && countable(req.uri().path())
        && !is_bot(req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()));
    let path = candidate.then(|| req.uri().path().to_owned());
    let res = next.run(req).await;
    if let Some(path) = path {
        if res.status() == StatusCode::OK && crate::server::compress::is_html(&res) {
            state.page_views.record(jakarta_day(state.clock.now()), &path);
        }
    }
    res
}

/// Cross-origin state changes are refused (`server::auth::origin` decides).
pub async fn refuse_cross_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if origin::exempt(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0);
    let from_proxy = crate::server::auth::from_trusted_proxy(peer, &state.config.trusted_proxies);
    if !origin::same_origin(req.headers(), &state.config.site_url, from_proxy) {
        tracing::warn!(
            origin = ?req.headers().get(header::ORIGIN),
            referer = ?req.headers().get(header::REFERER),
            path = %req.uri().path(),
            "refused a cross-origin state-changing request"
        );
        return (StatusCode::FORBIDDEN, "This request came from another site and was refused.").into_response();
    }
    next.run(req).await
}
