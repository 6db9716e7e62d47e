//! Builds the application: database, migrations, secret, router; then serves
//! it until a shutdown signal, letting in-flight requests finish.

pub mod cli;
pub mod doctor;

/// jemalloc's options, read at its first allocation (the server's `src/main.rs` and
/// the render bench export them as `_rjem_malloc_conf`): two arenas for the two runtime
/// workers (blocking threads share them), and a background thread that hands pages
/// freed for a quarter of a second back to the system, off the request path (with
/// the default 10 s, or even 1 s, the buffers of compressing a page for the cache
/// stayed resident: 56–79 MB right after). `_RJEM_MALLOC_CONF` in the environment
/// adds to these.
pub const JEMALLOC_CONF: &[u8; 69] = b"background_thread:true,narenas:2,dirty_decay_ms:250,muzzy_decay_ms:0\0";

use crate::app::shell;
use crate::server::auth::{self, session_store::SqliteSessionStore};
use crate::server::cache::ContentCache;
use crate::server::clock::Clock;
use crate::server::config::Config;
use crate::server::db::{self, Db, DbError};
use crate::server::http;
use crate::server::mail::Mailer;
use crate::server::rate_limit::RateLimiter;
use crate::server::state::{AppState, SecretKey};
use crate::web::guard;
use anyhow::Context;
use axum::http::{header, HeaderValue, Request};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::LeptosRoutes;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::ExpiredDeletion;

/// How long a stopping server waits for running jobs (systemd's `TimeoutStopSec` is 30 s).
const JOB_DRAIN: std::time::Duration = std::time::Duration::from_secs(20);

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Opens and migrates the database, loads the secret key and listens: on the socket
    /// systemd passed (socket activation, `deploy/atelier.socket`) if it passed one, else
    /// on `site_addr`.
    pub async fn build(config: Config, leptos: LeptosOptions) -> anyhow::Result<Self> {
        let listener = match inherited_listener()? {
            Some(listener) => listener,
            None => TcpListener::bind(leptos.site_addr).await.with_context(|| {
                format!("binding {} (set LEPTOS_SITE_ADDR to use another address)", leptos.site_addr)
            })?,
        };
        Self::build_on(config, leptos, listener).await
    }

    /// As `build`, on a listener bound by the caller (tests bind port 0 first, to know SITE_URL).
    pub async fn build_on(config: Config, leptos: LeptosOptions, listener: TcpListener) -> anyhow::Result<Self> {
        Self::build_with_clock(config, leptos, listener, Clock::system()).await
    }

    /// As `build_on`, telling the time by `clock` for the content cache and the tool
    /// quotas (tests of scheduled publication and of the day turning move a manual clock).
    pub async fn build_with_clock(
        config: Config,
        mut leptos: LeptosOptions,
        listener: TcpListener,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        for retired in &config.retired_vars {
            tracing::warn!(
                variable = retired,
                "{retired} is no longer read: list the reverse proxies' addresses in TRUSTED_PROXIES instead \
                 (default 127.0.0.1/32,::1/128)"
            );
        }
        let db = Db::open(&config.database_path)
            .with_context(|| format!("opening the database at {}", config.database_path.display()))?;
        let secret = {
            let mut conn = db.conn()?;
            db::migrate::run(&mut conn).context("applying migrations")?;
            crate::server::studio::settings::ensure_fixed_pages(&conn, &config).context("creating the fixed pages")?;
            crate::server::studio::webhooks::adopt_env_endpoint(&conn, &config)
                .context("adding NOTIFY_WEBHOOK_URL as a webhook endpoint")?;
            // The process that runs the worker keeps the daily maintenance scheduled.
            if config.run_worker {
                let recovered = crate::server::jobs::recover_abandoned(&conn).context("recovering interrupted jobs")?;
                if recovered > 0 {
                    tracing::warn!(jobs = recovered, "jobs interrupted by the last stop are queued again");
                }
                crate::server::maintenance::schedule_next(&conn, &config, db::now())
                    .context("scheduling maintenance")?;
                crate::server::studio::subscriptions::schedule_next(&conn, clock.now())
                    .context("scheduling the subscription check")?;
            }
            (load_secret(&conn, &config)?, crate::server::studio::licensing::load(&conn, &config)?)
        };
        let (secret, license_signer) = secret;
        // cargo-leptos writes the hashed asset names next to the binary it builds;
        // a binary without them (tests, `cargo run`) serves the plain names.
        leptos.hash_files = leptos.hash_files && hash_file_present(&leptos);
        leptos.site_addr = listener.local_addr()?;

        let mailer = Mailer::from_config(&config).context("configuring mail")?;
        let leptos_for_headers = leptos.clone();
        let state = AppState::new(crate::server::state::Services {
            leptos,
            db,
            secret: Arc::new(secret),
            mailer,
            gateways: crate::server::studio::payments::Gateways::from_config(&config)
                .context("configuring payment gateways")?,
            github: crate::server::studio::github::Github::from_config(&config.github).context("configuring GitHub")?,
            google: match &config.google {
                Some(google) => Some(Arc::new(
                    crate::server::auth::google::GoogleSignIn::new(google.clone(), &config.site_url)
                        .context("configuring Sign in with Google")?,
                )),
                None => None,
            },
            auth_limiter: Arc::new(RateLimiter::new(5, std::time::Duration::from_secs(60))),
            account_limiter: Arc::new(RateLimiter::new(10, std::time::Duration::from_secs(15 * 60))),
            abuse_limiter: Arc::new(RateLimiter::new(30, std::time::Duration::from_secs(60))),
            token_limiter: Arc::new(RateLimiter::new(
                crate::web::api_v1::PER_TOKEN_PER_MINUTE,
                std::time::Duration::from_secs(60),
            )),
            api_limiter: Arc::new(RateLimiter::new(30, std::time::Duration::from_secs(60))),
            form_limiter: Arc::new(RateLimiter::new(5, std::time::Duration::from_secs(60))),
            cache: Arc::new(ContentCache::new(clock.clone(), crate::app::pages::is_public)),
            clock,
            license_signer: Arc::new(license_signer),
            page_views: Arc::default(),
            jobs: Arc::new(crate::server::jobs::pool::Pool::new(config.job_workers, config.mail_concurrency)),
            security_headers: crate::server::headers::SecurityHeaders::new(
                crate::app::head_assets_html(&leptos_for_headers),
                config.is_production(),
            ),
            config: Arc::new(config),
        });
        // The studio's name from its settings, for mail sent before any page asks.
        if let Err(err) = state.studio_settings().await {
            tracing::warn!(error = %crate::server::telemetry::chain(&err), "could not read the studio's settings at start");
        }
        let router = router(state.clone());
        Ok(Self { listener, router, state })
    }

    pub fn port(&self) -> u16 {
        self.state.leptos.site_addr.port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes; requests already in flight are finished first.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let store = SqliteSessionStore::new(self.state.db.clone());
        let cleanup = tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                every_hour.tick().await;
                if let Err(err) = store.delete_expired().await {
                    tracing::error!(error = %err, "could not delete expired sessions");
                }
            }
        });
        // Files named by hand before uploads existed get their size (once).
        tokio::spawn({
            let state = self.state.clone();
            async move {
                crate::server::studio::product_files::measure_unmeasured(&state.db, &state.config.storage_dir).await
            }
        });
        let views = tokio::spawn({
            let state = self.state.clone();
            async move {
                let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
                loop {
                    every_minute.tick().await;
                    state.page_views.flush(&state.db).await;
                }
            }
        });
        // Shutting down: the server stops accepting and the workers stop claiming at once;
        // requests and jobs in flight finish.
        let (stopping, stop) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stopping.send(true);
        });
        let worker = self
            .state
            .config
            .run_worker
            .then(|| tokio::spawn(crate::server::worker::run_pool(self.state.clone(), stop.clone())));
        tracing::info!(address = %self.state.leptos.site_addr, site = %self.state.config.site_url, "Atelier is listening");
        // Stopping: no new connection is taken at once (on a socket systemd holds they
        // wait for the next process); the ones taken get ACCEPT_GRACE to send their
        // request before hyper closes every connection with none in flight.
        let mut http_stop = stop.clone();
        let listener = Draining { inner: self.listener, stop: stop.clone() };
        let result = axum::serve(
            axum::serve::ListenerExt::tap_io(listener, |_| {}),
            self.router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = http_stop.wait_for(|stopping| *stopping).await;
            tokio::time::sleep(ACCEPT_GRACE).await;
        })
        .await;
        cleanup.abort();
        views.abort();
        // The last minute's page views.
        self.state.page_views.flush(&self.state.db).await;
        if let Some(mut worker) = worker {
            match tokio::time::timeout(JOB_DRAIN, &mut worker).await {
                Ok(_) => tracing::info!("the workers finished their jobs"),
                Err(_) => {
                    // Still running after the drain: cut off, they keep their lease and run
                    // again after the next start.
                    tracing::warn!(seconds = JOB_DRAIN.as_secs(), "jobs still running after the drain are cut off");
                    worker.abort();
                }
            }
        }
        result
    }
}

/// How long a connection accepted just before a stop has to send its request.
const ACCEPT_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// The server's listener, which takes no connection once the stop begins.
struct Draining {
    inner: TcpListener,
    stop: tokio::sync::watch::Receiver<bool>,
}

impl axum::serve::Listener for Draining {
    type Io = tokio::net::TcpStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let mut stop = self.stop.clone();
        tokio::select! {
            biased;
            () = async { drop(stop.wait_for(|stopping| *stopping).await) } => std::future::pending().await,
            taken = axum::serve::Listener::accept(&mut self.inner) => taken,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// The listening socket systemd passed (`LISTEN_FDS`, the first one), if any. It
/// outlives this process: while a restart runs, connections wait in its queue.
fn inherited_listener() -> anyhow::Result<Option<TcpListener>> {
    let Some(listener) = listenfd::ListenFd::from_env()
        .take_tcp_listener(0)
        .context("taking the listening socket passed by systemd (LISTEN_FDS)")?
    else {
        return Ok(None);
    };
    listener.set_nonblocking(true).context("making the passed socket non-blocking")?;
    let listener = TcpListener::from_std(listener).context("using the passed socket")?;
    tracing::info!(address = %listener.local_addr()?, "listening on the socket systemd passed");
    Ok(Some(listener))
}

fn hash_file_present(leptos: &LeptosOptions) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(leptos.hash_file.as_ref())))
        .is_some_and(|path| path.exists())
}

/// `SECRET_KEY` if configured; otherwise a random key generated on first start and kept in the database.
fn load_secret(conn: &rusqlite::Connection, config: &Config) -> anyhow::Result<SecretKey> {
    if let Some(key) = config.secret_key.as_ref().map(|k| k.expose()) {
        return Ok(SecretKey::new(key.as_bytes().to_vec()));
    }
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    let kept = db::settings::get_or_insert(conn, "secret_key", &hex::encode(fresh))
        .map_err(|e: DbError| anyhow::Error::new(e))?;
    Ok(SecretKey::new(hex::decode(kept).context("the stored secret_key setting is not hex")?))
}

pub fn router(state: AppState) -> Router {
    let leptos = state.leptos.clone();
    crate::server::metrics::handle();

    // Content-hashed names can be cached for a year; unhashed ones must be revalidated.
    let pkg_cache = if leptos.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
    let pkg_dir = std::path::Path::new(leptos.site_root.as_ref()).join(leptos.site_pkg_dir.as_ref());
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(pkg_cache)))
        .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip());

    // Staff images: random names never change, so they cache for a year; the policy
    // stops anything that slipped through from running as a page.
    let uploads = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ))
        .service(ServeDir::new(&state.config.uploads_dir));

    let store = SqliteSessionStore::new(state.db.clone());
    let sessions = auth::session_layer(store, state.config.is_production());

    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let app_shell = {
        let leptos = leptos.clone();
        move || shell(leptos.clone())
    };

    let pages = Router::new()
        .merge(crate::web::routes())
        .merge(
            Router::new()
                // The server functions (no routes: axum routes the pages, `app::pages`).
                .leptos_routes_with_context(&state, Vec::new(), context.clone(), app_shell.clone())
                .merge(pages(context.clone(), app_shell))
                .route_layer(axum::middleware::from_fn(http::limit_renders)),
        )
        .nest_service("/uploads", uploads)
        .nest_service(&format!("/{}", leptos.site_pkg_dir), pkg)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .with_state(state.clone());

    // The middleware wraps the router once, from outside (outermost first). Added with
    // `Router::layer`, each layer boxed every route's service again, and every request
    // cloned the ~17 nested boxes of its route (an allocation each) before its handler ran.
    use axum::middleware::{from_fn, from_fn_with_state};
    let app = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(from_fn(crate::server::metrics::track_requests))
        .layer(from_fn_with_state(Arc::new(state.security_headers.clone()), crate::server::headers::security_headers))
        // The rest rendered per request (JSON, feeds): brotli 1 / gzip 1 cost ~0.05 ms
        // where brotli 4 cost ~0.5 ms, for ~10 % more bytes.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(1)))
        // Pages rendered per request: gzip 1 with a deflate state reused per thread
        // (see server::compress for the numbers). Cached pages and assets arrive here
        // compressed once (server::cache; assets precompressed at brotli 11).
        .layer(from_fn(crate::server::compress::rendered_pages))
        .layer(from_fn_with_state(state.clone(), crate::web::middleware::refuse_cross_origin))
        .layer(from_fn_with_state(state.clone(), crate::web::middleware::count_views))
        .layer(from_fn_with_state(
            (state.clone(), crate::app::pages::in_both_languages as crate::web::middleware::InBothLanguages),
            crate::web::middleware::page_language,
        ))
        .layer(from_fn_with_state(state.cache.clone(), crate::server::cache::public_pages))
        .layer(sessions)
        .layer(from_fn(auth::keep_lifetime))
        .layer(from_fn(crate::server::typed_input::keep_on_error))
        .layer(from_fn_with_state(state.clone(), guard::load_viewer_for_pages))
        .layer(from_fn_with_state(state.cache.clone(), crate::server::cache::public_pages_by_role))
        .layer(from_fn(http::refuse_overlong_paths))
        .layer(from_fn(http::server_fn_error_status))
        .service(pages);
    Router::new().fallback_service(app)
}

/// Every page of the page table (`app::pages`), each rendered by `server::render` once its data is in.
fn pages<IV: leptos::prelude::IntoView + 'static>(
    context: impl Fn() + Clone + Send + Sync + 'static,
    app_shell: impl Fn() -> IV + Clone + Send + Sync + 'static,
) -> Router<AppState> {
    let render = crate::server::render::pages(context, app_shell);
    crate::app::pages::PAGES.iter().fold(Router::new(), |router, page| router.route(page.path, get(render.clone())))
}

/// The path pattern of every page the router serves (`/blog/{slug}`), for checks
/// against `domain::site_map`.
pub fn page_paths() -> Vec<String> {
    crate::app::pages::PAGES.iter().map(|page| page.path.to_owned()).collect()
}

fn request_span<B>(req: &Request<B>) -> tracing::Span {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    tracing::info_span!("request", id, method = %req.method(), path = %loggable_path(req.uri().path()))
}

/// The path as logged: a download link's token is a credential, so it is left out.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/files/") {
        "/files/<token>"
    } else {
        path
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Logs the failure of a command (`serve`: the server could not start) with its whole cause chain.
pub fn report_failure(command: &str, err: &anyhow::Error) {
    let chain: Vec<String> = err.chain().map(|c| c.to_string()).collect();
    if command == "serve" {
        tracing::error!(error = %chain.join(": "), "Atelier could not start");
    } else {
        tracing::error!(command, error = %chain.join(": "), "atelier {command} failed");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn download_tokens_never_reach_the_log() {
        let token = "ab".repeat(32);
        assert_eq!(super::loggable_path(&format!("/files/{token}")), "/files/<token>");
        assert_eq!(super::loggable_path("/dashboard/orders"), "/dashboard/orders");
    }
}
