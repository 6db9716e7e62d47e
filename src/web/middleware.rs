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

/// Whether a path names a page with a version in each language.
pub type InBothLanguages = fn(&str) -> bool;

/// The language of a public page: a page under the other language's prefix
/// (`/en/products` when the studio speaks Indonesian) is that page in it — the request
/// goes on as `/products`, its language noted ([`PageLang`]) for the page and the page
/// cache. The studio's own language spelled out (`/id/products`) is sent to its one
/// address (`/products`). The home page in the studio's language offers the other
/// version to a browser that prefers it, arriving from elsewhere (a banner with a link,
/// never a redirect: each version stays reachable, for people and search engines).
///
/// `in_both` says whether a path names a page with a version per language (public
/// and sign-in pages: the page table's word, `app::pages::in_both_languages`).
pub async fn page_language(
    State((state, in_both)): State<(AppState, InBothLanguages)>,
    mut req: Request,
    next: Next,
) -> Response {
    use crate::domain::i18n::{Lang, LangPath, PageLang};
    let path = req.uri().path();
    let prefixed = matches!(path.get(1..3), Some("id" | "en")) && matches!(path.as_bytes().get(3), None | Some(b'/'));
    if !matches!(*req.method(), Method::GET | Method::HEAD) || !(prefixed || path == "/") {
        return next.run(req).await;
    }
    let site = match state.site_languages().await {
        Ok(site) => site,
        Err(err) => return crate::web::files::unavailable(&err, "reading the site's language"),
    };
    // Owned: the request is changed below (a few bytes, for these addresses only).
    let path = path.to_owned();
    let page = match site.read(&path) {
        LangPath::Default => {
            let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
            let from_here = header(header::REFERER)
                .is_some_and(|r| r.starts_with(state.config.site_url.as_str()) || r.starts_with('/'));
            let offer = !from_here && header(header::ACCEPT_LANGUAGE).and_then(Lang::preferred) == Some(site.other());
            PageLang { lang: site.default, site, offer }
        }
        LangPath::Redundant(rest) => {
            let target = match (rest, req.uri().query()) {
                ("", None) => "/".to_owned(),
                ("", Some(q)) => format!("/?{q}"),
                (rest, None) => rest.to_owned(),
                (rest, Some(q)) => format!("{rest}?{q}"),
            };
            return axum::response::Redirect::permanent(&target).into_response();
        }
        LangPath::Other(_, _) if path.len() == 4 => {
            // `/en/`: the home page's address is `/en`.
            let target = match req.uri().query() {
                None => path[..3].to_owned(),
                Some(q) => format!("{}?{q}", &path[..3]),
            };
            return axum::response::Redirect::permanent(&target).into_response();
        }
        LangPath::Other(lang, inner) => {
            if !in_both(&inner) {
                // Not a page of the site's (`/en/dashboard`, `/en/nope`): not found, said in that language.
                req.extensions_mut().insert(PageLang { lang, site, offer: false });
                return next.run(req).await;
            }
            let uri = match req.uri().query() {
                None => inner.parse(),
                Some(q) => format!("{inner}?{q}").parse(),
            };
            match uri {
                Ok(uri) => *req.uri_mut() = uri,
                Err(_) => return next.run(req).await,
            }
            PageLang { lang, site, offer: false }
        }
    };
    let home = path == "/";
    req.extensions_mut().insert(page);
    let mut res = next.run(req).await;
    if home {
        // The home page differs by the browser's languages (the offer): caches must know.
        crate::server::compress::vary(res.headers_mut(), "accept-language");
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
