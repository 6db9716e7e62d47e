//! A small in-process cache of public catalog and content reads, and of the
//! rendered public pages: one copy for anonymous visitors and one per role for
//! signed-in ones (a public page shows nothing of the person but their role).
//!
//! Every admin edit calls [`ContentCache::invalidate`]. Everything also expires at
//! the next scheduled publication (so a scheduled post appears on time) and after
//! a minute at most (so changes made by another process, like `atelier seed`, show up).

use super::clock::Clock;
use super::db::{content, Db, DbError};
use crate::domain::account::RequestViewer;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const MAX_AGE_SECS: i64 = 60;
/// Rendered pages kept at most (public addresses are few; this bounds odd query strings).
const MAX_PAGES: usize = 2_000;
/// Values (query answers) kept at most: every unknown slug asked for is an answer
/// too ("not found"), so without a bound anyone could grow the cache at will.
const MAX_VALUES: usize = 5_000;
/// A page larger than this is served but not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

pub struct ContentCache {
    inner: Mutex<Inner>,
    /// The pages being rendered to be kept, by key: a request that misses one waits
    /// for it instead of rendering (and compressing) the same page again.
    fills: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    clock: Clock,
    /// Whether a path is a page every visitor of a role sees alike.
    public_page: fn(&str) -> bool,
}

struct Inner {
    values: HashMap<String, Arc<dyn Any + Send + Sync>>,
    pages: HashMap<String, CachedPage>,
    /// Nothing cached is valid from this Unix time on.
    valid_until: i64,
    /// Bumped by every invalidation: a read that started before one is not stored.
    generation: u64,
}

impl Inner {
    fn clear(&mut self) {
        self.values.clear();
        self.pages.clear();
        self.valid_until = i64::MAX;
        self.generation += 1;
    }

    fn expire_if_due(&mut self, now: i64) {
        if now >= self.valid_until {
            self.clear();
        }
    }
}

/// A rendered page: its headers and HTML, plain and compressed once (not per request).
#[derive(Clone)]
pub struct CachedPage {
    headers: HeaderMap,
    body: Bytes,
    br: Bytes,
    gzip: Bytes,
}

impl CachedPage {
    fn new(mut headers: HeaderMap, body: Bytes) -> Self {
        use std::io::Write;
        // The length depends on the encoding chosen per request.
        headers.remove(header::CONTENT_LENGTH);
        let mut br = Vec::with_capacity(body.len() / 3);
        {
            let (quality, lgwin) = brotli_settings(body.len());
            let mut writer = brotli::CompressorWriter::new(&mut br, 4096, quality, lgwin);
            let _ = writer.write_all(&body);
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::best());
        let _ = gzip.write_all(&body);
        let gzip = gzip.finish().unwrap_or_default();
        Self { headers, body, br: br.into(), gzip: gzip.into() }
    }

    /// The response for a request accepting `accept_encoding`.
    fn respond(self, accept_encoding: &str) -> Response {
        let accepts = |name: &str| super::compress::accepts(accept_encoding, name);
        let (body, encoding) = if accepts("br") && !self.br.is_empty() {
            (self.br, Some("br"))
        } else if accepts("gzip") && !self.gzip.is_empty() {
            (self.gzip, Some("gzip"))
        } else {
            (self.body, None)
        };
        let mut res = Body::from(body).into_response();
        *res.headers_mut() = self.headers;
        super::compress::vary(res.headers_mut(), "accept-encoding");
        if let Some(encoding) = encoding {
            res.headers_mut().insert(header::CONTENT_ENCODING, header::HeaderValue::from_static(encoding));
        }
        res
    }
}

impl std::fmt::Debug for ContentCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContentCache")
    }
}

impl ContentCache {
    /// An empty cache that tells the time by `clock` and keeps the pages for which
    /// `public_page` says every visitor of a role sees the same HTML (the page table's
    /// word: `app::pages::is_public`).
    pub fn new(clock: Clock, public_page: fn(&str) -> bool) -> Self {
        Self {
            inner: Mutex::new(Inner {
                values: HashMap::new(),
                pages: HashMap::new(),
                valid_until: i64::MAX,
                generation: 0,
            }),
            fills: Mutex::new(HashMap::new()),
            clock,
            public_page,
        }
    }

    /// Forgets everything: called after every change staff make.
    pub fn invalidate(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached value for `key`, or `load`'s answer (given a connection and the current time), stored.
    pub async fn get_or_load<T, F>(&self, db: &Db, key: String, load: F) -> Result<T, DbError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(&Connection, i64) -> Result<T, DbError> + Send + 'static,
    {
        let t = self.clock.now();
        let generation = {
            let mut inner = self.lock();
            inner.expire_if_due(t);
            if let Some(hit) = inner.values.get(&key).and_then(|v| v.downcast_ref::<T>()) {
                super::metrics::cache_lookup("content", true);
                return Ok(hit.clone());
            }
            super::metrics::cache_lookup("content", false);
            inner.generation
        };
        let (value, next_change) = db
            .read(move |c| -> Result<_, DbError> {
                let value = load(c, t)?;
                let next = content::next_scheduled(c, t)?;
                Ok((value, next))
            })
            .await?;
        let mut inner = self.lock();
        if inner.generation == generation && inner.values.len() < MAX_VALUES {
            let until = next_change.unwrap_or(i64::MAX).min(t + MAX_AGE_SECS);
            inner.valid_until = inner.valid_until.min(until);
            inner.values.insert(key, Arc::new(value.clone()));
        }
        Ok(value)
    }

    fn page(&self, key: &str) -> Option<CachedPage> {
        let mut inner = self.lock();
        inner.expire_if_due(self.clock.now());
        inner.pages.get(key).cloned()
    }

    fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Waits while another request renders the page `key` to keep it; the fill is
    /// this request's until the returned guard drops.
    async fn fill(&self, key: &str) -> Filling<'_> {
        let gate = {
            let mut fills = self.fills.lock().unwrap_or_else(|e| e.into_inner());
            fills.entry(key.to_owned()).or_default().clone()
        };
        let guard = gate.clone().lock_owned().await;
        Filling { cache: self, key: key.to_owned(), gate, _guard: guard }
    }

    fn put_page(&self, key: String, generation: u64, page: CachedPage) {
        let mut inner = self.lock();
        if inner.generation == generation && inner.pages.len() < MAX_PAGES {
            inner.valid_until = inner.valid_until.min(self.clock.now() + MAX_AGE_SECS);
            inner.pages.insert(key, page);
        }
    }
}

/// Brotli's quality and window for a kept page of `len` bytes. Quality 9 always
/// uses brotli's H9 hasher, 32 MB (2^15 buckets × 2^8 entries × 4 bytes) for the
/// moment of each fill, on a server budgeted at 40 MB resident; quality 8 with a
/// 64 KB window uses a forgetful-chain hasher under 1 MB. On the demo pages (7–21 KB)
/// that is as small or a few bytes smaller (the 60-product catalog 2,499 → 2,494
/// bytes; C brotli's peak memory +10.9 → +0.9 MB). Pages over 64 KB keep the 1 MB window.
fn brotli_settings(len: usize) -> (u32, u32) {
    if len <= 1 << 16 {
        (8, 16)
    } else {
        (8, 20)
    }
}

/// A page being rendered to be kept (see [`ContentCache::fill`]).
struct Filling<'a> {
    cache: &'a ContentCache,
    key: String,
    gate: Arc<tokio::sync::Mutex<()>>,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Filling<'_> {
    fn drop(&mut self) {
        let mut fills = self.cache.fills.lock().unwrap_or_else(|e| e.into_inner());
        if fills.get(&self.key).is_some_and(|gate| Arc::ptr_eq(gate, &self.gate)) {
            fills.remove(&self.key);
        }
    }
}

/// The cache key of a request for a public page whose answer may be shared: a GET
/// of a public page with no query but `page`/`tag`. Who asks is added by the callers.
fn page_key(public_page: fn(&str) -> bool, req: &Request) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    if !public_page(path) {
        return None;
    }
    // The version of the page in its language (`/products in en`), and the home page
    // offering the other language (`/ offer`): see `web::middleware::page_language`.
    let version = req.extensions().get::<crate::domain::i18n::PageLang>().map_or("", |p| p.cache_suffix());
    let key = match req.uri().query() {
        None => Some(path.to_owned()),
        Some(q)
            if q.len() <= 64
                && q.split('&').all(|pair| {
                    pair.split_once('=').is_some_and(|(k, v)| {
                        matches!(k, "page" | "tag") && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    })
                }) =>
        {
            Some(format!("{path}?{q}"))
        }
        Some(_) => None,
    };
    key.map(|key| key + version)
}

/// The cache key of an anonymous visitor's request (no cookies, so nobody signed in).
fn shareable(public_page: fn(&str) -> bool, req: &Request) -> Option<String> {
    if req.headers().contains_key(header::COOKIE) {
        return None;
    }
    page_key(public_page, req)
}

/// The key of the copy of a public page for someone with `role` (public pages
/// depend on nothing of the person but their role: see `components::current_role`).
fn key_for(key: String, role: Option<crate::domain::Role>) -> String {
    match role {
        None => key,
        Some(role) => format!("{key} as {}", role.as_str()),
    }
}

/// Serves anonymous visitors' public pages from memory once rendered; renders and keeps them otherwise.
pub async fn public_pages(State(cache): State<Arc<ContentCache>>, req: Request, next: Next) -> Response {
    match shareable(cache.public_page, &req) {
        Some(key) => serve_kept(&cache, key, req, next).await,
        None => next.run(req).await,
    }
}

/// The same for visitors with a session cookie, once the page middleware has loaded
/// who they are (it runs outside this one): signed in, they get the copy kept for
/// their role; with a stale cookie, the anonymous one.
pub async fn public_pages_by_role(State(cache): State<Arc<ContentCache>>, req: Request, next: Next) -> Response {
    if !req.headers().contains_key(header::COOKIE) {
        return next.run(req).await;
    }
    let viewer = req.extensions().get::<RequestViewer>().map(|v| v.0.as_ref().map(|v| v.role));
    match (page_key(cache.public_page, &req), viewer) {
        (Some(key), Some(role)) => serve_kept(&cache, key_for(key, role), req, next).await,
        _ => next.run(req).await,
    }
}

/// The kept copy of a page, or the page rendered now and kept.
async fn serve_kept(cache: &ContentCache, key: String, req: Request, next: Next) -> Response {
    let accept_encoding =
        req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let hit = cache.page(&key);
    super::metrics::cache_lookup("page", hit.is_some());
    if let Some(hit) = hit {
        return hit.respond(&accept_encoding);
    }
    // Requests that miss the same page at once (a popular page right after an edit)
    // wait for the first to render it: one render and one compression, not one each
    // (32 at once held ~40 MB more memory in the pages bench).
    let _filling = cache.fill(&key).await;
    if let Some(hit) = cache.page(&key) {
        return hit.respond(&accept_encoding);
    }
    let generation = cache.generation();
    let res = next.run(req).await;
    let html = super::compress::is_html(&res);
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    // One over MAX_PAGE_BYTES is served (compressed on the way out) and not kept.
    let bytes = match super::compress::read_whole(body).await {
        Ok(bytes) => bytes,
        Err(apology) => return apology,
    };
    if bytes.len() > MAX_PAGE_BYTES {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let page = CachedPage::new(parts.headers, bytes);
    cache.put_page(key, generation, page.clone());
    page.respond(&accept_encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_pages_are_sent_in_the_best_encoding_the_browser_accepts() {
        let html = Bytes::from("<p>hello</p>".repeat(200));
        let page = CachedPage::new(HeaderMap::new(), html.clone());
        let res = page.clone().respond("gzip, deflate, br");
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
        let res = page.clone().respond("gzip;q=1.0, br;q=0");
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        let res = page.clone().respond("");
        assert!(!res.headers().contains_key(header::CONTENT_ENCODING));
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &page.br[..], &mut plain).unwrap();
        assert_eq!(plain, html);
    }

    #[test]
    fn kept_pages_compress_with_a_small_hasher_and_lose_nothing() {
        // A page like the catalog: the same card shape over and over, different words.
        let page: String = (0..60)
            .map(|i| format!(r#"<article class="card product-card"><h2 class="h3"><a href="/products/kit-{i}">Starter kit no. {i}</a></h2><p>A production-ready starter with authentication, billing and docs.</p><p class="price">Rp {}.000</p></article>"#, 150 + i * 5))
            .collect();
        let (quality, lgwin) = brotli_settings(page.len());
        assert_eq!((quality, lgwin), (8, 16), "a page up to 64 KB gets the small window");
        let compress = |quality: u32, lgwin: u32| {
            let mut out = Vec::new();
            let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, lgwin);
            std::io::Write::write_all(&mut writer, page.as_bytes()).unwrap();
            drop(writer);
            out.len()
        };
        let (small, before) = (compress(quality, lgwin), compress(9, 20));
        assert!(small <= before + before / 50, "{small} bytes against {before} at quality 9");
        assert_eq!(brotli_settings(1 << 17), (8, 20), "a bigger page keeps the 1 MB window");
    }

    fn get(uri: &str) -> Request {
        Request::builder().uri(uri).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn the_number_of_answers_kept_is_bounded() {
        let dir = tempfile::TempDir::new().unwrap();
        let db = Db::open(&dir.path().join("cache.db")).unwrap();
        crate::server::db::migrate::run(&mut db.conn().unwrap()).unwrap();
        let cache = ContentCache::new(Clock::system(), public);
        for i in 0..MAX_VALUES + 50 {
            let answer = cache.get_or_load(&db, format!("entry:post:missing-{i}"), |_, _| Ok(None::<u8>)).await;
            assert_eq!(answer.unwrap(), None, "answers are still given when nothing more is kept");
        }
        assert_eq!(cache.lock().values.len(), MAX_VALUES);
    }

    #[tokio::test]
    async fn requests_that_miss_a_page_at_once_render_it_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tower::ServiceExt;
        let cache = Arc::new(ContentCache::new(Clock::system(), public));
        let renders = Arc::new(AtomicUsize::new(0));
        let page = {
            let renders = renders.clone();
            move || async move {
                renders.fetch_add(1, Ordering::SeqCst);
                // The page takes a moment: the other requests arrive meanwhile.
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                axum::response::Html("<p>The catalog</p>".repeat(50))
            }
        };
        let keep = |cache: Arc<ContentCache>| {
            axum::middleware::from_fn(move |req: Request, next: Next| {
                let cache = cache.clone();
                async move { serve_kept(&cache, "/products".into(), req, next).await }
            })
        };
        let app = axum::Router::new().route("/products", axum::routing::get(page)).layer(keep(cache.clone()));
        let responses = futures::future::join_all((0..16).map(|_| app.clone().oneshot(get("/products")))).await;
        for res in responses {
            let res = res.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            assert_eq!(body, "<p>The catalog</p>".repeat(50));
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1, "one request rendered the page, the others waited for it");
        assert!(cache.fills.lock().unwrap().is_empty(), "no fill is left behind");
        // Kept: later requests do not render it either.
        app.clone().oneshot(get("/products")).await.unwrap();
        assert_eq!(renders.load(Ordering::SeqCst), 1);
    }

    /// The page table's answer for the pages these tests name (`app::pages` tests its own).
    fn public(path: &str) -> bool {
        matches!(path, "/" | "/blog" | "/products" | "/waitlist/x") || path.starts_with("/products/")
    }

    #[test]
    fn only_anonymous_gets_of_public_pages_are_shared() {
        assert_eq!(shareable(public, &get("/blog?tag=rust&page=2")).as_deref(), Some("/blog?tag=rust&page=2"));
        assert_eq!(shareable(public, &get("/products/launch-kit")).as_deref(), Some("/products/launch-kit"));
        assert_eq!(shareable(public, &get("/")).as_deref(), Some("/"));
        assert_eq!(shareable(public, &get("/productsx")), None);
        for private in ["/admin", "/dashboard/orders", "/blog/feed.xml", "/checkout/sandbox/ATL-1", "/login"] {
            assert_eq!(shareable(public, &get(private)), None, "{private}");
        }
        assert_eq!(shareable(public, &get("/waitlist/x?joined=1")), None, "a page showing a result is not shared");
        let mut signed_in = get("/products");
        signed_in.headers_mut().insert(header::COOKIE, "atelier_session=x".parse().unwrap());
        assert_eq!(shareable(public, &signed_in), None, "a session is looked at first (public_pages_by_role)");
        assert_eq!(page_key(public, &signed_in).as_deref(), Some("/products"));
        assert_eq!(key_for("/products".into(), Some(crate::domain::Role::Staff)), "/products as staff");
        assert_eq!(key_for("/products".into(), None), "/products", "a stale cookie gets the anonymous copy");
        let mut post = get("/contact");
        *post.method_mut() = Method::POST;
        assert_eq!(shareable(public, &post), None);
    }
}
