//! Renders a page (`app::pages`) for one request.
//!
//! Nearly every page has its data by the time its view is built: `components::settled`
//! polls the page's queries once, and they run there and then on a free read
//! connection. Such a page is rendered synchronously into one string, with the same
//! request context, `<head>` tags, response options and trailing hydration script as
//! leptos_axum's `SsrMode::Async` handler, without its frame around a complete page:
//! an HTML stream built from nested per-view buffers, collected, split into chunks and
//! spliced, and a task yield (`leptos_axum::handle_response_inner`: ~30 % of what a
//! rendered catalog page cost, README "Performance").
//!
//! A page whose data must wait (every read connection busy, or a query run on the
//! writing pool) marks the render asynchronous ([`wait_for_data`]) while it is built;
//! it is then rendered by awaiting each part in order, as leptos_axum does. A part that
//! only waits while it renders (never the case today) is caught after the render, and
//! the request goes to leptos_axum's own handler instead.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response};
use futures::StreamExt;
use hydration_context::{SharedContext, SsrSharedContext};
use leptos::prelude::*;
use leptos::reactive::owner::Sandboxed;
use leptos_axum::{ResponseOptions, ResponseParts};
use leptos_meta::ServerMetaContext;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The `<script>`s in every page's head that load the islands' WebAssembly (the
/// document shell provides them): a page without an `#[island]` is sent without them,
/// so the public pages load no script at all.
#[derive(Clone, Copy, Debug)]
pub struct IslandScripts(pub &'static str);

/// `html` without the islands' loader when it holds no island.
fn without_unused_scripts(html: String, scripts: Option<IslandScripts>) -> String {
    match scripts {
        Some(IslandScripts(scripts)) if !scripts.is_empty() && !html.contains("<leptos-island") => {
            html.replacen(scripts, "", 1)
        }
        _ => html,
    }
}

/// Set when a part of the page waits for its data (see [`wait_for_data`]).
#[derive(Clone, Default)]
struct WaitsForData(Arc<AtomicBool>);

/// Called by a part of the page that must wait for its data: the page is then
/// rendered asynchronously, each part awaited in order.
pub fn wait_for_data() {
    if let Some(flag) = use_context::<WaitsForData>() {
        flag.0.store(true, Ordering::Relaxed);
    }
}

type Handler = Pin<Box<dyn Future<Output = Response<Body>> + Send + 'static>>;

/// The handler for every page: `context` provides the app's state, `app` is the
/// document shell (`app::shell`).
pub fn pages<IV>(
    context: impl Fn() + Clone + Send + Sync + 'static,
    app: impl Fn() -> IV + Clone + Send + Sync + 'static,
) -> impl Fn(Request<Body>) -> Handler + Clone + Send + Sync + 'static
where
    IV: IntoView + 'static,
{
    let fallback = leptos_axum::render_app_async_with_context(context.clone(), app.clone());
    move |req| Box::pin(render(req, context.clone(), app.clone(), fallback.clone()))
}

async fn render<IV>(
    req: Request<Body>,
    context: impl Fn() + Send + 'static,
    app: impl Fn() -> IV + Send + 'static,
    fallback: impl Fn(Request<Body>) -> Handler,
) -> Response<Body>
where
    IV: IntoView + 'static,
{
    let shared = Arc::new(SsrSharedContext::new()) as Arc<dyn SharedContext + Send + Sync>;
    let owner = Owner::new_root(Some(Arc::clone(&shared)));
    let (meta, meta_output) = ServerMetaContext::new();
    let options = ResponseOptions::default();
    let waits = WaitsForData::default();
    let url = format!("http://leptos.dev{}", req.uri().path_and_query().map_or("/", |p| p.as_str()));
    let (parts, _) = req.into_parts();

    let (view, nonce) = owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(&url));
        provide_context(meta);
        provide_context(parts);
        provide_context(options.clone());
        leptos_router::components::provide_server_redirect(leptos_axum::redirect);
        leptos::nonce::provide_nonce();
        provide_context(waits.clone());
        context();
        let nonce = use_nonce().map(|n| format!(" nonce=\"{n}\"")).unwrap_or_default();
        (app(), nonce)
    });

    let html = if waits.0.load(Ordering::Relaxed) {
        Sandboxed::new(async {
            let html = owner.with(|| view.to_html_stream_in_order()).collect::<String>().await;
            while let Some(pending) = shared.await_deferred() {
                pending.await;
            }
            html
        })
        .await
    } else {
        let html = owner.with(|| view.to_html());
        if waits.0.load(Ordering::Relaxed) {
            // A part waited while rendering: render the request the way leptos_axum does.
            let parts = owner.with(use_context::<axum::http::request::Parts>);
            tracing::warn!(
                path = parts.as_ref().map_or("", |p| p.uri.path()),
                "a part of this page waited for its data only while rendering, so the page is rendered twice: \
                 call components::awaits_data where its Resource is made"
            );
            owner.unset_with_forced_cleanup();
            return match parts {
                Some(parts) => fallback(Request::from_parts(parts, Body::empty())).await,
                None => {
                    tracing::error!("the request was not in its page's context: cannot render the page again");
                    let mut res = Response::new(Body::from("Sorry, something went wrong on our side."));
                    *res.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
                    res
                }
            };
        }
        html
    };

    let html = without_unused_scripts(html, owner.with(use_context::<IslandScripts>));
    let body = Sandboxed::new(async {
        // The page's `<title>` and meta tags go where `<MetaTags/>` marked the head.
        let mut body = meta_output
            .inject_meta_context(futures::stream::once(std::future::ready(html)))
            .await
            .collect::<String>()
            .await;
        // What the islands' hydration reads (resolved resources, errors), as leptos_axum sends it.
        if let Some(data) = shared.pending_data() {
            for chunk in data.collect::<Vec<String>>().await {
                body.push_str("<script");
                body.push_str(&nonce);
                body.push('>');
                body.push_str(&chunk);
                body.push_str("</script>");
            }
        }
        body
    })
    .await;
    owner.unset_with_forced_cleanup();

    let mut response = Response::new(Body::from(body));
    let ResponseParts { status, headers } = std::mem::take(&mut *options.0.write().unwrap_or_else(|e| e.into_inner()));
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    response.headers_mut().extend(headers);
    response.headers_mut().entry(header::CONTENT_TYPE).or_insert(HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::awaits_data;

    /// The page `app` renders into, as the response's body.
    async fn body(app: fn() -> AnyView) -> String {
        let _ = any_spawner::Executor::init_tokio();
        let handler = pages(|| (), app);
        let res = handler(Request::get("/page").body(Body::empty()).unwrap()).await;
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// A part that waits for its data (one turn of the runtime).
    fn waiting_part() -> AnyView {
        let data = OnceResource::new(async {
            tokio::task::yield_now().await;
            "the data".to_owned()
        });
        awaits_data();
        view! { <Suspense fallback=|| "still loading">{move || Suspend::new(async move { data.await })}</Suspense> }
            .into_any()
    }

    #[tokio::test]
    async fn a_page_with_its_data_is_rendered_at_once() {
        let html = body(|| view! { <p>"ready"</p> }.into_any()).await;
        assert!(html.starts_with("<p>ready"), "{html}");
        // What the islands' hydration reads follows the page.
        assert!(html.contains(">__RESOLVED_RESOURCES=[];"), "{html}");
    }

    #[tokio::test]
    async fn a_page_that_waits_for_its_data_is_sent_once_the_data_is_in() {
        let html = body(|| view! { <main>{waiting_part()}</main> }.into_any()).await;
        assert!(html.contains("the data"), "{html}");
        assert!(!html.contains("still loading"), "{html}");
    }

    #[tokio::test]
    async fn a_part_that_starts_waiting_only_while_the_page_renders_still_arrives_whole() {
        // The closure runs during the render, after the page was built.
        let html = body(|| view! { <main>{move || waiting_part()}</main> }.into_any()).await;
        assert!(html.contains("the data"), "{html}");
        assert!(!html.contains("still loading"), "{html}");
    }
}
